//! The server's HTTP API, as the desk uses it: sign-in, who am I, push,
//! changes (long-polled) and sign-out. HTTPS through rustls.

use std::time::Duration;

use multipms_store::sync_outbox::PendingOp;
use multipms_store::sync_replica::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::{SyncError, SyncResult};

/// A signed-in session.
#[derive(Debug, Clone, Deserialize)]
pub struct SignedIn {
    pub token: String,
    #[serde(default)]
    pub must_change_password: bool,
}

/// Who signed in, and for which organisation.
#[derive(Debug, Clone, Deserialize)]
pub struct Me {
    pub user: MeUser,
    pub org_id: String,
    pub org_name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MeUser {
    pub email: String,
    pub full_name: String,
    pub role: String,
}

/// The server's answer to one pushed operation.
#[derive(Debug, Clone, Deserialize)]
pub struct OpAnswer {
    pub op_id: String,
    pub status: String,
    pub seq: Option<i64>,
    pub reason: Option<String>,
    pub field: Option<String>,
    #[serde(default)]
    pub truth: Vec<Record>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PushAnswer {
    pub results: Vec<OpAnswer>,
    pub last_seq: i64,
}

/// One changed row, as pulled.
#[derive(Debug, Clone, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub key: String,
    pub data: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    pub last_seq: i64,
    pub more: bool,
    /// What the server sends this user ("full", "no_money_no_kyc").
    #[serde(default)]
    pub view: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
    field: Option<String>,
}

#[derive(Serialize)]
struct PushBody<'a> {
    desk_id: &'a str,
    ops: &'a [PendingOp],
}

/// A client of one server.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    /// A client of the server at `base` (already checked by
    /// [`crate::server_url::check`]).
    pub fn new(base: &str) -> SyncResult<Client> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Long polls wait up to 25 s on the server.
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("MultiPMS-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Offline(e.to_string()))?;
        Ok(Client {
            http,
            base: base.to_string(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    async fn answer<T: for<'de> Deserialize<'de>>(response: reqwest::Response) -> SyncResult<T> {
        let status = response.status();
        if status.is_success() {
            return Ok(response.json().await?);
        }
        if status.as_u16() == 401 {
            return Err(SyncError::SignedOut);
        }
        let text = response.text().await.unwrap_or_default();
        Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => SyncError::Server {
                status: status.as_u16(),
                code: body.code,
                message: body.message,
                field: body.field,
            },
            Err(_) => SyncError::Server {
                status: status.as_u16(),
                code: "bad_answer".into(),
                message: format!("The server answered {status}; is this a MultiPMS server?"),
                field: None,
            },
        })
    }

    /// Signs in with email and password.
    pub async fn sign_in(&self, email: &str, password: &str) -> SyncResult<SignedIn> {
        let response = self
            .http
            .post(format!("{}/api/v1/auth/sign-in", self.base))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await?;
        match Self::answer(response).await {
            // A wrong password is the server's 401 too: not a lost session.
            Err(SyncError::SignedOut) => Err(SyncError::invalid(
                "password",
                "The email or password is not right",
            )),
            other => other,
        }
    }

    /// Who the token belongs to.
    pub async fn me(&self, token: &str) -> SyncResult<Me> {
        let response = self
            .http
            .get(format!("{}/api/v1/me", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        Self::answer(response).await
    }

    /// Ends the session on the server.
    pub async fn sign_out(&self, token: &str) -> SyncResult<()> {
        let response = self
            .http
            .post(format!("{}/api/v1/auth/sign-out", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        if response.status().is_success() || response.status().as_u16() == 401 {
            Ok(())
        } else {
            Self::answer::<Value>(response).await.map(|_| ())
        }
    }

    /// Pushes operations, oldest first.
    pub async fn push(
        &self,
        token: &str,
        desk_id: &str,
        ops: &[PendingOp],
    ) -> SyncResult<PushAnswer> {
        let response = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .bearer_auth(token)
            .json(&PushBody { desk_id, ops })
            .send()
            .await?;
        Self::answer(response).await
    }

    /// Uploads a document's file under its SHA-256 (a file the server has
    /// already is answered the same).
    pub async fn upload_file(&self, token: &str, sha256: &str, bytes: Vec<u8>) -> SyncResult<()> {
        let response = self
            .http
            .put(format!("{}/api/v1/sync/files/{sha256}", self.base))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes)
            .send()
            .await?;
        let _: serde_json::Value = Self::answer(response).await?;
        Ok(())
    }

    /// A document's file; none while the server does not have it.
    pub async fn download_file(&self, token: &str, sha256: &str) -> SyncResult<Option<Vec<u8>>> {
        let response = self
            .http
            .get(format!("{}/api/v1/sync/files/{sha256}", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !response.status().is_success() {
            let _: serde_json::Value = Self::answer(response).await?;
            return Ok(None);
        }
        Ok(Some(response.bytes().await?.to_vec()))
    }

    /// Changes after `after`, at most `limit`; waits up to `wait_secs` for
    /// one when there is none yet.
    pub async fn changes(
        &self,
        token: &str,
        after: i64,
        limit: u32,
        wait_secs: u32,
    ) -> SyncResult<ChangesPage> {
        let response = self
            .http
            .get(format!(
                "{}/api/v1/sync/changes?after={after}&limit={limit}&wait={wait_secs}",
                self.base
            ))
            .bearer_auth(token)
            .send()
            .await?;
        Self::answer(response).await
    }
}
