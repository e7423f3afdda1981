//! Beyond rent, through the UI: a food charge on a tenant's contract, a
//! room's meter reading split among its occupants, and both on the month's
//! invoice; then the late-fee rule saved and read back.

use crate::desk::Desk;

fn rupees_in(text: &str) -> i64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no amount in {text:?}"))
}

#[tokio::test]
async fn food_and_electricity_reach_the_months_invoice() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("billing_rules", data.path()).await;
    desk.fill("Business name", "Demo PG Group").await;
    desk.click("Save").await;
    desk.click("Explore with sample data").await;
    desk.sees("Room 101").await;
    let now = chrono::Local::now().date_naive();
    let first = now.format("01/%m/%Y").to_string();
    // The meter was last read the day before: a reading must come after
    // the previous one, also when today is the 1st.
    let day_before = (now - chrono::Duration::days(1))
        .format("%d/%m/%Y")
        .to_string();

    // Meals every month for Vivaan (Room 101, staying all month: the
    // sample's first tenant, Aarav, leaves 20 days from today, so early in
    // a month his rent and meals are prorated), from the 1st.
    desk.click("Tenants").await;
    desk.fill("Search tenants", "Vivaan").await;
    desk.click("Vivaan Singh").await;
    desk.click("Add charge").await;
    desk.fill("Invoice text", "Meals").await;
    desk.fill("Amount (₹)", "3,000").await;
    desk.fill("From", &first).await;
    desk.click("Save charge").await;
    desk.sees("Meals · ₹3,000.00 a month from").await;

    // Room 101's meter: 120 units at ₹9 since yesterday.
    desk.click("Billing").await;
    desk.sees("Electricity readings").await;
    desk.fill("Meter reading", "1320").await;
    desk.fill("Previous reading", "1200").await;
    desk.fill("Previous read on", &day_before).await;
    desk.click("Record reading").await;
    desk.sees("Room 101: 120 units, ₹1,080.00").await;

    // A second reading for the month is refused next to its field.
    desk.fill("Meter reading", "1400").await;
    desk.click("Record reading").await;
    let refused = desk.error_for("Billing month").await;
    assert!(
        refused.contains("Room 101 already has a reading for"),
        "{refused}"
    );

    desk.click("Run billing").await;
    desk.sees("Created 36 invoices").await;

    // Vivaan's month: rent ₹6,000, meals ₹3,000 and his share of ₹1,080.
    desk.click("Tenants").await;
    desk.fill("Search tenants", "Vivaan").await;
    desk.click("Vivaan Singh").await;
    desk.sees("Ledger").await;
    let dues = rupees_in(&desk.text("[data-testid='tenant-dues'] .figure-value").await);
    assert!(
        dues > 900_000 && dues < 1_008_000,
        "rent, meals and a share of the electricity: {dues}"
    );
    desk.screenshot("billing-rules-tenant").await;

    // On paper: the meals and the electricity share with its readings.
    let number = desk
        .text("[data-testid='tenant-ledger'] tbody tr td:nth-child(3)")
        .await;
    desk.click("Billing").await;
    desk.click(&format!("Save invoice {number} as PDF")).await;
    desk.sees("Invoice-").await;
    let pdf = std::fs::read_dir(data.path().join("saved"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("the invoice is saved");
    let kept = crate::desk::screenshot_dir().join("billing-rules-invoice.pdf");
    std::fs::copy(&pdf, &kept).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        number.as_str(),
        "Meals",
        "3,000.00",
        "Electricity",
        "6,000.00",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} on the invoice:\n{text}"
        );
    }

    // The late-fee rule is kept per property.
    desk.click("Billing").await;
    desk.choose_select("Late fee", "flat").await;
    desk.fill("Amount (₹) or percent", "200").await;
    desk.click("Save late fee").await;
    desk.sees("Late fee saved").await;
    desk.quit().await;
}
