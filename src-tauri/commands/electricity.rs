//! Room meter readings, billed by units and split among a room's occupants
//! by the nights they stayed.

use multipms_domain::billing::BillingMonth;
use multipms_store::meter_reading::{MeterReadingInput, RoomMeterReading};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// The readings of a property's rooms for a billing month.
#[tauri::command]
pub async fn meter_readings(
    state: State<'_, AppState>,
    property_id: String,
    month: String,
) -> Result<Vec<RoomMeterReading>, CommandError> {
    let month = BillingMonth::parse(&month, "month")?;
    Ok(state
        .store()?
        .meter_readings_for_month(&property_id, month)
        .await?)
}

#[tauri::command]
pub async fn record_meter_reading(
    state: State<'_, AppState>,
    room_id: String,
    input: MeterReadingInput,
) -> Result<RoomMeterReading, CommandError> {
    Ok(state
        .store()?
        .record_meter_reading(&state.actor(), &room_id, &input)
        .await?)
}
