//! Invoice and receipt series in Settings: what they show, and a new
//! prefix for the numbers to come, refused (naming `prefix`, changing
//! nothing) when it would not fit or could repeat a number.

mod fixtures;

use fixtures::{cash, d, fixture, month, Fixture, ACTOR};
use multipms_domain::property::PropertyInput;
use multipms_domain::{DomainError, FinancialYear};
use multipms_store::{today, StoreError};

fn refused_on_prefix<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Domain(DomainError::Invalid { field, message })) => {
            assert_eq!(field, "prefix", "{message}");
            message
        }
        other => panic!("expected an error on prefix, got {other:?}"),
    }
}

async fn second_property(f: &Fixture, code: &str) -> String {
    f.store
        .save_property(
            ACTOR,
            None,
            &PropertyInput {
                name: format!("Property {code}"),
                address_line1: "1, MG Road".into(),
                address_line2: None,
                city: "Bengaluru".into(),
                state: "Karnataka".into(),
                pin_code: "560001".into(),
                gstin: None,
                code: code.into(),
                upi_id: None,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_new_prefix_numbers_the_next_invoices_and_leaves_issued_ones_alone() {
    let f = fixture().await;
    // Before any invoice: the series this desk will start.
    let fresh = f.store.invoice_series(&f.property_id).await.unwrap();
    assert_eq!(fresh.len(), 1, "{fresh:?}");
    assert!(fresh[0].this_desk && !fresh[0].started);
    assert!(fresh[0].prefix.starts_with("BLR1"), "{fresh:?}");
    assert!(fresh[0].next_number.as_deref().unwrap().ends_with("/0001"));

    f.tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    f.tenant(
        "Bala Iyer",
        "9876543211",
        1,
        "2026-04-01",
        "9,000",
        "active",
    )
    .await;
    f.store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    let april = f
        .store
        .invoices_for_month(&f.property_id, month("2026-04"))
        .await
        .unwrap();
    let old_prefix = fresh[0].prefix.clone();
    let started = f.store.invoice_series(&f.property_id).await.unwrap();
    assert!(started[0].started);
    assert_eq!(started[0].prefix, old_prefix);
    assert_eq!(started[0].last_sequence, 2);
    assert_eq!(started[0].financial_year.as_deref(), Some("FY 2026-27"));

    let saved = f
        .store
        .set_invoice_series_prefix(ACTOR, &f.property_id, " sai1 ")
        .await
        .unwrap();
    assert_eq!(saved.prefix, "SAI1");
    assert_eq!(saved.last_sequence, 2);
    assert_eq!(
        f.store.invoice_series(&f.property_id).await.unwrap(),
        vec![saved]
    );
    // Issued invoices keep their numbers.
    let april_again = f
        .store
        .invoices_for_month(&f.property_id, month("2026-04"))
        .await
        .unwrap();
    assert_eq!(
        april.iter().map(|i| &i.number).collect::<Vec<_>>(),
        april_again.iter().map(|i| &i.number).collect::<Vec<_>>()
    );
    assert!(april
        .iter()
        .all(|i| i.number.starts_with(&format!("{old_prefix}/"))));
    // The next ones carry on the count under the new prefix.
    f.store
        .run_billing(ACTOR, &f.property_id, month("2026-05"), d("2026-05-01"))
        .await
        .unwrap();
    let mut may: Vec<String> = f
        .store
        .invoices_for_month(&f.property_id, month("2026-05"))
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.number)
        .collect();
    may.sort();
    assert_eq!(may, vec!["SAI1/26-27/00003", "SAI1/26-27/00004"]);

    // The old prefix is not free again: its numbers were issued.
    let other = second_property(&f, "MUM1").await;
    let message = refused_on_prefix(
        f.store
            .set_invoice_series_prefix(ACTOR, &other, &old_prefix)
            .await,
    );
    assert!(message.contains("already issued"), "{message}");
}

#[tokio::test]
async fn a_bad_or_taken_prefix_is_refused_naming_the_field_and_changes_nothing() {
    let f = fixture().await;
    let other = second_property(&f, "MUM1").await;
    f.store
        .set_invoice_series_prefix(ACTOR, &other, "MUM1X")
        .await
        .unwrap();
    let audit_before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(f.store.pool())
        .await
        .unwrap();
    let series_before = f.store.invoice_series(&f.property_id).await.unwrap();

    for bad in ["", "B", "BLR1/A", "BLR-1", "ABCDEFG", "₹BLR"] {
        let message = refused_on_prefix(
            f.store
                .set_invoice_series_prefix(ACTOR, &f.property_id, bad)
                .await,
        );
        assert!(message.contains("16 characters"), "{bad}: {message}");
    }
    // Another series' prefix, and another property's code.
    let message = refused_on_prefix(
        f.store
            .set_invoice_series_prefix(ACTOR, &f.property_id, "mum1x")
            .await,
    );
    assert!(message.contains("Property MUM1"), "{message}");
    let message = refused_on_prefix(
        f.store
            .set_invoice_series_prefix(ACTOR, &f.property_id, "MUM1")
            .await,
    );
    assert!(
        message.contains("invoice code of Property MUM1"),
        "{message}"
    );
    // A property that does not exist.
    assert!(matches!(
        f.store
            .set_invoice_series_prefix(ACTOR, "no-such-property", "ABC1")
            .await,
        Err(StoreError::Domain(DomainError::NotFound { .. }))
    ));

    let audit_after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(f.store.pool())
        .await
        .unwrap();
    assert_eq!(audit_after, audit_before);
    assert_eq!(
        f.store.invoice_series(&f.property_id).await.unwrap(),
        series_before
    );
}

#[tokio::test]
async fn a_longer_prefix_is_refused_when_this_years_count_would_not_fit() {
    let f = fixture().await;
    f.store
        .set_invoice_series_prefix(ACTOR, &f.property_id, "BLR1")
        .await
        .unwrap();
    let year = FinancialYear::of(today()).start_year();
    sqlx::query("UPDATE invoice_series SET last_fy_start = ?, last_sequence = 1000")
        .bind(i64::from(year))
        .execute(f.store.pool())
        .await
        .unwrap();
    // Six characters leave three digits: 999 numbers a year.
    let message = refused_on_prefix(
        f.store
            .set_invoice_series_prefix(ACTOR, &f.property_id, "BLR1AB")
            .await,
    );
    assert!(message.contains("999"), "{message}");
    let saved = f
        .store
        .set_invoice_series_prefix(ACTOR, &f.property_id, "BLR1A")
        .await
        .unwrap();
    assert_eq!(saved.max_sequence, 9_999);
    assert!(saved.next_number.unwrap().ends_with("/1001"));
}

#[tokio::test]
async fn the_receipt_series_takes_a_new_prefix_for_the_next_receipts() {
    let f = fixture().await;
    let fresh = f.store.receipt_series().await.unwrap();
    assert_eq!(fresh.len(), 1);
    assert!(fresh[0].this_desk && !fresh[0].started);
    assert!(fresh[0].prefix.starts_with("RC"), "{fresh:?}");

    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let first = f
        .store
        .record_payment(ACTOR, &asha, &cash("1,000", "02/04/2026"))
        .await
        .unwrap();
    assert!(first
        .payment
        .receipt_number
        .starts_with(&format!("{}/", fresh[0].prefix)));

    // Another desk's series (pulled from the server) holds RCZZ.
    sqlx::query(
        "INSERT INTO receipt_series (desk_id, prefix, last_fy_start, last_sequence, created_at, updated_at)
         VALUES ('another-desk', 'RCZZ', NULL, 0, 'now', 'now')",
    )
    .execute(f.store.pool())
    .await
    .unwrap();
    refused_on_prefix(f.store.set_receipt_series_prefix(ACTOR, "RCZZ").await);
    refused_on_prefix(f.store.set_receipt_series_prefix(ACTOR, "R").await);

    let saved = f
        .store
        .set_receipt_series_prefix(ACTOR, "SAIR")
        .await
        .unwrap();
    assert_eq!(saved.prefix, "SAIR");
    assert_eq!(saved.last_sequence, 1);
    let second = f
        .store
        .record_payment(ACTOR, &asha, &cash("1,000", "03/04/2026"))
        .await
        .unwrap();
    assert_eq!(second.payment.receipt_number, "SAIR/26-27/00002");
    let listed = f.store.receipt_series().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].this_desk);
    assert_eq!(listed[0].prefix, "SAIR");
    // The old prefix's receipts stay theirs: it cannot come back.
    let message = refused_on_prefix(
        f.store
            .set_receipt_series_prefix(ACTOR, &fresh[0].prefix)
            .await,
    );
    assert!(message.contains("already issued"), "{message}");
}
