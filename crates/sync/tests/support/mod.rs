//! A real MultiPMS server on a random port, over a fresh database of a
//! real PostgreSQL (DATABASE_URL, see scripts/postgres.sh), with one
//! organisation and its users. Without DATABASE_URL the tests fail, never
//! skip.

#![allow(dead_code)]

use multipms_server::accounts::{self, NewUser};
use multipms_server::{db, Application, Settings};
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;

use multipms_server::db::with_database;

/// The password every test user has.
pub const PASSWORD: &str = "tea with ginger at 5";

pub struct TestServer {
    pub base: String,
    pub pool: PgPool,
    pub org_id: Uuid,
    pub owner_email: String,
    db_name: String,
}

fn admin_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "DATABASE_URL is not set: the sync tests need a real PostgreSQL admin URL. \
             Run `eval \"$(scripts/postgres.sh)\"` first."
        ),
    }
}

impl TestServer {
    /// Starts a server over a new database, with an organisation whose
    /// owner has [`PASSWORD`].
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    /// As [`TestServer::start`], with settings tuned by `tune`.
    pub async fn start_with(tune: impl FnOnce(&mut Settings)) -> TestServer {
        let admin_url = admin_url();
        let db_name = format!("multipms_sync_{}", Uuid::now_v7().simple());
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
            database_url: url,
            listen: "127.0.0.1:0".parse().unwrap(),
            max_connections: 6,
            // The simulation and the benchmark push and pull hard.
            requests_per_minute: 1_000_000,
            ..Settings::default()
        };
        tune(&mut settings);
        let app = Application::build(settings.clone())
            .await
            .expect("the server starts");
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped());
        let pool = db::connect(&settings).await.expect("app pool");
        let owner_email = format!("owner-{}@example.in", Uuid::now_v7().simple());
        let created = accounts::create_org(&pool, "Sunrise Living", &owner_email, "Asha Owner")
            .await
            .expect("create_org");
        let server = TestServer {
            base,
            pool,
            org_id: created.org_id,
            owner_email: owner_email.clone(),
            db_name,
        };
        let client = reqwest::Client::new();
        let token = server
            .sign_in_raw(&client, &owner_email, &created.one_time_password)
            .await;
        let changed = client
            .post(format!("{}/api/v1/auth/change-password", server.base))
            .bearer_auth(&token)
            .json(
                &json!({ "current_password": created.one_time_password, "new_password": PASSWORD }),
            )
            .send()
            .await
            .expect("change password");
        assert!(changed.status().is_success(), "{}", changed.status());
        server
    }

    async fn sign_in_raw(&self, client: &reqwest::Client, email: &str, password: &str) -> String {
        let answer: Value = client
            .post(format!("{}/api/v1/auth/sign-in", self.base))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("sign in")
            .json()
            .await
            .expect("sign-in answer");
        answer["token"].as_str().expect("a token").to_string()
    }

    /// A token of the owner.
    pub async fn owner_token(&self) -> String {
        self.sign_in_raw(&reqwest::Client::new(), &self.owner_email, PASSWORD)
            .await
    }

    /// Adds a user of `role` with [`PASSWORD`]; returns the email.
    pub async fn add_user(&self, role: &str) -> String {
        self.add_user_at(role, vec![]).await
    }

    async fn add_user_at(&self, role: &str, property_ids: Vec<Uuid>) -> String {
        let email = format!("{role}-{}@example.in", Uuid::now_v7().simple());
        accounts::add_user(
            &self.pool,
            self.org_id,
            None,
            NewUser {
                email: email.clone(),
                full_name: format!("{role} person"),
                role: role.into(),
                property_ids,
            },
            Some(PASSWORD.into()),
        )
        .await
        .expect("add_user");
        email
    }

    /// Adds a user of a property-scoped `role` (front desk, caretaker)
    /// assigned to a new server property of `code`; returns the email.
    pub async fn add_scoped_user(&self, role: &str, code: &str) -> String {
        let client = reqwest::Client::new();
        let created: Value = client
            .post(format!("{}/api/v1/properties", self.base))
            .bearer_auth(self.owner_token().await)
            .json(&json!({
                "name": format!("Sunrise {code}"), "address_line1": "12, 3rd Cross",
                "city": "Bengaluru", "state": "Karnataka", "pin_code": "560034", "code": code,
            }))
            .send()
            .await
            .expect("create a property")
            .json()
            .await
            .expect("the property");
        let property: Uuid = created["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no property made: {created}"));
        self.add_user_at(role, vec![property]).await
    }

    /// Gives the user of `email` another role, as an administrator would
    /// in the database (there is no API for it).
    pub async fn set_role(&self, email: &str, role: &str) {
        let url = with_database(&admin_url(), &self.db_name);
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("connect as admin");
        let changed = sqlx::query("UPDATE app_user SET role = $1 WHERE email = $2")
            .bind(role)
            .bind(email)
            .execute(&admin)
            .await
            .expect("change the role");
        assert_eq!(changed.rows_affected(), 1);
        admin.close().await;
    }

    /// Every live record of the organisation, pulled from the start.
    pub async fn records(&self) -> Vec<(String, String, Value)> {
        let token = self.owner_token().await;
        let client = reqwest::Client::new();
        let mut after = 0i64;
        let mut live = std::collections::BTreeMap::new();
        loop {
            let page: Value = client
                .get(format!(
                    "{}/api/v1/sync/changes?after={after}&limit=5000",
                    self.base
                ))
                .bearer_auth(&token)
                .send()
                .await
                .expect("changes")
                .json()
                .await
                .expect("a page");
            for change in page["changes"].as_array().expect("changes") {
                after = after.max(change["seq"].as_i64().expect("seq"));
                let key = (
                    change["entity"].as_str().unwrap().to_string(),
                    change["key"].as_str().unwrap().to_string(),
                );
                if change["data"].is_null() {
                    live.remove(&key);
                } else {
                    live.insert(key, change["data"].clone());
                }
            }
            if !page["more"].as_bool().unwrap_or(false) {
                break;
            }
        }
        live.into_iter().map(|((e, k), d)| (e, k, d)).collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        db::drop_database_blocking(&admin_url(), &self.db_name);
    }
}
