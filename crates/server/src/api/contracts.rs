//! Contracts: the terms of a tenant's stay (rent, deposit, billing day,
//! lock-in, notice, yearly escalation), one per allocation, checked by
//! `multipms_domain::contract`.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use multipms_domain::contract::{ContractInput, ContractStatus, ContractTerms};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{allocations, created, split_counted, tenants, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// A contract as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ContractOut {
    /// Id.
    pub id: Uuid,
    /// The tenant.
    pub tenant_id: Uuid,
    /// The stay it governs.
    pub allocation_id: Uuid,
    /// The stay's property.
    pub property_id: Uuid,
    /// Rent per month before escalation.
    pub monthly_rent_paise: i64,
    /// Refundable security deposit.
    pub deposit_paise: i64,
    /// Day of the month rent falls due, 1–28.
    pub billing_day: i16,
    /// Lock-in, months from the start.
    pub lock_in_months: i16,
    /// Notice period, days.
    pub notice_days: i16,
    /// Yearly escalation in basis points (500 = 5%).
    pub escalation_bp: i32,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day (inclusive); absent while open-ended.
    pub ends_on: Option<NaiveDate>,
    /// draft, active or ended.
    pub status: String,
    /// When made.
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "c.id, c.tenant_id, c.allocation_id, c.property_id, c.monthly_rent_paise, \
     c.deposit_paise, c.billing_day, c.lock_in_months, c.notice_days, c.escalation_bp, c.starts_on, \
     c.ends_on, c.status, c.created_at";

impl ContractOut {
    /// The terms, as the domain reads them.
    pub fn terms(&self) -> ApiResult<ContractTerms> {
        let small = |n: i64, what: &str| {
            u16::try_from(n)
                .map_err(|_| ApiError::internal(format!("contract {}: {what} {n}", self.id)))
        };
        Ok(ContractTerms {
            monthly_rent: multipms_domain::Paise(self.monthly_rent_paise),
            security_deposit: multipms_domain::Paise(self.deposit_paise),
            billing_day: u8::try_from(self.billing_day)
                .map_err(|_| ApiError::internal(format!("contract {}: billing day", self.id)))?,
            lock_in_months: small(self.lock_in_months.into(), "lock-in")?,
            notice_days: small(self.notice_days.into(), "notice")?,
            yearly_escalation_bp: u32::try_from(self.escalation_bp)
                .map_err(|_| ApiError::internal(format!("contract {}: escalation", self.id)))?,
            start_date: self.starts_on,
            end_date: self.ends_on,
            status: ContractStatus::parse(&self.status, "status")?,
        })
    }
}

/// The contract form: the stay and the fields of
/// `multipms_domain::contract::ContractInput`.
#[derive(Deserialize, ToSchema)]
pub struct ContractBody {
    /// The tenant's stay (allocation) the contract governs.
    pub allocation_id: Option<Uuid>,
    /// monthly_rent, security_deposit (rupees, e.g. "12,500"), billing_day,
    /// lock_in_months, notice_days, yearly_escalation_percent, start_date,
    /// end_date (DD/MM/YYYY), status (draft, active, ended).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub terms: ContractInput,
}

/// The contracts of a property that run in [first, end) — for billing.
pub async fn of_property(
    tx: &mut OrgTx,
    org_id: Uuid,
    property_id: Uuid,
    first: NaiveDate,
    end: NaiveDate,
) -> ApiResult<Vec<ContractOut>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contract c \
         WHERE c.org_id = $1 AND c.property_id = $2 AND c.starts_on < $3 \
           AND (c.ends_on IS NULL OR c.ends_on >= $4) \
         ORDER BY c.starts_on, c.id"
    )))
    .bind(org_id)
    .bind(property_id)
    .bind(end)
    .bind(first)
    .fetch_all(&mut **tx)
    .await?)
}

/// A tenant's contracts, newest first (owner, manager, accountant; front
/// desk at their properties).
#[utoipa::path(get, path = "/api/v1/tenants/{id}/contracts", tag = "contracts", security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<ContractOut>), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<ContractOut>>> {
    caller.require(Action::ReadMoney)?;
    let (limit, offset) = page.bounds()?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    tenants::check_visible(&mut tx, &caller, id).await?;
    let rows: Vec<Counted<ContractOut>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, count(*) OVER () AS page_total FROM contract c \
         WHERE c.org_id = $1 AND c.tenant_id = $2 \
         ORDER BY c.starts_on DESC, c.id LIMIT $3 OFFSET $4"
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
            sqlx::query_scalar("SELECT count(*) FROM contract WHERE org_id = $1 AND tenant_id = $2")
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

/// Makes the contract of one of the tenant's stays (owner, manager, front
/// desk at the property).
#[utoipa::path(post, path = "/api/v1/tenants/{id}/contracts", tag = "contracts", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ContractBody,
    responses((status = 201, body = ContractOut), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody),
    (status = 409, description = "The stay already has a contract", body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Json(body): Json<ContractBody>,
) -> ApiResult<Response> {
    caller.require(Action::WriteMoney)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    tenants::check_visible(&mut tx, &caller, id).await?;
    let allocation_id = body
        .allocation_id
        .ok_or_else(|| ApiError::invalid("allocation_id", "Choose the stay the contract is for"))?;
    let terms = body.terms.validate()?;
    let allocation = allocations::fetch(&mut tx, &caller, allocation_id).await?;
    if allocation.tenant_id != id {
        return Err(ApiError::invalid(
            "allocation_id",
            "This stay is another tenant's; choose one of this tenant's stays",
        ));
    }
    let taken: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM contract WHERE org_id = $1 AND allocation_id = $2")
            .bind(caller.org_id)
            .bind(allocation_id)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(ApiError::conflict(format!(
            "The stay on bed {} from {} already has a contract",
            allocation.bed_label,
            multipms_domain::dates::format_date(allocation.move_in)
        )));
    }
    let contract_id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO contract (id, org_id, property_id, tenant_id, allocation_id, monthly_rent_paise, \
         deposit_paise, billing_day, lock_in_months, notice_days, escalation_bp, starts_on, ends_on, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(contract_id)
    .bind(caller.org_id)
    .bind(allocation.property_id)
    .bind(id)
    .bind(allocation_id)
    .bind(terms.monthly_rent.as_i64())
    .bind(terms.security_deposit.as_i64())
    .bind(i16::from(terms.billing_day))
    .bind(i16::try_from(terms.lock_in_months).map_err(ApiError::internal)?)
    .bind(i16::try_from(terms.notice_days).map_err(ApiError::internal)?)
    .bind(i32::try_from(terms.yearly_escalation_bp).map_err(ApiError::internal)?)
    .bind(terms.start_date)
    .bind(terms.end_date)
    .bind(terms.status.code())
    .execute(&mut *tx)
    .await?;
    let contract: ContractOut = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM contract c WHERE c.org_id = $1 AND c.id = $2"
    )))
    .bind(caller.org_id)
    .bind(contract_id)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "create",
            entity: "contract",
            entity_id: contract_id,
            before: None,
            after: audit::snapshot(&contract),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created(contract))
}
