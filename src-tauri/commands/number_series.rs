//! The invoice series of a property and the receipt series, as Settings
//! shows them, and setting this desk's prefix for the numbers to come.

use multipms_store::number_series::NumberSeries;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn invoice_series(
    state: State<'_, AppState>,
    property_id: String,
) -> Result<Vec<NumberSeries>, CommandError> {
    Ok(state.store()?.invoice_series(&property_id).await?)
}

#[tauri::command]
pub async fn set_invoice_series_prefix(
    state: State<'_, AppState>,
    property_id: String,
    prefix: String,
) -> Result<NumberSeries, CommandError> {
    Ok(state
        .store()?
        .set_invoice_series_prefix(&state.actor(), &property_id, &prefix)
        .await?)
}

#[tauri::command]
pub async fn receipt_series(state: State<'_, AppState>) -> Result<Vec<NumberSeries>, CommandError> {
    Ok(state.store()?.receipt_series().await?)
}

#[tauri::command]
pub async fn set_receipt_series_prefix(
    state: State<'_, AppState>,
    prefix: String,
) -> Result<NumberSeries, CommandError> {
    Ok(state
        .store()?
        .set_receipt_series_prefix(&state.actor(), &prefix)
        .await?)
}
