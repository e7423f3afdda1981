//! The JSON API under `/api/v1`, plus `/healthz`, `/readyz` and
//! `/openapi.json`.
//!
//! Every handler takes a [`Caller`](crate::roles::Caller) (so it needs a live
//! session), checks the role first (403), then works in a transaction bound
//! to the caller's organisation, with every query naming it; a record of
//! another organisation, or outside the caller's properties, answers 404.

pub mod allocations;
pub mod audit_log;
pub mod auth;
pub mod beds;
pub mod billing;
pub mod contracts;
pub mod health;
pub mod invoices;
pub mod ledger;
pub mod payments;
pub mod properties;
pub mod rooms;
pub mod sync;
pub mod sync_files;
pub mod tenants;
pub mod users;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};

/// Most items one page may hold.
pub const MAX_PAGE: i64 = 200;
/// Items per page unless asked.
pub const DEFAULT_PAGE: i64 = 50;

/// Which page of a list.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

impl PageQuery {
    /// The checked limit and offset.
    pub fn bounds(&self) -> ApiResult<(i64, i64)> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(ApiError::invalid(
                "limit",
                format!("limit must be between 1 and {MAX_PAGE}"),
            ));
        }
        let offset = self.offset.unwrap_or(0);
        if offset < 0 {
            return Err(ApiError::invalid("offset", "offset must be 0 or more"));
        }
        Ok((limit, offset))
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total: i64,
    /// Items per page.
    pub limit: i64,
    /// Items skipped.
    pub offset: i64,
}

/// A row of a page with the list's total beside it, as `page_total`: the
/// query computes the total once (an uncorrelated sub-query) and the page
/// costs one round trip. An empty page carries no total; ask separately.
pub struct Counted<T> {
    item: T,
    total: Option<i64>,
}

impl<'r, T: sqlx::FromRow<'r, sqlx::postgres::PgRow>> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    for Counted<T>
{
    fn from_row(row: &'r sqlx::postgres::PgRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(Counted {
            item: T::from_row(row)?,
            total: row.try_get("page_total")?,
        })
    }
}

/// The items of a page and its total, when the page had a row to carry it.
pub fn split_counted<T>(rows: Vec<Counted<T>>) -> (Vec<T>, Option<i64>) {
    let total = rows.first().map(|r| r.total.unwrap_or(0));
    (rows.into_iter().map(|r| r.item).collect(), total)
}

/// How many rows of `entity` (tenant, allocation) the organisation has, as
/// kept by the `org_count` triggers: the total of an unfiltered list without
/// counting every row.
pub async fn org_count(
    tx: &mut crate::db::OrgTx,
    org_id: uuid::Uuid,
    entity: &str,
) -> ApiResult<i64> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT n FROM org_count WHERE org_id = $1 AND entity = $2")
            .bind(org_id)
            .bind(entity)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(n.unwrap_or(0))
}

/// Today in India (UTC+05:30), for the domain's date rules.
pub fn today_in_india() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::minutes(330)).date_naive()
}

/// The routes of the API (without the middleware, see [`crate::app`]).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/openapi.json", get(crate::openapi::openapi_json))
        .route("/api/v1/auth/sign-in", post(auth::sign_in))
        .route("/api/v1/auth/sign-out", post(auth::sign_out))
        .route("/api/v1/auth/change-password", post(auth::change_password))
        .route("/api/v1/me", get(auth::me))
        .route(
            "/api/v1/properties",
            get(properties::list).post(properties::create),
        )
        .route(
            "/api/v1/properties/{id}",
            get(properties::get_one).put(properties::update),
        )
        .route(
            "/api/v1/properties/{id}/rooms",
            get(rooms::list).post(rooms::create),
        )
        .route("/api/v1/rooms/{id}", get(rooms::get_one))
        .route(
            "/api/v1/rooms/{id}/beds",
            get(beds::list).post(beds::create),
        )
        .route("/api/v1/beds/{id}", get(beds::get_one))
        .route("/api/v1/tenants", get(tenants::list).post(tenants::create))
        .route(
            "/api/v1/tenants/{id}",
            get(tenants::get_one).put(tenants::update),
        )
        .route(
            "/api/v1/allocations",
            get(allocations::list).post(allocations::create),
        )
        .route("/api/v1/allocations/{id}", get(allocations::get_one))
        .route(
            "/api/v1/allocations/{id}/move-out",
            post(allocations::move_out),
        )
        .route("/api/v1/properties/{id}/billing-runs", post(billing::run))
        .route(
            "/api/v1/tenants/{id}/contracts",
            get(contracts::list).post(contracts::create),
        )
        .route("/api/v1/tenants/{id}/ledger", get(ledger::page))
        .route("/api/v1/tenants/{id}/balance", get(ledger::balance))
        .route("/api/v1/invoices", get(invoices::list))
        .route("/api/v1/invoices/{id}", get(invoices::get_one))
        .route(
            "/api/v1/payments",
            get(payments::list).post(payments::record),
        )
        .route("/api/v1/payments/{id}", get(payments::get_one))
        .route("/api/v1/payments/{id}/reverse", post(payments::reverse))
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/users/{id}/disable", post(users::disable))
        .route(
            "/api/v1/users/{id}/properties",
            axum::routing::put(users::assign_properties),
        )
        .route("/api/v1/audit-log", get(audit_log::list))
        .route("/api/v1/sync/changes", get(sync::changes))
        .route("/api/v1/sync/status", get(sync::status))
}

/// The sync push, apart: it takes a larger body (see [`crate::app::router`]).
pub fn sync_push_routes() -> Router<AppState> {
    Router::new().route("/api/v1/sync/push", post(sync::push))
}

/// The documents' files, apart: a file may be up to 20 MB
/// ([`sync_files::MAX_FILE_BYTES`]).
pub fn sync_file_routes() -> Router<AppState> {
    Router::new().route(
        "/api/v1/sync/files/{sha256}",
        get(sync_files::download).put(sync_files::upload),
    )
}

/// Turns every error answer that is not already our JSON (axum's own
/// rejections, 404 of an unknown path, 405, 408, 413, a caught panic) into
/// `{code, message}`.
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail = if status.is_client_error() {
        axum::body::to_bytes(body, 2048)
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    } else {
        None
    };
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "There is nothing at this address".to_string()),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "This address does not accept that method".to_string(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "too_large",
            "The request is too large for the server".to_string(),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "The request took too long and was stopped; try again".to_string(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Send the request body as JSON (Content-Type: application/json)".to_string(),
        ),
        s if s.is_client_error() => (
            "bad_request",
            detail.unwrap_or_else(|| "The request is not valid".to_string()),
        ),
        _ => (
            "internal",
            "Something went wrong on the server; try again, and tell your administrator if it keeps happening".to_string(),
        ),
    };
    let body = serde_json::to_vec(&ErrorBody {
        code: code.into(),
        message,
        field: None,
    })
    .unwrap_or_default();
    let mut response = Response::from_parts(parts, Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

/// 201 Created with a JSON body.
pub fn created<T: Serialize>(body: T) -> Response {
    (StatusCode::CREATED, axum::Json(body)).into_response()
}
