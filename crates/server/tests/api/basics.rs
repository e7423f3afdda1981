//! Health, OpenAPI, errors, paging, domain rules through the API, audit.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn health_openapi_and_error_shapes() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.0, StatusCode::OK);
    assert_eq!(app.get("/readyz", None).await.0, StatusCode::OK);
    let (status, doc) = app.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/v1/auth/sign-in",
        "/api/v1/properties",
        "/api/v1/properties/{id}/rooms",
        "/api/v1/rooms/{id}/beds",
        "/api/v1/tenants",
        "/api/v1/allocations",
        "/api/v1/users",
        "/api/v1/audit-log",
        "/api/v1/tenants/{id}/contracts",
        "/api/v1/properties/{id}/billing-runs",
        "/api/v1/invoices",
        "/api/v1/invoices/{id}",
        "/api/v1/payments",
        "/api/v1/payments/{id}",
        "/api/v1/payments/{id}/reverse",
        "/api/v1/tenants/{id}/ledger",
        "/api/v1/tenants/{id}/balance",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every $ref points at a schema the document defines.
    fn refs(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v.as_str()) {
                        ("$ref", Some(r)) => out.push(r.to_string()),
                        _ => refs(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling {r}"
        );
    }

    let (_, _, owner) = app.create_org("Errors PG").await;
    // Unknown path, wrong method, bad JSON, bad id: JSON {code, message}.
    let (status, body) = app.get("/nothing/here", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, body) = app
        .call(
            reqwest::Method::DELETE,
            "/api/v1/properties",
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["code"], "method_not_allowed");
    let response = app
        .client
        .post(format!("{}/api/v1/properties", app.base))
        .bearer_auth(&owner)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
    let (status, body) = app.get("/api/v1/properties/not-a-uuid", Some(&owner)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].is_string());

    // Too large a body.
    let big = json!({ "name": "x".repeat(2 * 1024 * 1024) });
    let (status, body) = app.post("/api/v1/properties", Some(&owner), &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["code"], "too_large");

    // Domain validation names the field.
    let mut form = property_form("BLR1");
    form["pin_code"] = json!("0560");
    let (status, body) = app.post("/api/v1/properties", Some(&owner), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "pin_code");
    assert!(
        body["message"].as_str().unwrap().starts_with("PIN code"),
        "{body}"
    );
    app.finish().await;
}

#[tokio::test]
async fn portfolio_rules_paging_and_audit() {
    let app = spawn_app().await;
    let (_, owner_email, owner) = app.create_org("Rules PG").await;
    let p = portfolio(&app, &owner, "BLR1").await;

    // Same code twice.
    let (status, body) = app
        .post("/api/v1/properties", Some(&owner), &property_form("blr1"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "code");

    // Overlapping allocation: the domain names the other tenant.
    let other = create(
        &app,
        "/api/v1/tenants",
        &owner,
        tenant_form(p.property, "Priya Nair"),
    )
    .await;
    let (status, body) = app
        .post(
            "/api/v1/allocations",
            Some(&owner),
            &json!({ "bed_id": p.bed, "tenant_id": other, "move_in": "01/05/2026", "move_out": "01/06/2026" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Tenant of BLR from 01/04/2026"),
        "{body}"
    );
    // Moving the first tenant out frees the bed from that day.
    let (status, body) = app
        .post(
            &format!("/api/v1/allocations/{}/move-out", p.allocation),
            Some(&owner),
            &json!({ "move_out": "01/05/2026" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["move_out"], "2026-05-01");
    create(
        &app,
        "/api/v1/allocations",
        &owner,
        json!({ "bed_id": p.bed, "tenant_id": other, "move_in": "01/05/2026" }),
    )
    .await;
    // The database's own wall, past the domain.
    let err = sqlx::query(
        "INSERT INTO allocation (id, org_id, property_id, bed_id, tenant_id, move_in) \
         SELECT $1, org_id, property_id, bed_id, tenant_id, '2026-06-01' FROM allocation WHERE id = $2",
    )
    .bind(uuid::Uuid::now_v7())
    .bind(p.allocation)
    .execute(&app.admin)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("allocation_no_overlap"), "{err}");

    // The Aadhaar number is never stored, only masked.
    let (number, masked): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT kyc_number, kyc_masked FROM tenant WHERE id = $1")
            .bind(p.tenant)
            .fetch_one(&app.admin)
            .await
            .unwrap();
    assert_eq!(number, None);
    assert!(masked.unwrap().ends_with("2346"));

    // Paging.
    for i in 0..3 {
        create(
            &app,
            "/api/v1/tenants",
            &owner,
            tenant_form(p.property, &format!("Paged Tenant {}", ["A", "B", "C"][i])),
        )
        .await;
    }
    let (status, page) = app
        .get("/api/v1/tenants?limit=2&offset=1", Some(&owner))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 5);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["limit"], 2);
    // Keyset: after the first tenant, the same page as offset 1.
    let (_, first) = app.get("/api/v1/tenants?limit=1", Some(&owner)).await;
    let first_id = first["items"][0]["id"].as_str().unwrap();
    let (status, keyset) = app
        .get(
            &format!("/api/v1/tenants?limit=2&after={first_id}"),
            Some(&owner),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{keyset}");
    assert_eq!(keyset["items"], page["items"]);
    assert_eq!(keyset["total"], 5);
    let (status, body) = app
        .get(
            &format!("/api/v1/tenants?after={}", uuid::Uuid::now_v7()),
            Some(&owner),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "after");
    let (status, body) = app.get("/api/v1/tenants?limit=0", Some(&owner)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "limit");
    let (status, _) = app.get("/api/v1/tenants?limit=201", Some(&owner)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Every write is in the audit log, with who, desk, before and after.
    let response = app
        .client
        .put(format!("{}/api/v1/properties/{}", app.base, p.property))
        .bearer_auth(&owner)
        .header("x-desk-id", "desk-7")
        .json(&{
            let mut f = property_form("BLR1");
            f["city"] = json!("Mysuru");
            f
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, log) = app.get("/api/v1/audit-log?limit=200", Some(&owner)).await;
    assert_eq!(status, StatusCode::OK);
    let entries = log["items"].as_array().unwrap();
    let latest = &entries[0];
    assert_eq!(latest["action"], "update");
    assert_eq!(latest["entity"], "property");
    assert_eq!(latest["desk_id"], "desk-7");
    assert_eq!(latest["user_email"], owner_email);
    assert_eq!(latest["before"]["city"], "Bengaluru");
    assert_eq!(latest["after"]["city"], "Mysuru");
    let count = |entity: &str, action: &str| {
        entries
            .iter()
            .filter(|e| e["entity"] == entity && e["action"] == action)
            .count()
    };
    assert_eq!(count("property", "create"), 1);
    assert_eq!(count("room", "create"), 1);
    assert_eq!(count("bed", "create"), 2);
    assert_eq!(count("tenant", "create"), 5);
    assert_eq!(count("allocation", "create"), 2);
    assert_eq!(count("allocation", "move_out"), 1);
    assert_eq!(count("organisation", "create"), 1);
    assert_eq!(count("user", "create"), 1);
    assert_eq!(count("user", "change_password"), 1);
    app.finish().await;
}
