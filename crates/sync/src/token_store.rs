//! The session token: in the OS keyring (Keychain, Credential Manager,
//! Secret Service), never in a file or the database. Where the machine has
//! no keyring (a bare Linux without a Secret Service), the token is kept in
//! memory only: the desk stays signed in until the app closes, and says so.

use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// The keyring service the token is kept under.
pub const KEYRING_SERVICE: &str = "in.multipms.desk";
/// `memory` keeps the token in memory only, `keyring` insists on the
/// keyring; unset or `auto` tries the keyring and falls back to memory.
pub const TOKEN_STORE_ENV: &str = "MULTIPMS_TOKEN_STORE";
/// How long the keyring may take to answer before it counts as missing.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the token of one desk is kept.
#[derive(Clone)]
pub struct TokenStore {
    /// The keyring entry's user: one per desk, so two data folders on one
    /// machine keep two sessions.
    account: String,
    use_keyring: bool,
    memory: Arc<Mutex<Option<String>>>,
}

/// Where a token went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPlace {
    Keyring,
    /// No keyring on this machine: until the app closes.
    Memory,
}

impl TokenStore {
    /// The token store of the desk `desk_id`, as `MULTIPMS_TOKEN_STORE`
    /// asks.
    pub fn for_desk(desk_id: &str) -> TokenStore {
        let choice = std::env::var(TOKEN_STORE_ENV).unwrap_or_default();
        TokenStore {
            account: format!("sync-session:{desk_id}"),
            use_keyring: choice != "memory",
            memory: Arc::new(Mutex::new(None)),
        }
    }

    /// A store that keeps the token in memory only (tests, and desks told
    /// so by `MULTIPMS_TOKEN_STORE=memory`).
    pub fn in_memory(desk_id: &str) -> TokenStore {
        TokenStore {
            account: format!("sync-session:{desk_id}"),
            use_keyring: false,
            memory: Arc::new(Mutex::new(None)),
        }
    }

    /// Keeps the token, in the keyring when there is one.
    pub fn save(&self, token: &str) -> TokenPlace {
        self.set_memory(None);
        if self.use_keyring {
            let account = self.account.clone();
            let token = token.to_string();
            let saved = with_timeout(move || {
                keyring::Entry::new(KEYRING_SERVICE, &account)
                    .and_then(|entry| entry.set_password(&token))
            });
            match saved {
                Some(Ok(())) => return TokenPlace::Keyring,
                Some(Err(e)) => tracing::warn!("the keyring refused the session token: {e}"),
                None => tracing::warn!("the keyring did not answer"),
            }
        }
        self.set_memory(Some(token.to_string()));
        TokenPlace::Memory
    }

    /// The token, if the desk is signed in.
    pub fn load(&self) -> Option<String> {
        if let Some(token) = self.memory.lock().ok().and_then(|m| m.clone()) {
            return Some(token);
        }
        if !self.use_keyring {
            return None;
        }
        let account = self.account.clone();
        match with_timeout(move || {
            keyring::Entry::new(KEYRING_SERVICE, &account).and_then(|entry| entry.get_password())
        }) {
            Some(Ok(token)) => Some(token),
            _ => None,
        }
    }

    /// Forgets the token, in memory and in the keyring.
    pub fn remove(&self) {
        self.set_memory(None);
        if self.use_keyring {
            let account = self.account.clone();
            let _ = with_timeout(move || {
                keyring::Entry::new(KEYRING_SERVICE, &account)
                    .and_then(|entry| entry.delete_credential())
            });
        }
    }

    fn set_memory(&self, token: Option<String>) {
        if let Ok(mut memory) = self.memory.lock() {
            *memory = token;
        }
    }
}

/// Runs a keyring call on its own thread and waits at most
/// [`KEYRING_TIMEOUT`]: a Secret Service that is missing can hang on D-Bus.
fn with_timeout<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(call());
    });
    receive.recv_timeout(KEYRING_TIMEOUT).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_keeps_and_forgets_the_token() {
        let store = TokenStore {
            account: "sync-session:test".into(),
            use_keyring: false,
            memory: Arc::new(Mutex::new(None)),
        };
        assert_eq!(store.load(), None);
        assert_eq!(store.save("secret"), TokenPlace::Memory);
        assert_eq!(store.load().as_deref(), Some("secret"));
        store.remove();
        assert_eq!(store.load(), None);
    }
}
