//! The server: state, middleware and listening (HTTPS with a certificate,
//! else plain HTTP on loopback unless allowed).

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::Router;
use sqlx::PgPool;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::db;
use crate::rate_limit::RateLimiter;
use crate::session::SessionCache;
use crate::settings::Settings;
use crate::sync::hub::SyncHub;

/// What every handler shares. Nothing here outlives a restart but the rate
/// limiter's counts and the short-lived session cache: the state of the
/// business is all in PostgreSQL.
#[derive(Clone)]
pub struct AppState {
    /// Connections working as the application role.
    pub pool: PgPool,
    /// Settings.
    pub settings: Arc<Settings>,
    /// Requests per token.
    pub limiter: Arc<RateLimiter>,
    /// Sessions validated in the last `session_cache_secs`.
    pub sessions: Arc<SessionCache>,
    /// Wakes the sync pulls waiting for their organisation's changes.
    pub sync_hub: Arc<SyncHub>,
}

/// The router with its middleware. A sync push may carry a larger body
/// (`sync_body_limit_bytes`) than the other requests (`body_limit_bytes`).
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    let limit = settings.body_limit_bytes;
    let sync_limit = settings.sync_body_limit_bytes.max(limit);
    crate::api::routes()
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        .merge(
            crate::api::sync_push_routes()
                .layer(DefaultBodyLimit::max(sync_limit))
                .layer(RequestBodyLimitLayer::new(sync_limit)),
        )
        .merge({
            // A file's bytes and nothing else: the largest file, and room
            // for nothing more.
            let file_limit = crate::api::sync_files::MAX_FILE_BYTES.max(limit);
            crate::api::sync_file_routes()
                .layer(DefaultBodyLimit::max(file_limit))
                .layer(RequestBodyLimitLayer::new(file_limit))
        })
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::map_response(crate::api::json_errors))
        .layer(TraceLayer::new_for_http())
}

type ServeFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// A server bound to its port, ready to run.
pub struct Application {
    addr: SocketAddr,
    tls: bool,
    serve: ServeFuture,
}

impl Application {
    /// Connects to the database (refusing a role that row-level security does
    /// not bind), binds the listener and prepares the server.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        settings.check_for_serving()?;
        let pool = db::connect(&settings)
            .await
            .context("cannot connect to the database")?;
        db::check_app_role(&pool).await?;
        Self::build_with_pool(settings, pool).await
    }

    /// As [`Application::build`] with a pool already open.
    pub async fn build_with_pool(settings: Settings, pool: PgPool) -> anyhow::Result<Application> {
        let sync_hub = Arc::new(SyncHub::new());
        let listener_pool = db::connect_listener(&settings)
            .await
            .context("cannot connect to the database to listen for sync pushes")?;
        tokio::spawn(crate::sync::hub::listen(listener_pool, sync_hub.clone()));
        let state = AppState {
            pool,
            limiter: Arc::new(RateLimiter::new(settings.requests_per_minute)),
            sessions: Arc::new(SessionCache::new(Duration::from_secs(
                settings.session_cache_secs,
            ))),
            settings: Arc::new(settings.clone()),
            sync_hub,
        };
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        let listener = std::net::TcpListener::bind(settings.listen)
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (serve, tls): (ServeFuture, bool) = match (&settings.tls_cert, &settings.tls_key) {
            (Some(cert), Some(key)) => {
                let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                    .await
                    .with_context(|| {
                        format!(
                            "cannot load the TLS certificate {} and key {}",
                            cert.display(),
                            key.display()
                        )
                    })?;
                let server = axum_server::from_tcp_rustls(listener, config)?;
                (
                    Box::pin(async move {
                        server.serve(app).await?;
                        Ok(())
                    }),
                    true,
                )
            }
            _ => {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                (
                    Box::pin(async move {
                        axum::serve(listener, app)
                            .with_graceful_shutdown(shutdown_signal())
                            .await?;
                        Ok(())
                    }),
                    false,
                )
            }
        };
        Ok(Application { addr, tls, serve })
    }

    /// The address actually bound (the port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// True when serving HTTPS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Serves until stopped (Ctrl-C or SIGTERM for plain HTTP).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(addr = %self.addr, tls = self.tls, "serving");
        self.serve.await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
