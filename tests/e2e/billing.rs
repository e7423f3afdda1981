//! A month's billing, a UPI payment lowering the dues, and the same UTR
//! refused a second time: through the UI.

use crate::desk::Desk;

fn rupees_in(text: &str) -> i64 {
    // "Total outstanding: ₹1,23,456.00" -> paise
    let digits: String = text
        .rsplit('₹')
        .next()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

#[tokio::test]
async fn a_month_is_billed_and_a_upi_payment_lowers_the_dues() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("billing", data.path()).await;
    desk.fill("Business name", "Demo PG Group").await;
    desk.click("Save").await;
    desk.click("Explore with sample data").await;
    desk.sees("Room 101").await;

    desk.click("Billing").await;
    desk.sees("Run a month").await;
    desk.click("Run billing").await;
    desk.sees("Created 36 invoices").await;
    desk.sees("Showing 1–36 of 36 invoices").await;
    desk.scroll_to("[data-testid='invoices-range']").await;
    desk.screenshot("invoices-page").await;
    let before = rupees_in(&desk.text("[data-testid='dues-total']").await);
    assert!(before > 0, "dues after billing: {before}");
    desk.click("Run billing").await;
    desk.sees("Nothing new").await;

    // The month on paper: one PDF, one invoice per page.
    desk.click("Save all 36 invoices as PDF").await;
    desk.sees("Saved 36 invoices").await;
    let month_pdf = std::fs::read_dir(data.path().join("saved"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("the month's PDF is saved");
    let pages = std::process::Command::new("pdfinfo")
        .arg(&month_pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&pages.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo: {info}"));
    assert!(pages >= 36, "one page or more per invoice: {pages}");
    std::fs::remove_file(&month_pdf).unwrap();

    desk.fill("Tenant", "Aarav").await;
    desk.choose_option("Aarav Sharma").await;
    desk.fill("Amount (₹)", "1,000").await;
    desk.fill("UTR / reference", "412345678901").await;
    desk.click("Record payment").await;
    desk.sees("from Aarav Sharma; dues now").await;
    desk.sees("Invoices of Sharma Residency 1").await;
    let after = rupees_in(&desk.text("[data-testid='dues-total']").await);
    assert_eq!(after, before - 100_000, "dues drop by ₹1,000.00");
    desk.screenshot("billing").await;

    // Its rent receipt, saved as a PDF a tenant can file for HRA.
    desk.click("Save receipt PDF").await;
    desk.sees("Receipt-").await;
    let receipt = std::fs::read_dir(data.path().join("saved"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("Receipt-")
        })
        .expect("the receipt is saved");
    let text = std::process::Command::new("pdftotext")
        .arg(&receipt)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        "Aarav Sharma",
        "1,000.00",
        "412345678901",
        "Rupees One Thousand Only",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} on the receipt:\n{text}"
        );
    }
    std::fs::remove_file(&receipt).unwrap();

    desk.fill("Tenant", "Aarav").await;
    desk.choose_option("Aarav Sharma").await;
    desk.fill("Amount (₹)", "1,000").await;
    desk.fill("UTR / reference", "4123 4567 8901").await;
    desk.click("Record payment").await;
    let message = desk.error_for("UTR / reference").await;
    assert!(
        message.contains("Aarav Sharma"),
        "duplicate UTR message: {message}"
    );
    desk.screenshot("billing-duplicate-utr").await;

    // The dues list, exported: a CSV with a byte-order mark whose total is
    // the total on screen.
    desk.click("Export CSV").await;
    // "rows to": the export's own message, not the receipt's earlier "Saved …".
    desk.sees("rows to").await;
    let saved: Vec<_> = std::fs::read_dir(data.path().join("saved"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "one file saved: {saved:?}");
    let name = saved[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("dues-") && name.ends_with(".csv"),
        "{name}"
    );
    let bytes = std::fs::read(&saved[0]).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "byte-order mark");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let outstanding = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "Outstanding")
        .unwrap();
    let mut total = 0i64;
    let mut aarav = false;
    for record in reader.records() {
        let record = record.unwrap();
        aarav |= &record[0] == "Aarav Sharma";
        let cell = &record[outstanding];
        let (rupees, paise) = cell.split_once('.').unwrap();
        total += rupees.parse::<i64>().unwrap() * 100 + paise.parse::<i64>().unwrap();
    }
    assert!(aarav, "Aarav Sharma is in the dues export");
    assert_eq!(total, after, "the export's dues add up to the screen's");

    // The ₹1,000 was booked in error: reversed by a new entry from the
    // tenant's ledger, and Aarav owes it again.
    desk.click("Tenants").await;
    desk.fill("Search tenants", "Aarav").await;
    desk.click("Aarav Sharma").await;
    desk.sees("Ledger").await;
    let owed = rupees_in(&desk.text("[data-testid='tenant-dues'] .figure-value").await);
    desk.click("Reverse").await;
    desk.click("Reverse payment").await;
    let message = desk.error_for("Reason").await;
    assert!(
        message.to_lowercase().contains("reason"),
        "reason required: {message}"
    );
    desk.fill("Reason", "Paid by another tenant").await;
    desk.click("Reverse payment").await;
    desk.sees("reversed").await;
    desk.sees("Payment (reversed)").await;
    let owed_now = rupees_in(&desk.text("[data-testid='tenant-dues'] .figure-value").await);
    assert_eq!(
        owed_now,
        owed + 100_000,
        "the reversal puts the ₹1,000 back on the dues"
    );
    desk.screenshot("billing-reversal").await;
    desk.quit().await;
}
