//! CSV exports of the ledger, invoices, payments and dues, streamed from
//! the database row by row into any writer, so a million ledger lines never
//! sit in memory at once.
//!
//! The rows are read on a read-only connection of their own through
//! rusqlite, on the blocking thread pool: a plain SQLite cursor hands each
//! cell over as a borrowed string, where the async driver would copy every
//! row into its own allocation and send it across threads — twenty times
//! slower on a million rows (see `benches/billing.rs`). WAL lets the
//! export read a consistent snapshot while the desk goes on writing.
//!
//! Every file starts with a UTF-8 byte-order mark (Excel then shows ₹ and
//! Indian names right), amounts are plain decimal rupees (`-1234.50`),
//! dates ISO (`2026-04-01`), and every text cell is neutralised so a
//! spreadsheet cannot run it as a formula.

use std::io::Write;

use chrono::NaiveDate;
use multipms_domain::csv_cell::neutralise;
use multipms_domain::{DomainError, Paise};
use rusqlite::types::ValueRef;
use rusqlite::Row;
use serde::Deserialize;

use crate::clock::iso;
use crate::database::{read_failed, read_only, Store};
use crate::error::{StoreError, StoreResult};

/// The UTF-8 byte-order mark each export begins with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How often, in rows, an export reports its progress.
pub const PROGRESS_EVERY: u64 = 5_000;

/// Which ledger lines to export. Every part is optional; none exports the
/// whole ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LedgerFilter {
    pub tenant_id: Option<String>,
    /// Tenants who have stayed at the property.
    pub property_id: Option<String>,
    /// First posting day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last posting day, inclusive.
    pub to: Option<NaiveDate>,
}

/// Which invoices or payments to export: a property and a date range, any
/// of them optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PeriodFilter {
    pub property_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Where an export reports how far it is: told the rows written so far
/// every `every` rows and once at the end; answering false stops it.
pub struct Progress {
    every: u64,
    report: Box<dyn FnMut(u64) -> bool + Send>,
}

impl Progress {
    /// Reports every [`PROGRESS_EVERY`] rows.
    pub fn new(report: impl FnMut(u64) -> bool + Send + 'static) -> Progress {
        Progress {
            every: PROGRESS_EVERY,
            report: Box::new(report),
        }
    }

    /// Never stops, tells no one.
    pub fn silent() -> Progress {
        Progress::new(|_| true)
    }

    /// Reports every `rows` rows instead.
    pub fn every(mut self, rows: u64) -> Progress {
        self.every = rows.max(1);
        self
    }

    /// Counts a row; an error when the caller stops the export.
    pub(crate) fn tick(&mut self, rows: &mut u64) -> StoreResult<()> {
        *rows += 1;
        if (*rows).is_multiple_of(self.every) && !(self.report)(*rows) {
            return Err(cancelled());
        }
        Ok(())
    }
}

/// The error an export stopped by its caller ends with.
pub fn cancelled() -> StoreError {
    DomainError::conflict("The export was cancelled; no file was saved").into()
}

pub(crate) fn write_failed(error: csv::Error) -> StoreError {
    let message = match error.kind() {
        csv::ErrorKind::Io(io) => format!("The file could not be written: {io}"),
        _ => format!("The file could not be written: {error}"),
    };
    DomainError::conflict(message).into()
}

pub(crate) fn check_range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> StoreResult<()> {
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            return Err(DomainError::invalid(
                "to",
                "The end date must not be before the start date",
            )
            .into());
        }
    }
    Ok(())
}

/// A CSV writer with the byte-order mark already written.
pub(crate) fn csv_writer<W: Write>(mut out: W) -> StoreResult<csv::Writer<W>> {
    out.write_all(BOM)
        .map_err(|e| write_failed(csv::Error::from(e)))?;
    Ok(csv::WriterBuilder::new()
        .buffer_capacity(256 * 1024)
        .from_writer(out))
}

/// A number cell written without allocating a string per cell: plain
/// decimal rupees (the sign, the rupees, a point and two digits of paise)
/// or a whole number.
pub(crate) struct Number {
    text: [u8; 24],
    /// Where the digits (or the sign) start.
    at: usize,
}

impl Number {
    pub(crate) fn whole(n: i64) -> Number {
        Number::digits(n.unsigned_abs(), n < 0, None)
    }

    pub(crate) fn rupees(paise: i64) -> Number {
        let rest = paise.unsigned_abs();
        Number::digits(rest / 100, paise < 0, Some((rest % 100) as u8))
    }

    fn digits(mut rest: u64, negative: bool, paise: Option<u8>) -> Number {
        let mut text = [0u8; 24];
        let mut at = text.len();
        if let Some(fraction) = paise {
            at -= 3;
            text[at] = b'.';
            text[at + 1] = b'0' + fraction / 10;
            text[at + 2] = b'0' + fraction % 10;
        }
        loop {
            at -= 1;
            text[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if negative {
            at -= 1;
            text[at] = b'-';
        }
        Number { text, at }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.text[self.at..]
    }
}

/// Writes one text cell, neutralised.
fn text<W: Write>(w: &mut csv::Writer<W>, cell: &str) -> StoreResult<()> {
    w.write_field(neutralise(cell).as_bytes())
        .map_err(write_failed)
}

/// Writes one amount cell, never neutralised so spreadsheets can add it up.
fn amount<W: Write>(w: &mut csv::Writer<W>, paise: i64) -> StoreResult<()> {
    w.write_field(Number::rupees(paise).as_bytes())
        .map_err(write_failed)
}

fn end_row<W: Write>(w: &mut csv::Writer<W>) -> StoreResult<()> {
    w.write_record(None::<&[u8]>).map_err(write_failed)
}

pub(crate) fn header<W: Write>(w: &mut csv::Writer<W>, names: &[&str]) -> StoreResult<()> {
    w.write_record(names).map_err(write_failed)
}

pub(crate) fn finish<W: Write>(
    w: csv::Writer<W>,
    rows: u64,
    progress: &mut Progress,
) -> StoreResult<Exported<W>> {
    finish_bytes(into_inner(w)?, rows, progress)
}

/// The writer under `w`, with everything `w` held written to it.
pub(crate) fn into_inner<W: Write>(w: csv::Writer<W>) -> StoreResult<W> {
    w.into_inner()
        .map_err(|e| write_failed(csv::Error::from(std::io::Error::other(e.to_string()))))
}

/// Ends an export written as bytes: flushes `out` and reports `rows`.
pub(crate) fn finish_bytes<W: Write>(
    mut out: W,
    rows: u64,
    progress: &mut Progress,
) -> StoreResult<Exported<W>> {
    out.flush().map_err(|e| write_failed(csv::Error::from(e)))?;
    (progress.report)(rows);
    Ok(Exported { rows, out })
}

pub const LEDGER_COLUMNS: [&str; 14] = [
    "Seq",
    "Posted on",
    "Tenant",
    "Mobile",
    "Kind",
    "Book",
    "Description",
    "Invoice",
    "Receipt",
    "Due on",
    "Debit",
    "Credit",
    "Balance",
    "Reverses entry",
];

pub const INVOICE_COLUMNS: [&str; 17] = [
    "Number",
    "Invoice date",
    "Month",
    "Due on",
    "Tenant",
    "Property",
    "Status",
    "GST rule",
    "SAC",
    "Taxable value",
    "CGST",
    "SGST",
    "IGST",
    "Reverse charge tax",
    "Round off",
    "Total",
    "Cancel reason",
];

pub const PAYMENT_COLUMNS: [&str; 14] = [
    "Receipt",
    "Paid on",
    "Recorded at",
    "Tenant",
    "Mode",
    "Purpose",
    "Amount",
    "UTR",
    "Cheque number",
    "Bank",
    "Cheque state",
    "Status",
    "Reverse reason",
    "Note",
];

pub const DUES_COLUMNS: [&str; 10] = [
    "Tenant",
    "Mobile",
    "Outstanding",
    "Not yet due",
    "0-30 days",
    "31-60 days",
    "61-90 days",
    "Over 90 days",
    "Credit",
    "As of",
];

/// What an export wrote: the rows, and the writer back.
#[derive(Debug)]
pub struct Exported<W> {
    pub rows: u64,
    pub out: W,
}

/// A text cell of a row, neutralised; NULL as empty.
fn text_at<W: Write>(w: &mut csv::Writer<W>, row: &Row<'_>, i: usize) -> StoreResult<()> {
    match row.get_ref(i).map_err(read_failed)? {
        ValueRef::Text(bytes) => {
            let cell = std::str::from_utf8(bytes)
                .map_err(|e| read_failed(rusqlite::Error::Utf8Error(e)))?;
            text(w, cell)
        }
        ValueRef::Null => text(w, ""),
        ValueRef::Integer(n) => whole(w, n),
        ValueRef::Real(_) | ValueRef::Blob(_) => Err(read_failed(
            rusqlite::Error::InvalidColumnType(i, "text".into(), rusqlite::types::Type::Blob),
        )),
    }
}

fn int_at(row: &Row<'_>, i: usize) -> StoreResult<i64> {
    row.get(i).map_err(read_failed)
}

/// Runs a blocking export on the blocking thread pool.
pub(crate) async fn blocking<W, F>(job: F) -> StoreResult<Exported<W>>
where
    W: Send + 'static,
    F: FnOnce() -> StoreResult<Exported<W>> + Send + 'static,
{
    tokio::task::spawn_blocking(job).await.map_err(|e| {
        StoreError::Database(sqlx::Error::Protocol(format!("the export stopped: {e}")))
    })?
}

const INVOICES_SQL: &str =
    "SELECT i.number, i.invoice_date, i.month, i.due_on, t.full_name, p.name,
        i.status, i.gst_rule, i.sac, i.taxable_value_paise, i.cgst_paise, i.sgst_paise,
        i.igst_paise, i.tax_reverse_charge_paise, i.round_off_paise, i.total_paise,
        i.cancel_reason
     FROM invoice i
     JOIN tenant t ON t.id = i.tenant_id
     JOIN property p ON p.id = i.property_id
     WHERE (?1 IS NULL OR i.property_id = ?1)
       AND (?2 IS NULL OR i.invoice_date >= ?2) AND (?3 IS NULL OR i.invoice_date <= ?3)
     ORDER BY i.invoice_date, i.number";

/// One invoice as a CSV row.
fn invoice_row<W: Write>(w: &mut csv::Writer<W>, row: &Row<'_>) -> StoreResult<()> {
    for i in 0..9 {
        text_at(w, row, i)?;
    }
    for i in 9..16 {
        amount(w, int_at(row, i)?)?;
    }
    text_at(w, row, 16)
}

const PAYMENTS_SQL: &str = "SELECT y.receipt_number, y.paid_on, y.recorded_at, t.full_name, y.mode,
        y.purpose, y.amount_paise, y.utr, y.cheque_number, y.cheque_bank, y.cheque_state,
        CASE WHEN y.reversed_on IS NOT NULL THEN 'reversed' ELSE 'standing' END,
        y.reverse_reason, y.note
     FROM payment y
     JOIN tenant t ON t.id = y.tenant_id
     WHERE (?1 IS NULL OR y.tenant_id IN (SELECT tenant_id FROM allocation WHERE property_id = ?1))
       AND (?2 IS NULL OR y.paid_on >= ?2) AND (?3 IS NULL OR y.paid_on <= ?3)
     ORDER BY y.paid_on, y.receipt_number";

/// One payment as a CSV row.
fn payment_row<W: Write>(w: &mut csv::Writer<W>, row: &Row<'_>) -> StoreResult<()> {
    for i in 0..6 {
        text_at(w, row, i)?;
    }
    amount(w, int_at(row, 6)?)?;
    for i in 7..14 {
        text_at(w, row, i)?;
    }
    Ok(())
}

/// Streams the rows of `sql`, filtered by a property and a date range
/// (its ?1, ?2 and ?3), each written by `write_row`.
fn period_rows<W: Write>(
    db: &std::path::Path,
    sql: &str,
    columns: &[&str],
    write_row: fn(&mut csv::Writer<W>, &Row<'_>) -> StoreResult<()>,
    filter: &PeriodFilter,
    out: W,
    progress: &mut Progress,
) -> StoreResult<Exported<W>> {
    check_range(filter.from, filter.to)?;
    let conn = read_only(db)?;
    let mut w = csv_writer(out)?;
    header(&mut w, columns)?;
    let mut statement = conn.prepare(sql).map_err(read_failed)?;
    let mut rows = statement
        .query((
            filter.property_id.as_deref(),
            filter.from.map(iso),
            filter.to.map(iso),
        ))
        .map_err(read_failed)?;
    let mut written = 0u64;
    while let Some(row) = rows.next().map_err(read_failed)? {
        write_row(&mut w, row)?;
        end_row(&mut w)?;
        progress.tick(&mut written)?;
    }
    finish(w, written, progress)
}

impl Store {
    /// Streams invoices (by invoice date, then number) into `out` as CSV.
    pub async fn export_invoices<W: Write + Send + 'static>(
        &self,
        filter: PeriodFilter,
        out: W,
        mut progress: Progress,
    ) -> StoreResult<Exported<W>> {
        let db = self.path().to_path_buf();
        blocking(move || {
            period_rows(
                &db,
                INVOICES_SQL,
                &INVOICE_COLUMNS,
                invoice_row,
                &filter,
                out,
                &mut progress,
            )
        })
        .await
    }

    /// Streams payments (by the day they were paid) into `out` as CSV.
    pub async fn export_payments<W: Write + Send + 'static>(
        &self,
        filter: PeriodFilter,
        out: W,
        mut progress: Progress,
    ) -> StoreResult<Exported<W>> {
        let db = self.path().to_path_buf();
        blocking(move || {
            period_rows(
                &db,
                PAYMENTS_SQL,
                &PAYMENT_COLUMNS,
                payment_row,
                &filter,
                out,
                &mut progress,
            )
        })
        .await
    }

    /// Writes the dues report as of a day (most owed first) as CSV.
    pub async fn export_dues<W: Write + Send + 'static>(
        &self,
        as_of: NaiveDate,
        out: W,
        mut progress: Progress,
    ) -> StoreResult<Exported<W>> {
        let report = self.dues_with_ageing(as_of).await?;
        blocking(move || {
            let mut w = csv_writer(out)?;
            header(&mut w, &DUES_COLUMNS)?;
            let mut written = 0u64;
            for t in &report.tenants {
                text(&mut w, &t.full_name)?;
                text(&mut w, &t.mobile)?;
                amount(&mut w, t.outstanding_paise)?;
                amount(&mut w, t.ageing.not_yet_due_paise)?;
                amount(&mut w, t.ageing.days_0_30_paise)?;
                amount(&mut w, t.ageing.days_31_60_paise)?;
                amount(&mut w, t.ageing.days_61_90_paise)?;
                amount(&mut w, t.ageing.over_90_paise)?;
                amount(&mut w, t.credit_paise)?;
                text(&mut w, &report.as_of)?;
                end_row(&mut w)?;
                progress.tick(&mut written)?;
            }
            finish(w, written, &mut progress)
        })
        .await
    }
}

/// Columns of the collections export.
pub const COLLECTION_COLUMNS: [&str; 7] = [
    "Month",
    "UPI",
    "Cash",
    "Bank transfer",
    "Cheque",
    "Total",
    "Payments",
];
/// Columns of the deposits export.
pub const DEPOSIT_COLUMNS: [&str; 3] = ["Tenant", "Property", "Deposit held"];
/// Columns of the occupancy history export.
pub const OCCUPANCY_COLUMNS: [&str; 5] = ["Month", "On", "Beds", "Occupied", "Occupancy %"];

impl Store {
    /// Collections per month by mode, from `from` to `to`.
    pub async fn export_collections<W: Write + Send + 'static>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        out: W,
        mut progress: Progress,
    ) -> StoreResult<Exported<W>> {
        check_range(Some(from), Some(to))?;
        let months = self.collections_by_month(from, to).await?;
        blocking(move || {
            let mut w = csv_writer(out)?;
            header(&mut w, &COLLECTION_COLUMNS)?;
            let mut written = 0u64;
            for m in &months {
                text(&mut w, &m.month)?;
                for paise in [
                    m.upi_paise,
                    m.cash_paise,
                    m.bank_transfer_paise,
                    m.cheque_paise,
                    m.total_paise,
                ] {
                    amount(&mut w, paise)?;
                }
                w.write_field(m.payments.to_string())
                    .map_err(write_failed)?;
                end_row(&mut w)?;
                progress.tick(&mut written)?;
            }
            finish(w, written, &mut progress)
        })
        .await
    }

    /// Deposits held per tenant.
    pub async fn export_deposits<W: Write + Send + 'static>(
        &self,
        out: W,
        mut progress: Progress,
    ) -> StoreResult<Exported<W>> {
        let held = self.deposits_held().await?;
        blocking(move || {
            let mut w = csv_writer(out)?;
            header(&mut w, &DEPOSIT_COLUMNS)?;
            let mut written = 0u64;
            for d in &held {
                text(&mut w, &d.full_name)?;
                text(&mut w, d.property.as_deref().unwrap_or(""))?;
                amount(&mut w, d.held_paise)?;
                end_row(&mut w)?;
                progress.tick(&mut written)?;
            }
            finish(w, written, &mut progress)
        })
        .await
    }

    /// Occupancy at each of the last twelve month-ends, as the dashboard
    /// charts it.
    pub async fn export_occupancy_history<W: Write + Send + 'static>(
        &self,
        today: NaiveDate,
        out: W,
        mut progress: Progress,
    ) -> StoreResult<Exported<W>> {
        let history = self.dashboard(None, today).await?.occupancy_history;
        blocking(move || {
            let mut w = csv_writer(out)?;
            header(&mut w, &OCCUPANCY_COLUMNS)?;
            let mut written = 0u64;
            for m in &history {
                text(&mut w, &m.month)?;
                text(&mut w, &m.on)?;
                w.write_field(m.beds.to_string()).map_err(write_failed)?;
                w.write_field(m.occupied.to_string())
                    .map_err(write_failed)?;
                // Tenths of a percent, in integers: 847 → "84.7".
                let tenths = if m.beds == 0 {
                    0
                } else {
                    (m.occupied * 1000 + m.beds / 2) / m.beds
                };
                w.write_field(format!("{}.{}", tenths / 10, tenths % 10))
                    .map_err(write_failed)?;
                end_row(&mut w)?;
                progress.tick(&mut written)?;
            }
            finish(w, written, &mut progress)
        })
        .await
    }
}

/// A sequence number as a plain number cell.
fn whole<W: Write>(w: &mut csv::Writer<W>, n: i64) -> StoreResult<()> {
    w.write_field(Number::whole(n).as_bytes())
        .map_err(write_failed)
}

/// The rupee figure a CSV amount cell holds, as the export writes it.
pub fn amount_text(paise: Paise) -> String {
    String::from_utf8_lossy(Number::rupees(paise.as_i64()).as_bytes()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_plain_decimal_rupees() {
        for (paise, text) in [
            (0, "0.00"),
            (5, "0.05"),
            (-5, "-0.05"),
            (100, "1.00"),
            (12_345_678, "123456.78"),
            (-100_000_000, "-1000000.00"),
            (i64::MAX, "92233720368547758.07"),
            (i64::MIN, "-92233720368547758.08"),
        ] {
            assert_eq!(amount_text(Paise(paise)), text);
            assert_eq!(Paise(paise).to_decimal_rupees(), text);
        }
    }
}
