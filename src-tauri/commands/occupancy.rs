use multipms_domain::occupancy::OccupancyReport;
use multipms_store::occupancy::RoomOnDay;
use multipms_store::today;
use tauri::State;

use super::date_arg;
use crate::error::CommandError;
use crate::state::AppState;

fn day(on: Option<String>) -> Result<chrono::NaiveDate, CommandError> {
    match on.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => date_arg(text, "on"),
        _ => Ok(today()),
    }
}

/// Occupancy per property and overall on `on` (default today).
#[tauri::command]
pub async fn occupancy(
    state: State<'_, AppState>,
    on: Option<String>,
) -> Result<OccupancyReport, CommandError> {
    Ok(state.store()?.occupancy(day(on)?).await?)
}

/// The bed map of a property on `on` (default today).
#[tauri::command]
pub async fn bed_board(
    state: State<'_, AppState>,
    property_id: String,
    on: Option<String>,
) -> Result<Vec<RoomOnDay>, CommandError> {
    Ok(state.store()?.bed_board(&property_id, day(on)?).await?)
}
