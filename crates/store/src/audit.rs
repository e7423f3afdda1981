//! The audit log: one row for every write, inside the write's transaction.

use serde::Serialize;
use sqlx::SqliteConnection;

use crate::error::StoreResult;

/// One audit row about to be written.
pub(crate) struct AuditEntry<'a, B: Serialize, A: Serialize> {
    pub desk_id: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<&'a B>,
    pub after: Option<&'a A>,
}

/// Appends `entry` on `conn`, which is the write's own transaction, so the
/// change and its audit row commit or roll back together.
pub(crate) async fn record<B: Serialize, A: Serialize>(
    conn: &mut SqliteConnection,
    entry: AuditEntry<'_, B, A>,
) -> StoreResult<()> {
    let before = entry.before.map(to_json).transpose()?;
    let after = entry.after.map(to_json).transpose()?;
    sqlx::query(
        "INSERT INTO audit_log (at, desk_id, actor, action, entity, entity_id, before_json, after_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(chrono::Utc::now().to_rfc3339())
    .bind(entry.desk_id)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(before)
    .bind(after)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)).into())
}
