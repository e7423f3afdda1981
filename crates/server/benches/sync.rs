//! Sync benchmark: a desk's first push of about 100,000 records (20
//! properties, 5,000 rooms, 10,000 beds, 10,000 tenants each on a bed with
//! a stay and a contract, two months of invoices with a line each, and a
//! UPI payment per tenant with its ledger entry: 105,020 rows) in
//! operations of 500 rows, ten operations a request, to the real
//! `multipms-server` (built with the bench profile, i.e. release) on a free
//! loopback port; then a full pull in pages of 5,000. Prints records/s of
//! each. Sign-in and the set-up are not timed.
//!
//! ```sh
//! eval "$(scripts/postgres.sh)"
//! cargo bench -p multipms-server --bench sync
//! ```
//!
//! `SYNC_TENANTS` (default 10,000; beds and tenants), `SYNC_OP_ROWS`
//! (default 500), `SYNC_OPS_PER_PUSH` (default 10) and `SYNC_PAGE`
//! (default 5,000) tune it; `SYNC_SERVER_BIN` runs another build of the
//! server.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use multipms_server::{accounts, db, Settings};
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

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
            eprintln!("sync: database {} dropped", self.db_name);
        } else {
            eprintln!("sync: could not drop database {}", self.db_name);
        }
    }
}

const AT: &str = "2026-11-01T10:00:00Z";

fn row(entity: &str, key: &str, data: Value) -> Value {
    json!({ "entity": entity, "key": key, "action": "upsert", "old": null, "new": data })
}

/// The rows of a desk's portfolio, in the order a first push sends them
/// (what a row names comes before it).
fn sample(tenants: usize) -> Vec<Value> {
    let desk = Uuid::now_v7().to_string();
    let id = || Uuid::now_v7().to_string();
    let properties = 20;
    let rooms_per_property = tenants / properties / 2;
    let mut rows = Vec::new();
    let mut beds = Vec::new();
    for p in 0..properties {
        let property = id();
        rows.push(row(
            "property",
            &property,
            json!({
                "id": property, "name": format!("Sai Comforts {p:02}"), "address_line1": format!("{p} MG Road"),
                "address_line2": null, "city": "Bengaluru", "state": "Karnataka", "state_code": 29,
                "pin_code": "560001", "gstin": null, "code": format!("P{p:03}"), "upi_id": null,
                "gst_category": "pg_hostel", "gst_rate_bp": 1800, "landlord_name": null,
                "landlord_pan": null, "created_at": AT, "updated_at": AT
            }),
        ));
        for r in 0..rooms_per_property {
            let room = id();
            rows.push(row(
                "room",
                &room,
                json!({
                    "id": room, "property_id": property, "floor": r / 25, "number": format!("{r:03}"),
                    "room_type": "standard", "sharing": 2, "ac": r % 2, "rent_per_bed_paise": 650000,
                    "retired_on": null, "created_at": AT, "updated_at": AT
                }),
            ));
            for label in ["A", "B"] {
                let bed = id();
                beds.push((
                    bed.clone(),
                    row(
                        "bed",
                        &bed,
                        json!({
                            "id": bed, "room_id": room, "label": label, "retired_on": null,
                            "property_id": property, "created_at": AT, "updated_at": AT
                        }),
                    ),
                    property.clone(),
                ));
            }
        }
    }
    rows.extend(beds.iter().map(|(_, r, _)| r.clone()));
    let mut people = Vec::new();
    for (i, (bed, _, property)) in beds.iter().enumerate() {
        let tenant = id();
        rows.push(row(
            "tenant",
            &tenant,
            json!({
                "id": tenant, "full_name": format!("Tenant {}", name_of(i)), "mobile": format!("+9198{:08}", i),
                "email": null, "date_of_birth": "1999-05-04", "permanent_address": "12, 3rd Cross, Jayanagar",
                "emergency_name": null, "emergency_phone": null, "occupation": "student",
                "college_or_employer": null, "kyc_document": "aadhaar", "kyc_number": null,
                "kyc_masked": "XXXX XXXX 2346", "police_verification": "pending",
                "police_verified_on": null, "created_at": AT, "updated_at": AT
            }),
        ));
        people.push((tenant, bed.clone(), property.clone()));
    }
    let mut contracts = Vec::new();
    for (tenant, bed, _) in &people {
        let stay = id();
        rows.push(row(
            "allocation",
            &stay,
            json!({
                "id": stay, "tenant_id": tenant, "bed_id": bed, "move_in": "2026-09-01",
                "move_out": null, "notice_on": null, "property_id": null,
                "created_at": AT, "updated_at": AT
            }),
        ));
        contracts.push(stay);
    }
    let mut contract_ids = Vec::new();
    for stay in &contracts {
        let contract = id();
        rows.push(row(
            "contract",
            &contract,
            json!({
                "id": contract, "allocation_id": stay, "monthly_rent_paise": 650000,
                "deposit_paise": 1300000, "billing_day": 5, "lock_in_months": 0, "notice_days": 30,
                "escalation_bp": 0, "starts_on": "2026-09-01", "ends_on": null, "status": "active",
                "created_at": AT, "updated_at": AT
            }),
        ));
        contract_ids.push(contract);
    }
    let mut lines = Vec::new();
    let mut sequence = 0;
    for (month, date) in [("2026-10", "2026-10-01"), ("2026-11", "2026-11-01")] {
        for ((tenant, _, property), contract) in people.iter().zip(&contract_ids) {
            sequence += 1;
            let invoice = id();
            rows.push(row(
                "invoice",
                &invoice,
                json!({
                    "id": invoice, "number": format!("DKA/26-27/{sequence:05}"), "series_prefix": "DKA",
                    "fy_start": 2026, "sequence": sequence, "property_id": property,
                    "contract_id": contract, "tenant_id": tenant, "month": month,
                    "invoice_date": date, "due_on": date, "title": "Bill of supply",
                    "gst_rule": "exempt", "gst_charge": "none", "gst_rate_bp": 0, "interstate": 0,
                    "sac": "996311", "place_of_supply": 29, "supplier_gstin": null,
                    "recipient_gstin": null, "taxable_value_paise": 650000, "cgst_paise": 0,
                    "sgst_paise": 0, "igst_paise": 0, "tax_charged_paise": 0,
                    "tax_reverse_charge_paise": 0, "round_off_paise": 0, "total_paise": 650000,
                    "amount_in_words": "Six thousand five hundred rupees", "notes_json": "[]",
                    "status": "issued", "cancelled_on": null, "cancel_reason": null,
                    "desk_id": desk, "created_at": AT, "updated_at": AT
                }),
            ));
            lines.push(row(
                "invoice_line",
                &format!("{invoice}|1"),
                json!({
                    "invoice_id": invoice, "position": 1, "kind": "rent",
                    "description": format!("Rent for {month}"), "sac": "996311",
                    "taxable_value_paise": 650000, "cgst_paise": 0, "sgst_paise": 0,
                    "igst_paise": 0, "total_paise": 650000
                }),
            ));
        }
    }
    rows.extend(lines);
    let mut entries = Vec::new();
    for (i, (tenant, _, _)) in people.iter().enumerate() {
        let payment = id();
        rows.push(row(
            "payment",
            &payment,
            json!({
                "id": payment, "receipt_number": format!("RC-A/26-27/{:05}", i + 1),
                "tenant_id": tenant, "mode": "upi", "purpose": "dues", "amount_paise": 650000,
                "paid_on": "2026-10-08", "recorded_at": AT, "utr": format!("4{:011}", i + 1),
                "cheque_number": null, "cheque_bank": null, "cheque_state": null,
                "cheque_state_on": null, "note": null, "reversed_on": null, "reverse_reason": null,
                "desk_id": desk, "created_at": AT, "updated_at": AT
            }),
        ));
        let entry = id();
        entries.push(row(
            "ledger_entry",
            &entry,
            json!({
                "id": entry, "tenant_id": tenant, "kind": "payment", "book": "dues",
                "amount_paise": -650000, "posted_on": "2026-10-08", "due_on": null,
                "invoice_id": null, "payment_id": payment, "reverses": null,
                "memo": format!("Payment RC-A/26-27/{:05}", i + 1), "desk_id": desk,
                "recorded_at": AT
            }),
        ));
    }
    rows.extend(entries);
    rows
}

/// A name without digits, different for each tenant: "Bac Def".
fn name_of(mut i: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    let mut word = String::new();
    for _ in 0..4 {
        word.push(LETTERS[i % 26] as char);
        i /= 26;
    }
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

async fn post(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: &Value,
) -> anyhow::Result<Value> {
    let mut request = client.post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await?;
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(status.is_success(), "{status}: {text}");
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let admin_url = std::env::var("DATABASE_URL").map_err(|_| {
        anyhow::anyhow!("DATABASE_URL is not set: eval \"$(scripts/postgres.sh)\" first")
    })?;
    let tenants: usize = env_or("SYNC_TENANTS", 10_000).clamp(40, 200_000);
    let op_rows: usize = env_or("SYNC_OP_ROWS", 500).clamp(1, 2000);
    let ops_per_push: usize = env_or("SYNC_OPS_PER_PUSH", 10).clamp(1, 200);
    let page: usize = env_or("SYNC_PAGE", 5000).clamp(1, 5000);
    let server_bin = std::env::var("SYNC_SERVER_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_multipms-server").to_string());

    let db_name = format!("multipms_sync_{}", Uuid::now_v7().simple());
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
    let settings = Settings {
        database_url: url.clone(),
        max_connections: 2,
        ..Settings::default()
    };
    let app_pool = db::connect(&settings).await?;
    let email = "owner@sync.example.in";
    let created = accounts::create_org(&app_pool, "Sync Bench PG", email, "Owner Person")
        .await
        .map_err(|e| anyhow::anyhow!(e.body.message))?;
    app_pool.close().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let config = dir.join("server.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = {url:?}\nlisten = \"127.0.0.1:{port}\"\nlog_level = \"warn\"\n\
             requests_per_minute = 100000000\nrequest_timeout_secs = 300\n"
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
        .timeout(Duration::from_secs(300))
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
    let first = post(
        &client,
        format!("{base}/api/v1/auth/sign-in"),
        None,
        &json!({"email": email, "password": created.one_time_password}),
    )
    .await?;
    let first = first["token"].as_str().unwrap_or_default().to_string();
    let password = "ginger tea at five, every day";
    post(
        &client,
        format!("{base}/api/v1/auth/change-password"),
        Some(&first),
        &json!({"current_password": created.one_time_password, "new_password": password}),
    )
    .await?;
    let signed = post(
        &client,
        format!("{base}/api/v1/auth/sign-in"),
        None,
        &json!({"email": email, "password": password}),
    )
    .await?;
    let token = signed["token"].as_str().unwrap_or_default().to_string();

    let rows = sample(tenants);
    let records = rows.len();
    let ops: Vec<Value> = rows
        .chunks(op_rows)
        .map(|chunk| json!({ "op_id": Uuid::now_v7(), "rows": chunk }))
        .collect();
    let bodies: Vec<Value> = ops
        .chunks(ops_per_push)
        .map(|chunk| json!({ "desk_id": Uuid::now_v7(), "ops": chunk }))
        .collect();
    eprintln!(
        "sync: {records} records in {} operations of {op_rows} rows, {} requests",
        ops.len(),
        bodies.len()
    );

    // The first push, timed.
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for body in &bodies {
        let sent = Instant::now();
        let answer = post(
            &client,
            format!("{base}/api/v1/sync/push"),
            Some(&token),
            body,
        )
        .await?;
        slowest = slowest.max(sent.elapsed());
        for result in answer["results"].as_array().into_iter().flatten() {
            anyhow::ensure!(
                result["status"] == "accepted",
                "an operation was rejected: {result}"
            );
        }
    }
    let push_secs = started.elapsed().as_secs_f64();

    // The same again: every operation answered already.
    let started = Instant::now();
    for body in &bodies {
        post(
            &client,
            format!("{base}/api/v1/sync/push"),
            Some(&token),
            body,
        )
        .await?;
    }
    let retry_secs = started.elapsed().as_secs_f64();

    // A full pull, timed (each page received and parsed).
    let started = Instant::now();
    let mut after = 0i64;
    let mut pulled = 0usize;
    let mut bytes = 0usize;
    let mut pages = 0;
    let mut parsing = Duration::ZERO;
    loop {
        let response = client
            .get(format!(
                "{base}/api/v1/sync/changes?after={after}&limit={page}"
            ))
            .bearer_auth(&token)
            .send()
            .await?;
        anyhow::ensure!(response.status().is_success(), "{}", response.status());
        let text = response.text().await?;
        bytes += text.len();
        pages += 1;
        let parse_started = Instant::now();
        let body: Value = serde_json::from_str(&text)?;
        parsing += parse_started.elapsed();
        let changes = body["changes"].as_array().cloned().unwrap_or_default();
        pulled += changes.len();
        if let Some(last) = changes.last() {
            after = last["seq"].as_i64().unwrap_or(after);
        }
        if body["more"] != true {
            break;
        }
    }
    let pull_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        pulled == records,
        "pulled {pulled} records of {records} pushed"
    );

    println!("== multipms-server sync benchmark");
    println!(
        "   data: {records} records (20 properties, {} beds, {tenants} tenants with stays, contracts, 2 invoices with lines, a payment and its ledger entry each)",
        tenants
    );
    println!(
        "   first push: {} operations of {op_rows} rows, {ops_per_push} a request: {push_secs:.1} s, {:.0} records/s (slowest request {:.2} s)",
        ops.len(),
        records as f64 / push_secs,
        slowest.as_secs_f64()
    );
    println!("   the same push again (every operation answered before): {retry_secs:.2} s");
    println!(
        "   full pull: {pages} pages of {page}: {pull_secs:.2} s, {:.0} records/s, {:.1} MB \
         ({:.2} s of it the client parsing the JSON; served and received in {:.2} s, {:.0} records/s)",
        pulled as f64 / pull_secs,
        bytes as f64 / 1_000_000.0,
        parsing.as_secs_f64(),
        pull_secs - parsing.as_secs_f64(),
        pulled as f64 / (pull_secs - parsing.as_secs_f64())
    );
    drop(guard);
    Ok(())
}
