//! Rent receipts on paper: one payment's receipt saved as a PDF, or opened
//! in the system's viewer to print.

use multipms_invoice_pdf::render_receipt;
use tauri::{AppHandle, Runtime, State};

use super::invoice_pdf::{draw, open_pdf_copy, save_pdf};
use crate::error::CommandError;
use crate::receipt_paper::{file_name, receipt_document};
use crate::state::AppState;

async fn render(state: &AppState, payment_id: &str) -> Result<(String, Vec<u8>), CommandError> {
    let print = state.store()?.receipt_for_print(payment_id).await?;
    let document = receipt_document(&print)?;
    let bytes = draw(move || render_receipt(&document)).await?;
    Ok((print.payment.receipt_number, bytes))
}

/// Saves a payment's rent receipt as a PDF where the user chooses; `None`
/// on cancel.
#[tauri::command]
pub async fn save_receipt_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    payment_id: String,
) -> Result<Option<String>, CommandError> {
    let (number, bytes) = render(&state, &payment_id).await?;
    save_pdf(&app, &file_name(&number), &bytes).await
}

/// Opens a payment's rent receipt in the system's PDF viewer, to print it.
#[tauri::command]
pub async fn print_receipt(
    state: State<'_, AppState>,
    payment_id: String,
) -> Result<(), CommandError> {
    let (number, bytes) = render(&state, &payment_id).await?;
    open_pdf_copy(&file_name(&number), &bytes)
}
