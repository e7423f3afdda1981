//! Desk sync: the desks' SQLite rows kept as documents, per organisation.
//!
//! A record is (entity, key, data): the desk's table, its primary key as
//! text (composite keys joined with `|`), and a JSON object of the row's
//! columns. Desks push operations (the row changes of one local
//! transaction) and pull what changed after a sequence number.
//!
//! - [`access`]: who may push and pull what (role and property scope).
//! - [`schema`]: the synced entities, their columns, references, what may
//!   change, and the desk's UNIQUE constraints.
//! - [`rules`]: the checks of one row that need no database.
//! - [`world`]: the records an operation touches or names, loaded in bulk.
//! - [`apply`]: judging and applying one operation, once.
//! - [`reasons`]: refusals a person can read.
//! - [`feed`]: pulling changes and the status.
//! - [`hub`]: waking the long polls.

pub mod access;
pub mod apply;
pub mod feed;
pub mod hub;
pub mod reasons;
pub mod rules;
pub mod schema;
pub mod world;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use rules::Data;

/// Most operations one push may carry.
pub const MAX_OPS: usize = 200;
/// Most rows one operation may carry.
pub const MAX_ROWS: usize = 2000;

/// `POST /api/v1/sync/push`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PushBody {
    /// The desk pushing (its `desk.desk_id`).
    pub desk_id: Uuid,
    /// 1 to 200 operations, applied in this order.
    #[schema(min_items = 1, max_items = 200)]
    pub ops: Vec<OpIn>,
}

/// One operation: the row changes of one local transaction.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct OpIn {
    /// Its id: a retried operation is applied once.
    pub op_id: Uuid,
    /// 1 to 2000 row changes, in the order the desk made them.
    #[schema(min_items = 1, max_items = 2000)]
    pub rows: Vec<RowIn>,
}

/// What happened to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// Inserted (`old` null) or changed (`old` the row before).
    Upsert,
    /// Deleted.
    Delete,
}

/// One row change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct RowIn {
    /// The desk's table: tenant, allocation, payment, …
    pub entity: String,
    /// The row's key: its key columns joined with `|`.
    pub key: String,
    /// upsert or delete.
    pub action: RowAction,
    /// The row before an edit (column -> value); null for a new row.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub old: Option<Data>,
    /// The row after (column -> text, whole number or null); null for a
    /// delete.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub new: Option<Data>,
}

/// accepted or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    /// Applied: every row got a sequence number.
    Accepted,
    /// Refused: nothing of it was applied.
    Rejected,
}

impl OpStatus {
    /// The stored name.
    pub fn code(self) -> &'static str {
        match self {
            OpStatus::Accepted => "accepted",
            OpStatus::Rejected => "rejected",
        }
    }
}

/// The server's state of a record (data null: it has none).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct TruthRecord {
    /// The entity.
    pub entity: String,
    /// The key.
    pub key: String,
    /// The record's columns; null when the server does not have it.
    #[schema(value_type = Option<Object>)]
    pub data: Option<Data>,
}

/// The answer to one operation (the same again when it is sent again).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpResult {
    /// The operation.
    pub op_id: Uuid,
    /// accepted or rejected.
    pub status: OpStatus,
    /// The sequence number of its last row (accepted).
    pub seq: Option<i64>,
    /// Why it was refused, for a person (rejected).
    pub reason: Option<String>,
    /// The column at fault (rejected).
    pub field: Option<String>,
    /// The server's data of every record the refused operation touched, to
    /// roll the desk back; empty when accepted.
    pub truth: Vec<TruthRecord>,
}

/// `POST /api/v1/sync/push` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushAnswer {
    /// One per operation, in order.
    pub results: Vec<OpResult>,
    /// The organisation's last sequence number now.
    pub last_seq: i64,
}

/// One changed record.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Change {
    /// Its sequence number.
    pub seq: i64,
    /// The entity.
    pub entity: String,
    /// The key.
    pub key: String,
    /// The columns; null when deleted.
    #[schema(value_type = Option<Object>)]
    pub data: Option<Data>,
}

/// `GET /api/v1/sync/changes` answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangesPage {
    /// Records changed after `after`, by sequence number.
    pub changes: Vec<Change>,
    /// The organisation's last sequence number.
    pub last_seq: i64,
    /// True when more changes follow this page.
    pub more: bool,
    /// What the caller's role is sent: `full`, or `no_money_no_kyc` for a
    /// caretaker (money records come as deletions, KYC numbers as null).
    /// A desk whose view changes pulls again from the start.
    #[serde(default)]
    pub view: String,
}

/// `GET /api/v1/sync/status` answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SyncStatus {
    /// The organisation's last sequence number.
    pub last_seq: i64,
    /// Records it keeps (deleted ones not counted).
    pub records: i64,
}
