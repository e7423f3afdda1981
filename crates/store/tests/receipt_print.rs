//! What a printed rent receipt shows: the period the payment paid for, the
//! property and room, and the tenant's rent so far in the financial year.

mod fixtures;

use fixtures::{cash, d, fixture, month, upi, ACTOR};
use multipms_domain::property::PropertyInput;
use multipms_domain::DomainError;
use multipms_store::StoreError;

#[tokio::test]
async fn a_receipt_names_its_period_and_the_rent_of_its_financial_year() {
    let f = fixture().await;
    let tenant = f
        .tenant(
            "Meera Iyer",
            "9876543212",
            0,
            "2026-03-01",
            "45,000",
            "active",
        )
        .await;
    for m in ["2026-03", "2026-04", "2026-05"] {
        f.store
            .run_billing(ACTOR, &f.property_id, month(m), d(&format!("{m}-01")))
            .await
            .unwrap();
    }
    // March's rent is paid in March (FY 2025-26); April's and May's in the
    // new year, May's together with a credit for June.
    let march = f
        .store
        .record_payment(ACTOR, &tenant, &upi("45,000", "2026-03-05", "603512345678"))
        .await
        .unwrap();
    let april = f
        .store
        .record_payment(ACTOR, &tenant, &cash("45,000", "2026-04-05"))
        .await
        .unwrap();
    let may = f
        .store
        .record_payment(ACTOR, &tenant, &upi("60,000", "2026-05-05", "605512345678"))
        .await
        .unwrap();

    let r = f.store.receipt_for_print(&march.payment.id).await.unwrap();
    assert_eq!(r.tenant_name, "Meera Iyer");
    assert_eq!(r.property.as_ref().unwrap().name, "Sai Comforts PG");
    assert_eq!(r.room, "Room 204");
    assert_eq!(
        (r.period_from, r.period_to),
        (d("2026-03-01"), d("2026-03-31"))
    );
    assert_eq!(r.rent_this_fy_paise, 4_500_000);

    let r = f.store.receipt_for_print(&april.payment.id).await.unwrap();
    assert_eq!(
        (r.period_from, r.period_to),
        (d("2026-04-01"), d("2026-04-30"))
    );
    assert_eq!(
        r.rent_this_fy_paise, 4_500_000,
        "March belongs to the year before"
    );

    let r = f.store.receipt_for_print(&may.payment.id).await.unwrap();
    assert_eq!(
        (r.period_from, r.period_to),
        (d("2026-05-01"), d("2026-05-31"))
    );
    assert_eq!(
        r.rent_this_fy_paise, 10_500_000,
        "above ₹1,00,000: PAN needed"
    );
    assert_eq!(r.payment.amount_paise, 6_000_000);
}

#[tokio::test]
async fn a_payment_with_nothing_to_pay_covers_its_own_month() {
    let f = fixture().await;
    let tenant = f
        .tenant(
            "Arjun Rao",
            "9876543213",
            1,
            "2026-06-01",
            "9,000",
            "active",
        )
        .await;
    let advance = f
        .store
        .record_payment(ACTOR, &tenant, &cash("9,000", "2026-06-02"))
        .await
        .unwrap();
    let r = f
        .store
        .receipt_for_print(&advance.payment.id)
        .await
        .unwrap();
    assert_eq!(
        (r.period_from, r.period_to),
        (d("2026-06-01"), d("2026-06-30"))
    );
    assert_eq!(r.room, "Room 204");
}

#[tokio::test]
async fn a_reversed_payment_has_no_receipt_and_the_landlord_pan_is_kept() {
    let f = fixture().await;
    let tenant = f
        .tenant(
            "Kiran Das",
            "9876543214",
            2,
            "2026-06-01",
            "9,000",
            "active",
        )
        .await;
    let wrong = f
        .store
        .record_payment(ACTOR, &tenant, &upi("9,000", "2026-06-02", "615512345678"))
        .await
        .unwrap();
    f.store
        .reverse_payment(ACTOR, &wrong.payment.id, d("2026-06-03"), "Booked twice")
        .await
        .unwrap();
    match f.store.receipt_for_print(&wrong.payment.id).await {
        Err(StoreError::Domain(DomainError::Conflict { message })) => {
            assert!(message.contains("was reversed on 03/06/2026"), "{message}")
        }
        other => panic!("{other:?}"),
    }

    let mut input = PropertyInput {
        name: "Sai Comforts PG".into(),
        address_line1: "14, 5th Cross, Koramangala 4th Block".into(),
        city: "Bengaluru".into(),
        state: "Karnataka".into(),
        pin_code: "560034".into(),
        code: "BLR1".into(),
        landlord_name: Some("Ramesh Kumar".into()),
        landlord_pan: Some("abcpe1234f".into()),
        ..Default::default()
    };
    let saved = f
        .store
        .save_property(ACTOR, Some(&f.property_id), &input)
        .await
        .unwrap();
    assert_eq!(saved.landlord_pan.as_deref(), Some("ABCPE1234F"));
    let again = f.store.property(&f.property_id).await.unwrap();
    assert_eq!(again.landlord_name.as_deref(), Some("Ramesh Kumar"));

    input.landlord_pan = Some("ABCPE1234".into());
    match f
        .store
        .save_property(ACTOR, Some(&f.property_id), &input)
        .await
    {
        Err(StoreError::Domain(DomainError::Invalid { field, .. })) => {
            assert_eq!(field, "landlord_pan")
        }
        other => panic!("{other:?}"),
    }
    let unchanged = f.store.property(&f.property_id).await.unwrap();
    assert_eq!(unchanged.landlord_pan.as_deref(), Some("ABCPE1234F"));
}
