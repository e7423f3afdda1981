//! The late fee a property may switch on: flat or a percent of what is
//! overdue, once an amount is more than N days past its due date.
//!
//! Law: a late fee is recoverable only when the agreement provides for it
//! and only as reasonable compensation (Indian Contract Act 1872, s.74),
//! hence a fixed rule per property, charged at most once per overdue item
//! and optionally capped. For GST it is part of the value of the supply it
//! is late on (CGST Act s.15(2)(d)), so it follows that invoice's GST rule.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contract::MAX_MONTHLY_RENT;
use crate::dates::format_date;
use crate::error::{DomainError, DomainResult};
use crate::ledger::OpenItem;
use crate::money::Paise;
use crate::text::whole_number;

use super::parse_percent_bp;

/// Highest late fee percent a property may set (25%).
pub const MAX_LATE_FEE_BP: u32 = 2_500;

/// How a late fee is worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum LateFeeAmount {
    /// A fixed amount per overdue item.
    Flat(Paise),
    /// A share of the overdue amount, in basis points (200 = 2%).
    Percent(u32),
}

/// A property's late fee rule; a property without one charges none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFeeRule {
    /// Days of grace after the due date.
    pub after_days: u16,
    /// Flat or percent.
    pub amount: LateFeeAmount,
    /// Most a single late fee can be, if set.
    pub cap: Option<Paise>,
}

/// A late fee assessed on one overdue item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateFee {
    /// The overdue charge entry (the identity: one late fee per item).
    pub item_entry_id: Uuid,
    /// Its invoice, if it has one.
    pub invoice_id: Option<Uuid>,
    /// When it was due.
    pub due_on: NaiveDate,
    /// Days past the due date.
    pub days_late: u32,
    /// What was overdue.
    pub overdue: Paise,
    /// The fee.
    pub amount: Paise,
}

impl LateFee {
    /// Invoice text: "Late fee: ₹12,500.00 due 05/04/2026, paid 12 days late".
    pub fn describe(&self) -> String {
        format!(
            "Late fee: {} due {}, {} days overdue",
            self.overdue,
            format_date(self.due_on),
            self.days_late
        )
    }
}

impl LateFeeRule {
    /// The fee on `item` as of `as_of`: `None` unless more than
    /// `after_days` days have passed since its due date with something
    /// still outstanding.
    pub fn assess(&self, item: &OpenItem, as_of: NaiveDate) -> Option<LateFee> {
        let days_late = (as_of - item.due_on).num_days();
        if days_late <= i64::from(self.after_days) || item.outstanding <= Paise::ZERO {
            return None;
        }
        let mut amount = match self.amount {
            LateFeeAmount::Flat(p) => p,
            LateFeeAmount::Percent(bp) => {
                item.outstanding.checked_mul_basis_points(i64::from(bp))?
            }
        };
        if let Some(cap) = self.cap {
            amount = amount.min(cap);
        }
        if amount <= Paise::ZERO {
            return None;
        }
        Some(LateFee {
            item_entry_id: item.entry_id,
            invoice_id: item.invoice_id,
            due_on: item.due_on,
            days_late: u32::try_from(days_late).unwrap_or(u32::MAX),
            overdue: item.outstanding,
            amount,
        })
    }
}

/// What the property's late fee form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LateFeeInput {
    /// Switched on.
    pub enabled: bool,
    /// `flat` or `percent`.
    pub kind: String,
    /// Rupees for flat, percent for percent.
    pub value: String,
    /// Days of grace after the due date.
    pub after_days: String,
    /// Most a single fee can be, in rupees; blank for no cap.
    pub cap: String,
}

impl LateFeeInput {
    /// The rule, `None` when switched off, or the first error by field.
    pub fn validate(&self) -> DomainResult<Option<LateFeeRule>> {
        if !self.enabled {
            return Ok(None);
        }
        let amount = match self.kind.trim().to_ascii_lowercase().as_str() {
            "flat" => LateFeeAmount::Flat(rupees(&self.value, "value", "Late fee")?),
            "percent" => LateFeeAmount::Percent(parse_percent_bp(
                &self.value,
                "value",
                "Late fee",
                MAX_LATE_FEE_BP,
            )?),
            _ => {
                return Err(DomainError::invalid(
                    "kind",
                    "Late fee must be flat (rupees) or percent (of the overdue amount)",
                ))
            }
        };
        let after_days =
            whole_number(&self.after_days, "after_days", "Days of grace", 0, 365)? as u16;
        let cap = if self.cap.trim().is_empty() {
            None
        } else {
            Some(rupees(&self.cap, "cap", "Late fee cap")?)
        };
        Ok(Some(LateFeeRule {
            after_days,
            amount,
            cap,
        }))
    }
}

fn rupees(raw: &str, field: &str, label: &str) -> DomainResult<Paise> {
    if raw.trim().is_empty() {
        return Err(DomainError::invalid(field, format!("{label} is required")));
    }
    let amount = Paise::from_rupees_str(raw, field)?;
    if amount <= Paise::ZERO || amount > MAX_MONTHLY_RENT {
        return Err(DomainError::invalid(
            field,
            format!("{label} must be more than ₹0 and at most {MAX_MONTHLY_RENT}"),
        ));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn item(outstanding: i64) -> OpenItem {
        OpenItem {
            entry_id: Uuid::from_u128(7),
            account_id: Uuid::nil(),
            invoice_id: Some(Uuid::from_u128(8)),
            issued_on: d("01/04/2026"),
            due_on: d("05/04/2026"),
            amount: Paise(1_250_000),
            paid: Paise(1_250_000 - outstanding),
            outstanding: Paise(outstanding),
        }
    }

    #[test]
    fn late_fee_table() {
        let flat = LateFeeRule {
            after_days: 5,
            amount: LateFeeAmount::Flat(Paise(50_000)),
            cap: None,
        };
        let percent = LateFeeRule {
            after_days: 5,
            amount: LateFeeAmount::Percent(200),
            cap: None,
        };
        let capped = LateFeeRule {
            cap: Some(Paise(10_000)),
            ..percent
        };
        // (rule, outstanding, as of, fee)
        let cases = [
            (flat, 1_250_000, "10/04/2026", None), // 5 days late: still in grace
            (flat, 1_250_000, "11/04/2026", Some(50_000)), // 6 days late
            (flat, 0, "30/04/2026", None),         // paid
            (percent, 1_250_000, "11/04/2026", Some(25_000)), // 2% of 12,500
            (percent, 333_333, "11/04/2026", Some(6_667)), // 2% of 3,333.33 = 66.6666 → 66.67
            (capped, 1_250_000, "11/04/2026", Some(10_000)),
            (percent, 1_250_000, "01/04/2026", None), // before the due date
        ];
        for (rule, outstanding, as_of, fee) in cases {
            let got = rule
                .assess(&item(outstanding), d(as_of))
                .map(|f| f.amount.as_i64());
            assert_eq!(got, fee, "{rule:?} {outstanding} {as_of}");
        }
        let fee = flat.assess(&item(1_250_000), d("17/04/2026")).unwrap();
        assert_eq!(fee.days_late, 12);
        assert_eq!(
            fee.describe(),
            "Late fee: ₹12,500.00 due 05/04/2026, 12 days overdue"
        );
    }

    #[test]
    fn form() {
        let input = LateFeeInput {
            enabled: true,
            kind: "percent".into(),
            value: "2".into(),
            after_days: "5".into(),
            cap: "500".into(),
        };
        assert_eq!(
            input.validate().unwrap(),
            Some(LateFeeRule {
                after_days: 5,
                amount: LateFeeAmount::Percent(200),
                cap: Some(Paise(50_000))
            })
        );
        assert_eq!(
            LateFeeInput {
                enabled: false,
                ..input.clone()
            }
            .validate()
            .unwrap(),
            None
        );
        let field = |i: LateFeeInput| match i.validate() {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(LateFeeInput {
                kind: "daily".into(),
                ..input.clone()
            }),
            "kind"
        );
        assert_eq!(
            field(LateFeeInput {
                value: "30".into(),
                ..input.clone()
            }),
            "value"
        );
        assert_eq!(
            field(LateFeeInput {
                after_days: "".into(),
                ..input.clone()
            }),
            "after_days"
        );
        assert_eq!(
            field(LateFeeInput {
                cap: "-1".into(),
                ..input.clone()
            }),
            "cap"
        );
        assert_eq!(
            field(LateFeeInput {
                kind: "flat".into(),
                value: "0".into(),
                ..input
            }),
            "value"
        );
    }
}
