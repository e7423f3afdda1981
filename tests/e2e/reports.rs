//! The Reports screen on the sample business: collections by month and
//! mode, saved as CSV, adding up to the total on screen.

use crate::desk::Desk;

fn paise_in(text: &str) -> i64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no amount in {text:?}"))
}

#[tokio::test]
async fn collections_are_reported_and_exported() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("reports", data.path()).await;
    desk.fill("Business name", "Demo PG Group").await;
    desk.click("Save").await;
    desk.click("Explore with sample data").await;
    desk.sees("Room 101").await;
    desk.click("Reports").await;
    desk.sees("Collections by month and mode").await;
    desk.sees("Deposits held").await;
    let total_row = desk
        .text("[data-testid='collections'] tbody tr:last-child td:last-child")
        .await;
    let on_screen = paise_in(&total_row);
    assert!(
        on_screen > 0,
        "the sample's three months were collected: {total_row}"
    );
    desk.screenshot("reports").await;

    desk.click("Export collections by month and mode as CSV")
        .await;
    desk.sees("rows to").await;
    let saved: Vec<_> = std::fs::read_dir(data.path().join("saved"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let name = saved[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with("collections-"), "{name}");
    let bytes = std::fs::read(&saved[0]).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let mut total = 0;
    for record in reader.records() {
        total += paise_in(&record.unwrap()[5]);
    }
    assert_eq!(total, on_screen, "the CSV's totals add up to the screen's");
    desk.quit().await;
}
