//! The files of the desks' documents, by SHA-256: a desk uploads the file of
//! a document it added, the other desks download it when its record
//! arrives. Uploading is for those who may add documents (owner, manager,
//! front desk); downloading for those whose desks receive documents (all
//! but caretakers, see `sync::access`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::db::begin_org;
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// The largest document file a desk keeps (as `multipms-documents`).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A stored file.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredFile {
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
    /// Its size.
    pub size_bytes: i64,
}

fn checked_sha(sha256: &str) -> ApiResult<String> {
    let ok = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(sha256.to_string())
    } else {
        Err(ApiError::invalid(
            "sha256",
            "sha256 must be 64 lower-case hexadecimal characters",
        ))
    }
}

/// Stores a document's file under its SHA-256 (owner, manager, front
/// desk). The bytes must hash to it. Storing a file the organisation
/// already has changes nothing.
#[utoipa::path(put, path = "/api/v1/sync/files/{sha256}", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "The file's SHA-256, lower-case hex")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = StoredFile), (status = 403, body = crate::error::ErrorBody),
    (status = 413, body = crate::error::ErrorBody),
    (status = 422, description = "A malformed SHA-256, an empty file, or bytes that do not hash to it", body = crate::error::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
    body: Bytes,
) -> ApiResult<Json<StoredFile>> {
    caller.require(Action::WriteOccupancy)?;
    let sha256 = checked_sha(&sha256)?;
    if body.is_empty() {
        return Err(ApiError::invalid("body", "The file is empty"));
    }
    if body.len() > MAX_FILE_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "A document file is at most 20 MB",
        ));
    }
    let actual = hex::encode(Sha256::digest(&body));
    if actual != sha256 {
        return Err(ApiError::invalid(
            "sha256",
            "The file's content does not match its SHA-256; it was damaged on the way, send it again",
        ));
    }
    let size = i64::try_from(body.len()).map_err(ApiError::internal)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    sqlx::query(
        "INSERT INTO sync_file (org_id, sha256, bytes, size_bytes, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, sha256) DO NOTHING",
    )
    .bind(caller.org_id)
    .bind(&sha256)
    .bind(body.as_ref())
    .bind(size as i32)
    .bind(caller.user_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(StoredFile {
        sha256,
        size_bytes: size,
    }))
}

/// A document's file (all but caretakers).
#[utoipa::path(get, path = "/api/v1/sync/files/{sha256}", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "The file's SHA-256, lower-case hex")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    caller.require(Action::ReadPortfolio)?;
    if !caller.sees_kyc() {
        return Err(ApiError::forbidden());
    }
    let sha256 = checked_sha(&sha256)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let bytes: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT bytes FROM sync_file WHERE org_id = $1 AND sha256 = $2")
            .bind(caller.org_id)
            .bind(&sha256)
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    let bytes = bytes.ok_or_else(|| ApiError::not_found("Document file"))?;
    let mut response = bytes.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    Ok(response)
}
