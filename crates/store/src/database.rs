use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::{StoreError, StoreResult};

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "multipms.sqlite3";

/// The open local store.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    desk_id: String,
    path: PathBuf,
    /// Who works at this desk (see `operator.rs`).
    operator: std::sync::Arc<std::sync::RwLock<String>>,
}

impl Store {
    /// Opens (creating when missing) the database in `data_dir`, runs the
    /// migrations, and makes sure this desk has its identity.
    pub async fn open(data_dir: &Path) -> StoreResult<Store> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataFolder {
            path: data_dir.display().to_string(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        sqlite_without_memory_statistics();
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(&path)
            .create_if_missing(true)
            // WAL keeps readers off the writer's back; FULL makes a commit
            // survive a power cut (NORMAL can lose the last transactions).
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // 16 KiB pages for a database made now (one made with 4 KiB
            // pages keeps them: WAL cannot change it). A billing run's
            // rows land in every index of four tables; larger pages make
            // shallower trees and fewer pages to find, split, log and copy
            // back: the month at 50,400 contracts took 3.6-4.2 s instead of
            // 4.8-5.3 s, the ledger export 0.6-0.9 s instead of 0.9-1.1 s.
            .page_size(16384)
            // A 64 MiB page cache and memory-mapped reads keep portfolio-wide
            // reports (50,000 beds) under 100 ms; the default 2 MiB cache
            // re-reads pages for every report.
            .pragma("cache_size", "-65536")
            .pragma("mmap_size", "268435456")
            // Checkpoint the WAL into the database every 40 MB (2,500 pages
            // of 16 KiB) rather than every 4 MB: a month's billing commits
            // property by property, and pages rewritten by several commits
            // are copied back once.
            .pragma("wal_autocheckpoint", "2500");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        crate::sync_capture::install(&mut tx).await?;
        tx.commit().await?;
        let desk_id = ensure_desk(&pool).await?;
        let operator: Option<String> =
            sqlx::query_scalar("SELECT operator_name FROM desk WHERE singleton = 1")
                .fetch_one(&pool)
                .await?;
        Ok(Store {
            pool,
            desk_id,
            path,
            operator: std::sync::Arc::new(std::sync::RwLock::new(
                operator.unwrap_or_else(|| crate::operator::DEFAULT_OPERATOR.to_string()),
            )),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction that takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that read first and wrote later could
    /// otherwise fail with SQLITE_BUSY when another connection wrote between.
    ///
    /// It also numbers the transaction (`sync_clock.txn`), so the rows it
    /// writes are pushed to the server as one operation (see
    /// `sync_capture`).
    pub async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("UPDATE sync_clock SET txn = txn + 1")
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// The operator's name, read at open and changed by `set_operator`.
    pub(crate) fn operator_cell(&self) -> &std::sync::RwLock<String> {
        &self.operator
    }

    /// This desk's identity, made once on first start.
    pub fn desk_id(&self) -> &str {
        &self.desk_id
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Turns off SQLite's memory statistics, once, before this process opens
/// its first connection (SQLite takes the setting only then; later calls
/// change nothing). With them on, every allocation SQLite makes takes one
/// process-wide lock, and the driver's thread (running statements) and the
/// async side (dropping the rows it read) contend for it on every row: a
/// month's billing run spent a fifth of its time waking the other thread.
/// SQLite lists this setting among those it recommends
/// (`SQLITE_DEFAULT_MEMSTATUS=0`).
fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config with SQLITE_CONFIG_MEMSTATUS takes one int;
        // before initialisation nothing else runs in SQLite, and after it
        // the call only returns SQLITE_MISUSE.
        unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0);
        }
    });
}

/// What a failed read on a [`read_only`] connection becomes.
pub(crate) fn read_failed(error: rusqlite::Error) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!(
        "reading the local database failed: {error}"
    )))
}

/// A read-only connection on the desk's database for one long read, on a
/// blocking thread: a plain SQLite cursor hands each cell over borrowed,
/// where the async driver copies every row and sends it across threads.
/// WAL lets it read a consistent snapshot while the desk goes on writing.
pub(crate) fn read_only(path: &Path) -> StoreResult<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(read_failed)?;
    // The whole file mapped (SQLite caps this at its compiled maximum, 2
    // GiB): a long read in index order touches pages all over it, and a
    // mapped page costs no system call.
    conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA mmap_size = 17179869184;")
        .map_err(read_failed)?;
    Ok(conn)
}

async fn ensure_desk(pool: &SqlitePool) -> StoreResult<String> {
    let new_id = uuid::Uuid::now_v7().to_string();
    let now = chrono::Utc::now().to_rfc3339();
    sqlx::query("INSERT OR IGNORE INTO desk (singleton, desk_id, created_at) VALUES (1, ?, ?)")
        .bind(&new_id)
        .bind(&now)
        .execute(pool)
        .await?;
    let desk_id: String = sqlx::query_scalar("SELECT desk_id FROM desk WHERE singleton = 1")
        .fetch_one(pool)
        .await?;
    Ok(desk_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_in_wal_with_full_sync_foreign_keys_and_16_kib_pages() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(journal, "wal");
        // 2 = FULL
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(sync, 2);
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let page: i64 = sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(page, 16_384);
        assert!(dir.path().join(DATABASE_FILE).exists());
    }

    #[tokio::test]
    async fn second_open_reuses_the_same_desk() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path()).await.unwrap();
        let id = first.desk_id().to_string();
        first.close().await;
        let second = Store::open(dir.path()).await.unwrap();
        assert_eq!(second.desk_id(), id);
    }

    #[tokio::test]
    async fn a_data_folder_that_is_a_file_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, b"x").unwrap();
        let err = Store::open(&file).await.unwrap_err();
        assert!(matches!(err, StoreError::DataFolder { .. }), "{err}");
    }
}
