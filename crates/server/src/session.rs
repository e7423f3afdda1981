//! Session tokens: opaque random strings handed out at sign-in; only their
//! SHA-256 is stored. The [`Caller`] extractor turns a bearer token into the
//! signed-in user, counting the request against the token's rate limit.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::app::AppState;
use crate::error::ApiError;
use crate::roles::{Caller, Role};

/// Prefix of every token, so a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "mpms_";

/// A new random token (256 bits).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", hex::encode(bytes))
}

/// The SHA-256 of a token: what the database keeps.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The desk a request comes from (`X-Desk-Id`, at most 64 characters).
pub fn desk_id(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get("x-desk-id")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().chars().take(64).collect::<String>())
        .filter(|s| !s.is_empty())
}

#[derive(sqlx::FromRow)]
struct Identity {
    user_id: Uuid,
    org_id: Uuid,
    role: String,
    must_change_password: bool,
    #[allow(dead_code)]
    expires_at: DateTime<Utc>,
    property_ids: Vec<Uuid>,
}

/// Paths a user who must still change the one-time password may use.
const ALLOWED_BEFORE_PASSWORD_CHANGE: &[&str] = &[
    "/api/v1/auth/change-password",
    "/api/v1/auth/sign-out",
    "/api/v1/me",
];

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with(TOKEN_PREFIX) && t.len() < 200)
            .ok_or_else(ApiError::unauthorized)?;
        let hash = token_hash(token);
        if let Err(wait) = state.limiter.check(&hash) {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many requests from this session; wait {wait} seconds"),
            ));
        }
        let identity: Option<Identity> = sqlx::query_as(
            "SELECT user_id, org_id, role, must_change_password, expires_at, property_ids \
             FROM session_identity($1)",
        )
        .bind(&hash[..])
        .fetch_optional(&state.pool)
        .await?;
        let identity = identity.ok_or_else(ApiError::unauthorized)?;
        let role = Role::parse(&identity.role, "role").map_err(|_| {
            ApiError::internal(format!("unknown role {:?} in the database", identity.role))
        })?;
        let path = parts.uri.path();
        if identity.must_change_password && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&path) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "Change your one-time password first",
            ));
        }
        let desk_id = desk_id(&parts.headers);
        Ok(Caller {
            user_id: identity.user_id,
            org_id: identity.org_id,
            role,
            property_ids: identity.property_ids,
            token_hash: hash,
            desk_id,
            must_change_password: identity.must_change_password,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 64);
        assert_ne!(a, new_token());
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&new_token()));
    }
}
