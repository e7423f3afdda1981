//! The access matrix: every endpoint × every role × a user of another
//! organisation × no token answers exactly as expected; another
//! organisation's records are never returned or counted.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

const CALLERS: [&str; 7] = [
    "owner",
    "manager",
    "front_desk",
    "caretaker",
    "accountant",
    "owner of another organisation",
    "no token",
];

/// Expected statuses per caller, in the order of [`CALLERS`].
type Expect = [u16; 7];

const READ_ALL: Expect = [200, 200, 200, 200, 200, 404, 401];
const READ_UNASSIGNED: Expect = [200, 200, 404, 404, 200, 404, 401];
const LIST: Expect = [200, 200, 200, 200, 200, 200, 401];
const OWNER_LIST: Expect = [200, 403, 403, 403, 403, 200, 401];
const WRITE_PROPERTY_NEW: Expect = [201, 201, 403, 403, 403, 201, 401];
const WRITE_PROPERTY_OWN: Expect = [200, 200, 403, 403, 403, 404, 401];
const WRITE_UNDER_PROPERTY: Expect = [201, 201, 403, 403, 403, 404, 401];
const WRITE_OCCUPANCY_NEW: Expect = [201, 201, 201, 403, 403, 404, 401];
const WRITE_OCCUPANCY_UNASSIGNED: Expect = [201, 201, 404, 403, 403, 404, 401];
const WRITE_OCCUPANCY_OWN: Expect = [200, 200, 200, 403, 403, 404, 401];
const OWNER_WRITE_NEW: Expect = [201, 403, 403, 403, 403, 201, 401];
const OWNER_WRITE_OWN: Expect = [200, 403, 403, 403, 403, 404, 401];
// Money: never caretakers; accountants read; front desk at their properties.
const MONEY_READ: Expect = [200, 200, 200, 403, 200, 404, 401];
const MONEY_READ_UNASSIGNED: Expect = [200, 200, 404, 403, 200, 404, 401];
const MONEY_LIST: Expect = [200, 200, 200, 403, 200, 200, 401];
const MONEY_WRITE_OWN: Expect = [201, 201, 201, 403, 403, 404, 401];
const MONEY_WRITE_UNASSIGNED: Expect = [201, 201, 404, 403, 403, 404, 401];
const BILL_OWN: Expect = [200, 200, 200, 403, 403, 404, 401];
const BILL_UNASSIGNED: Expect = [200, 200, 404, 403, 403, 404, 401];
const REVERSE_OWN: Expect = [200, 200, 403, 403, 403, 404, 401];
const SYNC_PUSH: Expect = [200, 200, 200, 200, 403, 200, 401];

struct Case {
    method: Method,
    path: String,
    /// A path of its own per caller (a record each may change once).
    path_of: Option<Box<dyn Fn(usize) -> String>>,
    body: Option<Box<dyn Fn(usize) -> Value>>,
    expect: Expect,
}

fn case(method: Method, path: String, expect: Expect) -> Case {
    Case {
        method,
        path,
        path_of: None,
        body: None,
        expect,
    }
}

fn with_body(
    method: Method,
    path: String,
    expect: Expect,
    body: impl Fn(usize) -> Value + 'static,
) -> Case {
    Case {
        method,
        path,
        path_of: None,
        body: Some(Box::new(body)),
        expect,
    }
}

/// The `id`-th of a list of ids, as a string.
fn nth(ids: &[Uuid], who: usize) -> String {
    ids[who].to_string()
}

/// Money records for the access matrix, made by the owner: a contract on
/// the portfolio's stay, April billed, and a payment.
struct Money {
    invoice: Uuid,
    payment: Uuid,
}

async fn money(app: &TestApp, token: &str, p: &Portfolio) -> Money {
    create(
        app,
        &format!("/api/v1/tenants/{}/contracts", p.tenant),
        token,
        contract_form(p.allocation),
    )
    .await;
    let run = bill(app, token, p.property, "04/2026").await;
    let invoice = run["created"][0]["id"].as_str().unwrap().parse().unwrap();
    let paid = pay(
        app,
        token,
        p.tenant,
        json!({ "mode": "cash", "amount": "500", "paid_on": "01/11/2026" }),
    )
    .await;
    let payment = paid["payment"]["id"].as_str().unwrap().parse().unwrap();
    Money { invoice, payment }
}

/// One stay per caller on the portfolio's spare bed (far in the future), for
/// a contract each.
async fn stays(app: &TestApp, token: &str, p: &Portfolio) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for who in 0..7 {
        let year = 2190 + who;
        ids.push(
            create(
                app,
                "/api/v1/allocations",
                token,
                json!({ "bed_id": p.spare_bed, "tenant_id": p.tenant,
                        "move_in": format!("01/01/{year}"), "move_out": format!("01/06/{year}") }),
            )
            .await,
        );
    }
    ids
}

fn ids(page: &Value) -> HashSet<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn every_endpoint_every_role() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Org A PG").await;
    let a1 = portfolio(&app, &owner, "AAA1").await;
    let a2 = portfolio(&app, &owner, "AAA2").await;
    let (_, manager) = app.add_user(org, "manager", vec![]).await;
    let (_, front_desk) = app.add_user(org, "front_desk", vec![a1.property]).await;
    let (_, caretaker) = app.add_user(org, "caretaker", vec![a1.property]).await;
    let (_, accountant) = app.add_user(org, "accountant", vec![]).await;
    let (victim, _) = app.add_user(org, "accountant", vec![]).await;

    let (_, _, foreign) = app.create_org("Org B PG").await;
    let b = portfolio(&app, &foreign, "BBB1").await;

    let m1 = money(&app, &owner, &a1).await;
    let m2 = money(&app, &owner, &a2).await;
    let mb = money(&app, &foreign, &b).await;
    let stays1 = stays(&app, &owner, &a1).await;
    let stays2 = stays(&app, &owner, &a2).await;
    // A payment per caller to reverse.
    let mut to_reverse = Vec::new();
    for _ in 0..7 {
        let paid = pay(
            &app,
            &owner,
            a1.tenant,
            json!({ "mode": "cash", "amount": "10", "paid_on": "01/11/2026" }),
        )
        .await;
        to_reverse.push(
            paid["payment"]["id"]
                .as_str()
                .unwrap()
                .parse::<Uuid>()
                .unwrap(),
        );
    }

    let tokens: [Option<&str>; 7] = [
        Some(&owner),
        Some(&manager),
        Some(&front_desk),
        Some(&caretaker),
        Some(&accountant),
        Some(&foreign),
        None,
    ];

    let p1 = a1.property;
    let p2 = a2.property;
    let cases = vec![
        case(
            Method::GET,
            "/api/v1/me".into(),
            [200, 200, 200, 200, 200, 200, 401],
        ),
        case(Method::GET, "/api/v1/properties".into(), LIST),
        case(Method::GET, format!("/api/v1/properties/{p1}"), READ_ALL),
        case(
            Method::GET,
            format!("/api/v1/properties/{p2}"),
            READ_UNASSIGNED,
        ),
        case(
            Method::GET,
            format!("/api/v1/properties/{p1}/rooms"),
            READ_ALL,
        ),
        case(
            Method::GET,
            format!("/api/v1/properties/{p2}/rooms"),
            READ_UNASSIGNED,
        ),
        case(Method::GET, format!("/api/v1/rooms/{}", a1.room), READ_ALL),
        case(
            Method::GET,
            format!("/api/v1/rooms/{}", a2.room),
            READ_UNASSIGNED,
        ),
        case(
            Method::GET,
            format!("/api/v1/rooms/{}/beds", a1.room),
            READ_ALL,
        ),
        case(
            Method::GET,
            format!("/api/v1/rooms/{}/beds", a2.room),
            READ_UNASSIGNED,
        ),
        case(Method::GET, format!("/api/v1/beds/{}", a1.bed), READ_ALL),
        case(
            Method::GET,
            format!("/api/v1/beds/{}", a2.bed),
            READ_UNASSIGNED,
        ),
        case(Method::GET, "/api/v1/tenants".into(), LIST),
        case(
            Method::GET,
            format!("/api/v1/tenants/{}", a1.tenant),
            READ_ALL,
        ),
        case(
            Method::GET,
            format!("/api/v1/tenants/{}", a2.tenant),
            READ_UNASSIGNED,
        ),
        case(Method::GET, "/api/v1/allocations".into(), LIST),
        case(
            Method::GET,
            format!("/api/v1/allocations/{}", a1.allocation),
            READ_ALL,
        ),
        case(
            Method::GET,
            format!("/api/v1/allocations/{}", a2.allocation),
            READ_UNASSIGNED,
        ),
        case(Method::GET, "/api/v1/users".into(), OWNER_LIST),
        case(Method::GET, "/api/v1/audit-log".into(), OWNER_LIST),
        with_body(
            Method::POST,
            "/api/v1/properties".into(),
            WRITE_PROPERTY_NEW,
            |_| property_form(&format!("N{}", unique())),
        ),
        with_body(
            Method::PUT,
            format!("/api/v1/properties/{p1}"),
            WRITE_PROPERTY_OWN,
            |_| property_form("AAA1"),
        ),
        with_body(
            Method::POST,
            format!("/api/v1/properties/{p1}/rooms"),
            WRITE_UNDER_PROPERTY,
            |_| room_form(&format!("R{}", unique())),
        ),
        with_body(
            Method::POST,
            format!("/api/v1/rooms/{}/beds", a1.room),
            WRITE_UNDER_PROPERTY,
            |_| json!({ "label": format!("X{}", unique()) }),
        ),
        with_body(
            Method::POST,
            "/api/v1/tenants".into(),
            WRITE_OCCUPANCY_NEW,
            move |_| tenant_form(p1, "Ravi Kumar"),
        ),
        with_body(
            Method::POST,
            "/api/v1/tenants".into(),
            WRITE_OCCUPANCY_UNASSIGNED,
            move |_| tenant_form(p2, "Meena Iyer"),
        ),
        with_body(
            Method::PUT,
            format!("/api/v1/tenants/{}", a1.tenant),
            WRITE_OCCUPANCY_OWN,
            move |_| tenant_form(p1, &tenant_name("AAA1")),
        ),
        {
            let (bed, tenant) = (a1.spare_bed, a1.tenant);
            with_body(
                Method::POST,
                "/api/v1/allocations".into(),
                WRITE_OCCUPANCY_NEW,
                move |_| {
                    let year = 2030 + unique();
                    json!({ "bed_id": bed, "tenant_id": tenant,
                        "move_in": format!("01/01/{year}"), "move_out": format!("01/06/{year}") })
                },
            )
        },
        {
            let (bed, tenant) = (a2.spare_bed, a2.tenant);
            with_body(
                Method::POST,
                "/api/v1/allocations".into(),
                WRITE_OCCUPANCY_UNASSIGNED,
                move |_| {
                    let year = 2030 + unique();
                    json!({ "bed_id": bed, "tenant_id": tenant,
                        "move_in": format!("01/01/{year}"), "move_out": format!("01/06/{year}") })
                },
            )
        },
        with_body(
            Method::POST,
            format!("/api/v1/allocations/{}/move-out", a1.allocation),
            WRITE_OCCUPANCY_OWN,
            |_| json!({ "move_out": "01/04/2027" }),
        ),
        with_body(
            Method::POST,
            "/api/v1/users".into(),
            OWNER_WRITE_NEW,
            |_| json!({ "email": format!("new{}@example.in", unique()), "full_name": "New Person", "role": "accountant" }),
        ),
        with_body(
            Method::PUT,
            format!("/api/v1/users/{victim}/properties"),
            OWNER_WRITE_OWN,
            move |_| json!({ "property_ids": [p1] }),
        ),
        with_body(
            Method::POST,
            format!("/api/v1/users/{victim}/disable"),
            OWNER_WRITE_OWN,
            |_| json!({}),
        ),
        with_body(
            Method::POST,
            "/api/v1/auth/change-password".into(),
            [422, 422, 422, 422, 422, 422, 401],
            |_| json!({ "current_password": "not my password", "new_password": "a fine new password" }),
        ),
        case(Method::GET, "/api/v1/no-such-thing".into(), [404; 7]),
        // Desk sync: every role pulls; all but accountants push.
        case(Method::GET, "/api/v1/sync/status".into(), LIST),
        case(Method::GET, "/api/v1/sync/changes?limit=5".into(), LIST),
        with_body(Method::POST, "/api/v1/sync/push".into(), SYNC_PUSH, |who| {
            let key = format!("tenant-of-caller-{who}");
            json!({ "desk_id": Uuid::now_v7(), "ops": [{ "op_id": Uuid::now_v7(), "rows": [
                    { "entity": "tenant", "key": key, "action": "upsert", "old": null,
                      "new": { "id": key, "full_name": "Ravi Kumar", "mobile": "+919845012345" } }
                ] }] })
        }),
        // The money side.
        case(
            Method::GET,
            format!("/api/v1/tenants/{}/contracts", a1.tenant),
            MONEY_READ,
        ),
        case(
            Method::GET,
            format!("/api/v1/tenants/{}/contracts", a2.tenant),
            MONEY_READ_UNASSIGNED,
        ),
        {
            let stays = stays1.clone();
            with_body(
                Method::POST,
                format!("/api/v1/tenants/{}/contracts", a1.tenant),
                MONEY_WRITE_OWN,
                move |who| contract_form(stays[who]),
            )
        },
        {
            let stays = stays2.clone();
            with_body(
                Method::POST,
                format!("/api/v1/tenants/{}/contracts", a2.tenant),
                MONEY_WRITE_UNASSIGNED,
                move |who| contract_form(stays[who]),
            )
        },
        with_body(
            Method::POST,
            format!("/api/v1/properties/{p1}/billing-runs"),
            BILL_OWN,
            |_| json!({ "month": "05/2026" }),
        ),
        with_body(
            Method::POST,
            format!("/api/v1/properties/{p2}/billing-runs"),
            BILL_UNASSIGNED,
            |_| json!({ "month": "05/2026" }),
        ),
        case(Method::GET, "/api/v1/invoices".into(), MONEY_LIST),
        case(
            Method::GET,
            format!("/api/v1/invoices?property_id={p2}&month=04/2026"),
            MONEY_LIST,
        ),
        case(
            Method::GET,
            format!("/api/v1/invoices/{}", m1.invoice),
            MONEY_READ,
        ),
        case(
            Method::GET,
            format!("/api/v1/invoices/{}", m2.invoice),
            MONEY_READ_UNASSIGNED,
        ),
        case(Method::GET, "/api/v1/payments".into(), MONEY_LIST),
        case(
            Method::GET,
            format!("/api/v1/payments?tenant_id={}", a2.tenant),
            MONEY_LIST,
        ),
        case(
            Method::GET,
            format!("/api/v1/payments/{}", m1.payment),
            MONEY_READ,
        ),
        case(
            Method::GET,
            format!("/api/v1/payments/{}", m2.payment),
            MONEY_READ_UNASSIGNED,
        ),
        {
            let tenant = a1.tenant;
            with_body(
                Method::POST,
                "/api/v1/payments".into(),
                MONEY_WRITE_OWN,
                move |_| json!({ "tenant_id": tenant, "mode": "cash", "amount": "100", "paid_on": "01/11/2026" }),
            )
        },
        {
            let tenant = a2.tenant;
            with_body(
                Method::POST,
                "/api/v1/payments".into(),
                MONEY_WRITE_UNASSIGNED,
                move |_| json!({ "tenant_id": tenant, "mode": "cash", "amount": "100", "paid_on": "01/11/2026" }),
            )
        },
        {
            let payments = to_reverse.clone();
            Case {
                method: Method::POST,
                path: "/api/v1/payments/{id}/reverse".into(),
                path_of: Some(Box::new(move |who| {
                    format!("/api/v1/payments/{}/reverse", nth(&payments, who))
                })),
                body: Some(Box::new(|_| json!({ "reason": "Booked in error" }))),
                expect: REVERSE_OWN,
            }
        },
        case(
            Method::GET,
            format!("/api/v1/tenants/{}/ledger", a1.tenant),
            MONEY_READ,
        ),
        case(
            Method::GET,
            format!("/api/v1/tenants/{}/ledger?order=newest&limit=5", a2.tenant),
            MONEY_READ_UNASSIGNED,
        ),
        case(
            Method::GET,
            format!("/api/v1/tenants/{}/balance", a1.tenant),
            MONEY_READ,
        ),
        case(
            Method::GET,
            format!("/api/v1/tenants/{}/balance", a2.tenant),
            MONEY_READ_UNASSIGNED,
        ),
    ];

    let mut failures = Vec::new();
    for case in &cases {
        for (who, token) in tokens.iter().enumerate() {
            let body = case.body.as_ref().map(|f| f(who));
            let path = case.path_of.as_ref().map_or(case.path.clone(), |f| f(who));
            let (status, json) = app
                .call(case.method.clone(), &path, *token, body.as_ref())
                .await;
            if status.as_u16() != case.expect[who] {
                failures.push(format!(
                    "{} {} as {}: expected {}, got {} {}",
                    case.method, path, CALLERS[who], case.expect[who], status, json
                ));
            }
            if status.is_client_error() {
                assert!(
                    json["code"].is_string() && json["message"].is_string(),
                    "{} {} as {}: error body is not {{code, message}}: {json}",
                    case.method,
                    path,
                    CALLERS[who]
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} wrong answers:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Another organisation's records are never returned or counted.
    let a_ids: HashSet<String> = [
        a1.property,
        a2.property,
        a1.tenant,
        a2.tenant,
        a1.allocation,
        a2.allocation,
        m1.invoice,
        m2.invoice,
        m1.payment,
        m2.payment,
    ]
    .iter()
    .map(Uuid::to_string)
    .collect();
    for path in [
        "/api/v1/properties",
        "/api/v1/tenants",
        "/api/v1/allocations",
        "/api/v1/invoices",
        "/api/v1/payments",
    ] {
        let (_, page) = app.get(&format!("{path}?limit=200"), Some(&foreign)).await;
        assert!(
            ids(&page).is_disjoint(&a_ids),
            "{path} leaks org A to org B: {page}"
        );
        assert_eq!(
            page["total"].as_i64().unwrap(),
            page["items"].as_array().unwrap().len() as i64
        );
        let (_, page) = app.get(&format!("{path}?limit=200"), Some(&owner)).await;
        for id in [b.property, b.tenant, b.allocation, mb.invoice, mb.payment] {
            assert!(
                !ids(&page).contains(&id.to_string()),
                "{path} leaks org B to org A"
            );
        }
    }
    // Synced records: each organisation pulls its own (the owner,
    // manager and front desk of A pushed one each, B's owner one, under
    // keys of the same shape; A's caretaker's push was answered, and
    // refused: caretakers change nothing through sync).
    let pulled = |page: Value| -> HashSet<String> {
        page["changes"]
            .as_array()
            .unwrap_or_else(|| panic!("not a page of changes: {page}"))
            .iter()
            .map(|c| c["key"].as_str().unwrap().to_string())
            .collect()
    };
    let a_keys = pulled(app.get("/api/v1/sync/changes", Some(&owner)).await.1);
    let b_keys = pulled(app.get("/api/v1/sync/changes", Some(&foreign)).await.1);
    assert_eq!(
        a_keys,
        (0..3)
            .map(|who| format!("tenant-of-caller-{who}"))
            .collect()
    );
    assert_eq!(b_keys, HashSet::from(["tenant-of-caller-5".to_string()]));
    let (props_status, props) = app.get("/api/v1/sync/status", Some(&foreign)).await;
    assert_eq!(props_status.as_u16(), 200);
    assert_eq!(props, json!({ "last_seq": 1, "records": 1 }));

    let (_, props) = app.get("/api/v1/properties", Some(&foreign)).await;
    let b_properties: i64 = sqlx::query_scalar("SELECT count(*) FROM property WHERE org_id <> $1")
        .bind(org)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(props["total"].as_i64().unwrap(), b_properties);
    let (_, users) = app.get("/api/v1/users?limit=200", Some(&foreign)).await;
    let b_users: i64 = sqlx::query_scalar("SELECT count(*) FROM app_user WHERE org_id <> $1")
        .bind(org)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(users["total"].as_i64().unwrap(), b_users);
    let (_, audit) = app.get("/api/v1/audit-log?limit=200", Some(&foreign)).await;
    let b_audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE org_id <> $1")
        .bind(org)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(audit["total"].as_i64().unwrap(), b_audit);

    // Front desk and caretakers see only their properties' records.
    for token in [&front_desk, &caretaker] {
        let (_, page) = app.get("/api/v1/properties", Some(token)).await;
        assert_eq!(ids(&page), HashSet::from([p1.to_string()]));
        let (_, page) = app.get("/api/v1/tenants?limit=200", Some(token)).await;
        assert!(!ids(&page).contains(&a2.tenant.to_string()));
        assert!(ids(&page).contains(&a1.tenant.to_string()));
        let (_, page) = app.get("/api/v1/allocations?limit=200", Some(token)).await;
        assert!(!ids(&page).contains(&a2.allocation.to_string()));
    }
    for path in ["/api/v1/invoices?limit=200", "/api/v1/payments?limit=200"] {
        let (_, page) = app.get(path, Some(&front_desk)).await;
        let seen = ids(&page);
        assert!(
            !seen.contains(&m2.invoice.to_string()) && !seen.contains(&m2.payment.to_string()),
            "{path} shows front desk another property's money: {page}"
        );
        assert!(seen.contains(&m1.invoice.to_string()) || seen.contains(&m1.payment.to_string()));
        assert_eq!(
            page["total"].as_i64().unwrap(),
            page["items"].as_array().unwrap().len() as i64
        );
    }
    // Another organisation's money is not counted either.
    for (path, table) in [
        ("/api/v1/invoices", "invoice"),
        ("/api/v1/payments", "payment"),
    ] {
        let (_, page) = app.get(path, Some(&foreign)).await;
        let theirs: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {table} WHERE org_id <> $1"
        )))
        .bind(org)
        .fetch_one(&app.admin)
        .await
        .unwrap();
        assert_eq!(page["total"].as_i64().unwrap(), theirs, "{path}: {page}");
    }

    // Caretakers see no KYC and no money.
    let (_, tenant) = app
        .get(&format!("/api/v1/tenants/{}", a1.tenant), Some(&caretaker))
        .await;
    assert!(
        tenant["kyc_masked"].is_null() && tenant["kyc_document"].is_null(),
        "{tenant}"
    );
    let (_, room) = app
        .get(&format!("/api/v1/rooms/{}", a1.room), Some(&caretaker))
        .await;
    assert!(room["rent_per_bed_paise"].is_null(), "{room}");
    let (_, tenant) = app
        .get(&format!("/api/v1/tenants/{}", a1.tenant), Some(&front_desk))
        .await;
    assert_eq!(tenant["kyc_masked"], "XXXX XXXX 2346");
    let (_, room) = app
        .get(&format!("/api/v1/rooms/{}", a1.room), Some(&accountant))
        .await;
    assert_eq!(room["rent_per_bed_paise"], 850_000);

    // Reassigning a front desk user takes effect on their open session.
    let me = app.get("/api/v1/me", Some(&front_desk)).await.1;
    let fd_id = me["user"]["id"].as_str().unwrap().to_string();
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/v1/users/{fd_id}/properties"),
            Some(&owner),
            Some(&json!({ "property_ids": [p2] })),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    assert_eq!(
        app.get(&format!("/api/v1/properties/{p1}"), Some(&front_desk))
            .await
            .0
            .as_u16(),
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/properties/{p2}"), Some(&front_desk))
            .await
            .0
            .as_u16(),
        200
    );
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/users/{fd_id}/properties"),
            Some(&owner),
            Some(&json!({ "property_ids": [b.property] })),
        )
        .await;
    assert_eq!(status.as_u16(), 404, "a property of another organisation");

    app.finish().await;
}
