//! Capture of local writes for sync: one AFTER INSERT, UPDATE and DELETE
//! trigger per synced table appends each row change to `sync_outbox`, in
//! the same transaction as the write, so no code path can write without its
//! change waiting to be pushed.
//!
//! The triggers are made from the tables' own columns (`PRAGMA table_info`)
//! every time the store opens, so a migration that adds a column is synced
//! without touching this file. A desk not linked to a server has none
//! (linking makes them); they stay quiet while the server's truth is being
//! applied.

use sqlx::{Sqlite, Transaction};

use crate::error::StoreResult;

/// A table that syncs, with the columns that name one of its rows.
#[derive(Debug, Clone, Copy)]
pub struct SyncedTable {
    pub name: &'static str,
    pub key: &'static [&'static str],
}

const fn table(name: &'static str, key: &'static [&'static str]) -> SyncedTable {
    SyncedTable { name, key }
}

/// Every synced table, parents before children (the order a standalone
/// desk uploads its data in).
pub const SYNCED_TABLES: &[SyncedTable] = &[
    table("organisation", &["id"]),
    table("property", &["id"]),
    table("room", &["id"]),
    table("bed", &["id"]),
    table("tenant", &["id"]),
    table("allocation", &["id"]),
    table("contract", &["id"]),
    table("invoice_series", &["property_id", "desk_id"]),
    table("receipt_series", &["desk_id"]),
    table("invoice", &["id"]),
    table("invoice_line", &["invoice_id", "position"]),
    table("payment", &["id"]),
    table("ledger_entry", &["id"]),
    table("payment_allocation", &["entry_id", "item_entry_id"]),
    table("document", &["id"]),
    table("contract_charge", &["id"]),
    table("contract_discount", &["id"]),
    table("meter_reading", &["id"]),
    table(
        "electricity_share",
        &["meter_reading_id", "contract_id", "invoice_id"],
    ),
    table("late_fee_rule", &["property_id"]),
    table("late_fee_charge", &["item_entry_id", "invoice_id"]),
    table("deposit_settlement", &["id"]),
    table("deposit_deduction", &["settlement_id", "position"]),
    table("deposit_settlement_entry", &["settlement_id", "entry_id"]),
];

/// Columns that stay on this desk: the ledger's local order of appending
/// (each desk numbers the entries it holds), and pictures, which are too
/// large for an operation (the organisation's logo).
pub fn is_local_column(table: &str, column: &str, declared_type: &str) -> bool {
    (table == "ledger_entry" && column == "seq") || declared_type.eq_ignore_ascii_case("BLOB")
}

/// The synced table of that name.
pub fn synced_table(name: &str) -> Option<&'static SyncedTable> {
    SYNCED_TABLES.iter().find(|t| t.name == name)
}

/// The synced columns of a table, in the table's order.
pub async fn synced_columns(
    conn: &mut sqlx::SqliteConnection,
    table: &str,
) -> StoreResult<Vec<String>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT name, type FROM pragma_table_info(?) ORDER BY cid")
            .bind(table)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter(|(name, ty)| !is_local_column(table, name, ty))
        .map(|(name, _)| name)
        .collect())
}

/// Makes (again) the capture triggers of every synced table when the desk
/// is linked to a server, and drops them when it is not: a desk on its own
/// has nothing to push, and every row it writes would still run three
/// triggers' conditions (a month's billing writes some 200,000 rows).
/// Linking installs them in the transaction that makes the link.
pub async fn install(tx: &mut Transaction<'_, Sqlite>) -> StoreResult<()> {
    let linked: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sync_link)")
        .fetch_one(&mut **tx)
        .await?;
    for table in SYNCED_TABLES {
        for action in CAPTURED {
            let drop = format!(
                "DROP TRIGGER IF EXISTS sync_capture_{}_{action}",
                table.name
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                .execute(&mut **tx)
                .await?;
        }
        if linked {
            let columns = synced_columns(tx, table.name).await?;
            for create in trigger_sql(table, &columns) {
                sqlx::raw_sql(sqlx::AssertSqlSafe(create))
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The SQL text of a row's key: its key columns joined with `|`.
pub fn key_sql(table: &SyncedTable, row: &str) -> String {
    table
        .key
        .iter()
        .map(|c| format!("CAST({row}.{c} AS TEXT)"))
        .collect::<Vec<_>>()
        .join(" || '|' || ")
}

/// `json_object('c', row.c, …)` of the columns of `row` (NEW, OLD, or a
/// table's name).
pub(crate) fn json_sql(columns: &[String], row: &str) -> String {
    let pairs = columns
        .iter()
        .map(|c| format!("'{c}', {row}.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("json_object({pairs})")
}

/// The changes captured, each by a trigger named `sync_capture_{table}_{change}`.
const CAPTURED: [&str; 3] = ["insert", "update", "delete"];

/// The SQL that makes each capture trigger of `table`, in the order of
/// [`CAPTURED`].
fn trigger_sql(table: &SyncedTable, columns: &[String]) -> [String; 3] {
    let t = table.name;
    let when = "WHEN (SELECT applying FROM sync_clock) = 0 AND EXISTS (SELECT 1 FROM sync_link)";
    let txn = "(SELECT txn FROM sync_clock)";
    let new_json = json_sql(columns, "NEW");
    let old_json = json_sql(columns, "OLD");
    let new_key = key_sql(table, "NEW");
    let old_key = key_sql(table, "OLD");
    [
        format!(
            "CREATE TRIGGER sync_capture_{t}_insert AFTER INSERT ON {t} {when}
             BEGIN
                 INSERT INTO sync_outbox (txn, entity, key, action, old, new)
                 VALUES ({txn}, '{t}', {new_key}, 'upsert', NULL, {new_json});
             END;"
        ),
        format!(
            "CREATE TRIGGER sync_capture_{t}_update AFTER UPDATE ON {t} {when}
             BEGIN
                 INSERT INTO sync_outbox (txn, entity, key, action, old, new)
                 SELECT {txn}, '{t}', {new_key}, 'upsert', {old_json}, {new_json}
                 WHERE {old_json} IS NOT {new_json};
             END;"
        ),
        format!(
            "CREATE TRIGGER sync_capture_{t}_delete AFTER DELETE ON {t} {when}
             BEGIN
                 INSERT INTO sync_outbox (txn, entity, key, action, old, new)
                 VALUES ({txn}, '{t}', {old_key}, 'delete', {old_json}, NULL);
             END;"
        ),
    ]
}
