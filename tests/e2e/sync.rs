//! Two app windows, two data folders, one server on PostgreSQL: desk A
//! uploads its business when it signs in; desk B signs in from its first
//! run and receives it; a tenant added on A appears on B.

#[path = "../../crates/sync/tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use crate::desk::Desk;
use support::{TestServer, PASSWORD};

#[tokio::test]
async fn a_tenant_added_on_one_desk_appears_on_the_other() {
    let server = TestServer::start().await;
    let email_a = server.add_user("manager").await;
    let email_b = server.add_user("manager").await;

    let data_a = tempfile::tempdir().unwrap();
    let a = Desk::open("sync-desk-a", data_a.path()).await;
    a.fill("Business name", "Sunrise Living").await;
    a.click("Save").await;
    a.click("Explore with sample data").await;
    a.sees("Room 101").await;
    a.click("Settings").await;
    a.sees("Server sync").await;
    a.fill("Server address", &server.base).await;
    a.fill("Email", &email_a).await;
    a.fill("Password", "not the password").await;
    a.click("Sign in").await;
    let refused = a.error_for("Password").await;
    assert!(
        refused.contains("not right"),
        "a wrong password is refused: {refused}"
    );
    a.fill("Password", PASSWORD).await;
    a.click("Sign in").await;
    a.sees("Signed in: sending this desk's").await;
    wait_for_state(&a, "online").await;

    let data_b = tempfile::tempdir().unwrap();
    let b = Desk::open_beside(&a, "sync-desk-b", data_b.path()).await;
    b.sees("Or join your organisation").await;
    b.fill("Server address", &server.base).await;
    b.fill("Email", &email_b).await;
    b.fill("Password", PASSWORD).await;
    b.click("Sign in").await;
    b.sees("Occupancy, last 12 months").await;
    assert_eq!(b.text_of("business-name").await, "Sunrise Living");
    wait_for_state(&b, "online").await;
    b.screenshot("sync-desk-b-joined").await;

    a.click("Tenants").await;
    a.click("Onboard a tenant").await;
    a.fill("Full name", "Zoya Qureshi").await;
    a.fill("Mobile", "98765 43120").await;
    a.click("Save tenant").await;
    a.sees("Step 2 of 5 · Bed and contract").await;

    // Desk B shows her once the change has come through.
    b.click("Tenants").await;
    let started = Instant::now();
    loop {
        b.fill("Search tenants", "Zoya").await;
        if b.page_text().await.contains("Zoya Qureshi") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "desk B never showed the tenant added on desk A"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        b.click("Dashboard").await;
        b.click("Tenants").await;
    }
    b.screenshot("sync-desk-b-sees-tenant").await;
    let status = b.text("#sync-status").await;
    assert!(status.starts_with("Online"), "desk B is online: {status}");
    b.quit().await;
    a.quit().await;
}

async fn wait_for_state(desk: &Desk, state: &str) {
    let started = Instant::now();
    while desk
        .attribute("#sync-status", "data-state")
        .await
        .as_deref()
        != Some(state)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the sync status never became {state}: {}",
            desk.text("#sync-status").await
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
