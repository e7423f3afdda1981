//! The billing month: a calendar month, billed as the half-open range
//! [first day, first day of the next month), the same semantics as a
//! [`Stay`](crate::allocation::Stay), so nights inside it count with
//! [`Stay::nights_between`](crate::allocation::Stay::nights_between).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::{days_in_month, month_name, FinancialYear, MAX_YEAR, MIN_YEAR};
use crate::error::{DomainError, DomainResult};

/// A calendar month that a billing run bills. Serialized as `2026-04`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BillingMonth {
    year: i32,
    month: u32,
}

impl BillingMonth {
    /// The month `month` (1–12) of `year`. Errors name `field`.
    pub fn new(year: i32, month: u32, field: &str) -> DomainResult<BillingMonth> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DomainError::invalid(
                field,
                format!("Billing month must be in a year from {MIN_YEAR} to {MAX_YEAR}"),
            ));
        }
        if !(1..=12).contains(&month) {
            return Err(DomainError::invalid(
                field,
                format!("Billing month has month {month}; months go from 01 to 12"),
            ));
        }
        Ok(BillingMonth { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> BillingMonth {
        BillingMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses `2026-04` or `04/2026` (also `4/2026`). Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<BillingMonth> {
        let s = input.trim();
        let bad = || {
            DomainError::invalid(
                field,
                "Billing month must be written as MM/YYYY, like 04/2026",
            )
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let (year, month) = if let Some((y, m)) = s.split_once('-') {
            if y.len() != 4 || !(1..=2).contains(&m.len()) || !digits(y) || !digits(m) {
                return Err(bad());
            }
            (y, m)
        } else if let Some((m, y)) = s.split_once('/') {
            if y.len() != 4 || !(1..=2).contains(&m.len()) || !digits(y) || !digits(m) {
                return Err(bad());
            }
            (y, m)
        } else {
            return Err(bad());
        };
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u32 = month.parse().map_err(|_| bad())?;
        BillingMonth::new(year, month, field)
    }

    /// Calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The 1st of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The 1st of the next month: the end of the half-open billing range.
    pub fn end(self) -> NaiveDate {
        self.next().first_day()
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.end().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// Days in the month: 28, 29, 30 or 31.
    pub fn days(self) -> u32 {
        days_in_month(self.year, self.month).unwrap_or(30)
    }

    /// Every day of the month, in order.
    pub fn dates(self) -> impl Iterator<Item = NaiveDate> {
        self.first_day()
            .iter_days()
            .take(usize::try_from(self.days()).unwrap_or(0))
    }

    /// True if `date` falls in the month.
    pub fn contains(self, date: NaiveDate) -> bool {
        BillingMonth::of(date) == self
    }

    /// Day `day` of the month, clamped to its last day (a billing day of 31
    /// falls on 30 April).
    pub fn day(self, day: u32) -> NaiveDate {
        let day = day.clamp(1, self.days());
        NaiveDate::from_ymd_opt(self.year, self.month, day).unwrap_or(NaiveDate::MIN)
    }

    /// The month after.
    pub fn next(self) -> BillingMonth {
        if self.month == 12 {
            BillingMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            BillingMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before.
    pub fn previous(self) -> BillingMonth {
        if self.month == 1 {
            BillingMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            BillingMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The financial year the month belongs to (April–March).
    pub fn financial_year(self) -> FinancialYear {
        FinancialYear::of(self.first_day())
    }

    /// Machine key: `2026-04`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// For people: `April 2026`.
    pub fn label(self) -> String {
        format!(
            "{} {}",
            month_name(self.month).unwrap_or("Month"),
            self.year
        )
    }
}

impl fmt::Display for BillingMonth {
    /// Same as [`BillingMonth::label`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl TryFrom<String> for BillingMonth {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<BillingMonth> {
        BillingMonth::parse(&value, "month")
    }
}

impl From<BillingMonth> for String {
    fn from(value: BillingMonth) -> String {
        value.key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_and_their_ranges() {
        let april = BillingMonth::parse("04/2026", "month").unwrap();
        assert_eq!(april, BillingMonth::parse("2026-04", "month").unwrap());
        assert_eq!(april, BillingMonth::parse("4/2026", "month").unwrap());
        assert_eq!(april.first_day(), ymd(2026, 4, 1));
        assert_eq!(april.end(), ymd(2026, 5, 1));
        assert_eq!(april.last_day(), ymd(2026, 4, 30));
        assert_eq!(april.days(), 30);
        assert_eq!(april.dates().count(), 30);
        assert_eq!(april.label(), "April 2026");
        assert_eq!(april.key(), "2026-04");
        assert_eq!(april.financial_year().label(), "FY 2026-27");
        assert_eq!(april.previous().financial_year().label(), "FY 2025-26");
        assert_eq!(april.day(31), ymd(2026, 4, 30));
        assert_eq!(april.day(0), ymd(2026, 4, 1));
        let december = BillingMonth::new(2026, 12, "m").unwrap();
        assert_eq!(december.next(), BillingMonth::new(2027, 1, "m").unwrap());
        assert_eq!(december.next().previous(), december);
        assert_eq!(december.end(), ymd(2027, 1, 1));
        assert_eq!(BillingMonth::new(2028, 2, "m").unwrap().days(), 29);
        assert!(april.contains(ymd(2026, 4, 30)));
        assert!(!april.contains(ymd(2026, 5, 1)));
    }

    #[test]
    fn refuses_bad_months() {
        for s in [
            "", "13/2026", "00/2026", "2026/04", "04-2026", "4/26", "April", "2026-4-1",
        ] {
            assert!(
                matches!(BillingMonth::parse(s, "month"), Err(DomainError::Invalid { field, .. }) if field == "month"),
                "{s}"
            );
        }
    }

    #[test]
    fn serializes_as_key() {
        let m = BillingMonth::new(2026, 4, "m").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2026-04\"");
        assert_eq!(
            serde_json::from_str::<BillingMonth>("\"2026-04\"").unwrap(),
            m
        );
        assert!(serde_json::from_str::<BillingMonth>("\"2026-13\"").is_err());
    }
}
