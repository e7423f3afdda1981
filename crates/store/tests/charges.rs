//! Charges besides rent on real SQLite files: food, one-off laundry,
//! parking, a discount and a room's electricity split between two
//! occupants on the invoices; the late fee charged once; bad input refused
//! naming its field and writing nothing.

mod fixtures;

use fixtures::{d, fixture, month, Fixture, ACTOR};
use multipms_domain::billing::charges::{ChargeInput, DiscountInput};
use multipms_domain::billing::late_fee::LateFeeInput;
use multipms_domain::DomainError;
use multipms_store::meter_reading::MeterReadingInput;
use multipms_store::StoreError;

fn charge(kind: &str, description: &str, amount: &str, schedule: &str, from: &str) -> ChargeInput {
    ChargeInput {
        kind: kind.into(),
        description: description.into(),
        amount: amount.into(),
        schedule: schedule.into(),
        from: from.into(),
        until: None,
        prorate: None,
    }
}

fn reading(month: &str, on: &str, units: &str) -> MeterReadingInput {
    MeterReadingInput {
        month: month.into(),
        reading_on: on.into(),
        reading: units.into(),
        rate_per_unit: "8".into(),
        ..Default::default()
    }
}

fn field_of(err: &StoreError) -> &str {
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

async fn counts(f: &Fixture) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "contract_charge",
        "contract_discount",
        "meter_reading",
        "late_fee_rule",
        "audit_log",
    ] {
        out.push(f.count(table).await);
    }
    out
}

#[tokio::test]
async fn a_month_with_food_laundry_parking_a_discount_and_shared_electricity() {
    let f = fixture().await;
    let (asha, asha_contract) = f
        .tenant_with_contract("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    // Bala moves in on the 16th: 15 of April's 30 nights.
    let (bala, bala_contract) = f
        .tenant_with_contract(
            "Bala Iyer",
            "9876543211",
            1,
            "2026-04-16",
            "12,000",
            "active",
        )
        .await;
    let s = &f.store;
    s.add_contract_charge(
        ACTOR,
        &asha_contract,
        &charge("food", "Veg meals", "3,000", "monthly", "01/04/2026"),
    )
    .await
    .unwrap();
    s.add_contract_charge(
        ACTOR,
        &asha_contract,
        &charge("laundry", "Laundry", "250", "once", "12/04/2026"),
    )
    .await
    .unwrap();
    let parking = s
        .add_contract_charge(
            ACTOR,
            &asha_contract,
            &charge(
                "parking",
                "Two-wheeler parking",
                "1,000",
                "monthly",
                "01/04/2026",
            ),
        )
        .await
        .unwrap();
    // The scooter goes after the 15th: parking ends on the 16th.
    let ended = s
        .end_contract_charge(ACTOR, &parking.id, "16/04/2026")
        .await
        .unwrap();
    assert_eq!(ended.ends_on.as_deref(), Some("2026-04-16"));
    s.add_contract_discount(
        ACTOR,
        &asha_contract,
        &DiscountInput {
            description: "Early payer discount".into(),
            percent: "10".into(),
            schedule: "monthly".into(),
            from: "01/04/2026".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    s.add_contract_charge(
        ACTOR,
        &bala_contract,
        &charge("food", "Veg meals", "3,000", "monthly", "16/04/2026"),
    )
    .await
    .unwrap();
    let listed = s.contract_charges(&asha_contract).await.unwrap();
    let kinds: Vec<&str> = listed.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["food", "laundry", "parking"]);
    assert_eq!(s.contract_discounts(&asha_contract).await.unwrap().len(), 1);

    // 120 units at ₹8 = ₹960 for the room over April.
    let meter = s
        .record_meter_reading(
            ACTOR,
            &f.room_id,
            &MeterReadingInput {
                previous_on: Some("01/04/2026".into()),
                previous_reading: Some("1,000".into()),
                ..reading("04/2026", "01/05/2026", "1120")
            },
        )
        .await
        .unwrap();
    assert_eq!((meter.units, meter.amount_paise), (12_000, 96_000));
    assert_eq!(
        s.meter_readings(&f.room_id).await.unwrap(),
        vec![meter.clone()]
    );
    assert_eq!(
        s.meter_readings_for_month(&f.property_id, month("2026-04"))
            .await
            .unwrap(),
        vec![meter]
    );

    let report = s
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-05-01"))
        .await
        .unwrap();
    assert_eq!(report.created.len(), 2, "{report:?}");
    let invoices = s
        .invoices_for_month(&f.property_id, month("2026-04"))
        .await
        .unwrap();
    let of = |tenant: &str| invoices.iter().find(|i| i.tenant_id == tenant).unwrap();
    let lines = |tenant: &str| -> Vec<(String, String, i64)> {
        of(tenant)
            .lines
            .iter()
            .map(|l| (l.kind.clone(), l.description.clone(), l.total_paise))
            .collect()
    };
    let owned = |v: &[(&str, &str, i64)]| -> Vec<(String, String, i64)> {
        v.iter()
            .map(|(k, t, p)| (k.to_string(), t.to_string(), *p))
            .collect()
    };
    assert_eq!(
        lines(&asha),
        owned(&[
            ("rent", "Rent for April 2026", 950_000),
            ("charge:food", "Veg meals for April 2026", 300_000),
            ("charge:laundry", "Laundry (12/04/2026)", 25_000),
            // ₹1,000 × 15/30.
            ("charge:parking", "Two-wheeler parking (01/04/2026 to 15/04/2026)", 50_000),
            // ₹960 × 30/45 person-nights.
            (
                "charge:electricity",
                "Electricity 01/04/2026 to 30/04/2026: 120.00 units at ₹8.00, your share 30 of 45 nights",
                64_000
            ),
            // 10% of the rent.
            ("discount", "Early payer discount for April 2026", -95_000),
        ])
    );
    assert_eq!(of(&asha).total_paise, 1_294_000);
    assert_eq!(of(&asha).taxable_value_paise, 1_294_000);
    assert_eq!(of(&asha).round_off_paise, 0);
    assert_eq!(
        lines(&bala),
        owned(&[
            (
                "rent",
                "Rent 16/04/2026 to 30/04/2026 (15 of 30 days at ₹12,000.00 a month)",
                600_000
            ),
            ("charge:food", "Veg meals (16/04/2026 to 30/04/2026)", 150_000),
            (
                "charge:electricity",
                "Electricity 01/04/2026 to 30/04/2026: 120.00 units at ₹8.00, your share 15 of 45 nights",
                32_000
            ),
        ])
    );
    assert_eq!(of(&bala).total_paise, 782_000);
    // Each total charged once to its tenant; the shares add up to the bill.
    assert_eq!(f.entry_sum(&asha).await, 1_294_000);
    assert_eq!(f.entry_sum(&bala).await, 782_000);
    let shares: i64 = sqlx::query_scalar("SELECT SUM(amount_paise) FROM electricity_share")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(shares, 96_000);

    // The month again: nothing new, no share billed twice.
    let tables = [
        "invoice",
        "invoice_line",
        "ledger_entry",
        "electricity_share",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(f.count(t).await);
    }
    let again = s
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-05-02"))
        .await
        .unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.already_invoiced, 2);
    let mut after = Vec::new();
    for t in tables {
        after.push(f.count(t).await);
    }
    assert_eq!(before, after);

    // May: food goes on, the one-offs, parking and April's electricity do not.
    s.run_billing(ACTOR, &f.property_id, month("2026-05"), d("2026-05-01"))
        .await
        .unwrap();
    let may = s
        .invoices_for_month(&f.property_id, month("2026-05"))
        .await
        .unwrap();
    let asha_may = may.iter().find(|i| i.tenant_id == asha).unwrap();
    let kinds: Vec<&str> = asha_may.lines.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(kinds, ["rent", "charge:food", "discount"]);
}

#[tokio::test]
async fn a_reading_recorded_after_the_month_was_billed_goes_on_the_next_invoice() {
    let f = fixture().await;
    let (asha, _) = f
        .tenant_with_contract("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let s = &f.store;
    s.run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    s.record_meter_reading(
        ACTOR,
        &f.room_id,
        &MeterReadingInput {
            previous_on: Some("01/04/2026".into()),
            previous_reading: Some("500".into()),
            ..reading("04/2026", "01/05/2026", "550")
        },
    )
    .await
    .unwrap();
    s.run_billing(ACTOR, &f.property_id, month("2026-05"), d("2026-05-01"))
        .await
        .unwrap();
    let invoices = s.tenant_invoices(&asha).await.unwrap();
    let may = &invoices[1];
    assert_eq!(
        may.lines[1].description,
        "Electricity 01/04/2026 to 30/04/2026: 50.00 units at ₹8.00"
    );
    assert_eq!(may.lines[1].total_paise, 40_000);
    // June bills it no more.
    s.run_billing(ACTOR, &f.property_id, month("2026-06"), d("2026-06-01"))
        .await
        .unwrap();
    let june = &s.tenant_invoices(&asha).await.unwrap()[2];
    assert_eq!(june.lines.len(), 1);
}

#[tokio::test]
async fn a_late_fee_is_charged_once_per_overdue_invoice() {
    let f = fixture().await;
    let (asha, _) = f
        .tenant_with_contract("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let s = &f.store;
    assert!(!s.late_fee_rule(&f.property_id).await.unwrap().enabled);
    let rule = s
        .set_late_fee_rule(
            ACTOR,
            &f.property_id,
            &LateFeeInput {
                enabled: true,
                kind: "flat".into(),
                value: "500".into(),
                after_days: "5".into(),
                cap: "".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (rule.kind.as_deref(), rule.flat_paise, rule.after_days),
        (Some("flat"), Some(50_000), Some(5))
    );
    assert_eq!(s.late_fee_rule(&f.property_id).await.unwrap(), rule);

    // April, due 5 April, is not paid.
    s.run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    s.run_billing(ACTOR, &f.property_id, month("2026-05"), d("2026-05-01"))
        .await
        .unwrap();
    let may = &s.tenant_invoices(&asha).await.unwrap()[1];
    let fee_lines = |lines: &[multipms_store::billing::InvoiceLine]| -> Vec<(String, i64)> {
        lines
            .iter()
            .filter(|l| l.kind == "charge:late_fee")
            .map(|l| (l.description.clone(), l.total_paise))
            .collect()
    };
    assert_eq!(
        fee_lines(&may.lines),
        [(
            "Late fee: ₹9,500.00 due 05/04/2026, 26 days overdue".to_string(),
            50_000
        )]
    );
    assert_eq!(may.total_paise, 1_000_000);

    // May again: nothing new.
    let again = s
        .run_billing(ACTOR, &f.property_id, month("2026-05"), d("2026-05-20"))
        .await
        .unwrap();
    assert!(again.created.is_empty());
    assert_eq!(f.count("late_fee_charge").await, 1);

    // June: April is still unpaid but carries its fee already; May is late now.
    s.run_billing(ACTOR, &f.property_id, month("2026-06"), d("2026-06-01"))
        .await
        .unwrap();
    let june = &s.tenant_invoices(&asha).await.unwrap()[2];
    assert_eq!(
        fee_lines(&june.lines),
        [(
            "Late fee: ₹10,000.00 due 05/05/2026, 27 days overdue".to_string(),
            50_000
        )]
    );
    assert_eq!(f.count("late_fee_charge").await, 2);
    assert_eq!(f.entry_sum(&asha).await, 950_000 + 1_000_000 + 1_000_000);

    // Switched off: July has no fee.
    s.set_late_fee_rule(ACTOR, &f.property_id, &LateFeeInput::default())
        .await
        .unwrap();
    s.run_billing(ACTOR, &f.property_id, month("2026-07"), d("2026-07-01"))
        .await
        .unwrap();
    let july = &s.tenant_invoices(&asha).await.unwrap()[3];
    assert!(fee_lines(&july.lines).is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_changes_nothing() {
    let f = fixture().await;
    let (_, contract) = f
        .tenant_with_contract("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let s = &f.store;
    let good = charge("food", "Veg meals", "3,000", "monthly", "01/04/2026");
    let before = counts(&f).await;

    let err = s
        .add_contract_charge(
            ACTOR,
            &contract,
            &ChargeInput {
                kind: "gym".into(),
                ..good.clone()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "kind");
    let err = s
        .add_contract_charge(
            ACTOR,
            &contract,
            &ChargeInput {
                amount: "0".into(),
                ..good.clone()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "amount");
    let err = s
        .add_contract_charge(ACTOR, "no-such-contract", &good)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::NotFound { .. })),
        "{err:?}"
    );
    let err = s
        .add_contract_discount(
            ACTOR,
            &contract,
            &DiscountInput {
                description: "Both".into(),
                amount: "500".into(),
                percent: "10".into(),
                from: "01/04/2026".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "percent");
    let err = s
        .record_meter_reading(ACTOR, &f.room_id, &reading("04/2026", "01/05/2026", "1120"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "previous_reading");
    let err = s
        .record_meter_reading(
            ACTOR,
            &f.room_id,
            &MeterReadingInput {
                rate_per_unit: "eight".into(),
                ..reading("04/2026", "01/05/2026", "1120")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "rate_per_unit");
    let err = s
        .set_late_fee_rule(
            ACTOR,
            &f.property_id,
            &LateFeeInput {
                enabled: true,
                kind: "percent".into(),
                value: "30".into(),
                after_days: "5".into(),
                cap: "".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "value");
    assert_eq!(counts(&f).await, before);

    // A reading lower than the previous one.
    s.record_meter_reading(
        ACTOR,
        &f.room_id,
        &MeterReadingInput {
            previous_on: Some("01/04/2026".into()),
            previous_reading: Some("1000".into()),
            ..reading("04/2026", "01/05/2026", "1120")
        },
    )
    .await
    .unwrap();
    let before = counts(&f).await;
    let err = s
        .record_meter_reading(ACTOR, &f.room_id, &reading("05/2026", "01/06/2026", "1100"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "reading");
    assert!(
        err.to_string()
            .contains("lower than the previous reading 1120.00"),
        "{err}"
    );
    let err = s
        .record_meter_reading(ACTOR, &f.room_id, &reading("04/2026", "02/05/2026", "1130"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "month");
    let err = s
        .record_meter_reading(ACTOR, &f.room_id, &reading("05/2026", "01/05/2026", "1130"))
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "reading_on");
    assert_eq!(counts(&f).await, before);
    // A one-off charge cannot be ended; a monthly one not before it starts.
    let once = s
        .add_contract_charge(
            ACTOR,
            &contract,
            &charge("laundry", "Laundry", "250", "once", "12/04/2026"),
        )
        .await
        .unwrap();
    let monthly = s
        .add_contract_charge(ACTOR, &contract, &good)
        .await
        .unwrap();
    let before = counts(&f).await;
    assert!(matches!(
        s.end_contract_charge(ACTOR, &once.id, "01/05/2026").await,
        Err(StoreError::Domain(DomainError::Conflict { .. }))
    ));
    let err = s
        .end_contract_charge(ACTOR, &monthly.id, "01/03/2026")
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), "until");
    assert_eq!(counts(&f).await, before);
    // The database holds the line too, whatever code path writes.
    let raw = sqlx::query(
        "INSERT INTO meter_reading (id, room_id, month, previous_on, previous_units, reading_on,
            reading_units, units, rate_per_unit_paise, amount_paise, desk_id, created_at)
         VALUES ('x', ?, '2026-06', '2026-06-01', 500, '2026-07-01', 400, -100, 800, 0, 'd', 'now')",
    )
    .bind(&f.room_id)
    .execute(s.pool())
    .await;
    assert!(raw.is_err());
}
