//! Where a file the user saves goes: the system's native save dialog
//! (through tauri-plugin-dialog, which drives rfd), or — when
//! `MULTIPMS_SAVE_DIR` is set, as the end-to-end tests and scripted runs
//! do — that folder under the suggested name, since no one can click a
//! native dialog there.
//!
//! The file is written to a temporary file beside the target and renamed
//! into place when complete, so a failed or cancelled save leaves nothing
//! half-written behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;

/// The environment variable that replaces the dialog with a folder.
pub const SAVE_DIR_VARIABLE: &str = "MULTIPMS_SAVE_DIR";

/// A kind of file offered in the dialog's type filter.
pub struct FileKind {
    pub label: &'static str,
    pub extension: &'static str,
}

pub const CSV: FileKind = FileKind {
    label: "CSV spreadsheet",
    extension: "csv",
};

pub const PDF: FileKind = FileKind {
    label: "PDF document",
    extension: "pdf",
};

/// Asks for a folder to save many files in; `None` when the user cancels.
/// With `MULTIPMS_SAVE_DIR` set, a new folder `suggested_name` inside it.
pub async fn choose_folder<R: Runtime>(
    app: &AppHandle<R>,
    suggested_name: &str,
) -> Result<Option<PathBuf>, CommandError> {
    let folder = if let Some(dir) = std::env::var_os(SAVE_DIR_VARIABLE) {
        PathBuf::from(dir).join(suggested_name)
    } else {
        let (tx, rx) = tokio::sync::oneshot::channel();
        app.dialog()
            .file()
            .set_title("Save the invoices in")
            .pick_folder(move |chosen| {
                let _ = tx.send(chosen);
            });
        let chosen = rx.await.map_err(|_| CommandError::Internal {
            message: "The folder dialog closed unexpectedly; nothing was saved".into(),
        })?;
        match chosen {
            None => return Ok(None),
            Some(path) => path.into_path().map_err(|e| CommandError::Invalid {
                field: "path".into(),
                message: format!("That folder cannot be saved to: {e}"),
            })?,
        }
    };
    std::fs::create_dir_all(&folder).map_err(|e| CommandError::Invalid {
        field: "path".into(),
        message: format!("{} cannot be written: {e}", folder.display()),
    })?;
    Ok(Some(folder))
}

/// Asks where to save `suggested_name`; `None` when the user cancels.
pub async fn choose<R: Runtime>(
    app: &AppHandle<R>,
    suggested_name: &str,
    kind: &FileKind,
) -> Result<Option<PathBuf>, CommandError> {
    if let Some(dir) = std::env::var_os(SAVE_DIR_VARIABLE) {
        return Ok(Some(PathBuf::from(dir).join(suggested_name)));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Save as")
        .set_file_name(suggested_name)
        .add_filter(kind.label, &[kind.extension])
        .save_file(move |chosen| {
            let _ = tx.send(chosen);
        });
    let chosen = rx.await.map_err(|_| CommandError::Internal {
        message: "The save dialog closed unexpectedly; nothing was saved".into(),
    })?;
    match chosen {
        None => Ok(None),
        Some(path) => path
            .into_path()
            .map(Some)
            .map_err(|e| CommandError::Invalid {
                field: "path".into(),
                message: format!("That location cannot be saved to: {e}"),
            }),
    }
}

/// The environment variable that replaces the open dialog: a list of files
/// (separated as in PATH), or a folder whose files are all picked.
pub const PICK_FILES_VARIABLE: &str = "MULTIPMS_PICK_FILES";

/// What an open dialog asks for: its title, and the files it offers.
pub struct PickSpec {
    pub title: &'static str,
    pub label: &'static str,
    pub extensions: &'static [&'static str],
}

/// Asks for one or more files to open; empty when the user cancels.
pub async fn pick_files<R: Runtime>(
    app: &AppHandle<R>,
    spec: &PickSpec,
) -> Result<Vec<PathBuf>, CommandError> {
    if let Some(list) = std::env::var_os(PICK_FILES_VARIABLE) {
        let mut picked = Vec::new();
        for path in std::env::split_paths(&list) {
            match std::fs::read_dir(&path) {
                Ok(entries) => {
                    let mut files: Vec<PathBuf> =
                        entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    files.sort();
                    picked.extend(files);
                }
                Err(_) => picked.push(path),
            }
        }
        return Ok(picked);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(spec.title)
        .add_filter(spec.label, spec.extensions)
        .add_filter("All files", &["*"])
        .pick_files(move |chosen| {
            let _ = tx.send(chosen);
        });
    let chosen = rx.await.map_err(|_| CommandError::Internal {
        message: "The open dialog closed unexpectedly".into(),
    })?;
    Ok(chosen
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect())
}

/// Writes `bytes` to `target` whole or not at all (see [`PendingFile`]).
pub fn write_whole(target: &Path, bytes: &[u8]) -> Result<PathBuf, CommandError> {
    let pending = PendingFile::create(target)?;
    pending
        .file()?
        .write_all(bytes)
        .map_err(|e| CommandError::Internal {
            message: format!("The file could not be written: {e}"),
        })?;
    pending.keep()
}

/// A file being written in the target's folder, which becomes the target
/// only when [`PendingFile::keep`] is called.
pub struct PendingFile {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl PendingFile {
    pub fn create(target: &Path) -> Result<PendingFile, CommandError> {
        let folder = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = tempfile::Builder::new()
            .prefix(".multipms-")
            .suffix(".part")
            .tempfile_in(folder)
            .map_err(|e| CommandError::Invalid {
                field: "path".into(),
                message: format!("{} cannot be written: {e}", folder.display()),
            })?;
        Ok(PendingFile {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// The open file to write into.
    pub fn file(&self) -> Result<std::fs::File, CommandError> {
        self.temp
            .as_file()
            .try_clone()
            .map_err(|e| CommandError::Internal {
                message: format!("The file could not be written: {e}"),
            })
    }

    /// Flushes the file to disk and moves it into place.
    pub fn keep(self) -> Result<PathBuf, CommandError> {
        let failed = |e: std::io::Error| CommandError::Internal {
            message: format!("The file could not be saved: {e}"),
        };
        let mut file = self.temp.as_file();
        file.flush().map_err(failed)?;
        file.sync_all().map_err(failed)?;
        self.temp
            .persist(&self.target)
            .map_err(|e| failed(e.error))?;
        Ok(self.target)
    }
}
