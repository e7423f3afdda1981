//! The PDFs checked with the tools people and printers use: poppler's
//! pdftotext and pdftoppm, zbarimg for the QR code, qpdf for structure.
//! (Debian: poppler-utils, zbar-tools, qpdf; `scripts/install-deps.sh --test`.)

use std::path::{Path, PathBuf};
use std::process::Command;

use multipms_domain::payment::PaymentMode;
use multipms_domain::upi::payment_link;
use multipms_domain::Paise;
use multipms_invoice_pdf::samples::{sample_invoice, sample_long_invoice, sample_receipt};
use multipms_invoice_pdf::{
    render_invoice, render_invoices, render_receipt, InvoiceDocument, RenderError,
};

const PAGE_WIDTH: f64 = 595.28;
const PAGE_HEIGHT: f64 = 841.89;

fn write(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} could not run ({e}); install poppler-utils, zbar-tools and qpdf")
        })
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// pdftotext -layout of the whole document.
fn layout_text(pdf: &Path) -> String {
    let out = run("pdftotext", &["-layout", s(pdf), "-"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// pdftotext of one page in reading order, whitespace collapsed.
fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    let out = run("pdftotext", &["-f", &page, "-l", &page, s(pdf), "-"]);
    assert!(out.status.success());
    collapse(&String::from_utf8(out.stdout).unwrap())
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages(pdf: &Path) -> usize {
    let out = run("qpdf", &["--show-npages", s(pdf)]);
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn qpdf_check(pdf: &Path) {
    let out = run("qpdf", &["--check", s(pdf)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "qpdf --check failed for {}: {stdout}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("No syntax or stream encoding errors"),
        "{stdout}"
    );
}

/// The QR codes zbarimg finds on the first page at 150 dpi.
fn qr_codes(dir: &Path, pdf: &Path) -> Vec<String> {
    let prefix = dir.join(format!(
        "{}-page",
        pdf.file_stem().unwrap().to_str().unwrap()
    ));
    let out = run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            s(pdf),
            s(&prefix),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = prefix.with_extension("png");
    let out = run("zbarimg", &["--raw", "-q", s(&png)]);
    // zbarimg exits 4 when it finds no code.
    assert!(
        out.status.success() || out.status.code() == Some(4),
        "zbarimg failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn invoice_text_shows_number_tenant_amounts_and_words() {
    let dir = tmp();
    let doc = sample_invoice();
    let pdf = write(dir.path(), "invoice.pdf", &render_invoice(&doc).unwrap());
    let text = layout_text(&pdf);
    assert!(text.contains("BLR1/26-27/00042"), "{text}");
    assert!(text.contains("Ananya Raghunathan Iyer"));
    assert!(text.contains("Tax Invoice"));
    assert!(text.contains('₹'));
    for line in &doc.lines {
        for amount in [line.taxable_value, line.cgst, line.sgst, line.total] {
            let shown = amount.to_indian_string();
            assert!(text.contains(&shown), "{shown} missing from\n{text}");
        }
    }
    let t = doc.totals;
    for amount in [
        t.taxable_value,
        t.cgst,
        t.sgst,
        t.round_off,
        t.total,
        doc.amount_due,
    ] {
        assert!(text.contains(&amount.to_indian_string()), "{amount}");
    }
    // Spot-check the Indian grouping itself, not only what Paise prints.
    assert!(text.contains("₹12,500.00"), "{text}");
    assert!(text.contains("01/04/2026") && text.contains("30/04/2026"));
    assert!(text.contains("UTR 612345678901"));
    assert!(text.contains("Computer-generated invoice"));
    assert!(text.contains("Page 1 of 1"));
    assert!(text.contains("1200 -> 1320"));
    let words = page_text(&pdf, 1);
    assert!(
        words.contains(&t.total.amount_in_words()),
        "{} missing from\n{words}",
        t.total.amount_in_words()
    );
    assert!(words.contains("Amount due"));
}

#[test]
fn qr_code_carries_the_upi_link_for_the_amount_due() {
    let dir = tmp();
    let doc = sample_invoice();
    let pdf = write(dir.path(), "qr.pdf", &render_invoice(&doc).unwrap());
    let upi = doc.upi.as_ref().unwrap();
    let expected = payment_link(&upi.vpa, &upi.name, doc.amount_due, &doc.number).unwrap();
    assert_eq!(
        expected,
        format!(
            "upi://pay?pa=saicomforts@okhdfcbank&pn=Sai%20Comforts%20Co-Living&am={}&cu=INR\
             &tn=BLR1%2F26-27%2F00042",
            doc.amount_due.to_decimal_rupees()
        )
    );
    assert_eq!(qr_codes(dir.path(), &pdf), [expected]);
    assert!(layout_text(&pdf).contains("saicomforts@okhdfcbank"));
}

#[test]
fn no_qr_code_without_upi_when_nothing_is_due_or_cancelled() {
    let dir = tmp();
    let mut no_upi = sample_invoice();
    no_upi.upi = None;
    let mut paid = sample_invoice();
    paid.amount_due = Paise::ZERO;
    let mut cancelled = sample_invoice();
    cancelled.cancelled = true;
    for (name, doc) in [("no-upi", no_upi), ("paid", paid), ("cancelled", cancelled)] {
        let pdf = write(
            dir.path(),
            &format!("{name}.pdf"),
            &render_invoice(&doc).unwrap(),
        );
        assert_eq!(qr_codes(dir.path(), &pdf), Vec::<String>::new(), "{name}");
        assert!(!layout_text(&pdf).contains("Scan to pay"), "{name}");
    }
}

#[test]
fn qpdf_accepts_an_invoice_many_invoices_and_a_receipt() {
    let dir = tmp();
    qpdf_check(&write(
        dir.path(),
        "one.pdf",
        &render_invoice(&sample_invoice()).unwrap(),
    ));
    let many: Vec<InvoiceDocument> = (0..3).map(|_| sample_invoice()).collect();
    qpdf_check(&write(
        dir.path(),
        "many.pdf",
        &render_invoices(&many).unwrap(),
    ));
    qpdf_check(&write(
        dir.path(),
        "receipt.pdf",
        &render_receipt(&sample_receipt()).unwrap(),
    ));
}

#[test]
fn each_invoice_of_many_starts_on_its_own_page() {
    let dir = tmp();
    let docs: Vec<InvoiceDocument> = (1..=3)
        .map(|i| {
            let mut d = sample_invoice();
            d.number = format!("BLR1/26-27/0000{i}");
            d.tenant_name = format!("Tenant Number {i}");
            d
        })
        .collect();
    let pdf = write(dir.path(), "many.pdf", &render_invoices(&docs).unwrap());
    assert_eq!(pages(&pdf), 3);
    for i in 1..=3 {
        let text = page_text(&pdf, i);
        assert!(
            text.contains(&format!("BLR1/26-27/0000{i}")),
            "page {i}: {text}"
        );
        assert!(text.contains(&format!("Tenant Number {i}")));
        assert!(text.contains("Page 1 of 1"));
    }
    assert_eq!(render_invoices(&[]), Err(RenderError::Empty));
}

/// Every word pdftotext places lies inside the page.
fn assert_inside_page(pdf: &Path) {
    let out = run("pdftotext", &["-bbox", s(pdf), "-"]);
    let html = String::from_utf8(out.stdout).unwrap();
    let mut words = 0;
    for tag in html.split("<word ").skip(1) {
        let attr = |name: &str| -> f64 {
            let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let end = start + tag[start..].find('"').unwrap();
            tag[start..end].parse().unwrap()
        };
        let (x0, y0, x1, y1) = (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"));
        assert!(
            x0 >= 0.0 && y0 >= 0.0 && x1 <= PAGE_WIDTH && y1 <= PAGE_HEIGHT,
            "word outside the page: {}",
            &tag[..tag.find("</word>").unwrap_or(tag.len())]
        );
        words += 1;
    }
    assert!(words > 50);
}

#[test]
fn a_long_invoice_flows_onto_a_second_page_with_everything_inside() {
    let dir = tmp();
    let doc = sample_long_invoice();
    assert_eq!(doc.tenant_name.chars().count(), 60);
    assert_eq!(doc.lines.len(), 25);
    let pdf = write(dir.path(), "long.pdf", &render_invoice(&doc).unwrap());
    assert_eq!(pages(&pdf), 2);
    let text = layout_text(&pdf);
    for i in 1..=25 {
        assert!(
            text.contains(&format!("Charge line {i:02}")),
            "line {i} missing"
        );
    }
    for line in &doc.lines {
        assert!(text.contains(&line.total.to_indian_string()));
    }
    assert!(text.contains("Page 1 of 2") && text.contains("Page 2 of 2"));
    // The table header is repeated on the second page.
    let second = page_text(&pdf, 2);
    assert!(
        second.contains("(continued)") && second.contains("Description"),
        "{second}"
    );
    let all = collapse(&text);
    assert!(
        all.contains("Venkata Subramaniam Lakshminarayanan"),
        "{all}"
    );
    assert_inside_page(&pdf);
    qpdf_check(&pdf);
}

#[test]
fn reverse_charge_and_cancelled_are_printed() {
    let dir = tmp();
    let mut doc = sample_invoice();
    doc.reverse_charge = true;
    doc.cancelled = true;
    let pdf = write(dir.path(), "rc.pdf", &render_invoice(&doc).unwrap());
    let text = layout_text(&pdf);
    assert!(
        text.contains("Tax payable on reverse charge: Yes"),
        "{text}"
    );
    assert!(text.contains("CANCELLED"));
    let plain = write(
        dir.path(),
        "plain.pdf",
        &render_invoice(&sample_invoice()).unwrap(),
    );
    let text = layout_text(&plain);
    assert!(text.contains("Tax payable on reverse charge: No"));
    assert!(!text.contains("CANCELLED"));
}

#[test]
fn receipt_warns_about_a_missing_pan_above_one_lakh_a_year() {
    let dir = tmp();
    let doc = sample_receipt();
    let pdf = write(dir.path(), "r1.pdf", &render_receipt(&doc).unwrap());
    let text = collapse(&layout_text(&pdf));
    assert!(text.contains("Landlord's PAN required"), "{text}");
    assert!(text.contains("₹1,00,000 a year"));
    assert!(text.contains("RR/26-27/0107") && text.contains("₹14,750.00"));
    assert!(text.contains(&Paise(1_475_000).amount_in_words()));

    let mut with_pan = sample_receipt();
    with_pan.landlord_pan = Some("ABCPR1234K".into());
    let pdf = write(dir.path(), "r2.pdf", &render_receipt(&with_pan).unwrap());
    let text = layout_text(&pdf);
    assert!(!text.contains("PAN required"), "{text}");
    assert!(text.contains("ABCPR1234K"));

    let mut small_year = sample_receipt();
    small_year.tenant_rent_this_fy = Paise(10_000_000);
    let pdf = write(dir.path(), "r3.pdf", &render_receipt(&small_year).unwrap());
    assert!(!layout_text(&pdf).contains("PAN required"));
}

#[test]
fn only_cash_receipts_above_5000_have_a_revenue_stamp_box() {
    let dir = tmp();
    let cases = [
        (PaymentMode::Cash, Paise(1_475_000), true),
        (PaymentMode::Cash, Paise(500_000), false),
        (PaymentMode::Upi, Paise(1_475_000), false),
    ];
    for (i, (mode, amount, stamp)) in cases.into_iter().enumerate() {
        let mut doc = sample_receipt();
        doc.mode = mode;
        doc.amount = amount;
        let pdf = write(
            dir.path(),
            &format!("s{i}.pdf"),
            &render_receipt(&doc).unwrap(),
        );
        let text = layout_text(&pdf);
        assert_eq!(
            text.contains("Affix revenue stamp"),
            stamp,
            "{mode:?} {amount}: {text}"
        );
    }
}

#[test]
fn odd_input_renders_without_panicking() {
    let dir = tmp();
    let mut doc = sample_invoice();
    doc.tenant_name = "\u{0}\t\n".repeat(3) + &"X".repeat(300);
    doc.seller.name = String::new();
    doc.seller.address_lines = vec!["a\u{7}b".into(); 3];
    doc.title = "Bill of Supply ".repeat(10);
    doc.lines[0].description = "W".repeat(3_000);
    doc.lines[1].taxable_value = Paise(i64::MAX);
    doc.lines[1].total = Paise(i64::MIN);
    doc.totals.total = Paise(i64::MIN);
    doc.amount_due = Paise(i64::MAX);
    doc.payments[0].reference = Some("𝄞 ".repeat(50));
    let pdf = write(dir.path(), "odd.pdf", &render_invoice(&doc).unwrap());
    qpdf_check(&pdf);
    assert_inside_page(&pdf);

    let mut empty = sample_invoice();
    empty.number = " ".into();
    assert!(matches!(
        render_invoice(&empty),
        Err(RenderError::Invalid {
            field: "number",
            ..
        })
    ));
    let mut bad_logo = sample_invoice();
    bad_logo.seller.logo_png = Some(b"not a png".to_vec());
    assert!(matches!(
        render_invoice(&bad_logo),
        Err(RenderError::Logo(_))
    ));
}

#[test]
fn a_logo_is_drawn() {
    let dir = tmp();
    let mut doc = sample_invoice();
    doc.seller.logo_png = Some(tiny_png());
    let pdf = write(dir.path(), "logo.pdf", &render_invoice(&doc).unwrap());
    qpdf_check(&pdf);
    let out = run("pdfimages", &["-list", s(&pdf)]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.lines().count() >= 3, "no image in the PDF: {list}");
}

/// A 2×2 RGB PNG (hand-assembled: signature, IHDR, one stored IDAT, IEND).
fn tiny_png() -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn adler(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &d in data {
            a = (a + u32::from(d)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let raw: Vec<u8> = [
        [0u8, 20, 60, 200, 20, 60, 200],
        [0u8, 240, 240, 240, 20, 60, 200],
    ]
    .concat();
    let mut z = vec![0x78, 0x01, 1];
    z.extend((raw.len() as u16).to_le_bytes());
    z.extend((!(raw.len() as u16)).to_le_bytes());
    z.extend(&raw);
    z.extend(adler(&raw).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(2u32.to_be_bytes());
    ihdr.extend(2u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}
