//! The rental contract: rent, deposit, billing day, lock-in, notice,
//! yearly escalation and the contract period.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::{format_date, parse_date_labelled, parse_optional_date};
use crate::error::{DomainError, DomainResult};
use crate::money::Paise;
use crate::text::whole_number;

/// Highest monthly rent or deposit a form accepts (₹1,00,00,000), to catch
/// a mistyped extra zero or two.
pub const MAX_MONTHLY_RENT: Paise = Paise(10_000_000 * 100);
/// Longest lock-in, in months.
pub const MAX_LOCK_IN_MONTHS: u16 = 60;
/// Longest notice period, in days.
pub const MAX_NOTICE_DAYS: u16 = 180;
/// Highest yearly escalation, in basis points (50%).
pub const MAX_ESCALATION_BP: u32 = 5_000;

/// Where a contract is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    /// Being prepared; not yet signed.
    #[default]
    Draft,
    /// Signed and running.
    Active,
    /// Over.
    Ended,
}

impl ContractStatus {
    /// The value forms send and stores keep: `draft`, `active`, `ended`.
    pub fn code(self) -> &'static str {
        match self {
            ContractStatus::Draft => "draft",
            ContractStatus::Active => "active",
            ContractStatus::Ended => "ended",
        }
    }

    /// Parses `draft`, `active` or `ended` (any case); blank means draft.
    /// Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<ContractStatus> {
        Ok(match input.trim().to_lowercase().as_str() {
            "" | "draft" => ContractStatus::Draft,
            "active" => ContractStatus::Active,
            "ended" => ContractStatus::Ended,
            _ => {
                return Err(DomainError::invalid(
                    field,
                    "Contract status must be draft, active or ended",
                ))
            }
        })
    }
}

/// What the contract form sends: amounts in rupees and numbers as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContractInput {
    /// Monthly rent in rupees, e.g. `12,500`.
    pub monthly_rent: String,
    /// Refundable security deposit in rupees; blank means none.
    pub security_deposit: String,
    /// Day of the month rent falls due, 1–28.
    pub billing_day: String,
    /// Months during which the tenant may not leave without penalty; blank
    /// means none.
    pub lock_in_months: String,
    /// Days of notice the tenant must give.
    pub notice_days: String,
    /// Rent increase each contract year in percent, up to 2 decimals, e.g.
    /// `5` or `7.5`; blank means none.
    pub yearly_escalation_percent: String,
    /// First day of the contract.
    pub start_date: String,
    /// Last day of the contract (inclusive, as written in the agreement);
    /// blank for open-ended.
    pub end_date: Option<String>,
    /// `draft`, `active` or `ended`; blank means draft.
    pub status: String,
}

/// Checked contract terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractTerms {
    /// Rent per month before escalation.
    pub monthly_rent: Paise,
    /// Refundable deposit.
    pub security_deposit: Paise,
    /// Day of the month rent falls due, 1–28.
    pub billing_day: u8,
    /// Lock-in in months from the start date.
    pub lock_in_months: u16,
    /// Notice period in days.
    pub notice_days: u16,
    /// Yearly escalation in basis points (500 = 5%).
    pub yearly_escalation_bp: u32,
    /// First day of the contract.
    pub start_date: NaiveDate,
    /// Last day of the contract (inclusive), `None` if open-ended.
    pub end_date: Option<NaiveDate>,
    /// Draft, active or ended.
    pub status: ContractStatus,
}

impl ContractInput {
    /// Checks the form and returns the terms, or the first error by field.
    pub fn validate(&self) -> DomainResult<ContractTerms> {
        let monthly_rent = amount(&self.monthly_rent, "monthly_rent", "Monthly rent", true)?;
        let security_deposit = amount(
            &self.security_deposit,
            "security_deposit",
            "Security deposit",
            false,
        )?;
        let billing_day = whole_number(&self.billing_day, "billing_day", "Billing day", 1, 28)
            .map_err(|_| {
                DomainError::invalid(
                    "billing_day",
                    "Billing day must be a day from 1 to 28, so it falls in every month",
                )
            })? as u8;
        let lock_in_months = optional_count(
            &self.lock_in_months,
            "lock_in_months",
            "Lock-in",
            MAX_LOCK_IN_MONTHS,
            "months",
        )?;
        if self.notice_days.trim().is_empty() {
            return Err(DomainError::invalid(
                "notice_days",
                "Notice period is required: enter the days of notice, 0 if none",
            ));
        }
        let notice_days = optional_count(
            &self.notice_days,
            "notice_days",
            "Notice period",
            MAX_NOTICE_DAYS,
            "days",
        )?;
        let yearly_escalation_bp = escalation_bp(&self.yearly_escalation_percent)?;
        let start_date = parse_date_labelled(&self.start_date, "start_date", "Start date")?;
        let end_date = parse_optional_date(self.end_date.as_deref(), "end_date", "End date")?;
        if let Some(end) = end_date {
            if end < start_date {
                return Err(DomainError::invalid(
                    "end_date",
                    format!(
                        "End date must be on or after the start date {}",
                        format_date(start_date)
                    ),
                ));
            }
        }
        let status = ContractStatus::parse(&self.status, "status")?;
        let terms = ContractTerms {
            monthly_rent,
            security_deposit,
            billing_day,
            lock_in_months,
            notice_days,
            yearly_escalation_bp,
            start_date,
            end_date,
            status,
        };
        if let Some(end) = end_date {
            let lock_in_ends = terms.lock_in_ends_on();
            if lock_in_ends.pred_opt().is_some_and(|last| last > end) {
                return Err(DomainError::invalid(
                    "lock_in_months",
                    format!(
                        "A lock-in of {lock_in_months} months runs past the end date {}",
                        format_date(end)
                    ),
                ));
            }
        }
        if status == ContractStatus::Ended && end_date.is_none() {
            return Err(DomainError::invalid(
                "end_date",
                "An ended contract needs its end date",
            ));
        }
        Ok(terms)
    }
}

impl ContractTerms {
    /// First day the tenant may leave without breaking the lock-in
    /// (start date plus the lock-in months; the start date if none).
    pub fn lock_in_ends_on(&self) -> NaiveDate {
        self.start_date
            .checked_add_months(Months::new(u32::from(self.lock_in_months)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Earliest move-out (first free day) for notice given on
    /// `notice_given_on`: the end of the notice period or of the lock-in,
    /// whichever is later.
    pub fn earliest_move_out(&self, notice_given_on: NaiveDate) -> NaiveDate {
        let notice_ends = notice_given_on
            .checked_add_days(Days::new(u64::from(self.notice_days)))
            .unwrap_or(NaiveDate::MAX);
        notice_ends.max(self.lock_in_ends_on())
    }

    /// Contract years completed by `day` (0 in the first year). The
    /// anniversary of a 29 February start is 28 February.
    pub fn completed_years(&self, day: NaiveDate) -> u32 {
        let mut years = 0u32;
        while let Some(anniversary) = self
            .start_date
            .checked_add_months(Months::new(12 * (years + 1)))
        {
            if anniversary > day {
                break;
            }
            years += 1;
        }
        years
    }

    /// Monthly rent in force on `day`: the escalation compounds on each
    /// anniversary of the start date, each step rounded to the paisa.
    /// `None` on overflow.
    pub fn rent_on(&self, day: NaiveDate) -> Option<Paise> {
        let factor = 10_000 + i64::from(self.yearly_escalation_bp);
        let mut rent = self.monthly_rent;
        for _ in 0..self.completed_years(day) {
            rent = rent.checked_mul_basis_points(factor)?;
        }
        Some(rent)
    }
}

/// A rupee amount: required ones must be above zero, optional ones blank
/// (zero) or above; none may be negative or above [`MAX_MONTHLY_RENT`].
fn amount(raw: &str, field: &str, label: &str, required: bool) -> DomainResult<Paise> {
    if raw.trim().is_empty() {
        if required {
            return Err(DomainError::invalid(
                field,
                format!("{label} is required: enter it in rupees, like 12,500"),
            ));
        }
        return Ok(Paise::ZERO);
    }
    let value = Paise::from_rupees_str(raw, field)?;
    if value.is_negative() || (required && value.is_zero()) {
        return Err(DomainError::invalid(
            field,
            format!("{label} must be more than ₹0"),
        ));
    }
    if value > MAX_MONTHLY_RENT {
        return Err(DomainError::invalid(
            field,
            format!("{label} must be at most {MAX_MONTHLY_RENT}"),
        ));
    }
    Ok(value)
}

/// A count that may be left blank (zero), from 0 to `max`.
fn optional_count(raw: &str, field: &str, label: &str, max: u16, unit: &str) -> DomainResult<u16> {
    if raw.trim().is_empty() {
        return Ok(0);
    }
    whole_number(raw, field, label, 0, i64::from(max))
        .map(|n| n as u16)
        .map_err(|_| {
            DomainError::invalid(
                field,
                format!("{label} must be a whole number of {unit} from 0 to {max}"),
            )
        })
}

/// Percent with up to 2 decimals ("7.5", "5%") to basis points; blank is 0.
fn escalation_bp(raw: &str) -> DomainResult<u32> {
    const FIELD: &str = "yearly_escalation_percent";
    let s = raw.trim();
    let s = s.strip_suffix('%').unwrap_or(s).trim_end();
    if s.is_empty() {
        return Ok(0);
    }
    let bad = || {
        DomainError::invalid(
            FIELD,
            format!(
                "Yearly escalation must be a percent from 0 to {}, with at most 2 decimals, like 5 or 7.5",
                MAX_ESCALATION_BP / 100
            ),
        )
    };
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let digits_ok = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 3
        || !digits_ok(whole)
        || !digits_ok(fraction)
        || fraction.len() > 2
    {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let bp = whole * 100 + fraction;
    if bp > MAX_ESCALATION_BP {
        return Err(bad());
    }
    Ok(bp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn input() -> ContractInput {
        ContractInput {
            monthly_rent: "12,500".into(),
            security_deposit: "25,000".into(),
            billing_day: "5".into(),
            lock_in_months: "3".into(),
            notice_days: "30".into(),
            yearly_escalation_percent: "5".into(),
            start_date: "01/04/2026".into(),
            end_date: Some("28/02/2027".into()),
            status: "active".into(),
        }
    }

    fn field_of(input: ContractInput) -> String {
        match input.validate() {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_typical_eleven_month_agreement() {
        let terms = input().validate().unwrap();
        assert_eq!(terms.monthly_rent, Paise(1_250_000));
        assert_eq!(terms.security_deposit, Paise(2_500_000));
        assert_eq!(terms.billing_day, 5);
        assert_eq!(terms.lock_in_months, 3);
        assert_eq!(terms.notice_days, 30);
        assert_eq!(terms.yearly_escalation_bp, 500);
        assert_eq!(terms.start_date, d("01/04/2026"));
        assert_eq!(terms.end_date, Some(d("28/02/2027")));
        assert_eq!(terms.status, ContractStatus::Active);
        assert_eq!(terms.lock_in_ends_on(), d("01/07/2026"));
        assert_eq!(terms.earliest_move_out(d("10/04/2026")), d("01/07/2026"));
        assert_eq!(terms.earliest_move_out(d("10/08/2026")), d("09/09/2026"));
    }

    #[test]
    fn blanks_mean_none_where_sensible() {
        let terms = ContractInput {
            security_deposit: " ".into(),
            lock_in_months: "".into(),
            yearly_escalation_percent: "".into(),
            end_date: None,
            status: "".into(),
            ..input()
        }
        .validate()
        .unwrap();
        assert_eq!(terms.security_deposit, Paise::ZERO);
        assert_eq!(terms.lock_in_months, 0);
        assert_eq!(terms.yearly_escalation_bp, 0);
        assert_eq!(terms.status, ContractStatus::Draft);
        assert_eq!(terms.end_date, None);
    }

    #[test]
    fn escalation_percent_to_basis_points() {
        for (typed, bp) in [
            ("5", 500),
            ("7.5", 750),
            ("7.25", 725),
            ("0", 0),
            ("10%", 1000),
            ("50", 5000),
            ("0.05", 5),
        ] {
            assert_eq!(escalation_bp(typed), Ok(bp), "{typed}");
        }
        for typed in ["-5", "50.01", "7.125", "five", ".5", "5.5.5", "1e2", "1000"] {
            assert!(escalation_bp(typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn first_error_names_the_field() {
        let cases: Vec<(ContractInput, &str)> = vec![
            (
                ContractInput {
                    monthly_rent: "".into(),
                    ..input()
                },
                "monthly_rent",
            ),
            (
                ContractInput {
                    monthly_rent: "0".into(),
                    ..input()
                },
                "monthly_rent",
            ),
            (
                ContractInput {
                    monthly_rent: "-5".into(),
                    ..input()
                },
                "monthly_rent",
            ),
            (
                ContractInput {
                    monthly_rent: "2,00,00,000".into(),
                    ..input()
                },
                "monthly_rent",
            ),
            (
                ContractInput {
                    security_deposit: "-1".into(),
                    ..input()
                },
                "security_deposit",
            ),
            (
                ContractInput {
                    billing_day: "29".into(),
                    ..input()
                },
                "billing_day",
            ),
            (
                ContractInput {
                    billing_day: "0".into(),
                    ..input()
                },
                "billing_day",
            ),
            (
                ContractInput {
                    billing_day: "".into(),
                    ..input()
                },
                "billing_day",
            ),
            (
                ContractInput {
                    lock_in_months: "61".into(),
                    ..input()
                },
                "lock_in_months",
            ),
            (
                ContractInput {
                    notice_days: "".into(),
                    ..input()
                },
                "notice_days",
            ),
            (
                ContractInput {
                    notice_days: "181".into(),
                    ..input()
                },
                "notice_days",
            ),
            (
                ContractInput {
                    yearly_escalation_percent: "60".into(),
                    ..input()
                },
                "yearly_escalation_percent",
            ),
            (
                ContractInput {
                    start_date: "".into(),
                    ..input()
                },
                "start_date",
            ),
            (
                ContractInput {
                    end_date: Some("31/03/2026".into()),
                    ..input()
                },
                "end_date",
            ),
            (
                ContractInput {
                    lock_in_months: "12".into(),
                    ..input()
                },
                "lock_in_months",
            ),
            (
                ContractInput {
                    status: "signed".into(),
                    ..input()
                },
                "status",
            ),
            (
                ContractInput {
                    status: "ended".into(),
                    end_date: None,
                    ..input()
                },
                "end_date",
            ),
            // Two mistakes: the first field in form order is reported.
            (
                ContractInput {
                    monthly_rent: "x".into(),
                    billing_day: "99".into(),
                    ..input()
                },
                "monthly_rent",
            ),
        ];
        for (case, field) in cases {
            assert_eq!(field_of(case), field);
        }
    }

    #[test]
    fn messages_for_the_front_desk() {
        let msg = |i: ContractInput| i.validate().unwrap_err().to_string();
        assert_eq!(
            msg(ContractInput {
                billing_day: "31".into(),
                ..input()
            }),
            "Billing day must be a day from 1 to 28, so it falls in every month"
        );
        assert_eq!(
            msg(ContractInput {
                monthly_rent: "0".into(),
                ..input()
            }),
            "Monthly rent must be more than ₹0"
        );
        assert_eq!(
            msg(ContractInput {
                monthly_rent: "2,00,00,000".into(),
                ..input()
            }),
            "Monthly rent must be at most ₹1,00,00,000.00"
        );
        assert_eq!(
            msg(ContractInput {
                notice_days: "".into(),
                ..input()
            }),
            "Notice period is required: enter the days of notice, 0 if none"
        );
        assert_eq!(
            msg(ContractInput {
                lock_in_months: "12".into(),
                ..input()
            }),
            "A lock-in of 12 months runs past the end date 28/02/2027"
        );
    }

    #[test]
    fn lock_in_may_end_the_day_after_the_last_day() {
        // 11 months from 01/04/2026 ends on 01/03/2027: the agreement's last
        // day 28/02/2027 is the lock-in's last day too.
        let terms = ContractInput {
            lock_in_months: "11".into(),
            ..input()
        }
        .validate()
        .unwrap();
        assert_eq!(terms.lock_in_ends_on(), d("01/03/2027"));
    }

    #[test]
    fn escalation_compounds_on_anniversaries() {
        let terms = ContractInput {
            end_date: None,
            ..input()
        }
        .validate()
        .unwrap();
        assert_eq!(terms.rent_on(d("31/03/2027")), Some(Paise(1_250_000)));
        assert_eq!(terms.rent_on(d("01/04/2027")), Some(Paise(1_312_500)));
        assert_eq!(terms.rent_on(d("01/04/2028")), Some(Paise(1_378_125)));
        assert_eq!(terms.completed_years(d("01/04/2028")), 2);
        let leap = ContractTerms {
            start_date: d("29/02/2028"),
            ..terms
        };
        assert_eq!(leap.completed_years(d("27/02/2029")), 0);
        assert_eq!(leap.completed_years(d("28/02/2029")), 1);
    }
}
