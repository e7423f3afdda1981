//! A tenant's documents: added by dropping files on the window or picking
//! them, listed with thumbnails, opened in the system viewer, saved
//! elsewhere, and removed. The webview never touches the file system:
//! it passes paths (from a drop or the open dialog) and ids, and these
//! commands check every file.

use std::path::PathBuf;

use multipms_documents::{
    check_file, export_to_private_temp, read_candidate, thumbnail, DocumentKind, FileType,
};
use multipms_domain::DomainError;
use multipms_store::document::{DocumentRecord, NewDocument};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::document_shelf::keep_for_viewer;
use crate::error::CommandError;
use crate::save_dialog::{self, FileKind, PickSpec};
use crate::state::AppState;

/// A file of a drop that was not taken, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RefusedDocument {
    pub name: String,
    pub reason: String,
}

/// What adding a batch of files did: each one is taken or refused on its
/// own, so one bad file does not keep the others out.
#[derive(Debug, Clone, Serialize)]
pub struct AddedDocuments {
    pub added: Vec<DocumentRecord>,
    pub refused: Vec<RefusedDocument>,
}

/// A document as the list shows it, with a PNG thumbnail as a data URL
/// when one can be drawn.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    #[serde(flatten)]
    pub record: DocumentRecord,
    pub kind_label: String,
    pub thumbnail: Option<String>,
}

fn kind_arg(kind: &str) -> Result<DocumentKind, CommandError> {
    DocumentKind::parse(kind).ok_or_else(|| CommandError::Invalid {
        field: "kind".into(),
        message: "Choose what kind of document this is".into(),
    })
}

fn document_failed(e: multipms_documents::DocumentError) -> CommandError {
    CommandError::Internal {
        message: e.to_string(),
    }
}

/// Refuses, in words, a document whose file has not reached this desk yet
/// (added at another desk; sync brings it).
fn require_file_here(
    vault: &multipms_documents::Vault,
    sha256: &str,
    name: &str,
) -> Result<(), CommandError> {
    if vault.contains(sha256).map_err(document_failed)? {
        Ok(())
    } else {
        Err(CommandError::Unavailable {
            message: format!(
                "The file of {name} was added at another desk and has not reached this one yet; it arrives with the next sync with the server"
            ),
        })
    }
}

async fn add_paths(
    state: &AppState,
    tenant_id: &str,
    contract_id: Option<String>,
    kind: DocumentKind,
    paths: Vec<PathBuf>,
) -> Result<AddedDocuments, CommandError> {
    let store = state.store()?;
    // The tenant (and contract) are checked before any file is read.
    store.tenant(tenant_id).await?;
    let shelf = state.documents()?;
    let vault = shelf.vault().await?;
    let mut added = Vec::new();
    let mut refused = Vec::new();
    for path in paths {
        let read = tokio::task::spawn_blocking(move || read_candidate(&path)).await;
        let (name, bytes) = match read {
            Ok(Ok(file)) => file,
            Ok(Err(refusal)) => {
                refused.push(RefusedDocument {
                    name: refusal.file_name().to_string(),
                    reason: refusal.to_string(),
                });
                continue;
            }
            Err(e) => {
                return Err(CommandError::Internal {
                    message: e.to_string(),
                })
            }
        };
        let file_type = match check_file(&name, &bytes) {
            Ok(t) => t,
            Err(refusal) => {
                refused.push(RefusedDocument {
                    name,
                    reason: refusal.to_string(),
                });
                continue;
            }
        };
        let _held = shelf.lock.lock().await;
        let blob = {
            let vault = vault.clone();
            tokio::task::spawn_blocking(move || vault.put(&bytes))
                .await
                .map_err(|e| CommandError::Internal {
                    message: e.to_string(),
                })?
                .map_err(document_failed)?
        };
        let record = store
            .add_document(
                &state.actor(),
                &NewDocument {
                    tenant_id: tenant_id.to_string(),
                    contract_id: contract_id.clone(),
                    kind: kind.code().to_string(),
                    original_name: name,
                    file_type: file_type.code().to_string(),
                    size_bytes: blob.size,
                    sha256: blob.sha256,
                },
            )
            .await?;
        added.push(record);
    }
    Ok(AddedDocuments { added, refused })
}

/// Adds files dropped on the window (their paths, as the drop event gives
/// them) to a tenant.
#[tauri::command]
pub async fn add_documents(
    state: State<'_, AppState>,
    tenant_id: String,
    contract_id: Option<String>,
    kind: String,
    paths: Vec<String>,
) -> Result<AddedDocuments, CommandError> {
    let kind = kind_arg(&kind)?;
    if paths.is_empty() {
        return Err(DomainError::invalid("paths", "Drop or choose at least one file").into());
    }
    let paths = paths.into_iter().map(PathBuf::from).collect();
    add_paths(&state, &tenant_id, contract_id, kind, paths).await
}

/// Asks for files with the system's open dialog, then adds them. An empty
/// result when the user cancels.
#[tauri::command]
pub async fn pick_documents<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    tenant_id: String,
    contract_id: Option<String>,
    kind: String,
) -> Result<AddedDocuments, CommandError> {
    let kind = kind_arg(&kind)?;
    let paths = save_dialog::pick_files(&app, &DOCUMENT_FILES).await?;
    if paths.is_empty() {
        return Ok(AddedDocuments {
            added: Vec::new(),
            refused: Vec::new(),
        });
    }
    add_paths(&state, &tenant_id, contract_id, kind, paths).await
}

const DOCUMENT_FILES: PickSpec = PickSpec {
    title: "Add documents",
    label: "PDF or image",
    extensions: &["pdf", "jpg", "jpeg", "png", "webp"],
};

/// A tenant's documents, newest first, with thumbnails.
#[tauri::command]
pub async fn tenant_documents(
    state: State<'_, AppState>,
    tenant_id: String,
) -> Result<Vec<DocumentView>, CommandError> {
    let records = state.store()?.tenant_documents(&tenant_id).await?;
    let vault = state.documents()?.vault().await?;
    tokio::task::spawn_blocking(move || {
        records
            .into_iter()
            .map(|record| {
                let kind_label = DocumentKind::parse(&record.kind)
                    .map(|k| k.label().to_string())
                    .unwrap_or_else(|| record.kind.clone());
                // A preview that cannot be drawn (or a file that fails its
                // check) shows as an icon; opening it says what is wrong.
                let thumbnail = FileType::parse(&record.file_type)
                    .and_then(|t| vault.get(&record.sha256).ok().map(|bytes| (t, bytes)))
                    .and_then(|(t, bytes)| thumbnail(t, &bytes).ok().flatten())
                    .map(|png| format!("data:image/png;base64,{}", base64_encode(&png)));
                DocumentView {
                    record,
                    kind_label,
                    thumbnail,
                }
            })
            .collect()
    })
    .await
    .map_err(|e| CommandError::Internal {
        message: e.to_string(),
    })
}

/// Opens a document in the system's viewer, from a private decrypted copy
/// that is removed a while later.
#[tauri::command]
pub async fn open_document(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let record = state.store()?.document(&id).await?;
    let vault = state.documents()?.vault().await?;
    let copy = tokio::task::spawn_blocking(move || {
        require_file_here(&vault, &record.sha256, &record.original_name)?;
        export_to_private_temp(&vault, &record.sha256, &record.original_name)
            .map_err(document_failed)
    })
    .await
    .map_err(|e| CommandError::Internal {
        message: e.to_string(),
    })??;
    open::that_detached(copy.path()).map_err(|e| CommandError::Internal {
        message: format!("No program to open it was found: {e}"),
    })?;
    keep_for_viewer(copy);
    Ok(())
}

/// Saves a decrypted copy of a document where the user chooses. `None`
/// when they cancel.
#[tauri::command]
pub async fn save_document_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, CommandError> {
    let record = state.store()?.document(&id).await?;
    let vault = state.documents()?.vault().await?;
    let file_type = FileType::parse(&record.file_type).unwrap_or(FileType::Pdf);
    let kind = FileKind {
        label: file_type.label(),
        extension: file_type.extension(),
    };
    let Some(target) = save_dialog::choose(&app, &record.original_name, &kind).await? else {
        return Ok(None);
    };
    let sha = record.sha256.clone();
    let name = record.original_name.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        require_file_here(&vault, &sha, &name)?;
        vault.get(&sha).map_err(document_failed)
    })
    .await
    .map_err(|e| CommandError::Internal {
        message: e.to_string(),
    })??;
    Ok(Some(
        save_dialog::write_whole(&target, &bytes)?
            .display()
            .to_string(),
    ))
}

/// Removes a document from the tenant; its file goes when no other
/// document uses it.
#[tauri::command]
pub async fn remove_document(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let store = state.store()?;
    let shelf = state.documents()?;
    let vault = shelf.vault().await?;
    let _held = shelf.lock.lock().await;
    let removed = store.remove_document(&state.actor(), &id).await?;
    if !removed.still_referenced {
        if let Err(e) = vault.remove(&removed.sha256) {
            // The record is gone; a file left behind is only wasted space.
            tracing::warn!(error = %e, "a removed document's file could not be deleted");
        }
    }
    Ok(())
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
