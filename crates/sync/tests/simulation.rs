//! Three desks and one real server (PostgreSQL): random valid and
//! conflicting work — tenants, allocations, edits, billing runs, payments
//! with colliding UTRs, reversals — while desks drop off the network, come
//! back, and are cut off in the middle of a push. After everyone syncs,
//! every desk equals the server, row for row, and the books hold: no bed
//! given twice, no invoice number twice, no UTR booked twice, no payment
//! counted twice, every balance the sum of its entries.
//!
//! Seeded: each run prints its seed. `MULTIPMS_SYNC_SEEDS=a,b,c` replays
//! given seeds; `MULTIPMS_SYNC_RUNS=n` runs n random seeds;
//! `MULTIPMS_SYNC_STEPS=n` makes each run longer (default 120 steps).

mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::Days;
use multipms_domain::allocation::AllocationInput;
use multipms_domain::billing::BillingMonth;
use multipms_domain::contract::ContractInput;
use multipms_domain::payment::PaymentInput;
use multipms_domain::tenant::TenantInput;
use multipms_store::Store;
use multipms_sync::token_store::TokenStore;
use multipms_sync::SyncEngine;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use support::{TestServer, PASSWORD};

struct Desk {
    _dir: tempfile::TempDir,
    store: Store,
    engine: Arc<SyncEngine>,
    online: bool,
}

async fn desk(server: &TestServer, email: &str) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let engine = SyncEngine::with_tokens(store.clone(), TokenStore::in_memory(store.desk_id()));
    engine.sign_in(&server.base, email, PASSWORD).await.unwrap();
    Desk {
        _dir: dir,
        store,
        engine,
        online: true,
    }
}

fn seeds() -> Vec<u64> {
    if let Ok(list) = std::env::var("MULTIPMS_SYNC_SEEDS") {
        return list
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
    }
    let runs: usize = std::env::var("MULTIPMS_SYNC_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    // Fixed seeds for the test command; random ones when more are asked.
    let mut seeds = vec![20261130, 7, 424242];
    let mut rng = rand::thread_rng();
    while seeds.len() < runs {
        seeds.push(rng.gen());
    }
    seeds.truncate(runs);
    seeds
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_desks_converge_on_the_server_truth() {
    let steps: usize = std::env::var("MULTIPMS_SYNC_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    for seed in seeds() {
        println!(
            "sync simulation: seed {seed}, {steps} steps (replay with MULTIPMS_SYNC_SEEDS={seed})"
        );
        run(seed, steps).await;
    }
}

#[derive(Default, Debug)]
struct Tally {
    done: BTreeMap<&'static str, usize>,
    refused_locally: usize,
    cut_pushes: usize,
    conflicts: usize,
}

async fn run(seed: u64, steps: usize) {
    let mut rng = StdRng::seed_from_u64(seed);
    let server = TestServer::start().await;
    let manager = server.add_user("manager").await;
    let desk_a = server.add_user("manager").await;
    let desk_b = server.add_user("manager").await;

    // Desk 0 brings the sample business; the others download it.
    let first = {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        store.load_sample_portfolio("seed").await.unwrap();
        let engine = SyncEngine::with_tokens(store.clone(), TokenStore::in_memory(store.desk_id()));
        engine
            .sign_in(&server.base, &manager, PASSWORD)
            .await
            .unwrap();
        engine.sync_once().await.unwrap();
        Desk {
            _dir: dir,
            store,
            engine,
            online: true,
        }
    };
    let mut desks = vec![
        first,
        desk(&server, &desk_a).await,
        desk(&server, &desk_b).await,
    ];
    for d in &desks[1..] {
        d.engine.sync_once().await.unwrap();
    }
    let mut tally = Tally::default();
    let today = multipms_store::today();
    let utrs: Vec<String> = (0..25)
        .map(|i| format!("61{:010}", 7_000_000 + i))
        .collect();

    for step in 0..steps {
        let i = rng.gen_range(0..desks.len());
        let d = &mut desks[i];
        let roll = rng.gen_range(0..100);
        let outcome: Result<&'static str, String> = match roll {
            0..=9 => {
                let n = rng.gen_range(1000..9999);
                let input = TenantInput {
                    full_name: format!("Guest {n} of desk {i}"),
                    mobile: format!("98{:08}", rng.gen_range(0..100_000_000u32)),
                    ..Default::default()
                };
                d.store
                    .save_tenant("sim", None, &input)
                    .await
                    .map(|_| "tenant added")
                    .map_err(|e| e.to_string())
            }
            10..=24 => allocate(&d.store, &mut rng, today).await,
            25..=31 => edit_tenant(&d.store, &mut rng).await,
            32..=49 => pay(&d.store, &mut rng, &utrs, today).await,
            50..=55 => reverse(&d.store, &mut rng, today).await,
            56..=60 => bill(&d.store, &mut rng, today).await,
            61..=69 => {
                d.online = !d.online;
                Ok(if d.online {
                    "back online"
                } else {
                    "went offline"
                })
            }
            70..=77 if d.online => {
                // Cut off in the middle of a push: the answer may or may
                // not have been applied on the server.
                let cut = Duration::from_millis(rng.gen_range(1..40));
                let _ = tokio::time::timeout(cut, d.engine.sync_once()).await;
                tally.cut_pushes += 1;
                Ok("cut mid-sync")
            }
            _ if d.online => d
                .engine
                .sync_once()
                .await
                .map(|_| "synced")
                .map_err(|e| format!("sync failed at step {step}: {e}")),
            _ => Ok("offline, no sync"),
        };
        match outcome {
            Ok(what) => *tally.done.entry(what).or_default() += 1,
            Err(e) if e.starts_with("sync failed") => panic!("seed {seed}: {e}"),
            Err(_) => tally.refused_locally += 1,
        }
    }

    // Everyone comes back and syncs until nothing moves.
    for d in desks.iter_mut() {
        d.online = true;
    }
    for _ in 0..3 {
        for d in &desks {
            d.engine
                .sync_once()
                .await
                .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        }
    }
    let truth = server.records().await;
    let truth_rows: Vec<(String, String, Value)> = truth.clone();
    for (n, d) in desks.iter().enumerate() {
        assert_eq!(
            d.store.outbox_len().await.unwrap(),
            0,
            "seed {seed}: desk {n} has unsent rows"
        );
        let dump: Vec<(String, String, Value)> = d
            .store
            .sync_dump()
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.entity, r.key, r.data.unwrap()))
            .collect();
        if dump != truth_rows {
            let mine: HashSet<_> = dump.iter().collect();
            let theirs: HashSet<_> = truth_rows.iter().collect();
            let only_desk: Vec<_> = mine.difference(&theirs).take(3).collect();
            let only_server: Vec<_> = theirs.difference(&mine).take(3).collect();
            panic!(
                "seed {seed}: desk {n} differs from the server\n only on the desk: {only_desk:#?}\n only on the server: {only_server:#?}"
            );
        }
        tally.conflicts += d.store.sync_conflicts().await.unwrap().len();
        check_dues_totals(seed, &d.store).await;
    }
    check_books(seed, &truth, &desks[0].store).await;
    println!(
        "seed {seed}: {tally:?}; {} records on the server",
        truth.len()
    );
}

/// The dues totals the desk keeps by trigger (`account_dues`, which the
/// dues list reads) still equal the sum of each tenant's dues entries after
/// pulls, rollbacks of refused operations and rows replaced by the server.
async fn check_dues_totals(seed: u64, store: &Store) {
    let wrong: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT t.id, coalesce(d.dues_paise, 0), coalesce(s.total, 0)
         FROM tenant t
         LEFT JOIN account_dues d ON d.tenant_id = t.id
         LEFT JOIN (SELECT tenant_id, sum(amount_paise) AS total FROM ledger_entry
                    WHERE book = 'dues' GROUP BY tenant_id) s ON s.tenant_id = t.id
         WHERE coalesce(d.dues_paise, 0) <> coalesce(s.total, 0)",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert!(
        wrong.is_empty(),
        "seed {seed}: kept dues totals differ from the entries (tenant, kept, entries): {wrong:?}"
    );
}

fn rows<'a>(truth: &'a [(String, String, Value)], entity: &str) -> Vec<&'a Value> {
    truth
        .iter()
        .filter(|(e, _, _)| e == entity)
        .map(|(_, _, d)| d)
        .collect()
}

async fn check_books(seed: u64, truth: &[(String, String, Value)], store: &Store) {
    // No bed is given twice over the same nights.
    let mut by_bed: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    for a in rows(truth, "allocation") {
        by_bed
            .entry(a["bed_id"].as_str().unwrap())
            .or_default()
            .push((
                a["move_in"].as_str().unwrap(),
                a["move_out"].as_str().unwrap_or("9999-12-31"),
            ));
    }
    for (bed, mut stays) in by_bed {
        stays.sort();
        for pair in stays.windows(2) {
            assert!(
                pair[0].1 <= pair[1].0,
                "seed {seed}: bed {bed} is double-booked: {pair:?}"
            );
        }
    }
    // No invoice number twice.
    let numbers: Vec<&str> = rows(truth, "invoice")
        .iter()
        .map(|i| i["number"].as_str().unwrap())
        .collect();
    let unique: HashSet<_> = numbers.iter().collect();
    assert_eq!(
        unique.len(),
        numbers.len(),
        "seed {seed}: an invoice number repeats"
    );
    // No standing UTR twice.
    let utrs: Vec<String> = rows(truth, "payment")
        .iter()
        .filter(|p| p["reversed_on"].is_null())
        .filter_map(|p| p["utr"].as_str())
        .map(|u| u.replace([' ', '-'], "").to_uppercase())
        .collect();
    let unique: HashSet<_> = utrs.iter().collect();
    assert_eq!(
        unique.len(),
        utrs.len(),
        "seed {seed}: a UTR is booked twice"
    );
    // Each payment is in the ledger once.
    let entries = rows(truth, "ledger_entry");
    for p in rows(truth, "payment") {
        let id = p["id"].as_str().unwrap();
        let booked = entries
            .iter()
            .filter(|e| e["payment_id"].as_str() == Some(id) && e["kind"] != "reversal")
            .count();
        assert_eq!(
            booked, 1,
            "seed {seed}: payment {id} is booked {booked} times"
        );
    }
    // Every balance is the sum of its entries.
    let mut sums: HashMap<&str, i64> = HashMap::new();
    for e in &entries {
        *sums.entry(e["tenant_id"].as_str().unwrap()).or_default() +=
            e["amount_paise"].as_i64().unwrap();
    }
    for t in rows(truth, "tenant") {
        let id = t["id"].as_str().unwrap();
        let balance = store.balance(id).await.unwrap();
        assert_eq!(
            balance.balance_paise,
            sums.get(id).copied().unwrap_or(0),
            "seed {seed}: tenant {id}'s balance is not the sum of their entries"
        );
    }
}

/// Tenants of the desk without a current stay, and every bed.
async fn allocate(
    store: &Store,
    rng: &mut StdRng,
    today: chrono::NaiveDate,
) -> Result<&'static str, String> {
    let free: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM tenant t WHERE NOT EXISTS (
             SELECT 1 FROM allocation a WHERE a.tenant_id = t.id
             AND (a.move_out IS NULL OR a.move_out > date('now')))",
    )
    .fetch_all(store.pool())
    .await
    .map_err(|e| e.to_string())?;
    let beds: Vec<String> = sqlx::query_scalar("SELECT id FROM bed")
        .fetch_all(store.pool())
        .await
        .map_err(|e| e.to_string())?;
    let (Some(tenant), Some(bed)) = (free.choose(rng), beds.choose(rng)) else {
        return Err("nobody to place".into());
    };
    let move_in = today + Days::new(rng.gen_range(0..30));
    let allocation = store
        .allocate(
            "sim",
            tenant,
            bed,
            &AllocationInput {
                move_in: move_in.format("%Y-%m-%d").to_string(),
                move_out: None,
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    store
        .save_contract(
            "sim",
            &allocation.id,
            &ContractInput {
                monthly_rent: "9000".into(),
                security_deposit: "18000".into(),
                billing_day: "1".into(),
                lock_in_months: "0".into(),
                notice_days: "30".into(),
                yearly_escalation_percent: "0".into(),
                start_date: move_in.format("%Y-%m-%d").to_string(),
                end_date: None,
                status: "active".into(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok("allocated")
}

async fn edit_tenant(store: &Store, rng: &mut StdRng) -> Result<&'static str, String> {
    let tenants: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, full_name, mobile FROM tenant")
            .fetch_all(store.pool())
            .await
            .map_err(|e| e.to_string())?;
    let Some((id, name, mobile)) = tenants.choose(rng) else {
        return Err("no tenant".into());
    };
    let input = TenantInput {
        full_name: name.clone(),
        mobile: mobile.clone(),
        occupation: Some(["student", "salaried", "self_employed"][rng.gen_range(0..3)].into()),
        college_or_employer: Some(format!("Employer {}", rng.gen_range(1..50))),
        ..Default::default()
    };
    store
        .save_tenant("sim", Some(id), &input)
        .await
        .map(|_| "tenant edited")
        .map_err(|e| e.to_string())
}

async fn pay(
    store: &Store,
    rng: &mut StdRng,
    utrs: &[String],
    today: chrono::NaiveDate,
) -> Result<&'static str, String> {
    let tenants: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tenant_id FROM allocation")
        .fetch_all(store.pool())
        .await
        .map_err(|e| e.to_string())?;
    let Some(tenant) = tenants.choose(rng) else {
        return Err("nobody to pay".into());
    };
    let upi = rng.gen_bool(0.7);
    let input = PaymentInput {
        mode: if upi { "upi" } else { "cash" }.into(),
        amount: rng.gen_range(500..6000).to_string(),
        paid_on: (today - Days::new(rng.gen_range(0..20)))
            .format("%Y-%m-%d")
            .to_string(),
        reference: if upi {
            utrs.choose(rng).unwrap().clone()
        } else {
            String::new()
        },
        ..Default::default()
    };
    store
        .record_payment("sim", tenant, &input)
        .await
        .map(|_| "payment recorded")
        .map_err(|e| e.to_string())
}

async fn reverse(
    store: &Store,
    rng: &mut StdRng,
    today: chrono::NaiveDate,
) -> Result<&'static str, String> {
    let payments: Vec<String> =
        sqlx::query_scalar("SELECT id FROM payment WHERE reversed_on IS NULL")
            .fetch_all(store.pool())
            .await
            .map_err(|e| e.to_string())?;
    let Some(payment) = payments.choose(rng) else {
        return Err("nothing to reverse".into());
    };
    store
        .reverse_payment("sim", payment, today, "Booked on the wrong tenant")
        .await
        .map(|_| "payment reversed")
        .map_err(|e| e.to_string())
}

async fn bill(
    store: &Store,
    rng: &mut StdRng,
    today: chrono::NaiveDate,
) -> Result<&'static str, String> {
    let properties: Vec<String> = sqlx::query_scalar("SELECT id FROM property")
        .fetch_all(store.pool())
        .await
        .map_err(|e| e.to_string())?;
    let Some(property) = properties.choose(rng) else {
        return Err("no property".into());
    };
    let month = BillingMonth::of(today);
    store
        .run_billing("sim", property, month, today)
        .await
        .map(|_| "billing run")
        .map_err(|e| e.to_string())
}
