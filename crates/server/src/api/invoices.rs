//! Invoices: issued by a billing run (see [`super::billing`]), read here.
//! Their amounts never change; the database refuses it.

use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use multipms_domain::billing::BillingMonth;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{split_counted, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::db::begin_org;
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// An invoice as the list shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct InvoiceOut {
    /// Id.
    pub id: Uuid,
    /// Invoice number, e.g. BLR1/26-27/00042.
    pub number: String,
    /// The property.
    pub property_id: Uuid,
    /// The contract billed.
    pub contract_id: Uuid,
    /// The tenant billed.
    pub tenant_id: Uuid,
    /// Their name.
    pub tenant_name: String,
    /// The month billed, YYYY-MM.
    pub month: String,
    /// Invoice date.
    pub invoice_date: NaiveDate,
    /// Due date.
    pub due_on: NaiveDate,
    /// Tax Invoice, Bill of Supply or Invoice.
    pub title: String,
    /// The GST rule that applied.
    pub gst_rule: String,
    /// none, forward or reverse.
    pub gst_charge: String,
    /// SAC code.
    pub sac: String,
    /// Value before tax.
    pub taxable_value_paise: i64,
    /// CGST.
    pub cgst_paise: i64,
    /// SGST.
    pub sgst_paise: i64,
    /// IGST.
    pub igst_paise: i64,
    /// Rounding to the rupee.
    pub round_off_paise: i64,
    /// What the tenant pays.
    pub total_paise: i64,
    /// The total in words (lakh and crore).
    pub amount_in_words: String,
    /// issued or cancelled.
    pub status: String,
    /// When issued.
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "i.id, i.number, i.property_id, i.contract_id, i.tenant_id, \
     (SELECT t.full_name FROM tenant t WHERE t.org_id = i.org_id AND t.id = i.tenant_id) AS tenant_name, \
     i.month, i.invoice_date, i.due_on, i.title, i.gst_rule, i.gst_charge, i.sac, i.taxable_value_paise, \
     i.cgst_paise, i.sgst_paise, i.igst_paise, i.round_off_paise, i.total_paise, i.amount_in_words, \
     i.status, i.created_at";

/// One line of an invoice.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct InvoiceLineOut {
    /// From 1.
    pub position: i16,
    /// rent, discount or charge:KIND.
    pub kind: String,
    /// Printed text.
    pub description: String,
    /// SAC code.
    pub sac: String,
    /// Value before tax.
    pub taxable_value_paise: i64,
    /// CGST.
    pub cgst_paise: i64,
    /// SGST.
    pub sgst_paise: i64,
    /// IGST.
    pub igst_paise: i64,
    /// What the line adds to the total.
    pub total_paise: i64,
}

/// An invoice with its lines and notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceDetail {
    /// The invoice.
    #[serde(flatten)]
    pub invoice: InvoiceOut,
    /// Its lines.
    pub lines: Vec<InvoiceLineOut>,
    /// Printed notes: the GST rule, a reverse charge statement.
    pub notes: Vec<String>,
}

/// Filters of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceFilter {
    /// Only this property's.
    pub property_id: Option<Uuid>,
    /// Only this month's: MM/YYYY or YYYY-MM.
    pub month: Option<String>,
    /// Only this tenant's.
    pub tenant_id: Option<Uuid>,
}

/// Lists invoices, newest first (owner, manager, accountant; front desk at
/// their properties).
#[utoipa::path(get, path = "/api/v1/invoices", tag = "invoices", security(("bearer" = [])),
    params(PageQuery, InvoiceFilter),
    responses((status = 200, body = Page<InvoiceOut>), (status = 403, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
    Query(filter): Query<InvoiceFilter>,
) -> ApiResult<Json<Page<InvoiceOut>>> {
    caller.require(Action::ReadMoney)?;
    let (limit, offset) = page.bounds()?;
    let month = filter
        .month
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(|m| BillingMonth::parse(m, "month"))
        .transpose()?;
    let scope = caller.scope();
    // Only the filters asked for (see allocations::list).
    let mut clauses = vec!["i.org_id = $1".to_string()];
    if scope.is_some() {
        clauses.push(format!("i.property_id = ANY(${})", clauses.len() + 1));
    }
    if filter.property_id.is_some() {
        clauses.push(format!("i.property_id = ${}", clauses.len() + 1));
    }
    if month.is_some() {
        clauses.push(format!("i.month = ${}", clauses.len() + 1));
    }
    if filter.tenant_id.is_some() {
        clauses.push(format!("i.tenant_id = ${}", clauses.len() + 1));
    }
    let next = clauses.len() + 1;
    let filter_sql = clauses.join(" AND ");
    let total_sql = if next == 2 {
        "(SELECT c.n FROM org_count c WHERE c.org_id = $1 AND c.entity = 'invoice')".to_string()
    } else {
        format!("(SELECT count(*) FROM invoice i WHERE {filter_sql})")
    };
    let sql = format!(
        "SELECT {COLUMNS}, {total_sql} AS page_total FROM invoice i WHERE i.org_id = $1 AND i.id = ANY(ARRAY( \
           SELECT i.id FROM invoice i WHERE {filter_sql} \
           ORDER BY i.invoice_date DESC, i.id LIMIT ${next} OFFSET ${})) \
         ORDER BY i.invoice_date DESC, i.id",
        next + 1
    );
    let count_sql = format!("SELECT count(*) FROM invoice i WHERE {filter_sql}");
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let mut select = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(caller.org_id);
    let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(caller.org_id);
    if let Some(scope) = &scope {
        select = select.bind(scope.clone());
        count = count.bind(scope.clone());
    }
    if let Some(p) = filter.property_id {
        select = select.bind(p);
        count = count.bind(p);
    }
    if let Some(m) = month {
        select = select.bind(m.key());
        count = count.bind(m.key());
    }
    if let Some(t) = filter.tenant_id {
        select = select.bind(t);
        count = count.bind(t);
    }
    let rows: Vec<Counted<InvoiceOut>> =
        select.bind(limit).bind(offset).fetch_all(&mut *tx).await?;
    let (items, total) = split_counted(rows);
    let total: i64 = match total {
        Some(total) => total,
        None if next == 2 => super::org_count(&mut tx, caller.org_id, "invoice").await?,
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

/// One invoice with its lines (owner, manager, accountant; front desk at
/// their properties).
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "invoices", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = InvoiceDetail), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<InvoiceDetail>> {
    caller.require(Action::ReadMoney)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let invoice: Option<InvoiceOut> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM invoice i WHERE i.org_id = $1 AND i.id = $2"
    )))
    .bind(caller.org_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let invoice = invoice
        .filter(|i| caller.in_scope(i.property_id))
        .ok_or_else(|| ApiError::not_found("Invoice"))?;
    let notes: Value =
        sqlx::query_scalar("SELECT notes FROM invoice WHERE org_id = $1 AND id = $2")
            .bind(caller.org_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let lines: Vec<InvoiceLineOut> = sqlx::query_as(
        "SELECT position, kind, description, sac, taxable_value_paise, cgst_paise, sgst_paise, \
         igst_paise, total_paise FROM invoice_line WHERE org_id = $1 AND invoice_id = $2 ORDER BY position",
    )
    .bind(caller.org_id)
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let notes = serde_json::from_value(notes).map_err(ApiError::internal)?;
    Ok(Json(InvoiceDetail {
        invoice,
        lines,
        notes,
    }))
}
