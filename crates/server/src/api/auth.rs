//! Sign-in, sign-out, password change, and who am I.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::{self, UserOut};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::begin_org;
use crate::error::{ApiError, ApiResult};
use crate::password;
use crate::roles::Caller;
use crate::sign_in_throttle as throttle;

/// Email and password.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SignIn {
    /// Sign-in email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedIn {
    /// Send as `Authorization: Bearer <token>`. Shown once; keep it in the
    /// OS keyring.
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// True if the password is a one-time one that must be changed first.
    pub must_change_password: bool,
}

/// Signs in with email and password.
#[utoipa::path(post, path = "/api/v1/auth/sign-in", tag = "auth", request_body = SignIn, responses(
    (status = 200, body = SignedIn),
    (status = 401, description = "Wrong email or password", body = crate::error::ErrorBody),
    (status = 429, description = "Too many failed sign-ins: locked for a while", body = crate::error::ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<SignIn>,
) -> ApiResult<Json<SignedIn>> {
    let settings = &state.settings;
    let email = body.email.trim().to_lowercase();
    if email.is_empty() {
        return Err(ApiError::invalid("email", "Enter your email"));
    }
    if body.password.is_empty() {
        return Err(ApiError::invalid("password", "Enter your password"));
    }
    let address = throttle::client_address(peer.ip(), &headers, &settings.trusted_proxies);
    let account_key = throttle::account_key(&email);
    let address_key = throttle::address_key(&address);
    let keys = [account_key.clone(), address_key.clone()];
    if let Some(until) = throttle::locked_until(&state.pool, &keys).await? {
        return Err(locked(until));
    }
    let wait = throttle::delay(&state.pool, &keys, settings).await?;
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    #[derive(sqlx::FromRow)]
    struct Account {
        user_id: Uuid,
        org_id: Uuid,
        password_hash: String,
        disabled: bool,
    }
    let account: Option<Account> =
        sqlx::query_as("SELECT user_id, org_id, password_hash, disabled FROM sign_in_account($1)")
            .bind(&email)
            .fetch_optional(&state.pool)
            .await?;
    let password_ok = if body.password.chars().count() > password::MAX_CHARS {
        false
    } else {
        password::verify_async(
            body.password.clone(),
            account.as_ref().map(|a| a.password_hash.clone()),
        )
        .await?
    };
    let account = match account {
        Some(a) if password_ok && !a.disabled => a,
        Some(a) if password_ok && a.disabled => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "account_disabled",
                "This account is disabled; ask the owner of the business",
            ))
        }
        _ => {
            let locked_account = throttle::record_failure(
                &state.pool,
                &account_key,
                settings.sign_in_lock_after_account,
                settings,
            )
            .await?;
            let locked_address = throttle::record_failure(
                &state.pool,
                &address_key,
                settings.sign_in_lock_after_address,
                settings,
            )
            .await?;
            if locked_account || locked_address {
                if let Some(until) = throttle::locked_until(&state.pool, &keys).await? {
                    return Err(locked(until));
                }
            }
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "wrong_credentials",
                "Email or password is wrong",
            ));
        }
    };
    throttle::clear(&state.pool, &account_key).await?;
    let session = accounts::open_session(
        &state.pool,
        account.org_id,
        account.user_id,
        settings.session_hours,
        Some(address.to_string()),
    )
    .await?;
    let must_change_password: bool = {
        let mut tx = begin_org(&state.pool, account.org_id).await?;
        let user = accounts::fetch_user(&mut tx, account.org_id, account.user_id).await?;
        audit::record_as(
            &mut tx,
            account.org_id,
            Some(account.user_id),
            crate::session::desk_id(&headers).as_deref(),
            Entry {
                action: "sign_in",
                entity: "user",
                entity_id: account.user_id,
                before: None,
                after: Some(serde_json::json!({
                    "address": address.to_string(),
                    "expires_at": session.expires_at,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        user.is_some_and(|u| u.must_change_password)
    };
    tracing::info!(user = %account.user_id, "signed in");
    Ok(Json(SignedIn {
        token: session.token,
        expires_at: session.expires_at,
        must_change_password,
    }))
}

fn locked(until: DateTime<Utc>) -> ApiError {
    let minutes = ((until - Utc::now()).num_seconds() + 59) / 60;
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "locked",
        format!(
            "Too many failed sign-ins; sign-in is locked for {} more minute{}",
            minutes.max(1),
            if minutes > 1 { "s" } else { "" }
        ),
    )
}

/// Ends this session.
#[utoipa::path(post, path = "/api/v1/auth/sign-out", tag = "auth", security(("bearer" = [])), responses(
    (status = 204, description = "Signed out"),
    (status = 401, body = crate::error::ErrorBody)))]
pub async fn sign_out(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    sqlx::query(
        "UPDATE session SET revoked_at = now() WHERE org_id = $1 AND token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(caller.org_id)
    .bind(&caller.token_hash[..])
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "sign_out",
            entity: "user",
            entity_id: caller.user_id,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    state.sessions.forget_user(caller.user_id);
    Ok(StatusCode::NO_CONTENT)
}

/// The current and the new password.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ChangePassword {
    /// The password now (or the one-time password).
    pub current_password: String,
    /// The new one: 8 to 64 characters, not a common one.
    pub new_password: String,
}

/// Changes the caller's password and ends their other sessions.
#[utoipa::path(post, path = "/api/v1/auth/change-password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePassword, responses(
    (status = 204, description = "Changed; other sessions ended"),
    (status = 401, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<ChangePassword>,
) -> ApiResult<StatusCode> {
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let (email, hash): (String, String) = sqlx::query_as(
        "SELECT email, password_hash FROM app_user WHERE org_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(caller.org_id)
    .bind(caller.user_id)
    .fetch_one(&mut *tx)
    .await?;
    if !password::verify_async(body.current_password.clone(), Some(hash)).await? {
        return Err(ApiError::invalid(
            "current_password",
            "The current password is wrong",
        ));
    }
    password::check_new(&body.new_password, &email, "new_password")?;
    if body.new_password == body.current_password {
        return Err(ApiError::invalid(
            "new_password",
            "The new password must differ from the current one",
        ));
    }
    let new_hash = password::hash_async(body.new_password.clone()).await?;
    sqlx::query(
        "UPDATE app_user SET password_hash = $3, must_change_password = false, updated_at = now() \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org_id)
    .bind(caller.user_id)
    .bind(new_hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE session SET revoked_at = now() \
         WHERE org_id = $1 AND user_id = $2 AND token_hash <> $3 AND revoked_at IS NULL",
    )
    .bind(caller.org_id)
    .bind(caller.user_id)
    .bind(&caller.token_hash[..])
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "change_password",
            entity: "user",
            entity_id: caller.user_id,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    state.sessions.forget_user(caller.user_id);
    Ok(StatusCode::NO_CONTENT)
}

/// Who is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The user.
    pub user: UserOut,
    /// Their organisation.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
}

/// The signed-in user and their organisation.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])), responses(
    (status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Me>> {
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let user = accounts::fetch_user(&mut tx, caller.org_id, caller.user_id)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    let org_name: String = sqlx::query_scalar("SELECT name FROM organisation WHERE id = $1")
        .bind(caller.org_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(Me {
        user,
        org_id: caller.org_id,
        org_name,
    }))
}
