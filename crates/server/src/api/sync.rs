//! Desk sync: push operations, pull changes, and the status (see
//! [`crate::sync`]).

use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};
use crate::sync::{apply, feed, PushAnswer, PushBody, SyncStatus, MAX_OPS, MAX_ROWS};

/// Pushes a desk's operations (owner, manager, front desk, caretaker; an
/// accountant only reads). Each is applied in order in its own transaction
/// and answered accepted (with the sequence number of its last row) or
/// rejected (with a reason for a person, the column at fault, and the
/// server's data of every record it touched). An op_id already answered
/// gets the same answer again. Each row needs what the same change needs
/// over the API (a front desk only at its properties, no reversal by the
/// front desk, nothing by a caretaker): see `sync::access`.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body = PushBody,
    responses((status = 200, body = PushAnswer), (status = 403, body = crate::error::ErrorBody),
    (status = 413, body = crate::error::ErrorBody),
    (status = 422, description = "No operations, more than 200, or an operation without rows or with more than 2000", body = crate::error::ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<PushBody>,
) -> ApiResult<Json<PushAnswer>> {
    caller.require(Action::PushSync)?;
    if body.ops.is_empty() || body.ops.len() > MAX_OPS {
        return Err(ApiError::invalid(
            "ops",
            format!("Send 1 to {MAX_OPS} operations at a time"),
        ));
    }
    for (i, op) in body.ops.iter().enumerate() {
        if op.rows.is_empty() || op.rows.len() > MAX_ROWS {
            return Err(ApiError::invalid(
                &format!("ops[{i}].rows"),
                format!("An operation carries 1 to {MAX_ROWS} rows"),
            ));
        }
    }
    Ok(Json(apply::push(&state, &caller, &body).await?))
}

/// Which changes to pull.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Changes after this sequence number (0 for all).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Changes per page, 1 to 5000 (default 1000).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
    /// When there are none, wait up to this many seconds (0 to 25, default
    /// 0) for another desk's push.
    #[param(minimum = 0, maximum = 25)]
    pub wait: Option<i64>,
}

/// Most changes per page.
pub const MAX_CHANGES: i64 = 5000;
/// Changes per page unless asked.
pub const DEFAULT_CHANGES: i64 = 1000;
/// Longest wait that may be asked.
pub const MAX_WAIT_SECS: i64 = 25;

/// The organisation's records changed after `after`, by sequence number
/// (data null: deleted), a page at a time; `more` says another page
/// follows. With `wait` and nothing new, answers as soon as another push
/// gives the organisation a new number, or when the wait ends. Any role.
#[utoipa::path(get, path = "/api/v1/sync/changes", tag = "sync", security(("bearer" = [])),
    params(ChangesQuery),
    responses((status = 200, body = crate::sync::ChangesPage), (status = 422, body = crate::error::ErrorBody)))]
pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ChangesQuery>,
) -> ApiResult<Response> {
    caller.require(Action::ReadPortfolio)?;
    let after = query.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::invalid("after", "after must be 0 or more"));
    }
    let limit = query.limit.unwrap_or(DEFAULT_CHANGES);
    if !(1..=MAX_CHANGES).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_CHANGES}"),
        ));
    }
    let wait = query.wait.unwrap_or(0);
    if !(0..=MAX_WAIT_SECS).contains(&wait) {
        return Err(ApiError::invalid(
            "wait",
            format!("wait must be between 0 and {MAX_WAIT_SECS} seconds"),
        ));
    }
    // Never past this instance's bound, nor its request timeout.
    let wait = u64::try_from(wait)
        .unwrap_or(0)
        .min(state.settings.sync_max_wait_secs)
        .min(state.settings.request_timeout_secs.saturating_sub(2));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    // Subscribed before reading, so a push in between is not missed.
    let mut woken = (wait > 0).then(|| state.sync_hub.subscribe(caller.org_id));
    let view = crate::sync::access::View::of(&caller);
    // Owners, managers and accountants see every property: no query.
    let scope: Option<Vec<String>> = if caller.role.is_property_scoped() {
        let mut tx = crate::db::begin_org(&state.pool, caller.org_id).await?;
        let keys = crate::sync::access::property_scope(&mut tx, &caller).await?;
        tx.commit().await?;
        keys.map(|k| k.into_iter().collect())
    } else {
        None
    };
    let page = loop {
        let page = feed::page(
            &state.pool,
            caller.org_id,
            after,
            limit,
            view,
            scope.as_deref(),
        )
        .await?;
        let Some(rx) = woken.as_mut() else {
            break page;
        };
        if page.count > 0 {
            break page;
        }
        match tokio::time::timeout_at(deadline, rx.changed()).await {
            Ok(Ok(())) => continue,
            _ => break page,
        }
    };
    let mut response = page.json.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// The organisation's last sequence number and how many records it keeps.
/// Any role.
#[utoipa::path(get, path = "/api/v1/sync/status", tag = "sync", security(("bearer" = [])),
    responses((status = 200, body = SyncStatus)))]
pub async fn status(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<SyncStatus>> {
    caller.require(Action::ReadPortfolio)?;
    let (last_seq, records) = feed::status(&state.pool, caller.org_id).await?;
    Ok(Json(SyncStatus { last_seq, records }))
}
