//! The commands through Tauri's IPC on the mock runtime, without a window:
//! what goes in as JSON and what comes back, errors included.

use serde_json::{json, Value};
use tauri::test::mock_builder;
use tauri::WebviewWindowBuilder;

use super::mock_desk::{desk, invoke, saved_files_folder, MockDesk};

/// The sample business on `desk`: its first property's id and this month
/// ("MM/YYYY").
fn sample_property_and_month(desk: &MockDesk) -> (Value, String) {
    invoke(desk, "load_sample_data", json!({})).unwrap();
    let properties = invoke(desk, "list_properties", json!({})).unwrap();
    let month = chrono::Local::now().format("%m/%Y").to_string();
    (properties[0]["id"].clone(), month)
}

/// Bills `month` for the property; the run's report.
fn bill(desk: &MockDesk, property_id: &Value, month: &str) -> Value {
    invoke(
        desk,
        "run_billing",
        json!({ "propertyId": property_id, "month": month }),
    )
    .unwrap()
}

#[test]
fn organisation_round_trip_through_ipc() {
    let desk = desk();
    assert_eq!(
        invoke(&desk, "get_organisation", json!({})),
        Ok(Value::Null)
    );
    let saved = invoke(
        &desk,
        "save_organisation_name",
        json!({ "name": "  Green Nest  Co-living " }),
    )
    .unwrap();
    assert_eq!(saved["name"], "Green Nest Co-living");
    let read = invoke(&desk, "get_organisation", json!({})).unwrap();
    assert_eq!(read["id"], saved["id"]);
}

#[test]
fn a_bad_name_comes_back_as_a_field_error() {
    let desk = desk();
    let error = invoke(&desk, "save_organisation_name", json!({ "name": "" })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
    assert_eq!(error["field"], "name");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .starts_with("Business name is required"));
    assert_eq!(
        invoke(&desk, "get_organisation", json!({})),
        Ok(Value::Null)
    );
}

#[test]
fn a_missing_argument_is_refused_without_a_panic() {
    let desk = desk();
    let error = invoke(&desk, "save_organisation_name", json!({})).unwrap_err();
    assert!(
        error.as_str().unwrap_or_default().contains("name"),
        "{error}"
    );
}

#[test]
fn app_info_names_the_data_folder_and_desk() {
    let desk = desk();
    let info = invoke(&desk, "app_info", json!({})).unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(info["desk_id"].as_str().unwrap().len() == 36);
    assert!(info["data_dir"].as_str().unwrap().len() > 1);
}

#[test]
fn an_unusable_data_folder_is_reported_not_panicked() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let app = crate::configure(mock_builder(), Some(file.path().to_path_buf()))
        .build(tauri::generate_context!())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let desk = MockDesk {
        app,
        window,
        _data: tempfile::tempdir().unwrap(),
    };
    let error = invoke(&desk, "get_organisation", json!({})).unwrap_err();
    assert_eq!(error["kind"], "unavailable");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("cannot be used"));
}

#[test]
fn a_window_not_named_in_the_capabilities_may_call_nothing() {
    let data = tempfile::tempdir().unwrap();
    let app = crate::configure(mock_builder(), Some(data.path().to_path_buf()))
        .build(tauri::generate_context!())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "stranger", Default::default())
        .build()
        .unwrap();
    let desk = MockDesk {
        app,
        window,
        _data: data,
    };
    let error = invoke(&desk, "get_organisation", json!({})).unwrap_err();
    assert!(error.as_str().unwrap().contains("not allowed"), "{error}");
}

#[test]
fn a_double_booking_comes_back_as_a_conflict_naming_the_tenant() {
    let desk = desk();
    let property = invoke(
        &desk,
        "save_property",
        json!({ "id": null, "input": {
            "name": "Sai Comforts", "address_line1": "12 MG Road", "city": "Pune",
            "state": "Maharashtra", "pin_code": "411001", "code": "PUN1"
        }}),
    )
    .unwrap();
    let room = invoke(
        &desk,
        "create_room",
        json!({ "propertyId": property["id"], "input": {
            "floor": "1", "room_number": "101", "room_type": "standard",
            "sharing": "1", "ac": false, "rent_per_bed": "8000"
        }}),
    )
    .unwrap();
    let bed_id = room["beds"][0]["id"].clone();
    let first = invoke(
        &desk,
        "save_tenant",
        json!({ "id": null, "input": { "full_name": "Priya Menon", "mobile": "9812345670" }}),
    )
    .unwrap();
    let second = invoke(
        &desk,
        "save_tenant",
        json!({ "id": null, "input": { "full_name": "Kavya Rao", "mobile": "9812345671" }}),
    )
    .unwrap();
    invoke(
        &desk,
        "allocate",
        json!({ "tenantId": first["id"], "bedId": bed_id, "input": { "move_in": "01/04/2026" }}),
    )
    .unwrap();
    let error = invoke(
        &desk,
        "allocate",
        json!({ "tenantId": second["id"], "bedId": bed_id, "input": { "move_in": "10/04/2026" }}),
    )
    .unwrap_err();
    assert_eq!(error["kind"], "conflict");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("Priya Menon") && message.contains("101-A"),
        "{message}"
    );

    let occupancy = invoke(&desk, "occupancy", json!({ "on": "15/04/2026" })).unwrap();
    assert_eq!(occupancy["overall"]["occupied"], 1);
    let bad_date = invoke(&desk, "occupancy", json!({ "on": "31/02/2026" })).unwrap_err();
    assert_eq!(bad_date["kind"], "invalid");
    assert_eq!(bad_date["field"], "on");
}

#[test]
fn sample_data_loads_through_ipc() {
    let desk = desk();
    invoke(&desk, "load_sample_data", json!({})).unwrap();
    let occupancy = invoke(&desk, "occupancy", json!({})).unwrap();
    assert_eq!(occupancy["overall"]["total"], 72);
    let again = invoke(&desk, "load_sample_data", json!({})).unwrap_err();
    assert_eq!(again["kind"], "conflict");
}

#[test]
fn a_month_is_billed_and_a_upi_payment_lowers_the_dues() {
    let desk = desk();
    let (property_id, month) = sample_property_and_month(&desk);
    let run = bill(&desk, &property_id, &month);
    let created = run["created"].as_array().unwrap();
    assert!(!created.is_empty(), "{run}");
    let again = bill(&desk, &property_id, &month);
    assert_eq!(again["created"].as_array().unwrap().len(), 0);
    assert!(again["summary"].as_str().unwrap().contains("Nothing new"));

    let tenant_id = created[0]["tenant_id"].clone();
    let before = invoke(&desk, "tenant_ledger", json!({ "tenantId": tenant_id })).unwrap();
    let dues_before = before["balance"]["dues_paise"].as_i64().unwrap();
    assert!(dues_before > 0);
    let paid = invoke(
        &desk,
        "record_payment",
        json!({ "tenantId": tenant_id, "input": {
            "mode": "upi", "amount": "1000", "paid_on": chrono::Local::now().format("%d/%m/%Y").to_string(),
            "reference": "412345678901"
        }}),
    )
    .unwrap();
    assert_eq!(
        paid["balance"]["dues_paise"].as_i64().unwrap(),
        dues_before - 100_000
    );
    let duplicate = invoke(
        &desk,
        "record_payment",
        json!({ "tenantId": tenant_id, "input": {
            "mode": "upi", "amount": "1000", "paid_on": chrono::Local::now().format("%d/%m/%Y").to_string(),
            "reference": "4123 4567 8901"
        }}),
    )
    .unwrap_err();
    assert_eq!(duplicate["field"], "reference", "{duplicate}");
    let dues = invoke(&desk, "dues_report", json!({})).unwrap();
    assert!(dues["total"]["total_paise"].as_i64().unwrap() > 0);
    assert_eq!(dues["offset"], 0);
    assert_eq!(dues["limit"], 200);

    // Paged by 7: the pages are disjoint, together they are everyone who
    // owes, and each carries the same totals over all of them.
    let owing = dues["owing_count"].as_u64().unwrap();
    assert!(owing > 7, "{owing} tenants owe");
    let mut seen = std::collections::HashSet::new();
    let mut outstanding = 0;
    let mut offset = 0;
    while offset < owing {
        let page = invoke(
            &desk,
            "dues_report",
            json!({ "asOf": null, "offset": offset, "limit": 7 }),
        )
        .unwrap();
        assert_eq!(page["owing_count"], dues["owing_count"]);
        assert_eq!(page["total"], dues["total"]);
        let tenants = page["tenants"].as_array().unwrap();
        assert_eq!(tenants.len() as u64, (owing - offset).min(7));
        for tenant in tenants {
            assert!(seen.insert(tenant["tenant_id"].as_str().unwrap().to_string()));
            outstanding += tenant["outstanding_paise"].as_i64().unwrap();
        }
        offset += 7;
    }
    assert_eq!(seen.len() as u64, owing);
    assert_eq!(outstanding, dues["total"]["total_paise"].as_i64().unwrap());
    let beyond = invoke(&desk, "dues_report", json!({ "offset": owing })).unwrap();
    assert_eq!(beyond["tenants"].as_array().unwrap().len(), 0);
    for limit in [0, 1_001] {
        let refused = invoke(&desk, "dues_report", json!({ "limit": limit })).unwrap_err();
        assert_eq!(refused["field"], "limit", "{refused}");
    }
}

#[test]
fn a_months_invoices_come_a_page_at_a_time_with_their_tenants_names() {
    let desk = desk();
    let (property_id, month) = sample_property_and_month(&desk);
    let run = bill(&desk, &property_id, &month);
    let created = run["created"].as_array().unwrap();
    let first = invoke(
        &desk,
        "invoice_page",
        json!({ "propertyId": property_id, "month": month, "limit": 5 }),
    )
    .unwrap();
    assert_eq!(first["count"], created.len());
    assert_eq!(
        (first["offset"].as_u64(), first["limit"].as_u64()),
        (Some(0), Some(5))
    );
    let rows = first["invoices"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["number"], created[0]["number"]);
    let tenant = invoke(&desk, "get_tenant", json!({ "id": rows[0]["tenant_id"] })).unwrap();
    assert_eq!(rows[0]["tenant_name"], tenant["full_name"]);
    let issued: i64 = created
        .iter()
        .map(|c| c["total_paise"].as_i64().unwrap())
        .sum();
    assert_eq!(first["issued_total_paise"], issued);
    // The default page holds the rest; past the end is empty.
    let second = invoke(
        &desk,
        "invoice_page",
        json!({ "propertyId": property_id, "month": month, "offset": 5 }),
    )
    .unwrap();
    assert_eq!(
        second["invoices"].as_array().unwrap().len(),
        created.len() - 5
    );
    assert_eq!(second["limit"], 200);
    let refused = invoke(
        &desk,
        "invoice_page",
        json!({ "propertyId": property_id, "month": month, "limit": 0 }),
    )
    .unwrap_err();
    assert_eq!(refused["field"], "limit");
    let bad_month = invoke(
        &desk,
        "invoice_page",
        json!({ "propertyId": property_id, "month": "13/2026" }),
    )
    .unwrap_err();
    assert_eq!(bad_month["field"], "month");
}

#[test]
fn reports_send_the_largest_deposits_with_the_count_and_sum_of_all() {
    let desk = desk();
    invoke(&desk, "load_sample_data", json!({})).unwrap();
    let first = invoke(&desk, "reports", json!({})).unwrap();
    let before = first["deposits"]["count"].as_u64().unwrap() as usize;
    assert!(before > 0, "the sample's tenants paid deposits");
    let holding: Vec<&Value> = first["deposits"]["largest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["tenant_id"])
        .collect();
    // Two more deposits collected, in cash, from tenants who held none.
    let tenants = invoke(&desk, "search_tenants", json!({ "query": "" })).unwrap();
    let without: Vec<&Value> = tenants
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !holding.contains(&&t["id"]))
        .collect();
    for (tenant, amount) in without.iter().zip(["12345", "7500"]) {
        invoke(
            &desk,
            "record_payment",
            json!({ "tenantId": tenant["id"], "input": {
                "mode": "cash", "amount": amount, "purpose": "security_deposit",
                "paid_on": chrono::Local::now().format("%d/%m/%Y").to_string()
            }}),
        )
        .unwrap();
    }
    let reports = invoke(&desk, "reports", json!({})).unwrap();
    let held = &reports["deposits"];
    let largest = held["largest"].as_array().unwrap();
    let count = held["count"].as_u64().unwrap() as usize;
    assert_eq!(count, before + 2, "{held}");
    assert_eq!(largest.len(), count.min(100));
    let paise: Vec<i64> = largest
        .iter()
        .map(|d| d["held_paise"].as_i64().unwrap())
        .collect();
    assert!(paise.windows(2).all(|w| w[0] >= w[1]), "largest first");
    assert!(held["held_paise"].as_i64().unwrap() >= paise.iter().sum::<i64>());
    assert!(
        paise.contains(&1_234_500) && paise.contains(&750_000),
        "{paise:?}"
    );
    assert!(largest[0]["full_name"].is_string());
    assert!(reports["collections"].is_array());
}

#[test]
fn an_invoice_series_prefix_is_set_through_ipc_and_a_bad_one_names_the_field() {
    let desk = desk();
    invoke(&desk, "load_sample_data", json!({})).unwrap();
    let properties = invoke(&desk, "list_properties", json!({})).unwrap();
    let property_id = properties[0]["id"].clone();
    let series = invoke(
        &desk,
        "invoice_series",
        json!({ "propertyId": property_id }),
    )
    .unwrap();
    assert_eq!(series[0]["this_desk"], true, "{series}");
    let issued = series[0]["last_sequence"].as_i64().unwrap();
    assert!(issued > 0, "the sample's invoices: {series}");

    for bad in ["X", "TOO-LONG", "ABCDEFG"] {
        let refused = invoke(
            &desk,
            "set_invoice_series_prefix",
            json!({ "propertyId": property_id, "prefix": bad }),
        )
        .unwrap_err();
        assert_eq!(refused["kind"], "invalid", "{refused}");
        assert_eq!(refused["field"], "prefix", "{refused}");
    }
    let other_code = properties[1]["code"].clone();
    let refused = invoke(
        &desk,
        "set_invoice_series_prefix",
        json!({ "propertyId": property_id, "prefix": other_code }),
    )
    .unwrap_err();
    assert_eq!(refused["field"], "prefix", "{refused}");

    let saved = invoke(
        &desk,
        "set_invoice_series_prefix",
        json!({ "propertyId": property_id, "prefix": "sai1" }),
    )
    .unwrap();
    assert_eq!(saved["prefix"], "SAI1");
    assert_eq!(saved["last_sequence"].as_i64().unwrap(), issued);

    let receipts = invoke(&desk, "receipt_series", json!({})).unwrap();
    assert_eq!(receipts[0]["this_desk"], true, "{receipts}");
    let saved = invoke(
        &desk,
        "set_receipt_series_prefix",
        json!({ "prefix": "SAIR" }),
    )
    .unwrap();
    assert_eq!(saved["prefix"], "SAIR");
}

#[test]
fn an_export_is_saved_as_csv_and_a_bad_date_names_its_field() {
    let folder = saved_files_folder();
    let desk = desk();
    invoke(&desk, "load_sample_data", json!({})).unwrap();
    let bad = invoke(
        &desk,
        "export_csv",
        json!({ "request": { "report": "payments", "from": "31/02/2026" } }),
    )
    .unwrap_err();
    assert_eq!(bad["kind"], "invalid", "{bad}");
    assert_eq!(bad["field"], "from", "{bad}");

    let done = invoke(
        &desk,
        "export_csv",
        json!({ "request": { "report": "invoices", "property_id": null, "from": "", "to": null } }),
    )
    .unwrap();
    let path = std::path::PathBuf::from(done["path"].as_str().unwrap());
    assert!(path.starts_with(folder), "{path:?}");
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFNumber,Invoice date"),
        "{bytes:?}"
    );
    // The sample's three months of invoices, one row each under the header.
    let rows = done["rows"].as_u64().unwrap();
    assert!(rows > 0);
    assert_eq!(
        csv::Reader::from_reader(&bytes[3..]).records().count() as u64,
        rows
    );
    // Nothing half-written is left beside it.
    assert!(std::fs::read_dir(folder).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".part")));
}

#[test]
fn documents_go_in_one_by_one_and_a_bad_file_is_refused_by_name() {
    saved_files_folder();
    let desk = desk();
    let tenant = invoke(
        &desk,
        "save_tenant",
        json!({ "id": null, "input": { "full_name": "Meera Iyer", "mobile": "9876543210" } }),
    )
    .unwrap();
    let files = tempfile::tempdir().unwrap();
    let photo = files.path().join("photo.png");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    std::fs::write(&photo, &png).unwrap();
    let program = files.path().join("agreement.pdf");
    std::fs::write(&program, b"MZ\x90\x00 not a pdf").unwrap();
    let empty = files.path().join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();

    let added = invoke(
        &desk,
        "add_documents",
        json!({ "tenantId": tenant["id"], "contractId": null, "kind": "photo",
                "paths": [photo, program, empty] }),
    )
    .unwrap();
    assert_eq!(added["added"].as_array().unwrap().len(), 1, "{added}");
    let refused = added["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{added}");
    assert_eq!(refused[0]["name"], "agreement.pdf");
    assert!(refused[0]["reason"]
        .as_str()
        .unwrap()
        .contains("looks like a Windows program"));
    assert_eq!(refused[1]["reason"], "empty.jpg is empty");

    let listed = invoke(
        &desk,
        "tenant_documents",
        json!({ "tenantId": tenant["id"] }),
    )
    .unwrap();
    assert_eq!(listed[0]["original_name"], "photo.png");
    assert_eq!(listed[0]["kind_label"], "Photo");

    let unknown_kind = invoke(
        &desk,
        "add_documents",
        json!({ "tenantId": tenant["id"], "contractId": null, "kind": "selfie", "paths": [photo] }),
    )
    .unwrap_err();
    assert_eq!(unknown_kind["field"], "kind");

    invoke(&desk, "remove_document", json!({ "id": listed[0]["id"] })).unwrap();
    let listed = invoke(
        &desk,
        "tenant_documents",
        json!({ "tenantId": tenant["id"] }),
    )
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[test]
fn a_month_of_invoices_is_saved_as_pdf_one_file_or_one_per_invoice() {
    let folder = saved_files_folder();
    let desk = desk();
    let (property_id, month) = sample_property_and_month(&desk);
    let none_yet = invoke(
        &desk,
        "save_month_pdfs",
        json!({ "propertyId": property_id, "month": month, "oneFile": true }),
    )
    .unwrap_err();
    assert_eq!(none_yet["field"], "month", "{none_yet}");
    let run = bill(&desk, &property_id, &month);
    let count = run["created"].as_array().unwrap().len();

    let one = invoke(
        &desk,
        "save_month_pdfs",
        json!({ "propertyId": property_id, "month": month, "oneFile": true }),
    )
    .unwrap();
    assert_eq!(one["invoices"], count);
    let path = std::path::PathBuf::from(one["path"].as_str().unwrap());
    assert!(path.starts_with(folder));
    let text = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh --test");
    let text = String::from_utf8_lossy(&text.stdout);
    for issued in run["created"].as_array().unwrap() {
        assert!(
            text.contains(issued["number"].as_str().unwrap()),
            "invoice {} is in the month's PDF",
            issued["number"]
        );
    }

    let many = invoke(
        &desk,
        "save_month_pdfs",
        json!({ "propertyId": property_id, "month": month, "oneFile": false }),
    )
    .unwrap();
    let files = std::fs::read_dir(many["path"].as_str().unwrap())
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect::<Vec<_>>();
    assert_eq!(files.len(), count);
    assert!(files.iter().all(|f| f.starts_with(b"%PDF")));

    let single = invoke(
        &desk,
        "save_invoice_pdf",
        json!({ "invoiceId": run["created"][0]["id"] }),
    )
    .unwrap();
    assert!(single.as_str().unwrap().ends_with(".pdf"), "{single}");
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh --test");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_rent_receipt_names_the_landlord_pan_and_invoices_carry_the_logo() {
    use base64::Engine as _;
    let folder = saved_files_folder();
    let desk = desk();
    invoke(
        &desk,
        "save_organisation_name",
        json!({ "name": "Sai Comforts" }),
    )
    .unwrap();
    invoke(&desk, "load_sample_data", json!({})).unwrap();

    // The logo: a text file is refused by name, a real PNG is kept.
    let pictures = tempfile::tempdir().unwrap();
    let text_file = pictures.path().join("logo.png");
    std::fs::write(&text_file, "not a picture at all").unwrap();
    let refused = invoke(&desk, "set_logo_file", json!({ "path": text_file })).unwrap_err();
    assert_eq!(refused["field"], "logo", "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .starts_with("logo.png is not a PDF, JPEG, PNG or WebP file"));
    assert_eq!(invoke(&desk, "logo_image", json!({})).unwrap(), Value::Null);
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
        .unwrap();
    let logo_file = pictures.path().join("sai.png");
    std::fs::write(&logo_file, png).unwrap();
    let url = invoke(&desk, "set_logo_file", json!({ "path": logo_file })).unwrap();
    assert!(url.as_str().unwrap().starts_with("data:image/png;base64,"));
    assert_eq!(invoke(&desk, "logo_image", json!({})).unwrap(), url);

    // The landlord's PAN on the property.
    let properties = invoke(&desk, "list_properties", json!({})).unwrap();
    let mut property = properties[0].clone();
    let property_id = property["id"].clone();
    property["landlord_name"] = json!("Ramesh Kumar");
    property["landlord_pan"] = json!("abcpe12345");
    let bad = invoke(
        &desk,
        "save_property",
        json!({ "id": property_id, "input": property }),
    )
    .unwrap_err();
    assert_eq!(bad["field"], "landlord_pan", "{bad}");
    property["landlord_pan"] = json!("abcpe1234f");
    let saved = invoke(
        &desk,
        "save_property",
        json!({ "id": property_id, "input": property }),
    )
    .unwrap();
    assert_eq!(saved["landlord_pan"], "ABCPE1234F");

    let month = chrono::Local::now().format("%m/%Y").to_string();
    let run = bill(&desk, &property_id, &month);
    let invoice = &run["created"][0];
    let paid = invoke(
        &desk,
        "record_payment",
        json!({ "tenantId": invoice["tenant_id"], "input": {
            "mode": "cash", "amount": "7,500", "paid_on": chrono::Local::now().format("%d/%m/%Y").to_string()
        }}),
    )
    .unwrap();
    let receipt_number = paid["payment"]["receipt_number"]
        .as_str()
        .unwrap()
        .to_string();
    let path = invoke(
        &desk,
        "save_receipt_pdf",
        json!({ "paymentId": paid["payment"]["id"] }),
    )
    .unwrap();
    let path = std::path::PathBuf::from(path.as_str().unwrap());
    assert!(path.starts_with(folder));
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("Receipt-"));
    let text = pdf_text(&path);
    for expected in [
        receipt_number.as_str(),
        "Ramesh Kumar",
        "ABCPE1234F",
        "7,500.00",
        "Cash",
        "Rupees Seven Thousand Five Hundred Only",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is on the receipt:\n{text}"
        );
    }
    assert!(
        text.contains("Affix revenue stamp"),
        "cash over ₹5,000:\n{text}"
    );

    let invoice_pdf = invoke(
        &desk,
        "save_invoice_pdf",
        json!({ "invoiceId": invoice["id"] }),
    )
    .unwrap();
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(invoice_pdf.as_str().unwrap())
        .output()
        .expect("pdfimages (poppler-utils) is installed");
    let listing = String::from_utf8_lossy(&images.stdout);
    assert_eq!(
        listing.lines().count(),
        3,
        "one image, the logo:\n{listing}"
    );

    invoke(&desk, "remove_logo", json!({})).unwrap();
    assert_eq!(invoke(&desk, "logo_image", json!({})).unwrap(), Value::Null);
}

#[test]
fn corrections_name_their_fields_and_a_bounced_cheque_is_reversed() {
    let desk = desk();
    invoke(&desk, "load_sample_data", json!({})).unwrap();
    let properties = invoke(&desk, "list_properties", json!({})).unwrap();
    let month = chrono::Local::now().format("%m/%Y").to_string();
    let today = chrono::Local::now().format("%d/%m/%Y").to_string();
    let run = invoke(
        &desk,
        "run_billing",
        json!({ "propertyId": properties[0]["id"], "month": month }),
    )
    .unwrap();
    let invoice = &run["created"][0];
    let tenant_id = invoice["tenant_id"].clone();
    let cheque = invoke(
        &desk,
        "record_payment",
        json!({ "tenantId": tenant_id, "input": {
            "mode": "cheque", "amount": "2,000", "paid_on": today,
            "cheque_number": "004512", "cheque_bank": "Canara Bank"
        }}),
    )
    .unwrap();
    let payment_id = cheque["payment"]["id"].clone();
    let listed = invoke(&desk, "tenant_payments", json!({ "tenantId": tenant_id })).unwrap();
    let pending = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == payment_id)
        .unwrap();
    assert_eq!(pending["cheque_state"], "pending");

    let bad_date = invoke(
        &desk,
        "bounce_cheque",
        json!({ "paymentId": payment_id, "on": "31/02/2026" }),
    )
    .unwrap_err();
    assert_eq!(bad_date["field"], "on", "{bad_date}");
    let bad_charge = invoke(
        &desk,
        "bounce_cheque",
        json!({ "paymentId": payment_id, "on": today, "bounceCharge": "five hundred" }),
    )
    .unwrap_err();
    assert_eq!(bad_charge["field"], "bounce_charge", "{bad_charge}");
    let before = invoke(&desk, "tenant_ledger", json!({ "tenantId": tenant_id })).unwrap();
    let bounced = invoke(
        &desk,
        "bounce_cheque",
        json!({ "paymentId": payment_id, "on": today, "bounceCharge": "500" }),
    )
    .unwrap();
    assert_eq!(bounced["cheque_state"], "bounced");
    let after = invoke(&desk, "tenant_ledger", json!({ "tenantId": tenant_id })).unwrap();
    assert_eq!(
        after["balance"]["dues_paise"].as_i64().unwrap(),
        before["balance"]["dues_paise"].as_i64().unwrap() + 200_000 + 50_000,
        "the cheque's ₹2,000 is owed again, with the ₹500 bounce charge"
    );

    let no_reason = invoke(
        &desk,
        "cancel_invoice",
        json!({ "invoiceId": invoice["id"], "on": today, "reason": " " }),
    )
    .unwrap_err();
    assert_eq!(no_reason["field"], "reason", "{no_reason}");
    let cancelled = invoke(
        &desk,
        "cancel_invoice",
        json!({ "invoiceId": invoice["id"], "on": today, "reason": "Billed the wrong bed" }),
    )
    .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
}

#[test]
fn a_deposit_is_previewed_then_settled_and_a_late_fee_rule_is_kept() {
    let desk = desk();
    invoke(&desk, "load_sample_data", json!({})).unwrap();
    let today = chrono::Local::now().format("%d/%m/%Y").to_string();
    // A tenant on notice: their stay has a move-out day.
    let found = invoke(
        &desk,
        "search_tenants",
        json!({ "query": "", "limit": 200 }),
    )
    .unwrap();
    let (contract, tenant_id) = found
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| {
            let stays =
                invoke(&desk, "tenant_allocations", json!({ "tenantId": t["id"] })).unwrap();
            let stay = stays
                .as_array()
                .unwrap()
                .iter()
                .find(|a| !a["move_out"].is_null())?
                .clone();
            let contract =
                invoke(&desk, "get_contract", json!({ "allocationId": stay["id"] })).unwrap();
            (!contract.is_null()).then(|| (contract, t["id"].clone()))
        })
        .expect("the sample has tenants who are leaving");
    let input = json!({ "on": today, "damages": [{ "description": "Broken window pane", "amount": "1,500" }], "notice_short_days": "0" });
    let bad = invoke(
        &desk,
        "preview_deposit_settlement",
        json!({ "contractId": contract["id"], "input": { "on": today, "damages": [{ "description": "Chair", "amount": "lots" }] } }),
    )
    .unwrap_err();
    assert_eq!(bad["kind"], "invalid", "{bad}");
    let preview = invoke(
        &desk,
        "preview_deposit_settlement",
        json!({ "contractId": contract["id"], "input": input }),
    )
    .unwrap();
    assert!(
        preview["id"].is_null(),
        "a preview writes nothing: {preview}"
    );
    assert!(preview["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["amount_paise"] == 150_000));
    assert_eq!(
        invoke(
            &desk,
            "deposit_settlement",
            json!({ "contractId": contract["id"] })
        )
        .unwrap(),
        Value::Null
    );
    let settled = invoke(
        &desk,
        "settle_deposit",
        json!({ "contractId": contract["id"], "input": input }),
    )
    .unwrap();
    assert_eq!(
        settled["refund_to_tenant_paise"],
        preview["refund_to_tenant_paise"]
    );
    assert_eq!(settled["tenant_owes_paise"], preview["tenant_owes_paise"]);
    let again = invoke(
        &desk,
        "settle_deposit",
        json!({ "contractId": contract["id"], "input": input }),
    )
    .unwrap_err();
    assert_eq!(again["kind"], "conflict", "{again}");
    let ledger = invoke(&desk, "tenant_ledger", json!({ "tenantId": tenant_id })).unwrap();
    let sum: i64 = ledger["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount_paise"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, ledger["balance"]["balance_paise"].as_i64().unwrap());

    let properties = invoke(&desk, "list_properties", json!({})).unwrap();
    let property_id = properties[0]["id"].clone();
    let bad_rule = invoke(
        &desk,
        "set_late_fee_rule",
        json!({ "propertyId": property_id, "input": { "enabled": true, "kind": "flat", "value": "", "after_days": "5", "cap": "" } }),
    )
    .unwrap_err();
    assert_eq!(bad_rule["field"], "value", "{bad_rule}");
    invoke(
        &desk,
        "set_late_fee_rule",
        json!({ "propertyId": property_id, "input": { "enabled": true, "kind": "percent", "value": "2", "after_days": "7", "cap": "500" } }),
    )
    .unwrap();
    let rule = invoke(&desk, "late_fee_rule", json!({ "propertyId": property_id })).unwrap();
    assert_eq!(
        (
            rule["enabled"].as_bool(),
            rule["percent_bp"].as_i64(),
            rule["after_days"].as_i64(),
            rule["cap_paise"].as_i64()
        ),
        (Some(true), Some(200), Some(7), Some(50_000))
    );
}

#[test]
fn the_person_at_the_desk_is_named_and_kept() {
    let desk = desk();
    assert_eq!(
        invoke(&desk, "app_info", json!({})).unwrap()["operator"],
        "front desk"
    );
    let blank = invoke(&desk, "set_desk_operator", json!({ "name": "  " })).unwrap_err();
    assert_eq!(blank["field"], "operator_name", "{blank}");
    let saved = invoke(
        &desk,
        "set_desk_operator",
        json!({ "name": " Lakshmi  Rao " }),
    )
    .unwrap();
    assert_eq!(saved, "Lakshmi Rao");
    assert_eq!(
        invoke(&desk, "app_info", json!({})).unwrap()["operator"],
        "Lakshmi Rao"
    );
}
