//! Corrections, made as new ledger entries and never as edits: a payment
//! reversed, an invoice cancelled, a cheque marked cleared or bounced.

use multipms_domain::Paise;
use multipms_store::billing::Invoice;
use multipms_store::payment::Payment;
use tauri::State;

use super::date_arg;
use crate::error::CommandError;
use crate::state::AppState;

/// A tenant's payments, oldest first (cheque states included).
#[tauri::command]
pub async fn tenant_payments(
    state: State<'_, AppState>,
    tenant_id: String,
) -> Result<Vec<Payment>, CommandError> {
    Ok(state.store()?.tenant_payments(&tenant_id).await?)
}

/// Reverses a payment booked in error, on `on`, for `reason`.
#[tauri::command]
pub async fn reverse_payment(
    state: State<'_, AppState>,
    payment_id: String,
    on: String,
    reason: String,
) -> Result<Payment, CommandError> {
    let on = date_arg(&on, "on")?;
    Ok(state
        .store()?
        .reverse_payment(&state.actor(), &payment_id, on, &reason)
        .await?)
}

/// Cancels a wrong invoice, on `on`, for `reason`.
#[tauri::command]
pub async fn cancel_invoice(
    state: State<'_, AppState>,
    invoice_id: String,
    on: String,
    reason: String,
) -> Result<Invoice, CommandError> {
    let on = date_arg(&on, "on")?;
    Ok(state
        .store()?
        .cancel_invoice(&state.actor(), &invoice_id, on, &reason)
        .await?)
}

/// Marks a pending cheque cleared on `on`.
#[tauri::command]
pub async fn clear_cheque(
    state: State<'_, AppState>,
    payment_id: String,
    on: String,
) -> Result<Payment, CommandError> {
    let on = date_arg(&on, "on")?;
    Ok(state
        .store()?
        .clear_cheque(&state.actor(), &payment_id, on)
        .await?)
}

/// Marks a cheque bounced on `on`, reversing it, with an optional bounce
/// charge in rupees.
#[tauri::command]
pub async fn bounce_cheque(
    state: State<'_, AppState>,
    payment_id: String,
    on: String,
    bounce_charge: Option<String>,
) -> Result<Payment, CommandError> {
    let on = date_arg(&on, "on")?;
    let charge = match bounce_charge.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Some(Paise::from_rupees_str(text, "bounce_charge")?),
        _ => None,
    };
    Ok(state
        .store()?
        .bounce_cheque(&state.actor(), &payment_id, on, charge)
        .await?)
}
