//! The MultiPMS central server: accounts, roles and organisations kept apart,
//! on PostgreSQL.
//!
//! Stateless: every fact lives in PostgreSQL, so several instances can serve
//! one database. Every rule of the business comes from `multipms-domain`;
//! this crate authenticates, authorises, persists and answers.
//!
//! - [`settings`]: TOML file and environment.
//! - [`db`]: the pool (as the application role), migrations, and the
//!   per-transaction organisation that row-level security walls on.
//! - [`password`], [`session`], [`sign_in_throttle`], [`rate_limit`]:
//!   accounts and sign-in.
//! - [`roles`]: who may do what, on which properties.
//! - [`accounts`]: organisations and users (the CLI and the owner's API).
//! - [`audit`]: the append-only log of every write.
//! - [`numbering`]: invoice and receipt number series.
//! - [`sync`]: desk sync (records as documents, push, pull).
//! - [`api`]: the JSON API, [`openapi`] its description, [`app`] the server.

pub mod accounts;
pub mod api;
pub mod app;
pub mod audit;
pub mod db;
pub mod error;
pub mod numbering;
pub mod openapi;
pub mod password;
pub mod rate_limit;
pub mod roles;
pub mod session;
pub mod settings;
pub mod sign_in_throttle;
pub mod sync;

pub use app::{AppState, Application};
pub use settings::Settings;
