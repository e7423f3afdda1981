//! The security deposit settled at move-out, on real SQLite files: a refund
//! due to the tenant, a tenant who still owes, by new ledger entries only,
//! with the balance always the sum of the entries.

mod fixtures;

use fixtures::{cash, d, fixture, month, Fixture, ACTOR};
use multipms_domain::payment::{PaymentInput, PaymentPurpose};
use multipms_domain::DomainError;
use multipms_store::deposit_settlement::{DamageInput, DepositSettlementInput};
use multipms_store::StoreError;

fn deposit(amount: &str, on: &str) -> PaymentInput {
    PaymentInput {
        purpose: PaymentPurpose::SecurityDeposit,
        ..cash(amount, on)
    }
}

async fn counts(f: &Fixture) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "ledger_entry",
        "deposit_settlement",
        "deposit_deduction",
        "deposit_settlement_entry",
        "audit_log",
    ] {
        out.push(f.count(table).await);
    }
    out
}

#[tokio::test]
async fn the_deposit_less_damage_is_refunded_to_the_tenant() {
    let f = fixture().await;
    let (asha, contract) = f
        .tenant_with_contract("Asha Rao", "9876543210", 0, "2026-04-01", "9,500", "active")
        .await;
    let s = &f.store;
    s.record_payment(ACTOR, &asha, &deposit("19,000", "01/04/2026"))
        .await
        .unwrap();
    s.run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    s.record_payment(ACTOR, &asha, &cash("9,500", "03/04/2026"))
        .await
        .unwrap();
    // A full month's notice, leaving on 1 May.
    let allocation = s.tenant_allocations(&asha).await.unwrap()[0].id.clone();
    s.give_notice(ACTOR, &allocation, d("2026-04-01"), Some(d("2026-05-01")))
        .await
        .unwrap();

    let input = DepositSettlementInput {
        on: "01/05/2026".into(),
        damages: vec![DamageInput {
            description: "Broken window pane".into(),
            amount: "1,500".into(),
        }],
        notice_short_days: None,
    };
    let before = counts(&f).await;
    let preview = s
        .preview_deposit_settlement(&contract, &input)
        .await
        .unwrap();
    assert_eq!(counts(&f).await, before, "a preview writes nothing");
    let settled = s.settle_deposit(ACTOR, &contract, &input).await.unwrap();
    assert_eq!(
        settled,
        multipms_store::deposit_settlement::DepositSettlement {
            id: settled.id.clone(),
            entry_ids: settled.entry_ids.clone(),
            ..preview
        }
    );
    assert_eq!(settled.deposit_held_paise, 1_900_000);
    assert_eq!(settled.dues_paise, 0);
    let deductions: Vec<(&str, &str, i64)> = settled
        .deductions
        .iter()
        .map(|d| (d.kind.as_str(), d.description.as_str(), d.amount_paise))
        .collect();
    assert_eq!(deductions, [("damage", "Broken window pane", 150_000)]);
    assert_eq!(settled.outcome, "refund_to_tenant");
    assert_eq!(settled.refund_to_tenant_paise, 1_750_000);
    assert_eq!(settled.tenant_owes_paise, 0);
    assert_eq!(settled.statement, "Refund ₹17,500.00 to the tenant");
    assert_eq!(
        s.deposit_settlement(&contract).await.unwrap(),
        Some(settled.clone())
    );

    let ledger = s.tenant_ledger(&asha).await.unwrap();
    let sum = f.entry_sum(&asha).await;
    assert_eq!(ledger.balance.deposit_held_paise, 0);
    assert_eq!(ledger.balance.dues_paise, 0);
    assert_eq!(ledger.balance.balance_paise, sum);
    assert_eq!(sum, 0);
    assert_eq!(
        ledger.lines.iter().map(|l| l.amount_paise).sum::<i64>(),
        sum
    );
    let refunded: i64 = ledger
        .lines
        .iter()
        .filter(|l| l.kind == "deposit_refunded")
        .map(|l| l.amount_paise)
        .sum();
    assert_eq!(refunded, 1_750_000);
    assert_eq!(settled.entry_ids.len(), 4);

    // Once only.
    let before = counts(&f).await;
    let again = s
        .settle_deposit(ACTOR, &contract, &input)
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::Domain(DomainError::Conflict { .. })),
        "{again:?}"
    );
    assert_eq!(counts(&f).await, before);
}

#[tokio::test]
async fn a_tenant_who_leaves_without_notice_owes_what_the_deposit_does_not_cover() {
    let f = fixture().await;
    let (bala, contract) = f
        .tenant_with_contract(
            "Bala Iyer",
            "9876543211",
            1,
            "2026-04-01",
            "9,500",
            "active",
        )
        .await;
    let s = &f.store;
    s.record_payment(ACTOR, &bala, &deposit("5,000", "01/04/2026"))
        .await
        .unwrap();
    for (m, on) in [("2026-04", "2026-04-01"), ("2026-05", "2026-05-01")] {
        s.run_billing(ACTOR, &f.property_id, month(m), d(on))
            .await
            .unwrap();
    }
    let input = DepositSettlementInput {
        on: "01/06/2026".into(),
        ..Default::default()
    };

    // Not moved out yet: refused, nothing written.
    let before = counts(&f).await;
    let early = s
        .settle_deposit(ACTOR, &contract, &input)
        .await
        .unwrap_err();
    assert!(
        matches!(early, StoreError::Domain(DomainError::Conflict { .. })),
        "{early:?}"
    );
    assert_eq!(counts(&f).await, before);

    let allocation = s.tenant_allocations(&bala).await.unwrap()[0].id.clone();
    s.move_out(ACTOR, &allocation, d("2026-06-01"))
        .await
        .unwrap();

    // Bad input names its field and writes nothing.
    let before = counts(&f).await;
    for (bad, field) in [
        (
            DepositSettlementInput {
                on: "31/02/2026".into(),
                ..Default::default()
            },
            "on",
        ),
        (
            DepositSettlementInput {
                damages: vec![DamageInput {
                    description: "Mattress".into(),
                    amount: "abc".into(),
                }],
                ..input.clone()
            },
            "damages",
        ),
        (
            DepositSettlementInput {
                damages: vec![DamageInput {
                    description: " ".into(),
                    amount: "100".into(),
                }],
                ..input.clone()
            },
            "damages",
        ),
        (
            DepositSettlementInput {
                notice_short_days: Some("-3".into()),
                ..input.clone()
            },
            "notice_short_days",
        ),
    ] {
        let err = s.settle_deposit(ACTOR, &contract, &bad).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Domain(DomainError::Invalid { field: f, .. }) if f == field),
            "{field}: {err:?}"
        );
    }
    assert_eq!(counts(&f).await, before);

    // No notice recorded: the whole 30 days are short, a month's rent.
    let settled = s.settle_deposit(ACTOR, &contract, &input).await.unwrap();
    let deductions: Vec<(&str, i64)> = settled
        .deductions
        .iter()
        .map(|d| (d.kind.as_str(), d.amount_paise))
        .collect();
    assert_eq!(
        deductions,
        [("unpaid_dues", 1_900_000), ("notice_shortfall", 950_000)]
    );
    assert_eq!(settled.deductions[1].description, "Notice short by 30 days");
    assert_eq!(settled.total_deductions_paise, 2_850_000);
    assert_eq!(settled.deposit_held_paise, 500_000);
    assert_eq!(settled.outcome, "tenant_owes");
    assert_eq!(settled.tenant_owes_paise, 2_350_000);
    assert_eq!(settled.refund_to_tenant_paise, 0);
    assert_eq!(settled.statement, "The tenant owes ₹23,500.00");

    let ledger = s.tenant_ledger(&bala).await.unwrap();
    let sum = f.entry_sum(&bala).await;
    assert_eq!(ledger.balance.deposit_held_paise, 0);
    assert_eq!(ledger.balance.dues_paise, 2_350_000);
    assert_eq!(ledger.balance.balance_paise, sum);
    assert_eq!(sum, 2_350_000);
    assert_eq!(ledger.balance.outstanding_paise, 2_350_000);
    assert!(ledger.lines.iter().all(|l| l.kind != "deposit_refunded"));
    // The entries stay as written.
    assert!(sqlx::query("DELETE FROM deposit_settlement")
        .execute(s.pool())
        .await
        .is_err());
}
