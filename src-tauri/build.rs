// Every command the UI may call is listed here; tauri-build turns each into an
// `allow-…` permission, and src-tauri/capabilities/ grants the main window
// exactly those. A command left off this list cannot be invoked.
const COMMANDS: &[&str] = &[
    "app_info",
    "startup_ready",
    "get_organisation",
    "save_organisation_name",
    "list_properties",
    "save_property",
    "load_sample_data",
    "list_rooms",
    "create_room",
    "update_room",
    "retire_room",
    "add_bed",
    "rename_bed",
    "retire_bed",
    "search_tenants",
    "get_tenant",
    "save_tenant",
    "tenant_allocations",
    "allocate",
    "transfer",
    "give_notice",
    "move_out",
    "get_contract",
    "save_contract",
    "occupancy",
    "dashboard",
    "bed_board",
    "run_billing",
    "list_invoices",
    "record_payment",
    "tenant_ledger",
    "dues_report",
    "tenant_payments",
    "reverse_payment",
    "cancel_invoice",
    "clear_cheque",
    "bounce_cheque",
    "export_csv",
    "cancel_export",
    "add_documents",
    "pick_documents",
    "tenant_documents",
    "open_document",
    "save_document_copy",
    "remove_document",
    "save_invoice_pdf",
    "print_invoice",
    "save_month_pdfs",
    "save_receipt_pdf",
    "print_receipt",
    "set_logo_file",
    "choose_logo",
    "remove_logo",
    "logo_image",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build could not read tauri.conf.json or the capabilities");
}
