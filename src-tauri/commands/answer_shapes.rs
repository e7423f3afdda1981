//! What the UI relies on in each command's answer: the fields its scripts
//! read (named under each command), with their types. How a shape is
//! written: `answer_shape`. Checked against real answers, and against the
//! UI's scripts, by `answer_shape_tests`.

use serde_json::{json, Value};

/// Commands the test cannot ask on a build machine, and why. Their
/// shapes are still checked: a `()` answer against the Rust signature,
/// the others against values of their Rust answer types
/// (`answer_shape_tests::made_here`).
pub(super) const NOT_ASKED_HERE: &[(&str, &str)] = &[
    (
        "open_document",
        "opens the file in the system's viewer, a program outside the test",
    ),
    (
        "print_invoice",
        "opens the PDF in the system's viewer; save_invoice_pdf draws the same PDF",
    ),
    (
        "print_receipt",
        "opens the PDF in the system's viewer; save_receipt_pdf draws the same PDF",
    ),
    (
        "sync_sign_in",
        "needs the organisation's server (on PostgreSQL); the day links the desk through the store as a sign-in does, and the other outcomes are made from LinkStart",
    ),
];

/// Beds by status, as occupancy and the dashboard count them.
fn bed_counts() -> Value {
    json!({
        "total": "integer", "occupied": "integer", "on_notice": "integer",
        "reserved": "integer", "vacant": "integer"
    })
}

/// ui/screens/properties.js (the form's values, the bed map's heading).
fn property() -> Value {
    json!({
        "id": "string", "name": "string", "address_line1": "string",
        "address_line2": "string?", "city": "string", "state": "string",
        "pin_code": "string", "code": "string", "gstin": "string?", "upi_id": "string?",
        "landlord_name": "string?", "landlord_pan": "string?"
    })
}

/// ui/screens/properties.js: a bed's label after adding it.
fn bed() -> Value {
    json!({ "id": "string", "label": "string" })
}

/// ui/screens/tenants.js (the form's values), screens/tenant.js (the
/// profile), onboarding.js.
fn tenant() -> Value {
    json!({
        "id": "string", "full_name": "string", "mobile": "string", "email": "string?",
        "date_of_birth": "string?", "occupation": "string?", "college_or_employer": "string?",
        "permanent_address": "string?", "emergency_name": "string?",
        "emergency_phone": "string?", "kyc_document": "string?", "kyc_masked": "string?",
        "police_verification": "string", "police_verified_on": "string?"
    })
}

/// A stay: ui/screens/tenant.js, documents.js, onboarding.js.
fn allocation() -> Value {
    json!({
        "id": "string", "move_in": "string", "move_out": "string?", "notice_on": "string?"
    })
}

/// ui/screens/tenant.js, screens/properties.js (the contract form),
/// onboarding.js, contract_extras.js.
fn contract() -> Value {
    json!({
        "id": "string", "status": "=draft|active|ended", "starts_on": "string",
        "ends_on": "string?", "monthly_rent_paise": "integer", "deposit_paise": "integer",
        "billing_day": "integer", "lock_in_months": "integer", "notice_days": "integer",
        "escalation_bp": "integer"
    })
}

/// ui/screens/billing.js and onboarding.js show the summary.
fn billing_run() -> Value {
    json!({
        "summary": "string",
        "created": [{ "id": "string", "tenant_id": "string", "number": "string" }]
    })
}

/// An invoice as a correction answers it (the UI reads nothing of it).
fn invoice() -> Value {
    json!({
        "id": "string", "number": "string", "total_paise": "integer",
        "status": "=issued|cancelled"
    })
}

/// ui/screens/tenant.js: a payment's cheque state picks its corrections.
fn payment() -> Value {
    json!({ "id": "string", "cheque_state": "=pending|cleared|bounced?" })
}

/// ui/contract_extras.js.
fn charge() -> Value {
    json!({
        "id": "string", "description": "string", "amount_paise": "integer",
        "schedule": "=monthly|once", "starts_on": "string", "ends_on": "string?"
    })
}

/// ui/contract_extras.js: an amount or a percent of rent.
fn discount() -> Value {
    json!({
        "id": "string", "description": "string", "amount_paise": "integer?",
        "percent_bp": "integer?", "schedule": "=monthly|once", "starts_on": "string",
        "ends_on": "string?"
    })
}

/// ui/billing_rules.js.
fn meter_reading() -> Value {
    json!({
        "room_id": "string", "previous_units": "integer", "previous_on": "string",
        "reading_units": "integer", "reading_on": "string", "units": "integer",
        "amount_paise": "integer"
    })
}

/// ui/billing_rules.js.
fn late_fee() -> Value {
    json!({
        "enabled": "boolean", "kind": "=flat|percent?", "percent_bp": "integer?",
        "flat_paise": "integer?", "after_days": "integer?", "cap_paise": "integer?"
    })
}

/// ui/number_series.js.
fn number_series() -> Value {
    json!({
        "this_desk": "boolean", "desk_id": "string", "prefix": "string",
        "last_sequence": "integer", "financial_year": "string", "next_number": "string?",
        "started": "boolean"
    })
}

/// ui/contract_extras.js: the preview, and the toast once settled.
fn deposit_settlement() -> Value {
    json!({
        "deposit_held_paise": "integer",
        "deductions": [{ "description": "string", "amount_paise": "integer" }],
        "refund_to_tenant_paise": "integer", "tenant_owes_paise": "integer",
        "settled_on": "string?", "statement": "string"
    })
}

/// ui/documents.js: what a drop or a pick took and refused.
fn added_documents() -> Value {
    json!({
        "added": [{ "id": "string" }],
        "refused": [{ "name": "string", "reason": "string" }]
    })
}

/// Every command's answer shape.
pub(super) fn shapes() -> Vec<(&'static str, Value)> {
    vec![
        // ui/app.js: the footer and Settings.
        (
            "app_info",
            json!({
                "version": "string", "data_dir": "string?", "desk_id": "string?",
                "operator": "string"
            }),
        ),
        // ui/app.js: the harness reads the startup times off the page.
        (
            "startup_ready",
            json!({
                "store_open_ms": "integer?", "first_call_ms": "integer", "ready_ms": "integer"
            }),
        ),
        // ui/app.js: null before the business is named.
        (
            "get_organisation",
            json!({ "?": { "id": "string", "name": "string" } }),
        ),
        (
            "save_organisation_name",
            json!({ "id": "string", "name": "string" }),
        ),
        // ui/app.js: the name as kept.
        ("set_desk_operator", json!("string")),
        ("list_properties", json!([property()])),
        ("save_property", property()),
        ("load_sample_data", json!("null")),
        // ui/billing_rules.js: the rooms to read meters in.
        (
            "list_rooms",
            json!([{
                "id": "string", "number": "string", "retired_on": "string?",
                "beds": [bed()]
            }]),
        ),
        // ui/screens/properties.js: the toast names the room and its beds.
        (
            "create_room",
            json!({ "id": "string", "number": "string", "beds": [bed()] }),
        ),
        ("update_room", json!({ "id": "string", "number": "string" })),
        ("retire_room", json!("null")),
        ("add_bed", bed()),
        ("rename_bed", bed()),
        ("retire_bed", bed()),
        // ui/screens/tenants.js, palette.js, tenant_picker.js, screens/tenant.js.
        (
            "search_tenants",
            json!([{
                "id": "string", "full_name": "string", "mobile": "string",
                "property": "string?", "room": "string?", "bed": "string?"
            }]),
        ),
        ("get_tenant", tenant()),
        ("save_tenant", tenant()),
        ("tenant_allocations", json!([allocation()])),
        ("allocate", allocation()),
        ("transfer", allocation()),
        ("give_notice", allocation()),
        ("move_out", allocation()),
        ("get_contract", json!({ "?": contract() })),
        ("save_contract", contract()),
        // ui/screens/occupancy.js, onboarding.js.
        (
            "occupancy",
            json!({
                "on": "string", "overall": bed_counts(),
                "properties": [{ "property_id": "string", "counts": bed_counts() }]
            }),
        ),
        // ui/screens/dashboard.js, screens/reports.js.
        (
            "dashboard",
            json!({
                "as_of": "string", "occupancy": bed_counts(), "beds_out_of_service": "integer",
                "money": [{
                    "month": "string", "billed_paise": "integer", "collected_paise": "integer"
                }],
                "occupancy_history": [{ "month": "string", "beds": "integer", "occupied": "integer" }],
                "moving_in": [movement()],
                "moving_out": [movement()]
            }),
        ),
        // ui/screens/dashboard.js: dues by age.
        (
            "dashboard_dues",
            json!({
                "tenants_owing": "integer",
                "ageing": {
                    "total_paise": "integer", "not_yet_due_paise": "integer",
                    "days_0_30_paise": "integer", "days_31_60_paise": "integer",
                    "days_61_90_paise": "integer", "over_90_paise": "integer"
                }
            }),
        ),
        // ui/screens/reports.js.
        (
            "reports",
            json!({
                "collections": [{
                    "month": "string", "upi_paise": "integer", "cash_paise": "integer",
                    "bank_transfer_paise": "integer", "cheque_paise": "integer",
                    "total_paise": "integer"
                }],
                "deposits": {
                    "count": "integer", "held_paise": "integer",
                    "largest": [{
                        "full_name": "string", "property": "string?", "held_paise": "integer"
                    }]
                }
            }),
        ),
        // ui/screens/properties.js (the bed map, the room form),
        // onboarding.js (the vacant beds).
        (
            "bed_board",
            json!([{
                "room_id": "string", "number": "string", "floor": "integer",
                "floor_label": "string", "room_type": "string", "ac": "boolean",
                "rent_per_bed_paise": "integer",
                "beds": [{
                    "bed_id": "string", "label": "string",
                    "status": "=vacant|reserved|occupied|on_notice",
                    "tenant_name": "string?", "move_in": "string?", "move_out": "string?",
                    "allocation_id": "string?"
                }]
            }]),
        ),
        ("run_billing", billing_run()),
        ("bill_contract", billing_run()),
        // ui/screens/billing.js: a page of the month's invoices.
        (
            "invoice_page",
            json!({
                "offset": "integer", "limit": "integer", "count": "integer",
                "issued_total_paise": "integer",
                "invoices": [{
                    "id": "string", "number": "string", "tenant_id": "string",
                    "tenant_name": "string", "invoice_date": "string", "due_on": "string",
                    "total_paise": "integer", "status": "=issued|cancelled"
                }]
            }),
        ),
        // ui/screens/billing.js, onboarding.js: the receipt and the dues after.
        (
            "record_payment",
            json!({
                "payment": {
                    "id": "string", "amount_paise": "integer", "receipt_number": "string"
                },
                "balance": { "dues_paise": "integer" }
            }),
        ),
        // ui/screens/tenant.js: the ledger and its corrections.
        (
            "tenant_ledger",
            json!({
                "balance": {
                    "outstanding_paise": "integer", "credit_paise": "integer",
                    "deposit_held_paise": "integer"
                },
                "lines": [{
                    "kind": "=charge|payment|deposit_held|deposit_refunded|adjustment|reversal",
                    "posted_on": "string", "memo": "string", "amount_paise": "integer",
                    "running_balance_paise": "integer", "reversed": "boolean",
                    "invoice_id": "string?", "invoice_number": "string?",
                    "payment_id": "string?", "receipt_number": "string?"
                }]
            }),
        ),
        // ui/screens/billing.js, screens/reports.js: a page of the dues.
        (
            "dues_report",
            json!({
                "as_of": "string", "owing_count": "integer", "offset": "integer",
                "limit": "integer", "credit_count": "integer", "credit_paise": "integer",
                "total": { "total_paise": "integer" },
                "tenants": [{
                    "full_name": "string", "mobile": "string", "outstanding_paise": "integer",
                    "credit_paise": "integer",
                    "ageing": {
                        "days_0_30_paise": "integer", "days_31_60_paise": "integer",
                        "days_61_90_paise": "integer", "over_90_paise": "integer"
                    }
                }]
            }),
        ),
        (
            "contract_extras",
            json!({ "charges": [charge()], "discounts": [discount()] }),
        ),
        ("add_contract_charge", charge()),
        ("end_contract_charge", charge()),
        ("add_contract_discount", discount()),
        ("end_contract_discount", discount()),
        ("meter_readings", json!([meter_reading()])),
        ("record_meter_reading", meter_reading()),
        ("late_fee_rule", late_fee()),
        ("set_late_fee_rule", late_fee()),
        ("invoice_series", json!([number_series()])),
        ("set_invoice_series_prefix", number_series()),
        ("receipt_series", json!([number_series()])),
        ("set_receipt_series_prefix", number_series()),
        ("preview_deposit_settlement", deposit_settlement()),
        ("settle_deposit", deposit_settlement()),
        ("deposit_settlement", json!({ "?": deposit_settlement() })),
        ("tenant_payments", json!([payment()])),
        ("reverse_payment", payment()),
        ("clear_cheque", payment()),
        ("bounce_cheque", payment()),
        ("cancel_invoice", invoice()),
        // ui/exports.js: null when the save dialog is cancelled.
        (
            "export_csv",
            json!({ "?": { "path": "string", "rows": "integer" } }),
        ),
        ("cancel_export", json!("null")),
        ("add_documents", added_documents()),
        ("pick_documents", added_documents()),
        // ui/documents.js: the list with thumbnails.
        (
            "tenant_documents",
            json!([{
                "id": "string", "original_name": "string", "thumbnail": "string?",
                "file_type": "string", "kind_label": "string", "size_bytes": "integer",
                "added_at": "string", "contract_label": "string?"
            }]),
        ),
        ("open_document", json!("null")),
        // The path saved to; null when the save dialog is cancelled.
        ("save_document_copy", json!("string?")),
        ("remove_document", json!("null")),
        ("save_invoice_pdf", json!("string?")),
        ("print_invoice", json!("null")),
        // ui/screens/billing.js.
        (
            "save_month_pdfs",
            json!({ "?": { "path": "string", "invoices": "integer" } }),
        ),
        ("save_receipt_pdf", json!("string?")),
        ("print_receipt", json!("null")),
        // The logo as a data URL (ui/app.js); null when there is none or
        // the open dialog is cancelled.
        ("set_logo_file", json!("string")),
        ("choose_logo", json!("string?")),
        ("remove_logo", json!("null")),
        ("logo_image", json!("string?")),
        // ui/sync.js: the top bar and Settings' sync card.
        (
            "sync_status",
            json!({
                "state": "=standalone|signed_out|syncing|online|offline",
                "server_url": "string?", "org_name": "string?", "user_email": "string?",
                "user_role": "string?", "pending": "integer", "conflicts": "integer",
                "last_synced_at": "string?", "token_place": "=keyring|memory?",
                "progress": { "?": { "phase": "=upload|download", "done": "integer", "total": "integer" } }
            }),
        ),
        // ui/sync.js: what linking did with the desk's own data.
        (
            "sync_sign_in",
            json!({ "|": ["=downloading|relinked", { "uploading": { "rows": "integer" } }] }),
        ),
        ("sync_sign_out", json!("null")),
        ("sync_now", json!("null")),
        (
            "sync_conflicts",
            json!([{ "op_id": "string", "message": "string", "happened_at": "string" }]),
        ),
        ("dismiss_sync_conflict", json!("null")),
    ]
}

/// ui/screens/dashboard.js: who moves in or out this week.
fn movement() -> Value {
    json!({
        "full_name": "string", "property_name": "string", "room": "string", "bed": "string",
        "on": "string"
    })
}
