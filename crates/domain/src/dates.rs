//! Calendar dates as Indian offices write them (DD/MM/YYYY), and the Indian
//! financial year (1 April to 31 March).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::error::{DomainError, DomainResult};

/// Earliest year a form may name (dates of birth of the oldest tenants).
pub const MIN_YEAR: i32 = 1900;
/// Latest year a form may name (long leases, far-off end dates).
pub const MAX_YEAR: i32 = 2199;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Shows a date as DD/MM/YYYY, e.g. `01/04/2026`.
pub fn format_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// True in leap years of the Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month (`month` 1–12), `None` for a month that does not exist.
pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if is_leap_year(year) => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// English name of a month (`month` 1–12), `None` otherwise.
pub fn month_name(month: u32) -> Option<&'static str> {
    let index = usize::try_from(month).ok()?.checked_sub(1)?;
    MONTH_NAMES.get(index).copied()
}

/// Parses a date typed as DD/MM/YYYY (also D/M/YYYY, DD-MM-YYYY,
/// DD.MM.YYYY) or ISO YYYY-MM-DD. Errors name `field`.
pub fn parse_date(input: &str, field: &str) -> DomainResult<NaiveDate> {
    parse_date_labelled(input, field, "Date")
}

/// Parses an optional date: `None` when absent or blank, else as
/// [`parse_date_labelled`].
pub fn parse_optional_date(
    input: Option<&str>,
    field: &str,
    label: &str,
) -> DomainResult<Option<NaiveDate>> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_date_labelled(s, field, label).map(Some),
    }
}

/// As [`parse_date`], with messages that start with `label` (e.g. "Move-in
/// date") so a person knows which box to fix.
pub fn parse_date_labelled(input: &str, field: &str, label: &str) -> DomainResult<NaiveDate> {
    let s = input.trim();
    let hint = || {
        DomainError::invalid(
            field,
            format!("{label} must be written as DD/MM/YYYY, like 01/04/2026"),
        )
    };
    if s.is_empty() {
        return Err(DomainError::invalid(
            field,
            format!("{label} is required: enter it as DD/MM/YYYY"),
        ));
    }
    let is_separator = |c: char| matches!(c, '/' | '-' | '.');
    let separators: Vec<char> = s.chars().filter(|&c| is_separator(c)).collect();
    let parts: Vec<&str> = s.split(is_separator).collect();
    if parts.len() != 3
        || separators[0] != separators[1]
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(hint());
    }
    let number = |p: &str| p.parse::<u32>().map_err(|_| hint());
    let (year, month, day) = match (parts[0].len(), parts[1].len(), parts[2].len()) {
        (4, 1..=2, 1..=2) if separators[0] == '-' => {
            (number(parts[0])?, number(parts[1])?, number(parts[2])?)
        }
        (1..=2, 1..=2, 4) => (number(parts[2])?, number(parts[1])?, number(parts[0])?),
        (1..=2, 1..=2, 2) => {
            return Err(DomainError::invalid(
                field,
                format!("{label} needs the year in full (4 digits), like 01/04/2026"),
            ))
        }
        _ => return Err(hint()),
    };
    let year = i32::try_from(year).map_err(|_| hint())?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DomainError::invalid(
            field,
            format!("{label} must be in a year from {MIN_YEAR} to {MAX_YEAR}"),
        ));
    }
    let Some(month_days) = days_in_month(year, month) else {
        return Err(DomainError::invalid(
            field,
            format!("{label} has month {month}; months go from 01 to 12"),
        ));
    };
    if day == 0 || day > month_days {
        let name = month_name(month).unwrap_or("That month");
        return Err(DomainError::invalid(
            field,
            format!("{label} {day:02}/{month:02}/{year} does not exist: {name} {year} has {month_days} days"),
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(hint)
}

/// An Indian financial year, 1 April to 31 March, named by the year it
/// starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear {
    start_year: i32,
}

impl FinancialYear {
    /// The financial year a date falls in.
    pub fn of(date: NaiveDate) -> FinancialYear {
        let start_year = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        FinancialYear { start_year }
    }

    /// The financial year starting on 1 April of `year`, `None` outside the
    /// calendar this crate handles.
    pub fn starting(year: i32) -> Option<FinancialYear> {
        NaiveDate::from_ymd_opt(year, 4, 1)?;
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 3, 31)?;
        Some(FinancialYear { start_year: year })
    }

    /// Calendar year of its 1 April.
    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 April.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 March of the next calendar year.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// True if the date falls in this financial year.
    pub fn contains(self, date: NaiveDate) -> bool {
        FinancialYear::of(date) == self
    }

    /// The financial year after this one.
    pub fn next(self) -> FinancialYear {
        FinancialYear {
            start_year: self.start_year + 1,
        }
    }

    /// The financial year before this one.
    pub fn previous(self) -> FinancialYear {
        FinancialYear {
            start_year: self.start_year - 1,
        }
    }

    /// Long label: `FY 2026-27`.
    pub fn label(self) -> String {
        format!(
            "FY {}-{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }

    /// Short label for invoice numbers: `26-27`.
    pub fn short_label(self) -> String {
        format!(
            "{:02}-{:02}",
            self.start_year.rem_euclid(100),
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

impl fmt::Display for FinancialYear {
    /// Same as [`FinancialYear::label`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn formats_dd_mm_yyyy() {
        assert_eq!(format_date(ymd(2026, 4, 1)), "01/04/2026");
        assert_eq!(format_date(ymd(1999, 12, 31)), "31/12/1999");
    }

    #[test]
    fn parses_indian_and_iso_dates() {
        let cases = [
            ("01/04/2026", ymd(2026, 4, 1)),
            ("1/4/2026", ymd(2026, 4, 1)),
            (" 31-12-2026 ", ymd(2026, 12, 31)),
            ("29.02.2028", ymd(2028, 2, 29)),
            ("2026-04-01", ymd(2026, 4, 1)),
            ("2026-4-1", ymd(2026, 4, 1)),
        ];
        for (input, date) in cases {
            assert_eq!(parse_date(input, "move_in"), Ok(date), "{input}");
        }
    }

    #[test]
    fn refuses_bad_dates_naming_the_field() {
        for input in [
            "",
            "abc",
            "01/04",
            "01/04/2026/1",
            "01/04-2026",
            "2026/04/01",
            "001/04/2026",
            "01/13/2026",
            "00/04/2026",
            "32/01/2026",
            "29/02/2026",
            "31/04/2026",
            "01/04/1899",
            "01/04/2200",
            "01/04/26",
            "2026-02-30",
            "+1/04/2026",
            "١/٤/٢٠٢٦",
        ] {
            let err = parse_date(input, "move_in").unwrap_err();
            assert!(
                matches!(&err, DomainError::Invalid { field, .. } if field == "move_in"),
                "{input}: {err:?}"
            );
        }
    }

    #[test]
    fn messages_say_what_is_wrong() {
        let msg = |s: &str| {
            parse_date_labelled(s, "move_in", "Move-in date")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            msg("31/02/2026"),
            "Move-in date 31/02/2026 does not exist: February 2026 has 28 days"
        );
        assert_eq!(
            msg("01/04/26"),
            "Move-in date needs the year in full (4 digits), like 01/04/2026"
        );
        assert_eq!(
            msg("tomorrow"),
            "Move-in date must be written as DD/MM/YYYY, like 01/04/2026"
        );
        assert_eq!(msg(" "), "Move-in date is required: enter it as DD/MM/YYYY");
        assert_eq!(
            msg("01/13/2026"),
            "Move-in date has month 13; months go from 01 to 12"
        );
    }

    #[test]
    fn optional_dates() {
        assert_eq!(parse_optional_date(None, "f", "F"), Ok(None));
        assert_eq!(parse_optional_date(Some("  "), "f", "F"), Ok(None));
        assert_eq!(
            parse_optional_date(Some("02/01/2026"), "f", "F"),
            Ok(Some(ymd(2026, 1, 2)))
        );
        assert!(parse_optional_date(Some("x"), "f", "F").is_err());
    }

    #[test]
    fn financial_years() {
        let fy = FinancialYear::of(ymd(2026, 4, 1));
        assert_eq!(fy.start_year(), 2026);
        assert_eq!(fy.label(), "FY 2026-27");
        assert_eq!(fy.short_label(), "26-27");
        assert_eq!(fy.to_string(), "FY 2026-27");
        assert_eq!(FinancialYear::of(ymd(2027, 3, 31)), fy);
        assert_eq!(FinancialYear::of(ymd(2026, 3, 31)).label(), "FY 2025-26");
        assert_eq!(fy.first_day(), ymd(2026, 4, 1));
        assert_eq!(fy.last_day(), ymd(2027, 3, 31));
        assert_eq!(
            FinancialYear::starting(1999).unwrap().short_label(),
            "99-00"
        );
        assert_eq!(FinancialYear::starting(1999).unwrap().label(), "FY 1999-00");
        assert_eq!(fy.next().label(), "FY 2027-28");
        assert_eq!(fy.previous().label(), "FY 2025-26");
        assert!(fy.contains(ymd(2027, 1, 15)));
        assert!(!fy.contains(ymd(2027, 4, 1)));
        assert_eq!(FinancialYear::starting(i32::MAX), None);
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(2026, 2), Some(28));
        assert_eq!(days_in_month(2028, 2), Some(29));
        assert_eq!(days_in_month(1900, 2), Some(28));
        assert_eq!(days_in_month(2000, 2), Some(29));
        assert_eq!(days_in_month(2026, 4), Some(30));
        assert_eq!(days_in_month(2026, 12), Some(31));
        assert_eq!(days_in_month(2026, 0), None);
        assert_eq!(days_in_month(2026, 13), None);
        assert_eq!(month_name(2), Some("February"));
        assert_eq!(month_name(0), None);
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(days in 0i64..109_572) {
            let date = ymd(1900, 1, 1) + chrono::Duration::days(days);
            prop_assert_eq!(parse_date(&format_date(date), "d"), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string(), "d"), Ok(date));
            let fy = FinancialYear::of(date);
            prop_assert!(fy.first_day() <= date && date <= fy.last_day());
            prop_assert_eq!(
                days_in_month(date.year(), date.month()),
                Some(
                    (NaiveDate::from_ymd_opt(date.year(), date.month(), 1).unwrap()
                        + chrono::Months::new(1)
                        - NaiveDate::from_ymd_opt(date.year(), date.month(), 1).unwrap())
                    .num_days() as u32
                )
            );
        }
    }
}
