//! Rooms of a property, each made with its beds.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use multipms_domain::room::{floor_label, RoomInput};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{created, properties, split_counted, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// A room as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct RoomOut {
    /// Id.
    pub id: Uuid,
    /// Its property.
    pub property_id: Uuid,
    /// Floor: 0 ground, -1 first basement.
    pub floor: i16,
    /// Floor as people say it: "2nd floor".
    #[sqlx(skip)]
    pub floor_label: String,
    /// Room number: B-204.
    pub number: String,
    /// standard, deluxe, studio, apartment, dormitory.
    pub room_type: String,
    /// Beds in the room.
    pub sharing: i16,
    /// Air-conditioned.
    pub ac: bool,
    /// Monthly rent per bed in paise; absent for caretakers.
    pub rent_per_bed_paise: Option<i64>,
}

const COLUMNS: &str = "id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise";

/// The room form (see `multipms_domain::room::RoomInput`): values as typed.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RoomForm {
    /// G, 1, 2nd, B1 …
    floor: String,
    room_number: String,
    /// standard, deluxe, studio, apartment, dormitory.
    room_type: String,
    /// Beds, 1 to 6.
    sharing: String,
    ac: bool,
    /// Rupees as typed: 8,500.
    rent_per_bed: String,
}

fn shown(mut room: RoomOut, caller: &Caller) -> RoomOut {
    room.floor_label = floor_label(room.floor);
    if !caller.sees_money() {
        room.rent_per_bed_paise = None;
    }
    room
}

/// A room of the caller's organisation within their properties.
pub async fn fetch(tx: &mut OrgTx, caller: &Caller, id: Uuid) -> ApiResult<RoomOut> {
    let room: Option<RoomOut> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM room WHERE org_id = $1 AND id = $2"
    )))
    .bind(caller.org_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    room.filter(|r| caller.in_scope(r.property_id))
        .map(|r| shown(r, caller))
        .ok_or_else(|| ApiError::not_found("Room"))
}

/// Lists the rooms of a property.
#[utoipa::path(get, path = "/api/v1/properties/{id}/rooms", tag = "rooms", security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery), responses((status = 200, body = Page<RoomOut>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(property_id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<RoomOut>>> {
    caller.require(Action::ReadPortfolio)?;
    let (limit, offset) = page.bounds()?;
    // Outside the caller's properties answers 404, as `properties::fetch`.
    if !caller.in_scope(property_id) {
        return Err(ApiError::not_found("Property"));
    }
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    // The page and its total in one query; a room of the page proves the
    // property is of this organisation (the room's foreign key).
    let rows: Vec<Counted<RoomOut>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, (SELECT count(*) FROM room r WHERE r.org_id = $1 AND r.property_id = $2) \
         AS page_total FROM room WHERE org_id = $1 AND property_id = $2 \
         ORDER BY floor, number LIMIT $3 OFFSET $4"
    )))
    .bind(caller.org_id)
    .bind(property_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *tx)
    .await?;
    let (rooms, total) = split_counted(rows);
    let total: i64 = match total {
        Some(total) => total,
        None => {
            properties::fetch(&mut tx, &caller, property_id).await?;
            sqlx::query_scalar("SELECT count(*) FROM room WHERE org_id = $1 AND property_id = $2")
                .bind(caller.org_id)
                .bind(property_id)
                .fetch_one(&mut *tx)
                .await?
        }
    };
    tx.commit().await?;
    Ok(Json(Page {
        items: rooms.into_iter().map(|r| shown(r, &caller)).collect(),
        total,
        limit,
        offset,
    }))
}

/// One room.
#[utoipa::path(get, path = "/api/v1/rooms/{id}", tag = "rooms", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = RoomOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<RoomOut>> {
    caller.require(Action::ReadPortfolio)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let room = fetch(&mut tx, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(room))
}

/// Adds a room to a property, with one bed per sharing (B-204-A, B-204-B …).
#[utoipa::path(post, path = "/api/v1/properties/{id}/rooms", tag = "rooms", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RoomForm, responses((status = 201, body = RoomOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(property_id): Path<Uuid>,
    Json(input): Json<RoomInput>,
) -> ApiResult<Response> {
    caller.require(Action::WriteProperties)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    properties::fetch(&mut tx, &caller, property_id).await?;
    let details = input.validate()?;
    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM room WHERE org_id = $1 AND property_id = $2 AND number = $3)",
    )
    .bind(caller.org_id)
    .bind(property_id)
    .bind(&details.room_number)
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        return Err(ApiError::invalid(
            "room_number",
            format!(
                "Room {} already exists in this property",
                details.room_number
            ),
        ));
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO room (id, org_id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(caller.org_id)
    .bind(property_id)
    .bind(details.floor)
    .bind(&details.room_number)
    .bind(details.room_type.code())
    .bind(i16::from(details.sharing))
    .bind(details.ac)
    .bind(details.rent_per_bed.as_i64())
    .execute(&mut *tx)
    .await?;
    let room = fetch(&mut tx, &caller, id).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "create",
            entity: "room",
            entity_id: id,
            before: None,
            after: audit::snapshot(&room),
        },
    )
    .await?;
    for label in details.bed_labels() {
        super::beds::insert(&mut tx, &caller, property_id, id, &label).await?;
    }
    tx.commit().await?;
    Ok(created(room))
}
