//! Failed sign-ins, counted in the database (so every instance sees them)
//! per account and per address: after a few the answers slow down, after
//! more the account or address is locked for a while.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::settings::Settings;

/// The key of an account's counter.
pub fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

/// The key of an address's counter.
pub fn address_key(address: &std::net::IpAddr) -> String {
    format!("address:{address}")
}

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the nearest address in `X-Forwarded-For` that is not a trusted proxy.
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let chain: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    chain
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

/// Until when any of `keys` is locked, if it is.
pub async fn locked_until(
    pool: &PgPool,
    keys: &[String],
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT max(locked_until) FROM sign_in_failure WHERE key = ANY($1) AND locked_until > now()",
    )
    .bind(keys)
    .fetch_one(pool)
    .await
}

/// How long to wait before answering, given the recent failures of `keys`.
pub async fn delay(
    pool: &PgPool,
    keys: &[String],
    settings: &Settings,
) -> Result<Duration, sqlx::Error> {
    let failures: Option<i32> = sqlx::query_scalar(
        "SELECT max(failures) FROM sign_in_failure \
         WHERE key = ANY($1) AND first_at > now() - make_interval(mins => $2)",
    )
    .bind(keys)
    .bind(settings.sign_in_lock_minutes as i32)
    .fetch_one(pool)
    .await?;
    let over = failures.unwrap_or(0) - settings.sign_in_slow_after + 1;
    Ok(if over <= 0 {
        Duration::ZERO
    } else {
        Duration::from_millis((250 * over as u64).min(3_000))
    })
}

/// Counts a failure against `key`; locks it once `lock_after` failures fall
/// in one window. Returns true if this failure locked it.
pub async fn record_failure(
    pool: &PgPool,
    key: &str,
    lock_after: i32,
    settings: &Settings,
) -> Result<bool, sqlx::Error> {
    let minutes = settings.sign_in_lock_minutes as i32;
    let failures: i32 = sqlx::query_scalar(
        "INSERT INTO sign_in_failure (key, failures, first_at, last_at) VALUES ($1, 1, now(), now()) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN sign_in_failure.first_at < now() - make_interval(mins => $2) \
                           THEN 1 ELSE sign_in_failure.failures + 1 END, \
           first_at = CASE WHEN sign_in_failure.first_at < now() - make_interval(mins => $2) \
                           THEN now() ELSE sign_in_failure.first_at END, \
           last_at = now() \
         RETURNING failures",
    )
    .bind(key)
    .bind(minutes)
    .fetch_one(pool)
    .await?;
    // Now and then, forget counters nobody has touched for a day, so
    // guessed emails do not pile up.
    if rand_core::RngCore::next_u32(&mut rand_core::OsRng).is_multiple_of(200) {
        sqlx::query(
            "DELETE FROM sign_in_failure WHERE last_at < now() - interval '1 day' \
             AND (locked_until IS NULL OR locked_until < now())",
        )
        .execute(pool)
        .await?;
    }
    if failures >= lock_after {
        sqlx::query(
            "UPDATE sign_in_failure SET locked_until = now() + make_interval(mins => $2), \
             failures = 0, first_at = now() WHERE key = $1",
        )
        .bind(key)
        .bind(minutes)
        .execute(pool)
        .await?;
        tracing::warn!(key, "sign-in locked after repeated failures");
        return Ok(true);
    }
    Ok(false)
}

/// Forgets the failures of `key` (after a good sign-in).
pub async fn clear(pool: &PgPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failure WHERE key = $1 AND (locked_until IS NULL OR locked_until <= now())")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let proxy: std::net::IpAddr = "10.0.0.5".parse().unwrap();
        let client: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "1.2.3.4, 203.0.113.7".parse().unwrap());
        assert_eq!(client_address(proxy, &headers, &[proxy]), client);
        assert_eq!(client_address(proxy, &headers, &[]), proxy);
        assert_eq!(client_address(client, &headers, &[proxy]), client);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
