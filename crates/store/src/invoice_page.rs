//! A property's invoices of a month, a page at a time, each with its
//! tenant's name: the billing screen's list. A month of a large property
//! runs to several hundred invoices; the screen shows one page of them and
//! asks for the next when the user turns to it.

use multipms_domain::billing::BillingMonth;
use multipms_domain::DomainError;
use serde::Serialize;
use sqlx::FromRow;

use crate::database::Store;
use crate::error::StoreResult;

/// The most invoices one page may hold.
pub const MAX_INVOICE_PAGE: u32 = 1_000;

/// One invoice of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct InvoiceListed {
    pub id: String,
    pub number: String,
    pub tenant_id: String,
    pub tenant_name: String,
    /// `YYYY-MM-DD`.
    pub invoice_date: String,
    pub due_on: String,
    pub total_paise: i64,
    /// `issued` or `cancelled`.
    pub status: String,
}

/// One page of a property's invoices of a month, in the order they were
/// numbered, with the count and the total over the whole month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoicePage {
    pub property_id: String,
    /// `2026-04`.
    pub month: String,
    /// Position of the page's first invoice in the month's list (from 0).
    pub offset: u32,
    /// Most invoices the page could hold.
    pub limit: u32,
    pub invoices: Vec<InvoiceListed>,
    /// Every invoice of the month, cancelled ones too.
    pub count: u32,
    /// What the month's standing (not cancelled) invoices come to.
    pub issued_total_paise: i64,
}

impl Store {
    /// The invoices of `property_id` for `month` from `offset`, at most
    /// `limit` (1 to [`MAX_INVOICE_PAGE`]) of them.
    pub async fn invoice_page(
        &self,
        property_id: &str,
        month: BillingMonth,
        offset: u32,
        limit: u32,
    ) -> StoreResult<InvoicePage> {
        if !(1..=MAX_INVOICE_PAGE).contains(&limit) {
            return Err(DomainError::invalid(
                "limit",
                format!("A page of invoices holds 1 to {MAX_INVOICE_PAGE} invoices"),
            )
            .into());
        }
        // One snapshot for the count and the page.
        let mut tx = self.pool().begin().await?;
        let (count, issued_total_paise): (i64, i64) = sqlx::query_as(
            "SELECT count(*), coalesce(sum(CASE WHEN status = 'issued' THEN total_paise END), 0)
             FROM invoice WHERE property_id = ? AND month = ?",
        )
        .bind(property_id)
        .bind(month.key())
        .fetch_one(&mut *tx)
        .await?;
        let invoices = sqlx::query_as::<_, InvoiceListed>(
            "SELECT i.id, i.number, i.tenant_id, t.full_name AS tenant_name, i.invoice_date,
                    i.due_on, i.total_paise, i.status
             FROM invoice i JOIN tenant t ON t.id = i.tenant_id
             WHERE i.property_id = ? AND i.month = ?
             ORDER BY i.series_prefix, i.fy_start, i.sequence
             LIMIT ? OFFSET ?",
        )
        .bind(property_id)
        .bind(month.key())
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(InvoicePage {
            property_id: property_id.to_string(),
            month: month.key(),
            offset,
            limit,
            invoices,
            count: u32::try_from(count).unwrap_or(u32::MAX),
            issued_total_paise,
        })
    }
}
