//! A real server on a random port over a fresh PostgreSQL database per test.

use std::sync::atomic::{AtomicU32, Ordering};

use multipms_server::accounts::{self, NewUser};
use multipms_server::{db, Application, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;

pub use multipms_server::db::with_database;

/// A password good enough for the rules.
pub const PASSWORD: &str = "tea with ginger at 5";

/// The admin URL the tests run on. Missing is a failure, never a skip.
pub fn admin_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "DATABASE_URL is not set: the server's tests need a real PostgreSQL admin URL. \
             Run `eval \"$(scripts/postgres.sh)\"` first (it starts a throwaway server if needed)."
        ),
    }
}

/// A running server over its own database.
pub struct TestApp {
    /// http://127.0.0.1:PORT
    pub base: String,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The app's own pool (as the application role).
    pub pool: PgPool,
    /// A superuser pool on the test database.
    pub admin: PgPool,
    db_name: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A unique number for codes, emails and room numbers.
pub fn unique() -> u32 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tune: impl FnOnce(&mut Settings)) -> TestApp {
    let admin_url = admin_url();
    let db_name = format!("multipms_test_{}", Uuid::now_v7().simple());
    let maintenance = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin_url)
        .await
        .expect("connect to DATABASE_URL");
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{db_name}\"")))
        .execute(&maintenance)
        .await
        .expect("create the test database");
    maintenance.close().await;
    let url = with_database(&admin_url, &db_name);
    db::migrate(&url).await.expect("migrations run");
    let mut settings = Settings {
        database_url: url.clone(),
        listen: "127.0.0.1:0".parse().unwrap(),
        max_connections: 3,
        ..Settings::default()
    };
    tune(&mut settings);
    let app = Application::build(settings.clone())
        .await
        .expect("the server starts");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    let pool = db::connect(&settings).await.expect("app pool");
    let admin = PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .expect("admin pool on the test database");
    TestApp {
        base,
        client: reqwest::Client::new(),
        pool,
        admin,
        db_name,
    }
}

impl TestApp {
    /// Starts a second server instance on the same database (as behind a
    /// load balancer); returns its base URL.
    pub async fn another_instance(&self) -> String {
        let settings = Settings {
            database_url: with_database(&admin_url(), &self.db_name),
            listen: "127.0.0.1:0".parse().unwrap(),
            max_connections: 3,
            ..Settings::default()
        };
        let app = Application::build(settings)
            .await
            .expect("the second instance starts");
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped());
        base
    }

    /// Closes the pools and drops the database.
    pub async fn finish(self) {
        self.pool.close().await;
        self.admin.close().await;
        // Drop does the rest.
    }

    /// Sends a request; returns status and JSON body (Null when empty).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{path} answered {status} with non-JSON: {text}"))
        };
        (status, json)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// Signs in; panics unless it works.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let (status, body) = self
            .post(
                "/api/v1/auth/sign-in",
                None,
                &json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "sign-in of {email}: {body}");
        body["token"].as_str().unwrap().to_string()
    }

    /// Makes an organisation through the library (as `create-org` does),
    /// signs its owner in with the one-time password and changes it.
    pub async fn create_org(&self, name: &str) -> (Uuid, String, String) {
        let email = format!("owner{}@example.in", unique());
        let created = accounts::create_org(&self.pool, name, &email, "Owner Person")
            .await
            .expect("create_org");
        let token = self.sign_in(&email, &created.one_time_password).await;
        let (status, body) = self
            .post(
                "/api/v1/auth/change-password",
                Some(&token),
                &json!({ "current_password": created.one_time_password, "new_password": PASSWORD }),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        (created.org_id, email, token)
    }

    /// Adds a user with [`PASSWORD`] and signs them in.
    pub async fn add_user(&self, org: Uuid, role: &str, properties: Vec<Uuid>) -> (Uuid, String) {
        let email = format!("{role}{}@example.in", unique());
        let (user, _) = accounts::add_user(
            &self.pool,
            org,
            None,
            NewUser {
                email: email.clone(),
                full_name: format!("{role} person"),
                role: role.into(),
                property_ids: properties,
            },
            Some(PASSWORD.into()),
        )
        .await
        .expect("add_user");
        (user.id, self.sign_in(&email, PASSWORD).await)
    }
}

/// Drops the test database, also when a test fails half-way: on a thread
/// of its own, since the test's runtime may be gone.
impl Drop for TestApp {
    fn drop(&mut self) {
        db::drop_database_blocking(&admin_url(), &self.db_name);
    }
}

/// A valid property form with `code`.
pub fn property_form(code: &str) -> Value {
    json!({
        "name": format!("Sai Comforts {code}"),
        "address_line1": "12, 3rd Cross, 5th Block",
        "address_line2": "Koramangala",
        "city": "Bengaluru",
        "state": "Karnataka",
        "pin_code": "560034",
        "code": code,
    })
}

/// A valid room form.
pub fn room_form(number: &str) -> Value {
    json!({ "floor": "2", "room_number": number, "room_type": "standard", "sharing": "2", "ac": true, "rent_per_bed": "8,500" })
}

/// A valid tenant form at `property`.
pub fn tenant_form(property: Uuid, name: &str) -> Value {
    json!({
        "property_id": property,
        "full_name": name,
        "mobile": "98450 12345",
        "kyc_document_type": "aadhaar",
        "kyc_document_number": "2341 2341 2346",
    })
}

/// Creates a record; panics unless 201. Returns its id.
pub async fn create(app: &TestApp, path: &str, token: &str, body: Value) -> Uuid {
    let (status, json) = app.post(path, Some(token), &body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {json}");
    json["id"].as_str().unwrap().parse().unwrap()
}

/// The name of the tenant [`portfolio`] makes: "Tenant of BLR" for BLR1.
pub fn tenant_name(code: &str) -> String {
    format!(
        "Tenant of {}",
        code.replace(|c: char| c.is_ascii_digit(), "")
    )
}

/// A property with one 2-bed room, a tenant and an allocation.
pub struct Portfolio {
    pub property: Uuid,
    pub room: Uuid,
    pub bed: Uuid,
    /// The room's other bed, free.
    pub spare_bed: Uuid,
    pub tenant: Uuid,
    pub allocation: Uuid,
}

pub async fn portfolio(app: &TestApp, token: &str, code: &str) -> Portfolio {
    let property = create(app, "/api/v1/properties", token, property_form(code)).await;
    let room = create(
        app,
        &format!("/api/v1/properties/{property}/rooms"),
        token,
        room_form("B-204"),
    )
    .await;
    let (status, beds) = app
        .get(&format!("/api/v1/rooms/{room}/beds"), Some(token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(beds["total"], 2, "{beds}");
    let bed: Uuid = beds["items"][0]["id"].as_str().unwrap().parse().unwrap();
    let spare_bed: Uuid = beds["items"][1]["id"].as_str().unwrap().parse().unwrap();
    let tenant = create(
        app,
        "/api/v1/tenants",
        token,
        tenant_form(property, &tenant_name(code)),
    )
    .await;
    let allocation = create(
        app,
        "/api/v1/allocations",
        token,
        json!({ "bed_id": bed, "tenant_id": tenant, "move_in": "01/04/2026" }),
    )
    .await;
    Portfolio {
        property,
        room,
        bed,
        spare_bed,
        tenant,
        allocation,
    }
}

/// A valid contract form for `allocation`: ₹8,500 a month from 01/04/2026,
/// due on the 5th, active.
pub fn contract_form(allocation: Uuid) -> Value {
    json!({
        "allocation_id": allocation,
        "monthly_rent": "8,500",
        "security_deposit": "17,000",
        "billing_day": "5",
        "lock_in_months": "",
        "notice_days": "30",
        "yearly_escalation_percent": "",
        "start_date": "01/04/2026",
        "status": "active",
    })
}

/// Bills `month` (MM/YYYY) for `property`; panics unless 200. Returns the
/// run's report.
pub async fn bill(app: &TestApp, token: &str, property: Uuid, month: &str) -> Value {
    let (status, json) = app
        .post(
            &format!("/api/v1/properties/{property}/billing-runs"),
            Some(token),
            &json!({ "month": month }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "billing {month}: {json}");
    json
}

/// Records a payment; panics unless 201. Returns what recording did.
pub async fn pay(app: &TestApp, token: &str, tenant: Uuid, body: Value) -> Value {
    let mut body = body;
    body["tenant_id"] = json!(tenant);
    let (status, json) = app.post("/api/v1/payments", Some(token), &body).await;
    assert_eq!(status, StatusCode::CREATED, "payment {body}: {json}");
    json
}
