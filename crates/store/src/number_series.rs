//! The invoice and receipt series as Settings shows them, and setting a
//! series' prefix for the numbers still to come.
//!
//! Each desk writes in its own series (an invoice series per property, one
//! receipt series), so two desks never issue the same number. A new prefix
//! applies from the next number on: the numbers already issued keep theirs,
//! and the sequence carries on within the financial year, so the desk's
//! numbers stay consecutive. A prefix is refused when another series has
//! it, when it is another property's code (that property's series would
//! start with it), or when numbers were already issued under it.

use chrono::NaiveDate;
use multipms_domain::billing::numbering::{InvoiceSeries, SeriesPosition};
use multipms_domain::dates::FinancialYear;
use multipms_domain::property::PropertyCode;
use multipms_domain::DomainError;
use serde::Serialize;
use sqlx::SqliteConnection;

use crate::audit::{self, AuditEntry};
use crate::billing::{desk_suffix_candidates, free_invoice_series, position};
use crate::clock::now;
use crate::database::Store;
use crate::error::{StoreError, StoreResult};
use crate::today;

/// One number series: whose it is, its prefix and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberSeries {
    /// The property of an invoice series; `None` for receipts.
    pub property_id: Option<String>,
    pub desk_id: String,
    /// The series this desk writes in (the only one it may change).
    pub this_desk: bool,
    /// False until it is stored: the prefix is then the one this desk
    /// will start the series with.
    pub started: bool,
    pub prefix: String,
    /// Financial year of the last number issued, e.g. `FY 2026-27`.
    pub financial_year: Option<String>,
    /// Last sequence issued in that year (0 before the first).
    pub last_sequence: i64,
    /// The number the next one dated today gets; `None` when the series
    /// cannot issue one today (full, or already in a later year).
    pub next_number: Option<String>,
    /// Most numbers one financial year can hold with this prefix.
    pub max_sequence: u32,
}

/// A stored series row: desk, prefix, last financial year and sequence.
type SeriesRow = (String, String, Option<i64>, i64);

fn view(
    property_id: Option<&str>,
    this_desk: &str,
    started: bool,
    (desk_id, prefix, fy, sequence): SeriesRow,
    on: NaiveDate,
) -> StoreResult<NumberSeries> {
    let last = position(fy, sequence)?;
    let series = InvoiceSeries::new(&PropertyCode::parse(&prefix, "prefix")?, None)?;
    Ok(NumberSeries {
        property_id: property_id.map(str::to_string),
        this_desk: desk_id == this_desk,
        desk_id,
        started,
        next_number: series.next(last, on).ok().map(|issued| issued.number),
        max_sequence: series.max_sequence(),
        prefix,
        financial_year: last.map(|p| p.financial_year.label()),
        last_sequence: sequence,
    })
}

/// `input` as a prefix: 2 to 6 letters or digits, so a number
/// (`PREFIX/26-27/` and at least 3 digits) fits 16 characters.
fn parse_prefix(input: &str) -> StoreResult<PropertyCode> {
    PropertyCode::parse(input, "prefix").map_err(|_| {
        DomainError::invalid(
            "prefix",
            "Prefix must be 2 to 6 letters or digits, like BLR1A, so a number such as BLR1A/26-27/0042 fits 16 characters",
        )
        .into()
    })
}

/// Refuses `prefix` when the series, standing at `last`, has already
/// issued more numbers this financial year than the prefix leaves room for.
fn check_room(
    prefix: &PropertyCode,
    last: Option<SeriesPosition>,
    on: NaiveDate,
) -> StoreResult<()> {
    match last {
        Some(p) if p.financial_year >= FinancialYear::of(on) && p.sequence >= prefix.max_sequence() => {
            Err(DomainError::invalid(
                "prefix",
                format!(
                    "Prefix {} leaves room for {} numbers a year, and this series is already at {} in {}; choose a shorter prefix",
                    prefix.as_str(),
                    prefix.max_sequence(),
                    p.sequence,
                    p.financial_year.label()
                ),
            )
            .into())
        }
        _ => Ok(()),
    }
}

/// A unique-constraint refusal of the database (another desk's series
/// took the prefix meanwhile) as an error on the field.
fn prefix_taken(error: sqlx::Error, prefix: &PropertyCode) -> StoreError {
    match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => DomainError::invalid(
            "prefix",
            format!(
                "Prefix {} is already used by another series; choose another",
                prefix.as_str()
            ),
        )
        .into(),
        _ => error.into(),
    }
}

async fn property_code(conn: &mut SqliteConnection, property_id: &str) -> StoreResult<String> {
    let code: Option<String> = sqlx::query_scalar("SELECT code FROM property WHERE id = ?")
        .bind(property_id)
        .fetch_optional(&mut *conn)
        .await?;
    code.ok_or_else(|| DomainError::not_found("Property").into())
}

async fn invoice_series_rows(
    conn: &mut SqliteConnection,
    property_id: &str,
) -> StoreResult<Vec<SeriesRow>> {
    Ok(sqlx::query_as(
        "SELECT desk_id, prefix, last_fy_start, last_sequence FROM invoice_series
         WHERE property_id = ? ORDER BY prefix",
    )
    .bind(property_id)
    .fetch_all(&mut *conn)
    .await?)
}

async fn receipt_series_rows(conn: &mut SqliteConnection) -> StoreResult<Vec<SeriesRow>> {
    Ok(sqlx::query_as(
        "SELECT desk_id, prefix, last_fy_start, last_sequence FROM receipt_series ORDER BY prefix",
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// This desk's series first, then the others by prefix.
fn this_desk_first(mut series: Vec<NumberSeries>) -> Vec<NumberSeries> {
    series.sort_by_key(|s| !s.this_desk);
    series
}

/// Why `prefix` cannot be this desk's invoice series prefix for
/// `property_id`, if it cannot.
async fn invoice_prefix_refusal(
    conn: &mut SqliteConnection,
    property_id: &str,
    desk_id: &str,
    prefix: &str,
) -> StoreResult<Option<String>> {
    let series: Option<String> = sqlx::query_scalar(
        "SELECT p.name FROM invoice_series s JOIN property p ON p.id = s.property_id
         WHERE s.prefix = ?1 AND NOT (s.property_id = ?2 AND s.desk_id = ?3)",
    )
    .bind(prefix)
    .bind(property_id)
    .bind(desk_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(name) = series {
        return Ok(Some(format!(
            "Prefix {prefix} is already another invoice series' (of {name}); choose another"
        )));
    }
    let code: Option<String> =
        sqlx::query_scalar("SELECT name FROM property WHERE code = ? AND id <> ?")
            .bind(prefix)
            .bind(property_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(name) = code {
        return Ok(Some(format!(
            "{prefix} is the invoice code of {name}, whose invoices start with it; choose another prefix"
        )));
    }
    let issued: Option<String> =
        sqlx::query_scalar("SELECT number FROM invoice WHERE series_prefix = ? LIMIT 1")
            .bind(prefix)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(issued.map(|number| {
        format!("Invoices such as {number} were already issued under {prefix}; choose a prefix not used before, so no number is issued twice")
    }))
}

/// Why `prefix` cannot be this desk's receipt series prefix, if it cannot.
async fn receipt_prefix_refusal(
    conn: &mut SqliteConnection,
    desk_id: &str,
    prefix: &str,
) -> StoreResult<Option<String>> {
    let series: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM receipt_series WHERE prefix = ? AND desk_id <> ?")
            .bind(prefix)
            .bind(desk_id)
            .fetch_optional(&mut *conn)
            .await?;
    if series.is_some() {
        return Ok(Some(format!(
            "Prefix {prefix} is already another desk's receipt series; choose another"
        )));
    }
    // Receipt numbers are `PREFIX/26-27/…`: '/' sorts just before '0'.
    let issued: Option<String> = sqlx::query_scalar(
        "SELECT receipt_number FROM payment
         WHERE receipt_number >= ?1 || '/' AND receipt_number < ?1 || '0' LIMIT 1",
    )
    .bind(prefix)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(issued.map(|number| {
        format!("Receipts such as {number} were already issued under {prefix}; choose a prefix not used before, so no number is issued twice")
    }))
}

impl Store {
    /// The invoice series of a property, this desk's first. When this desk
    /// has not issued an invoice there yet, its entry shows the prefix it
    /// will start with (`started` false).
    pub async fn invoice_series(&self, property_id: &str) -> StoreResult<Vec<NumberSeries>> {
        let mut conn = self.pool().acquire().await?;
        let code = property_code(&mut conn, property_id).await?;
        let on = today();
        let rows = invoice_series_rows(&mut conn, property_id).await?;
        let mut series = Vec::with_capacity(rows.len() + 1);
        for row in rows {
            series.push(view(Some(property_id), self.desk_id(), true, row, on)?);
        }
        if !series.iter().any(|s| s.this_desk) {
            match free_invoice_series(&mut conn, property_id, &code, self.desk_id()).await {
                Ok(first) => {
                    let row = (
                        self.desk_id().to_string(),
                        first.prefix().to_string(),
                        None,
                        0,
                    );
                    series.push(view(Some(property_id), self.desk_id(), false, row, on)?);
                }
                // No free prefix from the code: the desk sets one itself.
                Err(StoreError::Domain(_)) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(this_desk_first(series))
    }

    /// Sets the prefix of this desk's invoice series for the property, for
    /// the invoices still to come. Errors name `prefix`; nothing is
    /// written then, nor when the prefix is unchanged.
    pub async fn set_invoice_series_prefix(
        &self,
        actor: &str,
        property_id: &str,
        prefix: &str,
    ) -> StoreResult<NumberSeries> {
        self.set_prefix(actor, Which::Invoice { property_id }, prefix)
            .await
    }

    /// The receipt series of every desk, this desk's first (with the
    /// prefix it will start with when it has issued no receipt yet).
    pub async fn receipt_series(&self) -> StoreResult<Vec<NumberSeries>> {
        let mut conn = self.pool().acquire().await?;
        let on = today();
        let mut series = Vec::new();
        for row in receipt_series_rows(&mut conn).await? {
            series.push(view(None, self.desk_id(), true, row, on)?);
        }
        if !series.iter().any(|s| s.this_desk) {
            let suffix = desk_suffix_candidates(self.desk_id()).next();
            let first =
                InvoiceSeries::new(&PropertyCode::parse("RC", "prefix")?, suffix.as_deref())?;
            let row = (
                self.desk_id().to_string(),
                first.prefix().to_string(),
                None,
                0,
            );
            series.push(view(None, self.desk_id(), false, row, on)?);
        }
        Ok(this_desk_first(series))
    }

    /// Sets the prefix of this desk's receipt series, for the receipts
    /// still to come. Errors name `prefix`; nothing is written then, nor
    /// when the prefix is unchanged.
    pub async fn set_receipt_series_prefix(
        &self,
        actor: &str,
        prefix: &str,
    ) -> StoreResult<NumberSeries> {
        self.set_prefix(actor, Which::Receipt, prefix).await
    }

    /// Sets the prefix of this desk's `which` series (see the two above).
    async fn set_prefix(
        &self,
        actor: &str,
        which: Which<'_>,
        prefix: &str,
    ) -> StoreResult<NumberSeries> {
        let prefix = parse_prefix(prefix)?;
        let desk_id = self.desk_id();
        let property_id = which.property_id();
        let on = today();
        let mut tx = self.begin_write().await?;
        if let Some(property_id) = property_id {
            property_code(&mut tx, property_id).await?;
        }
        let stored = which.stored(&mut tx, desk_id).await?;
        let before = match &stored {
            Some((old, fy, sequence)) => {
                let row = (desk_id.to_string(), old.clone(), *fy, *sequence);
                Some(view(property_id, desk_id, true, row, on)?)
            }
            None => None,
        };
        if let Some(unchanged) = before.as_ref().filter(|b| b.prefix == prefix.as_str()) {
            return Ok(unchanged.clone());
        }
        if let Some(reason) = which.refusal(&mut tx, desk_id, prefix.as_str()).await? {
            return Err(DomainError::invalid("prefix", reason).into());
        }
        let (fy, sequence) = stored
            .map(|(_, fy, sequence)| (fy, sequence))
            .unwrap_or((None, 0));
        check_room(&prefix, position(fy, sequence)?, on)?;
        which
            .upsert(&mut tx, desk_id, prefix.as_str(), &now())
            .await
            .map_err(|e| prefix_taken(e, &prefix))?;
        let row = (
            desk_id.to_string(),
            prefix.as_str().to_string(),
            fy,
            sequence,
        );
        let after = view(property_id, desk_id, true, row, on)?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id,
                actor,
                action: "set_prefix",
                entity: which.table(),
                entity_id: property_id.unwrap_or(desk_id),
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Which of this desk's series a prefix is set for.
#[derive(Clone, Copy)]
enum Which<'a> {
    /// Its invoice series at a property.
    Invoice { property_id: &'a str },
    /// Its receipt series.
    Receipt,
}

impl<'a> Which<'a> {
    fn property_id(self) -> Option<&'a str> {
        match self {
            Which::Invoice { property_id } => Some(property_id),
            Which::Receipt => None,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Which::Invoice { .. } => "invoice_series",
            Which::Receipt => "receipt_series",
        }
    }

    /// The series' prefix, last financial year and sequence, when stored.
    async fn stored(
        self,
        conn: &mut SqliteConnection,
        desk_id: &str,
    ) -> StoreResult<Option<(String, Option<i64>, i64)>> {
        let found = match self {
            Which::Invoice { property_id } => {
                sqlx::query_as(
                    "SELECT prefix, last_fy_start, last_sequence FROM invoice_series
                     WHERE property_id = ? AND desk_id = ?",
                )
                .bind(property_id)
                .bind(desk_id)
                .fetch_optional(&mut *conn)
                .await?
            }
            Which::Receipt => sqlx::query_as(
                "SELECT prefix, last_fy_start, last_sequence FROM receipt_series WHERE desk_id = ?",
            )
            .bind(desk_id)
            .fetch_optional(&mut *conn)
            .await?,
        };
        Ok(found)
    }

    /// Why `prefix` cannot be this series' prefix, if it cannot.
    async fn refusal(
        self,
        conn: &mut SqliteConnection,
        desk_id: &str,
        prefix: &str,
    ) -> StoreResult<Option<String>> {
        match self {
            Which::Invoice { property_id } => {
                invoice_prefix_refusal(conn, property_id, desk_id, prefix).await
            }
            Which::Receipt => receipt_prefix_refusal(conn, desk_id, prefix).await,
        }
    }

    /// Stores `prefix` for the series (made when it is not yet).
    async fn upsert(
        self,
        conn: &mut SqliteConnection,
        desk_id: &str,
        prefix: &str,
        stamp: &str,
    ) -> Result<(), sqlx::Error> {
        match self {
            Which::Invoice { property_id } => {
                sqlx::query(
                    "INSERT INTO invoice_series (property_id, desk_id, desk_suffix, prefix, last_fy_start,
                        last_sequence, created_at, updated_at)
                     VALUES (?1, ?2, NULL, ?3, NULL, 0, ?4, ?4)
                     ON CONFLICT (property_id, desk_id) DO UPDATE SET prefix = excluded.prefix,
                        updated_at = excluded.updated_at",
                )
                .bind(property_id)
                .bind(desk_id)
                .bind(prefix)
                .bind(stamp)
                .execute(&mut *conn)
                .await?
            }
            Which::Receipt => {
                sqlx::query(
                    "INSERT INTO receipt_series (desk_id, prefix, last_fy_start, last_sequence, created_at, updated_at)
                     VALUES (?1, ?2, NULL, 0, ?3, ?3)
                     ON CONFLICT (desk_id) DO UPDATE SET prefix = excluded.prefix,
                        updated_at = excluded.updated_at",
                )
                .bind(desk_id)
                .bind(prefix)
                .bind(stamp)
                .execute(&mut *conn)
                .await?
            }
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another desk's series can take a prefix between the checks and the
    /// write (a pull applied meanwhile): the database's unique constraint
    /// then refuses it, and the desk hears it on the prefix field.
    #[tokio::test]
    async fn the_unique_constraint_on_prefix_comes_back_as_an_error_on_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let insert = "INSERT INTO receipt_series (desk_id, prefix, created_at, updated_at)
                      VALUES (?, 'RCZZ', 'now', 'now')";
        sqlx::query(insert)
            .bind("one desk")
            .execute(store.pool())
            .await
            .unwrap();
        let refused = sqlx::query(insert)
            .bind("another desk")
            .execute(store.pool())
            .await
            .unwrap_err();
        let prefix = PropertyCode::parse("RCZZ", "prefix").unwrap();
        match prefix_taken(refused, &prefix) {
            StoreError::Domain(DomainError::Invalid { field, message }) => {
                assert_eq!(field, "prefix");
                assert!(message.contains("RCZZ"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
