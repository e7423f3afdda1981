//! The audit log: one row for every write, inside the write's transaction.

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

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

/// Appends one "created" row per item of `after` (no before), a few
/// hundred a statement, on `conn`, the write's own transaction.
pub(crate) async fn record_issued<A: Serialize>(
    conn: &mut SqliteConnection,
    desk_id: &str,
    actor: &str,
    action: &str,
    entity: &str,
    after: &[A],
    id_of: impl Fn(&A) -> &str,
) -> StoreResult<()> {
    let at = chrono::Utc::now().to_rfc3339();
    let rows = after
        .iter()
        .map(|a| Ok((id_of(a), to_json(a)?)))
        .collect::<StoreResult<Vec<(&str, String)>>>()?;
    for chunk in rows.chunks(500) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO audit_log (at, desk_id, actor, action, entity, entity_id, before_json, after_json) ",
        );
        q.push_values(chunk, |mut row, (entity_id, json)| {
            row.push_bind(at.as_str())
                .push_bind(desk_id)
                .push_bind(actor)
                .push_bind(action)
                .push_bind(entity)
                .push_bind(*entity_id)
                .push_bind(None::<String>)
                .push_bind(json.as_str());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)).into())
}
