//! Beds of a room.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use multipms_domain::bed::BedInput;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{created, rooms, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// A bed as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct BedOut {
    /// Id.
    pub id: Uuid,
    /// Its property.
    pub property_id: Uuid,
    /// Its room.
    pub room_id: Uuid,
    /// Label: B-204-A.
    pub label: String,
}

/// The bed form (see `multipms_domain::bed::BedInput`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BedForm {
    /// B-204-D
    label: String,
}

/// A bed of the caller's organisation within their properties.
pub async fn fetch(tx: &mut OrgTx, caller: &Caller, id: Uuid) -> ApiResult<BedOut> {
    let bed: Option<BedOut> = sqlx::query_as(
        "SELECT id, property_id, room_id, label FROM bed WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    bed.filter(|b| caller.in_scope(b.property_id))
        .ok_or_else(|| ApiError::not_found("Bed"))
}

/// Inserts a checked bed label and records it.
pub async fn insert(
    tx: &mut OrgTx,
    caller: &Caller,
    property_id: Uuid,
    room_id: Uuid,
    label: &str,
) -> ApiResult<BedOut> {
    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM bed WHERE org_id = $1 AND room_id = $2 AND label = $3)",
    )
    .bind(caller.org_id)
    .bind(room_id)
    .bind(label)
    .fetch_one(&mut **tx)
    .await?;
    if taken {
        return Err(ApiError::invalid(
            "label",
            format!("Bed {label} already exists in this room"),
        ));
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO bed (id, org_id, property_id, room_id, label) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(caller.org_id)
    .bind(property_id)
    .bind(room_id)
    .bind(label)
    .execute(&mut **tx)
    .await?;
    let bed = BedOut {
        id,
        property_id,
        room_id,
        label: label.to_string(),
    };
    audit::record(
        tx,
        caller,
        Entry {
            action: "create",
            entity: "bed",
            entity_id: id,
            before: None,
            after: audit::snapshot(&bed),
        },
    )
    .await?;
    Ok(bed)
}

/// Lists the beds of a room.
#[utoipa::path(get, path = "/api/v1/rooms/{id}/beds", tag = "beds", security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery), responses((status = 200, body = Page<BedOut>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(room_id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<BedOut>>> {
    caller.require(Action::ReadPortfolio)?;
    let (limit, offset) = page.bounds()?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    rooms::fetch(&mut tx, &caller, room_id).await?;
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bed WHERE org_id = $1 AND room_id = $2")
            .bind(caller.org_id)
            .bind(room_id)
            .fetch_one(&mut *tx)
            .await?;
    let items: Vec<BedOut> = sqlx::query_as(
        "SELECT id, property_id, room_id, label FROM bed WHERE org_id = $1 AND room_id = $2 \
         ORDER BY label LIMIT $3 OFFSET $4",
    )
    .bind(caller.org_id)
    .bind(room_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}

/// One bed.
#[utoipa::path(get, path = "/api/v1/beds/{id}", tag = "beds", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = BedOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<BedOut>> {
    caller.require(Action::ReadPortfolio)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let bed = fetch(&mut tx, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(bed))
}

/// Adds a bed to a room (owner, manager).
#[utoipa::path(post, path = "/api/v1/rooms/{id}/beds", tag = "beds", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = BedForm, responses((status = 201, body = BedOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(room_id): Path<Uuid>,
    Json(input): Json<BedInput>,
) -> ApiResult<Response> {
    caller.require(Action::WriteProperties)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let room = rooms::fetch(&mut tx, &caller, room_id).await?;
    let details = input.validate()?;
    let bed = insert(&mut tx, &caller, room.property_id, room_id, &details.label).await?;
    tx.commit().await?;
    Ok(created(bed))
}
