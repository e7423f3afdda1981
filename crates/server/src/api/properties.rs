//! Properties: the buildings of the business.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use multipms_domain::indian_state::INDIAN_STATES;
use multipms_domain::property::{PropertyDetails, PropertyInput};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{created, split_counted, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// A property as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PropertyOut {
    /// Id.
    pub id: Uuid,
    /// Name tenants know it by.
    pub name: String,
    /// Building, street.
    pub address_line1: String,
    /// Area, landmark.
    pub address_line2: Option<String>,
    /// City or town.
    pub city: String,
    /// State or union territory.
    pub state: String,
    /// GST state code.
    pub state_code: i16,
    /// PIN code.
    pub pin_code: String,
    /// GSTIN, if registered.
    pub gstin: Option<String>,
    /// Invoice series code.
    pub code: String,
    /// UPI ID for payments.
    pub upi_id: Option<String>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, name, address_line1, address_line2, city, state, state_code, pin_code, \
     gstin, code, upi_id, created_at, updated_at";

/// The property form (see `multipms_domain::property::PropertyInput`); the
/// limits are the ones its validation applies.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PropertyForm {
    #[schema(min_length = 1, max_length = 120)]
    name: String,
    #[schema(min_length = 1, max_length = 200)]
    address_line1: String,
    #[schema(max_length = 200)]
    address_line2: Option<String>,
    #[schema(min_length = 1, max_length = 80)]
    city: String,
    #[schema(inline)]
    state: StateName,
    /// Six digits, not starting with 0: 560034.
    #[schema(pattern = "^[1-9][0-9]{5}$")]
    pin_code: String,
    /// The property's GSTIN, registered in its state: 29ABCDE1234F1Z5.
    #[schema(pattern = "^[0-9]{2}[A-Za-z]{5}[0-9]{4}[A-Za-z][0-9A-Za-z]{3}$")]
    gstin: Option<String>,
    /// 2 to 6 letters or digits: BLR1.
    #[schema(pattern = "^[A-Za-z0-9]{2,6}$")]
    code: String,
    /// Where tenants pay by UPI: name@bank.
    #[schema(pattern = "^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9.-]{2,63}$")]
    upi_id: Option<String>,
}

/// A state or union territory by its name: the schema lists the names the
/// property form takes (`multipms_domain::indian_state::INDIAN_STATES`).
pub struct StateName;

impl utoipa::PartialSchema for StateName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("State or union territory, by name: Karnataka."))
            .enum_values(Some(INDIAN_STATES.iter().map(|s| s.name)))
            .into()
    }
}

impl ToSchema for StateName {}

/// A property of the caller's organisation within their properties.
pub async fn fetch(tx: &mut OrgTx, caller: &Caller, id: Uuid) -> ApiResult<PropertyOut> {
    let property: Option<PropertyOut> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM property WHERE org_id = $1 AND id = $2"
    )))
    .bind(caller.org_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    property
        .filter(|p| caller.in_scope(p.id))
        .ok_or_else(|| ApiError::not_found("Property"))
}

/// Lists the properties the caller may see.
#[utoipa::path(get, path = "/api/v1/properties", tag = "properties", security(("bearer" = [])),
    params(PageQuery), responses((status = 200, body = Page<PropertyOut>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<PropertyOut>>> {
    caller.require(Action::ReadPortfolio)?;
    let (limit, offset) = page.bounds()?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let scope = caller.scope();
    let rows: Vec<Counted<PropertyOut>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, (SELECT count(*) FROM property p WHERE p.org_id = $1 \
         AND ($2::uuid[] IS NULL OR p.id = ANY($2))) AS page_total \
         FROM property WHERE org_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2)) \
         ORDER BY name, id LIMIT $3 OFFSET $4"
    )))
    .bind(caller.org_id)
    .bind(&scope)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *tx)
    .await?;
    let (items, total) = split_counted(rows);
    let total: i64 = match total {
        Some(total) => total,
        None => {
            sqlx::query_scalar(
                "SELECT count(*) FROM property WHERE org_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2))",
            )
            .bind(caller.org_id)
            .bind(&scope)
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

/// One property.
#[utoipa::path(get, path = "/api/v1/properties/{id}", tag = "properties", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = PropertyOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<PropertyOut>> {
    caller.require(Action::ReadPortfolio)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let property = fetch(&mut tx, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(property))
}

async fn code_taken(
    tx: &mut OrgTx,
    caller: &Caller,
    code: &str,
    except: Option<Uuid>,
) -> ApiResult<()> {
    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM property WHERE org_id = $1 AND code = $2 AND id IS DISTINCT FROM $3)",
    )
    .bind(caller.org_id)
    .bind(code)
    .bind(except)
    .fetch_one(&mut **tx)
    .await?;
    if taken {
        return Err(ApiError::invalid(
            "code",
            format!("Another property already uses the code {code}; each property needs its own invoice series"),
        ));
    }
    Ok(())
}

fn bind_details<'q>(
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    d: &'q PropertyDetails,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(&d.name)
        .bind(&d.address_line1)
        .bind(&d.address_line2)
        .bind(&d.city)
        .bind(d.state)
        .bind(i16::from(d.state_code))
        .bind(d.pin_code.as_str())
        .bind(d.gstin.as_ref().map(|g| g.as_str()))
        .bind(d.code.as_str())
        .bind(d.upi_id.as_ref().map(|u| u.as_str()))
}

/// Adds a property (owner, manager).
#[utoipa::path(post, path = "/api/v1/properties", tag = "properties", security(("bearer" = [])),
    request_body = PropertyForm, responses((status = 201, body = PropertyOut),
    (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<PropertyInput>,
) -> ApiResult<Response> {
    caller.require(Action::WriteProperties)?;
    let details = input.validate()?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    code_taken(&mut tx, &caller, details.code.as_str(), None).await?;
    let id = Uuid::now_v7();
    bind_details(
        sqlx::query(
            "INSERT INTO property (id, org_id, name, address_line1, address_line2, city, state, state_code, \
             pin_code, gstin, code, upi_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id)
        .bind(caller.org_id),
        &details,
    )
    .execute(&mut *tx)
    .await?;
    let property = fetch(&mut tx, &caller, id).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "create",
            entity: "property",
            entity_id: id,
            before: None,
            after: audit::snapshot(&property),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created(property))
}

/// Changes a property (owner, manager).
#[utoipa::path(put, path = "/api/v1/properties/{id}", tag = "properties", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = PropertyForm, responses((status = 200, body = PropertyOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Json(input): Json<PropertyInput>,
) -> ApiResult<Json<PropertyOut>> {
    caller.require(Action::WriteProperties)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let before = fetch(&mut tx, &caller, id).await?;
    let details = input.validate()?;
    code_taken(&mut tx, &caller, details.code.as_str(), Some(id)).await?;
    bind_details(
        sqlx::query(
            "UPDATE property SET name = $3, address_line1 = $4, address_line2 = $5, city = $6, state = $7, \
             state_code = $8, pin_code = $9, gstin = $10, code = $11, upi_id = $12, updated_at = now() \
             WHERE id = $1 AND org_id = $2",
        )
        .bind(id)
        .bind(caller.org_id),
        &details,
    )
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, &caller, id).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "update",
            entity: "property",
            entity_id: id,
            before: audit::snapshot(&before),
            after: audit::snapshot(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(after))
}
