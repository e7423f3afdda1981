//! Rent for a billing month: prorated by nights for a partial month, with
//! the yearly escalation applied from the contract anniversary.
//!
//! # Formula
//!
//! A night is billed when it falls in the month, inside the contract
//! (start date to end date, inclusive) and inside one of the tenant's stays
//! ([move_in, move_out), see [`crate::allocation`]). Consecutive billed
//! nights at the same rent form a [`RentSegment`]:
//!
//! ```text
//! amount = monthly rent × nights ÷ days in that month
//! ```
//!
//! rounded once to the nearest paisa, halves away from zero. A full month
//! is exactly the monthly rent, whatever its length (28–31 days); a
//! partial month is a share of that month's own length, so a night in
//! February costs more than a night in March, as tenants are used to with
//! a rent quoted "per month". An anniversary inside the month splits it
//! into two segments, each at the rent in force on its nights, because the
//! agreement raises the rent from that day, not from the next bill.

use chrono::NaiveDate;
use serde::Serialize;

use crate::allocation::Stay;
use crate::contract::ContractTerms;
use crate::dates::format_date;
use crate::error::{DomainError, DomainResult};
use crate::money::Paise;

use super::mul_div_round;
use super::period::BillingMonth;

/// Rent for a run of consecutive nights at one monthly rent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RentSegment {
    /// First night billed.
    pub from: NaiveDate,
    /// The day after the last night billed (half-open, like a stay).
    pub until: NaiveDate,
    /// Nights billed.
    pub nights: u32,
    /// Days in the month, the divisor of the proration.
    pub days_in_month: u32,
    /// Monthly rent in force on these nights, escalation included.
    pub monthly_rent: Paise,
    /// Contract years completed on these nights (0 in the first year).
    pub contract_years: u32,
    /// The rent billed for these nights.
    pub amount: Paise,
}

impl RentSegment {
    /// True when the segment is the whole month at the full rent.
    pub fn is_full_month(&self) -> bool {
        self.nights == self.days_in_month
    }

    /// For the invoice line: "Rent for April 2026" for a full month, else
    /// "Rent 15/04/2026 to 30/04/2026 (16 of 30 days at ₹12,500.00 a
    /// month)"; ", after escalation in contract year 2" when escalated.
    pub fn describe(&self, month: BillingMonth) -> String {
        let mut text = if self.is_full_month() {
            format!("Rent for {}", month.label())
        } else {
            let last = self.until.pred_opt().unwrap_or(self.from);
            format!(
                "Rent {} to {} ({} of {} days at {} a month)",
                format_date(self.from),
                format_date(last),
                self.nights,
                self.days_in_month,
                self.monthly_rent
            )
        };
        if self.contract_years > 0 {
            text.push_str(&format!(
                ", escalated rent of contract year {}",
                self.contract_years + 1
            ));
        }
        text
    }
}

/// `monthly × nights ÷ days_in_month`, to the nearest paisa (halves away
/// from zero); exactly `monthly` for a full month. `None` on overflow or a
/// month of zero days.
pub fn prorate(monthly: Paise, nights: u32, days_in_month: u32) -> Option<Paise> {
    if nights == days_in_month && days_in_month > 0 {
        return Some(monthly);
    }
    mul_div_round(monthly, i64::from(nights), i64::from(days_in_month))
}

/// The days of `month` billed under the contract: inside its dates (start to
/// end, inclusive) and, when `stays` is not empty, inside one of them.
/// Empty `stays` means the contract's own dates decide (a whole flat let
/// with no bed allocation).
pub fn billable_days(terms: &ContractTerms, stays: &[Stay], month: BillingMonth) -> Vec<NaiveDate> {
    month
        .dates()
        .filter(|&day| {
            day >= terms.start_date
                && terms.end_date.is_none_or(|end| day <= end)
                && (stays.is_empty() || stays.iter().any(|s| s.contains(day)))
        })
        .collect()
}

/// The rent segments of `month`: runs of consecutive billed nights with the
/// same contract year, each prorated. Empty when no night is billed.
pub fn rent_segments(
    terms: &ContractTerms,
    stays: &[Stay],
    month: BillingMonth,
) -> DomainResult<Vec<RentSegment>> {
    let too_large = || DomainError::invalid("monthly_rent", "Rent is too large to bill");
    let days_in_month = month.days();
    let mut segments: Vec<RentSegment> = Vec::new();
    for day in billable_days(terms, stays, month) {
        let years = terms.completed_years(day);
        if let Some(last) = segments.last_mut() {
            if last.until == day && last.contract_years == years {
                last.until = day.succ_opt().unwrap_or(day);
                last.nights += 1;
                continue;
            }
        }
        segments.push(RentSegment {
            from: day,
            until: day.succ_opt().unwrap_or(day),
            nights: 1,
            days_in_month,
            monthly_rent: terms.rent_on(day).ok_or_else(too_large)?,
            contract_years: years,
            amount: Paise::ZERO,
        });
    }
    for segment in &mut segments {
        segment.amount =
            prorate(segment.monthly_rent, segment.nights, days_in_month).ok_or_else(too_large)?;
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractStatus;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn month(s: &str) -> BillingMonth {
        BillingMonth::parse(s, "month").unwrap()
    }

    pub(crate) fn terms(rent: i64, start: &str, escalation_bp: u32) -> ContractTerms {
        ContractTerms {
            monthly_rent: Paise(rent),
            security_deposit: Paise(0),
            billing_day: 5,
            lock_in_months: 0,
            notice_days: 30,
            yearly_escalation_bp: escalation_bp,
            start_date: d(start),
            end_date: None,
            status: ContractStatus::Active,
        }
    }

    #[test]
    fn proration_table() {
        // (month, move-in, move-out (first free day), nights, rent billed)
        // for ₹12,500.00 a month.
        let cases = [
            // 31-day month.
            ("01/2027", "01/01/2027", None, 31, 1_250_000),
            ("01/2027", "22/01/2027", None, 10, 403_226), // 12,500 × 10/31 = 4,032.258
            ("01/2027", "31/01/2027", None, 1, 40_323),   // move-in on the last day
            ("01/2027", "01/12/2026", Some("11/01/2027"), 10, 403_226),
            // 30-day month.
            ("04/2027", "01/04/2027", None, 30, 1_250_000),
            ("04/2027", "16/04/2027", None, 15, 625_000),
            ("04/2027", "30/04/2027", None, 1, 41_667), // 416.666…
            // 29-day February.
            ("02/2028", "01/02/2028", None, 29, 1_250_000),
            ("02/2028", "15/02/2028", None, 15, 646_552), // 6,465.517…
            ("02/2028", "29/02/2028", None, 1, 43_103),
            // 28-day February.
            ("02/2027", "01/02/2027", None, 28, 1_250_000),
            ("02/2027", "15/02/2027", None, 14, 625_000),
            ("02/2027", "28/02/2027", None, 1, 44_643), // 446.428…
            // Move-in and move-out inside the month.
            ("03/2027", "10/03/2027", Some("20/03/2027"), 10, 403_226),
            // Move-out on the 1st of the next month: the whole month.
            ("03/2027", "01/01/2027", Some("01/04/2027"), 31, 1_250_000),
            // Stay ended before the month: nothing.
            ("03/2027", "01/01/2027", Some("01/03/2027"), 0, 0),
        ];
        for (m, move_in, move_out, nights, paise) in cases {
            let stay = Stay::new(d(move_in), move_out.map(d)).unwrap();
            let segments =
                rent_segments(&terms(1_250_000, "01/12/2026", 0), &[stay], month(m)).unwrap();
            let billed: u32 = segments.iter().map(|s| s.nights).sum();
            let amount: i64 = segments.iter().map(|s| s.amount.as_i64()).sum();
            assert_eq!(
                (billed, amount),
                (nights, paise),
                "{m} {move_in} {move_out:?}"
            );
        }
    }

    #[test]
    fn contract_dates_bound_the_nights() {
        let mut t = terms(3_000_000, "10/04/2027", 0);
        t.end_date = Some(d("19/04/2027"));
        let segments = rent_segments(&t, &[], month("04/2027")).unwrap();
        assert_eq!(segments.len(), 1);
        assert_eq!(segments[0].from, d("10/04/2027"));
        assert_eq!(segments[0].until, d("20/04/2027"));
        assert_eq!(segments[0].amount, Paise(1_000_000));
        assert_eq!(
            segments[0].describe(month("04/2027")),
            "Rent 10/04/2027 to 19/04/2027 (10 of 30 days at ₹30,000.00 a month)"
        );
    }

    #[test]
    fn escalation_applies_from_the_anniversary() {
        // ₹12,500 from 15/04/2026 with 5% a year: from 15/04/2027, ₹13,125.
        let t = terms(1_250_000, "15/04/2026", 500);
        let before = rent_segments(&t, &[], month("03/2027")).unwrap();
        assert_eq!(before.len(), 1);
        assert_eq!(before[0].amount, Paise(1_250_000));
        let april = rent_segments(&t, &[], month("04/2027")).unwrap();
        assert_eq!(april.len(), 2);
        assert_eq!(
            (april[0].nights, april[0].monthly_rent),
            (14, Paise(1_250_000))
        );
        assert_eq!(april[0].amount, Paise(583_333)); // 12,500 × 14/30
        assert_eq!(
            (april[1].nights, april[1].monthly_rent),
            (16, Paise(1_312_500))
        );
        assert_eq!(april[1].amount, Paise(700_000)); // 13,125 × 16/30
        assert_eq!(april[1].contract_years, 1);
        assert!(april[1]
            .describe(month("04/2027"))
            .ends_with("escalated rent of contract year 2"));
        let may = rent_segments(&t, &[], month("05/2027")).unwrap();
        assert_eq!(may[0].amount, Paise(1_312_500));
        assert_eq!(
            may[0].describe(month("05/2027")),
            "Rent for May 2027, escalated rent of contract year 2"
        );
        // Compounded in the third year: 13,125 × 1.05 = 13,781.25.
        let third = rent_segments(&t, &[], month("05/2028")).unwrap();
        assert_eq!(third[0].amount, Paise(1_378_125));
        // Anniversary on the 1st: no split.
        let on_first = rent_segments(
            &terms(1_000_000, "01/04/2026", 1_000),
            &[],
            month("04/2027"),
        )
        .unwrap();
        assert_eq!(on_first.len(), 1);
        assert_eq!(on_first[0].amount, Paise(1_100_000));
    }

    #[test]
    fn a_transfer_between_beds_bills_every_night_once() {
        let first = Stay::new(d("01/04/2027"), Some(d("11/04/2027"))).unwrap();
        let second = Stay::new(d("11/04/2027"), None).unwrap();
        let segments = rent_segments(
            &terms(1_200_000, "01/04/2027", 0),
            &[first, second],
            month("04/2027"),
        )
        .unwrap();
        assert_eq!(segments.len(), 1);
        assert_eq!(segments[0].amount, Paise(1_200_000));
        // A gap of five nights away is not billed, in two segments.
        let back = Stay::new(d("16/04/2027"), None).unwrap();
        let segments = rent_segments(
            &terms(1_200_000, "01/04/2027", 0),
            &[first, back],
            month("04/2027"),
        )
        .unwrap();
        assert_eq!(
            segments.iter().map(|s| s.nights).collect::<Vec<_>>(),
            vec![10, 15]
        );
        assert_eq!(
            segments[0].amount.checked_add(segments[1].amount),
            Some(Paise(1_000_000))
        );
    }

    #[test]
    fn prorate_edges() {
        assert_eq!(prorate(Paise(1_250_000), 31, 31), Some(Paise(1_250_000)));
        assert_eq!(prorate(Paise(1_250_000), 0, 31), Some(Paise(0)));
        assert_eq!(prorate(Paise(100), 1, 0), None);
        assert_eq!(
            prorate(Paise(i64::MAX), 30, 31),
            Some(Paise(8_925_843_906_633_654_007))
        );
    }
}
