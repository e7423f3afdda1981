//! The outbox: the row changes of local writes waiting to be pushed, in the
//! order they were written, grouped into operations (one per local
//! transaction, split only when a transaction is too large for one
//! request). An operation's id is fixed the first time it is sent, so a
//! retried push is the same operation and the server applies it once.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock::{new_id, now};
use crate::error::StoreResult;
use crate::sync_replica::{apply_records, Finish, Record};
use crate::Store;

/// One row change: `old` is the row before (none for a new row), `new` the
/// row after (none for a deleted row); columns as the desk stores them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowChange {
    pub entity: String,
    pub key: String,
    pub action: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// An operation ready to push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingOp {
    pub op_id: String,
    pub rows: Vec<RowChange>,
}

/// Most rows one operation carries.
pub const MAX_OP_ROWS: usize = 2000;
/// About how many bytes of row JSON one operation carries.
pub const MAX_OP_BYTES: usize = 300_000;
/// How many outbox rows one call reads at most.
const READ_ROWS: i64 = 4000;

/// A refused operation, as the server explained it.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub op_id: String,
    pub message: String,
    pub field: Option<String>,
    /// The server's data for every row the operation touched (none where
    /// the server has no such row).
    pub truth: Vec<Record>,
}

/// An operation the server refused, as the user reads it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct SyncConflict {
    pub op_id: String,
    pub happened_at: String,
    pub message: String,
    pub field: Option<String>,
    pub rows: i64,
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    seq: i64,
    txn: i64,
    entity: String,
    key: String,
    action: String,
    old: Option<String>,
    new: Option<String>,
    op_id: Option<String>,
}

impl Store {
    /// How many row changes wait to be pushed.
    pub async fn outbox_len(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM sync_outbox")
            .fetch_one(self.pool())
            .await?)
    }

    /// The next operations to push, oldest first, about `max_bytes` of rows
    /// in all (always at least one operation when any row waits). Rows that
    /// had no operation yet get one here, in one transaction.
    pub async fn next_ops(&self, max_bytes: usize) -> StoreResult<Vec<PendingOp>> {
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT seq, txn, entity, key, action, old, new, op_id
             FROM sync_outbox ORDER BY seq LIMIT ?",
        )
        .bind(READ_ROWS)
        .fetch_all(self.pool())
        .await?;
        let read_all = (rows.len() as i64) < READ_ROWS;
        // Group: rows already sent keep their operation; the others go by
        // transaction, split when too large.
        let mut groups: Vec<(Option<String>, Vec<OutboxRow>, usize)> = Vec::new();
        for row in rows {
            let size = row.old.as_ref().map_or(0, String::len)
                + row.new.as_ref().map_or(0, String::len)
                + 64;
            let same = match groups.last() {
                Some((op, members, bytes)) => {
                    let last = members.last().expect("a group has a row");
                    match (&row.op_id, op) {
                        (Some(id), Some(op)) => id == op,
                        (None, None) => {
                            last.txn == row.txn
                                && members.len() < MAX_OP_ROWS
                                && bytes + size <= MAX_OP_BYTES
                        }
                        _ => false,
                    }
                }
                None => false,
            };
            if same {
                let (_, members, bytes) = groups.last_mut().expect("checked");
                members.push(row);
                *bytes += size;
            } else {
                groups.push((row.op_id.clone(), vec![row], size));
            }
        }
        // A transaction cut off by the read limit waits for the next call,
        // unless it is all there is.
        if !read_all && groups.len() > 1 {
            groups.pop();
        }
        let mut total = 0;
        let mut chosen = Vec::new();
        for group in groups {
            if !chosen.is_empty() && total + group.2 > max_bytes {
                break;
            }
            total += group.2;
            chosen.push(group);
        }
        let mut tx = self.pool().begin().await?;
        let mut ops = Vec::with_capacity(chosen.len());
        for (op_id, members, _) in chosen {
            let op_id = match op_id {
                Some(id) => id,
                None => {
                    let id = new_id();
                    let first = members.first().expect("a group has a row").seq;
                    let last = members.last().expect("a group has a row").seq;
                    sqlx::query("UPDATE sync_outbox SET op_id = ? WHERE seq BETWEEN ? AND ?")
                        .bind(&id)
                        .bind(first)
                        .bind(last)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
            };
            let rows = members
                .into_iter()
                .map(|r| {
                    Ok(RowChange {
                        entity: r.entity,
                        key: r.key,
                        action: r.action,
                        old: r.old.map(|t| serde_json::from_str(&t)).transpose()?,
                        new: r.new.map(|t| serde_json::from_str(&t)).transpose()?,
                    })
                })
                .collect::<Result<Vec<_>, serde_json::Error>>()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            ops.push(PendingOp { op_id, rows });
        }
        tx.commit().await?;
        Ok(ops)
    }

    /// The server took the operation: its rows leave the outbox.
    pub async fn op_accepted(&self, op_id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sync_outbox WHERE op_id = ?")
            .bind(op_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The server refused the operation: the rows it touched go back to the
    /// server's truth, its rows leave the outbox, and the conflict is kept
    /// for the user — all in one transaction.
    pub async fn op_refused(&self, refusal: &Refusal) -> StoreResult<()> {
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_outbox WHERE op_id = ?")
            .bind(&refusal.op_id)
            .fetch_one(self.pool())
            .await?;
        apply_records(self, &refusal.truth, Finish::Refused { refusal, rows }).await?;
        Ok(())
    }

    /// Conflicts the user has not dismissed, newest first.
    pub async fn sync_conflicts(&self) -> StoreResult<Vec<SyncConflict>> {
        Ok(sqlx::query_as(
            "SELECT op_id, happened_at, message, field, rows FROM sync_conflict
             WHERE seen_at IS NULL ORDER BY happened_at DESC, op_id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// The user has read a conflict.
    pub async fn dismiss_conflict(&self, op_id: &str) -> StoreResult<()> {
        sqlx::query("UPDATE sync_conflict SET seen_at = ? WHERE op_id = ? AND seen_at IS NULL")
            .bind(now())
            .bind(op_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
