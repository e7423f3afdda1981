//! The whole path: the window opens, a value typed in the UI is stored by a
//! Tauri command in SQLite, and it is there again after a restart.

use crate::desk::Desk;

#[tokio::test]
async fn business_name_survives_a_restart() {
    let data = tempfile::tempdir().unwrap();

    let desk = Desk::open("business_name_survives_a_restart", data.path()).await;
    desk.sees("Welcome to MultiPMS").await;
    desk.screenshot("foundation-first-run").await;
    desk.fill("Business name", "Sai Comforts PG, Koramangala")
        .await;
    desk.click("Save").await;
    desk.sees("Create your first property").await;
    assert_eq!(
        desk.text_of("business-name").await,
        "Sai Comforts PG, Koramangala"
    );
    desk.quit().await;

    assert!(
        data.path().join("multipms.sqlite3").exists(),
        "the database is in the chosen data folder"
    );

    let desk = Desk::open("business_name_survives_a_restart", data.path()).await;
    desk.sees("No properties yet").await;
    assert_eq!(
        desk.text_of("business-name").await,
        "Sai Comforts PG, Koramangala"
    );
    desk.screenshot("foundation-after-restart").await;
    desk.quit().await;
}

#[tokio::test]
async fn an_empty_business_name_is_refused_and_nothing_is_stored() {
    let data = tempfile::tempdir().unwrap();

    let desk = Desk::open("empty_business_name", data.path()).await;
    desk.fill("Business name", "   ").await;
    desk.click("Save").await;
    let message = desk.error_for("Business name").await;
    assert!(
        message.contains("Business name is required"),
        "message shown: {message}"
    );
    desk.screenshot("foundation-empty-name-refused").await;
    desk.quit().await;

    // Nothing was stored: a fresh start still asks for the name.
    let desk = Desk::open("empty_business_name", data.path()).await;
    desk.sees("Welcome to MultiPMS").await;
    assert_eq!(desk.text_of("business-name").await, "");
    desk.quit().await;
}
