//! The desk's local store: one SQLite file in the data folder, opened in WAL
//! mode with full fsync, foreign keys on, and migrated on open.
//!
//! It persists and queries; the rules live in `multipms-domain`.

pub mod allocation;
mod audit;
pub mod billing;
pub mod charges;
mod clock;
pub mod contract;
mod csv_lines;
pub mod dashboard;
mod database;
pub mod deposit_settlement;
pub mod document;
mod document_file_sync;
mod dues;
mod error;
pub mod export;
mod invoice_batch;
pub mod invoice_page;
pub mod invoice_print;
pub mod late_fee;
pub mod ledger;
mod ledger_export;
pub mod logo;
pub mod meter_reading;
pub mod number_series;
pub mod occupancy;
pub mod operator;
pub mod organisation;
pub mod payment;
pub mod property;
pub mod receipt_print;
pub mod reports;
pub mod room;
mod sample_billing;
pub mod sample_history;
pub mod sample_portfolio;
mod search;
mod sqlite_cursor;
mod stays;
pub mod sync_capture;
pub mod sync_link;
pub mod sync_outbox;
pub mod sync_replica;
pub mod tenant;

pub use clock::today;
pub use database::{Store, DATABASE_FILE};
pub use error::{StoreError, StoreResult};
