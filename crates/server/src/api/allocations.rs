//! Allocations: a tenant on a bed over [move_in, move_out). The domain
//! refuses overlaps with a message naming the other tenant; the database's
//! exclusion constraint is the second wall.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use multipms_domain::allocation::{plan_move_out, AllocationInput, ExistingAllocation};
use multipms_domain::dates::parse_date_labelled;
use multipms_domain::{check_no_overlap, Stay};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{beds, created, split_counted, tenants, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// An allocation as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct AllocationOut {
    /// Id.
    pub id: Uuid,
    /// The bed's property.
    pub property_id: Uuid,
    /// The bed.
    pub bed_id: Uuid,
    /// Its label.
    pub bed_label: String,
    /// The tenant.
    pub tenant_id: Uuid,
    /// Their name.
    pub tenant_name: String,
    /// First night.
    pub move_in: NaiveDate,
    /// First free day; absent while open-ended.
    pub move_out: Option<NaiveDate>,
}

const SELECT: &str = "SELECT a.id, a.property_id, a.bed_id, b.label AS bed_label, a.tenant_id, \
     t.full_name AS tenant_name, a.move_in, a.move_out \
     FROM allocation a \
     JOIN bed b ON b.org_id = a.org_id AND b.id = a.bed_id \
     JOIN tenant t ON t.org_id = a.org_id AND t.id = a.tenant_id";

/// The allocation form.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AllocationBody {
    /// The bed.
    pub bed_id: Option<Uuid>,
    /// The tenant.
    pub tenant_id: Option<Uuid>,
    /// First night, DD/MM/YYYY.
    pub move_in: String,
    /// First free day, DD/MM/YYYY; blank while not known.
    pub move_out: Option<String>,
}

/// The move-out form.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MoveOutBody {
    /// First free day, DD/MM/YYYY.
    pub move_out: String,
}

/// Filters of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AllocationFilter {
    /// Only this bed's.
    pub bed_id: Option<Uuid>,
    /// Only this tenant's.
    pub tenant_id: Option<Uuid>,
}

/// An allocation the caller may see.
pub async fn fetch(tx: &mut OrgTx, caller: &Caller, id: Uuid) -> ApiResult<AllocationOut> {
    let allocation: Option<AllocationOut> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.org_id = $1 AND a.id = $2"
    )))
    .bind(caller.org_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    allocation
        .filter(|a| caller.in_scope(a.property_id))
        .ok_or_else(|| ApiError::not_found("Allocation"))
}

/// The other allocations of a bed, as the domain reads them.
async fn others_on_bed(
    tx: &mut OrgTx,
    caller: &Caller,
    bed_id: Uuid,
    except: Option<Uuid>,
) -> ApiResult<Vec<ExistingAllocation>> {
    let rows: Vec<AllocationOut> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.org_id = $1 AND a.bed_id = $2 AND a.id IS DISTINCT FROM $3"
    )))
    .bind(caller.org_id)
    .bind(bed_id)
    .bind(except)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|a| ExistingAllocation {
            bed_label: a.bed_label,
            tenant_name: a.tenant_name,
            move_in: a.move_in,
            move_out: a.move_out,
        })
        .collect())
}

/// Locks a bed's row so two desks allocating it queue up.
async fn lock_bed(tx: &mut OrgTx, caller: &Caller, bed_id: Uuid) -> ApiResult<()> {
    sqlx::query("SELECT 1 FROM bed WHERE org_id = $1 AND id = $2 FOR UPDATE")
        .bind(caller.org_id)
        .bind(bed_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Lists allocations the caller may see, newest move-in first.
#[utoipa::path(get, path = "/api/v1/allocations", tag = "allocations", security(("bearer" = [])),
    params(PageQuery, AllocationFilter), responses((status = 200, body = Page<AllocationOut>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
    Query(filter): Query<AllocationFilter>,
) -> ApiResult<Json<Page<AllocationOut>>> {
    caller.require(Action::ReadPortfolio)?;
    let (limit, offset) = page.bounds()?;
    let scope = caller.scope();
    // Only the filters asked for: `($n IS NULL OR …)` lets a cached generic
    // plan sort every allocation of the organisation for each page.
    let mut clauses = vec!["a.org_id = $1".to_string()];
    if scope.is_some() {
        clauses.push(format!("a.property_id = ANY(${})", clauses.len() + 1));
    }
    if filter.bed_id.is_some() {
        clauses.push(format!("a.bed_id = ${}", clauses.len() + 1));
    }
    if filter.tenant_id.is_some() {
        clauses.push(format!("a.tenant_id = ${}", clauses.len() + 1));
    }
    let next = clauses.len() + 1;
    let filter_sql = clauses.join(" AND ");
    // The total comes with the page: from `org_count` when nothing narrows
    // the list, else counted by the same query.
    let total_sql = if next == 2 {
        "(SELECT c.n FROM org_count c WHERE c.org_id = $1 AND c.entity = 'allocation')".to_string()
    } else {
        format!("(SELECT count(*) FROM allocation a WHERE {filter_sql})")
    };
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    // The page's ids first (walking allocation_org_move_in alone: the rows
    // skipped are not read from the table), then its rows, the bed's label
    // and the tenant's name for them only (as joins, a cached generic plan
    // hashes every bed and tenant of the organisation).
    let mut select = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT a.id, a.property_id, a.bed_id, \
         (SELECT b.label FROM bed b WHERE b.org_id = a.org_id AND b.id = a.bed_id) AS bed_label, \
         a.tenant_id, \
         (SELECT t.full_name FROM tenant t WHERE t.org_id = a.org_id AND t.id = a.tenant_id) AS tenant_name, \
         a.move_in, a.move_out, {total_sql} AS page_total \
         FROM allocation a WHERE a.org_id = $1 AND a.id = ANY(ARRAY( \
               SELECT a.id FROM allocation a WHERE {filter_sql} \
               ORDER BY a.move_in DESC, a.id LIMIT ${next} OFFSET ${})) \
         ORDER BY a.move_in DESC, a.id",
        next + 1
    )))
    .bind(caller.org_id);
    if let Some(scope) = &scope {
        select = select.bind(scope.clone());
    }
    if let Some(bed_id) = filter.bed_id {
        select = select.bind(bed_id);
    }
    if let Some(tenant_id) = filter.tenant_id {
        select = select.bind(tenant_id);
    }
    let rows: Vec<Counted<AllocationOut>> =
        select.bind(limit).bind(offset).fetch_all(&mut *tx).await?;
    let (items, total) = split_counted(rows);
    let total: i64 = match total {
        Some(total) => total,
        None if next == 2 => super::org_count(&mut tx, caller.org_id, "allocation").await?,
        None => {
            let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM allocation a WHERE {filter_sql}"
            )))
            .bind(caller.org_id);
            if let Some(scope) = &scope {
                count = count.bind(scope.clone());
            }
            if let Some(bed_id) = filter.bed_id {
                count = count.bind(bed_id);
            }
            if let Some(tenant_id) = filter.tenant_id {
                count = count.bind(tenant_id);
            }
            count.fetch_one(&mut *tx).await?
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

/// One allocation.
#[utoipa::path(get, path = "/api/v1/allocations/{id}", tag = "allocations", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = AllocationOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AllocationOut>> {
    caller.require(Action::ReadPortfolio)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let allocation = fetch(&mut tx, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(allocation))
}

/// Puts a tenant on a bed (owner, manager, front desk at the property).
#[utoipa::path(post, path = "/api/v1/allocations", tag = "allocations", security(("bearer" = [])),
    request_body = AllocationBody, responses((status = 201, body = AllocationOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 409, description = "The bed is let for some of these dates", body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<AllocationBody>,
) -> ApiResult<Response> {
    caller.require(Action::WriteOccupancy)?;
    let bed_id = body
        .bed_id
        .ok_or_else(|| ApiError::invalid("bed_id", "Choose the bed"))?;
    let tenant_id = body
        .tenant_id
        .ok_or_else(|| ApiError::invalid("tenant_id", "Choose the tenant"))?;
    let stay = AllocationInput {
        move_in: body.move_in,
        move_out: body.move_out,
    }
    .validate()?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let bed = beds::fetch(&mut tx, &caller, bed_id).await?;
    tenants::fetch(&mut tx, &caller, tenant_id).await?;
    lock_bed(&mut tx, &caller, bed_id).await?;
    check_no_overlap(&stay, &others_on_bed(&mut tx, &caller, bed_id, None).await?)?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO allocation (id, org_id, property_id, bed_id, tenant_id, move_in, move_out) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(caller.org_id)
    .bind(bed.property_id)
    .bind(bed_id)
    .bind(tenant_id)
    .bind(stay.move_in())
    .bind(stay.move_out())
    .execute(&mut *tx)
    .await?;
    let allocation = fetch(&mut tx, &caller, id).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "create",
            entity: "allocation",
            entity_id: id,
            before: None,
            after: audit::snapshot(&allocation),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created(allocation))
}

/// Sets the move-out date (first free day) of an allocation.
#[utoipa::path(post, path = "/api/v1/allocations/{id}/move-out", tag = "allocations", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = MoveOutBody, responses((status = 200, body = AllocationOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn move_out(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Json(body): Json<MoveOutBody>,
) -> ApiResult<Json<AllocationOut>> {
    caller.require(Action::WriteOccupancy)?;
    let day = parse_date_labelled(&body.move_out, "move_out", "Move-out date")?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let before = fetch(&mut tx, &caller, id).await?;
    lock_bed(&mut tx, &caller, before.bed_id).await?;
    let stay = Stay::new(before.move_in, before.move_out)?;
    let after_stay = plan_move_out(&stay, day)?;
    check_no_overlap(
        &after_stay,
        &others_on_bed(&mut tx, &caller, before.bed_id, Some(id)).await?,
    )?;
    sqlx::query(
        "UPDATE allocation SET move_out = $3, updated_at = now() WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org_id)
    .bind(id)
    .bind(after_stay.move_out())
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, &caller, id).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "move_out",
            entity: "allocation",
            entity_id: id,
            before: audit::snapshot(&before),
            after: audit::snapshot(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(after))
}
