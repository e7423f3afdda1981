use multipms_store::dashboard::{Dashboard, DuesSummary};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// The dashboard as of today, for one property or (`null`) all of them.
#[tauri::command]
pub async fn dashboard(
    state: State<'_, AppState>,
    property_id: Option<String>,
) -> Result<Dashboard, CommandError> {
    let today = chrono::Local::now().date_naive();
    Ok(state
        .store()?
        .dashboard(property_id.as_deref().filter(|p| !p.is_empty()), today)
        .await?)
}

/// The dashboard's dues with ageing, asked after its other figures so they
/// show first.
#[tauri::command]
pub async fn dashboard_dues(
    state: State<'_, AppState>,
    property_id: Option<String>,
) -> Result<DuesSummary, CommandError> {
    let today = chrono::Local::now().date_naive();
    Ok(state
        .store()?
        .dues_summary(property_id.as_deref().filter(|p| !p.is_empty()), today)
        .await?)
}
