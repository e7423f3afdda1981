//! Onboarding in one flow through the UI: profile and KYC, a vacant bed and
//! a contract, the deposit by UPI, the first month's invoice, documents —
//! then the tenant's page shows it all.

use crate::desk::Desk;

fn paise_in(text: &str) -> i64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no amount in {text:?}"))
}

#[tokio::test]
async fn a_tenant_is_onboarded_in_one_flow() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("onboarding", data.path()).await;
    desk.fill("Business name", "Demo PG Group").await;
    desk.click("Save").await;
    desk.click("Explore with sample data").await;
    desk.sees("Room 101").await;

    desk.click("Tenants").await;
    desk.click("Onboard a tenant").await;
    desk.sees("Step 1 of 5 · Profile and KYC").await;
    desk.fill("Full name", "Kavya Reddy").await;
    desk.fill("Mobile", "98765 00011").await;
    desk.choose_select("KYC document", "pan").await;
    desk.fill("KYC document number", "ABCPE1234").await;
    desk.click("Save tenant").await;
    let refused = desk.error_for("KYC document number").await;
    assert!(refused.contains("PAN"), "a short PAN is refused: {refused}");
    desk.fill("KYC document number", "abcpe1234f").await;
    desk.click("Save tenant").await;

    desk.sees("Step 2 of 5 · Bed and contract").await;
    desk.click("Show vacant beds").await;
    desk.sees("Allocate and save contract").await;
    desk.fill("Monthly rent (₹)", "7,000").await;
    desk.fill("Security deposit (₹)", "14,000").await;
    desk.click("Allocate and save contract").await;

    desk.sees("Step 3 of 5 · Security deposit").await;
    desk.fill("UTR / reference", "633312345678").await;
    desk.click("Record deposit").await;

    desk.sees("Step 4 of 5 · First invoice").await;
    desk.click("Bill the first month now").await;

    desk.sees("Step 5 of 5 · Documents").await;
    desk.sees("No documents yet.").await;
    desk.click("Finish onboarding").await;

    desk.sees("Kavya Reddy").await;
    desk.sees("Ledger").await;
    let held = paise_in(
        &desk
            .text("[data-testid='tenant-deposit'] .figure-value")
            .await,
    );
    assert_eq!(held, 1_400_000, "the ₹14,000 deposit is held");
    let dues = paise_in(&desk.text("[data-testid='tenant-dues'] .figure-value").await);
    assert!(
        dues > 0 && dues <= 700_000,
        "the first month, prorated from today: {dues}"
    );
    desk.sees("Deposit received").await;
    desk.screenshot("onboarding-tenant").await;
    desk.quit().await;
}
