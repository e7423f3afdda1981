use multipms_domain::property::PropertyInput;
use multipms_store::property::Property;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_properties(state: State<'_, AppState>) -> Result<Vec<Property>, CommandError> {
    Ok(state.store()?.properties().await?)
}

/// Adds a property, or edits the one named by `id`.
#[tauri::command]
pub async fn save_property(
    state: State<'_, AppState>,
    id: Option<String>,
    input: PropertyInput,
) -> Result<Property, CommandError> {
    Ok(state
        .store()?
        .save_property(&state.actor(), id.as_deref(), &input)
        .await?)
}

/// Fills an empty desk with a sample PG business to explore.
#[tauri::command]
pub async fn load_sample_data(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.store()?.load_sample_portfolio(&state.actor()).await?)
}
