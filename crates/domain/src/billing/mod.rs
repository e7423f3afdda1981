//! Billing: the pure rules of a monthly billing run.
//!
//! - [`period`]: the billing month, [first day, first day of next month).
//! - [`proration`]: rent for the nights billed, escalation on anniversaries.
//! - [`charges`]: recurring and one-off charges (food, laundry, parking…)
//!   and discounts.
//! - [`electricity`]: meter readings to units and rupees, split among a
//!   room's occupants by nights present.
//! - [`late_fee`]: the late fee a property may switch on.
//! - [`gst`]: which GST rule applies to a let, and the tax on each line.
//! - [`numbering`]: invoice series per property and desk, numbers per
//!   financial year.
//! - [`invoice`]: one invoice draft per contract and month, and the run
//!   over a property's contracts.
//!
//! Amounts are integer [`Paise`]; shares are exact ratios in `i128`,
//! rounded once to the paisa, halves away from zero (as
//! [`Paise::checked_mul_basis_points`] does).

pub mod charges;
pub mod electricity;
pub mod gst;
pub mod invoice;
pub mod late_fee;
pub mod numbering;
pub mod period;
pub mod proration;

pub use charges::{Charge, ChargeKind, ChargeSchedule, Discount, DiscountValue};
pub use electricity::{ElectricityBill, ElectricityShare, MeterReading, MeterUnits};
pub use gst::{ContractGstSettings, GstDecision, GstRule, PropertyGstSettings, StayCategory};
pub use invoice::{
    billing_run, draft_invoice, BillingRun, ContractBilling, InvoiceDraft, InvoiceKey, InvoiceLine,
    PropertyBillingSettings,
};
pub use late_fee::{LateFee, LateFeeAmount, LateFeeRule};
pub use numbering::{InvoiceSeries, SeriesPosition};
pub use period::BillingMonth;

use crate::error::{DomainError, DomainResult};
use crate::money::Paise;

/// `amount × numerator / denominator`, rounded to the nearest paisa with
/// halves away from zero. `None` when the denominator is not positive or
/// the result does not fit.
pub(crate) fn mul_div_round(amount: Paise, numerator: i64, denominator: i64) -> Option<Paise> {
    if denominator <= 0 {
        return None;
    }
    let product = i128::from(amount.as_i64()) * i128::from(numerator);
    let den = i128::from(denominator);
    let half = den / 2;
    let rounded = if product >= 0 {
        (product + half) / den
    } else {
        (product - half) / den
    };
    // An even denominator makes `half` exact; an odd one has no halves.
    i64::try_from(rounded).ok().map(Paise)
}

/// Sum of amounts, `None` on overflow.
pub(crate) fn checked_sum<I: IntoIterator<Item = Paise>>(amounts: I) -> Option<Paise> {
    amounts
        .into_iter()
        .try_fold(Paise::ZERO, |acc, p| acc.checked_add(p))
}

/// A percent typed with up to 2 decimals ("7.5", "5%", "18") to basis
/// points, from 1 to `max_bp`. Errors name `field` and start with `label`.
pub(crate) fn parse_percent_bp(
    raw: &str,
    field: &str,
    label: &str,
    max_bp: u32,
) -> DomainResult<u32> {
    let s = raw.trim();
    let s = s.strip_suffix('%').unwrap_or(s).trim_end();
    let bad = || {
        DomainError::invalid(
            field,
            format!(
                "{label} must be a percent above 0 and at most {}, with at most 2 decimals, like 5 or 7.5",
                crate::money::group_indian(u64::from(max_bp / 100))
            ),
        )
    };
    if s.is_empty() {
        return Err(DomainError::invalid(field, format!("{label} is required")));
    }
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 5
        || !digits_ok(whole)
        || !digits_ok(fraction)
        || fraction.len() > 2
    {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let bp = whole * 100 + fraction;
    if bp == 0 || bp > max_bp {
        return Err(bad());
    }
    Ok(bp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_round_half_away_from_zero() {
        assert_eq!(
            mul_div_round(Paise(1_250_000), 10, 31),
            Some(Paise(403_226))
        );
        assert_eq!(mul_div_round(Paise(5), 1, 2), Some(Paise(3)));
        assert_eq!(mul_div_round(Paise(-5), 1, 2), Some(Paise(-3)));
        assert_eq!(mul_div_round(Paise(7), 1, 3), Some(Paise(2)));
        assert_eq!(mul_div_round(Paise(8), 1, 3), Some(Paise(3)));
        assert_eq!(mul_div_round(Paise(1), 1, 0), None);
        assert_eq!(mul_div_round(Paise(i64::MAX), 2, 1), None);
    }

    #[test]
    fn percents_to_basis_points() {
        for (typed, bp) in [
            ("5", 500),
            ("7.5", 750),
            ("18%", 1_800),
            ("0.01", 1),
            ("100", 10_000),
        ] {
            assert_eq!(
                parse_percent_bp(typed, "f", "Rate", 10_000),
                Ok(bp),
                "{typed}"
            );
        }
        for typed in ["", "0", "-5", "100.01", "7.125", "five", ".5", "1e2"] {
            assert!(
                parse_percent_bp(typed, "f", "Rate", 10_000).is_err(),
                "{typed}"
            );
        }
        assert_eq!(
            parse_percent_bp("30", "late_fee_percent", "Late fee", 2_500).unwrap_err().to_string(),
            "Late fee must be a percent above 0 and at most 25, with at most 2 decimals, like 5 or 7.5"
        );
    }
}
