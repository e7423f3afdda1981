//! The store reads dues and their ageing in SQL for speed; the rule is the
//! domain's (open items, then ageing). On random ledgers — invoices due
//! later, payments back-dated or allocated to a chosen invoice, payments
//! reversed and invoices cancelled on any later day, credit and debit
//! adjustments, deposits — both must give the same report on every day.

use chrono::{Days, NaiveDate};
use multipms_domain::ledger::{Ageing, Book, EntryKind, Ledger, LedgerEntry, PaymentAllocation};
use multipms_domain::payment::allocate;
use multipms_domain::Paise;
use multipms_store::ledger::{DuesReport, TenantDues};
use multipms_store::Store;
use proptest::prelude::*;
use uuid::Uuid;

const TENANTS: u8 = 2;

#[derive(Debug, Clone)]
enum Op {
    /// Due on a day of a 15-day grid, so invoices often share a due date.
    Invoice {
        tenant: u8,
        rupees: i64,
        day: u64,
        due_in: u64,
    },
    Pay {
        tenant: u8,
        rupees: i64,
        day: u64,
        pick: bool,
    },
    ReversePayment {
        which: usize,
        after: u64,
    },
    CancelInvoice {
        which: usize,
        after: u64,
    },
    Adjust {
        tenant: u8,
        rupees: i64,
        day: u64,
    },
    DepositHeld {
        tenant: u8,
        rupees: i64,
        day: u64,
    },
    DepositRefund {
        tenant: u8,
        rupees: i64,
        day: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..TENANTS, 1i64..20_000, 0u64..120, 0u64..3)
            .prop_map(|(tenant, rupees, day, due_in)| Op::Invoice { tenant, rupees, day, due_in }),
        4 => (0..TENANTS, 1i64..25_000, 0u64..120, any::<bool>())
            .prop_map(|(tenant, rupees, day, pick)| Op::Pay { tenant, rupees, day, pick }),
        1 => (any::<usize>(), 0u64..60).prop_map(|(which, after)| Op::ReversePayment { which, after }),
        1 => (any::<usize>(), 0u64..60).prop_map(|(which, after)| Op::CancelInvoice { which, after }),
        1 => (0..TENANTS, -5_000i64..5_000, 0u64..120)
            .prop_map(|(tenant, rupees, day)| Op::Adjust { tenant, rupees, day }),
        1 => (0..TENANTS, 1i64..30_000, 0u64..120)
            .prop_map(|(tenant, rupees, day)| Op::DepositHeld { tenant, rupees, day }),
        1 => (0..TENANTS, 1i64..30_000, 0u64..120)
            .prop_map(|(tenant, rupees, day)| Op::DepositRefund { tenant, rupees, day }),
    ]
}

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(n)
}

fn tenant_id(t: u8) -> Uuid {
    Uuid::from_u128(0x0000_0000_0000_7000_0004_0000_0000_0000 + u128::from(t))
}

/// The entry `op` makes on `ledger`, if it makes one.
fn entry_of(op: &Op, ledger: &Ledger, fresh: &mut impl FnMut() -> Uuid) -> Option<LedgerEntry> {
    let rupees = |r: i64| Paise(r * 100);
    Some(match *op {
        Op::Invoice {
            tenant,
            rupees: r,
            day: d,
            due_in,
        } => LedgerEntry::charge(
            fresh(),
            tenant_id(tenant),
            rupees(r),
            day(d),
            day((d / 15 + due_in) * 15 + 4),
            None,
            "Rent",
        ),
        Op::Pay {
            tenant,
            rupees: r,
            day: d,
            pick,
        } => {
            let open = ledger.open_items(tenant_id(tenant), None);
            let allocations = if pick {
                // The newest open invoice, as a person might choose.
                open.items
                    .last()
                    .map(|i| {
                        vec![PaymentAllocation {
                            item_entry_id: i.entry_id,
                            amount: i.outstanding.min(rupees(r)),
                        }]
                    })
                    .unwrap_or_default()
            } else {
                allocate(rupees(r), &open.items, &[]).ok()?.allocations
            };
            LedgerEntry::payment(
                fresh(),
                tenant_id(tenant),
                rupees(r),
                day(d),
                Some(fresh()),
                allocations,
                "Cash",
            )
        }
        Op::ReversePayment { which, after } | Op::CancelInvoice { which, after } => {
            let kind = if matches!(op, Op::ReversePayment { .. }) {
                EntryKind::Payment
            } else {
                EntryKind::Charge
            };
            let candidates: Vec<&LedgerEntry> = ledger
                .entries()
                .iter()
                .filter(|e| e.kind == kind && !ledger.is_reversed(e.id))
                .collect();
            let target = candidates.get(which % candidates.len().max(1))?;
            LedgerEntry::reversal_of(
                target,
                fresh(),
                target.posted_on + Days::new(after),
                "Reversed",
            )
        }
        Op::Adjust {
            tenant,
            rupees: r,
            day: d,
        } => {
            if r == 0 {
                return None;
            }
            LedgerEntry::adjustment(
                fresh(),
                tenant_id(tenant),
                Book::Dues,
                rupees(r),
                day(d),
                "Adjustment",
            )
        }
        Op::DepositHeld {
            tenant,
            rupees: r,
            day: d,
        } => LedgerEntry::deposit_held(
            fresh(),
            tenant_id(tenant),
            rupees(r),
            day(d),
            Some(fresh()),
            "Deposit",
        ),
        Op::DepositRefund {
            tenant,
            rupees: r,
            day: d,
        } => LedgerEntry::deposit_refunded(fresh(), tenant_id(tenant), rupees(r), day(d), "Refund"),
    })
}

/// Writes an entry the domain accepted as the store writes one.
async fn write(store: &Store, e: &LedgerEntry, receipts: &mut u32) {
    let receipt =
        match (e.kind, e.payment_id) {
            (EntryKind::Payment | EntryKind::DepositHeld, Some(p)) => {
                *receipts += 1;
                let number = format!("R/{receipts:05}");
                sqlx::query(
                "INSERT INTO payment (id, receipt_number, tenant_id, mode, purpose, amount_paise,
                    paid_on, recorded_at, desk_id, created_at, updated_at)
                 VALUES (?, ?, ?, 'cash', ?, ?, ?, 'x', 'd', 'x', 'x')",
            )
            .bind(p.to_string())
            .bind(&number)
            .bind(e.account_id.to_string())
            .bind(if e.kind == EntryKind::Payment { "dues" } else { "security_deposit" })
            .bind(-e.amount.as_i64())
            .bind(e.posted_on.to_string())
            .execute(store.pool())
            .await
            .unwrap();
                Some(number)
            }
            (_, Some(p)) => sqlx::query_scalar("SELECT receipt_number FROM payment WHERE id = ?")
                .bind(p.to_string())
                .fetch_one(store.pool())
                .await
                .unwrap(),
            (_, None) => None,
        };
    sqlx::query(
        "INSERT INTO ledger_entry (id, tenant_id, kind, book, amount_paise, posted_on, due_on,
            payment_id, reverses, memo, desk_id, recorded_at, receipt_number)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'd', 'x', ?)",
    )
    .bind(e.id.to_string())
    .bind(e.account_id.to_string())
    .bind(e.kind.code())
    .bind(match e.book {
        Book::Dues => "dues",
        Book::Deposit => "deposit",
    })
    .bind(e.amount.as_i64())
    .bind(e.posted_on.to_string())
    .bind(e.due_on.map(|d| d.to_string()))
    .bind(e.payment_id.map(|p| p.to_string()))
    .bind(e.reverses.map(|r| r.to_string()))
    .bind(&e.memo)
    .bind(receipt)
    .execute(store.pool())
    .await
    .unwrap();
    for a in &e.allocations {
        sqlx::query(
            "INSERT INTO payment_allocation (entry_id, item_entry_id, payment_id, amount_paise)
             VALUES (?, ?, ?, ?)",
        )
        .bind(e.id.to_string())
        .bind(a.item_entry_id.to_string())
        .bind(e.payment_id.map(|p| p.to_string()))
        .bind(a.amount.as_i64())
        .execute(store.pool())
        .await
        .unwrap();
    }
}

/// The report as the domain makes it: each account's open items as of the
/// day, aged.
fn expected(ledger: &Ledger, as_of: NaiveDate) -> DuesReport {
    let mut tenants = Vec::new();
    let mut total = Ageing::default();
    for account in ledger.accounts() {
        let open = ledger.open_items(account, Some(as_of));
        if open.items.is_empty() && open.credit <= Paise::ZERO {
            continue;
        }
        let ageing = Ageing::of(&open.items, as_of);
        total = total.add(&ageing);
        let n = (0..TENANTS).find(|t| tenant_id(*t) == account).unwrap();
        tenants.push(TenantDues {
            tenant_id: account.to_string(),
            full_name: format!("Tenant {n}"),
            mobile: format!("+91900000000{n}"),
            outstanding_paise: open.outstanding().as_i64(),
            credit_paise: open.credit.as_i64(),
            ageing: ageing.into(),
        });
    }
    tenants.sort_by(|a, b| {
        b.outstanding_paise
            .cmp(&a.outstanding_paise)
            .then_with(|| a.full_name.cmp(&b.full_name))
    });
    DuesReport {
        as_of: as_of.to_string(),
        tenants,
        total: total.into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn sql_dues_equal_the_domain_rule(
        ops in prop::collection::vec(op(), 1..60),
        probe in 0u64..7,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).await.unwrap();
            for t in 0..TENANTS {
                sqlx::query("INSERT INTO tenant (id, full_name, mobile, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x')")
                    .bind(tenant_id(t).to_string())
                    .bind(format!("Tenant {t}"))
                    .bind(format!("+91900000000{t}"))
                    .execute(store.pool()).await.unwrap();
            }
            let mut ledger = Ledger::new();
            let mut next = 0u128;
            let mut fresh = || { next += 1; Uuid::from_u128(0x0000_0000_0000_7000_00ee_0000_0000_0000 + next) };
            let mut receipts = 0;
            for op in &ops {
                let Some(entry) = entry_of(op, &ledger, &mut fresh) else { continue };
                if ledger.append(entry.clone()).is_ok() {
                    write(&store, &entry, &mut receipts).await;
                }
            }
            // Every week of the ledger's days and beyond, from a random start.
            for probe in (probe..230).step_by(7) {
                let as_of = day(probe);
                let actual = store.dues_with_ageing(as_of).await.unwrap();
                prop_assert_eq!(actual, expected(&ledger, as_of), "as of {}", as_of);
            }
            Ok(())
        })?;
    }
}
