//! Where the desk keeps its data: the database, and later its documents.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "MULTIPMS_DATA_DIR";

/// The data folder: `MULTIPMS_DATA_DIR` when set, else the OS app-data folder for our identifier
/// (Linux `~/.local/share/in.multipms.desk`, macOS
/// `~/Library/Application Support/in.multipms.desk`, Windows
/// `%APPDATA%\in.multipms.desk`).
pub fn choose<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    app.path()
        .app_data_dir()
        .map_err(|e| format!("the OS app-data folder is not known: {e}"))
}
