//! The security deposit at move-out: itemised deductions (damage, unpaid
//! dues, notice shortfall), and what is owed either way.
//!
//! Law: the deposit is the tenant's money held as security; it is
//! refunded when the tenant hands back vacant possession, after due
//! deductions of the tenant's liabilities (Model Tenancy Act 2021, s.11,
//! where adopted, and the usual terms of leave and licence agreements).
//! Each deduction is itemised so the tenant can see and contest it. A
//! deposit is not a payment for a supply, so no GST arises on holding or
//! refunding it; a deduction for damage is compensation, not rent.
//!
//! Notice shortfall: days of notice short × monthly rent ÷ 30, rounded to
//! the paisa. Notice periods are agreed in days, so a day of notice is a
//! thirtieth of a month's rent whatever the calendar month.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::billing::mul_div_round;
use crate::error::{DomainError, DomainResult};
use crate::ledger::{Book, LedgerEntry, MAX_ENTRY_AMOUNT};
use crate::money::Paise;
use crate::text::required_text;

/// Days in a month when a day of notice is priced.
pub const NOTICE_DAYS_PER_MONTH: i64 = 30;

/// Why part of the deposit is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeductionKind {
    /// Damage beyond normal wear and tear.
    Damage,
    /// Rent and charges still unpaid.
    UnpaidDues,
    /// Rent in lieu of notice not given.
    NoticeShortfall,
}

/// One itemised deduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    /// Why.
    pub kind: DeductionKind,
    /// For the tenant: "Broken window pane", "Unpaid dues".
    pub description: String,
    /// How much (positive).
    pub amount: Paise,
}

/// A damage claim as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DamageItem {
    /// What was damaged.
    pub description: String,
    /// The cost claimed.
    pub amount: Paise,
}

/// Notice not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeShortfall {
    /// Days short (see [`crate::allocation::Notice::short_by_days`]).
    pub short_by_days: u32,
    /// Monthly rent in force at move-out.
    pub monthly_rent: Paise,
}

impl NoticeShortfall {
    /// Days short × monthly rent ÷ 30.
    pub fn amount(&self) -> Option<Paise> {
        mul_div_round(
            self.monthly_rent,
            i64::from(self.short_by_days),
            NOTICE_DAYS_PER_MONTH,
        )
    }
}

/// What a settlement starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementInput {
    /// Deposit held (the ledger's deposit book).
    pub deposit_held: Paise,
    /// The dues book: positive, unpaid dues; negative, credit.
    pub dues: Paise,
    /// Damage claims.
    pub damages: Vec<DamageItem>,
    /// Notice not given, if any.
    pub notice_shortfall: Option<NoticeShortfall>,
}

/// Who owes whom after the settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "direction", content = "amount", rename_all = "snake_case")]
pub enum SettlementOutcome {
    /// The business refunds this to the tenant.
    RefundToTenant(Paise),
    /// The tenant still owes this.
    TenantOwes(Paise),
    /// Nothing either way.
    Settled,
}

/// The move-out settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settlement {
    /// Deposit held.
    pub deposit_held: Paise,
    /// Credit on the account (advance paid), returned with the deposit.
    pub credit: Paise,
    /// Itemised deductions, in the order printed.
    pub deductions: Vec<Deduction>,
    /// Their total.
    pub total_deductions: Paise,
    /// Deposit and credit less deductions, either way.
    pub outcome: SettlementOutcome,
}

/// Works out the settlement. Errors name `deposit_held` or `damages`.
pub fn settle(input: &SettlementInput) -> DomainResult<Settlement> {
    let too_large = || DomainError::invalid("damages", "Amounts are too large");
    if input.deposit_held.is_negative() {
        return Err(DomainError::invalid(
            "deposit_held",
            "Deposit held cannot be below ₹0",
        ));
    }
    let mut deductions = Vec::new();
    if input.dues > Paise::ZERO {
        deductions.push(Deduction {
            kind: DeductionKind::UnpaidDues,
            description: "Unpaid rent and charges".into(),
            amount: input.dues,
        });
    }
    for (i, damage) in input.damages.iter().enumerate() {
        let description = required_text(&damage.description, "damages", "Damage description", 200)?;
        if damage.amount <= Paise::ZERO || damage.amount > MAX_ENTRY_AMOUNT {
            return Err(DomainError::invalid(
                "damages",
                format!("Damage {} ({description}) needs an amount above ₹0", i + 1),
            ));
        }
        deductions.push(Deduction {
            kind: DeductionKind::Damage,
            description,
            amount: damage.amount,
        });
    }
    if let Some(notice) = input.notice_shortfall.filter(|n| n.short_by_days > 0) {
        deductions.push(Deduction {
            kind: DeductionKind::NoticeShortfall,
            description: format!("Notice short by {} days", notice.short_by_days),
            amount: notice.amount().ok_or_else(too_large)?,
        });
    }
    let total_deductions =
        crate::billing::checked_sum(deductions.iter().map(|d| d.amount)).ok_or_else(too_large)?;
    let credit = if input.dues < Paise::ZERO {
        input.dues.checked_neg().ok_or_else(too_large)?
    } else {
        Paise::ZERO
    };
    let net = input
        .deposit_held
        .checked_add(credit)
        .and_then(|p| p.checked_sub(total_deductions))
        .ok_or_else(too_large)?;
    let outcome = match net {
        n if n > Paise::ZERO => SettlementOutcome::RefundToTenant(n),
        n if n < Paise::ZERO => {
            SettlementOutcome::TenantOwes(n.checked_neg().ok_or_else(too_large)?)
        }
        _ => SettlementOutcome::Settled,
    };
    Ok(Settlement {
        deposit_held: input.deposit_held,
        credit,
        deductions,
        total_deductions,
        outcome,
    })
}

impl Settlement {
    /// One line for the settlement sheet: "Refund ₹5,000.00 to the tenant",
    /// "The tenant owes ₹2,000.00", "Settled: nothing is owed either way".
    pub fn statement(&self) -> String {
        match self.outcome {
            SettlementOutcome::RefundToTenant(p) => format!("Refund {p} to the tenant"),
            SettlementOutcome::TenantOwes(p) => format!("The tenant owes {p}"),
            SettlementOutcome::Settled => "Settled: nothing is owed either way".to_string(),
        }
    }

    /// The ledger entries that carry the settlement out on `on`: a charge
    /// per damage and notice deduction; the deposit applied to the dues (a
    /// pair of adjustments, deposit book to dues book); the rest of the
    /// deposit refunded; credit paid back. Afterwards the deposit book is
    /// zero and the dues book is what the tenant still owes, or zero.
    pub fn ledger_entries(
        &self,
        account_id: Uuid,
        on: NaiveDate,
        mut new_id: impl FnMut() -> Uuid,
    ) -> Vec<LedgerEntry> {
        let mut entries = Vec::new();
        for d in self
            .deductions
            .iter()
            .filter(|d| d.kind != DeductionKind::UnpaidDues)
        {
            entries.push(LedgerEntry::charge(
                new_id(),
                account_id,
                d.amount,
                on,
                on,
                None,
                &d.description,
            ));
        }
        let owed = Paise(self.total_deductions.as_i64() - self.credit.as_i64());
        let applied = owed.max(Paise::ZERO).min(self.deposit_held);
        if applied > Paise::ZERO {
            entries.push(LedgerEntry::adjustment(
                new_id(),
                account_id,
                Book::Deposit,
                applied,
                on,
                "Deposit applied to dues",
            ));
            entries.push(LedgerEntry::adjustment(
                new_id(),
                account_id,
                Book::Dues,
                Paise(-applied.as_i64()),
                on,
                "Deposit applied to dues",
            ));
        }
        let refund = Paise(self.deposit_held.as_i64() - applied.as_i64());
        if refund > Paise::ZERO {
            entries.push(LedgerEntry::deposit_refunded(
                new_id(),
                account_id,
                refund,
                on,
                "Deposit refunded at move-out",
            ));
        }
        let credit_left = Paise((self.credit.as_i64() - self.total_deductions.as_i64()).max(0));
        if credit_left > Paise::ZERO {
            entries.push(LedgerEntry::adjustment(
                new_id(),
                account_id,
                Book::Dues,
                credit_left,
                on,
                "Credit refunded at move-out",
            ));
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Ledger;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn input(deposit: i64, dues: i64) -> SettlementInput {
        SettlementInput {
            deposit_held: Paise(deposit),
            dues: Paise(dues),
            damages: vec![],
            notice_shortfall: None,
        }
    }

    #[test]
    fn itemised_either_way() {
        let s = settle(&SettlementInput {
            damages: vec![DamageItem {
                description: "Broken  window pane".into(),
                amount: Paise(150_000),
            }],
            notice_shortfall: Some(NoticeShortfall {
                short_by_days: 10,
                monthly_rent: Paise(1_200_000),
            }),
            ..input(2_500_000, 500_000)
        })
        .unwrap();
        let lines: Vec<(&str, i64)> = s
            .deductions
            .iter()
            .map(|d| (d.description.as_str(), d.amount.as_i64()))
            .collect();
        assert_eq!(
            lines,
            vec![
                ("Unpaid rent and charges", 500_000),
                ("Broken window pane", 150_000),
                ("Notice short by 10 days", 400_000), // 12,000 × 10/30
            ]
        );
        assert_eq!(s.total_deductions, Paise(1_050_000));
        assert_eq!(
            s.outcome,
            SettlementOutcome::RefundToTenant(Paise(1_450_000))
        );
        assert_eq!(s.statement(), "Refund ₹14,500.00 to the tenant");
        let owes = settle(&input(1_000_000, 1_500_000)).unwrap();
        assert_eq!(owes.outcome, SettlementOutcome::TenantOwes(Paise(500_000)));
        assert_eq!(owes.statement(), "The tenant owes ₹5,000.00");
        let credit = settle(&input(1_000_000, -200_000)).unwrap();
        assert!(credit.deductions.is_empty());
        assert_eq!(
            credit.outcome,
            SettlementOutcome::RefundToTenant(Paise(1_200_000))
        );
        assert_eq!(
            settle(&input(500_000, 500_000)).unwrap().statement(),
            "Settled: nothing is owed either way"
        );
        assert!(settle(&SettlementInput {
            damages: vec![DamageItem {
                description: "".into(),
                amount: Paise(1)
            }],
            ..input(0, 0)
        })
        .is_err());
        assert!(settle(&SettlementInput {
            damages: vec![DamageItem {
                description: "x".into(),
                amount: Paise(0)
            }],
            ..input(0, 0)
        })
        .is_err());
        assert!(settle(&input(-1, 0)).is_err());
    }

    proptest! {
        #[test]
        fn entries_leave_exactly_what_is_owed(deposit in 0i64..5_000_000, charged in 0i64..5_000_000, paid in 0i64..5_000_000, damage in 0i64..1_000_000, short in 0u32..60) {
            let account = Uuid::from_u128(1);
            let mut n = 10u128;
            let mut next = || { n += 1; Uuid::from_u128(n) };
            let mut ledger = Ledger::new();
            let day = d("01/04/2026");
            if deposit > 0 { ledger.append(LedgerEntry::deposit_held(next(), account, Paise(deposit), day, None, "")).unwrap(); }
            if charged > 0 { ledger.append(LedgerEntry::charge(next(), account, Paise(charged), day, day, None, "")).unwrap(); }
            if paid > 0 { ledger.append(LedgerEntry::payment(next(), account, Paise(paid), day, None, vec![], "")).unwrap(); }
            let summary = ledger.summary(account);
            let s = settle(&SettlementInput {
                deposit_held: summary.deposit_held,
                dues: summary.dues,
                damages: if damage > 0 { vec![DamageItem { description: "Damage".into(), amount: Paise(damage) }] } else { vec![] },
                notice_shortfall: Some(NoticeShortfall { short_by_days: short, monthly_rent: Paise(1_000_000) }),
            }).unwrap();
            for e in s.ledger_entries(account, d("30/04/2026"), next) {
                ledger.append(e).unwrap();
            }
            let after = ledger.summary(account);
            prop_assert_eq!(after.deposit_held, Paise::ZERO);
            match s.outcome {
                SettlementOutcome::TenantOwes(p) => prop_assert_eq!(after.dues, p),
                SettlementOutcome::RefundToTenant(_) | SettlementOutcome::Settled => prop_assert_eq!(after.dues, Paise::ZERO),
            }
            // What left the business equals the refund.
            let refunded: i64 = ledger.entries().iter()
                .filter(|e| e.kind == crate::ledger::EntryKind::DepositRefunded || (e.kind == crate::ledger::EntryKind::Adjustment && e.memo == "Credit refunded at move-out"))
                .map(|e| e.amount.as_i64()).sum();
            let expected = match s.outcome { SettlementOutcome::RefundToTenant(p) => p.as_i64(), _ => 0 };
            prop_assert_eq!(refunded, expected);
        }
    }
}
