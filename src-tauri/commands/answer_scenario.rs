//! A day at a sample desk that asks every command once or more, through
//! IPC with the arguments the UI sends, and keeps each answer: the
//! material the answer-shape test checks.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Value};
use tauri::Manager;

use super::mock_desk::{desk, invoke, saved_files_folder, MockDesk};

/// Every answer each command gave, in the order asked.
#[derive(Default)]
pub(super) struct Answers(pub BTreeMap<String, Vec<Value>>);

impl Answers {
    /// Asks `cmd` and keeps the answer; a refusal fails the test, naming
    /// the command and the arguments.
    fn ask(&mut self, desk: &MockDesk, cmd: &str, args: Value) -> Value {
        let answer = invoke(desk, cmd, args.clone())
            .unwrap_or_else(|e| panic!("{cmd}({args}) was refused: {e}"));
        self.keep(cmd, answer.clone());
        answer
    }

    /// Keeps a value of a command's Rust answer type made here, for a
    /// command that cannot be asked on this machine (see
    /// `answer_shapes::NOT_ASKED_HERE`) or an answer the sample desk never
    /// gives (sync in progress).
    pub fn keep(&mut self, cmd: &str, answer: Value) {
        self.0.entry(cmd.to_string()).or_default().push(answer);
    }
}

fn day(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn month(date: chrono::NaiveDate) -> String {
    date.format("%m/%Y").to_string()
}

/// A 1×1 PNG: a logo, and a document.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0xf8, 0xcf, 0x50,
    0x0f, 0x00, 0x03, 0x86, 0x01, 0x80, 0x5a, 0x34, 0x7d, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// What the open dialog answers with in tests, set once for the whole
/// test process as scripted runs set it: a picture (the logo takes the
/// first file picked) and a program named as a PDF, which is refused.
fn picked_files() -> &'static [PathBuf] {
    static PICKED: std::sync::OnceLock<(tempfile::TempDir, Vec<PathBuf>)> =
        std::sync::OnceLock::new();
    &PICKED
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let picture = dir.path().join("kyc-photo.png");
            std::fs::write(&picture, PNG).unwrap();
            let program = dir.path().join("agreement.pdf");
            std::fs::write(&program, b"MZ\x90\x00 not a pdf").unwrap();
            let files = vec![picture, program];
            std::env::set_var(
                crate::save_dialog::PICK_FILES_VARIABLE,
                std::env::join_paths(&files).unwrap(),
            );
            std::env::set_var(multipms_sync::token_store::TOKEN_STORE_ENV, "memory");
            (dir, files)
        })
        .1
}

/// Runs the day and returns every answer.
pub(super) fn answers_of_a_day() -> Answers {
    saved_files_folder();
    let picked = picked_files();
    let desk = desk();
    let mut a = Answers::default();
    let today = multipms_store::today();
    let last_month = today - chrono::Months::new(1);
    let first_of_last_month = chrono::Datelike::with_day(&last_month, 1).unwrap();

    // The desk and the business.
    a.ask(&desk, "app_info", json!({}));
    a.ask(&desk, "startup_ready", json!({}));
    a.ask(&desk, "get_organisation", json!({}));
    a.ask(
        &desk,
        "save_organisation_name",
        json!({ "name": "Sai Comforts" }),
    );
    a.ask(&desk, "get_organisation", json!({}));
    a.ask(&desk, "set_desk_operator", json!({ "name": "Lakshmi Rao" }));
    a.ask(&desk, "load_sample_data", json!({}));

    // A property, edited with its optional fields filled (but the GSTIN).
    let properties = a.ask(&desk, "list_properties", json!({}));
    let property_id = properties[0]["id"].clone();
    let mut input = properties[0].clone();
    input["address_line2"] = json!("Near Kothrud Depot");
    input["upi_id"] = json!("saicomforts@okaxis");
    input["landlord_name"] = json!("Ramesh Kumar");
    input["landlord_pan"] = json!("ABCPE1234F");
    a.ask(
        &desk,
        "save_property",
        json!({ "id": property_id, "input": input }),
    );
    a.ask(&desk, "list_properties", json!({}));

    // Rooms and beds: one room to live in, one to retire.
    a.ask(&desk, "list_rooms", json!({ "propertyId": property_id }));
    let room = a.ask(
        &desk,
        "create_room",
        json!({ "propertyId": property_id, "input": {
            "room_number": "901", "floor": "9", "room_type": "deluxe",
            "sharing": "3", "rent_per_bed": "9,500", "ac": true
        }}),
    );
    let room_id = room["id"].clone();
    let spare = a.ask(
        &desk,
        "create_room",
        json!({ "propertyId": property_id, "input": {
            "room_number": "902", "floor": "9", "room_type": "standard",
            "sharing": "1", "rent_per_bed": "7000", "ac": false
        }}),
    );
    a.ask(
        &desk,
        "update_room",
        json!({ "roomId": spare["id"], "input": {
            "room_number": "902", "floor": "9", "room_type": "studio",
            "sharing": "1", "rent_per_bed": "7500", "ac": false
        }}),
    );
    a.ask(
        &desk,
        "retire_room",
        json!({ "roomId": spare["id"], "on": day(today) }),
    );
    let bed = a.ask(
        &desk,
        "add_bed",
        json!({ "roomId": room_id, "input": { "label": "901-D" } }),
    );
    a.ask(
        &desk,
        "rename_bed",
        json!({ "bedId": bed["id"], "input": { "label": "901-E" } }),
    );
    a.ask(
        &desk,
        "retire_bed",
        json!({ "bedId": bed["id"], "on": day(today) }),
    );
    a.ask(&desk, "list_rooms", json!({ "propertyId": property_id }));

    // A tenant with everything filled in, a stay in room 901 from the
    // first of last month, a contract, a transfer and notice.
    let tenant = a.ask(
        &desk,
        "save_tenant",
        json!({ "id": null, "input": {
            "full_name": "Ananya Krishnan", "mobile": "9812345678", "email": "ananya@example.in",
            "date_of_birth": "14/02/2001", "occupation": "student",
            "college_or_employer": "COEP", "permanent_address": "4 Temple Street, Madurai",
            "emergency_contact_name": "K. Krishnan", "emergency_contact_phone": "9876501234",
            "kyc_document_type": "pan", "kyc_document_number": "ABCPK1234Q",
            "police_verification_status": "verified",
            "police_verification_date": day(first_of_last_month)
        }}),
    );
    let tenant_id = tenant["id"].clone();
    a.ask(&desk, "get_tenant", json!({ "id": tenant_id }));
    let beds = &room["beds"];
    let stay = a.ask(
        &desk,
        "allocate",
        json!({ "tenantId": tenant_id, "bedId": beds[0]["id"], "input": {
            "move_in": day(first_of_last_month), "move_out": null
        }}),
    );
    let stay_id = stay["id"].clone();
    let contract = a.ask(
        &desk,
        "save_contract",
        json!({ "allocationId": stay_id, "input": {
            "monthly_rent": "9,500", "security_deposit": "19,000", "billing_day": "1",
            "lock_in_months": "0", "notice_days": "30", "yearly_escalation_percent": "5",
            "start_date": day(first_of_last_month), "end_date": day(today + chrono::Months::new(11)),
            "status": "active"
        }}),
    );
    let contract_id = contract["id"].clone();
    a.ask(&desk, "get_contract", json!({ "allocationId": stay_id }));
    let moved = a.ask(
        &desk,
        "transfer",
        json!({ "allocationId": stay_id, "toBedId": beds[1]["id"], "on": day(today) }),
    );
    let stay_id = moved["id"].clone();
    a.ask(
        &desk,
        "give_notice",
        json!({ "allocationId": stay_id, "givenOn": day(today), "plannedMoveOut": null }),
    );
    a.ask(
        &desk,
        "tenant_allocations",
        json!({ "tenantId": tenant_id }),
    );
    // Someone moving in tomorrow: a reserved bed, and this week's move-ins.
    let newcomer = a.ask(
        &desk,
        "save_tenant",
        json!({ "id": null, "input": { "full_name": "Rahul Verma", "mobile": "9898012345" } }),
    );
    a.ask(
        &desk,
        "allocate",
        json!({ "tenantId": newcomer["id"], "bedId": beds[2]["id"], "input": {
            "move_in": day(today + chrono::Days::new(1)), "move_out": null
        }}),
    );
    a.ask(&desk, "get_contract", json!({ "allocationId": stay_id }));
    a.ask(
        &desk,
        "search_tenants",
        json!({ "query": "Ananya", "limit": 8 }),
    );
    a.ask(&desk, "search_tenants", json!({ "query": "", "limit": 50 }));

    // Charges and discounts, billed with last month.
    let charge = a.ask(
        &desk,
        "add_contract_charge",
        json!({ "contractId": contract_id, "input": {
            "kind": "food", "description": "Meals", "amount": "2,500", "schedule": "monthly",
            "from": day(first_of_last_month), "until": null
        }}),
    );
    a.ask(
        &desk,
        "add_contract_charge",
        json!({ "contractId": contract_id, "input": {
            "kind": "other", "description": "Key deposit", "amount": "300", "schedule": "once",
            "from": day(first_of_last_month), "until": null
        }}),
    );
    let percent_off = a.ask(
        &desk,
        "add_contract_discount",
        json!({ "contractId": contract_id, "input": {
            "description": "Student discount", "amount": "", "percent": "5", "schedule": "monthly",
            "from": day(first_of_last_month), "until": null
        }}),
    );
    a.ask(
        &desk,
        "add_contract_discount",
        json!({ "contractId": contract_id, "input": {
            "description": "Welcome discount", "amount": "500", "percent": "", "schedule": "once",
            "from": day(first_of_last_month), "until": null
        }}),
    );
    a.ask(
        &desk,
        "contract_extras",
        json!({ "contractId": contract_id }),
    );
    a.ask(
        &desk,
        "bill_contract",
        json!({ "contractId": contract_id, "month": month(last_month), "invoiceDate": day(today) }),
    );
    a.ask(
        &desk,
        "end_contract_charge",
        json!({ "chargeId": charge["id"], "until": day(today + chrono::Months::new(2)) }),
    );
    a.ask(
        &desk,
        "end_contract_discount",
        json!({ "discountId": percent_off["id"], "until": day(today + chrono::Months::new(2)) }),
    );
    a.ask(
        &desk,
        "contract_extras",
        json!({ "contractId": contract_id }),
    );

    // Electricity and the late fee, then this month's run.
    a.ask(
        &desk,
        "record_meter_reading",
        json!({ "roomId": room_id, "input": {
            "month": month(today), "reading_on": day(today), "reading": "1320.5",
            "rate_per_unit": "9", "previous_reading": "1200", "previous_on": day(first_of_last_month)
        }}),
    );
    a.ask(
        &desk,
        "meter_readings",
        json!({ "propertyId": property_id, "month": month(today) }),
    );
    a.ask(&desk, "late_fee_rule", json!({ "propertyId": property_id }));
    a.ask(
        &desk,
        "set_late_fee_rule",
        json!({ "propertyId": property_id, "input": {
            "enabled": true, "kind": "flat", "value": "200", "after_days": "5", "cap": ""
        }}),
    );
    a.ask(
        &desk,
        "set_late_fee_rule",
        json!({ "propertyId": property_id, "input": {
            "enabled": true, "kind": "percent", "value": "2", "after_days": "7", "cap": "500"
        }}),
    );
    a.ask(&desk, "late_fee_rule", json!({ "propertyId": property_id }));
    let run = a.ask(
        &desk,
        "run_billing",
        json!({ "propertyId": property_id, "month": month(today), "invoiceDate": day(today) }),
    );
    a.ask(
        &desk,
        "run_billing",
        json!({ "propertyId": property_id, "month": month(today), "invoiceDate": day(today) }),
    );
    a.ask(
        &desk,
        "invoice_page",
        json!({ "propertyId": property_id, "month": month(today), "offset": 0, "limit": 25 }),
    );

    // Payments of every mode, and the corrections.
    let paid_on = day(today);
    let upi = a.ask(
        &desk,
        "record_payment",
        json!({ "tenantId": tenant_id, "input": {
            "mode": "upi", "amount": "5,000", "paid_on": paid_on, "reference": "612345678901",
            "cheque_number": "", "cheque_bank": ""
        }}),
    );
    a.ask(
        &desk,
        "record_payment",
        json!({ "tenantId": tenant_id, "input": {
            "mode": "cash", "amount": "19,000", "paid_on": paid_on, "reference": "",
            "cheque_number": "", "cheque_bank": "", "purpose": "security_deposit"
        }}),
    );
    let mut cheques = Vec::new();
    for number in ["004512", "004513"] {
        let cheque = a.ask(
            &desk,
            "record_payment",
            json!({ "tenantId": tenant_id, "input": {
                "mode": "cheque", "amount": "1,000", "paid_on": paid_on, "reference": "",
                "cheque_number": number, "cheque_bank": "Canara Bank"
            }}),
        );
        cheques.push(cheque["payment"]["id"].clone());
    }
    a.ask(&desk, "tenant_payments", json!({ "tenantId": tenant_id }));
    a.ask(
        &desk,
        "clear_cheque",
        json!({ "paymentId": cheques[0], "on": paid_on }),
    );
    a.ask(
        &desk,
        "bounce_cheque",
        json!({ "paymentId": cheques[1], "on": paid_on, "bounceCharge": "500" }),
    );
    a.ask(
        &desk,
        "reverse_payment",
        json!({ "paymentId": upi["payment"]["id"], "on": paid_on, "reason": "Booked to the wrong tenant" }),
    );
    let invoice = &run["created"][0];
    a.ask(
        &desk,
        "cancel_invoice",
        json!({ "invoiceId": invoice["id"], "on": paid_on, "reason": "Billed the wrong bed" }),
    );
    a.ask(&desk, "tenant_ledger", json!({ "tenantId": tenant_id }));
    a.ask(&desk, "tenant_payments", json!({ "tenantId": tenant_id }));

    // The owner's figures.
    a.ask(&desk, "occupancy", json!({ "on": day(today) }));
    a.ask(
        &desk,
        "bed_board",
        json!({ "propertyId": property_id, "on": day(today) }),
    );
    a.ask(&desk, "dashboard", json!({ "propertyId": null }));
    a.ask(&desk, "dashboard", json!({ "propertyId": property_id }));
    a.ask(&desk, "dashboard_dues", json!({ "propertyId": null }));
    a.ask(&desk, "reports", json!({}));
    a.ask(&desk, "dues_report", json!({ "offset": 0, "limit": 100 }));

    // Number series.
    a.ask(
        &desk,
        "invoice_series",
        json!({ "propertyId": property_id }),
    );
    a.ask(
        &desk,
        "set_invoice_series_prefix",
        json!({ "propertyId": property_id, "prefix": "SAIX" }),
    );
    a.ask(&desk, "receipt_series", json!({}));
    a.ask(
        &desk,
        "set_receipt_series_prefix",
        json!({ "prefix": "SAIR" }),
    );

    // The deposit at move-out, previewed, then settled.
    let settlement_input = json!({
        "on": day(today), "notice_short_days": "0",
        "damages": [{ "description": "Broken window pane", "amount": "1,500" }]
    });
    a.ask(
        &desk,
        "deposit_settlement",
        json!({ "contractId": contract_id }),
    );
    a.ask(
        &desk,
        "preview_deposit_settlement",
        json!({ "contractId": contract_id, "input": settlement_input }),
    );
    a.ask(
        &desk,
        "settle_deposit",
        json!({ "contractId": contract_id, "input": settlement_input }),
    );
    a.ask(
        &desk,
        "deposit_settlement",
        json!({ "contractId": contract_id }),
    );
    a.ask(
        &desk,
        "move_out",
        json!({ "allocationId": stay_id, "on": day(today + chrono::Days::new(1)) }),
    );
    a.ask(&desk, "dashboard", json!({ "propertyId": property_id }));

    // Files: an export, PDFs, documents and the logo, saved into the
    // test's folder as scripted runs do.
    a.ask(
        &desk,
        "export_csv",
        json!({ "request": { "report": "invoices", "property_id": null, "from": null, "to": null } }),
    );
    a.ask(&desk, "cancel_export", json!({}));
    let kept = run["created"][1]["id"].clone();
    a.ask(&desk, "save_invoice_pdf", json!({ "invoiceId": kept }));
    a.ask(
        &desk,
        "save_month_pdfs",
        json!({ "propertyId": property_id, "month": month(today), "oneFile": true }),
    );
    a.ask(
        &desk,
        "save_receipt_pdf",
        json!({ "paymentId": cheques[0] }),
    );
    a.ask(
        &desk,
        "add_documents",
        json!({ "tenantId": tenant_id, "contractId": contract_id, "kind": "rental_agreement",
                "paths": picked }),
    );
    a.ask(
        &desk,
        "pick_documents",
        json!({ "tenantId": tenant_id, "contractId": null, "kind": "photo" }),
    );
    let documents = a.ask(&desk, "tenant_documents", json!({ "tenantId": tenant_id }));
    a.ask(
        &desk,
        "save_document_copy",
        json!({ "id": documents[0]["id"] }),
    );
    a.ask(
        &desk,
        "remove_document",
        json!({ "id": documents[0]["id"] }),
    );
    a.ask(&desk, "set_logo_file", json!({ "path": picked[0] }));
    a.ask(&desk, "remove_logo", json!({}));
    a.ask(&desk, "logo_image", json!({}));
    a.ask(&desk, "choose_logo", json!({}));
    a.ask(&desk, "logo_image", json!({}));

    // Sync on a desk that works on its own; then the desk is linked to an
    // organisation as a sign-in links it (the server's part cannot run
    // here), and the server refuses its first change.
    a.ask(&desk, "sync_status", json!({}));
    a.ask(&desk, "sync_now", json!({}));
    a.ask(&desk, "sync_sign_out", json!({}));
    let start = link_and_refuse_a_change(&desk);
    a.keep("sync_sign_in", start);
    a.ask(&desk, "sync_status", json!({}));
    let conflicts = a.ask(&desk, "sync_conflicts", json!({}));
    a.ask(
        &desk,
        "dismiss_sync_conflict",
        json!({ "opId": conflicts[0]["op_id"] }),
    );
    a
}

/// Links the desk to an empty organisation, as `sync_sign_in` does once
/// the server has said who the user is, and records, as sync does, that
/// the server refused the first change sent. Returns what linking did,
/// which is what `sync_sign_in` answers.
fn link_and_refuse_a_change(desk: &MockDesk) -> Value {
    let state = desk.app.state::<crate::AppState>();
    let store = state.store().unwrap();
    tauri::async_runtime::block_on(async {
        let link = multipms_store::sync_link::NewLink {
            server_url: "https://pms.example.in".into(),
            org_id: "0193a0c2-7d1e-7b3c-9f00-5a1e2c3d4e5f".into(),
            org_name: "Sai Comforts".into(),
            user_email: "desk@saicomforts.in".into(),
            user_name: "Lakshmi Rao".into(),
            user_role: "front_desk".into(),
        };
        let start = store.link_to_server(&link, true).await.unwrap();
        let ops = store.next_ops(64 * 1024).await.unwrap();
        let op = ops
            .first()
            .expect("the desk's business waits in the outbox");
        store
            .op_refused(&multipms_store::sync_outbox::Refusal {
                op_id: op.op_id.clone(),
                message: "Bed 901-A was given to R. Sharma from another desk at 10:42".into(),
                field: Some("bed_id".into()),
                truth: Vec::new(),
            })
            .await
            .unwrap();
        serde_json::to_value(start).unwrap()
    })
}
