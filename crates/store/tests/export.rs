//! CSV exports read back with the csv crate: every figure agrees with the
//! store's own statements, the file starts with a byte-order mark, and a
//! tenant named like a formula comes out as harmless text.

mod fixtures;

use std::sync::{Arc, Mutex};

use fixtures::{cash, d, fixture, month, upi, Fixture, ACTOR};
use multipms_store::export::{LedgerFilter, PeriodFilter, Progress, BOM};
use multipms_store::StoreError;

/// Reads an export: checks the byte-order mark, returns header and rows.
fn read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(bytes.starts_with(BOM), "no byte-order mark");
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn rupees(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    let p = paise.unsigned_abs();
    format!("{sign}{}.{:02}", p / 100, p % 100)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// Three tenants, two months billed, payments by UPI and cash, one of
/// them reversed; returns the fixture and the tenant ids.
async fn history() -> (Fixture, Vec<String>) {
    let f = fixture().await;
    let formula = f
        .tenant(
            "=HYPERLINK(\"http://x\")",
            "9876543210",
            0,
            "2026-04-01",
            "9,500",
            "active",
        )
        .await;
    let ravi = f
        .tenant(
            "Ravi Kumar",
            "9876543211",
            1,
            "2026-04-10",
            "8,000",
            "active",
        )
        .await;
    let meera = f
        .tenant(
            "Meera Iyer, Chennai",
            "9876543212",
            2,
            "2026-05-01",
            "10,250.50",
            "active",
        )
        .await;
    for m in ["2026-04", "2026-05"] {
        f.store
            .run_billing(ACTOR, &f.property_id, month(m), d(&format!("{m}-01")))
            .await
            .unwrap();
    }
    f.store
        .record_payment(ACTOR, &formula, &upi("9,500", "2026-04-03", "412345678901"))
        .await
        .unwrap();
    f.store
        .record_payment(ACTOR, &ravi, &cash("5,000", "2026-04-15"))
        .await
        .unwrap();
    let wrong = f
        .store
        .record_payment(ACTOR, &meera, &upi("3,000", "2026-05-04", "512345678901"))
        .await
        .unwrap();
    f.store
        .reverse_payment(
            ACTOR,
            &wrong.payment.id,
            d("2026-05-05"),
            "Booked to the wrong tenant",
        )
        .await
        .unwrap();
    (f, vec![formula, ravi, meera])
}

fn progress() -> Progress {
    Progress::silent()
}

#[tokio::test]
async fn the_ledger_export_agrees_with_every_statement_line() {
    let (f, tenants) = history().await;
    let exported = f
        .store
        .export_ledger(LedgerFilter::default(), Vec::new(), progress())
        .await
        .unwrap();
    let (rows, out) = (exported.rows, exported.out);
    let (header, lines) = read(&out);
    assert_eq!(rows as usize, lines.len());
    let (debit, credit, balance, tenant, kind) = (
        column(&header, "Debit"),
        column(&header, "Credit"),
        column(&header, "Balance"),
        column(&header, "Tenant"),
        column(&header, "Kind"),
    );
    let mut expected_rows = 0;
    for id in &tenants {
        let statement = f.store.tenant_ledger(id).await.unwrap();
        let name = f.store.tenant(id).await.unwrap().full_name;
        let shown = if name.starts_with('=') {
            format!("'{name}")
        } else {
            name.clone()
        };
        let mine: Vec<&Vec<String>> = lines.iter().filter(|l| l[tenant] == shown).collect();
        assert_eq!(mine.len(), statement.lines.len(), "{name}");
        expected_rows += mine.len();
        for (row, line) in mine.iter().zip(&statement.lines) {
            assert_eq!(row[kind], line.kind);
            let (dr, cr) = if line.amount_paise > 0 {
                (rupees(line.amount_paise), String::new())
            } else {
                (String::new(), rupees(-line.amount_paise))
            };
            assert_eq!((row[debit].clone(), row[credit].clone()), (dr, cr));
            assert_eq!(row[balance], rupees(line.running_balance_paise));
            assert_eq!(
                row[column(&header, "Invoice")],
                line.invoice_number.clone().unwrap_or_default()
            );
            assert_eq!(
                row[column(&header, "Receipt")],
                line.receipt_number.clone().unwrap_or_default()
            );
        }
        // The last balance of the export is the tenant's balance.
        let last = mine.last().unwrap();
        assert_eq!(last[balance], rupees(statement.balance.balance_paise));
    }
    assert_eq!(expected_rows, lines.len());

    // The formula-shaped name is text; nothing in the file starts a formula.
    assert!(lines
        .iter()
        .any(|l| l[tenant] == "'=HYPERLINK(\"http://x\")"));
    for line in &lines {
        for (i, cell) in line.iter().enumerate() {
            if i != debit && i != credit && i != balance {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "dangerous cell {cell:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_date_range_keeps_the_balance_brought_forward() {
    let (f, tenants) = history().await;
    let out = f
        .store
        .export_ledger(
            LedgerFilter {
                tenant_id: Some(tenants[1].clone()),
                from: Some(d("2026-05-01")),
                to: Some(d("2026-05-31")),
                ..Default::default()
            },
            Vec::new(),
            progress(),
        )
        .await
        .unwrap()
        .out;
    let (header, lines) = read(&out);
    let statement = f.store.tenant_ledger(&tenants[1]).await.unwrap();
    let in_may: Vec<_> = statement
        .lines
        .iter()
        .filter(|l| l.posted_on.starts_with("2026-05"))
        .collect();
    assert_eq!(lines.len(), in_may.len());
    assert!(!in_may.is_empty());
    let balance = column(&header, "Balance");
    for (row, line) in lines.iter().zip(in_may) {
        assert_eq!(row[balance], rupees(line.running_balance_paise));
    }

    let refused = f
        .store
        .export_ledger(
            LedgerFilter {
                from: Some(d("2026-05-31")),
                to: Some(d("2026-05-01")),
                ..Default::default()
            },
            Vec::new(),
            progress(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::Domain(ref e) if e.to_string().contains("end date")),
        "{refused}"
    );
}

#[tokio::test]
async fn invoices_payments_and_dues_export_every_figure() {
    let (f, tenants) = history().await;

    let out = f
        .store
        .export_invoices(PeriodFilter::default(), Vec::new(), progress())
        .await
        .unwrap()
        .out;
    let (header, lines) = read(&out);
    let mut invoices = Vec::new();
    for m in ["2026-04", "2026-05"] {
        invoices.extend(
            f.store
                .invoices_for_month(&f.property_id, month(m))
                .await
                .unwrap(),
        );
    }
    assert_eq!(lines.len(), invoices.len());
    let (number, total, taxable) = (
        column(&header, "Number"),
        column(&header, "Total"),
        column(&header, "Taxable value"),
    );
    for invoice in &invoices {
        let row = lines
            .iter()
            .find(|l| l[number] == invoice.number)
            .unwrap_or_else(|| panic!("invoice {} missing", invoice.number));
        assert_eq!(row[total], rupees(invoice.total_paise));
        assert_eq!(row[taxable], rupees(invoice.taxable_value_paise));
    }

    let out = f
        .store
        .export_payments(
            PeriodFilter {
                from: Some(d("2026-04-01")),
                to: Some(d("2026-04-30")),
                ..Default::default()
            },
            Vec::new(),
            progress(),
        )
        .await
        .unwrap()
        .out;
    let (header, lines) = read(&out);
    assert_eq!(lines.len(), 2, "two payments were made in April");
    let (amount, utr, mode) = (
        column(&header, "Amount"),
        column(&header, "UTR"),
        column(&header, "Mode"),
    );
    assert_eq!(
        (
            lines[0][amount].as_str(),
            lines[0][utr].as_str(),
            lines[0][mode].as_str()
        ),
        ("9500.00", "412345678901", "upi")
    );
    assert_eq!(
        (lines[1][amount].as_str(), lines[1][mode].as_str()),
        ("5000.00", "cash")
    );

    let out = f
        .store
        .export_dues(d("2026-06-30"), Vec::new(), progress())
        .await
        .unwrap()
        .out;
    let (header, lines) = read(&out);
    let report = f.store.dues_with_ageing(d("2026-06-30")).await.unwrap();
    assert_eq!(lines.len(), report.tenants.len());
    assert_eq!(report.tenants.len(), tenants.len());
    let (outstanding, over_30) = (
        column(&header, "Outstanding"),
        column(&header, "31-60 days"),
    );
    for (row, dues) in lines.iter().zip(&report.tenants) {
        assert_eq!(row[outstanding], rupees(dues.outstanding_paise));
        assert_eq!(row[over_30], rupees(dues.ageing.days_31_60_paise));
    }
    // Meera's Chennai comma survives quoting.
    assert!(lines.iter().any(|l| l[0] == "Meera Iyer, Chennai"));
}

#[tokio::test]
async fn an_export_stops_when_asked_and_reports_as_it_goes() {
    let (f, _) = history().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let note = {
        let seen = seen.clone();
        move |rows| {
            seen.lock().unwrap().push(rows);
            true
        }
    };
    let rows = f
        .store
        .export_ledger(
            LedgerFilter::default(),
            Vec::new(),
            Progress::new(note).every(2),
        )
        .await
        .unwrap()
        .rows;
    assert!(rows >= 6, "{rows}");
    let expected: Vec<u64> = (1..=rows / 2).map(|k| k * 2).chain([rows]).collect();
    assert_eq!(*seen.lock().unwrap(), expected);

    let refused = f
        .store
        .export_ledger(
            LedgerFilter::default(),
            Vec::new(),
            Progress::new(|rows| rows < 4).every(2),
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("cancelled"), "{refused}");
}

#[tokio::test]
async fn a_reversal_names_the_entry_it_reverses_by_its_seq() {
    let (f, _) = history().await;
    let out = f
        .store
        .export_ledger(LedgerFilter::default(), Vec::new(), progress())
        .await
        .unwrap()
        .out;
    let (header, lines) = read(&out);
    let (seq, kind, reverses, credit, debit) = (
        column(&header, "Seq"),
        column(&header, "Kind"),
        column(&header, "Reverses entry"),
        column(&header, "Credit"),
        column(&header, "Debit"),
    );
    let reversals: Vec<&Vec<String>> = lines.iter().filter(|l| l[kind] == "reversal").collect();
    assert_eq!(reversals.len(), 1);
    let reversal = reversals[0];
    let original = lines
        .iter()
        .find(|l| l[seq] == reversal[reverses])
        .expect("the reversed entry is in the export");
    assert_eq!(original[kind], "payment");
    assert_eq!(original[credit], reversal[debit]);
    assert!(lines
        .iter()
        .filter(|l| l[kind] != "reversal")
        .all(|l| l[reverses].is_empty()));
}

/// The ledger of one property: the entries of the tenants who stayed
/// there, up to the last day asked for, and nobody else's.
#[tokio::test]
async fn a_property_filter_exports_only_the_tenants_who_stayed_there() {
    let (f, tenants) = history().await;
    let (other, beds) = f.second_property().await;
    let (guest, _) = f
        .stay("Kavya Nair", "9876543219", &beds[0], "2026-04-01", None)
        .await;
    for (paid_on, reference) in [
        ("2026-04-20", "612345678901"),
        ("2026-05-20", "612345678902"),
    ] {
        f.store
            .record_payment(ACTOR, &guest, &upi("7,000", paid_on, reference))
            .await
            .unwrap();
    }

    let export = |property_id: &str, to: Option<&str>| {
        let filter = LedgerFilter {
            property_id: Some(property_id.to_string()),
            to: to.map(d),
            ..Default::default()
        };
        let store = &f.store;
        async move {
            let out = store
                .export_ledger(filter, Vec::new(), progress())
                .await
                .unwrap()
                .out;
            read(&out)
        }
    };
    let (header, lines) = export(&other, None).await;
    let (tenant, posted_on, credit) = (
        column(&header, "Tenant"),
        column(&header, "Posted on"),
        column(&header, "Credit"),
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().all(|l| l[tenant] == "Kavya Nair"));
    assert!(lines.iter().all(|l| l[credit] == "7000.00"));

    let (_, lines) = export(&other, Some("2026-04-30")).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0][posted_on], "2026-04-20");

    let (_, lines) = export(&f.property_id, None).await;
    assert!(lines.iter().all(|l| l[tenant] != "Kavya Nair"));
    let mut expected = 0;
    for t in &tenants {
        expected += f.store.tenant_ledger(t).await.unwrap().lines.len();
    }
    assert_eq!(lines.len(), expected);
}
