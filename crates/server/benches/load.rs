//! Load benchmark: a 50,000-bed organisation (100 properties × 250 rooms ×
//! 2 beds, 45,000 tenants each on a bed, each with a contract, three months
//! of invoices and two payments: 225,000 ledger entries), the real
//! `multipms-server` (built with the bench profile, i.e. release) on a free
//! loopback port, and N concurrent clients reading pages of the tenant list
//! and pages of random tenants' ledgers (half each) for a bounded time.
//! Prints requests/second and latency percentiles. Sign-in and the data
//! set-up are not timed.
//!
//! ```sh
//! eval "$(scripts/postgres.sh)"
//! cargo bench -p multipms-server --bench load
//! ```
//!
//! `LOAD_SECONDS` (default 20), `LOAD_CLIENTS` (default 50),
//! `LOAD_MAX_CONNECTIONS` (the server's pool, default 10),
//! `LOAD_DEEP_PAGES=1` (offsets over the whole list instead of its first
//! 20 pages) and `LOAD_KEYSET=1` (tenant pages after a random tenant,
//! `after=<id>`, anywhere in the list; in-process clients only) tune it.
//! `LOAD_WRK=1` drives the same mix with
//! [wrk](https://github.com/wg/wrk) (`apt-get install wrk`; 2 threads)
//! instead of the in-process reqwest clients, which share the machine's
//! cores with the server. `LOAD_SERVER_BIN` runs another build of the server
//! (to compare before and after); `LOAD_SESSION_CACHE_SECS` sets the server's
//! `session_cache_secs`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use multipms_server::{accounts, db, Settings};
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;

const PROPERTIES: i64 = 100;
const ROOMS_PER_PROPERTY: i64 = 250;
const TENANTS: i64 = 45_000;
const PAGE: i64 = 50;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Kills the server and drops the database however the bench ends.
struct Guard {
    server: Option<Child>,
    admin_url: String,
    db_name: String,
    dir: std::path::PathBuf,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        let dropped = db::drop_database_blocking(&self.admin_url, &self.db_name);
        if dropped {
            eprintln!("load: database {} dropped", self.db_name);
        } else {
            eprintln!("load: could not drop database {}", self.db_name);
        }
    }
}

async fn seed(admin: &PgPool, org: Uuid) -> anyhow::Result<()> {
    let mut tx = admin.begin().await?;
    sqlx::query("SELECT set_config('app.org_id', $1, true)")
        .bind(org.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO property (id, org_id, name, address_line1, city, state, state_code, pin_code, code) \
         SELECT gen_random_uuid(), $1, 'Sai Comforts ' || lpad(p::text, 3, '0'), p || ' MG Road', \
                'Bengaluru', 'Karnataka', 29, '560001', 'P' || lpad(p::text, 3, '0') \
         FROM generate_series(1, $2::int) p",
    )
    .bind(org)
    .bind(PROPERTIES as i32)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO room (id, org_id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise) \
         SELECT gen_random_uuid(), $1, p.id, (r - 1) / 25, lpad(r::text, 3, '0'), 'standard', 2, r % 2 = 0, 650000 \
         FROM property p, generate_series(1, $2::int) r WHERE p.org_id = $1",
    )
    .bind(org)
    .bind(ROOMS_PER_PROPERTY as i32)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bed (id, org_id, property_id, room_id, label) \
         SELECT gen_random_uuid(), $1, r.property_id, r.id, l \
         FROM room r, unnest(ARRAY['A', 'B']) l WHERE r.org_id = $1",
    )
    .bind(org)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "CREATE TEMP TABLE seat ON COMMIT DROP AS \
         SELECT bed_id, property_id, gen_random_uuid() AS tenant_id, n FROM ( \
           SELECT b.id AS bed_id, b.property_id, \
                  row_number() OVER (ORDER BY b.property_id, b.room_id, b.label) AS n \
           FROM bed b WHERE b.org_id = $1) s \
         WHERE n <= $2",
    )
    .bind(org)
    .bind(TENANTS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO tenant (id, org_id, property_id, full_name, mobile, police_verification) \
         SELECT tenant_id, $1, property_id, \
                (ARRAY['Aarav','Asha','Ravi','Priya','Kiran','Meera','Arjun','Divya','Rahul','Sneha'])[1 + n % 10] \
                || ' ' || (ARRAY['Sharma','Iyer','Reddy','Nair','Gupta','Rao','Das','Singh','Patel'])[1 + (n / 10) % 9] \
                || ' ' || n, \
                '+91' || (9000000000 + n)::text, 'pending' \
         FROM seat",
    )
    .bind(org)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO allocation (id, org_id, property_id, bed_id, tenant_id, move_in) \
         SELECT gen_random_uuid(), $1, property_id, bed_id, tenant_id, date '2025-01-01' + (n % 600)::int \
         FROM seat",
    )
    .bind(org)
    .execute(&mut *tx)
    .await?;
    seed_books(&mut tx, org).await?;
    tx.commit().await?;
    for table in [
        "property",
        "room",
        "bed",
        "tenant",
        "allocation",
        "contract",
        "invoice",
        "invoice_line",
        "payment",
        "ledger_entry",
        "payment_allocation",
        "number_series",
    ] {
        sqlx::query(AssertSqlSafe(format!("VACUUM ANALYZE {table}")))
            .execute(admin)
            .await?;
    }
    Ok(())
}

/// The books of every seeded tenant, in bulk: a contract on their stay
/// (₹6,500 a month), invoices for August, September and October 2026 (one
/// rent line, numbered per property), their charges in the ledger, and
/// payments of August's and September's invoices (UPI with a UTR or cash,
/// numbered receipts) with their ledger entries and allocation: five
/// entries per tenant, 225,000 in all.
async fn seed_books(tx: &mut sqlx::PgConnection, org: Uuid) -> anyhow::Result<()> {
    let statements = [
        "INSERT INTO contract (id, org_id, property_id, tenant_id, allocation_id, monthly_rent_paise, \
         deposit_paise, billing_day, lock_in_months, notice_days, escalation_bp, starts_on, status) \
         SELECT gen_random_uuid(), $1, a.property_id, a.tenant_id, a.id, 650000, 1300000, 5, 0, 30, 0, \
                a.move_in, 'active' \
         FROM allocation a WHERE a.org_id = $1",
        "CREATE TEMP TABLE bill ON COMMIT DROP AS \
         SELECT gen_random_uuid() AS id, gen_random_uuid() AS entry_id, c.id AS contract_id, c.tenant_id, \
                c.property_id, p.code, m.month, m.first_day, \
                row_number() OVER (PARTITION BY c.property_id ORDER BY m.first_day, c.id) AS seq \
         FROM contract c JOIN property p ON p.org_id = c.org_id AND p.id = c.property_id, \
              (VALUES ('2026-08', date '2026-08-01'), ('2026-09', date '2026-09-01'), \
                      ('2026-10', date '2026-10-01')) m (month, first_day) \
         WHERE c.org_id = $1",
        "INSERT INTO invoice (id, org_id, number, series_prefix, fy_start, sequence, property_id, \
         contract_id, tenant_id, month, invoice_date, due_on, title, gst_rule, gst_charge, gst_rate_bp, \
         interstate, sac, place_of_supply, taxable_value_paise, cgst_paise, sgst_paise, igst_paise, \
         tax_charged_paise, tax_reverse_charge_paise, round_off_paise, total_paise, amount_in_words, notes) \
         SELECT id, $1, code || '/26-27/' || lpad(seq::text, 5, '0'), code, 2026, seq, property_id, \
                contract_id, tenant_id, month, first_day, first_day + 4, 'Invoice', \
                'supplier_not_registered', 'none', 0, false, '997211', 29, 650000, 0, 0, 0, 0, 0, 0, \
                650000, 'Rupees Six Thousand Five Hundred Only', '[]' \
         FROM bill ORDER BY first_day, seq",
        "INSERT INTO invoice_line (org_id, invoice_id, position, kind, description, sac, \
         taxable_value_paise, cgst_paise, sgst_paise, igst_paise, total_paise) \
         SELECT $1, id, 1, 'rent', 'Rent for ' || month, '997211', 650000, 0, 0, 0, 650000 FROM bill",
        "CREATE TEMP TABLE paid ON COMMIT DROP AS \
         SELECT gen_random_uuid() AS id, gen_random_uuid() AS entry_id, b.entry_id AS item_entry_id, \
                b.id AS invoice_id, b.tenant_id, b.first_day + 7 AS paid_on, \
                row_number() OVER (ORDER BY b.first_day, b.tenant_id) AS n \
         FROM bill b WHERE b.month IN ('2026-08', '2026-09')",
        "INSERT INTO payment (id, org_id, receipt_number, tenant_id, mode, purpose, amount_paise, \
         paid_on, recorded_at, utr) \
         SELECT id, $1, 'RC/26-27/' || lpad(n::text, 5, '0'), tenant_id, \
                CASE WHEN n % 2 = 0 THEN 'upi' ELSE 'cash' END, 'dues', 650000, paid_on, \
                paid_on + time '10:00', CASE WHEN n % 2 = 0 THEN (400000000000 + n)::text END \
         FROM paid ORDER BY n",
        // The ledger in the order things happened: each month's charge,
        // then its payment.
        "INSERT INTO ledger_entry (id, org_id, tenant_id, kind, book, amount_paise, posted_on, due_on, \
         invoice_id, payment_id, memo) \
         SELECT id, $1, tenant_id, kind, 'dues', amount, posted_on, due_on, invoice_id, payment_id, memo \
         FROM ( \
           SELECT b.entry_id AS id, b.tenant_id, 'charge' AS kind, 650000 AS amount, \
                  b.first_day AS posted_on, b.first_day + 4 AS due_on, b.id AS invoice_id, \
                  NULL::uuid AS payment_id, 'Invoice ' || b.code || '/26-27/' || lpad(b.seq::text, 5, '0') AS memo \
           FROM bill b \
           UNION ALL \
           SELECT p.entry_id, p.tenant_id, 'payment', -650000, p.paid_on, NULL, NULL, p.id, \
                  CASE WHEN p.n % 2 = 0 THEN 'UPI ' || (400000000000 + p.n)::text ELSE 'Cash' END \
           FROM paid p) e \
         ORDER BY posted_on, kind",
        "INSERT INTO payment_allocation (org_id, entry_id, item_entry_id, payment_id, invoice_id, amount_paise) \
         SELECT $1, entry_id, item_entry_id, id, invoice_id, 650000 FROM paid",
        "INSERT INTO number_series (org_id, kind, prefix, last_fy_start, last_sequence) \
         SELECT $1, 'invoice', code, 2026, max(seq) FROM bill GROUP BY code \
         UNION ALL SELECT $1, 'receipt', 'RC', 2026, count(*) FROM paid",
    ];
    for sql in statements {
        sqlx::query(AssertSqlSafe(sql))
            .bind(org)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

async fn post(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> anyhow::Result<Value> {
    let mut request = client.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await?;
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(status.is_success(), "{status}: {text}");
    Ok(if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)?
    })
}

/// The same mix of requests as the in-process clients, as a wrk Lua script
/// (one token, random pages; prints one `wrk:` line per figure).
fn wrk_script(token: &str, tenant_ids: &[Uuid], list_pages: u64) -> String {
    let tenants: Vec<String> = tenant_ids.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        r#"local headers = {{ ["Authorization"] = "Bearer {token}" }}
local tenants = {{ {tenants} }}
local page = {PAGE}
local list_pages = {list_pages}
local i = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
end
function request()
  i = i + 1
  local k = i % 4
  local path
  if k == 0 or k == 2 then
    path = "/api/v1/tenants?limit=" .. page .. "&offset=" .. (math.random(0, list_pages - 1) * page)
  else
    local order = "statement"
    if k == 3 then order = "newest" end
    path = "/api/v1/tenants/" .. tenants[math.random(1, #tenants)] .. "/ledger?limit=" .. page
      .. "&order=" .. order
  end
  return wrk.format("GET", path, headers)
end
function done(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("wrk: requests %d, failed %d\n", summary.requests, failed))
  io.write(string.format("wrk: throughput %.0f req/s\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("wrk: latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"#,
        tenants = tenants.join(", "),
    )
}

struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let admin_url = std::env::var("DATABASE_URL").map_err(|_| {
        anyhow::anyhow!("DATABASE_URL is not set: eval \"$(scripts/postgres.sh)\" first")
    })?;
    let seconds: u64 = env_or("LOAD_SECONDS", 20).clamp(1, 600);
    let clients: usize = env_or("LOAD_CLIENTS", 50).clamp(1, 1000);
    let max_connections: u32 = env_or("LOAD_MAX_CONNECTIONS", 10);
    let deep = env_or("LOAD_DEEP_PAGES", 0) == 1;
    let keyset = env_or("LOAD_KEYSET", 0) == 1;
    let use_wrk = env_or("LOAD_WRK", 0) == 1;
    let server_bin = std::env::var("LOAD_SERVER_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_multipms-server").to_string());
    let session_cache = std::env::var("LOAD_SESSION_CACHE_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(|n| format!("session_cache_secs = {n}\n"))
        .unwrap_or_default();

    let db_name = format!("multipms_load_{}", Uuid::now_v7().simple());
    let dir = std::env::temp_dir().join(&db_name);
    std::fs::create_dir_all(&dir)?;
    let mut guard = Guard {
        server: None,
        admin_url: admin_url.clone(),
        db_name: db_name.clone(),
        dir: dir.clone(),
    };
    {
        let maintenance = PgPoolOptions::new()
            .max_connections(1)
            .connect(&admin_url)
            .await?;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{db_name}\"")))
            .execute(&maintenance)
            .await?;
        maintenance.close().await;
    }
    let url = db::with_database(&admin_url, &db_name);
    db::migrate(&url).await?;

    let started = Instant::now();
    let settings = Settings {
        database_url: url.clone(),
        max_connections: 2,
        ..Settings::default()
    };
    let app_pool = db::connect(&settings).await?;
    let email = "owner@load.example.in";
    let created = accounts::create_org(&app_pool, "Load Test PG", email, "Owner Person")
        .await
        .map_err(|e| anyhow::anyhow!(e.body.message))?;
    app_pool.close().await;
    let admin = PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await?;
    seed(&admin, created.org_id).await?;
    let tenant_ids: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM tenant WHERE org_id = $1 ORDER BY id")
            .bind(created.org_id)
            .fetch_all(&admin)
            .await?;
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger_entry")
        .fetch_one(&admin)
        .await?;
    admin.close().await;
    eprintln!("load: seeded {entries} ledger entries (contracts, invoices, payments)");
    eprintln!(
        "load: seeded {PROPERTIES} properties, {} rooms, {} beds, {TENANTS} tenants and allocations in {:.1} s",
        PROPERTIES * ROOMS_PER_PROPERTY,
        PROPERTIES * ROOMS_PER_PROPERTY * 2,
        started.elapsed().as_secs_f64()
    );

    // The real server, as a separate process.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let config = dir.join("server.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = {url:?}\nlisten = \"127.0.0.1:{port}\"\nlog_level = \"warn\"\n\
             requests_per_minute = 100000000\nmax_connections = {max_connections}\n{session_cache}"
        ),
    )?;
    let child = Command::new(&server_bin)
        .arg("serve")
        .env("MULTIPMS_CONFIG", &config)
        .env_remove("DATABASE_URL")
        .env_remove("MULTIPMS_DATABASE_URL")
        .env_remove("MULTIPMS_ADMIN_DATABASE_URL")
        .env_remove("MULTIPMS_LISTEN")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .spawn()?;
    guard.server = Some(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(10))
        .build()?;
    let mut up = false;
    for _ in 0..100 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::ensure!(up, "the server did not start on {base}");

    // Sign in (not timed).
    let first = post(
        &client,
        format!("{base}/api/v1/auth/sign-in"),
        None,
        json!({"email": email, "password": created.one_time_password}),
    )
    .await?;
    let first = first["token"].as_str().unwrap_or_default().to_string();
    let password = "ginger tea at five, every day";
    post(
        &client,
        format!("{base}/api/v1/auth/change-password"),
        Some(&first),
        json!({"current_password": created.one_time_password, "new_password": password}),
    )
    .await?;
    let signed = post(
        &client,
        format!("{base}/api/v1/auth/sign-in"),
        None,
        json!({"email": email, "password": password}),
    )
    .await?;
    let token = signed["token"].as_str().unwrap_or_default().to_string();

    let pages = move |n: i64| if deep { (n / PAGE).max(1) as u64 } else { 20 };
    if use_wrk {
        let script = dir.join("load.lua");
        std::fs::write(&script, wrk_script(&token, &tenant_ids, pages(TENANTS)))?;
        let out = Command::new("wrk")
            .args([
                "-t2",
                &format!("-c{clients}"),
                &format!("-d{seconds}s"),
                "--timeout",
                "10s",
                "-s",
            ])
            .arg(&script)
            .arg(&base)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| anyhow::anyhow!("cannot run wrk (apt-get install wrk): {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        println!("== multipms-server load benchmark (wrk, 2 threads)");
        println!(
            "   data: {PROPERTIES} properties, {} beds, {TENANTS} tenants with allocations and ledgers; tenant pages of {PAGE} ({}) and ledger pages",
            PROPERTIES * ROOMS_PER_PROPERTY * 2,
            if deep { "offsets over the whole list" } else { "offsets in the first 20 pages" }
        );
        println!(
            "   {clients} connections for {seconds} s, server pool {max_connections} connections"
        );
        for line in text.lines().filter(|l| l.starts_with("wrk: ")) {
            println!("   {}", &line[5..]);
        }
        drop(guard);
        anyhow::ensure!(out.status.success(), "wrk failed: {text}");
        anyhow::ensure!(text.contains(", failed 0\n"), "requests failed: {text}");
        return Ok(());
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let run_started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let client = client.clone();
        let base = base.clone();
        let token = token.clone();
        let tenant_ids = tenant_ids.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15 ^ ((c as u64 + 1) * 0x1000_0001));
            let mut tally = Tally::default();
            let mut i = c;
            while Instant::now() < deadline {
                // Half tenant-list pages, half ledger pages of a random
                // tenant (statement order and newest first in turn).
                let path = match i % 4 {
                    // Keyset: a page after a random tenant, anywhere in
                    // the list.
                    0 | 2 if keyset => format!(
                        "/api/v1/tenants?limit={PAGE}&after={}",
                        tenant_ids[rng.below(tenant_ids.len() as u64) as usize]
                    ),
                    0 | 2 => format!(
                        "/api/v1/tenants?limit={PAGE}&offset={}",
                        rng.below(pages(TENANTS)) as i64 * PAGE
                    ),
                    k => {
                        let t = tenant_ids[rng.below(tenant_ids.len() as u64) as usize];
                        let order = if k == 1 { "statement" } else { "newest" };
                        format!("/api/v1/tenants/{t}/ledger?limit={PAGE}&order={order}")
                    }
                };
                i += 1;
                let sent = Instant::now();
                let result = client
                    .get(format!("{base}{path}"))
                    .bearer_auth(&token)
                    .send()
                    .await;
                let ok = match result {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.bytes().await;
                        if status.is_success() && body.is_ok() {
                            true
                        } else {
                            tally.first_error.get_or_insert(format!("{path}: {status}"));
                            false
                        }
                    }
                    Err(e) => {
                        tally.first_error.get_or_insert(format!("{path}: {e}"));
                        false
                    }
                };
                if ok {
                    tally
                        .latencies_us
                        .push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32);
                } else {
                    tally.errors += 1;
                }
            }
            tally
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for task in tasks {
        let tally = task.await?;
        all.extend(tally.latencies_us);
        errors += tally.errors;
        if first_error.is_none() {
            first_error = tally.first_error;
        }
    }
    let elapsed = run_started.elapsed().as_secs_f64();
    all.sort_unstable();
    let ok = all.len();
    println!("== multipms-server load benchmark");
    println!(
        "   data: {PROPERTIES} properties, {} beds, {TENANTS} tenants with allocations and ledgers; tenant pages of {PAGE} ({}) and ledger pages",
        PROPERTIES * ROOMS_PER_PROPERTY * 2,
        if keyset {
            "keyset, after a random tenant"
        } else if deep {
            "offsets over the whole list"
        } else {
            "offsets in the first 20 pages"
        }
    );
    println!("   {clients} clients for {elapsed:.1} s, server pool {max_connections} connections");
    println!("   requests: {ok} ok, {errors} failed");
    println!("   throughput: {:.0} req/s", ok as f64 / elapsed);
    println!(
        "   latency: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&all, 0.50),
        percentile(&all, 0.90),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    if let Some(e) = first_error {
        println!("   first failure: {e}");
    }
    drop(guard);
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    Ok(())
}
