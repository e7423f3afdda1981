use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: Option<String>,
    pub desk_id: Option<String>,
    /// The person using this desk, as the audit log names them.
    pub operator: String,
}

/// The app's version, its data folder and this desk's identity.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    let _ = crate::startup::first_call();
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir().map(|d| d.display().to_string()),
        desk_id: state.store().ok().map(|s| s.desk_id().to_string()),
        operator: state.actor(),
    })
}

/// How long startup took, in milliseconds from the process's start.
#[derive(Debug, Serialize)]
pub struct Startup {
    /// To the store being open (setup done; the window is made after).
    pub store_open_ms: Option<u64>,
    /// To the UI's first call: WebKit started and the page loaded.
    pub first_call_ms: u64,
    /// To the first screen showing figures.
    pub ready_ms: u64,
}

/// Called by the UI once its first screen shows figures (the first call's
/// figures, every time).
#[tauri::command]
pub fn startup_ready() -> Startup {
    Startup {
        store_open_ms: crate::startup::store_open_after().map(|d| d.as_millis() as u64),
        ready_ms: crate::startup::ready().as_millis() as u64,
        first_call_ms: crate::startup::first_call().as_millis() as u64,
    }
}
