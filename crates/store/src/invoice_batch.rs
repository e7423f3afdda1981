//! A billing run's writes in multi-row statements: its invoices, their
//! lines, the charges that book them and their audit rows, a few hundred
//! rows a statement instead of one, inside the run's transaction.

use multipms_domain::billing::InvoiceDraft;
use multipms_domain::ledger::{Ledger, LedgerEntry};
use multipms_domain::DomainError;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::billing::{line_kind_code, tax_charge_code};
use crate::clock::{iso, now};
use crate::error::StoreResult;
use crate::ledger::book_code;

/// Rows a statement: the largest table (invoice, 33 values a row) stays
/// far below SQLite's 32,766 bound values a statement.
const ROWS_PER_STATEMENT: usize = 500;

/// An invoice of the run, numbered and ready to write.
pub(crate) struct NewInvoice<'a> {
    pub id: String,
    pub number: String,
    pub fy_start: i64,
    pub sequence: i64,
    pub notes_json: String,
    pub draft: &'a InvoiceDraft,
}

/// What the invoices of a run have in common.
pub(crate) struct RunContext<'a> {
    pub property_id: &'a str,
    /// `2026-04`.
    pub month: &'a str,
    pub series_prefix: &'a str,
    pub desk_id: &'a str,
    pub stamp: &'a str,
}

/// Writes the invoices and their lines.
pub(crate) async fn insert_invoices(
    conn: &mut SqliteConnection,
    run: &RunContext<'_>,
    invoices: &[NewInvoice<'_>],
) -> StoreResult<()> {
    for chunk in invoices.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO invoice (id, number, series_prefix, fy_start, sequence, property_id,
                contract_id, tenant_id, month, invoice_date, due_on, title, gst_rule, gst_charge,
                gst_rate_bp, interstate, sac, place_of_supply, supplier_gstin, recipient_gstin,
                taxable_value_paise, cgst_paise, sgst_paise, igst_paise, tax_charged_paise,
                tax_reverse_charge_paise, round_off_paise, total_paise, amount_in_words,
                notes_json, status, desk_id, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut row, invoice| {
            let draft = invoice.draft;
            let t = &draft.totals;
            row.push_bind(invoice.id.as_str())
                .push_bind(invoice.number.as_str())
                .push_bind(run.series_prefix)
                .push_bind(invoice.fy_start)
                .push_bind(invoice.sequence)
                .push_bind(run.property_id)
                .push_bind(draft.key.contract_id.to_string())
                .push_bind(draft.account_id.to_string())
                .push_bind(run.month)
                .push_bind(iso(draft.invoice_date))
                .push_bind(iso(draft.due_on))
                .push_bind(draft.title)
                .push_bind(draft.gst.rule.code())
                .push_bind(tax_charge_code(draft.gst.charge))
                .push_bind(i64::from(draft.gst.rate_bp))
                .push_bind(draft.gst.interstate)
                .push_bind(draft.gst.sac)
                .push_bind(i64::from(draft.gst.place_of_supply))
                .push_bind(
                    draft
                        .gst
                        .supplier_gstin
                        .as_ref()
                        .map(|g| g.as_str().to_string()),
                )
                .push_bind(
                    draft
                        .gst
                        .recipient_gstin
                        .as_ref()
                        .map(|g| g.as_str().to_string()),
                )
                .push_bind(t.taxable_value.as_i64())
                .push_bind(t.cgst.as_i64())
                .push_bind(t.sgst.as_i64())
                .push_bind(t.igst.as_i64())
                .push_bind(t.tax_charged.as_i64())
                .push_bind(t.tax_reverse_charge.as_i64())
                .push_bind(t.round_off.as_i64())
                .push_bind(t.total.as_i64())
                .push_bind(draft.amount_in_words.as_str())
                .push_bind(invoice.notes_json.as_str())
                .push_bind("issued")
                .push_bind(run.desk_id)
                .push_bind(run.stamp)
                .push_bind(run.stamp);
        });
        q.build().execute(&mut *conn).await?;
    }
    let lines: Vec<_> = invoices
        .iter()
        .flat_map(|invoice| {
            invoice
                .draft
                .lines
                .iter()
                .enumerate()
                .map(move |(i, line)| (invoice.id.as_str(), i as i64 + 1, line))
        })
        .collect();
    for chunk in lines.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO invoice_line (invoice_id, position, kind, description, sac,
                taxable_value_paise, cgst_paise, sgst_paise, igst_paise, total_paise) ",
        );
        q.push_values(chunk, |mut row, (invoice_id, position, line)| {
            row.push_bind(*invoice_id)
                .push_bind(*position)
                .push_bind(line_kind_code(line.kind))
                .push_bind(line.description.as_str())
                .push_bind(line.sac)
                .push_bind(line.taxable_value.as_i64())
                .push_bind(line.tax.cgst.as_i64())
                .push_bind(line.tax.sgst.as_i64())
                .push_bind(line.tax.igst.as_i64())
                .push_bind(line.total.as_i64());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Appends the charges that book new invoices, each with its invoice's
/// number. Each is checked by the ledger's rules on its own: a new
/// invoice's charge needs none of the account's history (reversals,
/// payments).
pub(crate) async fn append_invoice_charges(
    conn: &mut SqliteConnection,
    desk_id: &str,
    entries: &[(LedgerEntry, String)],
) -> StoreResult<()> {
    let fresh = Ledger::new();
    for (entry, _) in entries {
        fresh.check(entry)?;
        if entry.payment_id.is_some() || !entry.allocations.is_empty() || entry.reverses.is_some() {
            return Err(DomainError::invalid(
                "entries",
                "Only the charges of new invoices are appended together",
            )
            .into());
        }
    }
    let stamp = now();
    for chunk in entries.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO ledger_entry (id, tenant_id, kind, book, amount_paise, posted_on, due_on,
                invoice_id, payment_id, reverses, memo, desk_id, recorded_at, invoice_number) ",
        );
        q.push_values(chunk, |mut row, (entry, number)| {
            row.push_bind(entry.id.to_string())
                .push_bind(entry.account_id.to_string())
                .push_bind(entry.kind.code())
                .push_bind(book_code(entry.book))
                .push_bind(entry.amount.as_i64())
                .push_bind(iso(entry.posted_on))
                .push_bind(entry.due_on.map(iso))
                .push_bind(entry.invoice_id.map(|u| u.to_string()))
                .push_bind(None::<String>)
                .push_bind(None::<String>)
                .push_bind(entry.memo.as_str())
                .push_bind(desk_id)
                .push_bind(stamp.as_str())
                .push_bind(number.as_str());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}
