//! The files of the desk's documents, as sync moves them: after each round,
//! a document whose file this desk has and the server may not is uploaded,
//! and one whose file this desk lacks is downloaded once another desk has
//! uploaded it. Each file is done once (`store::document_file_sync`); a
//! file not on the server yet is asked for again next round.
//!
//! The engine knows nothing of the vault: the app hands it a
//! [`DocumentFiles`] (the encrypted vault of `multipms-documents`); tests
//! hand it a map.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::client::Client;
use crate::error::{SyncError, SyncResult};
use multipms_store::Store;

/// Where this desk keeps its documents' files. Calls may block (disk,
/// keyring): the engine makes them on the blocking pool.
pub trait DocumentFiles: Send + Sync + 'static {
    /// The file of `sha256` if this desk has it.
    fn read(&self, sha256: &str) -> Result<Option<Vec<u8>>, String>;
    /// Keeps `bytes`, whose SHA-256 has been checked.
    fn keep(&self, bytes: &[u8]) -> Result<(), String>;
}

/// Files looked at per round, so one round never waits long on files.
const FILES_PER_ROUND: i64 = 50;

/// What one round did with files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FilesMoved {
    pub uploaded: usize,
    pub downloaded: usize,
    /// Files not on the server yet (asked again next round).
    pub waiting: usize,
}

/// Moves the files of this round's documents (see the module's notes).
pub async fn move_files(
    store: &Store,
    client: &Client,
    token: &str,
    files: &Arc<dyn DocumentFiles>,
) -> SyncResult<FilesMoved> {
    let mut moved = FilesMoved::default();
    for sha256 in store.document_files_to_sync(FILES_PER_ROUND).await? {
        let here = {
            let files = files.clone();
            let sha = sha256.clone();
            blocking(move || files.read(&sha)).await?
        };
        match here {
            Some(bytes) => match client.upload_file(token, &sha256, bytes).await {
                Ok(()) => moved.uploaded += 1,
                // This user may not add documents (an accountant's desk
                // holding pulled ones): the server has them from the desk
                // that added them.
                Err(SyncError::Server { status: 403, .. }) => {}
                Err(e) => return Err(e),
            },
            None => match client.download_file(token, &sha256).await? {
                Some(bytes) => {
                    if hex::encode(Sha256::digest(&bytes)) != sha256 {
                        moved.waiting += 1;
                        tracing::warn!(%sha256, "a downloaded document file did not match its SHA-256; asked again next round");
                        continue;
                    }
                    let files = files.clone();
                    blocking(move || files.keep(&bytes)).await?;
                    moved.downloaded += 1;
                }
                None => {
                    moved.waiting += 1;
                    continue;
                }
            },
        }
        store.document_file_synced(&sha256).await?;
    }
    Ok(moved)
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> SyncResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| SyncError::invalid("documents", format!("Document files: {e}")))?
        .map_err(|e| SyncError::invalid("documents", format!("Document files: {e}")))
}
