//! Tenant ledgers: append-only entries, read back into the domain's
//! [`Ledger`] for every rule (allocation, reversal, balance, open items,
//! ageing); a statement page with the running balance; the balance and
//! dues of a tenant.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use multipms_domain::ledger::{
    Ageing, Book, EntryKind, Ledger, LedgerEntry, OpenItems, PaymentAllocation,
};
use multipms_domain::Paise;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{split_counted, tenants, today_in_india, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

const KINDS: [EntryKind; 6] = [
    EntryKind::Charge,
    EntryKind::Payment,
    EntryKind::DepositHeld,
    EntryKind::DepositRefunded,
    EntryKind::Adjustment,
    EntryKind::Reversal,
];

/// The stored name of a book.
pub fn book_code(book: Book) -> &'static str {
    match book {
        Book::Dues => "dues",
        Book::Deposit => "deposit",
    }
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: Uuid,
    tenant_id: Uuid,
    kind: String,
    book: String,
    amount_paise: i64,
    posted_on: NaiveDate,
    due_on: Option<NaiveDate>,
    invoice_id: Option<Uuid>,
    payment_id: Option<Uuid>,
    reverses: Option<Uuid>,
    memo: String,
}

impl EntryRow {
    fn entry(self, allocations: Vec<PaymentAllocation>) -> ApiResult<LedgerEntry> {
        let kind = KINDS
            .into_iter()
            .find(|k| k.code() == self.kind)
            .ok_or_else(|| ApiError::internal(format!("ledger kind {}", self.kind)))?;
        let book = match self.book.as_str() {
            "dues" => Book::Dues,
            "deposit" => Book::Deposit,
            other => return Err(ApiError::internal(format!("ledger book {other}"))),
        };
        Ok(LedgerEntry {
            id: self.id,
            account_id: self.tenant_id,
            kind,
            book,
            amount: Paise(self.amount_paise),
            posted_on: self.posted_on,
            due_on: self.due_on,
            invoice_id: self.invoice_id,
            payment_id: self.payment_id,
            reverses: self.reverses,
            allocations,
            memo: self.memo,
        })
    }
}

/// Locks a tenant's account until the transaction ends, so two payments or
/// reversals of one tenant apply one after the other, each to the ledger
/// the other left. (`NO KEY UPDATE`: rows that merely point at the tenant,
/// such as a billing run's charges, are not held up.)
pub async fn lock_account(tx: &mut OrgTx, org_id: Uuid, tenant_id: Uuid) -> ApiResult<()> {
    sqlx::query("SELECT 1 FROM tenant WHERE org_id = $1 AND id = $2 FOR NO KEY UPDATE")
        .bind(org_id)
        .bind(tenant_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A tenant's ledger as stored, replayed through the domain's rules.
pub async fn load(tx: &mut OrgTx, org_id: Uuid, tenant_id: Uuid) -> ApiResult<Ledger> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT id, tenant_id, kind, book, amount_paise, posted_on, due_on, invoice_id, payment_id, \
         reverses, memo FROM ledger_entry WHERE org_id = $1 AND tenant_id = $2 ORDER BY seq",
    )
    .bind(org_id)
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await?;
    let splits: Vec<(Uuid, Uuid, i64)> = sqlx::query_as(
        "SELECT a.entry_id, a.item_entry_id, a.amount_paise FROM payment_allocation a \
         JOIN ledger_entry i ON i.org_id = a.org_id AND i.id = a.item_entry_id \
         WHERE a.org_id = $1 AND i.tenant_id = $2 ORDER BY i.seq",
    )
    .bind(org_id)
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut by_entry: HashMap<Uuid, Vec<PaymentAllocation>> = HashMap::new();
    for (entry, item, amount) in splits {
        by_entry.entry(entry).or_default().push(PaymentAllocation {
            item_entry_id: item,
            amount: Paise(amount),
        });
    }
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let allocations = by_entry.remove(&row.id).unwrap_or_default();
        entries.push(row.entry(allocations)?);
    }
    Ledger::from_entries(entries).map_err(|e| {
        ApiError::internal(format!(
            "the stored ledger of tenant {tenant_id} breaks a rule: {e}"
        ))
    })
}

/// Checks `entry` against the domain's rules for `ledger`, writes it (and
/// how a payment was applied), and appends it to `ledger`.
pub async fn append(
    tx: &mut OrgTx,
    caller: &Caller,
    ledger: &mut Ledger,
    entry: LedgerEntry,
) -> ApiResult<()> {
    ledger.check(&entry)?;
    sqlx::query(
        "INSERT INTO ledger_entry (id, org_id, tenant_id, kind, book, amount_paise, posted_on, due_on, \
         invoice_id, payment_id, reverses, memo, user_id, desk_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(entry.id)
    .bind(caller.org_id)
    .bind(entry.account_id)
    .bind(entry.kind.code())
    .bind(book_code(entry.book))
    .bind(entry.amount.as_i64())
    .bind(entry.posted_on)
    .bind(entry.due_on)
    .bind(entry.invoice_id)
    .bind(entry.payment_id)
    .bind(entry.reverses)
    .bind(&entry.memo)
    .bind(caller.user_id)
    .bind(caller.desk_id.as_deref())
    .execute(&mut **tx)
    .await?;
    if let Some(payment_id) = entry.payment_id {
        for a in &entry.allocations {
            let invoice_id = ledger.entry(a.item_entry_id).and_then(|i| i.invoice_id);
            sqlx::query(
                "INSERT INTO payment_allocation (org_id, entry_id, item_entry_id, payment_id, invoice_id, amount_paise) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(caller.org_id)
            .bind(entry.id)
            .bind(a.item_entry_id)
            .bind(payment_id)
            .bind(invoice_id)
            .bind(a.amount.as_i64())
            .execute(&mut **tx)
            .await?;
        }
    }
    ledger.append(entry)?;
    Ok(())
}

/// One line of a tenant's statement.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct LedgerLine {
    /// The entry.
    pub id: Uuid,
    /// Order of appending.
    pub seq: i64,
    /// charge, payment, deposit_held, deposit_refunded, adjustment, reversal.
    pub kind: String,
    /// dues or deposit.
    pub book: String,
    /// Signed: positive, the tenant owes more; negative, less.
    pub amount_paise: i64,
    /// The day it takes effect.
    pub posted_on: NaiveDate,
    /// For a charge: when it falls due.
    pub due_on: Option<NaiveDate>,
    /// The invoice it bills or undoes.
    pub invoice_id: Option<Uuid>,
    /// That invoice's number.
    pub invoice_number: Option<String>,
    /// The payment it records or undoes.
    pub payment_id: Option<Uuid>,
    /// That payment's receipt number.
    pub receipt_number: Option<String>,
    /// For a reversal: the entry it undoes.
    pub reverses: Option<Uuid>,
    /// For people.
    pub memo: String,
    /// When it was booked.
    pub recorded_at: DateTime<Utc>,
    /// The account's balance after this entry, in statement order (day
    /// posted, then order of appending): the sum of the entries up to it.
    pub balance_paise: i64,
}

/// The order of a statement page.
#[derive(Debug, Default, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LedgerOrder {
    /// Oldest first: by the day posted, then the order of appending.
    #[default]
    Statement,
    /// The same order, newest first.
    Newest,
}

/// How to read the ledger.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// statement (oldest first, default) or newest (newest first).
    #[param(inline)]
    pub order: Option<LedgerOrder>,
}

/// A page of a tenant's ledger with the running balance (owner, manager,
/// accountant; front desk at their properties).
#[utoipa::path(get, path = "/api/v1/tenants/{id}/ledger", tag = "ledger", security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery, LedgerQuery),
    responses((status = 200, body = Page<LedgerLine>), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody)))]
pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Query(page): Query<PageQuery>,
    Query(query): Query<LedgerQuery>,
) -> ApiResult<Json<Page<LedgerLine>>> {
    caller.require(Action::ReadMoney)?;
    let (limit, offset) = page.bounds()?;
    let direction = match query.order.unwrap_or_default() {
        LedgerOrder::Statement => "ASC",
        LedgerOrder::Newest => "DESC",
    };
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    // A caller limited to some properties is checked first; for the others
    // an entry of the organisation is proof enough that the tenant is its
    // (ledger_entry's key (org_id, tenant_id) points at tenant), and only an
    // empty page asks.
    if caller.scope().is_some() {
        tenants::check_visible(&mut tx, &caller, id).await?;
    }
    // The running balance and the total are window sums over the tenant's
    // entries (a few dozen a year), computed before the page is cut.
    let rows: Vec<Counted<LedgerLine>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT e.id, e.seq, e.kind, e.book, e.amount_paise, e.posted_on, e.due_on, e.invoice_id, \
         (SELECT i.number FROM invoice i WHERE i.org_id = e.org_id AND i.id = e.invoice_id) AS invoice_number, \
         e.payment_id, \
         (SELECT p.receipt_number FROM payment p WHERE p.org_id = e.org_id AND p.id = e.payment_id) AS receipt_number, \
         e.reverses, e.memo, e.recorded_at, e.balance_paise, e.page_total \
         FROM (SELECT l.*, \
                 (sum(l.amount_paise) OVER (ORDER BY l.posted_on, l.seq))::bigint AS balance_paise, \
                 count(*) OVER () AS page_total \
               FROM ledger_entry l WHERE l.org_id = $1 AND l.tenant_id = $2) e \
         ORDER BY e.posted_on {direction}, e.seq {direction} LIMIT $3 OFFSET $4"
    )))
    .bind(caller.org_id)
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *tx)
    .await?;
    let (items, total) = split_counted(rows);
    let total = match total {
        Some(total) => total,
        None => {
            tenants::check_visible(&mut tx, &caller, id).await?;
            sqlx::query_scalar(
                "SELECT count(*) FROM ledger_entry WHERE org_id = $1 AND tenant_id = $2",
            )
            .bind(caller.org_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}

/// Where an account stands, in short.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountBalance {
    /// Rent and charges less what was paid: positive, the tenant owes;
    /// negative, credit.
    pub dues_paise: i64,
    /// Security deposit held for the tenant.
    pub deposit_held_paise: i64,
    /// The sum of all entries: dues less the deposit held.
    pub balance_paise: i64,
    /// Money received and not needed by any open item.
    pub credit_paise: i64,
    /// Still to pay on open items.
    pub outstanding_paise: i64,
}

/// The balance of `tenant_id` in `ledger`, with its open items.
pub fn balance_of(ledger: &Ledger, tenant_id: Uuid, open: &OpenItems) -> AccountBalance {
    let s = ledger.summary(tenant_id);
    AccountBalance {
        dues_paise: s.dues.as_i64(),
        deposit_held_paise: s.deposit_held.as_i64(),
        balance_paise: s.balance.as_i64(),
        credit_paise: open.credit.as_i64(),
        outstanding_paise: open.outstanding().as_i64(),
    }
}

/// An unpaid or part-paid charge.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenItemOut {
    /// The charge entry.
    pub entry_id: Uuid,
    /// Its invoice.
    pub invoice_id: Option<Uuid>,
    /// That invoice's number.
    pub invoice_number: Option<String>,
    /// Day posted.
    pub issued_on: NaiveDate,
    /// Day due.
    pub due_on: NaiveDate,
    /// Charged.
    pub amount_paise: i64,
    /// Paid so far.
    pub paid_paise: i64,
    /// Still to pay.
    pub outstanding_paise: i64,
}

/// Arrears by days past due.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgeingOut {
    /// Not due yet.
    pub not_yet_due_paise: i64,
    /// 0–30 days past due.
    pub days_0_30_paise: i64,
    /// 31–60 days past due.
    pub days_31_60_paise: i64,
    /// 61–90 days past due.
    pub days_61_90_paise: i64,
    /// More than 90 days past due.
    pub over_90_paise: i64,
}

/// A tenant's balance and dues.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceOut {
    /// The tenant.
    pub tenant_id: Uuid,
    /// The day the ageing is counted to (today in India).
    pub as_of: NaiveDate,
    /// Where the account stands.
    #[serde(flatten)]
    pub balance: AccountBalance,
    /// Open items, oldest due first.
    pub open_items: Vec<OpenItemOut>,
    /// Arrears ageing.
    pub ageing: AgeingOut,
    /// Entries in the ledger.
    pub entries: i64,
}

/// A tenant's balance, dues, open items and arrears ageing (owner,
/// manager, accountant; front desk at their properties).
#[utoipa::path(get, path = "/api/v1/tenants/{id}/balance", tag = "ledger", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = BalanceOut), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody)))]
pub async fn balance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<BalanceOut>> {
    caller.require(Action::ReadMoney)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    tenants::check_visible(&mut tx, &caller, id).await?;
    let ledger = load(&mut tx, caller.org_id, id).await?;
    let open = ledger.open_items(id, None);
    let invoice_ids: Vec<Uuid> = open.items.iter().filter_map(|i| i.invoice_id).collect();
    let numbers: HashMap<Uuid, String> = sqlx::query_as::<_, (Uuid, String)>(
        "SELECT id, number FROM invoice WHERE org_id = $1 AND id = ANY($2)",
    )
    .bind(caller.org_id)
    .bind(&invoice_ids)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    tx.commit().await?;
    let as_of = today_in_india();
    let a = Ageing::of(&open.items, as_of);
    Ok(Json(BalanceOut {
        tenant_id: id,
        as_of,
        balance: balance_of(&ledger, id, &open),
        open_items: open
            .items
            .iter()
            .map(|i| OpenItemOut {
                entry_id: i.entry_id,
                invoice_id: i.invoice_id,
                invoice_number: i.invoice_id.and_then(|n| numbers.get(&n).cloned()),
                issued_on: i.issued_on,
                due_on: i.due_on,
                amount_paise: i.amount.as_i64(),
                paid_paise: i.paid.as_i64(),
                outstanding_paise: i.outstanding.as_i64(),
            })
            .collect(),
        ageing: AgeingOut {
            not_yet_due_paise: a.not_yet_due.as_i64(),
            days_0_30_paise: a.days_0_30.as_i64(),
            days_31_60_paise: a.days_31_60.as_i64(),
            days_61_90_paise: a.days_61_90.as_i64(),
            over_90_paise: a.over_90.as_i64(),
        },
        entries: ledger.account_entries(id).count() as i64,
    }))
}
