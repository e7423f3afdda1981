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
    let before = rupees_in(&desk.text("[data-testid='dues-total']").await);
    assert!(before > 0, "dues after billing: {before}");
    desk.click("Run billing").await;
    desk.sees("Nothing new").await;

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
    desk.quit().await;
}
