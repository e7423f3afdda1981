use multipms_domain::allocation::AllocationInput;
use multipms_domain::contract::ContractInput;
use multipms_store::allocation::Allocation;
use multipms_store::contract::Contract;
use tauri::State;

use super::date_arg;
use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn tenant_allocations(
    state: State<'_, AppState>,
    tenant_id: String,
) -> Result<Vec<Allocation>, CommandError> {
    Ok(state.store()?.tenant_allocations(&tenant_id).await?)
}

/// Puts a tenant on a bed from `input.move_in`.
#[tauri::command]
pub async fn allocate(
    state: State<'_, AppState>,
    tenant_id: String,
    bed_id: String,
    input: AllocationInput,
) -> Result<Allocation, CommandError> {
    Ok(state
        .store()?
        .allocate(&state.actor(), &tenant_id, &bed_id, &input)
        .await?)
}

#[tauri::command]
pub async fn transfer(
    state: State<'_, AppState>,
    allocation_id: String,
    to_bed_id: String,
    on: String,
) -> Result<Allocation, CommandError> {
    let on = date_arg(&on, "transfer_on")?;
    Ok(state
        .store()?
        .transfer(&state.actor(), &allocation_id, &to_bed_id, on)
        .await?)
}

#[tauri::command]
pub async fn give_notice(
    state: State<'_, AppState>,
    allocation_id: String,
    given_on: String,
    planned_move_out: Option<String>,
) -> Result<Allocation, CommandError> {
    let given_on = date_arg(&given_on, "given_on")?;
    let planned = match planned_move_out.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Some(date_arg(text, "planned_move_out")?),
        _ => None,
    };
    Ok(state
        .store()?
        .give_notice(&state.actor(), &allocation_id, given_on, planned)
        .await?)
}

#[tauri::command]
pub async fn move_out(
    state: State<'_, AppState>,
    allocation_id: String,
    on: String,
) -> Result<Allocation, CommandError> {
    let on = date_arg(&on, "move_out")?;
    Ok(state
        .store()?
        .move_out(&state.actor(), &allocation_id, on)
        .await?)
}

#[tauri::command]
pub async fn get_contract(
    state: State<'_, AppState>,
    allocation_id: String,
) -> Result<Option<Contract>, CommandError> {
    Ok(state.store()?.contract_of(&allocation_id).await?)
}

#[tauri::command]
pub async fn save_contract(
    state: State<'_, AppState>,
    allocation_id: String,
    input: ContractInput,
) -> Result<Contract, CommandError> {
    Ok(state
        .store()?
        .save_contract(&state.actor(), &allocation_id, &input)
        .await?)
}
