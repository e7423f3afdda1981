//! The desk's local store: one SQLite file in the data folder, opened in WAL
//! mode with full fsync, foreign keys on, and migrated on open.
//!
//! It persists and queries; the rules live in `multipms-domain`.

mod audit;
mod database;
mod error;
pub mod organisation;

pub use database::{Store, DATABASE_FILE};
pub use error::{StoreError, StoreResult};
