//! Row-level security: the second wall, proven with raw SQL as the
//! application role.

use serde_json::json;
use sqlx::{Connection, Executor, Row};

use crate::helpers::*;

#[tokio::test]
async fn app_role_without_org_sees_nothing() {
    let app = spawn_app().await;
    let (org_a, _, owner_a) = app.create_org("RLS A").await;
    let (org_b, _, owner_b) = app.create_org("RLS B").await;
    // Each with its books: a contract, an invoice and a payment.
    for (owner, code) in [(&owner_a, "RLSA"), (&owner_b, "RLSB")] {
        let p = portfolio(&app, owner, code).await;
        create(
            &app,
            &format!("/api/v1/tenants/{}/contracts", p.tenant),
            owner,
            contract_form(p.allocation),
        )
        .await;
        bill(&app, owner, p.property, "04/2026").await;
        pay(
            &app,
            owner,
            p.tenant,
            json!({ "mode": "upi", "amount": "100", "paid_on": "01/11/2026", "reference": "412345678901" }),
        )
        .await;
        // And a record synced from a desk, and a rejected operation.
        let property = json!({ "id": "p1" });
        let (status, body) = app
            .post(
                "/api/v1/sync/push",
                Some(owner),
                &json!({ "desk_id": uuid::Uuid::now_v7(), "ops": [{ "op_id": uuid::Uuid::now_v7(), "rows": [
                    { "entity": "property", "key": "p1", "action": "upsert", "old": property, "new": property }
                ] }, { "op_id": uuid::Uuid::now_v7(), "rows": [
                    { "entity": "property", "key": "p1", "action": "upsert", "old": null, "new": property }
                ] }] }),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        assert_eq!(body["results"][0]["status"], "rejected", "{body}");
        assert_eq!(body["results"][1]["status"], "accepted", "{body}");
    }

    let tables = [
        "organisation",
        "app_user",
        "session",
        "property",
        "user_property",
        "room",
        "bed",
        "tenant",
        "allocation",
        "audit_log",
        "org_count",
        "contract",
        "number_series",
        "invoice",
        "invoice_line",
        "payment",
        "ledger_entry",
        "payment_allocation",
        "sync_counter",
        "sync_record",
        "sync_op",
    ];
    // As the superuser, the rows are there.
    for table in tables
        .iter()
        .filter(|t| !["session", "user_property"].contains(*t))
    {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&app.admin)
                .await
                .unwrap();
        assert!(n > 0, "{table} is empty");
    }

    // As the application role with no organisation set: zero rows.
    let mut conn = app.admin.acquire().await.unwrap();
    conn.execute("SET ROLE multipms_app").await.unwrap();
    let (is_super, bypass): (bool, bool) =
        sqlx::query_as("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert!(!is_super && !bypass);
    for table in tables {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(
            n, 0,
            "{table} shows {n} rows to the app role without an organisation"
        );
    }

    // With organisation A set in a transaction: only A's rows, and the
    // setting ends with the transaction.
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.org_id', $1, true)")
        .bind(org_a.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let orgs: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT DISTINCT org_id FROM property")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(orgs, vec![org_a]);
    for table in [
        "invoice",
        "payment",
        "ledger_entry",
        "payment_allocation",
        "contract",
        "sync_counter",
        "sync_record",
        "sync_op",
    ] {
        let orgs: Vec<uuid::Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT org_id FROM {table}"
        )))
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        assert_eq!(orgs, vec![org_a], "{table}");
    }
    // Writing a row of organisation B is refused.
    let err = sqlx::query("INSERT INTO organisation (id, name) VALUES ($1, 'sneaky')")
        .bind(org_b)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    tx.rollback().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM property")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(n, 0, "the organisation outlived its transaction");

    // The audit log is append-only, for the app role and the owner alike.
    let err = sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(&mut *conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    conn.execute("RESET ROLE").await.unwrap();
    let err = sqlx::query("DELETE FROM audit_log")
        .execute(&mut *conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");

    // Tables are FORCEd: row-level security binds their owner too.
    let rows = sqlx::query(
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1)",
    )
    .bind(&tables[..])
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert_eq!(rows.len(), tables.len());
    for row in rows {
        let name: String = row.get(0);
        assert!(
            row.get::<bool, _>(1) && row.get::<bool, _>(2),
            "{name} is not forced"
        );
    }
    drop(conn);

    // The server refuses to work as a role that bypasses row-level security.
    let err = multipms_server::db::check_app_role(&app.admin)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("BYPASSRLS"), "{err}");
    multipms_server::db::check_app_role(&app.pool)
        .await
        .unwrap();
    app.finish().await;
}

/// `url` with its user and password replaced.
fn with_user(url: &str, user: &str, password: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let host_part = match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    format!("{}{user}:{password}@{host_part}", &url[..scheme_end])
}

/// The production shape: the tables owned by a role that is no superuser,
/// the server signed in as a login that is only a member of multipms_app.
/// Sign-in (through the SECURITY DEFINER functions) works, the owner's role
/// is refused as the server's, and row-level security still binds.
#[tokio::test]
async fn works_with_a_non_superuser_owner_and_a_member_login() {
    use multipms_server::{db, Application, Settings};
    use serde_json::json;
    use sqlx::postgres::PgPoolOptions;

    let admin = admin_url();
    let n = uuid::Uuid::now_v7().simple().to_string();
    let (owner_role, web_role, db_name) = (
        format!("mp_owner_{n}"),
        format!("mp_web_{n}"),
        format!("multipms_prodlike_{n}"),
    );
    let maintenance = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .unwrap();
    // Made first by the superuser so the owner needs no CREATEROLE.
    let _ = maintenance
        .execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'multipms_app') THEN CREATE ROLE multipms_app NOLOGIN; END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
        .await;
    for sql in [
        format!("CREATE ROLE \"{owner_role}\" LOGIN PASSWORD 'owner-pw'"),
        format!("CREATE ROLE \"{web_role}\" LOGIN PASSWORD 'web-pw' IN ROLE multipms_app"),
        format!("CREATE DATABASE \"{db_name}\" OWNER \"{owner_role}\""),
    ] {
        maintenance.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    }
    let base = with_database(&admin, &db_name);
    let owner_url = with_user(&base, &owner_role, "owner-pw");
    let web_url = with_user(&base, &web_role, "web-pw");

    let owner_role_in = owner_role.clone();
    let result = async move {
        db::migrate(&owner_url)
            .await
            .expect("migrate as the non-superuser owner");
        // The owner's role is refused as the server's.
        let as_owner = Settings {
            database_url: owner_url.clone(),
            app_role: owner_role_in,
            listen: "127.0.0.1:0".parse().unwrap(),
            ..Settings::default()
        };
        let err = Application::build(as_owner).await.err().expect("refused");
        assert!(format!("{err:#}").contains("owns tables"), "{err:#}");

        let settings = Settings {
            database_url: web_url.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            max_connections: 3,
            ..Settings::default()
        };
        let app = Application::build(settings.clone())
            .await
            .expect("serves as the member login");
        let base_url = format!("http://{}", app.local_addr());
        let server = tokio::spawn(app.run_until_stopped());
        let pool = db::connect(&settings).await.unwrap();
        let created = multipms_server::accounts::create_org(
            &pool,
            "Prodlike PG",
            "prod@example.in",
            "Prod Owner",
        )
        .await
        .expect("create-org as the member login");
        let client = reqwest::Client::new();
        let response = client
            .post(format!("{base_url}/api/v1/auth/sign-in"))
            .json(&json!({ "email": "prod@example.in", "password": created.one_time_password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let token = response.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let me = client
            .get(format!("{base_url}/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), reqwest::StatusCode::OK);
        // The owner of the tables is bound by FORCEd row-level security.
        let owner_pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(&owner_url)
            .await
            .unwrap();
        let orgs: i64 = sqlx::query_scalar("SELECT count(*) FROM organisation")
            .fetch_one(&owner_pool)
            .await
            .unwrap();
        assert_eq!(orgs, 0);
        owner_pool.close().await;
        pool.close().await;
        server.abort();
    };
    // Clean up even when an assertion fails.
    let outcome = tokio::spawn(result).await;
    for sql in [
        format!("DROP DATABASE IF EXISTS \"{db_name}\" WITH (FORCE)"),
        format!("DROP ROLE IF EXISTS \"{web_role}\""),
        format!("DROP ROLE IF EXISTS \"{owner_role}\""),
    ] {
        let _ = maintenance.execute(sqlx::AssertSqlSafe(sql)).await;
    }
    maintenance.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
