//! Electricity by meter reading: the units a room's sub-meter counted
//! between two readings, times the rate per unit, split among the room's
//! occupants by the nights each was present.
//!
//! The split is by person-nights: an occupant's share is the bill × their
//! nights ÷ all occupants' nights, rounded down to the paisa, and the paise
//! left over go one each to the largest remainders (earlier occupants
//! first on a tie), so the shares always add up to the bill exactly. A
//! landlord may recover only what the meter counted at the rate agreed
//! (state electricity regulators cap resale to tenants at the tariff paid),
//! so the rate is a setting and the units come from the readings alone.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::allocation::Stay;
use crate::dates::format_date;
use crate::error::{DomainError, DomainResult};
use crate::money::Paise;

use super::mul_div_round;

/// Highest meter reading accepted (9,99,99,999.99 units).
pub const MAX_METER_READING: MeterUnits = MeterUnits(9_999_999_999);

/// Units of electricity (kWh) in hundredths, as a meter shows them with up
/// to two decimals. Serialized as the integer count of hundredths.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct MeterUnits(pub u64);

impl MeterUnits {
    /// Parses a reading as typed: `1234`, `1,234.5`, `1234.56`. Errors name
    /// `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<MeterUnits> {
        let s = input.trim().replace(',', "");
        let bad = || {
            DomainError::invalid(
                field,
                "Enter the meter reading in units, with at most 2 decimals, like 1234.5",
            )
        };
        if s.is_empty() {
            return Err(DomainError::invalid(field, "Meter reading is required"));
        }
        let (whole, fraction) = s.split_once('.').unwrap_or((&s, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > 10
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > 2
        {
            return Err(bad());
        }
        let whole: u64 = whole.parse().map_err(|_| bad())?;
        let fraction: u64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
        let units = MeterUnits(whole * 100 + fraction);
        if units > MAX_METER_READING {
            return Err(DomainError::invalid(
                field,
                format!("Meter reading must be at most {MAX_METER_READING}"),
            ));
        }
        Ok(units)
    }
}

impl fmt::Display for MeterUnits {
    /// `1234.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A reading of a room's meter on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterReading {
    /// Day of the reading; consumption up to this day is counted.
    pub on: NaiveDate,
    /// What the meter showed.
    pub reading: MeterUnits,
}

/// A room's electricity between two readings: nights [from, until).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ElectricityBill {
    /// Day of the earlier reading.
    pub from: NaiveDate,
    /// Day of the later reading.
    pub until: NaiveDate,
    /// Units consumed.
    pub units: MeterUnits,
    /// Rate per unit.
    pub rate_per_unit: Paise,
    /// Units × rate, to the nearest paisa.
    pub amount: Paise,
}

/// Bills a room from two readings at `rate_per_unit` (paise a unit). The
/// later reading must be on a later day and not lower (a replaced meter
/// starts a new series of readings). Errors name `reading`, `on` or
/// `rate_per_unit`.
pub fn bill_room(
    previous: MeterReading,
    current: MeterReading,
    rate_per_unit: Paise,
) -> DomainResult<ElectricityBill> {
    if current.on <= previous.on {
        return Err(DomainError::invalid(
            "on",
            format!(
                "Reading date must be after the previous reading on {}",
                format_date(previous.on)
            ),
        ));
    }
    if current.reading < previous.reading {
        return Err(DomainError::invalid(
            "reading",
            format!(
                "Reading {} is lower than the previous reading {}; if the meter was replaced, start its readings again",
                current.reading, previous.reading
            ),
        ));
    }
    if rate_per_unit.is_negative() || rate_per_unit > Paise(10_000) {
        return Err(DomainError::invalid(
            "rate_per_unit",
            "Rate per unit must be from ₹0.00 to ₹100.00",
        ));
    }
    let units = MeterUnits(current.reading.0 - previous.reading.0);
    let amount = mul_div_round(
        rate_per_unit,
        i64::try_from(units.0).unwrap_or(i64::MAX),
        100,
    )
    .ok_or_else(|| DomainError::invalid("reading", "Units are too many to bill"))?;
    Ok(ElectricityBill {
        from: previous.on,
        until: current.on,
        units,
        rate_per_unit,
        amount,
    })
}

/// Someone who lived in the room, with their stays in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occupant {
    /// The contract the share is billed on.
    pub contract_id: Uuid,
    /// Their stays in this room.
    pub stays: Vec<Stay>,
}

/// One occupant's share of a room's bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectricityShare {
    /// The contract billed.
    pub contract_id: Uuid,
    /// Reading period [from, until).
    pub from: NaiveDate,
    /// Reading period end.
    pub until: NaiveDate,
    /// Nights present in the period.
    pub nights: u32,
    /// Person-nights of everyone in the room in the period.
    pub room_nights: u32,
    /// Units of the whole room.
    pub room_units: MeterUnits,
    /// Rate per unit.
    pub rate_per_unit: Paise,
    /// This occupant's share.
    pub amount: Paise,
}

impl ElectricityShare {
    /// Invoice text: "Electricity 01/04/2026 to 30/04/2026: 120.00 units at
    /// ₹8.00, your share 20 of 45 nights".
    pub fn describe(&self) -> String {
        let last = self.until.pred_opt().unwrap_or(self.from);
        let mut text = format!(
            "Electricity {} to {}: {} units at {}",
            format_date(self.from),
            format_date(last),
            self.room_units,
            self.rate_per_unit
        );
        if self.nights != self.room_nights {
            text.push_str(&format!(
                ", your share {} of {} nights",
                self.nights, self.room_nights
            ));
        }
        text
    }
}

/// The split of a room's bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectricitySplit {
    /// One share per occupant present at least one night, in input order.
    pub shares: Vec<ElectricityShare>,
    /// What no one was present to pay (the whole bill when the room stood
    /// empty); the owner bears it.
    pub unallocated: Paise,
}

/// Splits `bill` among `occupants` by nights present in [from, until),
/// exactly, with the largest-remainder rule.
pub fn split_among_occupants(bill: &ElectricityBill, occupants: &[Occupant]) -> ElectricitySplit {
    let nights: Vec<u32> = occupants
        .iter()
        .map(|o| {
            let n: i64 = o
                .stays
                .iter()
                .map(|s| s.nights_between(bill.from, bill.until))
                .sum();
            u32::try_from(n).unwrap_or(u32::MAX)
        })
        .collect();
    let total: u64 = nights.iter().map(|&n| u64::from(n)).sum();
    if total == 0 {
        return ElectricitySplit {
            shares: Vec::new(),
            unallocated: bill.amount,
        };
    }
    let amount = i128::from(bill.amount.as_i64());
    let total_i = i128::from(total);
    let mut floors: Vec<i128> = Vec::with_capacity(nights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(nights.len());
    for (i, &n) in nights.iter().enumerate() {
        let exact = amount * i128::from(n);
        floors.push(exact / total_i);
        remainders.push((exact % total_i, i));
    }
    let mut left = amount - floors.iter().sum::<i128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in &remainders {
        if left <= 0 {
            break;
        }
        if nights[i] > 0 {
            floors[i] += 1;
            left -= 1;
        }
    }
    let room_nights = u32::try_from(total).unwrap_or(u32::MAX);
    let shares = occupants
        .iter()
        .zip(nights.iter().zip(floors))
        .filter(|(_, (&n, _))| n > 0)
        .map(|(o, (&n, share))| ElectricityShare {
            contract_id: o.contract_id,
            from: bill.from,
            until: bill.until,
            nights: n,
            room_nights,
            room_units: bill.units,
            rate_per_unit: bill.rate_per_unit,
            amount: Paise(i64::try_from(share).unwrap_or(0)),
        })
        .collect();
    ElectricitySplit {
        shares,
        unallocated: Paise::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn reading(on: &str, units: &str) -> MeterReading {
        MeterReading {
            on: d(on),
            reading: MeterUnits::parse(units, "reading").unwrap(),
        }
    }

    fn occupant(n: u128, move_in: &str, move_out: Option<&str>) -> Occupant {
        Occupant {
            contract_id: Uuid::from_u128(n),
            stays: vec![Stay::new(d(move_in), move_out.map(d)).unwrap()],
        }
    }

    #[test]
    fn readings_to_rupees() {
        let bill = bill_room(
            reading("01/04/2026", "1,200.5"),
            reading("01/05/2026", "1320.75"),
            Paise(850),
        )
        .unwrap();
        assert_eq!(bill.units, MeterUnits(12_025));
        assert_eq!(bill.units.to_string(), "120.25");
        assert_eq!(bill.amount, Paise(102_213)); // 120.25 × 8.50 = 1,022.125 → 1,022.13
        assert!(bill_room(
            reading("01/04/2026", "100"),
            reading("01/05/2026", "99"),
            Paise(800)
        )
        .is_err());
        assert!(bill_room(
            reading("01/04/2026", "100"),
            reading("01/04/2026", "120"),
            Paise(800)
        )
        .is_err());
        assert!(bill_room(
            reading("01/04/2026", "100"),
            reading("01/05/2026", "120"),
            Paise(-1)
        )
        .is_err());
        for bad in ["", "-5", "12.345", "abc", "99999999999"] {
            assert!(MeterUnits::parse(bad, "reading").is_err(), "{bad}");
        }
    }

    #[test]
    fn split_by_nights_present() {
        // 120 units at ₹8 = ₹960 over April (30 nights). A stays all month,
        // B moves in on the 16th (15 nights), C leaves after the 10th.
        let bill = bill_room(
            reading("01/04/2026", "1000"),
            reading("01/05/2026", "1120"),
            Paise(800),
        )
        .unwrap();
        let split = split_among_occupants(
            &bill,
            &[
                occupant(1, "01/01/2026", None),
                occupant(2, "16/04/2026", None),
                occupant(3, "01/03/2026", Some("11/04/2026")),
            ],
        );
        let got: Vec<(u32, i64)> = split
            .shares
            .iter()
            .map(|s| (s.nights, s.amount.as_i64()))
            .collect();
        // 30 + 15 + 10 = 55 person-nights: 960 × 30/55 = 523.636…, × 15/55 = 261.818…, × 10/55 = 174.545…
        assert_eq!(got, vec![(30, 52_364), (15, 26_182), (10, 17_454)]);
        assert_eq!(got.iter().map(|g| g.1).sum::<i64>(), 96_000);
        assert_eq!(split.unallocated, Paise::ZERO);
        assert_eq!(
            split.shares[1].describe(),
            "Electricity 01/04/2026 to 30/04/2026: 120.00 units at ₹8.00, your share 15 of 55 nights"
        );
        // Someone who left before the period gets no share.
        let split = split_among_occupants(
            &bill,
            &[
                occupant(1, "01/01/2026", Some("01/03/2026")),
                occupant(2, "01/01/2026", None),
            ],
        );
        assert_eq!(split.shares.len(), 1);
        assert_eq!(split.shares[0].amount, Paise(96_000));
        assert_eq!(
            split.shares[0].describe(),
            "Electricity 01/04/2026 to 30/04/2026: 120.00 units at ₹8.00"
        );
        // An empty room: the owner bears it.
        let split = split_among_occupants(&bill, &[]);
        assert_eq!(split.unallocated, Paise(96_000));
    }

    #[test]
    fn ties_go_to_the_earlier_occupant() {
        // 1 paisa among three equal occupants.
        let bill = ElectricityBill {
            from: d("01/04/2026"),
            until: d("02/04/2026"),
            units: MeterUnits(1),
            rate_per_unit: Paise(100),
            amount: Paise(1),
        };
        let split = split_among_occupants(
            &bill,
            &[
                occupant(1, "01/04/2026", None),
                occupant(2, "01/04/2026", None),
                occupant(3, "01/04/2026", None),
            ],
        );
        let amounts: Vec<i64> = split.shares.iter().map(|s| s.amount.as_i64()).collect();
        assert_eq!(amounts, vec![1, 0, 0]);
    }

    proptest! {
        #[test]
        fn shares_always_add_up(amount in 0i64..10_000_000, ins in proptest::collection::vec(0i64..40, 1..6)) {
            let from = d("01/04/2026");
            let bill = ElectricityBill { from, until: d("01/05/2026"), units: MeterUnits(0), rate_per_unit: Paise(0), amount: Paise(amount) };
            let occupants: Vec<Occupant> = ins.iter().enumerate().map(|(i, &offset)| Occupant {
                contract_id: Uuid::from_u128(i as u128),
                stays: vec![Stay::ongoing(from + chrono::Duration::days(offset))],
            }).collect();
            let split = split_among_occupants(&bill, &occupants);
            let total: i64 = split.shares.iter().map(|s| s.amount.as_i64()).sum();
            prop_assert_eq!(total + split.unallocated.as_i64(), amount);
            for s in &split.shares {
                // Each share is within a paisa of its exact value.
                let scaled = i128::from(s.amount.as_i64()) * i128::from(s.room_nights);
                let exact = i128::from(amount) * i128::from(s.nights);
                prop_assert!((scaled - exact).abs() < i128::from(s.room_nights));
            }
        }
    }
}
