//! Realistic sample documents, for previews, tests and the benchmark.

use chrono::NaiveDate;
use multipms_domain::payment::PaymentMode;
use multipms_domain::upi::UpiId;
use multipms_domain::Paise;

use crate::model::{
    InvoiceDocument, InvoiceLineDoc, InvoiceTotalsDoc, PaymentDoc, Period, ReceiptDocument, Seller,
    UpiPayee,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A line taxed at 18% (9% CGST + 9% SGST), rounded to the paisa.
pub fn gst_line(
    description: &str,
    detail: Option<&str>,
    sac: &str,
    taxable: Paise,
) -> InvoiceLineDoc {
    let cgst = taxable.checked_mul_basis_points(900).unwrap_or(Paise::ZERO);
    let total = taxable
        .checked_add(cgst)
        .and_then(|t| t.checked_add(cgst))
        .unwrap_or(taxable);
    InvoiceLineDoc {
        description: description.to_string(),
        detail: detail.map(str::to_string),
        sac: Some(sac.to_string()),
        taxable_value: taxable,
        cgst,
        sgst: cgst,
        igst: Paise::ZERO,
        total,
    }
}

/// A line without tax.
pub fn exempt_line(
    description: &str,
    detail: Option<&str>,
    sac: &str,
    amount: Paise,
) -> InvoiceLineDoc {
    InvoiceLineDoc {
        description: description.to_string(),
        detail: detail.map(str::to_string),
        sac: Some(sac.to_string()),
        taxable_value: amount,
        total: amount,
        ..InvoiceLineDoc::default()
    }
}

/// Totals of `lines`, the total rounded to the nearest rupee with the
/// round-off shown.
pub fn totals_of(lines: &[InvoiceLineDoc]) -> InvoiceTotalsDoc {
    let mut t = InvoiceTotalsDoc::default();
    let mut exact = Paise::ZERO;
    for l in lines {
        let add = |a: Paise, b: Paise| a.checked_add(b).unwrap_or(a);
        t.taxable_value = add(t.taxable_value, l.taxable_value);
        t.cgst = add(t.cgst, l.cgst);
        t.sgst = add(t.sgst, l.sgst);
        t.igst = add(t.igst, l.igst);
        exact = add(exact, l.total);
    }
    let paise = exact.as_i64();
    let rounded = (paise + 50).div_euclid(100) * 100;
    t.round_off = Paise(rounded - paise);
    t.total = Paise(rounded);
    t
}

/// A co-living property registered for GST, charging 18%: rent, food,
/// electricity, with a part payment and a UPI QR code for the rest.
pub fn sample_invoice() -> InvoiceDocument {
    let lines = vec![
        gst_line(
            "Rent for April 2026 — twin sharing, AC",
            Some("Room 204, Bed B; 1 to 30 April"),
            "996311",
            Paise(1_250_000),
        ),
        gst_line(
            "Meals (breakfast and dinner)",
            Some("30 days × ₹120.00"),
            "996331",
            Paise(360_000),
        ),
        gst_line(
            "Electricity",
            Some("readings 1200 → 1320, 120 units × ₹9.00, split 10 of 30 days"),
            "996311",
            Paise(36_000),
        ),
        gst_line("Housekeeping and laundry", None, "998533", Paise(80_000)),
    ];
    let totals = totals_of(&lines);
    let paid = Paise(1_000_000);
    InvoiceDocument {
        seller: Seller {
            name: "Sai Comforts Co-Living".into(),
            address_lines: vec![
                "No. 14, 5th Cross, Koramangala 4th Block".into(),
                "Bengaluru, Karnataka 560034".into(),
                "Phone 080 4123 4567 · accounts@saicomforts.example".into(),
            ],
            gstin: Some("29ABCDE1234F1Z5".into()),
            pan: Some("ABCDE1234F".into()),
            logo_png: None,
        },
        upi: UpiId::parse("saicomforts@okhdfcbank", "upi")
            .ok()
            .map(|vpa| UpiPayee {
                vpa,
                name: "Sai Comforts Co-Living".into(),
            }),
        number: "BLR1/26-27/00042".into(),
        title: "Tax Invoice".into(),
        date: date(2026, 4, 1),
        period: Period {
            from: date(2026, 4, 1),
            to: date(2026, 4, 30),
        },
        due_date: date(2026, 4, 5),
        tenant_name: "Ananya Raghunathan Iyer".into(),
        tenant_gstin: None,
        room_bed: "Room 204, Bed B (2nd floor, twin sharing)".into(),
        property_state: "Karnataka (29)".into(),
        lines,
        totals,
        gst_note: Some(
            "Taxable: accommodation with services in a commercial co-living property, 18% GST \
             (CGST 9% + SGST 9%)."
                .into(),
        ),
        reverse_charge: false,
        payments: vec![PaymentDoc {
            date: date(2026, 4, 3),
            mode: PaymentMode::Upi,
            reference: Some("UTR 612345678901".into()),
            amount: paid,
        }],
        amount_due: totals.total.checked_sub(paid).unwrap_or(Paise::ZERO),
        cancelled: false,
    }
}

/// A rent receipt paid in cash, above ₹5,000, landlord PAN missing, with
/// more than ₹1,00,000 of rent this financial year.
pub fn sample_receipt() -> ReceiptDocument {
    ReceiptDocument {
        number: "RR/26-27/0107".into(),
        date: date(2026, 11, 5),
        landlord_name: "Venkatesh Prasad Rao".into(),
        landlord_address_lines: vec![
            "No. 14, 5th Cross, Koramangala 4th Block".into(),
            "Bengaluru, Karnataka 560034".into(),
        ],
        landlord_pan: None,
        tenant_name: "Ananya Raghunathan Iyer".into(),
        property_room: "Sai Comforts Co-Living, Room 204, Bed B".into(),
        period: Period {
            from: date(2026, 11, 1),
            to: date(2026, 11, 30),
        },
        amount: Paise(1_475_000),
        mode: PaymentMode::Cash,
        reference: None,
        tenant_rent_this_fy: Paise(11_800_000),
    }
}

/// The sample invoice with 25 lines and a 60-character tenant name: two pages.
pub fn sample_long_invoice() -> InvoiceDocument {
    let mut doc = sample_invoice();
    doc.tenant_name = "Venkata Subramaniam Lakshminarayanan Chandrasekhara Raghavan".to_string();
    doc.lines = (1..=25)
        .map(|i| {
            if i % 3 == 0 {
                exempt_line(
                    &format!(
                        "Charge line {i:02}: laundry, housekeeping and common area \
                         maintenance for the month"
                    ),
                    Some("prorated 12 of 30 days"),
                    "998533",
                    Paise(12_345 * i),
                )
            } else {
                gst_line(
                    &format!("Charge line {i:02}"),
                    Some("readings 1200 → 1320, 120 units × ₹9.00, split 10 of 30 days"),
                    "996311",
                    Paise(100_000 + 1_111 * i),
                )
            }
        })
        .collect();
    doc.totals = totals_of(&doc.lines);
    doc.amount_due = doc.totals.total;
    doc.payments.clear();
    doc
}
