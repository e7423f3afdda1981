//! The invoice series in a property's settings: a prefix that would not fit
//! is refused next to its field, a good one numbers the next month's
//! invoices; and the desk's receipt series in Settings.

use crate::desk::Desk;

#[tokio::test]
async fn a_property_s_invoice_series_takes_a_new_prefix_for_the_next_invoices() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("number_series", data.path()).await;
    desk.fill("Business name", "Demo PG Group").await;
    desk.click("Save").await;
    desk.click("Explore with sample data").await;
    desk.sees("Room 101").await;

    desk.click("Edit property").await;
    desk.sees("Invoice series").await;
    desk.sees("This desk numbers invoices").await;
    desk.fill("Prefix for this desk", "SAI1/26").await;
    desk.click("Save prefix").await;
    let message = desk.error_for("Prefix for this desk").await;
    assert!(message.contains("16 characters"), "{message}");
    desk.fill("Prefix for this desk", "sai1").await;
    desk.click("Save prefix").await;
    desk.sees("New invoices will be numbered SAI1/26-27/").await;
    desk.sees("This desk numbers invoices SAI1/").await;
    desk.screenshot("invoice-series").await;
    desk.click("Close").await;

    desk.click("Billing").await;
    desk.sees("Run a month").await;
    desk.click("Run billing").await;
    desk.sees("Created 36 invoices").await;
    desk.sees("SAI1/26-27/").await;
    let range = desk.text("[data-testid='dues-range']").await;
    assert!(
        range.starts_with("Showing 1–") && range.ends_with("tenants owing"),
        "{range}"
    );
    // Everyone owing fits one page of 200: no page before or after.
    for button in ["Previous 200 tenants owing", "Next 200 tenants owing"] {
        let css = format!("button[aria-label='{button}']");
        assert!(desk.attribute(&css, "disabled").await.is_some(), "{button}");
    }
    // In pages of 25, the second page starts at the 26th.
    desk.choose_select("Tenants owing per page", "25").await;
    desk.sees("Showing 1–25 of").await;
    desk.click("Next 25 tenants owing").await;
    desk.sees("Showing 26–").await;
    let second = desk.text("[data-testid='dues-range']").await;
    let owing: usize = second
        .split(" of ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("{second}"));
    assert!(
        second.starts_with(&format!("Showing 26–{} of", owing.min(50))),
        "{second}"
    );
    desk.click("Previous 25 tenants owing").await;
    desk.sees("Showing 1–25 of").await;
    desk.scroll_to("[data-testid='dues-range']").await;
    desk.screenshot("dues-page").await;

    desk.click("Settings").await;
    desk.sees("Receipt series").await;
    desk.fill("Prefix for this desk", "SAIR").await;
    desk.click("Save prefix").await;
    desk.sees("New receipts will be numbered SAIR/26-27/").await;
    desk.screenshot("receipt-series").await;
    desk.quit().await;
}
