//! What every command shares: the open store, or why it could not be opened.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use multipms_store::Store;
use multipms_sync::SyncEngine;

use crate::document_shelf::{DocumentShelf, SyncedFiles};

use crate::error::CommandError;

/// The desk's state. When the store cannot be opened the app still starts and
/// every command answers with the reason, which the UI shows in full.
pub struct AppState {
    store: Result<Store, String>,
    data_dir: Option<PathBuf>,
    /// Set to stop the export that is running.
    export_cancel: Arc<AtomicBool>,
    documents: Option<Arc<DocumentShelf>>,
    /// The background sync with the organisation's server.
    sync: Option<Arc<SyncEngine>>,
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
                let documents = Arc::new(DocumentShelf::new(&dir));
                let sync = store.as_ref().ok().map(|store| {
                    let engine = SyncEngine::new(store.clone());
                    engine.set_document_files(Arc::new(SyncedFiles(documents.clone())));
                    tauri::async_runtime::spawn(engine.clone().run());
                    engine
                });
                AppState {
                    sync,
                    store: store.map_err(|e| e.to_string()),
                    documents: Some(documents),
                    data_dir: Some(dir),
                    export_cancel: Arc::default(),
                }
            }
            Err(reason) => AppState {
                store: Err(reason),
                data_dir: None,
                export_cancel: Arc::default(),
                documents: None,
                sync: None,
            },
        }
    }

    /// Who is acting, for the audit log: the person named in Settings as
    /// using this desk (sign-in arrives with sync).
    pub fn actor(&self) -> String {
        self.store
            .as_ref()
            .map(Store::operator)
            .unwrap_or_else(|_| multipms_store::operator::DEFAULT_OPERATOR.to_string())
    }

    pub fn store(&self) -> Result<&Store, CommandError> {
        self.store
            .as_ref()
            .map_err(|reason| CommandError::Unavailable {
                message: format!("MultiPMS cannot open its data: {reason}"),
            })
    }

    /// The desk's sync.
    pub fn sync(&self) -> Result<&Arc<SyncEngine>, CommandError> {
        self.store()?;
        self.sync.as_ref().ok_or_else(|| CommandError::Unavailable {
            message: "MultiPMS cannot sync: its data could not be opened".into(),
        })
    }

    /// The desk's documents, when it has a data folder.
    pub fn documents(&self) -> Result<&DocumentShelf, CommandError> {
        self.documents
            .as_deref()
            .ok_or_else(|| CommandError::Unavailable {
                message: "MultiPMS cannot keep documents: it has no data folder".into(),
            })
    }

    pub fn export_cancel(&self) -> Arc<AtomicBool> {
        self.export_cancel.clone()
    }

    pub fn data_dir(&self) -> Option<&PathBuf> {
        self.data_dir.as_ref()
    }
}
