//! A property's late-fee rule: flat or a percent of what is overdue, after
//! some days of grace, switched on or off.

use multipms_domain::billing::late_fee::LateFeeInput;
use multipms_store::late_fee::LateFeeSetting;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn late_fee_rule(
    state: State<'_, AppState>,
    property_id: String,
) -> Result<LateFeeSetting, CommandError> {
    Ok(state.store()?.late_fee_rule(&property_id).await?)
}

#[tauri::command]
pub async fn set_late_fee_rule(
    state: State<'_, AppState>,
    property_id: String,
    input: LateFeeInput,
) -> Result<LateFeeSetting, CommandError> {
    Ok(state
        .store()?
        .set_late_fee_rule(&state.actor(), &property_id, &input)
        .await?)
}
