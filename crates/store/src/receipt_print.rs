//! Everything a rent receipt shows, gathered in one read: the payment, the
//! tenant, the property and room, the rent period it paid for, and the
//! tenant's rent so far in the financial year (above ₹1,00,000 the
//! landlord's PAN is needed for HRA).

use chrono::NaiveDate;
use multipms_domain::billing::BillingMonth;
use multipms_domain::dates::FinancialYear;
use multipms_domain::DomainError;
use serde::Serialize;

use crate::database::Store;
use crate::error::StoreResult;
use crate::payment::Payment;
use crate::property::Property;

/// A payment with what its printed receipt needs.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptForPrint {
    pub payment: Payment,
    pub tenant_name: String,
    /// The property the payment was for: that of the invoices it paid, else
    /// where the tenant stayed on the day. `None` for a tenant never given
    /// a bed.
    pub property: Option<Property>,
    /// The business, for a receipt without a property.
    pub business_name: String,
    /// "Room 204", or empty when unknown.
    pub room: String,
    /// First and last day of the rent period: the months of the invoices
    /// it paid, else the month it was paid in.
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// Rent the tenant paid in this financial year up to and including
    /// this payment (reversed payments and bounced cheques left out).
    pub rent_this_fy_paise: i64,
}

fn day(iso: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_err(|e| {
        DomainError::invalid(
            "paid_on",
            format!("A stored date could not be read ({iso}): {e}"),
        )
        .into()
    })
}

impl Store {
    /// The receipt of one payment. A reversed payment, a bounced cheque and
    /// a deposit have no rent receipt; the error says why.
    pub async fn receipt_for_print(&self, payment_id: &str) -> StoreResult<ReceiptForPrint> {
        let payment = self.payment(payment_id).await?;
        let number = &payment.receipt_number;
        if payment.cheque_state.as_deref() == Some("bounced") {
            return Err(DomainError::conflict(format!(
                "The cheque of receipt {number} bounced, so it has no rent receipt"
            ))
            .into());
        }
        if let Some(on) = &payment.reversed_on {
            return Err(DomainError::conflict(format!(
                "Receipt {number} was reversed on {}, so it cannot be printed as a rent receipt",
                multipms_domain::dates::format_date(day(on)?)
            ))
            .into());
        }
        if payment.purpose != "dues" {
            return Err(DomainError::conflict(format!(
                "Receipt {number} is a security deposit, not rent; rent receipts are for rent and dues"
            ))
            .into());
        }
        let paid_on = day(&payment.paid_on)?;
        let tenant_name: String = sqlx::query_scalar("SELECT full_name FROM tenant WHERE id = ?")
            .bind(&payment.tenant_id)
            .fetch_one(self.pool())
            .await?;

        // The months (and property) of the invoices this payment paid.
        let (first_month, last_month, invoice_property): (
            Option<String>,
            Option<String>,
            Option<String>,
        ) = sqlx::query_as(
            "SELECT MIN(i.month), MAX(i.month), MIN(i.property_id)
             FROM payment_allocation pa JOIN invoice i ON i.id = pa.invoice_id
             WHERE pa.payment_id = ?",
        )
        .bind(&payment.id)
        .fetch_one(self.pool())
        .await?;
        let month_of = |key: Option<String>| -> StoreResult<BillingMonth> {
            match key {
                Some(k) => Ok(BillingMonth::parse(&k, "month")?),
                None => Ok(BillingMonth::of(paid_on)),
            }
        };
        let period_from = month_of(first_month)?.first_day();
        let period_to = month_of(last_month)?.last_day();

        // Where the tenant stayed on the day (or last stayed before it).
        let stay: Option<(String, String)> = sqlx::query_as(
            "SELECT r.property_id, r.number FROM allocation a
             JOIN bed b ON b.id = a.bed_id JOIN room r ON r.id = b.room_id
             WHERE a.tenant_id = ? AND a.move_in <= ?
             ORDER BY a.move_in DESC LIMIT 1",
        )
        .bind(&payment.tenant_id)
        .bind(&payment.paid_on)
        .fetch_optional(self.pool())
        .await?;
        let property_id = invoice_property.or_else(|| stay.as_ref().map(|(p, _)| p.clone()));
        let property = match &property_id {
            Some(id) => Some(self.property(id).await?),
            None => None,
        };
        let room = stay
            .filter(|(p, _)| Some(p) == property_id.as_ref())
            .map(|(_, number)| format!("Room {number}"))
            .unwrap_or_default();
        let business_name: String =
            sqlx::query_scalar("SELECT name FROM organisation ORDER BY created_at LIMIT 1")
                .fetch_optional(self.pool())
                .await?
                .unwrap_or_default();

        let year = FinancialYear::of(paid_on);
        let rent_this_fy_paise: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_paise), 0) FROM payment
             WHERE tenant_id = ? AND purpose = 'dues' AND reversed_on IS NULL
               AND (cheque_state IS NULL OR cheque_state <> 'bounced')
               AND paid_on >= ? AND (paid_on, recorded_at) <= (?, ?)",
        )
        .bind(&payment.tenant_id)
        .bind(year.first_day().format("%Y-%m-%d").to_string())
        .bind(&payment.paid_on)
        .bind(&payment.recorded_at)
        .fetch_one(self.pool())
        .await?;

        Ok(ReceiptForPrint {
            payment,
            tenant_name,
            property,
            business_name,
            room,
            period_from,
            period_to,
            rent_this_fy_paise,
        })
    }
}
