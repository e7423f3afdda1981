//! The money side against a real PostgreSQL: contracts, billing runs and
//! invoice numbers, payments applied to the oldest invoices, one UTR booked
//! once, reversals, the ledger's balance and its immutability.

use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

/// An organisation with one property, a tenant on a bed, an active contract
/// (₹8,500 a month from April 2026) and April, May and June billed.
struct Books {
    app: TestApp,
    owner: String,
    org: Uuid,
    p: Portfolio,
    invoices: Vec<Value>,
}

async fn books() -> Books {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Books PG").await;
    let p = portfolio(&app, &owner, "BLR1").await;
    create(
        &app,
        &format!("/api/v1/tenants/{}/contracts", p.tenant),
        &owner,
        contract_form(p.allocation),
    )
    .await;
    let mut invoices = Vec::new();
    for month in ["04/2026", "05/2026", "06/2026"] {
        let run = bill(&app, &owner, p.property, month).await;
        assert_eq!(run["created"].as_array().unwrap().len(), 1, "{run}");
        invoices.push(run["created"][0].clone());
    }
    Books {
        app,
        owner,
        org,
        p,
        invoices,
    }
}

fn upi(amount: &str, utr: &str) -> Value {
    json!({ "mode": "upi", "amount": amount, "paid_on": "10/06/2026", "reference": utr })
}

fn cash(amount: &str) -> Value {
    json!({ "mode": "cash", "amount": amount, "paid_on": "10/06/2026" })
}

async fn balance(b: &Books) -> Value {
    let (status, body) = b
        .app
        .get(
            &format!("/api/v1/tenants/{}/balance", b.p.tenant),
            Some(&b.owner),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn billing_numbers_invoices_and_runs_once() {
    let b = books().await;
    let numbers: Vec<&str> = b
        .invoices
        .iter()
        .map(|i| i["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["BLR1/26-27/00001", "BLR1/26-27/00002", "BLR1/26-27/00003"]
    );
    for i in &b.invoices {
        assert_eq!(i["total_paise"], 850_000, "{i}");
    }
    // Running a month again creates nothing and says so.
    let again = bill(&b.app, &b.owner, b.p.property, "05/2026").await;
    assert_eq!(again["created"].as_array().unwrap().len(), 0);
    assert_eq!(again["already_invoiced"], 1);
    assert!(
        again["summary"]
            .as_str()
            .unwrap()
            .starts_with("Nothing new"),
        "{again}"
    );
    // A bad month names the field.
    let (status, body) = b
        .app
        .post(
            &format!("/api/v1/properties/{}/billing-runs", b.p.property),
            Some(&b.owner),
            &json!({ "month": "13/2026" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "month");

    // The list filters by property, month and tenant; one invoice reads
    // with its lines.
    let (_, all) = b.app.get("/api/v1/invoices", Some(&b.owner)).await;
    assert_eq!(all["total"], 3, "{all}");
    assert_eq!(all["items"][0]["month"], "2026-06", "newest first");
    let (_, may) = b
        .app
        .get(
            &format!(
                "/api/v1/invoices?month=05/2026&property_id={}",
                b.p.property
            ),
            Some(&b.owner),
        )
        .await;
    assert_eq!(may["total"], 1, "{may}");
    assert_eq!(may["items"][0]["number"], "BLR1/26-27/00002");
    let (_, mine) = b
        .app
        .get(
            &format!("/api/v1/invoices?tenant_id={}&limit=2", b.p.tenant),
            Some(&b.owner),
        )
        .await;
    assert_eq!(
        (
            mine["total"].as_i64(),
            mine["items"].as_array().unwrap().len()
        ),
        (Some(3), 2)
    );
    let (_, none) = b
        .app
        .get(
            &format!("/api/v1/invoices?tenant_id={}", Uuid::now_v7()),
            Some(&b.owner),
        )
        .await;
    assert_eq!(none["total"], 0);
    let id = b.invoices[0]["id"].as_str().unwrap();
    let (status, invoice) = b
        .app
        .get(&format!("/api/v1/invoices/{id}"), Some(&b.owner))
        .await;
    assert_eq!(status, StatusCode::OK, "{invoice}");
    assert_eq!(invoice["lines"][0]["kind"], "rent");
    assert_eq!(invoice["lines"][0]["total_paise"], 850_000);
    assert_eq!(invoice["sac"], "997211", "residential rent is exempt");
    assert!(invoice["amount_in_words"]
        .as_str()
        .unwrap()
        .contains("Eight Thousand Five Hundred"));

    // A second contract on the same stay is refused.
    let (status, body) = b
        .app
        .post(
            &format!("/api/v1/tenants/{}/contracts", b.p.tenant),
            Some(&b.owner),
            &contract_form(b.p.allocation),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, contracts) = b
        .app
        .get(
            &format!("/api/v1/tenants/{}/contracts", b.p.tenant),
            Some(&b.owner),
        )
        .await;
    assert_eq!(contracts["total"], 1);
    assert_eq!(contracts["items"][0]["monthly_rent_paise"], 850_000);
    b.app.finish().await;
}

#[tokio::test]
async fn payments_pay_the_oldest_invoices_and_keep_the_rest_as_credit() {
    let b = books().await;
    let first = pay(&b.app, &b.owner, b.p.tenant, upi("10,000", "412345678901")).await;
    let applied = first["applied"].as_array().unwrap();
    assert_eq!(applied.len(), 2, "{first}");
    assert_eq!(applied[0]["invoice_id"], b.invoices[0]["id"]);
    assert_eq!(applied[0]["amount_paise"], 850_000);
    assert_eq!(applied[1]["invoice_id"], b.invoices[1]["id"]);
    assert_eq!(applied[1]["amount_paise"], 150_000);
    assert_eq!(first["credit_paise"], 0);
    assert_eq!(first["balance"]["dues_paise"], 1_550_000);
    assert_eq!(first["payment"]["utr"], "412345678901");
    assert!(first["payment"]["receipt_number"]
        .as_str()
        .unwrap()
        .starts_with("RC/26-27/"));

    let second = pay(&b.app, &b.owner, b.p.tenant, cash("20,000")).await;
    let applied = second["applied"].as_array().unwrap();
    assert_eq!(applied.len(), 2, "{second}");
    assert_eq!(applied[0]["amount_paise"], 700_000);
    assert_eq!(applied[1]["amount_paise"], 850_000);
    assert_eq!(second["credit_paise"], 450_000);
    assert_ne!(
        first["payment"]["receipt_number"],
        second["payment"]["receipt_number"]
    );

    let now = balance(&b).await;
    assert_eq!(now["dues_paise"], -450_000, "{now}");
    assert_eq!(now["credit_paise"], 450_000);
    assert_eq!(now["outstanding_paise"], 0);
    assert!(now["open_items"].as_array().unwrap().is_empty());

    // The next invoice uses the credit.
    bill(&b.app, &b.owner, b.p.property, "07/2026").await;
    let now = balance(&b).await;
    assert_eq!(now["dues_paise"], 400_000, "{now}");
    assert_eq!(now["open_items"][0]["outstanding_paise"], 400_000);
    assert_eq!(now["open_items"][0]["invoice_number"], "BLR1/26-27/00004");

    // A security deposit is held, not applied.
    let deposit = pay(
        &b.app,
        &b.owner,
        b.p.tenant,
        json!({ "mode": "bank_transfer", "amount": "17,000", "paid_on": "01/04/2026",
                "reference": "HDFCN52026040112345", "purpose": "security_deposit" }),
    )
    .await;
    assert!(deposit["applied"].as_array().unwrap().is_empty());
    assert_eq!(deposit["balance"]["deposit_held_paise"], 1_700_000);
    assert_eq!(deposit["balance"]["dues_paise"], 400_000);

    // Listed newest first, filtered by tenant.
    let (_, list) = b
        .app
        .get(
            &format!("/api/v1/payments?tenant_id={}", b.p.tenant),
            Some(&b.owner),
        )
        .await;
    assert_eq!(list["total"], 3, "{list}");
    assert_eq!(list["items"][0]["id"], deposit["payment"]["id"]);
    let (_, all) = b.app.get("/api/v1/payments?limit=1", Some(&b.owner)).await;
    assert_eq!(
        (
            all["total"].as_i64(),
            all["items"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );

    // Bad input names its field and writes nothing.
    for (body, field) in [
        (
            json!({ "mode": "upi", "amount": "100", "paid_on": "10/06/2026", "reference": "12" }),
            "reference",
        ),
        (
            json!({ "mode": "card", "amount": "100", "paid_on": "10/06/2026" }),
            "mode",
        ),
        (
            json!({ "mode": "cash", "amount": "0", "paid_on": "10/06/2026" }),
            "amount",
        ),
        (
            json!({ "mode": "cash", "amount": "100", "paid_on": "01/01/2099" }),
            "paid_on",
        ),
    ] {
        let mut body = body;
        body["tenant_id"] = json!(b.p.tenant);
        let (status, answer) = b.app.post("/api/v1/payments", Some(&b.owner), &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["field"], field, "{answer}");
    }
    let payments: i64 = sqlx::query_scalar("SELECT count(*) FROM payment")
        .fetch_one(&b.app.admin)
        .await
        .unwrap();
    assert_eq!(payments, 3);
    b.app.finish().await;
}

#[tokio::test]
async fn a_utr_is_booked_once_and_the_refusal_names_the_receipt() {
    let b = books().await;
    let first = pay(&b.app, &b.owner, b.p.tenant, upi("8,500", "412345678901")).await;
    let receipt = first["payment"]["receipt_number"].as_str().unwrap();
    // The same UTR, pasted another way, on another tenant of the organisation.
    let other = portfolio(&b.app, &b.owner, "BLR2").await;
    let mut again = upi("8,500", "UPI Ref No: 4123-4567-8901");
    again["tenant_id"] = json!(other.tenant);
    let (status, body) = b.app.post("/api/v1/payments", Some(&b.owner), &again).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "conflict");
    assert_eq!(body["field"], "reference");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(receipt), "{message}");
    assert!(message.contains("412345678901"), "{message}");
    assert!(message.contains("Tenant of BLR"), "{message}");
    assert!(message.contains("10/06/2026"), "{message}");

    // Another organisation may book the same UTR: it is theirs.
    let (_, _, foreign) = b.app.create_org("Other PG").await;
    let theirs = portfolio(&b.app, &foreign, "OTH1").await;
    pay(&b.app, &foreign, theirs.tenant, upi("100", "412345678901")).await;

    // Reversed as booked in error, the UTR may be booked again, right.
    let id = first["payment"]["id"].as_str().unwrap();
    let (status, body) = b
        .app
        .post(
            &format!("/api/v1/payments/{id}/reverse"),
            Some(&b.owner),
            &json!({ "reason": "Booked on the wrong tenant" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    pay(&b.app, &b.owner, other.tenant, upi("8,500", "412345678901")).await;
    b.app.finish().await;
}

#[tokio::test]
async fn a_reversal_restores_the_dues_and_is_a_new_entry() {
    let b = books().await;
    let before = balance(&b).await;
    assert_eq!(before["dues_paise"], 2_550_000);
    let paid = pay(&b.app, &b.owner, b.p.tenant, cash("8,500")).await;
    assert_eq!(paid["balance"]["dues_paise"], 1_700_000);
    let id = paid["payment"]["id"].as_str().unwrap();
    let path = format!("/api/v1/payments/{id}/reverse");

    let (status, body) = b
        .app
        .post(&path, Some(&b.owner), &json!({ "reason": "" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "reason");
    let (status, body) = b
        .app
        .post(
            &path,
            Some(&b.owner),
            &json!({ "reason": "Counterfeit note", "on": "01/06/2026" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "before the payment: {body}"
    );
    assert_eq!(body["field"], "posted_on");

    let (status, reversed) = b
        .app
        .post(
            &path,
            Some(&b.owner),
            &json!({ "reason": "Counterfeit note" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reversed}");
    assert!(reversed["payment"]["reversed_on"].is_string());
    assert_eq!(reversed["payment"]["reverse_reason"], "Counterfeit note");
    assert_eq!(reversed["balance"]["dues_paise"], 2_550_000);
    let after = balance(&b).await;
    assert_eq!(after["dues_paise"], before["dues_paise"]);
    assert_eq!(after["open_items"], before["open_items"]);

    // Again: refused, nothing written.
    let (status, body) = b
        .app
        .post(&path, Some(&b.owner), &json!({ "reason": "Twice" }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("already reversed"));

    // The ledger shows the payment and its reversal, newest first on ask.
    let (_, page) = b
        .app
        .get(
            &format!("/api/v1/tenants/{}/ledger?order=newest", b.p.tenant),
            Some(&b.owner),
        )
        .await;
    assert_eq!(page["total"], 5, "{page}");
    let top = &page["items"][0];
    assert_eq!(top["kind"], "reversal", "{page}");
    assert_eq!(top["amount_paise"], 850_000);
    assert_eq!(top["payment_id"], paid["payment"]["id"]);
    assert_eq!(page["items"][1]["kind"], "payment");
    assert_eq!(top["reverses"], page["items"][1]["id"]);
    let entries: i64 =
        sqlx::query_scalar("SELECT count(*) FROM ledger_entry WHERE kind = 'payment'")
            .fetch_one(&b.app.admin)
            .await
            .unwrap();
    assert_eq!(entries, 1, "the payment's entry stays");

    // Every write is in the audit log.
    let (_, audit) = b
        .app
        .get("/api/v1/audit-log?limit=200", Some(&b.owner))
        .await;
    let actions: Vec<(String, String)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["entity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for wanted in [
        ("create", "contract"),
        ("issue", "invoice"),
        ("record", "payment"),
        ("reverse", "payment"),
    ] {
        assert!(
            actions.contains(&(wanted.0.to_string(), wanted.1.to_string())),
            "{wanted:?} not in {actions:?}"
        );
    }
    b.app.finish().await;
}

#[tokio::test]
async fn the_balance_is_the_sum_of_the_entries_and_the_statement_runs_it() {
    let b = books().await;
    pay(&b.app, &b.owner, b.p.tenant, upi("3,000", "512345678901")).await;
    pay(&b.app, &b.owner, b.p.tenant, cash("12,345.50")).await;
    let sum: i64 = sqlx::query_scalar(
        "SELECT sum(amount_paise)::bigint FROM ledger_entry WHERE tenant_id = $1",
    )
    .bind(b.p.tenant)
    .fetch_one(&b.app.admin)
    .await
    .unwrap();
    let now = balance(&b).await;
    assert_eq!(now["balance_paise"], sum, "{now}");
    assert_eq!(now["dues_paise"], sum);
    assert_eq!(now["entries"], 5);
    assert_eq!(sum, 2_550_000 - 300_000 - 1_234_550);

    // Statement order, two entries a page: the running balance carries
    // over pages and ends at the balance.
    let mut running = Vec::new();
    for offset in [0, 2, 4] {
        let (status, page) = b
            .app
            .get(
                &format!(
                    "/api/v1/tenants/{}/ledger?limit=2&offset={offset}",
                    b.p.tenant
                ),
                Some(&b.owner),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["total"], 5);
        for item in page["items"].as_array().unwrap() {
            running.push((
                item["amount_paise"].as_i64().unwrap(),
                item["balance_paise"].as_i64().unwrap(),
            ));
        }
    }
    assert_eq!(running.len(), 5);
    let mut total = 0;
    for (amount, after) in &running {
        total += amount;
        assert_eq!(*after, total, "{running:?}");
    }
    assert_eq!(total, sum);
    let (_, first) = b
        .app
        .get(
            &format!("/api/v1/tenants/{}/ledger", b.p.tenant),
            Some(&b.owner),
        )
        .await;
    assert_eq!(first["items"][0]["kind"], "charge");
    assert_eq!(first["items"][0]["invoice_number"], "BLR1/26-27/00001");
    assert!(first["items"][3]["receipt_number"].is_string());
    let (status, body) = b
        .app
        .get(
            &format!("/api/v1/tenants/{}/ledger?order=sideways", b.p.tenant),
            Some(&b.owner),
        )
        .await;
    assert!(status.is_client_error(), "{status} {body}");
    b.app.finish().await;
}

#[tokio::test]
async fn the_database_refuses_to_change_the_books() {
    let b = books().await;
    pay(&b.app, &b.owner, b.p.tenant, cash("1,000")).await;
    // As the superuser who owns the tables: the triggers still refuse.
    for sql in [
        "UPDATE ledger_entry SET amount_paise = 1",
        "UPDATE ledger_entry SET memo = 'edited'",
        "DELETE FROM ledger_entry",
        "TRUNCATE ledger_entry CASCADE",
        "UPDATE payment_allocation SET amount_paise = 1",
        "DELETE FROM payment_allocation",
        "UPDATE invoice SET total_paise = 1",
        "DELETE FROM invoice",
        "UPDATE invoice_line SET total_paise = 1",
        "UPDATE payment SET amount_paise = 1",
        "DELETE FROM payment",
    ] {
        let result = sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&b.app.admin)
            .await;
        assert!(result.is_err(), "{sql} was allowed");
    }
    // As the application role, inside the organisation: refused too.
    let mut tx = multipms_server::db::begin_org(&b.app.pool, b.org)
        .await
        .unwrap();
    let result = sqlx::query("UPDATE ledger_entry SET amount_paise = 1")
        .execute(&mut *tx)
        .await;
    assert!(result.is_err(), "the app role changed the ledger");
    tx.rollback().await.unwrap();
    let mut tx = multipms_server::db::begin_org(&b.app.pool, b.org)
        .await
        .unwrap();
    let result = sqlx::query("DELETE FROM ledger_entry")
        .execute(&mut *tx)
        .await;
    assert!(result.is_err(), "the app role deleted ledger entries");
    tx.rollback().await.unwrap();

    // A reversal that does not match its entry is refused by the database.
    let mut tx = multipms_server::db::begin_org(&b.app.pool, b.org)
        .await
        .unwrap();
    let (charge, tenant): (Uuid, Uuid) = sqlx::query_as(
        "SELECT id, tenant_id FROM ledger_entry WHERE kind = 'charge' ORDER BY seq LIMIT 1",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let result = sqlx::query(
        "INSERT INTO ledger_entry (id, org_id, tenant_id, kind, book, amount_paise, posted_on, reverses, memo) \
         VALUES ($1, $2, $3, 'reversal', 'dues', -1, '2026-07-01', $4, 'wrong')",
    )
    .bind(Uuid::now_v7())
    .bind(b.org)
    .bind(tenant)
    .bind(charge)
    .execute(&mut *tx)
    .await;
    assert!(result.is_err(), "a mismatched reversal was stored");
    tx.rollback().await.unwrap();

    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger_entry")
        .fetch_one(&b.app.admin)
        .await
        .unwrap();
    assert_eq!(entries, 4);
    b.app.finish().await;
}

#[tokio::test]
async fn desks_racing_each_other_book_a_utr_once_and_bill_a_month_once() {
    let b = books().await;
    let other = portfolio(&b.app, &b.owner, "BLR2").await;
    // Six desks book one transfer at once, on two tenants.
    let sends = (0..6).map(|i| {
        let tenant = if i % 2 == 0 { b.p.tenant } else { other.tenant };
        let mut body = upi("1,000", "612345678901");
        body["tenant_id"] = json!(tenant);
        let app = &b.app;
        let owner = b.owner.clone();
        async move { app.post("/api/v1/payments", Some(&owner), &body).await }
    });
    let answers = futures_join_all(sends).await;
    let booked = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(booked, 1, "{answers:?}");
    for (status, body) in &answers {
        assert!(
            *status == StatusCode::CREATED || *status == StatusCode::CONFLICT,
            "{status} {body}"
        );
    }
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM payment WHERE utr = '612345678901'")
        .fetch_one(&b.app.admin)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    // Three desks bill July at once: one invoice, the next number.
    let runs = (0..3).map(|_| {
        let app = &b.app;
        let owner = b.owner.clone();
        let property = b.p.property;
        async move {
            app.post(
                &format!("/api/v1/properties/{property}/billing-runs"),
                Some(&owner),
                &json!({ "month": "07/2026" }),
            )
            .await
        }
    });
    let answers = futures_join_all(runs).await;
    let mut numbers = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
        for created in body["created"].as_array().unwrap() {
            numbers.push(created["number"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(numbers, ["BLR1/26-27/00004"], "{answers:?}");
    b.app.finish().await;
}

/// Runs the futures concurrently and returns their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let handles: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(fut) = slot {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(out) => {
                        results[i] = Some(out);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    for r in results {
        outputs.extend(r);
    }
    outputs
}
