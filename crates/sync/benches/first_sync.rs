//! Sync benchmark against a real server on PostgreSQL (DATABASE_URL, see
//! scripts/postgres.sh):
//!
//! 1. desk A generates a 50,000-bed organisation and uploads it (timed);
//! 2. desk B, empty, signs in and makes its first sync (the figure: goal
//!    under 15 s);
//! 3. both run their background sync, and one change made on A is timed
//!    until B shows it, ten times (goal: under 1 s).
//!
//! `cargo bench -p multipms-sync --bench first_sync`. The portfolio's size
//! can be set with MULTIPMS_BENCH_TENANTS (default 20,000 tenants on the
//! 50,000 beds, about 100,000 records in all).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use multipms_domain::tenant::TenantInput;
use multipms_store::sample_portfolio::{generate, SampleSize};
use multipms_store::Store;
use multipms_sync::token_store::TokenStore;
use multipms_sync::SyncEngine;
use support::{TestServer, PASSWORD};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(bench());
}

async fn bench() {
    let tenants: u32 = std::env::var("MULTIPMS_BENCH_TENANTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let size = SampleSize {
        properties: 100,
        rooms_per_property: 250,
        sharing: 2,
        tenants,
        occupancy_percent: 40,
    };
    let server = TestServer::start().await;
    let email_a = server.add_user("manager").await;
    let email_b = server.add_user("manager").await;

    let dir_a = tempfile::tempdir().unwrap();
    let a = Store::open(dir_a.path()).await.unwrap();
    let started = Instant::now();
    generate(&a, size, multipms_store::today()).await.unwrap();
    println!(
        "desk A: generated {} beds in {:.1?}",
        size.beds(),
        started.elapsed()
    );
    let engine_a = SyncEngine::with_tokens(a.clone(), TokenStore::in_memory(a.desk_id()));
    engine_a
        .sign_in(&server.base, &email_a, PASSWORD)
        .await
        .unwrap();
    let records = a.outbox_len().await.unwrap();
    let started = Instant::now();
    engine_a.sync_once().await.unwrap();
    let upload = started.elapsed();
    println!(
        "desk A: uploaded {records} records in {upload:.1?} ({:.0} records/s)",
        records as f64 / upload.as_secs_f64()
    );

    let dir_b = tempfile::tempdir().unwrap();
    let b = Store::open(dir_b.path()).await.unwrap();
    let engine_b = SyncEngine::with_tokens(b.clone(), TokenStore::in_memory(b.desk_id()));
    let started = Instant::now();
    engine_b
        .sign_in(&server.base, &email_b, PASSWORD)
        .await
        .unwrap();
    engine_b.sync_once().await.unwrap();
    let first_sync = started.elapsed();
    let pulled = b.sync_dump().await.unwrap().len();
    println!(
        "FIRST SYNC: {pulled} records onto an empty desk in {first_sync:.2?} ({:.0} records/s; goal < 15 s)",
        pulled as f64 / first_sync.as_secs_f64()
    );
    assert_eq!(pulled as i64, records, "desk B holds what desk A uploaded");

    tokio::spawn(engine_a.clone().run());
    tokio::spawn(engine_b.clone().run());
    // Let both settle into listening.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tenant_id: String = sqlx::query_scalar("SELECT id FROM tenant ORDER BY id LIMIT 1")
        .fetch_one(a.pool())
        .await
        .unwrap();
    let mut trips = Vec::new();
    for n in 0..10 {
        let current = a.tenant(&tenant_id).await.unwrap();
        let wanted = format!("Employer {n}");
        let input = TenantInput {
            full_name: current.full_name.clone(),
            mobile: current.mobile.trim_start_matches("+91").to_string(),
            college_or_employer: Some(wanted.clone()),
            ..Default::default()
        };
        let started = Instant::now();
        a.save_tenant("bench", Some(&tenant_id), &input)
            .await
            .unwrap();
        loop {
            let seen = b.tenant(&tenant_id).await.unwrap();
            if seen.college_or_employer.as_deref() == Some(wanted.as_str()) {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                panic!("desk B never saw change {n}");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        trips.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    trips.sort();
    println!(
        "ROUND TRIP desk A -> server -> desk B, 10 edits: median {:.0?}, fastest {:.0?}, slowest {:.0?} (goal < 1 s)",
        trips[trips.len() / 2],
        trips[0],
        trips[trips.len() - 1]
    );
}
