//! Desk sync against a real PostgreSQL: pushed operations accepted or
//! rejected with a reason a person can read and the server's truth, each
//! applied once; pulled by sequence number, in pages, with a long poll;
//! organisations kept apart.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

fn id() -> String {
    Uuid::now_v7().to_string()
}

/// The key of a desk row: its key columns joined with '|'.
fn key_of(entity: &str, data: &Value) -> String {
    let columns: &[&str] = match entity {
        "invoice_line" => &["invoice_id", "position"],
        "payment_allocation" => &["entry_id", "item_entry_id"],
        "late_fee_rule" => &["property_id"],
        _ => &["id"],
    };
    columns
        .iter()
        .map(|c| match &data[c] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A new row.
fn ins(entity: &str, data: &Value) -> Value {
    json!({ "entity": entity, "key": key_of(entity, data), "action": "upsert", "old": null, "new": data })
}

/// An edit: the row as the desk last had it, and as it is now.
fn edit(entity: &str, old: &Value, new: &Value) -> Value {
    json!({ "entity": entity, "key": key_of(entity, new), "action": "upsert", "old": old, "new": new })
}

/// A delete.
fn del(entity: &str, key: &str) -> Value {
    json!({ "entity": entity, "key": key, "action": "delete", "old": null, "new": null })
}

/// An operation of `rows`, with a fresh id.
fn op(rows: Vec<Value>) -> Value {
    json!({ "op_id": Uuid::now_v7(), "rows": rows })
}

/// `value` with `changes` applied.
fn with(value: &Value, changes: Value) -> Value {
    let mut out = value.clone();
    for (k, v) in changes.as_object().unwrap() {
        out[k] = v.clone();
    }
    out
}

/// A desk: its id and its user's token.
struct Desk {
    id: Uuid,
    token: String,
}

impl Desk {
    fn new(token: &str) -> Desk {
        Desk {
            id: Uuid::now_v7(),
            token: token.to_string(),
        }
    }

    /// Pushes `ops`; returns status and body.
    async fn push_raw(&self, app: &TestApp, ops: &[Value]) -> (StatusCode, Value) {
        app.post(
            "/api/v1/sync/push",
            Some(&self.token),
            &json!({ "desk_id": self.id, "ops": ops }),
        )
        .await
    }

    /// Pushes `ops`; panics unless 200; returns the body.
    async fn push(&self, app: &TestApp, ops: &[Value]) -> Value {
        let (status, body) = self.push_raw(app, ops).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["results"].as_array().unwrap().len(),
            ops.len(),
            "{body}"
        );
        body
    }

    /// Pushes one operation and expects it accepted; returns its result.
    async fn accepted(&self, app: &TestApp, rows: Vec<Value>) -> Value {
        let body = self.push(app, &[op(rows)]).await;
        let result = body["results"][0].clone();
        assert_eq!(result["status"], "accepted", "{result}");
        result
    }

    /// Pushes one operation and expects it rejected; returns its result.
    async fn rejected(&self, app: &TestApp, rows: Vec<Value>) -> Value {
        let body = self.push(app, &[op(rows)]).await;
        let result = body["results"][0].clone();
        assert_eq!(result["status"], "rejected", "{result}");
        assert!(result["seq"].is_null(), "{result}");
        assert!(result["reason"].is_string(), "{result}");
        result
    }

    /// Every change after `after`, page by page of `limit`.
    async fn pull_all(&self, app: &TestApp, after: i64, limit: i64) -> Vec<Value> {
        let mut after = after;
        let mut all = Vec::new();
        loop {
            let page = self.pull(app, after, limit).await;
            let changes = page["changes"].as_array().unwrap().clone();
            assert!(changes.len() as i64 <= limit);
            if let Some(last) = changes.last() {
                after = last["seq"].as_i64().unwrap();
            }
            all.extend(changes);
            if !page["more"].as_bool().unwrap() {
                return all;
            }
        }
    }

    async fn pull(&self, app: &TestApp, after: i64, limit: i64) -> Value {
        let (status, page) = app
            .get(
                &format!("/api/v1/sync/changes?after={after}&limit={limit}"),
                Some(&self.token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page
    }
}

/// A property, room, bed and tenant as a desk stores them.
struct Place {
    property: Value,
    room: Value,
    bed: Value,
    spare_bed: Value,
    tenant: Value,
}

fn property(name: &str, code: &str) -> Value {
    json!({
        "id": id(), "name": name, "address_line1": "12, 3rd Cross", "address_line2": null,
        "city": "Bengaluru", "state": "Karnataka", "state_code": 29, "pin_code": "560034",
        "gstin": null, "code": code, "upi_id": null, "gst_category": "pg_hostel",
        "gst_rate_bp": 1800, "landlord_name": null, "landlord_pan": null,
        "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
    })
}

fn room(property: &Value, number: &str) -> Value {
    json!({
        "id": id(), "property_id": property["id"], "floor": 2, "number": number,
        "room_type": "standard", "sharing": 2, "ac": 1, "rent_per_bed_paise": 850000,
        "retired_on": null, "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
    })
}

fn bed(room: &Value, label: &str) -> Value {
    json!({
        "id": id(), "room_id": room["id"], "label": label, "retired_on": null,
        "property_id": room["property_id"],
        "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
    })
}

fn tenant(name: &str) -> Value {
    json!({
        "id": id(), "full_name": name, "mobile": "+919845012345", "email": null,
        "date_of_birth": "1999-05-04", "permanent_address": null, "emergency_name": null,
        "emergency_phone": null, "occupation": "student", "college_or_employer": null,
        "kyc_document": "aadhaar", "kyc_number": null, "kyc_masked": "XXXX XXXX 2346",
        "police_verification": "pending", "police_verified_on": null,
        "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
    })
}

fn stay(tenant: &Value, bed: &Value, move_in: &str, move_out: Option<&str>) -> Value {
    json!({
        "id": id(), "tenant_id": tenant["id"], "bed_id": bed["id"], "move_in": move_in,
        "move_out": move_out, "notice_on": null, "property_id": bed["property_id"],
        "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
    })
}

fn payment(tenant: &Value, receipt: &str, mode: &str, utr: Option<&str>, paid_on: &str) -> Value {
    json!({
        "id": id(), "receipt_number": receipt, "tenant_id": tenant["id"], "mode": mode,
        "purpose": "dues", "amount_paise": 500000, "paid_on": paid_on,
        "recorded_at": "2026-11-28T10:00:00Z", "utr": utr, "cheque_number": null,
        "cheque_bank": null, "cheque_state": null, "cheque_state_on": null, "note": null,
        "reversed_on": null, "reverse_reason": null, "desk_id": id(),
        "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"
    })
}

fn ledger_entry(tenant: &Value, payment: &Value) -> Value {
    json!({
        "id": id(), "tenant_id": tenant["id"], "kind": "payment", "book": "dues",
        "amount_paise": -500000, "posted_on": "2026-11-28", "due_on": null, "invoice_id": null,
        "payment_id": payment["id"], "reverses": null, "memo": "Payment RC-A/26-27/00012",
        "desk_id": id(), "recorded_at": "2026-11-28T10:00:00Z"
    })
}

fn place(name: &str, code: &str) -> Place {
    let property = property(name, code);
    let room = room(&property, "204");
    let bed = bed(&room, "B");
    let spare_bed = self::bed(&room, "C");
    Place {
        tenant: tenant("Ravi Sharma"),
        property,
        room,
        bed,
        spare_bed,
    }
}

impl Place {
    fn rows(&self) -> Vec<Value> {
        vec![
            ins("property", &self.property),
            ins("room", &self.room),
            ins("bed", &self.bed),
            ins("bed", &self.spare_bed),
            ins("tenant", &self.tenant),
        ]
    }
}

/// When the operation that wrote (entity, key) was answered, as India reads
/// it: "10:42 on 30/11/2026".
async fn sent_at(app: &TestApp, entity: &str, key: &str) -> String {
    let at: DateTime<Utc> = sqlx::query_scalar(
        "SELECT o.answered_at FROM sync_record r JOIN sync_op o ON o.org_id = r.org_id AND o.op_id = r.op_id \
         WHERE r.entity = $1 AND r.key = $2",
    )
    .bind(entity)
    .bind(key)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let local = (at + chrono::Duration::minutes(330)).naive_utc();
    local.format("%H:%M on %d/%m/%Y").to_string()
}

fn truth_of<'a>(result: &'a Value, entity: &str, key: &str) -> &'a Value {
    result["truth"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["entity"] == entity && t["key"] == key)
        .unwrap_or_else(|| panic!("no truth of {entity} {key}: {result}"))
}

async fn status(app: &TestApp, token: &str) -> Value {
    let (code, body) = app.get("/api/v1/sync/status", Some(token)).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn accepted_operations_are_pulled_in_order() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Sync PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    let rows = p.rows();
    let result = desk.accepted(&app, rows.clone()).await;
    assert_eq!(result["seq"], 5, "{result}");
    assert_eq!(result["truth"], json!([]));
    assert!(result["reason"].is_null() && result["field"].is_null());

    // A stay in a second operation: its number follows.
    let s = stay(&p.tenant, &p.bed, "2026-12-01", None);
    let second = desk.accepted(&app, vec![ins("allocation", &s)]).await;
    assert_eq!(second["seq"], 6);

    let changes = desk.pull_all(&app, 0, 1000).await;
    assert_eq!(changes.len(), 6);
    let seqs: Vec<i64> = changes.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);
    for (change, row) in changes
        .iter()
        .zip(rows.iter().chain([&ins("allocation", &s)]))
    {
        assert_eq!(change["entity"], row["entity"]);
        assert_eq!(change["key"], row["key"]);
        assert_eq!(change["data"], row["new"], "stored as sent");
    }
    // After a number: only what follows.
    let page = desk.pull(&app, 5, 1000).await;
    assert_eq!(page["changes"].as_array().unwrap().len(), 1);
    assert_eq!(page["last_seq"], 6);
    assert_eq!(page["more"], false);
    let page = desk.pull(&app, 6, 1000).await;
    assert_eq!(page["changes"], json!([]));
    assert_eq!(
        status(&app, &owner).await,
        json!({ "last_seq": 6, "records": 6 })
    );

    // A record changed twice in one operation keeps its last state and
    // number; each row still gets its own number.
    let t = tenant("Meena Iyer");
    let t2 = with(&t, json!({ "email": "meena@example.in" }));
    let third = desk
        .accepted(&app, vec![ins("tenant", &t), edit("tenant", &t, &t2)])
        .await;
    assert_eq!(third["seq"], 8);
    let page = desk.pull(&app, 6, 1000).await;
    assert_eq!(page["changes"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["changes"][0]["seq"], 8);
    assert_eq!(page["changes"][0]["data"]["email"], "meena@example.in");
    app.finish().await;
}

#[tokio::test]
async fn a_retried_operation_gets_its_first_answer_and_applies_once() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Retry PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    let first_op = op(p.rows());
    let first = desk.push(&app, std::slice::from_ref(&first_op)).await;
    let again = desk.push(&app, std::slice::from_ref(&first_op)).await;
    assert_eq!(first["results"], again["results"]);
    assert_eq!(again["last_seq"], 5);

    // A rejected one too, even once what refused it is gone.
    let other = place("Other PG", "SUN1");
    let bad = op(vec![ins("property", &other.property)]);
    let refused = desk.push(&app, std::slice::from_ref(&bad)).await;
    assert_eq!(refused["results"][0]["status"], "rejected");
    let renamed = with(&p.property, json!({ "code": "SUN2" }));
    desk.accepted(&app, vec![edit("property", &p.property, &renamed)])
        .await;
    let refused_again = desk.push(&app, std::slice::from_ref(&bad)).await;
    assert_eq!(refused["results"], refused_again["results"]);

    // In one request, the second copy of an operation gets the first's
    // answer.
    let t = tenant("Asha Rao");
    let twice = op(vec![ins("tenant", &t)]);
    let both = desk.push(&app, &[twice.clone(), twice.clone()]).await;
    assert_eq!(both["results"][0], both["results"][1]);

    let ops: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_op WHERE org_id = $1")
        .bind(org)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(ops, 4, "each operation answered once");
    let last: i64 = sqlx::query_scalar("SELECT last_seq FROM sync_counter WHERE org_id = $1")
        .bind(org)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(last, 7);

    // Another operation under a used id is refused and changes nothing.
    let mut reused = op(vec![ins("tenant", &tenant("Someone Else"))]);
    reused["op_id"] = first_op["op_id"].clone();
    let answer = desk.push(&app, &[reused]).await;
    let result = &answer["results"][0];
    assert_eq!(result["status"], "rejected", "{result}");
    assert_eq!(result["field"], "op_id");
    assert_eq!(answer["last_seq"], 7);
    // ... and the id keeps its first answer.
    let third = desk.push(&app, &[first_op]).await;
    assert_eq!(first["results"], third["results"]);
    app.finish().await;
}

#[tokio::test]
async fn concurrent_identical_pushes_apply_once() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Race PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    let the_op = op(p.rows());
    let ops = [the_op.clone()];
    let (a, b, c, d) = tokio::join!(
        desk.push(&app, &ops),
        desk.push(&app, &ops),
        desk.push(&app, &ops),
        desk.push(&app, &ops),
    );
    for other in [&b, &c, &d] {
        assert_eq!(a["results"], other["results"]);
    }
    assert_eq!(a["results"][0]["status"], "accepted");
    assert_eq!(a["results"][0]["seq"], 5);
    let (records, last): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM sync_record WHERE org_id = $1), \
                (SELECT last_seq FROM sync_counter WHERE org_id = $1)",
    )
    .bind(org)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    assert_eq!((records, last), (5, 5));

    // Two desks racing for one bed: exactly one gets it.
    let (_, second) = app.add_user(org, "manager", vec![]).await;
    let other_desk = Desk::new(&second);
    let ravi = tenant("Ravi Sharma");
    let meena = tenant("Meena Iyer");
    let ravis = [op(vec![
        ins("tenant", &ravi),
        ins("allocation", &stay(&ravi, &p.bed, "2026-12-01", None)),
    ])];
    let meenas = [op(vec![
        ins("tenant", &meena),
        ins("allocation", &stay(&meena, &p.bed, "2026-12-10", None)),
    ])];
    let (x, y) = tokio::join!(desk.push(&app, &ravis), other_desk.push(&app, &meenas));
    let statuses = [
        x["results"][0]["status"].as_str().unwrap(),
        y["results"][0]["status"].as_str().unwrap(),
    ];
    let mut sorted = statuses;
    sorted.sort_unstable();
    assert_eq!(sorted, ["accepted", "rejected"], "{x} {y}");
    app.finish().await;
}

#[tokio::test]
async fn a_bed_given_twice_is_refused_with_who_and_when() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Beds PG").await;
    // The front desk works at Sunrise PG (matched to the desks' property
    // by its code).
    let assigned = create(&app, "/api/v1/properties", &owner, property_form("SUN1")).await;
    let (_, front_desk) = app.add_user(org, "front_desk", vec![assigned]).await;
    let a = Desk::new(&owner);
    let b = Desk::new(&front_desk);
    let p = place("Sunrise PG", "SUN1");
    a.accepted(&app, p.rows()).await;
    let ravis = stay(&p.tenant, &p.bed, "2026-12-01", None);
    a.accepted(&app, vec![ins("allocation", &ravis)]).await;
    let given_at = sent_at(&app, "allocation", ravis["id"].as_str().unwrap()).await;

    // Desk B, offline, gave the same bed to Meena from 15/12.
    let meena = tenant("Meena Iyer");
    let meenas = stay(&meena, &p.bed, "2026-12-15", Some("2027-03-01"));
    let result = b
        .rejected(
            &app,
            vec![ins("tenant", &meena), ins("allocation", &meenas)],
        )
        .await;
    assert_eq!(
        result["reason"],
        format!(
            "Bed B in room 204 (Sunrise PG) was given to Ravi Sharma from another desk at {given_at}, from 01/12/2026."
        ),
        "{result}"
    );
    assert_eq!(result["field"], "bed_id");
    // The truth: the server has neither of the two records.
    assert_eq!(result["truth"].as_array().unwrap().len(), 2);
    assert!(truth_of(&result, "tenant", meena["id"].as_str().unwrap())["data"].is_null());
    assert!(truth_of(&result, "allocation", meenas["id"].as_str().unwrap())["data"].is_null());
    // Nothing of it stayed.
    assert_eq!(status(&app, &owner).await["records"], 6);

    // Moving an existing stay onto the bed: the truth is the server's stay.
    let asha = tenant("Asha Rao");
    let ashas = stay(&asha, &p.spare_bed, "2026-12-05", None);
    b.accepted(&app, vec![ins("tenant", &asha), ins("allocation", &ashas)])
        .await;
    let moved = with(&ashas, json!({ "bed_id": p.bed["id"] }));
    let result = b
        .rejected(&app, vec![edit("allocation", &ashas, &moved)])
        .await;
    assert_eq!(
        result["reason"],
        format!(
            "Bed B in room 204 (Sunrise PG) was given to Ravi Sharma from another desk at {given_at}, from 01/12/2026."
        )
    );
    assert_eq!(
        truth_of(&result, "allocation", ashas["id"].as_str().unwrap())["data"],
        ashas
    );
    // The same desk's own stay is "from this desk"; a closed stay says
    // until when.
    let closed = with(&ravis, json!({ "move_out": "2027-01-01" }));
    a.accepted(&app, vec![edit("allocation", &ravis, &closed)])
        .await;
    let closed_at = sent_at(&app, "allocation", ravis["id"].as_str().unwrap()).await;
    let kiran = tenant("Kiran Das");
    let result = a
        .rejected(
            &app,
            vec![
                ins("tenant", &kiran),
                ins("allocation", &stay(&kiran, &p.bed, "2026-12-20", None)),
            ],
        )
        .await;
    assert_eq!(
        result["reason"],
        format!(
            "Bed B in room 204 (Sunrise PG) was given to Ravi Sharma from this desk at {closed_at}, from 01/12/2026 until 01/01/2027."
        )
    );
    // From the day it is free, the bed can be given.
    b.accepted(
        &app,
        vec![
            ins("tenant", &kiran),
            ins("allocation", &stay(&kiran, &p.bed, "2027-01-01", None)),
        ],
    )
    .await;
    // Two stays in one operation clash too.
    let (x, y) = (tenant("X Person"), tenant("Y Person"));
    let extra = bed(&p.room, "E");
    let result = a
        .rejected(
            &app,
            vec![
                ins("bed", &extra),
                ins("tenant", &x),
                ins("tenant", &y),
                ins(
                    "allocation",
                    &stay(&x, &extra, "2028-01-01", Some("2028-02-01")),
                ),
                ins("allocation", &stay(&y, &extra, "2028-01-31", None)),
            ],
        )
        .await;
    assert_eq!(
        result["reason"],
        "Bed E in room 204 (Sunrise PG) was given to X Person earlier in this same change, from 01/01/2028 until 01/02/2028."
    );
    app.finish().await;
}

#[tokio::test]
async fn a_utr_is_booked_once_however_it_is_written() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("UTR PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    desk.accepted(&app, p.rows()).await;
    let first = payment(
        &p.tenant,
        "RC-A/26-27/00012",
        "bank_transfer",
        Some("HDFCN52026112812345"),
        "2026-11-28",
    );
    desk.accepted(
        &app,
        vec![
            ins("payment", &first),
            ins("ledger_entry", &ledger_entry(&p.tenant, &first)),
        ],
    )
    .await;
    let meena = tenant("Meena Iyer");
    let again = payment(
        &meena,
        "RC-B/26-27/00001",
        "bank_transfer",
        Some("hdfc-n5202 6112812345"),
        "2026-11-29",
    );
    let result = desk
        .rejected(&app, vec![ins("tenant", &meena), ins("payment", &again)])
        .await;
    assert_eq!(
        result["reason"],
        "UTR HDFCN52026112812345 is already booked as receipt RC-A/26-27/00012 for Ravi Sharma, paid on 28/11/2026."
    );
    assert_eq!(result["field"], "utr");
    // Once the first is reversed, its UTR is free.
    let reversed = with(
        &first,
        json!({ "reversed_on": "2026-11-30", "reverse_reason": "Booked in error" }),
    );
    desk.accepted(&app, vec![edit("payment", &first, &reversed)])
        .await;
    desk.accepted(&app, vec![ins("tenant", &meena), ins("payment", &again)])
        .await;
    // ... and cannot be un-reversed while the UTR is booked again.
    let result = desk
        .rejected(&app, vec![edit("payment", &reversed, &first)])
        .await;
    assert_eq!(result["field"], "utr", "{result}");
    // A payment's facts never change; a receipt number is used once.
    let result = desk
        .rejected(
            &app,
            vec![edit(
                "payment",
                &again,
                &with(&again, json!({ "amount_paise": 1 })),
            )],
        )
        .await;
    assert_eq!(result["field"], "amount_paise");
    assert!(result["reason"]
        .as_str()
        .unwrap()
        .contains("reverse it instead"));
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "payment",
                &payment(&p.tenant, "RC-A/26-27/00012", "cash", None, "2026-11-30"),
            )],
        )
        .await;
    assert_eq!(result["field"], "receipt_number", "{result}");
    assert!(
        result["reason"]
            .as_str()
            .unwrap()
            .starts_with("Receipt number RC-A/26-27/00012 is already used for a payment of Ravi Sharma, paid on 28/11/2026"),
        "{result}"
    );
    app.finish().await;
}

#[tokio::test]
async fn the_books_only_change_as_the_desk_allows() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Books PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    desk.accepted(&app, p.rows()).await;
    let pay = payment(&p.tenant, "RC-A/26-27/00001", "cash", None, "2026-11-28");
    let entry = ledger_entry(&p.tenant, &pay);
    desk.accepted(
        &app,
        vec![ins("payment", &pay), ins("ledger_entry", &entry)],
    )
    .await;

    // A ledger entry is never edited ...
    let result = desk
        .rejected(
            &app,
            vec![edit(
                "ledger_entry",
                &entry,
                &with(&entry, json!({ "amount_paise": -400000 })),
            )],
        )
        .await;
    assert_eq!(result["field"], "amount_paise");
    assert!(
        result["reason"]
            .as_str()
            .unwrap()
            .ends_with("ledger entries are never edited; correct them with a reversal"),
        "{result}"
    );
    assert_eq!(
        truth_of(&result, "ledger_entry", entry["id"].as_str().unwrap())["data"],
        entry
    );
    // ... nor deleted; sending it again as it is changes nothing.
    let result = desk
        .rejected(
            &app,
            vec![del("ledger_entry", entry["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(result["field"], "key");
    desk.accepted(&app, vec![ins("ledger_entry", &entry)]).await;
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "ledger_entry",
                &with(&entry, json!({ "memo": "changed" })),
            )],
        )
        .await;
    assert_eq!(result["field"], "memo");

    // A reversal undoes an entry once.
    let reversal = json!({
        "id": id(), "tenant_id": p.tenant["id"], "kind": "reversal", "book": "dues",
        "amount_paise": 500000, "posted_on": "2026-11-30", "due_on": null, "invoice_id": null,
        "payment_id": pay["id"], "reverses": entry["id"], "memo": "Reversed",
        "desk_id": id(), "recorded_at": "2026-11-30T10:00:00Z"
    });
    desk.accepted(&app, vec![ins("ledger_entry", &reversal)])
        .await;
    let result = desk
        .rejected(
            &app,
            vec![ins("ledger_entry", &with(&reversal, json!({ "id": id() })))],
        )
        .await;
    assert_eq!(result["field"], "reverses", "{result}");

    // Columns and values are checked.
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "ledger_entry",
                &with(&entry, json!({ "id": id(), "seq": 7 })),
            )],
        )
        .await;
    assert_eq!(result["field"], "seq");
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "payment",
                &with(
                    &pay,
                    json!({ "id": id(), "receipt_number": "X1", "amount_paise": "5000" }),
                ),
            )],
        )
        .await;
    assert_eq!(result["field"], "amount_paise");
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "payment",
                &with(
                    &pay,
                    json!({ "id": id(), "receipt_number": "X2", "amount_paise": 0 }),
                ),
            )],
        )
        .await;
    assert_eq!(result["field"], "amount_paise");
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "payment",
                &with(
                    &pay,
                    json!({ "id": id(), "receipt_number": "X3", "paid_on": "28/11/2026" }),
                ),
            )],
        )
        .await;
    assert_eq!(result["field"], "paid_on");
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "tenant",
                &with(&tenant("Ravi"), json!({ "mobile": "12345" })),
            )],
        )
        .await;
    assert_eq!(result["field"], "mobile");
    let result = desk
        .rejected(&app, vec![ins("tenant", &tenant("R2D2"))])
        .await;
    assert_eq!(result["field"], "full_name");
    let result = desk
        .rejected(&app, vec![ins("cupboard", &json!({ "id": id() }))])
        .await;
    assert_eq!(result["field"], "entity");
    let mut wrong_key = ins("tenant", &tenant("Ravi"));
    wrong_key["key"] = json!("not-its-id");
    let result = desk.rejected(&app, vec![wrong_key]).await;
    assert_eq!(result["field"], "key");
    app.finish().await;
}

#[tokio::test]
async fn references_must_exist() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Refs PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    // The room's property is unknown to the server.
    let result = desk.rejected(&app, vec![ins("room", &p.room)]).await;
    assert_eq!(
        result["reason"],
        "Room 204 refers to a property the server does not have"
    );
    assert_eq!(result["field"], "property_id");
    // Earlier in the same operation is fine (the place's rows).
    desk.accepted(&app, p.rows()).await;
    // A stay of a tenant the server does not have.
    let ghost = tenant("Ghost Person");
    let result = desk
        .rejected(
            &app,
            vec![ins("allocation", &stay(&ghost, &p.bed, "2026-12-01", None))],
        )
        .await;
    assert_eq!(result["field"], "tenant_id");
    assert_eq!(
        result["reason"],
        "The stay of a tenant refers to a tenant the server does not have"
    );
    // A nullable reference may be null; a required one may not.
    let pay = payment(&p.tenant, "RC-A/1", "cash", None, "2026-11-28");
    let entry = with(
        &ledger_entry(&p.tenant, &pay),
        json!({ "payment_id": null }),
    );
    desk.accepted(&app, vec![ins("ledger_entry", &entry)]).await;
    let result = desk
        .rejected(
            &app,
            vec![ins("payment", &with(&pay, json!({ "tenant_id": null })))],
        )
        .await;
    assert_eq!(result["field"], "tenant_id");
    app.finish().await;
}

#[tokio::test]
async fn a_rejection_never_undoes_or_stops_another_operation() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Order PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    let dup = place("Another PG", "SUN1");
    let t = tenant("Asha Rao");
    let answer = desk
        .push(
            &app,
            &[
                op(p.rows()),
                op(vec![ins("tenant", &t), ins("property", &dup.property)]),
                op(vec![ins("tenant", &t)]),
            ],
        )
        .await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "accepted");
    assert_eq!(results[0]["seq"], 5);
    assert_eq!(results[1]["status"], "rejected");
    assert_eq!(results[1]["field"], "code");
    assert!(
        results[1]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Property code SUN1 is already used by Sunrise PG (from this desk at "),
        "{}",
        results[1]
    );
    assert!(truth_of(&results[1], "tenant", t["id"].as_str().unwrap())["data"].is_null());
    assert_eq!(results[2]["status"], "accepted");
    assert_eq!(
        results[2]["seq"], 6,
        "a rejected operation takes no numbers"
    );
    assert_eq!(answer["last_seq"], 6);
    let changes = desk.pull_all(&app, 0, 100).await;
    assert_eq!(changes.len(), 6);
    assert!(changes.iter().all(|c| c["key"] != dup.property["id"]));
    app.finish().await;
}

#[tokio::test]
async fn edits_merge_field_by_field_and_the_last_one_wins() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Merge PG").await;
    let (_, manager) = app.add_user(org, "manager", vec![]).await;
    let a = Desk::new(&owner);
    let b = Desk::new(&manager);
    let t = tenant("Ravi Sharma");
    a.accepted(&app, vec![ins("tenant", &t)]).await;
    // Both desks have t; A changes the email, B the emergency contact.
    let by_a = with(&t, json!({ "email": "ravi@example.in" }));
    let by_b = with(
        &t,
        json!({ "emergency_name": "Sunita Sharma", "emergency_phone": "+919845054321" }),
    );
    a.accepted(&app, vec![edit("tenant", &t, &by_a)]).await;
    b.accepted(&app, vec![edit("tenant", &t, &by_b)]).await;
    let changes = a.pull_all(&app, 0, 100).await;
    let last = changes.last().unwrap();
    assert_eq!(last["data"]["email"], "ravi@example.in");
    assert_eq!(last["data"]["emergency_name"], "Sunita Sharma");
    assert_eq!(last["data"]["full_name"], "Ravi Sharma");
    // Both change the name: the server's order decides, the last wins.
    let named_a = with(&by_a, json!({ "full_name": "Ravi K Sharma" }));
    let named_b = with(&by_b, json!({ "full_name": "Ravi Kumar Sharma" }));
    a.accepted(&app, vec![edit("tenant", &by_a, &named_a)])
        .await;
    b.accepted(&app, vec![edit("tenant", &by_b, &named_b)])
        .await;
    let changes = b.pull_all(&app, 0, 100).await;
    assert_eq!(changes.len(), 1, "one record, its latest state");
    let data = &changes[0]["data"];
    assert_eq!(data["full_name"], "Ravi Kumar Sharma");
    assert_eq!(data["email"], "ravi@example.in");
    assert_eq!(data["emergency_phone"], "+919845054321");
    assert_eq!(changes[0]["seq"], 5);
    // A second "new" upload of a record the server has merges into it.
    a.accepted(
        &app,
        vec![ins("tenant", &with(&t, json!({ "occupation": "working" })))],
    )
    .await;
    let changes = b.pull_all(&app, 5, 100).await;
    assert_eq!(changes[0]["data"]["occupation"], "working");
    assert_eq!(changes[0]["data"]["full_name"], "Ravi Sharma");
    app.finish().await;
}

#[tokio::test]
async fn deletes_leave_tombstones_unless_something_refers_to_the_record() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Delete PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    desk.accepted(&app, p.rows()).await;
    let s = stay(&p.tenant, &p.bed, "2026-12-01", None);
    desk.accepted(&app, vec![ins("allocation", &s)]).await;
    assert_eq!(status(&app, &owner).await["records"], 6);

    let spare = p.spare_bed["id"].as_str().unwrap();
    let result = desk.accepted(&app, vec![del("bed", spare)]).await;
    assert_eq!(result["seq"], 7);
    let page = desk.pull(&app, 6, 100).await;
    assert_eq!(
        page["changes"],
        json!([{ "seq": 7, "entity": "bed", "key": spare, "data": null }])
    );
    assert_eq!(
        status(&app, &owner).await,
        json!({ "last_seq": 7, "records": 5 })
    );
    // An edit of a deleted record is refused.
    let result = desk
        .rejected(
            &app,
            vec![edit(
                "bed",
                &p.spare_bed,
                &with(&p.spare_bed, json!({ "label": "D" })),
            )],
        )
        .await;
    assert_eq!(result["reason"], "Bed C no longer exists on the server");
    assert!(truth_of(&result, "bed", spare)["data"].is_null());
    // A tenant with a stay cannot be deleted.
    let result = desk
        .rejected(&app, vec![del("tenant", p.tenant["id"].as_str().unwrap())])
        .await;
    assert_eq!(
        result["reason"],
        format!(
            "Tenant Ravi Sharma cannot be removed: the stay of Ravi Sharma still refers to it (from this desk at {}).",
            sent_at(&app, "allocation", s["id"].as_str().unwrap()).await
        )
    );
    // ... unless the same operation deletes the stay first.
    desk.accepted(
        &app,
        vec![
            del("allocation", s["id"].as_str().unwrap()),
            del("tenant", p.tenant["id"].as_str().unwrap()),
        ],
    )
    .await;
    // A deleted record may be sent again as new.
    desk.accepted(&app, vec![ins("bed", &p.spare_bed)]).await;
    assert_eq!(status(&app, &owner).await["records"], 4);
    app.finish().await;
}

#[tokio::test]
async fn organisations_never_see_or_touch_each_others_records() {
    let app = spawn_app().await;
    let (org_a, _, owner_a) = app.create_org("Org A PG").await;
    let (_, _, owner_b) = app.create_org("Org B PG").await;
    let a = Desk::new(&owner_a);
    let b = Desk::new(&owner_b);
    let p = place("Sunrise PG", "SUN1");
    a.accepted(&app, p.rows()).await;
    // The same keys and codes in B are B's own.
    let mut same = p.rows();
    same[0]["new"]["name"] = json!("B's Sunrise");
    let result = b.accepted(&app, same).await;
    assert_eq!(result["seq"], 5, "numbers are per organisation");
    let a_changes = a.pull_all(&app, 0, 100).await;
    let b_changes = b.pull_all(&app, 0, 100).await;
    assert_eq!(a_changes[0]["data"]["name"], "Sunrise PG");
    assert_eq!(b_changes[0]["data"]["name"], "B's Sunrise");
    // B edits a record only A has: B's server has no such record.
    let only_a = tenant("Only In A");
    a.accepted(&app, vec![ins("tenant", &only_a)]).await;
    let result = b
        .rejected(
            &app,
            vec![edit(
                "tenant",
                &only_a,
                &with(&only_a, json!({ "email": "x@y.in" })),
            )],
        )
        .await;
    assert!(truth_of(&result, "tenant", only_a["id"].as_str().unwrap())["data"].is_null());
    // B cannot refer to A's records either.
    let result = b
        .rejected(
            &app,
            vec![ins(
                "allocation",
                &stay(&only_a, &p.bed, "2026-12-01", None),
            )],
        )
        .await;
    assert_eq!(result["field"], "tenant_id");
    // B deleting the shared key deletes B's only.
    b.accepted(&app, vec![del("tenant", p.tenant["id"].as_str().unwrap())])
        .await;
    let a_changes = a.pull_all(&app, 0, 100).await;
    assert!(a_changes.iter().all(|c| !c["data"].is_null()));
    assert_eq!(a_changes.len(), 6);
    assert_eq!(
        status(&app, &owner_a).await,
        json!({ "last_seq": 6, "records": 6 })
    );
    assert_eq!(
        status(&app, &owner_b).await,
        json!({ "last_seq": 6, "records": 4 })
    );
    // Each organisation's rows carry its id.
    let a_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_record WHERE org_id = $1")
        .bind(org_a)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(a_rows, 6);
    app.finish().await;
}

#[tokio::test]
async fn roles_caretakers_change_nothing_and_accountants_only_read() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Roles PG").await;
    let assigned = create(&app, "/api/v1/properties", &owner, property_form("CT1")).await;
    let (_, caretaker) = app.add_user(org, "caretaker", vec![assigned]).await;
    let (_, accountant) = app.add_user(org, "accountant", vec![]).await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    desk.accepted(&app, p.rows()).await;

    let care = Desk::new(&caretaker);
    let pay = payment(&p.tenant, "RC-C/1", "cash", None, "2026-11-28");
    let result = care
        .rejected(
            &app,
            vec![ins("tenant", &tenant("Asha Rao")), ins("payment", &pay)],
        )
        .await;
    assert_eq!(result["field"], "entity");
    assert_eq!(
        result["reason"],
        "Signed in as a caretaker, this desk may not change a tenant: only an owner, a manager or the front desk may. The change is undone here."
    );
    // Beds too are the owner's and manager's (as over the API).
    let result = care
        .rejected(&app, vec![ins("bed", &bed(&p.room, "D"))])
        .await;
    assert!(result["reason"]
        .as_str()
        .unwrap()
        .contains("may not change a bed: only an owner or a manager may"));
    assert_eq!(care.pull(&app, 0, 10).await["last_seq"], 5);

    let books = Desk::new(&accountant);
    let (code, body) = books
        .push_raw(&app, &[op(vec![ins("tenant", &tenant("Asha Rao"))])])
        .await;
    assert_eq!(code, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "forbidden");
    assert_eq!(
        books.pull(&app, 0, 10).await["changes"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(status(&app, &accountant).await["last_seq"], 5);
    app.finish().await;
}

#[tokio::test]
async fn pushes_are_bounded_and_named_when_wrong() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Bounds PG").await;
    let desk = Desk::new(&owner);
    let (code, body) = desk.push_raw(&app, &[]).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "ops");
    let (code, body) = desk.push_raw(&app, &[op(vec![])]).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "ops[0].rows");
    let many: Vec<Value> = (0..201)
        .map(|_| op(vec![ins("tenant", &tenant("A B"))]))
        .collect();
    let (code, body) = desk.push_raw(&app, &many).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "ops");
    let rows: Vec<Value> = (0..2001).map(|_| ins("tenant", &tenant("A B"))).collect();
    let (code, body) = desk.push_raw(&app, &[op(rows)]).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "ops[0].rows");
    let (code, _) = app
        .get("/api/v1/sync/changes?limit=5001", Some(&owner))
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, _) = app.get("/api/v1/sync/changes?after=-1", Some(&owner)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, _) = app.get("/api/v1/sync/changes?wait=26", Some(&owner)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    // A NUL character is refused by the operation, not the server.
    let mut nul = tenant("Ravi Sharma");
    nul["email"] = json!("a\u{0}b@example.in");
    let result = desk.rejected(&app, vec![ins("tenant", &nul)]).await;
    assert_eq!(result["field"], "email");
    let mut weird = ins("tenant", &tenant("Ravi Sharma"));
    weird["entity"] = json!("ten\u{0}ant");
    weird["key"] = json!("k\u{0}");
    let result = desk.rejected(&app, vec![weird]).await;
    assert_eq!(result["field"], "entity");
    // A first push of 2000 rows fits (larger than other requests may be).
    let rows: Vec<Value> = (0..2000)
        .map(|_| ins("tenant", &tenant("Asha Rao")))
        .collect();
    let result = desk.accepted(&app, rows).await;
    assert_eq!(result["seq"], 2000);
    app.finish().await;
}

#[tokio::test]
async fn pages_of_changes_follow_one_another() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Pages PG").await;
    let desk = Desk::new(&owner);
    let tenants: Vec<Value> = (0..25).map(|_| tenant("Asha Rao")).collect();
    desk.accepted(&app, tenants.iter().map(|t| ins("tenant", t)).collect())
        .await;
    let first = desk.pull(&app, 0, 10).await;
    assert_eq!(first["changes"].as_array().unwrap().len(), 10);
    assert_eq!(first["more"], true);
    assert_eq!(first["last_seq"], 25);
    let second = desk.pull(&app, 10, 10).await;
    assert_eq!(second["changes"][0]["seq"], 11);
    assert_eq!(second["more"], true);
    let third = desk.pull(&app, 20, 10).await;
    assert_eq!(third["changes"].as_array().unwrap().len(), 5);
    assert_eq!(third["more"], false);
    let exact = desk.pull(&app, 15, 10).await;
    assert_eq!(exact["changes"].as_array().unwrap().len(), 10);
    assert_eq!(exact["more"], false, "the page ends at the last number");
    let all = desk.pull_all(&app, 0, 7).await;
    let keys: Vec<&str> = all.iter().map(|c| c["key"].as_str().unwrap()).collect();
    let sent: Vec<&str> = tenants.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(keys, sent);
    // The default page is 1000.
    let (_, page) = app.get("/api/v1/sync/changes", Some(&owner)).await;
    assert_eq!(page["changes"].as_array().unwrap().len(), 25);
    app.finish().await;
}

#[tokio::test]
async fn a_long_poll_answers_as_soon_as_another_desk_pushes() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Poll PG").await;
    let (_, manager) = app.add_user(org, "manager", vec![]).await;
    let (_, _, stranger) = app.create_org("Other PG").await;
    let a = Desk::new(&owner);
    let b = Desk::new(&manager);
    a.accepted(&app, vec![ins("tenant", &tenant("Asha Rao"))])
        .await;

    // Nothing new: waits, and answers on the push (not at the wait's end).
    let started = Instant::now();
    let poll = {
        let client = app.client.clone();
        let url = format!("{}/api/v1/sync/changes?after=1&wait=20", app.base);
        let token = owner.clone();
        tokio::spawn(async move {
            let response = client.get(url).bearer_auth(token).send().await.unwrap();
            (Instant::now(), response.json::<Value>().await.unwrap())
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Another organisation's push does not wake it.
    Desk::new(&stranger)
        .accepted(&app, vec![ins("tenant", &tenant("Kiran Das"))])
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!poll.is_finished(), "woken by another organisation");
    let pushed_at = Instant::now();
    let t = tenant("Meena Iyer");
    b.accepted(&app, vec![ins("tenant", &t)]).await;
    let (answered_at, page) = poll.await.unwrap();
    assert_eq!(page["changes"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["changes"][0]["key"], t["id"]);
    assert!(
        answered_at.duration_since(pushed_at) < Duration::from_secs(2),
        "answered {:?} after the push",
        answered_at.duration_since(pushed_at)
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    // With changes there already, no wait at all; without, the wait ends.
    let started = Instant::now();
    let (_, page) = app
        .get("/api/v1/sync/changes?after=0&wait=20", Some(&owner))
        .await;
    assert_eq!(page["changes"].as_array().unwrap().len(), 2);
    assert!(started.elapsed() < Duration::from_secs(2));
    let started = Instant::now();
    let (code, page) = app
        .get("/api/v1/sync/changes?after=2&wait=1", Some(&owner))
        .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        page,
        json!({ "changes": [], "last_seq": 2, "more": false, "view": "full" })
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
    app.finish().await;
}

#[tokio::test]
async fn the_desks_unique_constraints_hold_per_organisation() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Uniques PG").await;
    let desk = Desk::new(&owner);
    let p = place("Sunrise PG", "SUN1");
    desk.accepted(&app, p.rows()).await;
    let result = desk
        .rejected(&app, vec![ins("room", &room(&p.property, "204"))])
        .await;
    assert_eq!(result["field"], "number");
    assert!(
        result["reason"]
            .as_str()
            .unwrap()
            .starts_with("Room 204 already exists in Sunrise PG (from this desk at "),
        "{result}"
    );
    let result = desk
        .rejected(&app, vec![ins("bed", &bed(&p.room, "B"))])
        .await;
    assert_eq!(result["field"], "label");
    assert!(result["reason"]
        .as_str()
        .unwrap()
        .starts_with("Bed B already exists in room 204 (Sunrise PG)"));

    // Within one operation, as on the desk: row by row.
    let result = desk
        .rejected(
            &app,
            vec![
                ins("room", &room(&p.property, "305")),
                ins("room", &room(&p.property, "305")),
            ],
        )
        .await;
    assert_eq!(
        result["reason"],
        "Room 305 already exists in Sunrise PG (earlier in this same change)."
    );
    // A code freed earlier in the operation may be taken later in it, even
    // when the record that freed it changes again after.
    let second = property("Moonrise PG", "MOON1");
    desk.accepted(&app, vec![ins("property", &second)]).await;
    let freed = with(&second, json!({ "code": "MOON2" }));
    let renamed = with(&freed, json!({ "name": "Moonrise Annexe" }));
    let taker = property("New Moonrise PG", "MOON1");
    desk.accepted(
        &app,
        vec![
            edit("property", &second, &freed),
            ins("property", &taker),
            edit("property", &freed, &renamed),
        ],
    )
    .await;
    // Taken first and freed after is refused, as the desk would.
    let third = property("Starlight PG", "STAR1");
    desk.accepted(&app, vec![ins("property", &third)]).await;
    let result = desk
        .rejected(
            &app,
            vec![
                ins("property", &property("Other Starlight", "STAR1")),
                edit(
                    "property",
                    &third,
                    &with(&third, json!({ "code": "STAR2" })),
                ),
            ],
        )
        .await;
    assert_eq!(result["field"], "code");
    assert!(
        result["reason"]
            .as_str()
            .unwrap()
            .starts_with("Property code STAR1 is already used by Starlight PG (from this desk at "),
        "{result}"
    );

    // One standing invoice per contract and month; a cancelled one frees it.
    let s = stay(&p.tenant, &p.bed, "2026-12-01", None);
    let contract = json!({
        "id": id(), "allocation_id": s["id"], "monthly_rent_paise": 850000, "deposit_paise": 1700000,
        "billing_day": 5, "lock_in_months": 0, "notice_days": 30, "escalation_bp": 0,
        "starts_on": "2026-12-01", "ends_on": null, "status": "active",
        "created_at": "2026-11-30T10:00:00Z", "updated_at": "2026-11-30T10:00:00Z"
    });
    let invoice = |number: &str| {
        json!({
            "id": id(), "number": number, "series_prefix": "SUN1A", "fy_start": 2026,
            "sequence": number.rsplit('/').next().unwrap().parse::<i64>().unwrap(),
            "property_id": p.property["id"], "contract_id": contract["id"], "tenant_id": p.tenant["id"],
            "month": "2026-12", "invoice_date": "2026-12-01", "due_on": "2026-12-05",
            "title": "Tax invoice", "gst_rule": "exempt", "gst_charge": "none", "gst_rate_bp": 0,
            "interstate": 0, "sac": "996311", "place_of_supply": 29, "supplier_gstin": null,
            "recipient_gstin": null, "taxable_value_paise": 850000, "cgst_paise": 0, "sgst_paise": 0,
            "igst_paise": 0, "tax_charged_paise": 0, "tax_reverse_charge_paise": 0,
            "round_off_paise": 0, "total_paise": 850000, "amount_in_words": "Eight thousand five hundred rupees",
            "notes_json": "[]", "status": "issued", "cancelled_on": null, "cancel_reason": null,
            "desk_id": id(), "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-01T10:00:00Z"
        })
    };
    let first = invoice("SUN1A/26-27/00001");
    let line = json!({
        "invoice_id": first["id"], "position": 1, "kind": "rent", "description": "Rent December 2026",
        "sac": "996311", "taxable_value_paise": 850000, "cgst_paise": 0, "sgst_paise": 0,
        "igst_paise": 0, "total_paise": 850000
    });
    desk.accepted(
        &app,
        vec![
            ins("allocation", &s),
            ins("contract", &contract),
            ins("invoice", &first),
            ins("invoice_line", &line),
        ],
    )
    .await;
    let second = invoice("SUN1A/26-27/00002");
    let result = desk.rejected(&app, vec![ins("invoice", &second)]).await;
    assert_eq!(result["field"], "month");
    assert!(
        result["reason"].as_str().unwrap().starts_with(
            "The rent of Ravi Sharma for December 2026 is already invoiced as SUN1A/26-27/00001"
        ),
        "{result}"
    );
    let result = desk
        .rejected(
            &app,
            vec![ins(
                "invoice",
                &with(
                    &second,
                    json!({ "number": "SUN1A/26-27/00001", "month": "2027-01" }),
                ),
            )],
        )
        .await;
    assert_eq!(result["field"], "number", "{result}");
    // Cancel and bill again in one operation; an issued invoice's amounts
    // never change, a cancelled one nothing.
    let cancelled = with(
        &first,
        json!({ "status": "cancelled", "cancelled_on": "2026-12-02", "cancel_reason": "Wrong rent" }),
    );
    desk.accepted(
        &app,
        vec![edit("invoice", &first, &cancelled), ins("invoice", &second)],
    )
    .await;
    let result = desk
        .rejected(
            &app,
            vec![edit(
                "invoice",
                &second,
                &with(&second, json!({ "total_paise": 1 })),
            )],
        )
        .await;
    assert_eq!(result["field"], "total_paise");
    let result = desk
        .rejected(
            &app,
            vec![edit(
                "invoice",
                &cancelled,
                &with(&cancelled, json!({ "cancel_reason": "Other" })),
            )],
        )
        .await;
    assert!(result["reason"]
        .as_str()
        .unwrap()
        .ends_with("a cancelled invoice cannot be changed"));
    let result = desk
        .rejected(
            &app,
            vec![edit(
                "invoice_line",
                &line,
                &with(&line, json!({ "total_paise": 1 })),
            )],
        )
        .await;
    assert_eq!(result["field"], "total_paise");
    // One contract per stay.
    let result = desk
        .rejected(
            &app,
            vec![ins("contract", &with(&contract, json!({ "id": id() })))],
        )
        .await;
    assert_eq!(result["field"], "allocation_id");
    app.finish().await;
}

#[tokio::test]
async fn a_front_desk_pushes_only_at_its_properties_and_reverses_nothing() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Scoped PG").await;
    let assigned = create(&app, "/api/v1/properties", &owner, property_form("SUN1")).await;
    let (_, front_desk) = app.add_user(org, "front_desk", vec![assigned]).await;
    let owners = Desk::new(&owner);
    let desk = Desk::new(&front_desk);
    let sunrise = place("Sunrise PG", "SUN1");
    let lake = place("Lakeview PG", "LAK1");
    owners.accepted(&app, sunrise.rows()).await;
    owners.accepted(&app, lake.rows()).await;

    // A stay at the assigned property: accepted.
    let ravis = stay(&sunrise.tenant, &sunrise.bed, "2026-12-01", None);
    desk.accepted(&app, vec![ins("allocation", &ravis)]).await;

    // A stay at another property: refused, naming why and what to do.
    let lakes = stay(&lake.tenant, &lake.bed, "2026-12-01", None);
    let result = desk.rejected(&app, vec![ins("allocation", &lakes)]).await;
    assert_eq!(result["field"], "property_id", "{result}");
    assert_eq!(
        result["reason"],
        "This stay belongs to a property not assigned to you: ask an owner to assign it, or a manager to make the change."
    );
    assert!(truth_of(&result, "allocation", lakes["id"].as_str().unwrap())["data"].is_null());

    // Rooms and beds are the owner's and manager's to change, even at
    // the front desk's own property.
    let renamed = with(&sunrise.room, json!({ "number": "205" }));
    let result = desk
        .rejected(&app, vec![edit("room", &sunrise.room, &renamed)])
        .await;
    assert_eq!(
        result["reason"],
        "Signed in as the front desk, this desk may not change a room: only an owner or a manager may. The change is undone here."
    );
    assert_eq!(
        truth_of(&result, "room", sunrise.room["id"].as_str().unwrap())["data"]["number"],
        "204"
    );

    // The front desk records a payment, but may not reverse one.
    let paid = payment(
        &sunrise.tenant,
        "RC-F/26-27/00001",
        "cash",
        None,
        "2026-12-01",
    );
    let entry = ledger_entry(&sunrise.tenant, &paid);
    desk.accepted(
        &app,
        vec![ins("payment", &paid), ins("ledger_entry", &entry)],
    )
    .await;
    let reversal = with(
        &entry,
        json!({ "id": id(), "kind": "reversal", "amount_paise": 500000, "reverses": entry["id"],
                "memo": "Reversal of RC-F/26-27/00001" }),
    );
    let result = desk
        .rejected(&app, vec![ins("ledger_entry", &reversal)])
        .await;
    assert_eq!(
        result["reason"],
        "Signed in as the front desk, this desk may not change a ledger entry: only an owner or a manager may. The change is undone here."
    );
    owners
        .accepted(&app, vec![ins("ledger_entry", &reversal)])
        .await;

    // Every answer is in the owner's audit log: who, from which desk,
    // which rows, and why a refusal was refused.
    let (_, log) = app.get("/api/v1/audit-log?limit=200", Some(&owner)).await;
    let entries: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "sync_operation")
        .collect();
    let refused = entries
        .iter()
        .find(|e| e["action"] == "sync_rejected" && e["after"]["answer"]["field"] == "property_id")
        .unwrap_or_else(|| panic!("no refusal audited: {log}"));
    assert_eq!(refused["desk_id"], desk.id.to_string());
    assert_eq!(
        refused["after"]["rows"],
        json!([["allocation", lakes["id"], "upsert"]])
    );
    assert!(
        refused["user_email"]
            .as_str()
            .unwrap()
            .starts_with("front_desk"),
        "{refused}"
    );
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["action"] == "sync_accepted")
            .count(),
        5,
        "two places, a stay, a payment and the owner's reversal: {log}"
    );

    // A tenant who stays at another property is not the front desk's: no
    // payment, no edit. One with no stay yet (being onboarded) is.
    owners.accepted(&app, vec![ins("allocation", &lakes)]).await;
    let theirs = payment(&lake.tenant, "RC-F/26-27/00002", "cash", None, "2026-12-01");
    let result = desk
        .rejected(
            &app,
            vec![
                ins("payment", &theirs),
                ins("ledger_entry", &ledger_entry(&lake.tenant, &theirs)),
            ],
        )
        .await;
    assert_eq!(result["field"], "tenant_id", "{result}");
    assert_eq!(
        result["reason"],
        "This tenant stays at a property not assigned to you: ask an owner to assign it, or a manager to make the change."
    );
    let renamed = with(&lake.tenant, json!({ "full_name": "Someone Else" }));
    desk.rejected(&app, vec![edit("tenant", &lake.tenant, &renamed)])
        .await;
    let newcomer = tenant("Zoya Qureshi");
    desk.accepted(&app, vec![ins("tenant", &newcomer)]).await;
    let zoyas = stay(&newcomer, &sunrise.spare_bed, "2026-12-03", None);
    desk.accepted(&app, vec![ins("allocation", &zoyas)]).await;

    // Pulling, the front desk's desk gets Sunrise and its people; Lakeview,
    // its room, beds, stay, tenant and payment come as deletions. The
    // owner's desk gets everything.
    let live = |changes: &Value| -> HashSet<String> {
        changes["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| !c["data"].is_null())
            .map(|c| c["key"].as_str().unwrap().to_string())
            .collect()
    };
    let seen = live(&desk.pull(&app, 0, 1000).await);
    let all = live(&owners.pull(&app, 0, 1000).await);
    let key = |v: &Value| v["id"].as_str().unwrap().to_string();
    for mine in [
        &sunrise.property,
        &sunrise.room,
        &sunrise.bed,
        &sunrise.tenant,
        &ravis,
        &paid,
        &newcomer,
        &zoyas,
    ] {
        assert!(seen.contains(&key(mine)), "the front desk misses {mine}");
    }
    for theirs in [
        &lake.property,
        &lake.room,
        &lake.bed,
        &lake.spare_bed,
        &lake.tenant,
        &lakes,
    ] {
        assert!(
            !seen.contains(&key(theirs)),
            "the front desk is sent {theirs}"
        );
        assert!(all.contains(&key(theirs)));
    }
    let page = desk.pull(&app, 0, 1000).await;
    assert!(
        page["view"]
            .as_str()
            .unwrap()
            .starts_with("full:properties-"),
        "{page}"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_caretaker_pulls_no_money_and_no_kyc_and_changes_nothing() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Caretaker PG").await;
    let assigned = create(&app, "/api/v1/properties", &owner, property_form("SUN1")).await;
    let (_, caretaker) = app.add_user(org, "caretaker", vec![assigned]).await;
    let owners = Desk::new(&owner);
    let caretakers = Desk::new(&caretaker);
    let p = place("Sunrise PG", "SUN1");
    let mut ravi = p.tenant.clone();
    ravi["kyc_document"] = json!("pan");
    ravi["kyc_number"] = json!("ABCPS1234K");
    ravi["kyc_masked"] = json!("XXXXXX234K");
    let mut rows = p.rows();
    rows[4] = ins("tenant", &ravi);
    owners.accepted(&app, rows).await;
    let paid = payment(&ravi, "RC-O/26-27/00001", "cash", None, "2026-12-01");
    let entry = ledger_entry(&ravi, &paid);
    owners
        .accepted(
            &app,
            vec![ins("payment", &paid), ins("ledger_entry", &entry)],
        )
        .await;

    // The owner's desk gets everything as stored.
    let page = owners.pull(&app, 0, 100).await;
    assert_eq!(page["view"], "full");
    let full = page["changes"].as_array().unwrap();
    let of = |changes: &[Value], entity: &str| -> Value {
        changes
            .iter()
            .find(|c| c["entity"] == entity)
            .unwrap_or_else(|| panic!("no {entity} pulled"))["data"]
            .clone()
    };
    assert_eq!(of(full, "tenant")["kyc_number"], "ABCPS1234K");
    assert_eq!(of(full, "payment")["amount_paise"], 500000);

    // The caretaker's: the same records, in the same order, but money as
    // deletions and the KYC number as null; the masked form stays.
    let page = caretakers.pull(&app, 0, 100).await;
    assert!(
        page["view"]
            .as_str()
            .unwrap()
            .starts_with("no_money_no_kyc:properties-"),
        "{page}"
    );
    let seen = page["changes"].as_array().unwrap();
    assert_eq!(seen.len(), full.len());
    let tenant = of(seen, "tenant");
    assert!(tenant["kyc_number"].is_null(), "{tenant}");
    assert_eq!(tenant["kyc_masked"], "XXXXXX234K");
    assert_eq!(tenant["full_name"], "Ravi Sharma");
    assert!(of(seen, "payment").is_null());
    assert!(of(seen, "ledger_entry").is_null());
    assert_eq!(of(seen, "bed")["label"], "B");
    let raw = page.to_string();
    assert!(
        !raw.contains("ABCPS1234K") && !raw.contains("500000"),
        "{raw}"
    );

    // A caretaker's change is refused, and the truth it gets back is as
    // redacted as what it pulls.
    let renamed = with(&ravi, json!({ "kyc_number": null, "full_name": "Ravi S" }));
    let result = caretakers
        .rejected(&app, vec![edit("tenant", &ravi, &renamed)])
        .await;
    assert_eq!(
        result["reason"],
        "Signed in as a caretaker, this desk may not change a tenant: only an owner, a manager or the front desk may. The change is undone here."
    );
    let truth = truth_of(&result, "tenant", ravi["id"].as_str().unwrap())["data"].clone();
    assert_eq!(truth["full_name"], "Ravi Sharma");
    assert!(truth["kyc_number"].is_null(), "{truth}");
    let result = caretakers
        .rejected(
            &app,
            vec![ins(
                "payment",
                &payment(&ravi, "RC-C/26-27/00001", "cash", None, "2026-12-02"),
            )],
        )
        .await;
    assert!(result["reason"]
        .as_str()
        .unwrap()
        .contains("may not change a payment"));
    app.finish().await;
}

#[tokio::test]
async fn a_long_poll_on_one_instance_answers_a_push_on_another() {
    let app = spawn_app().await;
    let second = app.another_instance().await;
    let (_, _, owner) = app.create_org("Two Instances PG").await;
    let desk = Desk::new(&owner);
    desk.accepted(&app, vec![ins("tenant", &tenant("Asha Rao"))])
        .await;

    // The poll waits on the second instance…
    let poll = {
        let client = app.client.clone();
        let url = format!("{second}/api/v1/sync/changes?after=1&wait=20");
        let token = owner.clone();
        tokio::spawn(async move {
            let response = client.get(url).bearer_auth(token).send().await.unwrap();
            (Instant::now(), response.json::<Value>().await.unwrap())
        })
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!poll.is_finished(), "answered before anything was pushed");
    // …and the push goes to the first.
    let pushed_at = Instant::now();
    let t = tenant("Meena Iyer");
    desk.accepted(&app, vec![ins("tenant", &t)]).await;
    let (answered_at, page) = poll.await.unwrap();
    assert_eq!(page["changes"][0]["key"], t["id"], "{page}");
    let after = answered_at.duration_since(pushed_at);
    assert!(
        after < Duration::from_secs(2),
        "the second instance answered {after:?} after the push"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_document_file_travels_by_its_sha256_to_those_who_may_read_it() {
    use sha2::{Digest, Sha256};
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Files PG").await;
    let assigned = create(&app, "/api/v1/properties", &owner, property_form("FIL1")).await;
    let (_, front_desk) = app.add_user(org, "front_desk", vec![assigned]).await;
    let (_, caretaker) = app.add_user(org, "caretaker", vec![assigned]).await;
    let (_, accountant) = app.add_user(org, "accountant", vec![]).await;
    let (_, _, stranger) = app.create_org("Other Files PG").await;
    let file = b"%PDF-1.7 a signed agreement".to_vec();
    let sha = hex::encode(Sha256::digest(&file));
    let url = format!("{}/api/v1/sync/files/{sha}", app.base);
    let put = |token: &str, body: Vec<u8>, url: String| {
        let request = app
            .client
            .put(url)
            .bearer_auth(token.to_string())
            .body(body);
        async move { request.send().await.unwrap() }
    };
    let get = |token: &str| {
        let request = app.client.get(url.clone()).bearer_auth(token.to_string());
        async move { request.send().await.unwrap() }
    };

    // Not there yet.
    assert_eq!(get(&owner).await.status(), StatusCode::NOT_FOUND);
    // Bytes that do not hash to the name are refused, naming the field.
    let damaged = put(&front_desk, b"%PDF-1.7 another".to_vec(), url.clone()).await;
    assert_eq!(damaged.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = damaged.json().await.unwrap();
    assert_eq!(body["field"], "sha256", "{body}");
    let bad_name = put(
        &owner,
        file.clone(),
        format!("{}/api/v1/sync/files/XYZ", app.base),
    )
    .await;
    assert_eq!(bad_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Accountants only read.
    assert_eq!(
        put(&accountant, file.clone(), url.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    // The front desk uploads it; again changes nothing.
    for _ in 0..2 {
        let stored = put(&front_desk, file.clone(), url.clone()).await;
        assert_eq!(stored.status(), StatusCode::OK);
        let body: Value = stored.json().await.unwrap();
        assert_eq!(body, json!({ "sha256": sha, "size_bytes": file.len() }));
    }
    // The owner and the accountant read it back, byte for byte.
    for token in [&owner, &accountant] {
        let got = get(token).await;
        assert_eq!(got.status(), StatusCode::OK);
        assert_eq!(got.bytes().await.unwrap().as_ref(), file.as_slice());
    }
    // A caretaker's desk gets no documents; another organisation has none.
    assert_eq!(get(&caretaker).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&stranger).await.status(), StatusCode::NOT_FOUND);
    app.finish().await;
}
