//! CSV exports saved where the user chooses, with progress events and a
//! cancel button for the long ones.

use std::io::BufWriter;
use std::sync::atomic::Ordering;

use multipms_store::export::{LedgerFilter, PeriodFilter, Progress};
use multipms_store::today;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::date_arg;
use crate::error::CommandError;
use crate::save_dialog::{self, PendingFile};
use crate::state::AppState;

/// Which report to export, with its filters as the UI sends them (dates
/// DD/MM/YYYY or ISO; empty means no limit).
#[derive(Debug, Deserialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum ExportRequest {
    Ledger {
        tenant_id: Option<String>,
        property_id: Option<String>,
        from: Option<String>,
        to: Option<String>,
    },
    Invoices {
        property_id: Option<String>,
        from: Option<String>,
        to: Option<String>,
    },
    Payments {
        property_id: Option<String>,
        from: Option<String>,
        to: Option<String>,
    },
    Dues {
        as_of: Option<String>,
    },
    /// Collections per month by mode; blank dates mean the last 12 months.
    Collections {
        from: Option<String>,
        to: Option<String>,
    },
    Deposits {},
    Occupancy {},
}

/// Sent as the `export-progress` event while an export runs.
#[derive(Debug, Clone, Serialize)]
pub struct ExportProgress {
    pub rows: u64,
}

/// What was saved.
#[derive(Debug, Clone, Serialize)]
pub struct ExportDone {
    pub path: String,
    pub rows: u64,
}

fn optional(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn date_opt(text: &Option<String>, field: &str) -> Result<Option<chrono::NaiveDate>, CommandError> {
    optional(text).map(|t| date_arg(t, field)).transpose()
}

fn owned(text: &Option<String>) -> Option<String> {
    optional(text).map(str::to_string)
}

fn period(
    property_id: &Option<String>,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<PeriodFilter, CommandError> {
    Ok(PeriodFilter {
        property_id: owned(property_id),
        from: date_opt(from, "from")?,
        to: date_opt(to, "to")?,
    })
}

impl ExportRequest {
    fn file_name(&self) -> String {
        let stem = match self {
            ExportRequest::Ledger { .. } => "ledger",
            ExportRequest::Invoices { .. } => "invoices",
            ExportRequest::Payments { .. } => "payments",
            ExportRequest::Dues { .. } => "dues",
            ExportRequest::Collections { .. } => "collections",
            ExportRequest::Deposits { .. } => "deposits",
            ExportRequest::Occupancy { .. } => "occupancy",
        };
        format!("{stem}-{}.csv", today().format("%Y-%m-%d"))
    }
}

/// Exports a report to a CSV file the user picks. `None` when they cancel
/// the save dialog. The export can be stopped with `cancel_export`; a
/// stopped or failed export leaves no file.
#[tauri::command]
pub async fn export_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: ExportRequest,
) -> Result<Option<ExportDone>, CommandError> {
    let store = state.store()?;
    // Filters are checked before asking where to save.
    enum Checked {
        Ledger(LedgerFilter),
        Invoices(PeriodFilter),
        Payments(PeriodFilter),
        Dues(chrono::NaiveDate),
        Collections(chrono::NaiveDate, chrono::NaiveDate),
        Deposits,
        Occupancy,
    }
    let checked = match &request {
        ExportRequest::Ledger {
            tenant_id,
            property_id,
            from,
            to,
        } => Checked::Ledger(LedgerFilter {
            tenant_id: owned(tenant_id),
            property_id: owned(property_id),
            from: date_opt(from, "from")?,
            to: date_opt(to, "to")?,
        }),
        ExportRequest::Invoices {
            property_id,
            from,
            to,
        } => Checked::Invoices(period(property_id, from, to)?),
        ExportRequest::Payments {
            property_id,
            from,
            to,
        } => Checked::Payments(period(property_id, from, to)?),
        ExportRequest::Dues { as_of } => {
            Checked::Dues(date_opt(as_of, "as_of")?.unwrap_or_else(today))
        }
        ExportRequest::Collections { from, to } => {
            let to = date_opt(to, "to")?.unwrap_or_else(today);
            let from = match date_opt(from, "from")? {
                Some(from) => from,
                None => to
                    .checked_sub_months(chrono::Months::new(11))
                    .and_then(|d| chrono::Datelike::with_day(&d, 1))
                    .unwrap_or(to),
            };
            Checked::Collections(from, to)
        }
        ExportRequest::Deposits {} => Checked::Deposits,
        ExportRequest::Occupancy {} => Checked::Occupancy,
    };
    let Some(target) = save_dialog::choose(&app, &request.file_name(), &save_dialog::CSV).await?
    else {
        return Ok(None);
    };
    let pending = PendingFile::create(&target)?;
    let out = BufWriter::with_capacity(256 * 1024, pending.file()?);
    let cancel = state.export_cancel();
    cancel.store(false, Ordering::SeqCst);
    let progress = Progress::new(move |rows| {
        let _ = app.emit("export-progress", ExportProgress { rows });
        !cancel.load(Ordering::SeqCst)
    });
    let rows = match checked {
        Checked::Ledger(filter) => store.export_ledger(filter, out, progress).await?.rows,
        Checked::Invoices(filter) => store.export_invoices(filter, out, progress).await?.rows,
        Checked::Payments(filter) => store.export_payments(filter, out, progress).await?.rows,
        Checked::Dues(as_of) => store.export_dues(as_of, out, progress).await?.rows,
        Checked::Collections(from, to) => {
            store
                .export_collections(from, to, out, progress)
                .await?
                .rows
        }
        Checked::Deposits => store.export_deposits(out, progress).await?.rows,
        Checked::Occupancy => {
            store
                .export_occupancy_history(today(), out, progress)
                .await?
                .rows
        }
    };
    let path = pending.keep()?;
    tracing::info!(path = %path.display(), rows, "export saved");
    Ok(Some(ExportDone {
        path: path.display().to_string(),
        rows,
    }))
}

/// Stops the export that is running, if any.
#[tauri::command]
pub fn cancel_export(state: State<'_, AppState>) {
    state.export_cancel().store(true, Ordering::SeqCst);
}
