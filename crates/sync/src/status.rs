//! What the desk shows about sync at all times.

use serde::Serialize;

use crate::token_store::TokenPlace;

/// Where sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// The desk works on its own; it has never signed in to a server.
    Standalone,
    /// Linked to an organisation, but nobody is signed in on this desk.
    SignedOut,
    /// Pushing or pulling now.
    Syncing,
    /// Everything sent and received; listening for changes.
    Online,
    /// The server cannot be reached; changes wait in the outbox.
    Offline,
}

/// How far a long push or pull is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// `upload` or `download`.
    pub phase: &'static str,
    pub done: i64,
    pub total: i64,
}

/// The sync status bar's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncStatus {
    pub state: SyncState,
    pub server_url: Option<String>,
    pub org_name: Option<String>,
    pub user_email: Option<String>,
    pub user_role: Option<String>,
    /// Local changes waiting to be pushed (rows).
    pub pending: i64,
    pub progress: Option<Progress>,
    /// When a push and pull last finished (RFC 3339).
    pub last_synced_at: Option<String>,
    /// Refused operations the user has not read yet.
    pub conflicts: i64,
    /// Why the desk is offline, in words.
    pub message: Option<String>,
    /// Where the session token is kept, once signed in.
    pub token_place: Option<TokenPlace>,
}

impl SyncStatus {
    pub fn standalone() -> SyncStatus {
        SyncStatus {
            state: SyncState::Standalone,
            server_url: None,
            org_name: None,
            user_email: None,
            user_role: None,
            pending: 0,
            progress: None,
            last_synced_at: None,
            conflicts: 0,
            message: None,
            token_place: None,
        }
    }
}
