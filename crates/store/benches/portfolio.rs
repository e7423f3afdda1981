//! Tenant search and all-properties occupancy on a generated portfolio of
//! 50,000 beds and 60,000 tenants. Prints the median of each.
//!
//! cargo bench -p multipms-store --bench portfolio
//! (MULTIPMS_BENCH_RUNS=N changes the number of timed runs per query.)

use std::time::{Duration, Instant};

use multipms_store::sample_portfolio::{generate, SampleSize};
use multipms_store::{today, Store};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::var("MULTIPMS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(51);
    // MULTIPMS_BENCH_DIR keeps the generated database for inspection.
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("MULTIPMS_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let store = Store::open(&path).await.unwrap();
    let size = SampleSize::LARGE;
    let started = Instant::now();
    generate(&store, size, today()).await.unwrap();
    println!(
        "generated {} beds, {} tenants in {:.1} s",
        size.beds(),
        size.tenants,
        started.elapsed().as_secs_f64()
    );

    let queries = [
        "kumar",
        "Lakshmi Nar",
        "90000",
        "+91 90000 00147",
        "215-B",
        "ra",
        "Sa",
        "zzzz",
    ];
    let mut all = Vec::new();
    for q in queries {
        let mut samples = Vec::with_capacity(runs);
        let mut hits = 0;
        for _ in 0..runs {
            let t = Instant::now();
            hits = store.search_tenants(q, 50).await.unwrap().len();
            samples.push(t.elapsed());
        }
        all.extend(samples.iter().copied());
        println!(
            "search {q:>18?}: median {} ({hits} hits, first page of 50)",
            ms(median(samples))
        );
    }
    println!("search, all queries: median {}", ms(median(all)));

    let mut samples = Vec::with_capacity(runs);
    let mut occupied = 0;
    for _ in 0..runs {
        let t = Instant::now();
        occupied = store.occupancy(today()).await.unwrap().overall.occupied;
        samples.push(t.elapsed());
    }
    println!(
        "occupancy of all properties today: median {} ({occupied} of {} beds occupied)",
        ms(median(samples)),
        size.beds()
    );
}
