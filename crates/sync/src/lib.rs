//! The desk's side of sync with the organisation's server.
//!
//! - [`server_url`]: which servers a desk may talk to (https, or loopback).
//! - [`token_store`]: the session token, in the OS keyring only.
//! - [`client`]: the server's HTTP API as the desk uses it.
//! - [`engine`]: sign-in and sign-out, and the background task that pushes
//!   the outbox in order and pulls the server's changes, with back-off.
//! - [`status`]: what the UI shows at all times.
//!
//! What is written and read locally (the outbox, the replica, the
//! rollback of a refused operation) lives in `multipms-store`; this crate
//! knows HTTP and timing, not tables.

pub mod client;
pub mod document_files;
pub mod engine;
mod error;
pub mod server_url;
pub mod status;
pub mod token_store;

pub use engine::SyncEngine;
pub use error::{SyncError, SyncResult};
pub use status::{SyncState, SyncStatus};
