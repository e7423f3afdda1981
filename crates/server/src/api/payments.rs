//! Payments: checked by `multipms_domain::payment` (mode, amount, date, UTR,
//! cheque), numbered as receipts, applied by the domain to the tenant's
//! oldest open invoices (what is left is credit), and booked in the ledger.
//! A UTR is booked once per organisation; a payment is undone by a reversal
//! entry, never edited.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use multipms_domain::dates::{format_date, parse_optional_date};
use multipms_domain::ledger::{EntryKind, LedgerEntry};
use multipms_domain::payment::{allocate, PaymentInput, PaymentPurpose};
use multipms_domain::Paise;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ledger::{self, AccountBalance};
use super::{created, split_counted, tenants, today_in_india, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::numbering::{LockedSeries, SeriesKind, RECEIPT_PREFIX};
use crate::roles::{Action, Caller};

/// A payment as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PaymentOut {
    /// Id.
    pub id: Uuid,
    /// Receipt number, e.g. RC/26-27/00042.
    pub receipt_number: String,
    /// Who paid.
    pub tenant_id: Uuid,
    /// Their name.
    pub tenant_name: String,
    /// upi, cash, bank_transfer or cheque.
    pub mode: String,
    /// dues or security_deposit.
    pub purpose: String,
    /// How much.
    pub amount_paise: i64,
    /// The day it was paid (for a cheque, the date on it).
    pub paid_on: NaiveDate,
    /// When it was booked.
    pub recorded_at: DateTime<Utc>,
    /// The UTR of a UPI or bank payment, normalised.
    pub utr: Option<String>,
    /// Cheque number.
    pub cheque_number: Option<String>,
    /// Cheque's bank.
    pub cheque_bank: Option<String>,
    /// pending, cleared or bounced.
    pub cheque_state: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Set once the payment is reversed.
    pub reversed_on: Option<NaiveDate>,
    /// Why it was reversed.
    pub reverse_reason: Option<String>,
}

const COLUMNS: &str = "p.id, p.receipt_number, p.tenant_id, \
     (SELECT t.full_name FROM tenant t WHERE t.org_id = p.org_id AND t.id = p.tenant_id) AS tenant_name, \
     p.mode, p.purpose, p.amount_paise, p.paid_on, p.recorded_at, p.utr, p.cheque_number, p.cheque_bank, \
     p.cheque_state, p.note, p.reversed_on, p.reverse_reason";

/// The payment form: the tenant and the fields of
/// `multipms_domain::payment::PaymentInput`.
#[derive(Deserialize, ToSchema)]
pub struct PaymentBody {
    /// Who paid.
    pub tenant_id: Option<Uuid>,
    /// mode (upi, cash, bank_transfer, cheque), amount (rupees, e.g.
    /// "12,500"), paid_on (DD/MM/YYYY), reference (the UTR of UPI and bank
    /// transfers), cheque_number, cheque_bank, purpose (dues or
    /// security_deposit), note.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub details: PaymentInput,
}

/// Part of a payment applied to one open item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppliedAmount {
    /// The charge entry paid.
    pub item_entry_id: Uuid,
    /// Its invoice.
    pub invoice_id: Option<Uuid>,
    /// How much went to it.
    pub amount_paise: i64,
}

/// What recording a payment did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedPayment {
    /// The payment.
    pub payment: PaymentOut,
    /// How it was applied, oldest due first.
    pub applied: Vec<AppliedAmount>,
    /// What it left over, as credit on the account.
    pub credit_paise: i64,
    /// For the receipt: a cheque is "subject to realisation".
    pub receipt_note: Option<String>,
    /// The account after it.
    pub balance: AccountBalance,
}

/// What the audit log keeps of a recorded payment.
#[derive(Serialize)]
struct Recorded<'a> {
    payment: &'a PaymentOut,
    applied: &'a [AppliedAmount],
}

/// The reversal form.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReverseBody {
    /// Why (required, at most 200 characters).
    pub reason: String,
    /// The day of the reversal, DD/MM/YYYY; blank for today.
    pub on: Option<String>,
}

/// A reversed payment and the account after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReversedPayment {
    /// The payment, now reversed.
    pub payment: PaymentOut,
    /// The account after the reversal.
    pub balance: AccountBalance,
}

/// Filters of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentFilter {
    /// Only this tenant's.
    pub tenant_id: Option<Uuid>,
}

async fn load(tx: &mut OrgTx, org_id: Uuid, id: Uuid, lock: bool) -> ApiResult<Option<PaymentOut>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM payment p WHERE p.org_id = $1 AND p.id = $2{}",
        if lock { " FOR UPDATE" } else { "" }
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A payment the caller may see (that of a tenant they may see).
async fn fetch(tx: &mut OrgTx, caller: &Caller, id: Uuid, lock: bool) -> ApiResult<PaymentOut> {
    if let Some(p) = load(tx, caller.org_id, id, lock).await? {
        if tenants::is_visible(tx, caller, p.tenant_id).await? {
            return Ok(p);
        }
    }
    Err(ApiError::not_found("Payment"))
}

/// The refusal of a UTR already booked, naming the payment it belongs to
/// (and its tenant, when the caller may see them).
async fn refuse_booked_utr(tx: &mut OrgTx, caller: &Caller, utr: &str) -> ApiResult<()> {
    let booked: Option<(String, Uuid, String, NaiveDate)> = sqlx::query_as(
        "SELECT p.receipt_number, p.tenant_id, t.full_name, p.paid_on \
         FROM payment p JOIN tenant t ON t.org_id = p.org_id AND t.id = p.tenant_id \
         WHERE p.org_id = $1 AND p.utr = $2 AND p.reversed_on IS NULL",
    )
    .bind(caller.org_id)
    .bind(utr)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((receipt, tenant_id, name, paid_on)) = booked else {
        return Ok(());
    };
    let whose = if tenants::is_visible(tx, caller, tenant_id).await? {
        format!(" for {name}")
    } else {
        String::new()
    };
    let mut e = ApiError::conflict(format!(
        "UTR {utr} is already booked: receipt {receipt}{whose}, paid on {}; the same transfer cannot be booked twice",
        format_date(paid_on)
    ));
    e.body.field = Some("reference".into());
    Err(e)
}

/// Records a payment from a tenant (owner, manager, front desk at the
/// tenant's property), applied to their oldest open invoices; what is left
/// is credit. A security deposit is held, not applied.
#[utoipa::path(post, path = "/api/v1/payments", tag = "payments", security(("bearer" = [])),
    request_body = PaymentBody,
    responses((status = 201, body = RecordedPayment), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody),
    (status = 409, description = "The UTR is already booked; the message names the receipt", body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<PaymentBody>,
) -> ApiResult<Response> {
    caller.require(Action::WriteMoney)?;
    let tenant_id = body
        .tenant_id
        .ok_or_else(|| ApiError::invalid("tenant_id", "Choose the tenant who paid"))?;
    let today = today_in_india();
    let details = body.details.validate(today)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    tenants::check_visible(&mut tx, &caller, tenant_id).await?;
    ledger::lock_account(&mut tx, caller.org_id, tenant_id).await?;
    if let Some(utr) = &details.utr {
        refuse_booked_utr(&mut tx, &caller, utr.as_str()).await?;
    }
    let mut book = ledger::load(&mut tx, caller.org_id, tenant_id).await?;
    let (allocations, credit) = match details.purpose {
        PaymentPurpose::Dues => {
            let open = book.open_items(tenant_id, None);
            let plan = allocate(details.amount, &open.items, &[])?;
            (plan.allocations, plan.credit)
        }
        PaymentPurpose::SecurityDeposit => (Vec::new(), Paise::ZERO),
    };
    let payment_id = Uuid::now_v7();
    let entry = details.ledger_entry(Uuid::now_v7(), tenant_id, payment_id, allocations.clone());
    book.check(&entry)?;
    let mut receipts =
        LockedSeries::lock(&mut tx, caller.org_id, SeriesKind::Receipt, RECEIPT_PREFIX).await?;
    let receipt = receipts.next(today)?;
    receipts.save(&mut tx).await?;
    sqlx::query(
        "INSERT INTO payment (id, org_id, receipt_number, tenant_id, mode, purpose, amount_paise, paid_on, \
         utr, cheque_number, cheque_bank, cheque_state, note, user_id, desk_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(payment_id)
    .bind(caller.org_id)
    .bind(&receipt.number)
    .bind(tenant_id)
    .bind(details.mode.code())
    .bind(match details.purpose {
        PaymentPurpose::Dues => "dues",
        PaymentPurpose::SecurityDeposit => "security_deposit",
    })
    .bind(details.amount.as_i64())
    .bind(details.paid_on)
    .bind(details.utr.as_ref().map(|u| u.as_str().to_string()))
    .bind(details.cheque.as_ref().map(|c| c.number.clone()))
    .bind(details.cheque.as_ref().map(|c| c.bank.clone()))
    .bind(details.cheque.as_ref().map(|c| c.state.code()))
    .bind(&details.note)
    .bind(caller.user_id)
    .bind(caller.desk_id.as_deref())
    .execute(&mut *tx)
    .await?;
    ledger::append(&mut tx, &caller, &mut book, entry).await?;
    let applied: Vec<AppliedAmount> = allocations
        .iter()
        .map(|a| AppliedAmount {
            item_entry_id: a.item_entry_id,
            invoice_id: book.entry(a.item_entry_id).and_then(|e| e.invoice_id),
            amount_paise: a.amount.as_i64(),
        })
        .collect();
    let payment = fetch(&mut tx, &caller, payment_id, false).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "record",
            entity: "payment",
            entity_id: payment_id,
            before: None,
            after: audit::snapshot(&Recorded {
                payment: &payment,
                applied: &applied,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    let open = book.open_items(tenant_id, None);
    Ok(created(RecordedPayment {
        receipt_note: details.receipt_note(),
        credit_paise: credit.as_i64(),
        balance: ledger::balance_of(&book, tenant_id, &open),
        payment,
        applied,
    }))
}

/// Undoes a payment booked in error by a reversal entry (owner, manager);
/// its UTR may then be booked again. The payment's invoices are open again.
#[utoipa::path(post, path = "/api/v1/payments/{id}/reverse", tag = "payments", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReverseBody,
    responses((status = 200, body = ReversedPayment), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody),
    (status = 409, description = "Already reversed", body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn reverse(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Json(body): Json<ReverseBody>,
) -> ApiResult<Json<ReversedPayment>> {
    caller.require(Action::ReverseMoney)?;
    let reason = body.reason.trim().to_string();
    if reason.is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "Say why the payment is reversed",
        ));
    }
    if reason.chars().count() > 200 || reason.contains('\0') {
        return Err(ApiError::invalid(
            "reason",
            "Reason must be at most 200 characters",
        ));
    }
    let today = today_in_india();
    let on = parse_optional_date(body.on.as_deref(), "on", "Reversal date")?.unwrap_or(today);
    if on > today {
        return Err(ApiError::invalid(
            "on",
            format!(
                "Reversal date cannot be after today ({})",
                format_date(today)
            ),
        ));
    }
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let before = fetch(&mut tx, &caller, id, true).await?;
    if before.reversed_on.is_some() {
        return Err(ApiError::conflict(format!(
            "Payment {} is already reversed",
            before.receipt_number
        )));
    }
    ledger::lock_account(&mut tx, caller.org_id, before.tenant_id).await?;
    let mut book = ledger::load(&mut tx, caller.org_id, before.tenant_id).await?;
    let standing = book
        .entries()
        .iter()
        .find(|e| {
            e.payment_id == Some(id)
                && matches!(e.kind, EntryKind::Payment | EntryKind::DepositHeld)
                && !book.is_reversed(e.id)
        })
        .cloned()
        .ok_or_else(|| {
            ApiError::conflict(format!(
                "Payment {} is already reversed",
                before.receipt_number
            ))
        })?;
    let reversal = LedgerEntry::reversal_of(
        &standing,
        Uuid::now_v7(),
        on,
        &format!("Payment {} reversed: {reason}", before.receipt_number),
    );
    ledger::append(&mut tx, &caller, &mut book, reversal).await?;
    sqlx::query(
        "UPDATE payment SET reversed_on = $3, reverse_reason = $4 WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org_id)
    .bind(id)
    .bind(on)
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, &caller, id, false).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "reverse",
            entity: "payment",
            entity_id: id,
            before: audit::snapshot(&before),
            after: audit::snapshot(&after),
        },
    )
    .await?;
    tx.commit().await?;
    let open = book.open_items(after.tenant_id, None);
    Ok(Json(ReversedPayment {
        balance: ledger::balance_of(&book, after.tenant_id, &open),
        payment: after,
    }))
}

/// One payment (owner, manager, accountant; front desk at the tenant's
/// property).
#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PaymentOut), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<PaymentOut>> {
    caller.require(Action::ReadMoney)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let payment = fetch(&mut tx, &caller, id, false).await?;
    tx.commit().await?;
    Ok(Json(payment))
}

/// Lists payments, newest booked first (owner, manager, accountant; front
/// desk for the tenants of their properties).
#[utoipa::path(get, path = "/api/v1/payments", tag = "payments", security(("bearer" = [])),
    params(PageQuery, PaymentFilter),
    responses((status = 200, body = Page<PaymentOut>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
    Query(filter): Query<PaymentFilter>,
) -> ApiResult<Json<Page<PaymentOut>>> {
    caller.require(Action::ReadMoney)?;
    let (limit, offset) = page.bounds()?;
    let scope = caller.scope();
    // Only the filters asked for (see allocations::list); a scope is `$2`,
    // as tenants::VISIBLE reads it.
    let mut clauses = vec!["p.org_id = $1".to_string()];
    if scope.is_some() {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM tenant t WHERE {} AND t.id = p.tenant_id)",
            tenants::VISIBLE
        ));
    }
    if filter.tenant_id.is_some() {
        clauses.push(format!("p.tenant_id = ${}", clauses.len() + 1));
    }
    let next = clauses.len() + 1;
    let filter_sql = clauses.join(" AND ");
    let total_sql = if next == 2 {
        "(SELECT c.n FROM org_count c WHERE c.org_id = $1 AND c.entity = 'payment')".to_string()
    } else {
        format!("(SELECT count(*) FROM payment p WHERE {filter_sql})")
    };
    let sql = format!(
        "SELECT {COLUMNS}, {total_sql} AS page_total FROM payment p \
         WHERE p.org_id = $1 AND p.id = ANY(ARRAY( \
               SELECT p.id FROM payment p WHERE {filter_sql} \
               ORDER BY p.recorded_at DESC, p.id LIMIT ${next} OFFSET ${})) \
         ORDER BY p.recorded_at DESC, p.id",
        next + 1
    );
    let count_sql = format!("SELECT count(*) FROM payment p WHERE {filter_sql}");
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let mut select = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(caller.org_id);
    let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(caller.org_id);
    if let Some(scope) = &scope {
        select = select.bind(scope.clone());
        count = count.bind(scope.clone());
    }
    if let Some(t) = filter.tenant_id {
        select = select.bind(t);
        count = count.bind(t);
    }
    let rows: Vec<Counted<PaymentOut>> =
        select.bind(limit).bind(offset).fetch_all(&mut *tx).await?;
    let (items, total) = split_counted(rows);
    let total: i64 = match total {
        Some(total) => total,
        None if next == 2 => super::org_count(&mut tx, caller.org_id, "payment").await?,
        None => count.fetch_one(&mut *tx).await?,
    };
    tx.commit().await?;
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}
