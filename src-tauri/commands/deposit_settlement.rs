//! The security deposit at move-out: itemised deductions (damage, unpaid
//! dues, notice shortfall), previewed, then settled by ledger entries.

use multipms_store::deposit_settlement::{DepositSettlement, DepositSettlementInput};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// What settling would do, without writing anything.
#[tauri::command]
pub async fn preview_deposit_settlement(
    state: State<'_, AppState>,
    contract_id: String,
    input: DepositSettlementInput,
) -> Result<DepositSettlement, CommandError> {
    Ok(state
        .store()?
        .preview_deposit_settlement(&contract_id, &input)
        .await?)
}

#[tauri::command]
pub async fn settle_deposit(
    state: State<'_, AppState>,
    contract_id: String,
    input: DepositSettlementInput,
) -> Result<DepositSettlement, CommandError> {
    Ok(state
        .store()?
        .settle_deposit(&state.actor(), &contract_id, &input)
        .await?)
}

/// The settlement of a contract, once made.
#[tauri::command]
pub async fn deposit_settlement(
    state: State<'_, AppState>,
    contract_id: String,
) -> Result<Option<DepositSettlement>, CommandError> {
    Ok(state.store()?.deposit_settlement(&contract_id).await?)
}
