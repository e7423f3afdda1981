//! Session tokens: opaque random strings handed out at sign-in; only their
//! SHA-256 is stored. The [`Caller`] extractor turns a bearer token into the
//! signed-in user, counting the request against the token's rate limit.
//!
//! A validated session is remembered in this instance for
//! `session_cache_secs` (5 s by default, never past its expiry) so that a
//! burst of requests does not ask the database the same question each time.
//! Sign-out, password change, disabling a user and reassigning their
//! properties forget the user's sessions here as soon as they commit; another
//! instance (or a change made in the database directly) is seen within the
//! bound. The instance keeps no other state: a restart only empties the cache.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    expires_at: DateTime<Utc>,
    property_ids: Vec<Uuid>,
}

/// Who a session is, as last read from the database.
#[derive(Debug)]
struct Known {
    user_id: Uuid,
    org_id: Uuid,
    role: Role,
    must_change_password: bool,
    property_ids: Arc<[Uuid]>,
}

/// Sessions validated recently, by token hash (see the module's comment).
pub struct SessionCache {
    ttl: Duration,
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    /// Bumped by every `forget`: a look-up that started before it must not
    /// put back what was just forgotten.
    epoch: u64,
    entries: HashMap<[u8; 32], (Instant, Arc<Known>)>,
}

/// Entries kept at most; past it, expired ones go, then all.
const CACHE_MAX: usize = 100_000;

impl SessionCache {
    /// A cache remembering sessions for `ttl` (zero: never).
    pub fn new(ttl: Duration) -> SessionCache {
        SessionCache {
            ttl,
            inner: Mutex::new(CacheInner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The session of `hash` if validated less than `ttl` ago, and the epoch
    /// to hand to [`SessionCache::remember`] otherwise.
    fn get(&self, hash: &[u8; 32]) -> Result<Arc<Known>, u64> {
        let inner = self.lock();
        match inner.entries.get(hash) {
            Some((until, known)) if Instant::now() < *until => Ok(known.clone()),
            _ => Err(inner.epoch),
        }
    }

    fn remember(&self, hash: [u8; 32], epoch: u64, known: Arc<Known>, expires_at: DateTime<Utc>) {
        if self.ttl.is_zero() {
            return;
        }
        let left = (expires_at - Utc::now()).to_std().unwrap_or_default();
        let now = Instant::now();
        let until = now + self.ttl.min(left);
        let mut inner = self.lock();
        if inner.epoch != epoch {
            return;
        }
        if inner.entries.len() >= CACHE_MAX {
            inner.entries.retain(|_, (u, _)| now < *u);
            if inner.entries.len() >= CACHE_MAX {
                inner.entries.clear();
            }
        }
        inner.entries.insert(hash, (until, known));
    }

    /// Forgets every session of `user_id` (after signing out, changing the
    /// password, disabling the user or changing their properties).
    pub fn forget_user(&self, user_id: Uuid) {
        let mut inner = self.lock();
        inner.epoch = inner.epoch.wrapping_add(1);
        inner.entries.retain(|_, (_, k)| k.user_id != user_id);
    }
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
        let identity = match state.sessions.get(&hash) {
            Ok(known) => known,
            Err(epoch) => {
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
                let known = Arc::new(Known {
                    user_id: identity.user_id,
                    org_id: identity.org_id,
                    role,
                    must_change_password: identity.must_change_password,
                    property_ids: identity.property_ids.into(),
                });
                state
                    .sessions
                    .remember(hash, epoch, known.clone(), identity.expires_at);
                known
            }
        };
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
            role: identity.role,
            property_ids: identity.property_ids.to_vec(),
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

    fn known(user_id: Uuid) -> Arc<Known> {
        Arc::new(Known {
            user_id,
            org_id: Uuid::nil(),
            role: Role::Owner,
            must_change_password: false,
            property_ids: Arc::from(Vec::new()),
        })
    }

    #[test]
    fn cache_is_bounded_by_ttl_expiry_and_forgetting() {
        let later = Utc::now() + chrono::Duration::hours(1);
        let cache = SessionCache::new(Duration::from_secs(60));
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let epoch = cache.get(&[1; 32]).unwrap_err();
        cache.remember([1; 32], epoch, known(a), later);
        cache.remember([2; 32], epoch, known(b), later);
        assert!(cache.get(&[1; 32]).is_ok());
        cache.forget_user(a);
        assert!(cache.get(&[1; 32]).is_err());
        assert!(cache.get(&[2; 32]).is_ok());
        // A look-up that began before a forget does not put its answer back.
        cache.remember([1; 32], epoch, known(a), later);
        assert!(cache.get(&[1; 32]).is_err());
        // Never past the session's expiry.
        let epoch = cache.get(&[3; 32]).unwrap_err();
        cache.remember([3; 32], epoch, known(a), Utc::now());
        assert!(cache.get(&[3; 32]).is_err());
        // A zero bound remembers nothing.
        let off = SessionCache::new(Duration::ZERO);
        let epoch = off.get(&[1; 32]).unwrap_err();
        off.remember([1; 32], epoch, known(a), later);
        assert!(off.get(&[1; 32]).is_err());
    }
}
