//! Charges besides rent — food, laundry, parking, housekeeping, one-off
//! charges — and discounts, as they fall into a billing month.
//!
//! A monthly charge runs over [from, until) like a stay, and is billed on
//! the nights the tenant is billed for (see
//! [`billable_days`](super::proration::billable_days)). When `prorate` is
//! set (the default) a partial month pays its share by nights, with the
//! same formula as rent, because the tenant received the service only on
//! those days; otherwise any billed night bills the full month. A one-off
//! charge is billed in the month of its date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contract::MAX_MONTHLY_RENT;
use crate::dates::{format_date, parse_date_labelled, parse_optional_date};
use crate::error::{DomainError, DomainResult};
use crate::money::Paise;
use crate::text::required_text;

use super::period::BillingMonth;
use super::proration::prorate;
use super::{mul_div_round, parse_percent_bp};

/// Nights [from, until) a monthly charge covers in a month.
type Covers = Option<(NaiveDate, NaiveDate)>;

/// What a charge is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// Meals.
    Food,
    /// Washing and ironing.
    Laundry,
    /// A parking slot.
    Parking,
    /// Room cleaning.
    Housekeeping,
    /// Maintenance or society charges.
    Maintenance,
    /// Electricity by meter reading.
    Electricity,
    /// Late payment fee.
    LateFee,
    /// Anything else.
    Other,
}

impl ChargeKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [ChargeKind; 8] = [
        ChargeKind::Food,
        ChargeKind::Laundry,
        ChargeKind::Parking,
        ChargeKind::Housekeeping,
        ChargeKind::Maintenance,
        ChargeKind::Electricity,
        ChargeKind::LateFee,
        ChargeKind::Other,
    ];

    /// The value forms send and stores keep: `food`, `late_fee`…
    pub fn code(self) -> &'static str {
        match self {
            ChargeKind::Food => "food",
            ChargeKind::Laundry => "laundry",
            ChargeKind::Parking => "parking",
            ChargeKind::Housekeeping => "housekeeping",
            ChargeKind::Maintenance => "maintenance",
            ChargeKind::Electricity => "electricity",
            ChargeKind::LateFee => "late_fee",
            ChargeKind::Other => "other",
        }
    }

    /// For people: `Food`, `Late fee`…
    pub fn label(self) -> &'static str {
        match self {
            ChargeKind::Food => "Food",
            ChargeKind::Laundry => "Laundry",
            ChargeKind::Parking => "Parking",
            ChargeKind::Housekeeping => "Housekeeping",
            ChargeKind::Maintenance => "Maintenance",
            ChargeKind::Electricity => "Electricity",
            ChargeKind::LateFee => "Late fee",
            ChargeKind::Other => "Other",
        }
    }

    /// Parses a code (any case). Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<ChargeKind> {
        let code = input.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        ChargeKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    "Charge type must be food, laundry, parking, housekeeping, maintenance, electricity, late fee or other",
                )
            })
    }

    /// True when the charge is part of what the tenant pays for the
    /// accommodation. GST: food and services bundled with a PG or hostel
    /// stay count towards its ₹20,000-a-month limit (they form one
    /// composite supply with the stay, CGST Act s.2(30) and s.8(a)); a late
    /// fee is paid for paying late, not for the stay, so it does not.
    pub fn counts_towards_accommodation_value(self) -> bool {
        !matches!(self, ChargeKind::LateFee)
    }
}

/// When a charge or discount applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "schedule", rename_all = "snake_case")]
pub enum ChargeSchedule {
    /// Every month over [from, until).
    Monthly {
        /// First day it applies.
        from: NaiveDate,
        /// First day it no longer applies; `None` while ongoing.
        until: Option<NaiveDate>,
        /// Partial months pay their share by nights.
        prorate: bool,
    },
    /// Once, in the month of `on`.
    Once {
        /// The day it arose.
        on: NaiveDate,
    },
}

impl ChargeSchedule {
    /// The nights among `billable` (a month's billed days) that a monthly
    /// schedule covers; 0 for a one-off.
    fn active_nights(&self, billable: &[NaiveDate]) -> (u32, Option<(NaiveDate, NaiveDate)>) {
        match *self {
            ChargeSchedule::Monthly { from, until, .. } => {
                let active: Vec<NaiveDate> = billable
                    .iter()
                    .copied()
                    .filter(|&d| d >= from && until.is_none_or(|u| d < u))
                    .collect();
                let range = match (active.first(), active.last()) {
                    (Some(&first), Some(&last)) => Some((first, last.succ_opt().unwrap_or(last))),
                    _ => None,
                };
                (u32::try_from(active.len()).unwrap_or(u32::MAX), range)
            }
            ChargeSchedule::Once { .. } => (0, None),
        }
    }

    /// The amount of a charge of `amount` a month (or once) billed in
    /// `month` with these billed days, and the dates it covers. `None` when
    /// it does not fall in the month. Field `amount` on overflow.
    fn billed(
        &self,
        amount: Paise,
        month: BillingMonth,
        billable: &[NaiveDate],
    ) -> DomainResult<Option<(Paise, Covers)>> {
        match *self {
            ChargeSchedule::Once { on } => Ok(month.contains(on).then_some((amount, None))),
            ChargeSchedule::Monthly { prorate: share, .. } => {
                let (nights, range) = self.active_nights(billable);
                if nights == 0 {
                    return Ok(None);
                }
                let billed = if share {
                    prorate(amount, nights, month.days())
                        .ok_or_else(|| DomainError::invalid("amount", "Amount is too large"))?
                } else {
                    amount
                };
                Ok(Some((billed, range)))
            }
        }
    }

    /// True when the schedule touches the month at all.
    fn falls_in(&self, month: BillingMonth, billable: &[NaiveDate]) -> bool {
        match *self {
            ChargeSchedule::Once { on } => month.contains(on),
            ChargeSchedule::Monthly { .. } => self.active_nights(billable).0 > 0,
        }
    }
}

/// A charge on a contract: a monthly service or a one-off amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    /// The charge.
    pub id: Uuid,
    /// What it is for.
    pub kind: ChargeKind,
    /// As printed on the invoice, e.g. "Veg meals (3 a day)".
    pub description: String,
    /// Amount a month, or the one-off amount. Never negative.
    pub amount: Paise,
    /// Monthly or once.
    pub schedule: ChargeSchedule,
}

/// A charge as billed in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BilledCharge {
    /// The charge (or discount) it comes from.
    pub source_id: Uuid,
    /// What it is for.
    pub kind: ChargeKind,
    /// Invoice text.
    pub description: String,
    /// Amount billed this month.
    pub amount: Paise,
    /// Nights covered [from, until), for monthly charges.
    pub covers: Option<(NaiveDate, NaiveDate)>,
}

impl Charge {
    /// The charge as billed in `month`, given the days billed under the
    /// contract; `None` when it does not fall in the month.
    pub fn billed_in(
        &self,
        month: BillingMonth,
        billable: &[NaiveDate],
    ) -> DomainResult<Option<BilledCharge>> {
        Ok(self
            .schedule
            .billed(self.amount, month, billable)?
            .map(|(amount, covers)| BilledCharge {
                source_id: self.id,
                kind: self.kind,
                description: describe(&self.description, &self.schedule, covers, month),
                amount,
                covers,
            }))
    }

    /// The charge's value for a whole month, for the GST limit per month:
    /// the full monthly amount when any night is billed, the one-off amount
    /// in its month, else zero.
    pub fn monthly_value(&self, month: BillingMonth, billable: &[NaiveDate]) -> Paise {
        if self.schedule.falls_in(month, billable) {
            self.amount
        } else {
            Paise::ZERO
        }
    }
}

fn describe(
    text: &str,
    schedule: &ChargeSchedule,
    covers: Option<(NaiveDate, NaiveDate)>,
    month: BillingMonth,
) -> String {
    match (schedule, covers) {
        (ChargeSchedule::Monthly { .. }, Some((from, until)))
            if from != month.first_day() || until != month.end() =>
        {
            let last = until.pred_opt().unwrap_or(from);
            format!("{text} ({} to {})", format_date(from), format_date(last))
        }
        (ChargeSchedule::Monthly { .. }, _) => format!("{text} for {}", month.label()),
        (ChargeSchedule::Once { on }, _) => format!("{text} ({})", format_date(*on)),
    }
}

/// How much a discount takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum DiscountValue {
    /// A fixed amount (a month, or once).
    Flat(Paise),
    /// A share of the rent billed, in basis points (1,000 = 10%).
    PercentOfRent(u32),
}

/// A discount on a contract. It lowers the amount billed, and with it the
/// value GST is charged on, since it is shown on the invoice (CGST Act
/// s.15(3)(a)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    /// The discount.
    pub id: Uuid,
    /// As printed, e.g. "Student discount".
    pub description: String,
    /// Flat or percent of rent.
    pub value: DiscountValue,
    /// Monthly or once.
    pub schedule: ChargeSchedule,
}

impl Discount {
    /// The amount (positive) the discount takes off in `month`, given the
    /// billed days and the rent billed on them; `None` when it does not
    /// apply. A percent discount over part of the month takes its share of
    /// the rent by the nights it covers.
    pub fn billed_in(
        &self,
        month: BillingMonth,
        billable: &[NaiveDate],
        rent: Paise,
    ) -> DomainResult<Option<BilledCharge>> {
        let too_large = || DomainError::invalid("amount", "Discount is too large");
        let found = match self.value {
            DiscountValue::Flat(amount) => self.schedule.billed(amount, month, billable)?,
            DiscountValue::PercentOfRent(bp) => {
                let (share_of_rent, covers) = match self.schedule {
                    ChargeSchedule::Once { on } if month.contains(on) => (rent, None),
                    ChargeSchedule::Once { .. } => return Ok(None),
                    ChargeSchedule::Monthly { .. } => {
                        let (nights, covers) = self.schedule.active_nights(billable);
                        if nights == 0 {
                            return Ok(None);
                        }
                        let all = i64::try_from(billable.len()).unwrap_or(i64::MAX);
                        let part =
                            mul_div_round(rent, i64::from(nights), all).ok_or_else(too_large)?;
                        (part, covers)
                    }
                };
                let off = share_of_rent
                    .checked_mul_basis_points(i64::from(bp))
                    .ok_or_else(too_large)?;
                Some((off, covers))
            }
        };
        Ok(found.map(|(amount, covers)| BilledCharge {
            source_id: self.id,
            kind: ChargeKind::Other,
            description: describe(&self.description, &self.schedule, covers, month),
            amount,
            covers,
        }))
    }

    /// What the discount takes off a whole month, for the GST limit per
    /// month (`monthly_rent` is the full rent in force).
    pub fn monthly_value(
        &self,
        month: BillingMonth,
        billable: &[NaiveDate],
        monthly_rent: Paise,
    ) -> Paise {
        if !self.schedule.falls_in(month, billable) {
            return Paise::ZERO;
        }
        match self.value {
            DiscountValue::Flat(amount) => amount,
            DiscountValue::PercentOfRent(bp) => monthly_rent
                .checked_mul_basis_points(i64::from(bp))
                .unwrap_or(Paise::ZERO),
        }
    }
}

/// What the charge form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChargeInput {
    /// `food`, `laundry`, `parking`, `housekeeping`, `maintenance`,
    /// `electricity`, `late_fee` or `other`.
    pub kind: String,
    /// Invoice text.
    pub description: String,
    /// Amount in rupees (a month, or once).
    pub amount: String,
    /// `monthly` or `once`.
    pub schedule: String,
    /// First day (monthly) or the day of a one-off charge.
    pub from: String,
    /// First day it no longer applies (monthly); blank while ongoing.
    pub until: Option<String>,
    /// Monthly charges: prorate partial months (the default).
    pub prorate: Option<bool>,
}

impl ChargeInput {
    /// Checks the form and returns the charge with `id`, or the first error
    /// by field.
    pub fn validate(&self, id: Uuid) -> DomainResult<Charge> {
        let kind = ChargeKind::parse(&self.kind, "kind")?;
        let description = required_text(&self.description, "description", "Description", 120)?;
        let amount = positive_amount(&self.amount, "amount", "Amount")?;
        let schedule = schedule(
            &self.schedule,
            &self.from,
            self.until.as_deref(),
            self.prorate,
        )?;
        Ok(Charge {
            id,
            kind,
            description,
            amount,
            schedule,
        })
    }
}

/// What the discount form sends: either an amount or a percent of rent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DiscountInput {
    /// Invoice text.
    pub description: String,
    /// Amount in rupees; blank when `percent` is given.
    pub amount: String,
    /// Percent of the rent; blank when `amount` is given.
    pub percent: String,
    /// `monthly` or `once`.
    pub schedule: String,
    /// First day (monthly) or the day of a one-off discount.
    pub from: String,
    /// First day it no longer applies (monthly); blank while ongoing.
    pub until: Option<String>,
}

impl DiscountInput {
    /// Checks the form and returns the discount with `id`.
    pub fn validate(&self, id: Uuid) -> DomainResult<Discount> {
        let description = required_text(&self.description, "description", "Description", 120)?;
        let value = match (
            self.amount.trim().is_empty(),
            self.percent.trim().is_empty(),
        ) {
            (false, true) => {
                DiscountValue::Flat(positive_amount(&self.amount, "amount", "Discount")?)
            }
            (true, false) => DiscountValue::PercentOfRent(parse_percent_bp(
                &self.percent,
                "percent",
                "Discount",
                10_000,
            )?),
            (true, true) => {
                return Err(DomainError::invalid(
                    "amount",
                    "Enter the discount as an amount in rupees or as a percent of the rent",
                ))
            }
            (false, false) => {
                return Err(DomainError::invalid(
                    "percent",
                    "Enter either an amount or a percent, not both",
                ))
            }
        };
        let schedule = schedule(
            &self.schedule,
            &self.from,
            self.until.as_deref(),
            Some(true),
        )?;
        Ok(Discount {
            id,
            description,
            value,
            schedule,
        })
    }
}

fn positive_amount(raw: &str, field: &str, label: &str) -> DomainResult<Paise> {
    if raw.trim().is_empty() {
        return Err(DomainError::invalid(
            field,
            format!("{label} is required: enter it in rupees, like 2,500"),
        ));
    }
    let amount = Paise::from_rupees_str(raw, field)?;
    if amount.is_negative() || amount.is_zero() {
        return Err(DomainError::invalid(
            field,
            format!("{label} must be more than ₹0"),
        ));
    }
    if amount > MAX_MONTHLY_RENT {
        return Err(DomainError::invalid(
            field,
            format!("{label} must be at most {MAX_MONTHLY_RENT}"),
        ));
    }
    Ok(amount)
}

fn schedule(
    kind: &str,
    from: &str,
    until: Option<&str>,
    prorate: Option<bool>,
) -> DomainResult<ChargeSchedule> {
    match kind.trim().to_ascii_lowercase().as_str() {
        "" | "monthly" => {
            let from = parse_date_labelled(from, "from", "Start date")?;
            let until = parse_optional_date(until, "until", "End date")?;
            if let Some(u) = until {
                if u <= from {
                    return Err(DomainError::invalid(
                        "until",
                        format!(
                            "End date must be after the start date {}",
                            format_date(from)
                        ),
                    ));
                }
            }
            Ok(ChargeSchedule::Monthly {
                from,
                until,
                prorate: prorate.unwrap_or(true),
            })
        }
        "once" | "one_off" | "one-off" => Ok(ChargeSchedule::Once {
            on: parse_date_labelled(from, "from", "Date")?,
        }),
        _ => Err(DomainError::invalid(
            "schedule",
            "Schedule must be monthly or once",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn month(s: &str) -> BillingMonth {
        BillingMonth::parse(s, "month").unwrap()
    }

    fn days(from: &str, until: &str) -> Vec<NaiveDate> {
        d(from).iter_days().take_while(|&x| x < d(until)).collect()
    }

    fn food(prorate: bool) -> Charge {
        Charge {
            id: Uuid::nil(),
            kind: ChargeKind::Food,
            description: "Meals".into(),
            amount: Paise(300_000),
            schedule: ChargeSchedule::Monthly {
                from: d("01/01/2026"),
                until: None,
                prorate,
            },
        }
    }

    #[test]
    fn monthly_charges_prorate_with_the_stay() {
        let april = month("04/2026");
        let full = food(true)
            .billed_in(april, &days("01/04/2026", "01/05/2026"))
            .unwrap()
            .unwrap();
        assert_eq!(full.amount, Paise(300_000));
        assert_eq!(full.description, "Meals for April 2026");
        let part = food(true)
            .billed_in(april, &days("21/04/2026", "01/05/2026"))
            .unwrap()
            .unwrap();
        assert_eq!(part.amount, Paise(100_000)); // 3,000 × 10/30
        assert_eq!(part.description, "Meals (21/04/2026 to 30/04/2026)");
        let whole = food(false)
            .billed_in(april, &days("21/04/2026", "01/05/2026"))
            .unwrap()
            .unwrap();
        assert_eq!(whole.amount, Paise(300_000));
        assert_eq!(food(true).billed_in(april, &[]).unwrap(), None);
        assert_eq!(
            food(true).monthly_value(april, &days("30/04/2026", "01/05/2026")),
            Paise(300_000)
        );
        // A charge that ends mid-month.
        let parking = Charge {
            kind: ChargeKind::Parking,
            schedule: ChargeSchedule::Monthly {
                from: d("01/01/2026"),
                until: Some(d("16/04/2026")),
                prorate: true,
            },
            ..food(true)
        };
        let billed = parking
            .billed_in(april, &days("01/04/2026", "01/05/2026"))
            .unwrap()
            .unwrap();
        assert_eq!(billed.amount, Paise(150_000));
        assert_eq!(billed.covers, Some((d("01/04/2026"), d("16/04/2026"))));
    }

    #[test]
    fn one_off_charges_fall_in_their_month() {
        let key = Charge {
            kind: ChargeKind::Other,
            description: "Duplicate key".into(),
            amount: Paise(25_000),
            schedule: ChargeSchedule::Once {
                on: d("12/04/2026"),
            },
            ..food(true)
        };
        let billed = key.billed_in(month("04/2026"), &[]).unwrap().unwrap();
        assert_eq!(billed.amount, Paise(25_000));
        assert_eq!(billed.description, "Duplicate key (12/04/2026)");
        assert_eq!(key.billed_in(month("05/2026"), &[]).unwrap(), None);
    }

    #[test]
    fn discounts_flat_and_percent() {
        let april = month("04/2026");
        let all = days("01/04/2026", "01/05/2026");
        let flat = Discount {
            id: Uuid::nil(),
            description: "Student discount".into(),
            value: DiscountValue::Flat(Paise(50_000)),
            schedule: ChargeSchedule::Monthly {
                from: d("01/04/2026"),
                until: None,
                prorate: true,
            },
        };
        assert_eq!(
            flat.billed_in(april, &all, Paise(1_000_000))
                .unwrap()
                .unwrap()
                .amount,
            Paise(50_000)
        );
        let half = days("16/04/2026", "01/05/2026");
        assert_eq!(
            flat.billed_in(april, &half, Paise(500_000))
                .unwrap()
                .unwrap()
                .amount,
            Paise(25_000)
        );
        let percent = Discount {
            value: DiscountValue::PercentOfRent(1_000),
            ..flat.clone()
        };
        assert_eq!(
            percent
                .billed_in(april, &all, Paise(1_000_000))
                .unwrap()
                .unwrap()
                .amount,
            Paise(100_000)
        );
        assert_eq!(
            percent.monthly_value(april, &half, Paise(1_000_000)),
            Paise(100_000)
        );
        // A percent discount from the 16th takes 10% of the rent of those nights.
        let later = Discount {
            schedule: ChargeSchedule::Monthly {
                from: d("16/04/2026"),
                until: None,
                prorate: true,
            },
            ..percent
        };
        assert_eq!(
            later
                .billed_in(april, &all, Paise(1_000_000))
                .unwrap()
                .unwrap()
                .amount,
            Paise(50_000)
        );
    }

    #[test]
    fn forms() {
        let charge = ChargeInput {
            kind: "Food".into(),
            description: " Veg  meals ".into(),
            amount: "3,000".into(),
            schedule: "monthly".into(),
            from: "01/04/2026".into(),
            until: None,
            prorate: None,
        }
        .validate(Uuid::nil())
        .unwrap();
        assert_eq!(charge.description, "Veg meals");
        assert_eq!(charge.amount, Paise(300_000));
        assert!(matches!(
            charge.schedule,
            ChargeSchedule::Monthly { prorate: true, .. }
        ));
        let field = |i: ChargeInput| match i.validate(Uuid::nil()) {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let good = ChargeInput {
            kind: "late fee".into(),
            description: "x".into(),
            amount: "1".into(),
            schedule: "once".into(),
            from: "01/04/2026".into(),
            ..Default::default()
        };
        assert!(good.clone().validate(Uuid::nil()).is_ok());
        assert_eq!(
            field(ChargeInput {
                kind: "gym".into(),
                ..good.clone()
            }),
            "kind"
        );
        assert_eq!(
            field(ChargeInput {
                amount: "0".into(),
                ..good.clone()
            }),
            "amount"
        );
        assert_eq!(
            field(ChargeInput {
                schedule: "weekly".into(),
                ..good.clone()
            }),
            "schedule"
        );
        assert_eq!(
            field(ChargeInput {
                schedule: "monthly".into(),
                until: Some("01/03/2026".into()),
                ..good.clone()
            }),
            "until"
        );
        let discount = DiscountInput {
            description: "Early bird".into(),
            percent: "10".into(),
            from: "01/04/2026".into(),
            ..Default::default()
        };
        assert_eq!(
            discount.validate(Uuid::nil()).unwrap().value,
            DiscountValue::PercentOfRent(1_000)
        );
        assert!(DiscountInput {
            amount: "500".into(),
            ..discount.clone()
        }
        .validate(Uuid::nil())
        .is_err());
        assert!(DiscountInput {
            percent: "".into(),
            ..discount
        }
        .validate(Uuid::nil())
        .is_err());
    }
}
