//! Everything an invoice shows on paper, gathered in one read: the invoice
//! and its lines, the property that issued it, the tenant and the bed, and
//! the payments already applied to it.

use serde::Serialize;
use sqlx::FromRow;

use crate::billing::Invoice;
use crate::database::Store;
use crate::error::StoreResult;
use crate::property::Property;

/// A payment applied to an invoice, as the invoice lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct PaidAgainst {
    pub receipt_number: String,
    pub paid_on: String,
    /// `upi`, `cash`, `bank_transfer` or `cheque`.
    pub mode: String,
    /// The UTR, or the cheque's number and bank.
    pub reference: Option<String>,
    pub amount_paise: i64,
}

/// An invoice with what its printed copy needs.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceForPrint {
    pub invoice: Invoice,
    pub property: Property,
    pub tenant_name: String,
    /// "Room 204, bed 204-A" at the time of the invoice.
    pub room_bed: String,
    pub payments: Vec<PaidAgainst>,
    /// What is still owed on it: nothing once cancelled.
    pub amount_due_paise: i64,
}

impl Store {
    /// One invoice, ready to print.
    pub async fn invoice_for_print(&self, id: &str) -> StoreResult<InvoiceForPrint> {
        let invoice = self.invoice(id).await?;
        self.print_facts(invoice).await
    }

    /// A property's invoices of a month, in number order, ready to print.
    pub async fn month_for_print(
        &self,
        property_id: &str,
        month: multipms_domain::billing::BillingMonth,
    ) -> StoreResult<Vec<InvoiceForPrint>> {
        let mut out = Vec::new();
        for invoice in self.invoices_for_month(property_id, month).await? {
            out.push(self.print_facts(invoice).await?);
        }
        Ok(out)
    }

    async fn print_facts(&self, invoice: Invoice) -> StoreResult<InvoiceForPrint> {
        let property = self.property(&invoice.property_id).await?;
        let tenant_name: String = sqlx::query_scalar("SELECT full_name FROM tenant WHERE id = ?")
            .bind(&invoice.tenant_id)
            .fetch_one(self.pool())
            .await?;
        let room_bed: Option<(String, String)> = sqlx::query_as(
            "SELECT r.number, b.label FROM contract c
             JOIN allocation a ON a.id = c.allocation_id
             JOIN bed b ON b.id = a.bed_id
             JOIN room r ON r.id = b.room_id
             WHERE c.id = ?",
        )
        .bind(&invoice.contract_id)
        .fetch_optional(self.pool())
        .await?;
        let room_bed = room_bed
            .map(|(room, bed)| format!("Room {room}, bed {bed}"))
            .unwrap_or_default();
        // Applied amounts of payments still standing: not reversed, and
        // not a cheque that bounced.
        let payments = sqlx::query_as::<_, PaidAgainst>(
            "SELECT p.receipt_number, p.paid_on, p.mode,
                    COALESCE(p.utr, p.cheque_number || ' ' || COALESCE(p.cheque_bank, '')) AS reference,
                    SUM(pa.amount_paise) AS amount_paise
             FROM payment_allocation pa
             JOIN payment p ON p.id = pa.payment_id
             WHERE pa.invoice_id = ? AND p.reversed_on IS NULL
               AND (p.cheque_state IS NULL OR p.cheque_state <> 'bounced')
             GROUP BY p.id
             ORDER BY p.paid_on, p.receipt_number",
        )
        .bind(&invoice.id)
        .fetch_all(self.pool())
        .await?;
        let paid: i64 = payments.iter().map(|p| p.amount_paise).sum();
        let amount_due_paise = if invoice.status == "cancelled" {
            0
        } else {
            (invoice.total_paise - paid).max(0)
        };
        Ok(InvoiceForPrint {
            invoice,
            property,
            tenant_name,
            room_bed,
            payments,
            amount_due_paise,
        })
    }
}
