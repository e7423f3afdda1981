//! The desk's documents: the encrypted vault in the data folder, opened on
//! first use (which makes the documents key), and the one lock that keeps
//! "store the file, then file the record" and "remove the record, then the
//! file" from crossing each other.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use multipms_documents::{KeySource, KeyStore, Vault, DOCUMENTS_DIR};
use multipms_sync::document_files::DocumentFiles;
use tokio::sync::{Mutex, OnceCell};

use crate::error::CommandError;

/// How long a decrypted copy opened in the system viewer is kept before it
/// is removed (the viewer has read it by then; most keep it open anyway).
pub const VIEWER_COPY_LIFETIME: Duration = Duration::from_secs(10 * 60);

pub struct DocumentShelf {
    data_dir: PathBuf,
    vault: OnceCell<Arc<Vault>>,
    /// Held across a vault write or removal and its database record.
    pub lock: Mutex<()>,
}

impl DocumentShelf {
    pub fn new(data_dir: &Path) -> DocumentShelf {
        DocumentShelf {
            data_dir: data_dir.to_path_buf(),
            vault: OnceCell::new(),
            lock: Mutex::new(()),
        }
    }

    /// The vault, opened (and its key made) the first time it is needed.
    pub async fn vault(&self) -> Result<Arc<Vault>, CommandError> {
        self.vault
            .get_or_try_init(|| async {
                let data_dir = self.data_dir.clone();
                tokio::task::spawn_blocking(move || open_vault(&data_dir))
                    .await
                    .map_err(|e| CommandError::Internal {
                        message: format!("The documents store could not be opened: {e}"),
                    })?
            })
            .await
            .cloned()
    }

    /// The vault, opened here and now if it is not yet: for the blocking
    /// pool (sync's document files).
    fn vault_now(&self) -> Result<Arc<Vault>, CommandError> {
        if let Some(vault) = self.vault.get() {
            return Ok(vault.clone());
        }
        let vault = open_vault(&self.data_dir)?;
        // Another caller may have opened it meanwhile: theirs is kept.
        let _ = self.vault.set(vault.clone());
        Ok(self.vault.get().cloned().unwrap_or(vault))
    }
}

/// The vault as sync sees it: the documents' files it uploads and the ones
/// it brings from the server.
pub struct SyncedFiles(pub Arc<DocumentShelf>);

impl DocumentFiles for SyncedFiles {
    fn read(&self, sha256: &str) -> Result<Option<Vec<u8>>, String> {
        let vault = self.0.vault_now().map_err(|e| format!("{e:?}"))?;
        if !vault.contains(sha256).map_err(|e| e.to_string())? {
            return Ok(None);
        }
        vault.get(sha256).map(Some).map_err(|e| e.to_string())
    }

    fn keep(&self, bytes: &[u8]) -> Result<(), String> {
        let vault = self.0.vault_now().map_err(|e| format!("{e:?}"))?;
        vault.put(bytes).map(|_| ()).map_err(|e| e.to_string())
    }
}

fn open_vault(data_dir: &Path) -> Result<Arc<Vault>, CommandError> {
    let unavailable = |e: multipms_documents::DocumentError| CommandError::Unavailable {
        message: format!("Documents cannot be kept on this desk: {e}"),
    };
    let keys = KeyStore::from_env(data_dir).map_err(unavailable)?;
    let (key, source) = keys.load_or_create().map_err(unavailable)?;
    match source {
        KeySource::Keyring => tracing::info!("the documents key is in the OS keyring"),
        KeySource::File(path) => {
            tracing::warn!(path = %path.display(), "the documents key is kept in a key file, not the OS keyring")
        }
    }
    let vault = Vault::open(&data_dir.join(DOCUMENTS_DIR), key).map_err(unavailable)?;
    Ok(Arc::new(vault))
}

/// Keeps a temporary copy alive for the viewer, then removes it (by
/// dropping it).
pub fn keep_for_viewer<T: Send + 'static>(copy: T) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(VIEWER_COPY_LIFETIME).await;
        drop(copy);
    });
}
