//! Reading the audit log (owner).

use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Page, PageQuery};
use crate::app::AppState;
use crate::db::begin_org;
use crate::error::ApiResult;
use crate::roles::{Action, Caller};

/// One write.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AuditEntry {
    /// Order of writing.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (absent for the command line).
    pub user_id: Option<Uuid>,
    /// Their email.
    pub user_email: Option<String>,
    /// From which desk.
    pub desk_id: Option<String>,
    /// create, update, move_out, disable, change_password …
    pub action: String,
    /// property, room, bed, tenant, allocation, user …
    pub entity: String,
    /// Which record.
    pub entity_id: Uuid,
    /// The record before.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    /// The record after.
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

/// The audit log, newest first (owner).
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "audit", security(("bearer" = [])),
    params(PageQuery), responses((status = 200, body = Page<AuditEntry>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    caller.require(Action::Administer)?;
    let (limit, offset) = page.bounds()?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE org_id = $1")
        .bind(caller.org_id)
        .fetch_one(&mut *tx)
        .await?;
    let items: Vec<AuditEntry> = sqlx::query_as(
        "SELECT l.seq, l.at, l.user_id, u.email AS user_email, l.desk_id, l.action, l.entity, l.entity_id, \
         l.before_json AS before, l.after_json AS after \
         FROM audit_log l LEFT JOIN app_user u ON u.org_id = l.org_id AND u.id = l.user_id \
         WHERE l.org_id = $1 ORDER BY l.seq DESC LIMIT $2 OFFSET $3",
    )
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
