//! What every command shares: the open store, or why it could not be opened.

use std::path::PathBuf;

use multipms_store::Store;

use crate::error::CommandError;

/// The desk's state. When the store cannot be opened the app still starts and
/// every command answers with the reason, which the UI shows in full.
pub struct AppState {
    store: Result<Store, String>,
    data_dir: Option<PathBuf>,
}

impl AppState {
    pub fn open(data_dir: Result<PathBuf, String>) -> AppState {
        match data_dir {
            Ok(dir) => {
                let store = tauri::async_runtime::block_on(Store::open(&dir));
                if let Err(error) = &store {
                    tracing::error!(%error, dir = %dir.display(), "the local database could not be opened");
                } else {
                    tracing::info!(dir = %dir.display(), "local database opened");
                }
                AppState {
                    store: store.map_err(|e| e.to_string()),
                    data_dir: Some(dir),
                }
            }
            Err(reason) => AppState {
                store: Err(reason),
                data_dir: None,
            },
        }
    }

    pub fn store(&self) -> Result<&Store, CommandError> {
        self.store
            .as_ref()
            .map_err(|reason| CommandError::Unavailable {
                message: format!("MultiPMS cannot open its data: {reason}"),
            })
    }

    pub fn data_dir(&self) -> Option<&PathBuf> {
        self.data_dir.as_ref()
    }
}
