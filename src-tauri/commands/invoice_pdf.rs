//! Invoices on paper: one saved as a PDF or opened in the system's viewer
//! to print, or a property's month as one PDF or a folder of files, with
//! progress and a cancel button.

use std::io::Write;
use std::sync::atomic::Ordering;

use multipms_domain::billing::BillingMonth;
use multipms_invoice_pdf::{render_invoice, render_invoices, InvoiceDocument};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::document_shelf::keep_for_viewer;
use crate::error::CommandError;
use crate::invoice_paper::{file_name, invoice_document};
use crate::save_dialog;
use crate::state::AppState;

fn render_failed(e: multipms_invoice_pdf::RenderError) -> CommandError {
    CommandError::Internal {
        message: format!("The PDF could not be drawn: {e}"),
    }
}

fn joined(e: tokio::task::JoinError) -> CommandError {
    CommandError::Internal {
        message: format!("The PDF could not be drawn: {e}"),
    }
}

/// Draws a PDF off the async threads (it is CPU work).
pub(super) async fn draw(
    job: impl FnOnce() -> Result<Vec<u8>, multipms_invoice_pdf::RenderError> + Send + 'static,
) -> Result<Vec<u8>, CommandError> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(joined)?
        .map_err(render_failed)
}

/// Saves a drawn PDF where the user chooses, suggesting `name`; `None`
/// when they cancel.
pub(super) async fn save_pdf<R: Runtime>(
    app: &AppHandle<R>,
    name: &str,
    bytes: &[u8],
) -> Result<Option<String>, CommandError> {
    let Some(target) = save_dialog::choose(app, name, &save_dialog::PDF).await? else {
        return Ok(None);
    };
    Ok(Some(
        save_dialog::write_whole(&target, bytes)?
            .display()
            .to_string(),
    ))
}

async fn render_one(state: &AppState, invoice_id: &str) -> Result<(String, Vec<u8>), CommandError> {
    let store = state.store()?;
    let print = store.invoice_for_print(invoice_id).await?;
    let logo = store.logo().await?;
    let document = invoice_document(&print, logo.as_deref())?;
    let bytes = draw(move || render_invoice(&document)).await?;
    Ok((print.invoice.number, bytes))
}

/// Saves one invoice as a PDF where the user chooses; `None` on cancel.
#[tauri::command]
pub async fn save_invoice_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    invoice_id: String,
) -> Result<Option<String>, CommandError> {
    let (number, bytes) = render_one(&state, &invoice_id).await?;
    save_pdf(&app, &file_name(&number), &bytes).await
}

/// Opens one invoice in the system's PDF viewer, to print it.
#[tauri::command]
pub async fn print_invoice(
    state: State<'_, AppState>,
    invoice_id: String,
) -> Result<(), CommandError> {
    let (number, bytes) = render_one(&state, &invoice_id).await?;
    open_pdf_copy(&file_name(&number), &bytes)
}

/// Opens a PDF in the system's viewer from a private temporary copy, which
/// is removed once the viewer has had time to read it.
pub(super) fn open_pdf_copy(name: &str, bytes: &[u8]) -> Result<(), CommandError> {
    let copy = tempfile::Builder::new()
        .prefix(&name.replace(".pdf", "-"))
        .suffix(".pdf")
        .tempfile()
        .map_err(|e| CommandError::Internal {
            message: format!("A temporary copy could not be made: {e}"),
        })?;
    copy.as_file()
        .write_all(bytes)
        .map_err(|e| CommandError::Internal {
            message: format!("A temporary copy could not be written: {e}"),
        })?;
    let path = copy.into_temp_path();
    open::that_detached(&path).map_err(|e| CommandError::Internal {
        message: format!("No program to open PDF files was found: {e}"),
    })?;
    keep_for_viewer(path);
    Ok(())
}

/// Sent as `pdf-progress` while a month is drawn.
#[derive(Debug, Clone, Serialize)]
pub struct PdfProgress {
    pub done: usize,
    pub total: usize,
}

/// What a month's printing saved.
#[derive(Debug, Clone, Serialize)]
pub struct SavedInvoices {
    pub path: String,
    pub invoices: usize,
}

/// Saves a property's invoices of a month: one PDF with one invoice per
/// page (`one_file`), or one file per invoice in a folder. `None` when the
/// user cancels the dialog; stopped by `cancel_export`.
#[tauri::command]
pub async fn save_month_pdfs<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    property_id: String,
    month: String,
    one_file: bool,
) -> Result<Option<SavedInvoices>, CommandError> {
    let month = BillingMonth::parse(&month, "month")?;
    let store = state.store()?;
    let prints = store.month_for_print(&property_id, month).await?;
    if prints.is_empty() {
        return Err(CommandError::Invalid {
            field: "month".into(),
            message: format!("There are no invoices for {month} yet; run billing first"),
        });
    }
    let code = store.property(&property_id).await?.code;
    let logo = store.logo().await?;
    let documents: Vec<InvoiceDocument> = prints
        .iter()
        .map(|print| invoice_document(print, logo.as_deref()))
        .collect::<Result<_, _>>()?;
    let total = documents.len();
    let stem = format!("Invoices-{code}-{}", month.key());
    let cancel = state.export_cancel();
    cancel.store(false, Ordering::SeqCst);
    let stopped = || CommandError::Conflict {
        message: "Printing was cancelled; no file was saved".into(),
    };

    if one_file {
        let Some(target) =
            save_dialog::choose(&app, &format!("{stem}.pdf"), &save_dialog::PDF).await?
        else {
            return Ok(None);
        };
        let _ = app.emit("pdf-progress", PdfProgress { done: 0, total });
        let bytes = draw(move || render_invoices(&documents)).await?;
        if cancel.load(Ordering::SeqCst) {
            return Err(stopped());
        }
        let path = save_dialog::write_whole(&target, &bytes)?;
        let _ = app.emit("pdf-progress", PdfProgress { done: total, total });
        return Ok(Some(SavedInvoices {
            path: path.display().to_string(),
            invoices: total,
        }));
    }

    let Some(folder) = save_dialog::choose_folder(&app, &stem).await? else {
        return Ok(None);
    };
    // Each file is written whole or not at all; a cancel keeps the ones
    // already finished and says how many.
    for (done, (document, print)) in documents.into_iter().zip(&prints).enumerate() {
        if cancel.load(Ordering::SeqCst) {
            return Err(CommandError::Conflict {
                message: format!(
                    "Printing was cancelled after {done} of {total} invoices (saved in {})",
                    folder.display()
                ),
            });
        }
        let bytes = draw(move || render_invoice(&document)).await?;
        save_dialog::write_whole(&folder.join(file_name(&print.invoice.number)), &bytes)?;
        let _ = app.emit(
            "pdf-progress",
            PdfProgress {
                done: done + 1,
                total,
            },
        );
    }
    Ok(Some(SavedInvoices {
        path: folder.display().to_string(),
        invoices: total,
    }))
}
