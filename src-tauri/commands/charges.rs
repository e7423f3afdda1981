//! A contract's recurring and one-off charges (food, laundry, parking…) and
//! discounts, which the billing run puts on its invoices.

use multipms_domain::billing::charges::{ChargeInput, DiscountInput};
use multipms_store::charges::{ContractCharge, ContractDiscount};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// A contract's charges and discounts, as the tenant page lists them.
#[derive(Debug, serde::Serialize)]
pub struct ContractExtras {
    pub charges: Vec<ContractCharge>,
    pub discounts: Vec<ContractDiscount>,
}

#[tauri::command]
pub async fn contract_extras(
    state: State<'_, AppState>,
    contract_id: String,
) -> Result<ContractExtras, CommandError> {
    let store = state.store()?;
    Ok(ContractExtras {
        charges: store.contract_charges(&contract_id).await?,
        discounts: store.contract_discounts(&contract_id).await?,
    })
}

#[tauri::command]
pub async fn add_contract_charge(
    state: State<'_, AppState>,
    contract_id: String,
    input: ChargeInput,
) -> Result<ContractCharge, CommandError> {
    Ok(state
        .store()?
        .add_contract_charge(&state.actor(), &contract_id, &input)
        .await?)
}

/// Ends a monthly charge from `until` (the first day it no longer applies).
#[tauri::command]
pub async fn end_contract_charge(
    state: State<'_, AppState>,
    charge_id: String,
    until: String,
) -> Result<ContractCharge, CommandError> {
    Ok(state
        .store()?
        .end_contract_charge(&state.actor(), &charge_id, &until)
        .await?)
}

#[tauri::command]
pub async fn add_contract_discount(
    state: State<'_, AppState>,
    contract_id: String,
    input: DiscountInput,
) -> Result<ContractDiscount, CommandError> {
    Ok(state
        .store()?
        .add_contract_discount(&state.actor(), &contract_id, &input)
        .await?)
}

/// Ends a monthly discount from `until`.
#[tauri::command]
pub async fn end_contract_discount(
    state: State<'_, AppState>,
    discount_id: String,
    until: String,
) -> Result<ContractDiscount, CommandError> {
    Ok(state
        .store()?
        .end_contract_discount(&state.actor(), &discount_id, &until)
        .await?)
}
