//! The database: a pool whose every connection works as the application
//! role, the migrations, and transactions bound to one organisation.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{AssertSqlSafe, Executor, PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::settings::Settings;

/// The migrations of the server's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A transaction whose organisation is set for row-level security.
pub type OrgTx = Transaction<'static, Postgres>;

/// Opens the pool the server works with: each connection switches to
/// `settings.app_role`, which owns no table and cannot bypass row-level
/// security.
pub async fn connect(settings: &Settings) -> Result<PgPool, sqlx::Error> {
    connect_sized(settings, settings.max_connections.max(1)).await
}

/// A pool of one connection, as [`connect`]'s, for the sync listener
/// (`sync::hub::listen`), which holds its connection for good.
pub async fn connect_listener(settings: &Settings) -> Result<PgPool, sqlx::Error> {
    connect_sized(settings, 1).await
}

async fn connect_sized(settings: &Settings, size: u32) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = settings.database_url.parse()?;
    let role = settings.app_role.clone();
    PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings every connection when it goes back to the pool (and
        // drops it if that fails); a second ping on the way out of the pool
        // would add a round trip to every request.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            let set_role = format!("SET ROLE \"{role}\"");
            Box::pin(async move {
                conn.execute(AssertSqlSafe(set_role)).await?;
                Ok(())
            })
        })
        .connect_with(options.application_name("multipms-server"))
        .await
}

/// Runs the migrations on the admin URL, as the owner of the tables.
pub async fn migrate(admin_url: &str) -> Result<(), sqlx::migrate::MigrateError> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await
        .map_err(sqlx::migrate::MigrateError::from)?;
    let result = MIGRATOR.run(&pool).await;
    pool.close().await;
    result
}

/// Why the server refuses to work with the database role it was given.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    /// The role could bypass row-level security.
    #[error("database role {0} is a superuser or has BYPASSRLS; the server needs a role that row-level security applies to (see app_role)")]
    Bypasses(String),
    /// The role owns tables, so it could switch row-level security off.
    #[error("database role {0} owns tables of the schema; the server must work as a role that owns none (see app_role)")]
    Owns(String),
    /// The query failed.
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// Checks that the pool's role is walled by row-level security.
pub async fn check_app_role(pool: &PgPool) -> Result<(), RoleError> {
    let (name, bypasses): (String, bool) = sqlx::query_as(
        "SELECT current_user::text, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(pool)
    .await?;
    if bypasses {
        return Err(RoleError::Bypasses(name));
    }
    let owned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user",
    )
    .fetch_one(pool)
    .await?;
    if owned > 0 {
        return Err(RoleError::Owns(name));
    }
    Ok(())
}

/// Begins a transaction that row-level security binds to `org_id`; the
/// setting ends with the transaction, so a pooled connection never carries
/// it over.
///
/// `BEGIN` and `set_config` go as one simple query: one round trip. The id is
/// a [`Uuid`], printed as 36 hex digits and dashes, so it cannot break out of
/// its quotes; if `set_config` failed the transaction would be aborted and
/// sqlx would refuse it (`BeginFailed`), so no query runs without the setting.
pub async fn begin_org(pool: &PgPool, org_id: Uuid) -> Result<OrgTx, sqlx::Error> {
    pool.begin_with(AssertSqlSafe(format!(
        "BEGIN; SELECT set_config('app.org_id', '{}', true)",
        org_id.hyphenated()
    )))
    .await
}

/// `url` with its database replaced by `name`: the same server, user and
/// options (tests and benchmarks make a database of their own).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Drops database `name` through `admin_url`, closing its connections. It
/// runs on a thread and runtime of its own, so a test's or benchmark's
/// `Drop` can call it after its own runtime is gone. True when dropped.
pub fn drop_database_blocking(admin_url: &str, name: &str) -> bool {
    let admin_url = admin_url.to_string();
    let name = name.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        runtime.block_on(async move {
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .connect(&admin_url)
                .await
                .ok()?;
            let dropped = sqlx::query(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&pool)
            .await
            .ok();
            pool.close().await;
            dropped
        })
    })
    .join()
    .ok()
    .flatten()
    .is_some()
}
