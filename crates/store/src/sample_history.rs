//! Billing history for a generated portfolio, written in bulk: an invoice
//! for every month each contract ran, its charge in the ledger, and a
//! payment (UPI or cash) that settled it — but for the latest month, which
//! one tenant in four has not paid yet. Benchmarks measure billing runs
//! and exports against it; it is not how the app bills (that is
//! [`Store::run_billing`]).

use chrono::{Datelike, NaiveDate};

use crate::clock::{iso, now};
use crate::database::Store;
use crate::error::StoreResult;

/// What the history holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryCounts {
    pub invoices: i64,
    pub payments: i64,
    pub ledger_entries: i64,
}

/// Writes invoices and payments for every month from `months` months before
/// `today`'s month up to and including it, for the contracts of a portfolio
/// made by [`crate::sample_portfolio::generate`], in one transaction.
pub async fn generate_history(
    store: &Store,
    months: u32,
    today: NaiveDate,
) -> StoreResult<HistoryCounts> {
    let mut tx = store.begin_write().await?;
    let stamp = now();
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let first = this_month
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(this_month);
    // One row per contract and month it ran: the invoice to be.
    sqlx::query(
        "CREATE TEMP TABLE history AS
         WITH RECURSIVE month (first_day) AS (
             SELECT ?1
             UNION ALL
             SELECT date(first_day, '+1 month') FROM month WHERE first_day < ?2
         ),
         billed AS (
             SELECT c.id AS contract_id, a.tenant_id, a.property_id, m.first_day,
                    c.monthly_rent_paise AS amount,
                    p.rowid AS property_no
             FROM contract c
             JOIN allocation a ON a.id = c.allocation_id
             JOIN property p ON p.id = a.property_id
             JOIN month m ON m.first_day >= date(a.move_in, 'start of month')
                         AND (a.move_out IS NULL OR m.first_day < a.move_out)
         )
         SELECT row_number() OVER (ORDER BY first_day, contract_id) AS n,
                b.*,
                CAST(strftime('%Y', first_day) AS INTEGER)
                    - (CAST(strftime('%m', first_day) AS INTEGER) < 4) AS fy_start
         FROM billed b",
    )
    .bind(iso(first))
    .bind(iso(this_month))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "CREATE TEMP TABLE numbered AS
         SELECT h.*,
                row_number() OVER (PARTITION BY property_no, fy_start ORDER BY first_day, contract_id)
                    AS sequence,
                printf('00000000-0000-7000-0007-%012x', n) AS invoice_id,
                printf('00000000-0000-7000-0008-%012x', n) AS charge_id,
                printf('00000000-0000-7000-0009-%012x', n) AS payment_id,
                printf('00000000-0000-7000-000a-%012x', n) AS paid_id,
                'H' || property_no || '/' || substr(fy_start, 3, 2) || '-'
                    || substr(fy_start + 1, 3, 2) || '/'
                    || printf('%05d', row_number() OVER (PARTITION BY property_no, fy_start
                                                         ORDER BY first_day, contract_id))
                    AS number,
                'H' || property_no AS prefix,
                first_day = ?1 AND n % 4 = 0 AS unpaid
         FROM history h",
    )
    .bind(iso(this_month))
    .execute(&mut *tx)
    .await?;
    let desk = store.desk_id();
    sqlx::query(
        "INSERT INTO invoice (id, number, series_prefix, fy_start, sequence, property_id,
            contract_id, tenant_id, month, invoice_date, due_on, title, gst_rule, gst_charge,
            gst_rate_bp, interstate, sac, place_of_supply, supplier_gstin, recipient_gstin,
            taxable_value_paise, cgst_paise, sgst_paise, igst_paise, tax_charged_paise,
            tax_reverse_charge_paise, round_off_paise, total_paise, amount_in_words,
            notes_json, status, desk_id, created_at, updated_at)
         SELECT invoice_id, number, prefix, fy_start, sequence, property_id, contract_id, tenant_id,
                substr(first_day, 1, 7), first_day, date(first_day, '+4 days'), 'Bill of Supply',
                'residential_exempt', 'none', 0, 0, '997211', 29, NULL, NULL,
                amount, 0, 0, 0, 0, 0, 0, amount, 'Rupees as billed', '[]', 'issued', ?1, ?2, ?2
         FROM numbered",
    )
    .bind(desk)
    .bind(&stamp)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO invoice_line (invoice_id, position, kind, description, sac,
            taxable_value_paise, cgst_paise, sgst_paise, igst_paise, total_paise)
         SELECT invoice_id, 1, 'rent', 'Rent for ' || substr(first_day, 1, 7), '997211',
                amount, 0, 0, 0, amount
         FROM numbered",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO ledger_entry (id, tenant_id, kind, book, amount_paise, posted_on, due_on,
            invoice_id, memo, desk_id, recorded_at, invoice_number)
         SELECT charge_id, tenant_id, 'charge', 'dues', amount, first_day,
                date(first_day, '+4 days'), invoice_id, 'Invoice ' || number, ?1, ?2, number
         FROM numbered ORDER BY n",
    )
    .bind(desk)
    .bind(&stamp)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO payment (id, receipt_number, tenant_id, mode, purpose, amount_paise, paid_on,
            recorded_at, utr, desk_id, created_at, updated_at)
         SELECT payment_id, 'HR/' || printf('%09d', n), tenant_id,
                CASE WHEN n % 3 = 0 THEN 'cash' ELSE 'upi' END, 'dues', amount,
                date(first_day, '+' || (n % 7) || ' days'), ?2,
                CASE WHEN n % 3 = 0 THEN NULL ELSE 'H' || printf('%011d', n) END, ?1, ?2, ?2
         FROM numbered WHERE NOT unpaid",
    )
    .bind(desk)
    .bind(&stamp)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO ledger_entry (id, tenant_id, kind, book, amount_paise, posted_on,
            payment_id, memo, desk_id, recorded_at, receipt_number)
         SELECT paid_id, tenant_id, 'payment', 'dues', -amount,
                date(first_day, '+' || (n % 7) || ' days'), payment_id,
                'Receipt HR/' || printf('%09d', n), ?1, ?2, 'HR/' || printf('%09d', n)
         FROM numbered WHERE NOT unpaid ORDER BY n",
    )
    .bind(desk)
    .bind(&stamp)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO payment_allocation (entry_id, item_entry_id, payment_id, invoice_id, amount_paise)
         SELECT paid_id, charge_id, payment_id, invoice_id, amount FROM numbered WHERE NOT unpaid",
    )
    .execute(&mut *tx)
    .await?;
    let (invoices, payments): (i64, i64) =
        sqlx::query_as("SELECT count(*), coalesce(sum(NOT unpaid), 0) FROM numbered")
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("DROP TABLE numbered").execute(&mut *tx).await?;
    sqlx::query("DROP TABLE history").execute(&mut *tx).await?;
    let ledger_entries: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger_entry")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(HistoryCounts {
        invoices,
        payments,
        ledger_entries,
    })
}
