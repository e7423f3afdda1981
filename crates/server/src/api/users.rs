//! Users of the organisation: the owner adds and disables them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Page, PageQuery};
use crate::accounts::{self, NewUser, UserOut, USER_COLUMNS};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::begin_org;
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// A new user and the one-time password to hand them.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    /// The user.
    pub user: UserOut,
    /// Shown once; the user must change it at first sign-in.
    pub one_time_password: String,
}

/// Lists the users of the organisation (owner).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(PageQuery), responses((status = 200, body = Page<UserOut>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<UserOut>>> {
    caller.require(Action::Administer)?;
    let (limit, offset) = page.bounds()?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM app_user WHERE org_id = $1")
        .bind(caller.org_id)
        .fetch_one(&mut *tx)
        .await?;
    let items: Vec<UserOut> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM app_user u WHERE u.org_id = $1 ORDER BY u.full_name, u.id LIMIT $2 OFFSET $3"
    )))
    .bind(caller.org_id)
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

/// Adds a user with a one-time password (owner).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = NewUser, responses((status = 201, body = CreatedUser),
    (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<NewUser>,
) -> ApiResult<Response> {
    caller.require(Action::Administer)?;
    let (user, one_time_password) = accounts::add_user(
        &state.pool,
        caller.org_id,
        Some((caller.user_id, caller.desk_id.as_deref())),
        body,
        None,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user,
            one_time_password: one_time_password.unwrap_or_default(),
        }),
    )
        .into_response())
}

/// Disables a user and ends all their sessions at once (owner).
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = UserOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 409, body = crate::error::ErrorBody)))]
pub async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserOut>> {
    caller.require(Action::Administer)?;
    if id == caller.user_id {
        return Err(ApiError::conflict(
            "You cannot disable your own account; another owner must do it",
        ));
    }
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let before = accounts::fetch_user(&mut tx, caller.org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    sqlx::query(
        "UPDATE app_user SET disabled_at = COALESCE(disabled_at, now()), updated_at = now() \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE session SET revoked_at = now() WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(caller.org_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = accounts::fetch_user(&mut tx, caller.org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "disable",
            entity: "user",
            entity_id: id,
            before: audit::snapshot(&before),
            after: audit::snapshot(&after),
        },
    )
    .await?;
    tx.commit().await?;
    state.sessions.forget_user(id);
    Ok(Json(after))
}

/// The properties a user works on.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AssignProperties {
    /// Replaces the user's properties.
    pub property_ids: Vec<Uuid>,
}

/// Sets the properties a user works on (owner). Front desk and caretakers
/// see only these; their open sessions see the change at once on this
/// instance, and within `session_cache_secs` on others.
#[utoipa::path(put, path = "/api/v1/users/{id}/properties", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = AssignProperties, responses((status = 200, body = UserOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn assign_properties(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Json(body): Json<AssignProperties>,
) -> ApiResult<Json<UserOut>> {
    caller.require(Action::Administer)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let before = accounts::fetch_user(&mut tx, caller.org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    let scoped = crate::roles::Role::parse(&before.role, "role")?.is_property_scoped();
    if scoped && body.property_ids.is_empty() {
        return Err(ApiError::invalid(
            "property_ids",
            "Assign at least one property: front desk and caretakers work only on their properties",
        ));
    }
    let found: i64 =
        sqlx::query_scalar("SELECT count(*) FROM property WHERE org_id = $1 AND id = ANY($2)")
            .bind(caller.org_id)
            .bind(&body.property_ids)
            .fetch_one(&mut *tx)
            .await?;
    let mut wanted = body.property_ids.clone();
    wanted.sort();
    wanted.dedup();
    if found != wanted.len() as i64 {
        return Err(ApiError::not_found("Property"));
    }
    sqlx::query("DELETE FROM user_property WHERE org_id = $1 AND user_id = $2")
        .bind(caller.org_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO user_property (org_id, user_id, property_id) SELECT $1, $2, unnest($3::uuid[])",
    )
    .bind(caller.org_id)
    .bind(id)
    .bind(&wanted)
    .execute(&mut *tx)
    .await?;
    let after = accounts::fetch_user(&mut tx, caller.org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "assign_properties",
            entity: "user",
            entity_id: id,
            before: audit::snapshot(&before),
            after: audit::snapshot(&after),
        },
    )
    .await?;
    tx.commit().await?;
    state.sessions.forget_user(id);
    Ok(Json(after))
}
