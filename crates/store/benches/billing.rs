//! The month's billing run for every property of a generated portfolio of
//! 56,000 beds (50,400 active contracts) with three years of history, and
//! the CSV export of its whole ledger (about a million rows) — each beside
//! its plain baseline in the same run:
//!
//! - billing: inserting as many rows as the run wrote into SQLite with one
//!   prepared statement in one transaction;
//! - export: writing the same rows with the csv crate alone, from memory.
//!
//! Each timed step starts with what the bench wrote before it on disk, so
//! that none shares the machine with the kernel writing back another's
//! pages.
//!
//! cargo bench -p multipms-store --bench billing
//! (MULTIPMS_BENCH_DIR keeps the database, and a kept database bills the
//! month after the last one billed, so the run can be timed again on it;
//! MULTIPMS_BENCH_RUNS sets the export runs, 5 by default;
//! MULTIPMS_BENCH_STEPS=dashboard,export runs only the steps named, of
//! dashboard, billing and export.)

use std::fs::File;
use std::io::BufWriter;
use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate};
use multipms_domain::billing::BillingMonth;
use multipms_store::export::{LedgerFilter, Progress};
use multipms_store::sample_history::{generate_history, HistoryCounts};
use multipms_store::sample_portfolio::{generate, SampleSize};
use multipms_store::{today, Store};

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// Copies the WAL into the database and empties it.
async fn checkpoint(store: &Store) {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await
        .unwrap();
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::var("MULTIPMS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("MULTIPMS_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let store = Store::open(&path).await.unwrap();
    let size = SampleSize::BILLING;
    let today = today();
    let t = Instant::now();
    let reuse = count(&store, "property").await > 0;
    if !reuse {
        generate(&store, size, today).await.unwrap();
        generate_history(&store, 36, today).await.unwrap();
    }
    let history = HistoryCounts {
        invoices: count(&store, "invoice").await,
        payments: count(&store, "payment").await,
        ledger_entries: count(&store, "ledger_entry").await,
    };
    let active: i64 = sqlx::query_scalar("SELECT count(*) FROM contract WHERE status = 'active'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    println!(
        "portfolio: {} beds, {} tenants, {active} active contracts; history: {} invoices, \
         {} payments, {} ledger entries (made in {})",
        size.beds(),
        size.tenants,
        history.invoices,
        history.payments,
        history.ledger_entries,
        secs(t.elapsed())
    );

    let steps = std::env::var("MULTIPMS_BENCH_STEPS").unwrap_or_default();
    let step = |name: &str| steps.is_empty() || steps.split(',').any(|s| s.trim() == name);
    if step("dashboard") {
        dashboard(&store, today).await;
    }
    if step("billing") {
        billing_run(&store, today, active).await;
    }
    if step("export") {
        export(&store, &path, runs).await;
    }
}

/// The owner's first screen on this portfolio: all properties, then one.
async fn dashboard(store: &Store, today: NaiveDate) {
    settle(store.path().parent().unwrap());
    let t = Instant::now();
    let all = store.dashboard(None, today).await.unwrap();
    let whole = t.elapsed();
    let property = store.properties().await.unwrap()[0].id.clone();
    let t = Instant::now();
    store.dashboard(Some(&property), today).await.unwrap();
    let one = t.elapsed();
    let t = Instant::now();
    let dues = store.dues_summary(None, today).await.unwrap();
    let dues_time = t.elapsed();
    println!(
        "dashboard: all properties {} ({} months), one property {}; dues with ageing, asked after: {} ({} tenants owe)",
        secs(whole),
        all.occupancy_history.len(),
        secs(one),
        secs(dues_time),
        dues.tenants_owing
    );
}

async fn billing_run(store: &Store, today: NaiveDate, active: i64) {
    // The month after today's, which no contract has been billed for; on a
    // kept database, the month after the last one billed.
    let mut next = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .unwrap()
        .checked_add_months(Months::new(1))
        .unwrap();
    let last: Option<String> = sqlx::query_scalar("SELECT max(month) FROM invoice")
        .fetch_one(store.pool())
        .await
        .unwrap();
    if let Some(last) = last {
        let last = NaiveDate::parse_from_str(&format!("{last}-01"), "%Y-%m-%d").unwrap();
        if last >= next {
            next = last.checked_add_months(Months::new(1)).unwrap();
        }
    }
    let month = BillingMonth::parse(&next.format("%Y-%m").to_string(), "month").unwrap();
    let properties: Vec<String> = sqlx::query_scalar("SELECT id FROM property ORDER BY rowid")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let tables = ["invoice", "invoice_line", "ledger_entry", "audit_log"];
    let mut before = 0;
    for table in tables {
        before += count(store, table).await;
    }
    // Each timed write starts on an empty WAL and ends with its pages
    // copied into the database, so neither pays for the other's checkpoint.
    checkpoint(store).await;
    let dir = store.path().parent().unwrap();
    settle(dir);
    let t = Instant::now();
    let mut issued = 0;
    for property in &properties {
        issued += store
            .run_billing("bench", property, month, next)
            .await
            .unwrap()
            .created
            .len();
    }
    checkpoint(store).await;
    let billing = t.elapsed();
    let mut after = 0;
    for table in tables {
        after += count(store, table).await;
    }
    let rows_written = after - before;
    // Tenants on notice leave 20 days after the portfolio's day, so a later
    // month of a kept database bills only those still staying.
    let staying: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM contract c JOIN allocation a ON a.id = c.allocation_id
         WHERE c.status = 'active' AND (a.move_out IS NULL OR a.move_out > ?)",
    )
    .bind(next.format("%Y-%m-%d").to_string())
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(staying <= active);
    assert_eq!(
        issued as i64, staying,
        "every active contract still staying is billed once"
    );

    // Baseline: the same number of rows, one prepared statement, one
    // transaction, through the same driver.
    sqlx::query("DROP TABLE IF EXISTS baseline")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE baseline (id TEXT PRIMARY KEY, tenant TEXT, kind TEXT, memo TEXT,
            amount INTEGER, posted_on TEXT, recorded_at TEXT) STRICT",
    )
    .execute(store.pool())
    .await
    .unwrap();
    checkpoint(store).await;
    settle(dir);
    let t = Instant::now();
    let mut tx = store.begin_write().await.unwrap();
    for n in 0..rows_written {
        sqlx::query("INSERT INTO baseline VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(format!("00000000-0000-7000-00ff-{n:012x}"))
            .bind("00000000-0000-7000-0004-000000000001")
            .bind("charge")
            .bind(format!("Invoice H1/26-27/{n:05}"))
            .bind(950_000i64 + n)
            .bind("2026-12-01")
            .bind("2026-11-29T10:00:00Z")
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    checkpoint(store).await;
    let baseline = t.elapsed();
    let plain = plain_sqlite_baseline(store.path().to_path_buf(), rows_written).await;
    println!(
        "billing run, {month} for {} properties: {} for {issued} invoices ({rows_written} rows); \
         baseline insert of {rows_written} rows: {}; ratio {:.1}x (goal < 5 s and <= 5x); \
         the same rows through SQLite alone (rusqlite): {}, ratio {:.1}x",
        properties.len(),
        secs(billing),
        secs(baseline),
        billing.as_secs_f64() / baseline.as_secs_f64(),
        secs(plain),
        billing.as_secs_f64() / plain.as_secs_f64()
    );
}

/// The baseline's rows inserted through SQLite alone, with no async
/// driver between (each sqlx statement is a round trip to its worker
/// thread, which on an idle virtual machine can cost more than the insert:
/// the sqlx baseline has taken from 2 s to 20 s for the same rows).
async fn plain_sqlite_baseline(db: std::path::PathBuf, rows: i64) -> Duration {
    tokio::task::spawn_blocking(move || {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;
             DROP TABLE IF EXISTS baseline_plain;
             CREATE TABLE baseline_plain (id TEXT PRIMARY KEY, tenant TEXT, kind TEXT, memo TEXT,
                amount INTEGER, posted_on TEXT, recorded_at TEXT) STRICT;
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
        settle(db.parent().unwrap());
        let t = Instant::now();
        let tx = conn.transaction().unwrap();
        {
            let mut insert = tx
                .prepare("INSERT INTO baseline_plain VALUES (?, ?, ?, ?, ?, ?, ?)")
                .unwrap();
            for n in 0..rows {
                insert
                    .execute(rusqlite::params![
                        format!("00000000-0000-7000-00ff-{n:012x}"),
                        "00000000-0000-7000-0004-000000000001",
                        "charge",
                        format!("Invoice H1/26-27/{n:05}"),
                        950_000i64 + n,
                        "2026-12-01",
                        "2026-11-29T10:00:00Z",
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
        t.elapsed()
    })
    .await
    .unwrap()
}

/// Waits until what this bench wrote to the files in `path` (the
/// database, its WAL, the CSV files) is on disk, so that a timed run does
/// not share the machine with the kernel writing back gigabytes the run
/// before it left behind (after a fresh portfolio, some 1.7 GB).
fn settle(path: &std::path::Path) {
    for entry in std::fs::read_dir(path).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            // A file opened for reading can be synced (fsync).
            File::open(entry.path()).unwrap().sync_all().unwrap();
        }
    }
}

/// Export of the whole ledger, then the same bytes through csv alone, each
/// run started with the files on disk.
async fn export(store: &Store, path: &std::path::Path, runs: usize) {
    // Read from the database file, not through a WAL the portfolio's
    // making may have left at 1.6 GB (an export alone, on a kept database,
    // follows no other step's checkpoint).
    checkpoint(store).await;
    let out = path.join("ledger.csv");
    let mut samples = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        settle(path);
        let file = BufWriter::new(File::create(&out).unwrap());
        let t = Instant::now();
        rows = store
            .export_ledger(LedgerFilter::default(), file, Progress::silent())
            .await
            .unwrap()
            .rows;
        samples.push(t.elapsed());
    }
    let export = median(samples);
    let bytes = std::fs::read(&out).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let records: Vec<csv::ByteRecord> = reader.byte_records().map(|r| r.unwrap()).collect();
    let mut samples = Vec::new();
    for _ in 0..runs {
        let copy = path.join("baseline.csv");
        settle(path);
        let t = Instant::now();
        let mut w = csv::Writer::from_writer(BufWriter::new(File::create(&copy).unwrap()));
        for record in &records {
            w.write_byte_record(record).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        samples.push(t.elapsed());
    }
    let csv_alone = median(samples);
    println!(
        "ledger export: {rows} rows, {:.1} MB in {} (median of {runs}); csv crate alone: {}; \
         ratio {:.1}x (goal < 3 s and <= 2x)",
        bytes.len() as f64 / 1e6,
        secs(export),
        secs(csv_alone),
        export.as_secs_f64() / csv_alone.as_secs_f64()
    );
}
