//! Settings: a TOML file, overridden by environment variables.
//!
//! | TOML key | environment | default |
//! |---|---|---|
//! | `database_url` | `MULTIPMS_DATABASE_URL`, else `DATABASE_URL` | required |
//! | `admin_database_url` | `MULTIPMS_ADMIN_DATABASE_URL` | `database_url` |
//! | `app_role` | `MULTIPMS_APP_ROLE` | `multipms_app` |
//! | `listen` | `MULTIPMS_LISTEN` | `127.0.0.1:8443` |
//! | `allow_public_http` | `MULTIPMS_ALLOW_PUBLIC_HTTP` | `false` |
//! | `tls_cert`, `tls_key` | `MULTIPMS_TLS_CERT`, `MULTIPMS_TLS_KEY` | none |
//! | `log_level` | `MULTIPMS_LOG` | `info` |
//! | `trusted_proxies` | `MULTIPMS_TRUSTED_PROXIES` (comma-separated) | none |
//!
//! and the limits below (`session_hours`, `body_limit_bytes`,
//! `request_timeout_secs`, `requests_per_minute`, `sign_in_*`,
//! `max_connections`, `session_cache_secs`, `sync_body_limit_bytes`,
//! `sync_max_wait_secs`).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Everything the server needs to run.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where the server works, as a role that owns no table (or any role
    /// allowed to `SET ROLE app_role`).
    pub database_url: String,
    /// Where `migrate` runs, as the owner of the tables. Defaults to
    /// `database_url`.
    pub admin_database_url: Option<String>,
    /// The role every connection of the server switches to. It must own no
    /// table and must not bypass row-level security; the migrations make it.
    pub app_role: String,
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Serve plain HTTP on a non-loopback address (behind a TLS proxy).
    pub allow_public_http: bool,
    /// PEM certificate chain; with `tls_key`, the server speaks HTTPS.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key.
    pub tls_key: Option<PathBuf>,
    /// A tracing filter: `info`, `debug`, `multipms_server=debug,info`.
    pub log_level: String,
    /// Hours a session token lives.
    pub session_hours: i64,
    /// Largest request body, in bytes.
    pub body_limit_bytes: usize,
    /// Longest a request may take, in seconds.
    pub request_timeout_secs: u64,
    /// Requests one session token may make per minute.
    pub requests_per_minute: u32,
    /// Failed sign-ins of one account before it is locked.
    pub sign_in_lock_after_account: i32,
    /// Failed sign-ins from one address before it is locked.
    pub sign_in_lock_after_address: i32,
    /// Failed sign-ins (per account or address) after which each answer is
    /// slowed down.
    pub sign_in_slow_after: i32,
    /// Minutes a lock lasts, and the window failures are counted in.
    pub sign_in_lock_minutes: i64,
    /// Connections in the pool of each instance.
    pub max_connections: u32,
    /// Seconds a validated session is remembered by this instance before the
    /// database is asked again (0: ask on every request). Sign-out, password
    /// change, disabling a user and reassigning their properties on this
    /// instance take effect at once; on other instances, or when a session is
    /// changed in the database directly, within this bound.
    pub session_cache_secs: u64,
    /// Largest body of a sync push, in bytes (a desk's first push carries
    /// many records).
    pub sync_body_limit_bytes: usize,
    /// Longest a pull waits for changes (`wait`), in seconds; a larger
    /// `wait` is cut to it.
    pub sync_max_wait_secs: u64,
    /// Load balancers or proxies whose `X-Forwarded-For` is believed, so
    /// sign-in failures are counted per client address, not per proxy.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: String::new(),
            admin_database_url: None,
            app_role: "multipms_app".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8443)),
            allow_public_http: false,
            tls_cert: None,
            tls_key: None,
            log_level: "info".into(),
            session_hours: 12,
            body_limit_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            requests_per_minute: 600,
            sign_in_lock_after_account: 10,
            sign_in_lock_after_address: 50,
            sign_in_slow_after: 3,
            sign_in_lock_minutes: 15,
            max_connections: 10,
            session_cache_secs: 5,
            sync_body_limit_bytes: 16 * 1024 * 1024,
            sync_max_wait_secs: 25,
            trusted_proxies: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact(&self.database_url))
            .field("listen", &self.listen)
            .field("tls", &self.tls_cert.is_some())
            .field("log_level", &self.log_level)
            .finish_non_exhaustive()
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Why the settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read.
    #[error("cannot read settings file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for these settings.
    #[error("settings file {path} is not valid: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An environment variable or combination is wrong.
    #[error("{0}")]
    Invalid(String),
}

impl Settings {
    /// Reads `file` (if given) and then the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        let mut settings = match file {
            None => Settings::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                Settings::from_toml(&text).map_err(|message| SettingsError::Parse {
                    path: path.to_path_buf(),
                    message,
                })?
            }
        };
        settings.apply_env(|name| std::env::var(name).ok())?;
        Ok(settings)
    }

    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Applies environment overrides read through `var`.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        if let Some(url) = var("MULTIPMS_DATABASE_URL").or_else(|| var("DATABASE_URL")) {
            self.database_url = url;
        }
        if let Some(url) = var("MULTIPMS_ADMIN_DATABASE_URL") {
            self.admin_database_url = Some(url);
        }
        if let Some(role) = var("MULTIPMS_APP_ROLE") {
            self.app_role = role;
        }
        if let Some(listen) = var("MULTIPMS_LISTEN") {
            self.listen = listen.parse().map_err(|_| {
                SettingsError::Invalid(format!(
                    "MULTIPMS_LISTEN must be an address and port like 127.0.0.1:8443, not {listen:?}"
                ))
            })?;
        }
        if let Some(flag) = var("MULTIPMS_ALLOW_PUBLIC_HTTP") {
            self.allow_public_http = matches!(flag.trim(), "1" | "true" | "yes");
        }
        if let Some(cert) = var("MULTIPMS_TLS_CERT") {
            self.tls_cert = Some(cert.into());
        }
        if let Some(key) = var("MULTIPMS_TLS_KEY") {
            self.tls_key = Some(key.into());
        }
        if let Some(level) = var("MULTIPMS_LOG") {
            self.log_level = level;
        }
        if let Some(list) = var("MULTIPMS_TRUSTED_PROXIES") {
            self.trusted_proxies = list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse().map_err(|_| {
                        SettingsError::Invalid(format!(
                            "MULTIPMS_TRUSTED_PROXIES must be IP addresses separated by commas; {s:?} is not one"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(())
    }

    /// The URL migrations run on.
    pub fn admin_url(&self) -> &str {
        self.admin_database_url
            .as_deref()
            .unwrap_or(&self.database_url)
    }

    /// Checks what `serve` needs: a database, both halves of TLS or none,
    /// loopback only without TLS unless told otherwise.
    pub fn check_for_serving(&self) -> Result<(), SettingsError> {
        self.check_database()?;
        match (&self.tls_cert, &self.tls_key) {
            (Some(_), None) | (None, Some(_)) => {
                return Err(SettingsError::Invalid(
                    "Give both tls_cert and tls_key (MULTIPMS_TLS_CERT, MULTIPMS_TLS_KEY), or neither".into(),
                ))
            }
            (None, None) if !self.listen.ip().is_loopback() && !self.allow_public_http => {
                return Err(SettingsError::Invalid(format!(
                    "Without a TLS certificate the server listens on loopback only; {} is not loopback. \
                     Set tls_cert and tls_key, or allow_public_http = true behind a TLS proxy",
                    self.listen
                )))
            }
            _ => {}
        }
        if self.body_limit_bytes == 0
            || self.sync_body_limit_bytes == 0
            || self.request_timeout_secs == 0
            || self.requests_per_minute == 0
        {
            return Err(SettingsError::Invalid(
                "body_limit_bytes, sync_body_limit_bytes, request_timeout_secs and requests_per_minute must be above 0"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Checks that a database URL is set.
    pub fn check_database(&self) -> Result<(), SettingsError> {
        if self.database_url.trim().is_empty() {
            return Err(SettingsError::Invalid(
                "No database: set database_url in the settings file or MULTIPMS_DATABASE_URL (or DATABASE_URL)".into(),
            ));
        }
        if !self
            .app_role
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            || self.app_role.is_empty()
        {
            return Err(SettingsError::Invalid(
                "app_role must be a plain role name of letters, digits and _".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_then_env() {
        let mut s = Settings::from_toml(
            "database_url = \"postgres://a:secret@h/db\"\nlisten = \"0.0.0.0:9000\"\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n",
        )
        .unwrap();
        assert_eq!(s.listen.port(), 9000);
        s.check_for_serving().unwrap();
        s.apply_env(|k| (k == "MULTIPMS_LOG").then(|| "debug".to_string()))
            .unwrap();
        assert_eq!(s.log_level, "debug");
        assert!(!format!("{s:?}").contains("secret"));
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let mut s = Settings {
            database_url: "postgres://x/y".into(),
            listen: "0.0.0.0:8080".parse().unwrap(),
            ..Settings::default()
        };
        assert!(s.check_for_serving().is_err());
        s.allow_public_http = true;
        assert!(s.check_for_serving().is_ok());
        s.allow_public_http = false;
        s.listen = "127.0.0.1:8080".parse().unwrap();
        assert!(s.check_for_serving().is_ok());
        s.tls_cert = Some("c".into());
        assert!(s.check_for_serving().is_err());
    }

    #[test]
    fn unknown_keys_refused() {
        assert!(Settings::from_toml("databse_url = \"x\"").is_err());
    }
}
