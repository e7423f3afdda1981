//! A property, a room with two beds, a tenant, an allocation: the occupancy
//! figures follow, all through the UI.

use crate::desk::Desk;

async fn figure(desk: &Desk, test_id: &str) -> String {
    desk.text(&format!("[data-testid='{test_id}'] .figure-value"))
        .await
}

#[tokio::test]
async fn a_new_property_room_and_tenant_change_occupancy() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("portfolio_occupancy", data.path()).await;
    desk.fill("Business name", "Green Nest Co-living").await;
    desk.click("Save").await;

    desk.sees("Create your first property").await;
    desk.fill("Property name", "Green Nest Koramangala").await;
    desk.fill("Address", "14, 5th Cross, 4th Block").await;
    desk.fill("City", "Bengaluru").await;
    desk.fill("State", "Karnataka").await;
    desk.fill("PIN code", "56003").await;
    desk.fill("Invoice code", "GNK1").await;
    desk.click("Create property").await;
    let message = desk.error_for("PIN code").await;
    assert!(message.contains("6 digits"), "PIN message: {message}");
    desk.fill("PIN code", "560034").await;
    desk.click("Create property").await;
    desk.sees("No rooms yet").await;

    desk.click("Add room").await;
    desk.fill("Room number", "204").await;
    desk.fill("Floor", "2").await;
    desk.fill("Beds in room", "2").await;
    desk.fill("Rent per bed (₹)", "9,500").await;
    desk.click("Create room").await;
    desk.sees("Room 204").await;
    desk.sees("₹9,500.00/bed").await;

    // A third bed squeezed into room 204.
    desk.click("Edit room 204").await;
    desk.fill("New bed's label", "204-C").await;
    desk.click("Add bed").await;
    desk.sees("Bed 204-C added to room 204").await;

    desk.click("Occupancy").await;
    desk.sees("Occupancy on").await;
    assert_eq!(figure(&desk, "beds-total").await, "3");
    assert_eq!(figure(&desk, "beds-occupied").await, "0");
    assert_eq!(figure(&desk, "beds-vacant").await, "3");

    desk.click("Tenants").await;
    desk.click("Add tenant").await;
    desk.fill("Full name", "Ravi Kumar").await;
    desk.fill("Mobile", "98765 4321").await;
    desk.click("Save tenant").await;
    let message = desk.error_for("Mobile").await;
    assert_eq!(
        message,
        "Mobile number must have 10 digits and start with 6, 7, 8 or 9"
    );
    desk.fill("Mobile", "+91 98765 43210").await;
    desk.click("Save tenant").await;
    desk.sees("+91 98765 43210").await;

    desk.click("Properties").await;
    desk.click("Bed 204-A, Vacant").await;
    desk.sees("Allocate this bed").await;
    desk.fill("Tenant", "Ravi").await;
    desk.choose_option("Ravi Kumar").await;
    desk.click("Allocate").await;
    desk.sees("Ravi Kumar allocated to 204-A").await;
    desk.screenshot("portfolio-bed-map").await;

    desk.click("Bed 204-A, Occupied — Ravi Kumar").await;
    desk.sees("Add contract").await;
    desk.fill("Security deposit (₹)", "19,000").await;
    desk.fill("Billing day", "31").await;
    desk.click("Save contract").await;
    let message = desk.error_for("Billing day").await;
    assert!(message.contains("28"), "billing day message: {message}");
    desk.fill("Billing day", "5").await;
    desk.click("Save contract").await;
    desk.sees("Contract saved").await;

    // Ravi moves to the new bed tomorrow: 204-C is reserved for him.
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1))
        .format("%d/%m/%Y")
        .to_string();
    desk.click("Bed 204-A, Occupied — Ravi Kumar").await;
    desk.choose_select_text("New bed", "Room 204, bed 204-C")
        .await;
    desk.fill("Transfer date", &tomorrow).await;
    desk.click("Transfer").await;
    desk.sees("Ravi Kumar transferred").await;
    let reserved = desk
        .attribute("[aria-label^='Bed 204-C']", "aria-label")
        .await
        .unwrap_or_default();
    assert_eq!(reserved, "Bed 204-C, Reserved — Ravi Kumar");

    desk.click("Occupancy").await;
    desk.sees("Occupancy on").await;
    assert_eq!(figure(&desk, "beds-occupied").await, "1");
    assert_eq!(figure(&desk, "beds-reserved").await, "1");
    assert_eq!(figure(&desk, "beds-vacant").await, "1");
    assert_eq!(figure(&desk, "occupancy-percent").await, "33.3%");
    desk.screenshot("portfolio-occupancy").await;
    desk.quit().await;
}

#[tokio::test]
async fn sample_data_fills_an_empty_desk() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("sample_data", data.path()).await;
    desk.fill("Business name", "Demo PG Group").await;
    desk.click("Save").await;
    desk.click("Explore with sample data").await;
    desk.sees("Room 101").await;
    desk.screenshot("sample-bed-map").await;
    desk.click("Occupancy").await;
    desk.sees("Occupancy on").await;
    assert_eq!(figure(&desk, "beds-total").await, "72");
    assert_eq!(figure(&desk, "beds-occupied").await, "61");
    desk.click("Tenants").await;
    desk.fill("Search tenants", "Sharma").await;
    desk.sees("Aarav Sharma").await;
    desk.screenshot("sample-tenants").await;
    desk.click("Aarav Sharma").await;
    desk.sees("Police verification").await;
    // The sample's rent since Aarav moved in is on his ledger with a
    // running balance, each line printable.
    desk.sees("Ledger").await;
    let lines = desk.count("[data-testid='tenant-ledger'] tbody tr").await;
    assert!(
        lines >= 2,
        "an invoice and its payment on the ledger: {lines}"
    );
    desk.sees("Print receipt").await;
    desk.screenshot("tenant-page").await;
    desk.click("← All tenants").await;
    desk.sees("Search tenants").await;

    // Keyboard first: Ctrl+K, part of a name, Enter lands on that tenant.
    desk.click("Occupancy").await;
    desk.press_ctrl('k').await;
    desk.sees("Search or jump to").await;
    desk.type_keys("Vivaan").await;
    desk.choose_option("Vivaan Singh").await;
    desk.sees("Search tenants").await;
    assert_eq!(desk.text("tbody tr td").await, "Vivaan Singh");
    desk.quit().await;
}
