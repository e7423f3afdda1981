//! Billing on real SQLite files: monthly runs, invoice numbers, payments,
//! the duplicate-UTR wall, the append-only ledger, and balances.

mod fixtures;

use chrono::Duration;
use fixtures::{cash, d, fixture, month, upi, ACTOR};
use multipms_domain::payment::PaymentInput;
use multipms_domain::{DomainError, Paise};
use multipms_store::StoreError;

/// `BLR1K/26-27/0042` → (prefix, year label, sequence).
fn parts(number: &str) -> (String, String, u32) {
    let p: Vec<&str> = number.split('/').collect();
    assert_eq!(p.len(), 3, "{number}");
    assert!(number.len() <= 16, "{number}");
    (p[0].to_string(), p[1].to_string(), p[2].parse().unwrap())
}

#[tokio::test]
async fn a_month_bills_each_active_contract_once_prorating_a_mid_month_move_in() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let bala = f
        .tenant(
            "Bala Iyer",
            "9876543211",
            1,
            "2026-04-15",
            "12,000",
            "active",
        )
        .await;
    let _draft = f
        .tenant(
            "Chitra Das",
            "9876543212",
            2,
            "2026-04-10",
            "9,000",
            "draft",
        )
        .await;

    let report = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    assert_eq!(report.created.len(), 2, "{report:?}");
    assert_eq!(report.summary, "Created 2 invoices for April 2026");
    assert_eq!(report.skipped.len(), 1, "the draft is reported: {report:?}");

    let invoices = f
        .store
        .invoices_for_month(&f.property_id, month("2026-04"))
        .await
        .unwrap();
    assert_eq!(invoices.len(), 2);
    let of = |tenant: &str| invoices.iter().find(|i| i.tenant_id == tenant).unwrap();
    let full = of(&asha);
    assert_eq!(full.total_paise, 950_000);
    assert_eq!(full.lines.len(), 1);
    assert_eq!(full.lines[0].description, "Rent for April 2026");
    assert_eq!(full.gst_rule, "residential_exempt");
    assert_eq!(full.status, "issued");
    assert!(!full.notes.is_empty());
    // 16 of April's 30 nights at ₹12,000 a month.
    let partial = of(&bala);
    assert_eq!(partial.total_paise, 640_000);
    assert_eq!(partial.lines[0].kind, "rent");
    assert!(
        partial.lines[0].description.contains("16 of 30 days"),
        "{}",
        partial.lines[0].description
    );
    assert_eq!(partial.due_on, "2026-04-15");
    // Each invoice charged once to its tenant.
    assert_eq!(f.entry_sum(&asha).await, 950_000);
    assert_eq!(f.entry_sum(&bala).await, 640_000);

    let again = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-02"))
        .await
        .unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.already_invoiced, 2);
    assert!(
        again.summary.starts_with("Nothing new"),
        "{}",
        again.summary
    );
    assert_eq!(f.count("invoice").await, 2);
    assert_eq!(f.count("ledger_entry").await, 2);
}

#[tokio::test]
async fn numbers_are_consecutive_in_the_desks_series_and_restart_on_1_april() {
    let f = fixture().await;
    f.tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    f.tenant(
        "Bala Iyer",
        "9876543211",
        1,
        "2026-04-01",
        "9,500",
        "active",
    )
    .await;
    let mut numbers = Vec::new();
    for (m, on) in [
        ("2026-04", "2026-04-01"),
        ("2026-05", "2026-05-01"),
        ("2027-03", "2027-03-01"),
        ("2027-04", "2027-04-01"),
    ] {
        let report = f
            .store
            .run_billing(ACTOR, &f.property_id, month(m), d(on))
            .await
            .unwrap();
        assert_eq!(report.created.len(), 2);
        numbers.extend(report.created.into_iter().map(|i| i.number));
    }
    let parsed: Vec<_> = numbers.iter().map(|n| parts(n)).collect();
    let prefix = &parsed[0].0;
    assert!(
        prefix.starts_with("BLR1") && prefix.len() == 5,
        "{numbers:?}"
    );
    assert!(parsed.iter().all(|p| &p.0 == prefix), "{numbers:?}");
    let fy: Vec<(&str, u32)> = parsed.iter().map(|p| (p.1.as_str(), p.2)).collect();
    assert_eq!(
        fy,
        [
            ("26-27", 1),
            ("26-27", 2),
            ("26-27", 3),
            ("26-27", 4),
            ("26-27", 5),
            ("26-27", 6),
            ("27-28", 1),
            ("27-28", 2),
        ]
    );
    assert_eq!(numbers[0], format!("{prefix}/26-27/0001"));

    // A month dated back in a closed financial year is refused, nothing written.
    let before = f.count("invoice").await;
    f.tenant(
        "Chitra Das",
        "9876543212",
        2,
        "2027-02-01",
        "9,000",
        "active",
    )
    .await;
    let err = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2027-02"), d("2027-02-01"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Domain(DomainError::Invalid { field, .. }) if field == "invoice_date"),
        "{err}"
    );
    assert_eq!(f.count("invoice").await, before);
}

#[tokio::test]
async fn a_payment_clears_dues_oldest_first_and_leaves_credit() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    for (m, on) in [("2026-04", "2026-04-01"), ("2026-05", "2026-05-01")] {
        f.store
            .run_billing(ACTOR, &f.property_id, month(m), d(on))
            .await
            .unwrap();
    }
    let invoices = f.store.tenant_invoices(&asha).await.unwrap();
    let (april, may) = (&invoices[0], &invoices[1]);
    assert_eq!(april.month, "2026-04");

    let first = f
        .store
        .record_payment(ACTOR, &asha, &cash("12,000", "10/05/2026"))
        .await
        .unwrap();
    let applied: Vec<(Option<&str>, i64)> = first
        .applied
        .iter()
        .map(|a| (a.invoice_number.as_deref(), a.amount_paise))
        .collect();
    assert_eq!(
        applied,
        [
            (Some(april.number.as_str()), 950_000),
            (Some(may.number.as_str()), 250_000)
        ]
    );
    assert_eq!(first.credit_paise, 0);
    assert_eq!(first.balance.outstanding_paise, 700_000);
    assert!(first.payment.receipt_number.contains('/'));

    let second = f
        .store
        .record_payment(ACTOR, &asha, &upi("8,000", "12/05/2026", "412345678901"))
        .await
        .unwrap();
    assert_eq!(second.applied.len(), 1);
    assert_eq!(second.applied[0].amount_paise, 700_000);
    assert_eq!(second.credit_paise, 100_000);
    assert_ne!(second.payment.receipt_number, first.payment.receipt_number);
    let balance = f.store.balance(&asha).await.unwrap();
    assert_eq!(balance.outstanding_paise, 0);
    assert_eq!(balance.credit_paise, 100_000);
    assert_eq!(balance.dues_paise, -100_000);

    // The credit pays June's invoice as soon as it is billed.
    f.store
        .run_billing(ACTOR, &f.property_id, month("2026-06"), d("2026-06-01"))
        .await
        .unwrap();
    let balance = f.store.balance(&asha).await.unwrap();
    assert_eq!(balance.outstanding_paise, 850_000);
    assert_eq!(balance.credit_paise, 0);

    let dues = f.store.dues_with_ageing(d("2026-07-20")).await.unwrap();
    assert_eq!(dues.tenants.len(), 1);
    assert_eq!(dues.tenants[0].full_name, "Asha Rao");
    assert_eq!(dues.tenants[0].outstanding_paise, 850_000);
    // June's rent fell due on 5 June: 45 days late on 20 July.
    assert_eq!(dues.tenants[0].ageing.days_31_60_paise, 850_000);
    assert_eq!(dues.total.total_paise, 850_000);
}

#[tokio::test]
async fn the_same_utr_is_refused_naming_the_payment_it_belongs_to() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let bala = f
        .tenant(
            "Bala Iyer",
            "9876543211",
            1,
            "2026-04-01",
            "9,500",
            "active",
        )
        .await;
    let first = f
        .store
        .record_payment(ACTOR, &asha, &upi("9,500", "03/04/2026", "412345678901"))
        .await
        .unwrap();
    let before = (
        f.count("payment").await,
        f.count("ledger_entry").await,
        f.count("audit_log").await,
    );
    // The same transfer pasted another way, on another tenant.
    let err = f
        .store
        .record_payment(
            ACTOR,
            &bala,
            &upi("9,500", "03/04/2026", "UPI Ref No: 4123 4567 8901"),
        )
        .await
        .unwrap_err();
    let StoreError::Domain(DomainError::Invalid { field, message }) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(field, "reference");
    assert!(message.contains(&first.payment.receipt_number), "{message}");
    assert!(message.contains("Asha Rao"), "{message}");
    assert!(message.contains("03/04/2026"), "{message}");
    assert_eq!(
        (
            f.count("payment").await,
            f.count("ledger_entry").await,
            f.count("audit_log").await
        ),
        before
    );

    // The database refuses it too, whatever code path writes.
    let raw = sqlx::query(
        "INSERT INTO payment (id, receipt_number, tenant_id, mode, purpose, amount_paise, paid_on,
            recorded_at, utr, desk_id, created_at, updated_at)
         VALUES ('x', 'RAW/1', ?, 'upi', 'dues', 100, '2026-04-03', 'now', '412345678901', 'd', 'now', 'now')",
    )
    .bind(&bala)
    .execute(f.store.pool())
    .await;
    assert!(raw.is_err());

    // Reversed as booked in error, the transfer can be booked on the right tenant.
    f.store
        .reverse_payment(
            ACTOR,
            &first.payment.id,
            d("2026-04-04"),
            "Booked on the wrong tenant",
        )
        .await
        .unwrap();
    f.store
        .record_payment(ACTOR, &bala, &upi("9,500", "03/04/2026", "412345678901"))
        .await
        .unwrap();
    assert_eq!(f.entry_sum(&asha).await, 0);
    assert_eq!(f.entry_sum(&bala).await, -950_000);
}

#[tokio::test]
async fn the_database_refuses_to_update_or_delete_ledger_entries() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    f.store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    let update = sqlx::query("UPDATE ledger_entry SET amount_paise = 1")
        .execute(f.store.pool())
        .await
        .unwrap_err();
    assert!(
        update.to_string().contains("ledger is append-only"),
        "{update}"
    );
    let delete = sqlx::query("DELETE FROM ledger_entry")
        .execute(f.store.pool())
        .await
        .unwrap_err();
    assert!(
        delete.to_string().contains("ledger is append-only"),
        "{delete}"
    );
    assert_eq!(f.entry_sum(&asha).await, 950_000);
    // Invoices keep their amounts too.
    let changed = sqlx::query("UPDATE invoice SET total_paise = 1")
        .execute(f.store.pool())
        .await;
    assert!(changed.is_err());
}

#[tokio::test]
async fn a_payment_that_fails_midway_leaves_nothing_written() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    f.store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    // Make the last write of a payment fail, after the payment and its
    // entry are written.
    sqlx::query(
        "CREATE TRIGGER fail_allocation BEFORE INSERT ON payment_allocation
         BEGIN SELECT RAISE(ABORT, 'disk gremlin'); END",
    )
    .execute(f.store.pool())
    .await
    .unwrap();
    let tables = [
        "payment",
        "ledger_entry",
        "payment_allocation",
        "audit_log",
        "receipt_series",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(f.count(t).await);
    }
    let err = f
        .store
        .record_payment(ACTOR, &asha, &upi("5,000", "05/04/2026", "412345678901"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("disk gremlin"), "{err}");
    let mut after = Vec::new();
    for t in tables {
        after.push(f.count(t).await);
    }
    assert_eq!(before, after);
    assert_eq!(f.entry_sum(&asha).await, 950_000);

    sqlx::query("DROP TRIGGER fail_allocation")
        .execute(f.store.pool())
        .await
        .unwrap();
    let ok = f
        .store
        .record_payment(ACTOR, &asha, &upi("5,000", "05/04/2026", "412345678901"))
        .await
        .unwrap();
    // The receipt series did not move on for the failed attempt.
    assert_eq!(parts(&ok.payment.receipt_number).2, 1);
}

#[tokio::test]
async fn the_balance_is_the_sum_of_the_entries_through_corrections() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    for (m, on) in [("2026-04", "2026-04-01"), ("2026-05", "2026-05-01")] {
        f.store
            .run_billing(ACTOR, &f.property_id, month(m), d(on))
            .await
            .unwrap();
    }
    let invoices = f.store.tenant_invoices(&asha).await.unwrap();
    // Cancel May's invoice and bill May again: a new number, one standing charge.
    let cancelled = f
        .store
        .cancel_invoice(ACTOR, &invoices[1].id, d("2026-05-03"), "Wrong rent")
        .await
        .unwrap();
    assert_eq!(cancelled.status, "cancelled");
    let rebill = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-05"), d("2026-05-03"))
        .await
        .unwrap();
    assert_eq!(rebill.created.len(), 1);
    assert_ne!(rebill.created[0].number, invoices[1].number);
    let again = f
        .store
        .cancel_invoice(ACTOR, &invoices[1].id, d("2026-05-04"), "Again")
        .await
        .unwrap_err();
    assert!(matches!(
        again,
        StoreError::Domain(DomainError::Conflict { .. })
    ));

    // A deposit, a payment reversed, a cheque that bounces with a charge.
    let deposit = PaymentInput {
        purpose: multipms_domain::payment::PaymentPurpose::SecurityDeposit,
        ..cash("19,000", "01/04/2026")
    };
    f.store
        .record_payment(ACTOR, &asha, &deposit)
        .await
        .unwrap();
    let wrong = f
        .store
        .record_payment(ACTOR, &asha, &cash("1,000", "02/05/2026"))
        .await
        .unwrap();
    f.store
        .reverse_payment(ACTOR, &wrong.payment.id, d("2026-05-02"), "Counted twice")
        .await
        .unwrap();
    let cheque_day = multipms_store::today() - Duration::days(5);
    let cheque = f
        .store
        .record_payment(
            ACTOR,
            &asha,
            &PaymentInput {
                mode: "cheque".into(),
                amount: "9,500".into(),
                paid_on: cheque_day.format("%d/%m/%Y").to_string(),
                cheque_number: "004512".into(),
                cheque_bank: "Canara Bank".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(cheque
        .receipt_note
        .unwrap()
        .contains("subject to realisation"));
    assert_eq!(cheque.payment.cheque_state.as_deref(), Some("pending"));
    let bounced = f
        .store
        .bounce_cheque(ACTOR, &cheque.payment.id, cheque_day, Some(Paise(50_000)))
        .await
        .unwrap();
    assert_eq!(bounced.cheque_state.as_deref(), Some("bounced"));
    let twice = f
        .store
        .clear_cheque(ACTOR, &cheque.payment.id, cheque_day)
        .await;
    assert!(twice.is_err());

    let ledger = f.store.tenant_ledger(&asha).await.unwrap();
    let sum = f.entry_sum(&asha).await;
    assert_eq!(ledger.balance.balance_paise, sum);
    assert_eq!(ledger.lines.last().unwrap().running_balance_paise, sum);
    assert_eq!(
        ledger.lines.iter().map(|l| l.amount_paise).sum::<i64>(),
        sum
    );
    // April + May rebilled + bounce charge owed; deposit held apart.
    assert_eq!(ledger.balance.dues_paise, 950_000 + 950_000 + 50_000);
    assert_eq!(ledger.balance.deposit_held_paise, 1_900_000);
    assert_eq!(sum, 1_950_000 - 1_900_000);
    assert_eq!(f.store.balance(&asha).await.unwrap(), ledger.balance);
    let reversals = ledger.lines.iter().filter(|l| l.kind == "reversal").count();
    assert_eq!(reversals, 3);
    assert!(ledger
        .lines
        .iter()
        .any(|l| l.invoice_number.as_deref() == Some(invoices[1].number.as_str()) && l.reversed));
}

#[tokio::test]
async fn a_billing_run_that_fails_midway_issues_nothing() {
    let f = fixture().await;
    f.tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    f.tenant(
        "Bala Iyer",
        "9876543211",
        1,
        "2026-04-01",
        "9,500",
        "active",
    )
    .await;
    // The second invoice's line fails to write.
    sqlx::query(
        "CREATE TRIGGER fail_second BEFORE INSERT ON invoice_line
         WHEN (SELECT count(*) FROM invoice) >= 2
         BEGIN SELECT RAISE(ABORT, 'disk gremlin'); END",
    )
    .execute(f.store.pool())
    .await
    .unwrap();
    let audit = f.count("audit_log").await;
    let err = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("disk gremlin"), "{err}");
    assert_eq!(f.count("invoice").await, 0);
    assert_eq!(f.count("invoice_line").await, 0);
    assert_eq!(f.count("ledger_entry").await, 0);
    assert_eq!(f.count("invoice_series").await, 0);
    assert_eq!(f.count("audit_log").await, audit);

    sqlx::query("DROP TRIGGER fail_second")
        .execute(f.store.pool())
        .await
        .unwrap();
    let report = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    assert_eq!(parts(&report.created[0].number).2, 1);
    assert_eq!(parts(&report.created[1].number).2, 2);
}

#[tokio::test]
async fn a_tenant_moved_to_another_bed_is_billed_the_whole_month_once() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let allocation = f.store.tenant_allocations(&asha).await.unwrap()[0]
        .id
        .clone();
    f.store
        .transfer(ACTOR, &allocation, &f.beds[2], d("2026-05-10"))
        .await
        .unwrap();
    let report = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-05"), d("2026-05-01"))
        .await
        .unwrap();
    assert_eq!(report.created.len(), 1, "{report:?}");
    assert_eq!(report.created[0].total_paise, 950_000);
}

/// A tenant who moved on to another property, under the contract they
/// signed at the first: the first property's run still bills that
/// contract, by the nights stayed at the second (the stays are read by
/// contract, not by who stays at the property in the month).
#[tokio::test]
async fn a_tenant_moved_to_another_property_is_billed_by_the_contract_they_signed() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let (other, beds) = f.second_property().await;
    let allocation = f.store.tenant_allocations(&asha).await.unwrap()[0]
        .id
        .clone();
    let moved = f
        .store
        .transfer(ACTOR, &allocation, &beds[0], d("2026-05-10"))
        .await
        .unwrap();
    // Gone from the second property on 15 June, the contract not ended.
    f.store
        .move_out(ACTOR, &moved.id, d("2026-06-15"))
        .await
        .unwrap();
    let report = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-06"), d("2026-06-01"))
        .await
        .unwrap();
    assert_eq!(report.created.len(), 1, "{report:?}");
    assert_eq!(report.created[0].tenant_id, asha);
    // 14 of June's 30 nights of ₹9,500: ₹4,433.33, rounded to the rupee.
    assert_eq!(report.created[0].total_paise, 443_300);
    let elsewhere = f
        .store
        .run_billing(ACTOR, &other, month("2026-06"), d("2026-06-01"))
        .await
        .unwrap();
    assert!(elsewhere.created.is_empty(), "{elsewhere:?}");
}

#[tokio::test]
async fn the_propertys_gst_setting_decides_the_tax() {
    let f = fixture().await;
    let asha = f
        .tenant(
            "Asha Rao",
            "9876543210",
            0,
            "2026-04-01",
            "10,000",
            "active",
        )
        .await;
    // A registered landlord letting commercially charges 18%, CGST + SGST.
    sqlx::query(
        "UPDATE property SET gst_category = 'commercial', gstin = '29AAGCB7383J1Z4' WHERE id = ?",
    )
    .bind(&f.property_id)
    .execute(f.store.pool())
    .await
    .unwrap();
    f.store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    let invoice = &f.store.tenant_invoices(&asha).await.unwrap()[0];
    assert_eq!(invoice.title, "Tax Invoice");
    assert_eq!(invoice.gst_rule, "commercial_forward_charge");
    assert_eq!(invoice.sac, "997212");
    assert_eq!((invoice.cgst_paise, invoice.sgst_paise), (90_000, 90_000));
    assert_eq!(invoice.total_paise, 1_180_000);
    assert_eq!(f.entry_sum(&asha).await, 1_180_000);
}

#[tokio::test]
async fn a_cheque_clears_once_and_a_cleared_cheque_may_still_bounce() {
    let f = fixture().await;
    let asha = f
        .tenant("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let day = multipms_store::today() - Duration::days(3);
    let cheque = f
        .store
        .record_payment(
            ACTOR,
            &asha,
            &PaymentInput {
                mode: "cheque".into(),
                amount: "9,500".into(),
                paid_on: day.format("%d/%m/%Y").to_string(),
                cheque_number: "004513".into(),
                cheque_bank: "Canara Bank".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let early = f
        .store
        .clear_cheque(ACTOR, &cheque.payment.id, day - Duration::days(1))
        .await
        .unwrap_err();
    assert!(matches!(
        early,
        StoreError::Domain(DomainError::Invalid { .. })
    ));
    let cleared = f
        .store
        .clear_cheque(ACTOR, &cheque.payment.id, day)
        .await
        .unwrap();
    assert_eq!(cleared.cheque_state.as_deref(), Some("cleared"));
    assert!(f
        .store
        .clear_cheque(ACTOR, &cheque.payment.id, day)
        .await
        .is_err());
    assert_eq!(f.entry_sum(&asha).await, -950_000);
    f.store
        .bounce_cheque(ACTOR, &cheque.payment.id, day, None)
        .await
        .unwrap();
    assert_eq!(f.entry_sum(&asha).await, 0);
    // A cash payment is not a cheque.
    let paid = f
        .store
        .record_payment(ACTOR, &asha, &cash("100", "01/05/2026"))
        .await
        .unwrap();
    assert!(f
        .store
        .clear_cheque(ACTOR, &paid.payment.id, day)
        .await
        .is_err());
}

#[tokio::test]
async fn one_contract_is_billed_alone_for_a_tenant_who_moves_in_late() {
    let f = fixture().await;
    let (_, first) = f
        .tenant_with_contract(
            "Ravi Kumar",
            "9876543211",
            0,
            "2026-04-01",
            "8,000",
            "active",
        )
        .await;
    let (_, late) = f
        .tenant_with_contract(
            "Meera Iyer",
            "9876543212",
            1,
            "2026-04-21",
            "9,000",
            "active",
        )
        .await;
    let report = f
        .store
        .bill_contract(ACTOR, &late, month("2026-04"), d("2026-04-21"))
        .await
        .unwrap();
    assert_eq!(report.created.len(), 1, "{report:?}");
    assert_eq!(report.created[0].contract_id, late);
    // 10 of 30 nights of ₹9,000.
    assert_eq!(report.created[0].total_paise, 300_000);
    assert!(report.summary.starts_with("Invoice "), "{}", report.summary);
    assert_eq!(f.count("invoice").await, 1, "Ravi is not billed by it");

    let again = f
        .store
        .bill_contract(ACTOR, &late, month("2026-04"), d("2026-04-21"))
        .await
        .unwrap();
    assert!(again.created.is_empty());
    assert!(
        again.summary.contains("already has its invoice"),
        "{}",
        again.summary
    );

    let run = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-30"))
        .await
        .unwrap();
    assert_eq!(run.created.len(), 1);
    assert_eq!(run.created[0].contract_id, first);
    assert_eq!(run.already_invoiced, 1);
}
