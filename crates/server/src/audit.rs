//! The append-only audit log: who wrote what, when, from which desk, with
//! the record before and after. The database refuses to change or delete a
//! written entry; owners read it through the API.

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::db::OrgTx;
use crate::roles::Caller;

/// One write to record.
pub struct Entry<'a> {
    /// `create`, `update`, `disable`, `sign_in`, …
    pub action: &'a str,
    /// `property`, `room`, `bed`, `tenant`, `allocation`, `user`, …
    pub entity: &'a str,
    /// The record's id.
    pub entity_id: Uuid,
    /// The record before, if it existed.
    pub before: Option<Value>,
    /// The record after, if it still exists.
    pub after: Option<Value>,
}

/// Serializes a record for the log.
pub fn snapshot<T: Serialize>(record: &T) -> Option<Value> {
    serde_json::to_value(record).ok()
}

/// Appends `entry` in the caller's transaction: it commits with the write.
pub async fn record(tx: &mut OrgTx, caller: &Caller, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    record_as(
        tx,
        caller.org_id,
        Some(caller.user_id),
        caller.desk_id.as_deref(),
        entry,
    )
    .await
}

/// Appends `entry` for `org_id` by `user_id` (none for the command line).
pub async fn record_as(
    tx: &mut OrgTx,
    org_id: Uuid,
    user_id: Option<Uuid>,
    desk_id: Option<&str>,
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (org_id, user_id, desk_id, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(desk_id)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.before)
    .bind(entry.after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
