//! Sign-in, sign-out, and the background task that keeps a desk in step
//! with its organisation: it pushes the outbox in order, pulls the
//! server's changes in pages, then listens (a long poll) while watching the
//! outbox for the next local write. When the server cannot be reached it
//! backs off (1 s, 2 s, 4 s … 60 s) and tries again; the desk keeps working
//! meanwhile.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use multipms_store::sync_link::{LinkStart, NewLink};
use multipms_store::sync_outbox::Refusal;
use multipms_store::sync_replica::Record;
use multipms_store::Store;
use tokio::sync::{watch, Notify};

use crate::client::{ChangesPage, Client};
use crate::document_files::{move_files, DocumentFiles, FilesMoved};
use crate::error::{SyncError, SyncResult};
use crate::server_url;
use crate::status::{Progress, SyncState, SyncStatus};
use crate::token_store::{TokenPlace, TokenStore};

/// About how many bytes one push request carries (the server takes 1 MiB).
const PUSH_BYTES: usize = 700_000;
/// Rows per pulled page.
const PULL_PAGE: u32 = 2000;
/// How long one long poll waits on the server.
const LONG_POLL_SECS: u32 = 20;
/// How often an idle desk looks at its outbox for a new local write.
const OUTBOX_TICK: Duration = Duration::from_millis(200);
/// The longest wait between tries while offline.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// What one round of push and pull did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub ops_accepted: usize,
    pub ops_refused: usize,
    pub rows_pulled: usize,
    /// Document files moved.
    pub files: FilesMoved,
}

/// The desk's sync.
pub struct SyncEngine {
    store: Store,
    tokens: TokenStore,
    status: watch::Sender<SyncStatus>,
    wake: Notify,
    token_place: Mutex<Option<TokenPlace>>,
    offline_message: Mutex<Option<String>>,
    /// Where the documents' files are, once the app says.
    files: Mutex<Option<Arc<dyn DocumentFiles>>>,
}

impl SyncEngine {
    /// The sync of the desk that `store` holds, its token in the keyring.
    pub fn new(store: Store) -> Arc<SyncEngine> {
        let tokens = TokenStore::for_desk(store.desk_id());
        SyncEngine::with_tokens(store, tokens)
    }

    pub fn with_tokens(store: Store, tokens: TokenStore) -> Arc<SyncEngine> {
        let (status, _) = watch::channel(SyncStatus::standalone());
        Arc::new(SyncEngine {
            store,
            tokens,
            status,
            wake: Notify::new(),
            token_place: Mutex::new(None),
            offline_message: Mutex::new(None),
            files: Mutex::new(None),
        })
    }

    /// Where this desk keeps its documents' files: from now on each round
    /// also moves them (see `document_files`).
    pub fn set_document_files(&self, files: Arc<dyn DocumentFiles>) {
        if let Ok(mut slot) = self.files.lock() {
            *slot = Some(files);
        }
    }

    /// Follows the status as it changes.
    pub fn subscribe(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// Wakes the background task (after a sign-in, or to sync now).
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// The status as of now, counted from the store.
    pub async fn status(&self) -> SyncResult<SyncStatus> {
        let current = self.status.borrow().clone();
        let Some(link) = self.store.sync_link().await? else {
            return Ok(SyncStatus::standalone());
        };
        let signed_in = self.tokens.load().is_some();
        let state = match (signed_in, current.state) {
            (false, _) => SyncState::SignedOut,
            (true, SyncState::Standalone | SyncState::SignedOut) => SyncState::Syncing,
            (true, state) => state,
        };
        let status = SyncStatus {
            state,
            server_url: Some(link.server_url),
            org_name: Some(link.org_name),
            user_email: Some(link.user_email),
            user_role: Some(link.user_role),
            pending: self.store.outbox_len().await?,
            progress: if state == SyncState::Syncing {
                current.progress
            } else {
                None
            },
            last_synced_at: link.last_synced_at,
            conflicts: self.store.sync_conflicts().await?.len() as i64,
            message: if state == SyncState::Offline {
                self.offline_message.lock().ok().and_then(|m| m.clone())
            } else {
                None
            },
            token_place: if signed_in {
                self.token_place.lock().ok().and_then(|p| *p)
            } else {
                None
            },
        };
        Ok(status)
    }

    async fn publish(&self, state: SyncState, progress: Option<Progress>) {
        self.status.send_modify(|s| {
            s.state = state;
            s.progress = progress;
        });
        if let Ok(status) = self.status().await {
            self.status.send_replace(status);
        }
    }

    /// Signs in to `server_url` and links the desk to the user's
    /// organisation (see `Store::link_to_server` for what happens to the
    /// desk's own data). The token goes to the keyring.
    pub async fn sign_in(
        &self,
        server_url: &str,
        email: &str,
        password: &str,
    ) -> SyncResult<LinkStart> {
        let base = server_url::check(server_url)?;
        let email = email.trim();
        if email.is_empty() || !email.contains('@') {
            return Err(SyncError::invalid(
                "email",
                "Enter the email you sign in with, for example desk@sunrisepg.in",
            ));
        }
        if password.is_empty() {
            return Err(SyncError::invalid("password", "Enter your password"));
        }
        let client = Client::new(&base)?;
        let signed_in = client.sign_in(email, password).await?;
        if signed_in.must_change_password {
            let _ = client.sign_out(&signed_in.token).await;
            return Err(SyncError::invalid(
                "password",
                "This is a one-time password: change it on the server first, then sign in with the new one",
            ));
        }
        let me = client.me(&signed_in.token).await?;
        let first = client.changes(&signed_in.token, 0, 1, 0).await?;
        let organisation_is_empty = first.changes.is_empty() && first.last_seq == 0;
        let link = NewLink {
            server_url: base,
            org_id: me.org_id,
            org_name: me.org_name,
            user_email: me.user.email,
            user_name: me.user.full_name,
            user_role: me.user.role,
        };
        let start = match self
            .store
            .link_to_server(&link, organisation_is_empty)
            .await
        {
            Ok(start) => start,
            Err(e) => {
                let _ = client.sign_out(&signed_in.token).await;
                return Err(e.into());
            }
        };
        let place = self.tokens.save(&signed_in.token);
        if let Ok(mut p) = self.token_place.lock() {
            *p = Some(place);
        }
        self.publish(SyncState::Syncing, None).await;
        self.nudge();
        Ok(start)
    }

    /// Ends the session: on the server when it can be reached, and the
    /// token leaves the keyring. The link and any waiting changes stay, to
    /// be sent at the next sign-in. A desk never linked had no session and
    /// stays on its own.
    pub async fn sign_out(&self) -> SyncResult<()> {
        let link = self.store.sync_link().await?;
        if let (Some(link), Some(token)) = (&link, self.tokens.load()) {
            if let Ok(client) = Client::new(&link.server_url) {
                let _ = client.sign_out(&token).await;
            }
        }
        self.tokens.remove();
        let state = match link {
            Some(_) => SyncState::SignedOut,
            None => SyncState::Standalone,
        };
        self.publish(state, None).await;
        self.nudge();
        Ok(())
    }

    fn session(&self, link_url: &str) -> SyncResult<(Client, String)> {
        let token = self.tokens.load().ok_or(SyncError::SignedOut)?;
        Ok((Client::new(link_url)?, token))
    }

    /// One round: push everything waiting, then pull everything new.
    pub async fn sync_once(&self) -> SyncResult<Round> {
        let link = self.store.sync_link().await?.ok_or(SyncError::SignedOut)?;
        let (client, token) = self.session(&link.server_url)?;
        let mut round = Round::default();
        self.push_all(&client, &token, &mut round).await?;
        self.pull_all(&client, &token, &mut round).await?;
        let files = self.files.lock().ok().and_then(|f| f.clone());
        if let Some(files) = files {
            match move_files(&self.store, &client, &token, &files).await {
                Ok(moved) => round.files = moved,
                // A document's file is not worth stopping sync for: the
                // next round tries again.
                Err(SyncError::Offline(e)) => return Err(SyncError::Offline(e)),
                Err(e) => tracing::warn!("moving document files failed: {e}"),
            }
        }
        self.store.mark_synced().await?;
        Ok(round)
    }

    async fn push_all(&self, client: &Client, token: &str, round: &mut Round) -> SyncResult<()> {
        let total = self.store.outbox_len().await?;
        let mut done = 0;
        loop {
            let ops = self.store.next_ops(PUSH_BYTES).await?;
            if ops.is_empty() {
                return Ok(());
            }
            self.publish(
                SyncState::Syncing,
                Some(Progress {
                    phase: "upload",
                    done,
                    total,
                }),
            )
            .await;
            let answer = client.push(token, self.store.desk_id(), &ops).await?;
            let mut answered = 0;
            for result in answer.results {
                let Some(op) = ops.iter().find(|op| op.op_id == result.op_id) else {
                    continue;
                };
                answered += 1;
                done += op.rows.len() as i64;
                if result.status == "accepted" {
                    self.store.op_accepted(&op.op_id).await?;
                    round.ops_accepted += 1;
                } else {
                    let refusal = Refusal {
                        op_id: op.op_id.clone(),
                        message: result
                            .reason
                            .unwrap_or_else(|| "The server refused this change".into()),
                        field: result.field,
                        truth: result.truth,
                    };
                    tracing::info!(op = %refusal.op_id, "the server refused: {}", refusal.message);
                    self.store.op_refused(&refusal).await?;
                    round.ops_refused += 1;
                }
            }
            if answered == 0 {
                return Err(SyncError::Server {
                    status: 200,
                    code: "bad_answer".into(),
                    message: "The server answered a push without its results".into(),
                    field: None,
                });
            }
        }
    }

    async fn pull_all(&self, client: &Client, token: &str, round: &mut Round) -> SyncResult<()> {
        let mut start = self.last_seq().await?;
        let mut after = start;
        loop {
            let page = client.changes(token, after, PULL_PAGE, 0).await?;
            let more = page.more;
            let total = (page.last_seq - start).max(0);
            let Some(last) = self.apply_page(page, after).await? else {
                // The user's view changed: everything again from the start.
                start = 0;
                after = 0;
                continue;
            };
            after = last.max(after);
            round.rows_pulled += 1;
            if !more {
                return Ok(());
            }
            self.publish(
                SyncState::Syncing,
                Some(Progress {
                    phase: "download",
                    done: after - start,
                    total,
                }),
            )
            .await;
        }
    }

    /// Applies a page; returns the last sequence number it held, or none
    /// when the server now sends this user another view of the records
    /// (their role changed): the page is dropped and the desk's sequence
    /// number set back to 0, to pull everything again.
    async fn apply_page(&self, page: ChangesPage, after: i64) -> SyncResult<Option<i64>> {
        if !page.view.is_empty() && self.store.note_pulled_view(&page.view).await? {
            tracing::info!(
                "the server now sends this desk the {} view: pulling again",
                page.view
            );
            return Ok(None);
        }
        let last = page.changes.iter().map(|c| c.seq).max().unwrap_or(after);
        let records: Vec<Record> = page
            .changes
            .into_iter()
            .map(|c| Record {
                entity: c.entity,
                key: c.key,
                data: c.data,
            })
            .collect();
        if !records.is_empty() || !page.more {
            self.store.apply_pulled(&records, last, !page.more).await?;
        }
        Ok(Some(last))
    }

    async fn last_seq(&self) -> SyncResult<i64> {
        Ok(self
            .store
            .sync_link()
            .await?
            .map(|l| l.last_seq)
            .unwrap_or(0))
    }

    /// Runs forever: the desk's background sync.
    pub async fn run(self: Arc<Self>) {
        let mut backoff = Duration::from_secs(1);
        loop {
            let linked = matches!(self.store.sync_link().await, Ok(Some(_)));
            if !linked || self.tokens.load().is_none() {
                self.publish(
                    if linked {
                        SyncState::SignedOut
                    } else {
                        SyncState::Standalone
                    },
                    None,
                )
                .await;
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                }
                continue;
            }
            self.publish(SyncState::Syncing, None).await;
            match self.sync_once().await {
                Ok(_) => {
                    backoff = Duration::from_secs(1);
                    self.set_offline_message(None);
                    self.publish(SyncState::Online, None).await;
                }
                Err(SyncError::SignedOut) => {
                    self.tokens.remove();
                    continue;
                }
                Err(e) => {
                    tracing::warn!("sync failed: {e}");
                    self.set_offline_message(Some(e.to_string()));
                    self.publish(SyncState::Offline, None).await;
                    tokio::select! {
                        _ = self.wake.notified() => {}
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    continue;
                }
            }
            self.idle().await;
        }
    }

    /// Waits for the next thing to do: a local write, a change on the
    /// server (long poll), or a nudge.
    async fn idle(&self) {
        let Ok(Some(link)) = self.store.sync_link().await else {
            return;
        };
        let Ok((client, token)) = self.session(&link.server_url) else {
            return;
        };
        let outbox = async {
            loop {
                tokio::time::sleep(OUTBOX_TICK).await;
                if self.store.outbox_len().await.unwrap_or(0) > 0 {
                    return;
                }
            }
        };
        tokio::select! {
            _ = self.wake.notified() => {}
            _ = outbox => {}
            page = client.changes(&token, link.last_seq, PULL_PAGE, LONG_POLL_SECS) => {
                match page {
                    Ok(page) if !page.changes.is_empty() => {
                        if let Err(e) = self.apply_page(page, link.last_seq).await {
                            tracing::warn!("applying pulled changes failed: {e}");
                        }
                    }
                    Ok(_) => {}
                    // The next round reports it.
                    Err(_) => {}
                }
            }
        }
    }

    fn set_offline_message(&self, message: Option<String>) {
        if let Ok(mut m) = self.offline_message.lock() {
            *m = message;
        }
    }
}
