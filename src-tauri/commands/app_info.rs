use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: Option<String>,
    pub desk_id: Option<String>,
}

/// The app's version, its data folder and this desk's identity.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir().map(|d| d.display().to_string()),
        desk_id: state.store().ok().map(|s| s.desk_id().to_string()),
    })
}

/// Called by the UI once its first screen shows figures: milliseconds from
/// the process's start to then (the first call's figure, every time).
#[tauri::command]
pub fn startup_ready() -> u64 {
    crate::startup::ready().as_millis() as u64
}
