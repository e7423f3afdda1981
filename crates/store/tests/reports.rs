//! Collections by month and mode, and deposits held, against the payments
//! and ledger entries they come from; their CSV exports read back.

mod fixtures;

use fixtures::{cash, d, fixture, upi, ACTOR};
use multipms_domain::payment::PaymentPurpose;
use multipms_store::export::Progress;

#[tokio::test]
async fn collections_and_deposits_add_up_and_export() {
    let f = fixture().await;
    let ravi = f
        .tenant(
            "Ravi Kumar",
            "9876543211",
            0,
            "2026-04-01",
            "8,000",
            "active",
        )
        .await;
    let meera = f
        .tenant(
            "Meera Iyer",
            "9876543212",
            1,
            "2026-04-01",
            "9,000",
            "active",
        )
        .await;
    f.store
        .record_payment(ACTOR, &ravi, &upi("8,000", "2026-04-03", "610012345678"))
        .await
        .unwrap();
    f.store
        .record_payment(ACTOR, &meera, &cash("9,000", "2026-04-05"))
        .await
        .unwrap();
    let wrong = f
        .store
        .record_payment(ACTOR, &meera, &upi("500", "2026-04-06", "610012345679"))
        .await
        .unwrap();
    f.store
        .reverse_payment(ACTOR, &wrong.payment.id, d("2026-04-07"), "Twice")
        .await
        .unwrap();
    f.store
        .record_payment(ACTOR, &ravi, &upi("8,000", "2026-05-02", "610012345680"))
        .await
        .unwrap();
    let mut deposit = cash("16,000", "2026-04-01");
    deposit.purpose = PaymentPurpose::SecurityDeposit;
    f.store
        .record_payment(ACTOR, &ravi, &deposit)
        .await
        .unwrap();

    let months = f
        .store
        .collections_by_month(d("2026-04-01"), d("2026-05-31"))
        .await
        .unwrap();
    assert_eq!(months.len(), 2);
    assert_eq!(months[0].month, "2026-04");
    assert_eq!(
        (
            months[0].upi_paise,
            months[0].cash_paise,
            months[0].total_paise,
            months[0].payments
        ),
        (800_000, 900_000, 1_700_000, 2),
        "the reversed payment and the deposit are not collections"
    );
    assert_eq!(
        (months[1].month.as_str(), months[1].upi_paise),
        ("2026-05", 800_000)
    );

    // Meera's smaller deposit: the Reports screen's one largest is Ravi's,
    // over the count and sum of both.
    let mut smaller = cash("9,000", "2026-04-05");
    smaller.purpose = PaymentPurpose::SecurityDeposit;
    f.store
        .record_payment(ACTOR, &meera, &smaller)
        .await
        .unwrap();
    let largest = f.store.largest_deposits_held(1).await.unwrap();
    assert_eq!((largest.count, largest.held_paise), (2, 2_500_000));
    assert_eq!(largest.largest.len(), 1);
    assert_eq!(largest.largest[0].full_name, "Ravi Kumar");
    let every = f.store.largest_deposits_held(100).await.unwrap();
    assert_eq!(every.largest.len(), 2);
    assert_eq!(every.largest[1].held_paise, 900_000);

    let held = f.store.deposits_held().await.unwrap();
    assert_eq!(held.len(), 2);
    assert_eq!(
        (held[0].full_name.as_str(), held[0].held_paise),
        ("Ravi Kumar", 1_600_000)
    );
    assert_eq!(held[0].property.as_deref(), Some("Sai Comforts PG"));
    let balance = f.store.balance(&ravi).await.unwrap();
    assert_eq!(balance.deposit_held_paise, 1_600_000);

    let out = f
        .store
        .export_collections(
            d("2026-04-01"),
            d("2026-05-31"),
            Vec::new(),
            Progress::silent(),
        )
        .await
        .unwrap();
    assert_eq!(out.rows, 2);
    let mut reader = csv::Reader::from_reader(&out.out[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][0], "2026-04");
    assert_eq!(
        (&rows[0][1], &rows[0][2], &rows[0][5], &rows[0][6]),
        ("8000.00", "9000.00", "17000.00", "2")
    );

    let out = f
        .store
        .export_deposits(Vec::new(), Progress::silent())
        .await
        .unwrap();
    let text = String::from_utf8(out.out[3..].to_vec()).unwrap();
    assert_eq!(
        text,
        "Tenant,Property,Deposit held\nRavi Kumar,Sai Comforts PG,16000.00\n\
         Meera Iyer,Sai Comforts PG,9000.00\n"
    );

    let bad = f
        .store
        .export_collections(
            d("2026-05-31"),
            d("2026-04-01"),
            Vec::new(),
            Progress::silent(),
        )
        .await;
    assert!(bad.is_err(), "from after to is refused");
}
