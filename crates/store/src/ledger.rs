//! The ledger: append-only entries per tenant account. The database refuses
//! any change or deletion of a written entry; the rules that decide what
//! may be appended (reversals, allocations, the deposit book) are the
//! domain's [`Ledger`], replayed from the stored entries in the order they
//! were appended.

use std::collections::HashMap;

use multipms_domain::ledger::{
    Ageing, Book, EntryKind, Ledger, LedgerEntry, OpenItems, PaymentAllocation,
};
use multipms_domain::{DomainError, Paise};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};
use uuid::Uuid;

use crate::clock::{iso, now, parse_iso, parse_iso_opt};
use crate::database::Store;
use crate::error::{StoreError, StoreResult};
use crate::tenant::load_tenant;

/// One line of a tenant's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerLine {
    pub id: String,
    /// `charge`, `payment`, `deposit_held`, `deposit_refunded`,
    /// `adjustment` or `reversal`.
    pub kind: String,
    /// `dues` or `deposit`.
    pub book: String,
    /// Signed: positive, the tenant owes more.
    pub amount_paise: i64,
    pub posted_on: String,
    pub due_on: Option<String>,
    pub invoice_id: Option<String>,
    pub invoice_number: Option<String>,
    pub payment_id: Option<String>,
    pub receipt_number: Option<String>,
    /// For a reversal: the entry it undoes.
    pub reverses: Option<String>,
    /// True once a reversal points at this entry.
    pub reversed: bool,
    pub memo: String,
    /// Sum of this and every earlier line of the statement.
    pub running_balance_paise: i64,
}

/// Where a tenant's account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccountBalance {
    /// Dues book: positive, the tenant owes; negative, credit.
    pub dues_paise: i64,
    /// Security deposit held for the tenant.
    pub deposit_held_paise: i64,
    /// Sum of all entries: dues less deposit held.
    pub balance_paise: i64,
    /// Unpaid charges.
    pub outstanding_paise: i64,
    /// Money received that no charge needs yet.
    pub credit_paise: i64,
}

/// A tenant's statement: entries by date with a running balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantLedger {
    pub tenant_id: String,
    pub lines: Vec<LedgerLine>,
    pub balance: AccountBalance,
}

/// Arrears by days past due, in paise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct AgeingBuckets {
    pub not_yet_due_paise: i64,
    pub days_0_30_paise: i64,
    pub days_31_60_paise: i64,
    pub days_61_90_paise: i64,
    pub over_90_paise: i64,
    pub total_paise: i64,
}

impl From<Ageing> for AgeingBuckets {
    fn from(a: Ageing) -> AgeingBuckets {
        AgeingBuckets {
            not_yet_due_paise: a.not_yet_due.as_i64(),
            days_0_30_paise: a.days_0_30.as_i64(),
            days_31_60_paise: a.days_31_60.as_i64(),
            days_61_90_paise: a.days_61_90.as_i64(),
            over_90_paise: a.over_90.as_i64(),
            total_paise: a.total().as_i64(),
        }
    }
}

/// One tenant's dues as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantDues {
    pub tenant_id: String,
    pub full_name: String,
    pub mobile: String,
    /// Unpaid charges as of the day.
    pub outstanding_paise: i64,
    /// Unapplied credit as of the day.
    pub credit_paise: i64,
    pub ageing: AgeingBuckets,
}

/// Dues of every tenant who owes or holds credit, and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesReport {
    pub as_of: String,
    /// Most owed first.
    pub tenants: Vec<TenantDues>,
    pub total: AgeingBuckets,
}

/// Most tenants one page of the dues list may hold.
pub const MAX_DUES_PAGE: u32 = 1_000;

/// One page of the tenants who owe, most owed first (as [`DuesReport`]
/// orders them), with the totals over every tenant who owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesPage {
    pub as_of: String,
    /// Position of the page's first tenant among all who owe (from 0).
    pub offset: u32,
    /// Most tenants the page could hold.
    pub limit: u32,
    /// The page: tenants who owe, most owed first.
    pub tenants: Vec<TenantDues>,
    /// How many tenants owe, on every page.
    pub owing_count: u32,
    /// How many tenants hold credit, and how much in all.
    pub credit_count: u32,
    pub credit_paise: i64,
    /// What every tenant who owes owes, by age.
    pub total: AgeingBuckets,
}

#[derive(FromRow)]
struct EntryRow {
    id: String,
    tenant_id: String,
    kind: String,
    book: String,
    amount_paise: i64,
    posted_on: String,
    due_on: Option<String>,
    invoice_id: Option<String>,
    payment_id: Option<String>,
    reverses: Option<String>,
    memo: String,
}

pub(crate) fn uuid_of(text: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

fn uuid_opt(text: Option<&str>) -> StoreResult<Option<Uuid>> {
    text.map(uuid_of).transpose()
}

fn bad_value(what: &str, value: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("unknown {what} {value:?} in the ledger").into(),
    ))
}

fn kind_of(code: &str) -> StoreResult<EntryKind> {
    Ok(match code {
        "charge" => EntryKind::Charge,
        "payment" => EntryKind::Payment,
        "deposit_held" => EntryKind::DepositHeld,
        "deposit_refunded" => EntryKind::DepositRefunded,
        "adjustment" => EntryKind::Adjustment,
        "reversal" => EntryKind::Reversal,
        other => return Err(bad_value("entry kind", other)),
    })
}

fn book_of(code: &str) -> StoreResult<Book> {
    match code {
        "dues" => Ok(Book::Dues),
        "deposit" => Ok(Book::Deposit),
        other => Err(bad_value("book", other)),
    }
}

pub(crate) fn book_code(book: Book) -> &'static str {
    match book {
        Book::Dues => "dues",
        Book::Deposit => "deposit",
    }
}

impl EntryRow {
    fn into_entry(self, allocations: Vec<PaymentAllocation>) -> StoreResult<LedgerEntry> {
        Ok(LedgerEntry {
            id: uuid_of(&self.id)?,
            account_id: uuid_of(&self.tenant_id)?,
            kind: kind_of(&self.kind)?,
            book: book_of(&self.book)?,
            amount: Paise(self.amount_paise),
            posted_on: parse_iso(&self.posted_on)?,
            due_on: parse_iso_opt(self.due_on.as_deref())?,
            invoice_id: uuid_opt(self.invoice_id.as_deref())?,
            payment_id: uuid_opt(self.payment_id.as_deref())?,
            reverses: uuid_opt(self.reverses.as_deref())?,
            allocations,
            memo: self.memo,
        })
    }
}

/// The ledger of one tenant (or of every tenant with `None`), replayed in
/// the order the entries were appended.
pub(crate) async fn load_ledger(
    conn: &mut SqliteConnection,
    tenant_id: Option<&str>,
) -> StoreResult<Ledger> {
    // Two statements rather than `? IS NULL OR`, so one tenant's replay
    // uses the tenant index.
    let (rows, allocation_rows): (Vec<EntryRow>, Vec<(String, String, i64)>) = match tenant_id {
        Some(tenant_id) => (
            sqlx::query_as::<_, EntryRow>(
                "SELECT id, tenant_id, kind, book, amount_paise, posted_on, due_on, invoice_id,
                        payment_id, reverses, memo
                 FROM ledger_entry WHERE tenant_id = ? ORDER BY seq",
            )
            .bind(tenant_id)
            .fetch_all(&mut *conn)
            .await?,
            sqlx::query_as(
                "SELECT pa.entry_id, pa.item_entry_id, pa.amount_paise
                 FROM ledger_entry e JOIN payment_allocation pa ON pa.entry_id = e.id
                 WHERE e.tenant_id = ? ORDER BY pa.rowid",
            )
            .bind(tenant_id)
            .fetch_all(&mut *conn)
            .await?,
        ),
        None => (
            sqlx::query_as::<_, EntryRow>(
                "SELECT id, tenant_id, kind, book, amount_paise, posted_on, due_on, invoice_id,
                        payment_id, reverses, memo
                 FROM ledger_entry ORDER BY seq",
            )
            .fetch_all(&mut *conn)
            .await?,
            sqlx::query_as(
                "SELECT entry_id, item_entry_id, amount_paise FROM payment_allocation ORDER BY rowid",
            )
            .fetch_all(&mut *conn)
            .await?,
        ),
    };
    let mut allocations: HashMap<String, Vec<PaymentAllocation>> = HashMap::new();
    for (entry_id, item, amount) in allocation_rows {
        allocations
            .entry(entry_id)
            .or_default()
            .push(PaymentAllocation {
                item_entry_id: uuid_of(&item)?,
                amount: Paise(amount),
            });
    }
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let a = allocations.remove(&row.id).unwrap_or_default();
        entries.push(row.into_entry(a)?);
    }
    // Stored entries passed these rules when written; replaying them
    // rebuilds the indexes the rules need.
    Ok(Ledger::from_entries(entries)?)
}

/// Checks `entries` in order against `ledger` and appends them there and in
/// the database, on `conn` (the write's own transaction).
pub(crate) async fn append(
    conn: &mut SqliteConnection,
    desk_id: &str,
    ledger: &mut Ledger,
    entries: Vec<LedgerEntry>,
) -> StoreResult<()> {
    let stamp = now();
    for entry in entries {
        ledger.check(&entry)?;
        let id = entry.id.to_string();
        sqlx::query(
            "INSERT INTO ledger_entry (id, tenant_id, kind, book, amount_paise, posted_on, due_on,
                invoice_id, payment_id, reverses, memo, desk_id, recorded_at, invoice_number,
                receipt_number)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                (SELECT number FROM invoice WHERE id = ?8),
                (SELECT receipt_number FROM payment WHERE id = ?9))",
        )
        .bind(&id)
        .bind(entry.account_id.to_string())
        .bind(entry.kind.code())
        .bind(book_code(entry.book))
        .bind(entry.amount.as_i64())
        .bind(iso(entry.posted_on))
        .bind(entry.due_on.map(iso))
        .bind(entry.invoice_id.map(|u| u.to_string()))
        .bind(entry.payment_id.map(|u| u.to_string()))
        .bind(entry.reverses.map(|u| u.to_string()))
        .bind(&entry.memo)
        .bind(desk_id)
        .bind(&stamp)
        .execute(&mut *conn)
        .await?;
        if let Some(payment_id) = entry.payment_id {
            for a in &entry.allocations {
                sqlx::query(
                    "INSERT INTO payment_allocation (entry_id, item_entry_id, payment_id, invoice_id, amount_paise)
                     VALUES (?, ?, ?, (SELECT invoice_id FROM ledger_entry WHERE id = ?), ?)",
                )
                .bind(&id)
                .bind(a.item_entry_id.to_string())
                .bind(payment_id.to_string())
                .bind(a.item_entry_id.to_string())
                .bind(a.amount.as_i64())
                .execute(&mut *conn)
                .await?;
            }
        } else if !entry.allocations.is_empty() {
            return Err(DomainError::invalid(
                "allocations",
                "Only a recorded payment is allocated to invoices",
            )
            .into());
        }
        ledger.append(entry)?;
    }
    Ok(())
}

pub(crate) fn balance_of(ledger: &Ledger, account: Uuid, open: &OpenItems) -> AccountBalance {
    let summary = ledger.summary(account);
    AccountBalance {
        dues_paise: summary.dues.as_i64(),
        deposit_held_paise: summary.deposit_held.as_i64(),
        balance_paise: summary.balance.as_i64(),
        outstanding_paise: open.outstanding().as_i64(),
        credit_paise: open.credit.as_i64(),
    }
}

impl Store {
    /// A tenant's statement: every entry by date posted (then order of
    /// recording) with the running balance; the last running balance is
    /// the account's balance.
    pub async fn tenant_ledger(&self, tenant_id: &str) -> StoreResult<TenantLedger> {
        let mut conn = self.pool().acquire().await?;
        load_tenant(&mut conn, tenant_id).await?;
        let ledger = load_ledger(&mut conn, Some(tenant_id)).await?;
        let account = uuid_of(tenant_id)?;
        let numbers: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT e.id, i.number, p.receipt_number FROM ledger_entry e
             LEFT JOIN invoice i ON i.id = e.invoice_id
             LEFT JOIN payment p ON p.id = e.payment_id
             WHERE e.tenant_id = ?",
        )
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?;
        let numbers: HashMap<String, (Option<String>, Option<String>)> = numbers
            .into_iter()
            .map(|(id, invoice, receipt)| (id, (invoice, receipt)))
            .collect();
        // The replay order is the order of appending; a statement reads by
        // date, a stable sort keeps same-day entries in recorded order.
        let mut entries: Vec<&LedgerEntry> = ledger.account_entries(account).collect();
        entries.sort_by_key(|e| e.posted_on);
        let mut running: i64 = 0;
        let mut lines = Vec::with_capacity(entries.len());
        for e in entries {
            running += e.amount.as_i64();
            let id = e.id.to_string();
            let (invoice_number, receipt_number) = numbers.get(&id).cloned().unwrap_or_default();
            lines.push(LedgerLine {
                kind: e.kind.code().to_string(),
                book: book_code(e.book).to_string(),
                amount_paise: e.amount.as_i64(),
                posted_on: iso(e.posted_on),
                due_on: e.due_on.map(iso),
                invoice_id: e.invoice_id.map(|u| u.to_string()),
                invoice_number,
                payment_id: e.payment_id.map(|u| u.to_string()),
                receipt_number,
                reverses: e.reverses.map(|u| u.to_string()),
                reversed: ledger.is_reversed(e.id),
                memo: e.memo.clone(),
                running_balance_paise: running,
                id,
            });
        }
        let open = ledger.open_items(account, None);
        Ok(TenantLedger {
            tenant_id: tenant_id.to_string(),
            lines,
            balance: balance_of(&ledger, account, &open),
        })
    }

    /// Where a tenant's account stands now.
    pub async fn balance(&self, tenant_id: &str) -> StoreResult<AccountBalance> {
        let mut conn = self.pool().acquire().await?;
        load_tenant(&mut conn, tenant_id).await?;
        let ledger = load_ledger(&mut conn, Some(tenant_id)).await?;
        let account = uuid_of(tenant_id)?;
        let open = ledger.open_items(account, None);
        Ok(balance_of(&ledger, account, &open))
    }
}
