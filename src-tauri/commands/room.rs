use multipms_domain::bed::BedInput;
use multipms_domain::room::RoomInput;
use multipms_store::room::{Bed, Room, RoomWithBeds};
use tauri::State;

use super::date_arg;
use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn list_rooms(
    state: State<'_, AppState>,
    property_id: String,
) -> Result<Vec<RoomWithBeds>, CommandError> {
    Ok(state.store()?.rooms(&property_id).await?)
}

#[tauri::command]
pub async fn create_room(
    state: State<'_, AppState>,
    property_id: String,
    input: RoomInput,
) -> Result<RoomWithBeds, CommandError> {
    Ok(state
        .store()?
        .create_room(&state.actor(), &property_id, &input)
        .await?)
}

#[tauri::command]
pub async fn update_room(
    state: State<'_, AppState>,
    room_id: String,
    input: RoomInput,
) -> Result<Room, CommandError> {
    Ok(state
        .store()?
        .update_room(&state.actor(), &room_id, &input)
        .await?)
}

#[tauri::command]
pub async fn retire_room(
    state: State<'_, AppState>,
    room_id: String,
    on: String,
) -> Result<(), CommandError> {
    let on = date_arg(&on, "on")?;
    Ok(state
        .store()?
        .retire_room(&state.actor(), &room_id, on)
        .await?)
}

#[tauri::command]
pub async fn add_bed(
    state: State<'_, AppState>,
    room_id: String,
    input: BedInput,
) -> Result<Bed, CommandError> {
    Ok(state
        .store()?
        .add_bed(&state.actor(), &room_id, &input)
        .await?)
}

#[tauri::command]
pub async fn rename_bed(
    state: State<'_, AppState>,
    bed_id: String,
    input: BedInput,
) -> Result<Bed, CommandError> {
    Ok(state
        .store()?
        .rename_bed(&state.actor(), &bed_id, &input)
        .await?)
}

#[tauri::command]
pub async fn retire_bed(
    state: State<'_, AppState>,
    bed_id: String,
    on: String,
) -> Result<Bed, CommandError> {
    let on = date_arg(&on, "on")?;
    Ok(state
        .store()?
        .retire_bed(&state.actor(), &bed_id, on)
        .await?)
}
