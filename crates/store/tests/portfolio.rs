//! The store on real SQLite files: properties, rooms, beds, tenants,
//! allocations, contracts, occupancy, search, and the walls that keep them
//! consistent.

use chrono::NaiveDate;
use multipms_domain::allocation::AllocationInput;
use multipms_domain::bed::BedInput;
use multipms_domain::contract::ContractInput;
use multipms_domain::property::PropertyInput;
use multipms_domain::room::RoomInput;
use multipms_domain::tenant::TenantInput;
use multipms_domain::DomainError;
use multipms_store::room::RoomWithBeds;
use multipms_store::tenant::Tenant;
use multipms_store::{Store, StoreError};

const ACTOR: &str = "test desk";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct Fixture {
    store: Store,
    property_id: String,
    room: RoomWithBeds,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let property = store
        .save_property(ACTOR, None, &property_input("Sai Comforts PG", "BLR1"))
        .await
        .unwrap();
    let room = store
        .create_room(ACTOR, &property.id, &room_input("204", "2"))
        .await
        .unwrap();
    Fixture {
        store,
        property_id: property.id,
        room,
        _dir: dir,
    }
}

fn property_input(name: &str, code: &str) -> PropertyInput {
    PropertyInput {
        name: name.into(),
        address_line1: "14, 5th Cross, Koramangala 4th Block".into(),
        address_line2: None,
        city: "Bengaluru".into(),
        state: "Karnataka".into(),
        pin_code: "560034".into(),
        gstin: None,
        code: code.into(),
        upi_id: Some("saicomforts@okaxis".into()),
        ..Default::default()
    }
}

fn room_input(number: &str, sharing: &str) -> RoomInput {
    RoomInput {
        floor: "2".into(),
        room_number: number.into(),
        room_type: "standard".into(),
        sharing: sharing.into(),
        ac: true,
        rent_per_bed: "9,500".into(),
    }
}

fn tenant_input(name: &str, mobile: &str) -> TenantInput {
    TenantInput {
        full_name: name.into(),
        mobile: mobile.into(),
        ..Default::default()
    }
}

async fn tenant(store: &Store, name: &str, mobile: &str) -> Tenant {
    store
        .save_tenant(ACTOR, None, &tenant_input(name, mobile))
        .await
        .unwrap()
}

fn stay(move_in: &str, move_out: Option<&str>) -> AllocationInput {
    AllocationInput {
        move_in: move_in.into(),
        move_out: move_out.map(str::to_string),
    }
}

fn conflict_message(err: StoreError) -> String {
    match err {
        StoreError::Domain(DomainError::Conflict { message }) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn count(store: &Store, table: &'static str) -> i64 {
    let sql = match table {
        "allocation" => "SELECT count(*) FROM allocation",
        "audit_log" => "SELECT count(*) FROM audit_log",
        "tenant" => "SELECT count(*) FROM tenant",
        _ => unreachable!(),
    };
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_room_is_created_with_one_bed_per_sharing_place() {
    let f = fixture().await;
    assert_eq!(f.room.beds.len(), 2);
    assert_eq!(f.room.beds[0].label, "204-A");
    assert_eq!(f.room.room.rent_per_bed_paise, 950_000);
    let rooms = f.store.rooms(&f.property_id).await.unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].beds.len(), 2);
    assert_eq!(rooms[0].floor_label, "2nd floor");
}

#[tokio::test]
async fn allocation_changes_occupancy_and_overlap_is_refused_by_name() {
    let f = fixture().await;
    let bed = &f.room.beds[0];
    let day = d("2026-06-15");
    let before = f.store.occupancy(day).await.unwrap();
    assert_eq!(before.overall.total, 2);
    assert_eq!(before.overall.vacant, 2);

    let sharma = tenant(&f.store, "R. Sharma", "98765 43210").await;
    f.store
        .allocate(
            ACTOR,
            &sharma.id,
            &bed.id,
            &stay("01/04/2026", Some("01/07/2026")),
        )
        .await
        .unwrap();
    let after = f.store.occupancy(day).await.unwrap();
    assert_eq!(after.overall.occupied, 1);
    assert_eq!(after.overall.vacant, 1);
    assert_eq!(after.properties.len(), 1);

    let verma = tenant(&f.store, "Anita Verma", "9123456780").await;
    let err = f
        .store
        .allocate(ACTOR, &verma.id, &bed.id, &stay("15/06/2026", None))
        .await
        .unwrap_err();
    let message = conflict_message(err);
    assert!(message.contains("204-A"), "{message}");
    assert!(message.contains("R. Sharma"), "{message}");
    assert!(
        message.contains("01/04/2026") && message.contains("30/06/2026"),
        "{message}"
    );
    // Back to back is fine: the bed is free from 01/07/2026.
    f.store
        .allocate(ACTOR, &verma.id, &bed.id, &stay("01/07/2026", None))
        .await
        .unwrap();
    let reserved = f.store.occupancy(day).await.unwrap();
    assert_eq!(reserved.overall.occupied, 1);
    assert_eq!(
        reserved.overall.reserved, 0,
        "the occupied bed is not also reserved"
    );
}

#[tokio::test]
async fn the_database_refuses_an_overlap_written_by_raw_sql() {
    let f = fixture().await;
    let bed = &f.room.beds[0];
    let a = tenant(&f.store, "Kiran Rao", "9000000001").await;
    f.store
        .allocate(ACTOR, &a.id, &bed.id, &stay("2026-04-01", None))
        .await
        .unwrap();
    let raw = sqlx::query(
        "INSERT INTO allocation (id, tenant_id, bed_id, move_in, move_out, created_at, updated_at)
         VALUES ('x', ?, ?, '2027-01-01', NULL, 'now', 'now')",
    )
    .bind(&a.id)
    .bind(&bed.id)
    .execute(f.store.pool())
    .await;
    assert!(raw.unwrap_err().to_string().contains("overlaps"));
    let widen = sqlx::query("UPDATE allocation SET bed_id = ?")
        .bind(&f.room.beds[1].id)
        .execute(f.store.pool())
        .await;
    assert!(
        widen.is_ok(),
        "moving the only allocation to a free bed is allowed"
    );
}

#[tokio::test]
async fn a_transfer_whose_second_half_is_refused_changes_nothing() {
    let f = fixture().await;
    let (a_bed, b_bed) = (&f.room.beds[0], &f.room.beds[1]);
    let moving = tenant(&f.store, "Mohan Das", "9000000002").await;
    let staying = tenant(&f.store, "Sunita Iyer", "9000000003").await;
    let first = f
        .store
        .allocate(ACTOR, &moving.id, &a_bed.id, &stay("2026-04-01", None))
        .await
        .unwrap();
    f.store
        .allocate(ACTOR, &staying.id, &b_bed.id, &stay("2026-04-01", None))
        .await
        .unwrap();
    let audits = count(&f.store, "audit_log").await;

    let err = f
        .store
        .transfer(ACTOR, &first.id, &b_bed.id, d("2026-05-01"))
        .await
        .unwrap_err();
    assert!(conflict_message(err).contains("Sunita Iyer"));
    // The first half (closing the old allocation) was rolled back with it.
    let unchanged = f.store.allocation(&first.id).await.unwrap();
    assert_eq!(unchanged, first);
    assert_eq!(count(&f.store, "allocation").await, 2);
    assert_eq!(count(&f.store, "audit_log").await, audits);

    // A transfer to a free bed closes one and opens the next.
    let room2 = f
        .store
        .create_room(ACTOR, &f.property_id, &room_input("301", "1"))
        .await
        .unwrap();
    let opened = f
        .store
        .transfer(ACTOR, &first.id, &room2.beds[0].id, d("2026-05-01"))
        .await
        .unwrap();
    assert_eq!(opened.move_in, "2026-05-01");
    let closed = f.store.allocation(&first.id).await.unwrap();
    assert_eq!(closed.move_out.as_deref(), Some("2026-05-01"));
    let hits = f.store.search_tenants("301", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].full_name, "Mohan Das");
}

#[tokio::test]
async fn notice_and_move_out_show_in_occupancy() {
    let f = fixture().await;
    let bed = &f.room.beds[0];
    let t = tenant(&f.store, "Farhan Ali", "9000000004").await;
    let a = f
        .store
        .allocate(ACTOR, &t.id, &bed.id, &stay("2026-04-01", None))
        .await
        .unwrap();
    f.store
        .save_contract(
            ACTOR,
            &a.id,
            &ContractInput {
                monthly_rent: "9500".into(),
                security_deposit: "19000".into(),
                billing_day: "1".into(),
                lock_in_months: "3".into(),
                notice_days: "30".into(),
                yearly_escalation_percent: "5".into(),
                start_date: "01/04/2026".into(),
                end_date: None,
                status: "active".into(),
            },
        )
        .await
        .unwrap();
    let noticed = f
        .store
        .give_notice(ACTOR, &a.id, d("2026-08-01"), None)
        .await
        .unwrap();
    assert_eq!(noticed.move_out.as_deref(), Some("2026-08-31"));
    let report = f.store.occupancy(d("2026-08-15")).await.unwrap();
    assert_eq!(report.overall.on_notice, 1);
    let report = f.store.occupancy(d("2026-09-01")).await.unwrap();
    assert_eq!(report.overall.vacant, 2);
}

#[tokio::test]
async fn a_bed_with_a_tenant_cannot_be_retired() {
    let f = fixture().await;
    let bed = &f.room.beds[0];
    let t = tenant(&f.store, "Deepa Nair", "9000000005").await;
    f.store
        .allocate(
            ACTOR,
            &t.id,
            &bed.id,
            &stay("2026-04-01", Some("2026-10-01")),
        )
        .await
        .unwrap();
    let err = f
        .store
        .retire_bed(ACTOR, &bed.id, d("2026-09-01"))
        .await
        .unwrap_err();
    assert!(conflict_message(err).contains("Deepa Nair"));
    let err = f
        .store
        .retire_room(ACTOR, &f.room.room.id, d("2026-09-01"))
        .await
        .unwrap_err();
    assert!(conflict_message(err).contains("Deepa Nair"));
    f.store
        .retire_bed(ACTOR, &bed.id, d("2026-10-01"))
        .await
        .unwrap();
    let report = f.store.occupancy(d("2026-10-02")).await.unwrap();
    assert_eq!(report.overall.total, 1);
    let other = tenant(&f.store, "Late Comer", "9000000006").await;
    let err = f
        .store
        .allocate(ACTOR, &other.id, &bed.id, &stay("2026-11-01", None))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("out of service"), "{err}");
}

#[tokio::test]
async fn aadhaar_is_stored_only_masked() {
    let f = fixture().await;
    let input = TenantInput {
        kyc_document_type: Some("aadhaar".into()),
        kyc_document_number: Some("2341 2341 2346".into()),
        ..tenant_input("Meera Pillai", "9000000007")
    };
    let t = f.store.save_tenant(ACTOR, None, &input).await.unwrap();
    assert_eq!(t.kyc_masked.as_deref(), Some("XXXX XXXX 2346"));
    let raw: (Option<String>, Option<String>) =
        sqlx::query_as("SELECT kyc_number, kyc_masked FROM tenant WHERE id = ?")
            .bind(&t.id)
            .fetch_one(f.store.pool())
            .await
            .unwrap();
    assert_eq!(raw.0, None);
    let everything: String = sqlx::query_scalar(
        "SELECT group_concat(coalesce(before_json,'') || coalesce(after_json,'')) FROM audit_log",
    )
    .fetch_one(f.store.pool())
    .await
    .unwrap();
    assert!(!everything.contains("234123412346"));
}

#[tokio::test]
async fn bad_input_names_the_field_and_stores_nothing() {
    let f = fixture().await;
    let tenants = count(&f.store, "tenant").await;
    let audits = count(&f.store, "audit_log").await;
    let err = f
        .store
        .save_tenant(ACTOR, None, &tenant_input("Ravi", "12345"))
        .await
        .unwrap_err();
    match err {
        StoreError::Domain(DomainError::Invalid { field, message }) => {
            assert_eq!(field, "mobile");
            assert_eq!(
                message,
                "Mobile number must have 10 digits and start with 6, 7, 8 or 9"
            );
        }
        other => panic!("{other:?}"),
    }
    let err = f
        .store
        .save_property(ACTOR, None, &property_input("Second", "BLR1"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Invalid { ref field, .. }) if field == "code")
    );
    let err = f
        .store
        .create_room(ACTOR, &f.property_id, &room_input("204", "2"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::Invalid { ref field, .. }) if field == "room_number")
    );
    assert_eq!(count(&f.store, "tenant").await, tenants);
    assert_eq!(count(&f.store, "audit_log").await, audits);
}

#[tokio::test]
async fn search_finds_any_part_of_name_phone_room_or_bed() {
    let f = fixture().await;
    let t = tenant(&f.store, "Lakshmi Narayanan", "9845012345").await;
    tenant(&f.store, "Arjun Mehta", "9000000008").await;
    f.store
        .allocate(ACTOR, &t.id, &f.room.beds[1].id, &stay("2000-01-01", None))
        .await
        .unwrap();
    for q in [
        "naray",
        "Lakshmi",
        "45012",
        "+91 98450 12345",
        "204-B",
        "La",
    ] {
        let hits = f.store.search_tenants(q, 20).await.unwrap();
        assert_eq!(hits.len(), 1, "query {q:?} found {hits:?}");
        assert_eq!(hits[0].full_name, "Lakshmi Narayanan");
        assert_eq!(hits[0].bed.as_deref(), Some("204-B"));
    }
    assert!(f.store.search_tenants("zzz", 20).await.unwrap().is_empty());
    assert_eq!(f.store.search_tenants("", 20).await.unwrap().len(), 2);
    // Quotes and FTS syntax in a query are plain text, not an error.
    assert!(f
        .store
        .search_tenants("\"a OR b*", 20)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn every_write_leaves_an_audit_row() {
    let f = fixture().await;
    let t = tenant(&f.store, "Audit Me", "9000000009").await;
    f.store
        .allocate(ACTOR, &t.id, &f.room.beds[0].id, &stay("2026-04-01", None))
        .await
        .unwrap();
    f.store
        .rename_bed(
            ACTOR,
            &f.room.beds[1].id,
            &BedInput {
                label: "204-W".into(),
            },
        )
        .await
        .unwrap();
    let entities: Vec<(String, String)> =
        sqlx::query_as("SELECT entity, action FROM audit_log ORDER BY seq")
            .fetch_all(f.store.pool())
            .await
            .unwrap();
    let names: Vec<String> = entities.iter().map(|(e, a)| format!("{e}:{a}")).collect();
    assert_eq!(
        names,
        [
            "property:create",
            "room:create",
            "tenant:create",
            "allocation:create",
            "bed:update"
        ]
    );
}

#[tokio::test]
async fn sample_data_loads_into_an_empty_desk_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store.load_sample_portfolio(ACTOR).await.unwrap();
    let report = store.occupancy(multipms_store::today()).await.unwrap();
    assert_eq!(report.overall.total, 72);
    assert_eq!(report.overall.occupied, 61);
    assert_eq!(report.properties.len(), 2);
    // Everyone staying today paid their deposit on moving in; it is held.
    let (contracts, agreed): (i64, i64) =
        sqlx::query_as("SELECT count(*), sum(deposit_paise) FROM contract WHERE status = 'active'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let held = store.largest_deposits_held(100).await.unwrap();
    assert_eq!(i64::from(held.count), contracts);
    assert_eq!(held.held_paise, agreed);
    assert!(held.held_paise > 0);
    let err = store.load_sample_portfolio(ACTOR).await.unwrap_err();
    assert!(err.to_string().contains("empty desk"), "{err}");
}
