//! Invoice and receipt numbers: where each series stands is a row of
//! `number_series`, locked for the transaction so two requests never hand
//! out one number; the next number comes from the domain's
//! [`InvoiceSeries`] (consecutive within the Indian financial year, at most
//! 16 characters).
//!
//! Invoices are numbered in the series of the property's code (`BLR1`), the
//! server's own series; desks working offline number in series of their own
//! (`BLR1A`), so no two can meet. Receipts are numbered in the server's
//! series `RC`.

use chrono::NaiveDate;
use multipms_domain::billing::numbering::IssuedNumber;
use multipms_domain::billing::{InvoiceSeries, SeriesPosition};
use multipms_domain::property::PropertyCode;
use multipms_domain::FinancialYear;
use uuid::Uuid;

use crate::db::OrgTx;
use crate::error::{ApiError, ApiResult};

/// Which numbers a series gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// Invoices.
    Invoice,
    /// Payment receipts.
    Receipt,
}

impl SeriesKind {
    fn code(self) -> &'static str {
        match self {
            SeriesKind::Invoice => "invoice",
            SeriesKind::Receipt => "receipt",
        }
    }
}

/// The prefix of the server's receipts.
pub const RECEIPT_PREFIX: &str = "RC";

/// A series locked for this transaction, and where it stands.
pub struct LockedSeries {
    org_id: Uuid,
    kind: SeriesKind,
    series: InvoiceSeries,
    last: Option<SeriesPosition>,
}

impl LockedSeries {
    /// Locks the series of `prefix` (made on first use) until the
    /// transaction ends.
    pub async fn lock(
        tx: &mut OrgTx,
        org_id: Uuid,
        kind: SeriesKind,
        prefix: &str,
    ) -> ApiResult<LockedSeries> {
        let series = InvoiceSeries::new(&PropertyCode::parse(prefix, "code")?, None)?;
        sqlx::query(
            "INSERT INTO number_series (org_id, kind, prefix) VALUES ($1, $2, $3) \
             ON CONFLICT (org_id, kind, prefix) DO NOTHING",
        )
        .bind(org_id)
        .bind(kind.code())
        .bind(series.prefix())
        .execute(&mut **tx)
        .await?;
        let (fy, sequence): (Option<i32>, i32) = sqlx::query_as(
            "SELECT last_fy_start, last_sequence FROM number_series \
             WHERE org_id = $1 AND kind = $2 AND prefix = $3 FOR UPDATE",
        )
        .bind(org_id)
        .bind(kind.code())
        .bind(series.prefix())
        .fetch_one(&mut **tx)
        .await?;
        let last = match fy {
            None => None,
            Some(fy) => Some(SeriesPosition {
                financial_year: FinancialYear::starting(fy).ok_or_else(|| {
                    ApiError::internal(format!("series {prefix} holds the year {fy}"))
                })?,
                sequence: u32::try_from(sequence).map_err(ApiError::internal)?,
            }),
        };
        Ok(LockedSeries {
            org_id,
            kind,
            series,
            last,
        })
    }

    /// The series' prefix.
    pub fn prefix(&self) -> &str {
        self.series.prefix()
    }

    /// The next number for a document dated `on` (kept in memory until
    /// [`LockedSeries::save`]).
    pub fn next(&mut self, on: NaiveDate) -> ApiResult<IssuedNumber> {
        let issued = self.series.next(self.last, on)?;
        self.last = Some(issued.position);
        Ok(issued)
    }

    /// Stores where the series stands.
    pub async fn save(&self, tx: &mut OrgTx) -> ApiResult<()> {
        let Some(at) = self.last else {
            return Ok(());
        };
        sqlx::query(
            "UPDATE number_series SET last_fy_start = $4, last_sequence = $5, updated_at = now() \
             WHERE org_id = $1 AND kind = $2 AND prefix = $3",
        )
        .bind(self.org_id)
        .bind(self.kind.code())
        .bind(self.series.prefix())
        .bind(at.financial_year.start_year())
        .bind(i32::try_from(at.sequence).map_err(ApiError::internal)?)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
