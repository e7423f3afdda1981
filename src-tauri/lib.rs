//! The MultiPMS desktop shell: a thin layer of Tauri commands over the domain
//! (`multipms-domain`) and the local store (`multipms-store`).

mod commands;
mod data_folder;
mod document_shelf;
mod error;
mod invoice_paper;
mod receipt_paper;
mod save_dialog;
mod startup;
mod state;

use std::path::PathBuf;

use tauri::{Manager, Runtime};

pub use error::CommandError;
pub use state::AppState;

/// Wires the store, the commands and their state onto a Tauri builder.
/// `data_dir` overrides where the data lives (tests); `None` means
/// `MULTIPMS_DATA_DIR`, else the OS app-data folder.
pub fn configure<R: Runtime>(
    builder: tauri::Builder<R>,
    data_dir: Option<PathBuf>,
) -> tauri::Builder<R> {
    let builder = match data_dir {
        // A folder chosen by the caller is opened right away.
        Some(dir) => builder.manage(AppState::open(Ok(dir))),
        // Otherwise the OS app-data folder is only known once the app exists.
        None => builder.setup(|app| {
            let state = AppState::open(data_folder::choose(app.handle()));
            app.manage(state);
            startup::store_open();
            Ok(())
        }),
    };
    builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app_info::app_info,
            commands::app_info::startup_ready,
            commands::organisation::get_organisation,
            commands::organisation::save_organisation_name,
            commands::organisation::set_desk_operator,
            commands::property::list_properties,
            commands::property::save_property,
            commands::property::load_sample_data,
            commands::room::list_rooms,
            commands::room::create_room,
            commands::room::update_room,
            commands::room::retire_room,
            commands::room::add_bed,
            commands::room::rename_bed,
            commands::room::retire_bed,
            commands::tenant::search_tenants,
            commands::tenant::get_tenant,
            commands::tenant::save_tenant,
            commands::allocation::tenant_allocations,
            commands::allocation::allocate,
            commands::allocation::transfer,
            commands::allocation::give_notice,
            commands::allocation::move_out,
            commands::allocation::get_contract,
            commands::allocation::save_contract,
            commands::occupancy::occupancy,
            commands::dashboard::dashboard,
            commands::dashboard::dashboard_dues,
            commands::reports::reports,
            commands::occupancy::bed_board,
            commands::billing::run_billing,
            commands::billing::bill_contract,
            commands::billing::invoice_page,
            commands::billing::record_payment,
            commands::billing::tenant_ledger,
            commands::billing::dues_report,
            commands::charges::contract_extras,
            commands::charges::add_contract_charge,
            commands::charges::end_contract_charge,
            commands::charges::add_contract_discount,
            commands::charges::end_contract_discount,
            commands::electricity::meter_readings,
            commands::electricity::record_meter_reading,
            commands::late_fee::late_fee_rule,
            commands::late_fee::set_late_fee_rule,
            commands::number_series::invoice_series,
            commands::number_series::set_invoice_series_prefix,
            commands::number_series::receipt_series,
            commands::number_series::set_receipt_series_prefix,
            commands::deposit_settlement::preview_deposit_settlement,
            commands::deposit_settlement::settle_deposit,
            commands::deposit_settlement::deposit_settlement,
            commands::corrections::tenant_payments,
            commands::corrections::reverse_payment,
            commands::corrections::cancel_invoice,
            commands::corrections::clear_cheque,
            commands::corrections::bounce_cheque,
            commands::export::export_csv,
            commands::export::cancel_export,
            commands::documents::add_documents,
            commands::documents::pick_documents,
            commands::documents::tenant_documents,
            commands::documents::open_document,
            commands::documents::save_document_copy,
            commands::documents::remove_document,
            commands::invoice_pdf::save_invoice_pdf,
            commands::invoice_pdf::print_invoice,
            commands::invoice_pdf::save_month_pdfs,
            commands::receipt_pdf::save_receipt_pdf,
            commands::receipt_pdf::print_receipt,
            commands::organisation::set_logo_file,
            commands::organisation::choose_logo,
            commands::organisation::remove_logo,
            commands::organisation::logo_image,
            commands::sync::sync_status,
            commands::sync::sync_sign_in,
            commands::sync::sync_sign_out,
            commands::sync::sync_now,
            commands::sync::sync_conflicts,
            commands::sync::dismiss_sync_conflict,
        ])
}

/// Runs the app until its last window closes; returns the process exit code.
pub fn run() -> i32 {
    startup::mark_run();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MULTIPMS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match configure(tauri::Builder::default(), None).run(tauri::generate_context!()) {
        Ok(()) => 0,
        Err(error) => {
            tracing::error!(%error, "MultiPMS could not start");
            eprintln!("MultiPMS could not start: {error}");
            1
        }
    }
}
