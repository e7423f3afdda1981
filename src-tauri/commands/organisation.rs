use multipms_store::organisation::Organisation;
use tauri::State;

use super::DESK_ACTOR;
use crate::error::CommandError;
use crate::state::AppState;

/// The business this desk works for; `null` before the first run is done.
#[tauri::command]
pub async fn get_organisation(
    state: State<'_, AppState>,
) -> Result<Option<Organisation>, CommandError> {
    Ok(state.store()?.organisation().await?)
}

/// Names (or renames) the business.
#[tauri::command]
pub async fn save_organisation_name(
    state: State<'_, AppState>,
    name: String,
) -> Result<Organisation, CommandError> {
    Ok(state
        .store()?
        .save_organisation_name(DESK_ACTOR, &name)
        .await?)
}
