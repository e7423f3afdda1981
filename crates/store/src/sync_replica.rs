//! The replica side of sync: applying the server's truth to the desk —
//! the pages of changes pulled since the last sequence number, and the
//! server's data for the rows of an operation it refused (the rollback).
//!
//! Truth is applied in one transaction per page with `sync_clock.applying`
//! set, so the capture triggers do not send it back and the append-only
//! guards let it in, and with foreign keys off on that connection: a page
//! may bring a child before a parent whose later edit moved it further
//! along the server's order. A pulled row that this desk has changed and
//! not yet pushed is left alone; the push that follows makes the server
//! merge it, and the pull after brings the merged row.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{Sqlite, SqliteConnection};

use crate::clock::now;
use crate::error::StoreResult;
use crate::sync_capture::{json_sql, synced_columns, synced_table, SyncedTable, SYNCED_TABLES};
use crate::sync_outbox::Refusal;
use crate::Store;

/// A row as the server holds it: none when the server has no such row (or
/// it was deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub entity: String,
    pub key: String,
    pub data: Option<Value>,
}

/// What else the transaction that applies truth does.
pub(crate) enum Finish<'a> {
    /// A pulled page: the desk has now seen up to `last_seq`; `last_page`
    /// when nothing more waits on the server.
    Pulled { last_seq: i64, last_page: bool },
    /// The rollback of a refused operation of `rows` rows.
    Refused { refusal: &'a Refusal, rows: i64 },
}

impl Store {
    /// Applies one pulled page of the server's changes and moves the
    /// desk's sequence number to `last_seq`, in one transaction. Returns
    /// how many rows were written.
    pub async fn apply_pulled(
        &self,
        changes: &[Record],
        last_seq: i64,
        last_page: bool,
    ) -> StoreResult<usize> {
        apply_records(
            self,
            changes,
            Finish::Pulled {
                last_seq,
                last_page,
            },
        )
        .await
    }

    /// Every synced row of the desk, as the server would hold it, sorted by
    /// table and key: what a desk and the server compare to prove they
    /// agree.
    pub async fn sync_dump(&self) -> StoreResult<Vec<Record>> {
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::new();
        for table in SYNCED_TABLES {
            let columns = synced_columns(&mut conn, table.name).await?;
            let json = json_sql(&columns, table.name);
            let key = crate::sync_capture::key_sql(table, table.name);
            let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {key}, {json} FROM {t}",
                t = table.name
            )))
            .fetch_all(&mut *conn)
            .await?;
            for (key, data) in rows {
                out.push(Record {
                    entity: table.name.to_string(),
                    key,
                    data: Some(
                        serde_json::from_str(&data)
                            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                    ),
                });
            }
        }
        out.sort_by(|a, b| (&a.entity, &a.key).cmp(&(&b.entity, &b.key)));
        Ok(out)
    }
}

/// Applies `records` and `finish` in one transaction (see the module's
/// notes), on a connection taken out of the pool for good: it runs with
/// foreign keys off, and if the caller is cancelled half-way, dropping it
/// closes it, which rolls the transaction back, rather than handing a
/// connection in a transaction back to the pool.
pub(crate) async fn apply_records(
    store: &Store,
    records: &[Record],
    finish: Finish<'_>,
) -> StoreResult<usize> {
    let mut conn = store.pool().acquire().await?.detach();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut conn)
        .await?;
    // A row the server's truth replaces (`INSERT OR REPLACE`) is deleted
    // with its delete triggers, so totals kept by triggers (`account_dues`)
    // follow it.
    sqlx::query("PRAGMA recursive_triggers = ON")
        .execute(&mut conn)
        .await?;
    let applied = apply_in(&mut conn, records, finish).await;
    let _ = sqlx::Connection::close(conn).await;
    applied
}

async fn apply_in(
    conn: &mut SqliteConnection,
    records: &[Record],
    finish: Finish<'_>,
) -> StoreResult<usize> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    sqlx::query("UPDATE sync_clock SET applying = 1")
        .execute(&mut *conn)
        .await?;
    let pulled = matches!(finish, Finish::Pulled { .. });
    let outbox_empty = if pulled {
        sqlx::query_scalar::<_, i64>("SELECT NOT EXISTS (SELECT 1 FROM sync_outbox)")
            .fetch_one(&mut *conn)
            .await?
            == 1
    } else {
        true
    };
    let mut columns: HashMap<&'static str, Vec<String>> = HashMap::new();
    let mut search = SearchRefresh::default();
    let mut written = 0;
    for record in records {
        // A table this desk does not know yet (a newer desk wrote it).
        let Some(table) = synced_table(&record.entity) else {
            continue;
        };
        if pulled && !outbox_empty && is_pending(conn, record).await? {
            continue;
        }
        if !columns.contains_key(table.name) {
            let known = synced_columns(conn, table.name).await?;
            columns.insert(table.name, known);
        }
        let known = &columns[table.name];
        match &record.data {
            Some(Value::Object(data)) => upsert(conn, table, known, data).await?,
            Some(_) => continue,
            None => delete(conn, table, &record.key).await?,
        }
        search.note(record);
        written += 1;
    }
    search.run(conn).await?;
    match finish {
        Finish::Pulled {
            last_seq,
            last_page,
        } => {
            sqlx::query("UPDATE sync_link SET last_seq = max(last_seq, ?) WHERE singleton = 1")
                .bind(last_seq)
                .execute(&mut *conn)
                .await?;
            if last_page {
                rebuild_search_if_stale(conn).await?;
            }
        }
        Finish::Refused { refusal, rows } => {
            sqlx::query("DELETE FROM sync_outbox WHERE op_id = ?")
                .bind(&refusal.op_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT OR IGNORE INTO sync_conflict (op_id, happened_at, message, field, rows)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&refusal.op_id)
            .bind(now())
            .bind(&refusal.message)
            .bind(&refusal.field)
            .bind(rows)
            .execute(&mut *conn)
            .await?;
            rebuild_search_if_stale(conn).await?;
        }
    }
    sqlx::query("UPDATE sync_clock SET applying = 0")
        .execute(&mut *conn)
        .await?;
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    Ok(written)
}

/// Rebuilds the search index once, when applied pages left it stale.
async fn rebuild_search_if_stale(conn: &mut SqliteConnection) -> StoreResult<()> {
    let stale: i64 = sqlx::query_scalar("SELECT search_stale FROM sync_clock")
        .fetch_one(&mut *conn)
        .await?;
    if stale == 1 {
        crate::search::rebuild(conn).await?;
        sqlx::query("UPDATE sync_clock SET search_stale = 0")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn is_pending(conn: &mut SqliteConnection, record: &Record) -> StoreResult<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sync_outbox WHERE entity = ? AND key = ? LIMIT 1")
            .bind(&record.entity)
            .bind(&record.key)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

fn bind_value<'q>(
    query: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>,
    value: Option<&Value>,
) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments> {
    match value {
        None | Some(Value::Null) => query.bind(None::<String>),
        Some(Value::Bool(b)) => query.bind(i64::from(*b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => query.bind(i),
            None => query.bind(n.as_f64()),
        },
        Some(Value::String(s)) => query.bind(s.clone()),
        Some(other) => query.bind(other.to_string()),
    }
}

async fn upsert(
    conn: &mut SqliteConnection,
    table: &SyncedTable,
    known: &[String],
    data: &serde_json::Map<String, Value>,
) -> StoreResult<()> {
    let present: Vec<&String> = known.iter().filter(|c| data.contains_key(*c)).collect();
    if present.is_empty() {
        return Ok(());
    }
    let names = present
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let marks = vec!["?"; present.len()].join(", ");
    let updates = present
        .iter()
        .filter(|c| !table.key.contains(&c.as_str()))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let on_conflict = if updates.is_empty() {
        "DO NOTHING".to_string()
    } else {
        format!("DO UPDATE SET {updates}")
    };
    let sql = format!(
        "INSERT INTO {t} ({names}) VALUES ({marks}) ON CONFLICT ({key}) {on_conflict}",
        t = table.name,
        key = table.key.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for c in &present {
        query = bind_value(query, data.get(*c));
    }
    if query.execute(&mut *conn).await.is_ok() {
        return Ok(());
    }
    // Another unique column holds a row the server no longer has (this
    // desk's own row, refused or replaced): the server's row wins.
    let sql = format!(
        "INSERT OR REPLACE INTO {t} ({names}) VALUES ({marks})",
        t = table.name
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for c in &present {
        query = bind_value(query, data.get(*c));
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

async fn delete(conn: &mut SqliteConnection, table: &SyncedTable, key: &str) -> StoreResult<()> {
    let parts: Vec<&str> = key.split('|').collect();
    if parts.len() != table.key.len() {
        return Ok(());
    }
    let condition = table
        .key
        .iter()
        .map(|c| format!("CAST({c} AS TEXT) = ?"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {t} WHERE {condition}",
        t = table.name
    )));
    for part in parts {
        query = query.bind(part.to_string());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Which tenants' search rows the applied rows moved.
#[derive(Default)]
struct SearchRefresh {
    tenants: Vec<String>,
    everything: bool,
}

/// Past this many tenants, one rebuild is cheaper than refreshing each.
const REFRESH_ONE_BY_ONE: usize = 200;

impl SearchRefresh {
    fn note(&mut self, record: &Record) {
        let field = |name: &str| {
            record
                .data
                .as_ref()
                .and_then(|d| d.get(name))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        match record.entity.as_str() {
            "tenant" => self.tenants.push(record.key.clone()),
            "allocation" => match field("tenant_id") {
                Some(t) => self.tenants.push(t),
                None => self.everything = true,
            },
            "bed" | "room" => self.everything = true,
            _ => {}
        }
    }

    async fn run(mut self, conn: &mut SqliteConnection) -> StoreResult<()> {
        if self.everything || self.tenants.len() > REFRESH_ONE_BY_ONE {
            sqlx::query("UPDATE sync_clock SET search_stale = 1")
                .execute(&mut *conn)
                .await?;
            return Ok(());
        }
        self.tenants.sort();
        self.tenants.dedup();
        for tenant in &self.tenants {
            crate::search::refresh_tenant(conn, tenant).await?;
        }
        Ok(())
    }
}
