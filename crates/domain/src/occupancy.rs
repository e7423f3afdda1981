//! Occupancy on a day, derived from beds and allocations (never stored).
//!
//! For a day D, each bed in service (not retired on or before D) is in
//! exactly one of three states:
//!
//! - **occupied**: an allocation covers the night of D (half-open
//!   [move_in, move_out), see [`crate::allocation`]); it is also **on
//!   notice** when that allocation's notice was given on or before D;
//! - **reserved**: not occupied on D, but an allocation starts after D;
//! - **vacant**: neither.
//!
//! So `total = occupied + reserved + vacant` and `on_notice ≤ occupied`.
//! Occupancy is `occupied / total`, kept exact as counts and shown in basis
//! points or as a percent with one decimal ("87.5%").

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::allocation::range_contains;

/// A bed as occupancy needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupancyBed {
    /// The bed.
    pub bed_id: Uuid,
    /// Its property.
    pub property_id: Uuid,
    /// First day out of service, `None` while in service.
    pub retired_on: Option<NaiveDate>,
}

/// An allocation as occupancy needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupancyAllocation {
    /// The bed let.
    pub bed_id: Uuid,
    /// First night.
    pub move_in: NaiveDate,
    /// First free day, `None` while ongoing.
    pub move_out: Option<NaiveDate>,
    /// Day the tenant gave notice, if they have.
    pub notice_given_on: Option<NaiveDate>,
}

/// The state of one bed on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BedStatus {
    /// Out of service; not counted.
    Retired,
    /// Let, no notice given.
    Occupied,
    /// Let, and the tenant has given notice.
    OnNotice,
    /// Free now, let from a later day.
    Reserved,
    /// Free, nothing booked ahead.
    Vacant,
}

/// The state of `bed` on `day`, given the allocations of that bed.
pub fn bed_status_on<'a>(
    bed: &OccupancyBed,
    allocations: impl IntoIterator<Item = &'a OccupancyAllocation>,
    day: NaiveDate,
) -> BedStatus {
    if bed.retired_on.is_some_and(|retired| retired <= day) {
        return BedStatus::Retired;
    }
    let mut status = BedStatus::Vacant;
    for a in allocations {
        if range_contains(a.move_in, a.move_out, day) {
            if a.notice_given_on.is_some_and(|given| given <= day) {
                return BedStatus::OnNotice;
            }
            status = BedStatus::Occupied;
        } else if a.move_in > day && status == BedStatus::Vacant {
            status = BedStatus::Reserved;
        }
    }
    status
}

/// Bed counts for a property or a portfolio on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct OccupancyCounts {
    /// Beds in service.
    pub total: u32,
    /// Let on the day (on-notice beds included).
    pub occupied: u32,
    /// Let, with notice given (a part of `occupied`).
    pub on_notice: u32,
    /// Free on the day, let from a later day.
    pub reserved: u32,
    /// Free, nothing booked ahead.
    pub vacant: u32,
}

impl OccupancyCounts {
    /// Counts one bed in the given state.
    pub fn add(&mut self, status: BedStatus) {
        match status {
            BedStatus::Retired => return,
            BedStatus::Occupied => self.occupied += 1,
            BedStatus::OnNotice => {
                self.occupied += 1;
                self.on_notice += 1;
            }
            BedStatus::Reserved => self.reserved += 1,
            BedStatus::Vacant => self.vacant += 1,
        }
        self.total += 1;
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, other: &OccupancyCounts) {
        self.total += other.total;
        self.occupied += other.occupied;
        self.on_notice += other.on_notice;
        self.reserved += other.reserved;
        self.vacant += other.vacant;
    }

    /// Occupied share in basis points (10,000 = 100%), rounded half up;
    /// `None` when there are no beds.
    pub fn occupancy_bp(&self) -> Option<u32> {
        rounded_share(self.occupied, self.total, 10_000)
    }

    /// Occupied share as a percent with at most one decimal: "87.5%",
    /// "100%"; "–" when there are no beds.
    pub fn occupancy_label(&self) -> String {
        match rounded_share(self.occupied, self.total, 1_000) {
            None => "–".to_string(),
            Some(per_mille) if per_mille % 10 == 0 => format!("{}%", per_mille / 10),
            Some(per_mille) => format!("{}.{}%", per_mille / 10, per_mille % 10),
        }
    }
}

/// `part / whole * scale`, rounded half up, in integers.
fn rounded_share(part: u32, whole: u32, scale: u64) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (u64::from(part), u64::from(whole));
    u32::try_from((2 * part * scale + whole) / (2 * whole)).ok()
}

/// Occupancy of one property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyOccupancy {
    /// The property.
    pub property_id: Uuid,
    /// Its counts.
    pub counts: OccupancyCounts,
}

/// Occupancy of a portfolio on one day: per property and overall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccupancyReport {
    /// The day.
    pub on: NaiveDate,
    /// All properties together.
    pub overall: OccupancyCounts,
    /// Each property with at least one bed listed, ordered by id.
    pub properties: Vec<PropertyOccupancy>,
}

/// Computes occupancy on `day`. Allocations of beds not listed are ignored;
/// a bed with overlapping allocations (which the rules forbid) counts once.
pub fn occupancy_on(
    day: NaiveDate,
    beds: &[OccupancyBed],
    allocations: &[OccupancyAllocation],
) -> OccupancyReport {
    let mut by_bed: HashMap<Uuid, Vec<&OccupancyAllocation>> = HashMap::new();
    for a in allocations {
        by_bed.entry(a.bed_id).or_default().push(a);
    }
    let mut per_property: BTreeMap<Uuid, OccupancyCounts> = BTreeMap::new();
    for bed in beds {
        let status = bed_status_on(
            bed,
            by_bed.get(&bed.bed_id).into_iter().flatten().copied(),
            day,
        );
        per_property.entry(bed.property_id).or_default().add(status);
    }
    let mut overall = OccupancyCounts::default();
    for counts in per_property.values() {
        overall.merge(counts);
    }
    OccupancyReport {
        on: day,
        overall,
        properties: per_property
            .into_iter()
            .map(|(property_id, counts)| PropertyOccupancy {
                property_id,
                counts,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn bed(n: u128, property: u128, retired_on: Option<&str>) -> OccupancyBed {
        OccupancyBed {
            bed_id: id(n),
            property_id: id(property),
            retired_on: retired_on.map(d),
        }
    }

    fn alloc(bed: u128, from: &str, to: Option<&str>, notice: Option<&str>) -> OccupancyAllocation {
        OccupancyAllocation {
            bed_id: id(bed),
            move_in: d(from),
            move_out: to.map(d),
            notice_given_on: notice.map(d),
        }
    }

    #[test]
    fn a_small_portfolio() {
        let beds = [
            bed(1, 100, None),
            bed(2, 100, None),
            bed(3, 100, None),
            bed(4, 100, Some("01/06/2026")),
            bed(5, 200, None),
            bed(6, 200, None),
        ];
        let allocations = [
            alloc(1, "01/04/2026", None, None),
            alloc(2, "01/04/2026", Some("01/07/2026"), Some("01/06/2026")),
            alloc(3, "01/07/2026", None, None),
            alloc(4, "01/01/2026", Some("01/06/2026"), None),
            alloc(5, "01/01/2026", Some("15/06/2026"), None),
            alloc(99, "01/01/2026", None, None),
        ];
        let report = occupancy_on(d("15/06/2026"), &beds, &allocations);
        let p1 = report.properties[0].counts;
        assert_eq!(report.properties[0].property_id, id(100));
        assert_eq!(
            p1,
            OccupancyCounts {
                total: 3,
                occupied: 2,
                on_notice: 1,
                reserved: 1,
                vacant: 0
            }
        );
        assert_eq!(p1.occupancy_bp(), Some(6_667));
        assert_eq!(p1.occupancy_label(), "66.7%");
        let p2 = report.properties[1].counts;
        assert_eq!(
            p2,
            OccupancyCounts {
                total: 2,
                occupied: 0,
                on_notice: 0,
                reserved: 0,
                vacant: 2
            }
        );
        assert_eq!(p2.occupancy_label(), "0%");
        assert_eq!(
            report.overall,
            OccupancyCounts {
                total: 5,
                occupied: 2,
                on_notice: 1,
                reserved: 1,
                vacant: 2
            }
        );
        assert_eq!(report.overall.occupancy_bp(), Some(4_000));
        assert_eq!(report.overall.occupancy_label(), "40%");
    }

    #[test]
    fn notice_counts_from_the_day_given() {
        let b = bed(1, 1, None);
        let a = [alloc(
            1,
            "01/04/2026",
            Some("01/07/2026"),
            Some("01/06/2026"),
        )];
        assert_eq!(bed_status_on(&b, &a, d("31/05/2026")), BedStatus::Occupied);
        assert_eq!(bed_status_on(&b, &a, d("01/06/2026")), BedStatus::OnNotice);
        assert_eq!(bed_status_on(&b, &a, d("30/06/2026")), BedStatus::OnNotice);
        assert_eq!(bed_status_on(&b, &a, d("01/07/2026")), BedStatus::Vacant);
        assert_eq!(bed_status_on(&b, &a, d("31/03/2026")), BedStatus::Reserved);
        let retired = bed(1, 1, Some("01/05/2026"));
        assert_eq!(
            bed_status_on(&retired, &a, d("01/05/2026")),
            BedStatus::Retired
        );
        assert_eq!(
            bed_status_on(&retired, &a, d("30/04/2026")),
            BedStatus::Occupied
        );
    }

    #[test]
    fn labels_and_basis_points() {
        let c = |occupied, total| OccupancyCounts {
            total,
            occupied,
            ..Default::default()
        };
        assert_eq!(c(7, 8).occupancy_label(), "87.5%");
        assert_eq!(c(7, 8).occupancy_bp(), Some(8_750));
        assert_eq!(c(8, 8).occupancy_label(), "100%");
        assert_eq!(c(1, 3).occupancy_label(), "33.3%");
        assert_eq!(c(2, 3).occupancy_bp(), Some(6_667));
        assert_eq!(c(1, 2000).occupancy_label(), "0.1%");
        assert_eq!(c(1, 2001).occupancy_label(), "0%");
        assert_eq!(c(0, 0).occupancy_bp(), None);
        assert_eq!(c(0, 0).occupancy_label(), "–");
        assert_eq!(c(u32::MAX, u32::MAX).occupancy_bp(), Some(10_000));
    }

    /// Brute force: a bed is occupied on a day if that day is in the set of
    /// days of one of its allocations, enumerated one by one.
    fn model(
        day: NaiveDate,
        beds: &[OccupancyBed],
        allocations: &[OccupancyAllocation],
    ) -> BTreeMap<Uuid, OccupancyCounts> {
        let horizon = d("01/01/2028");
        let mut out: BTreeMap<Uuid, OccupancyCounts> = BTreeMap::new();
        for b in beds {
            let counts = out.entry(b.property_id).or_default();
            if let Some(r) = b.retired_on {
                if r <= day {
                    continue;
                }
            }
            let mine: Vec<_> = allocations
                .iter()
                .filter(|a| a.bed_id == b.bed_id)
                .collect();
            let covering: Vec<_> = mine
                .iter()
                .filter(|a| {
                    a.move_in
                        .iter_days()
                        .take_while(|x| *x < a.move_out.unwrap_or(horizon))
                        .any(|x| x == day)
                })
                .collect();
            counts.total += 1;
            if !covering.is_empty() {
                counts.occupied += 1;
                if covering
                    .iter()
                    .any(|a| a.notice_given_on.is_some_and(|n| n <= day))
                {
                    counts.on_notice += 1;
                }
            } else if mine.iter().any(|a| a.move_in > day) {
                counts.reserved += 1;
            } else {
                counts.vacant += 1;
            }
        }
        out
    }

    fn arb_world() -> impl Strategy<Value = (u64, Vec<OccupancyBed>, Vec<OccupancyAllocation>)> {
        let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let beds = proptest::collection::vec((0u128..3, proptest::option::of(0u64..90)), 0..8);
        let allocations = proptest::collection::vec(
            (
                0u128..9,
                0u64..90,
                proptest::option::of(1u64..40),
                proptest::option::of(0u64..60),
            ),
            0..16,
        );
        (0u64..100, beds, allocations).prop_map(move |(day, beds, allocations)| {
            let beds = beds
                .into_iter()
                .enumerate()
                .map(|(i, (property, retired))| OccupancyBed {
                    bed_id: Uuid::from_u128(i as u128),
                    property_id: Uuid::from_u128(1000 + property),
                    retired_on: retired.map(|r| base + Days::new(r)),
                })
                .collect();
            let allocations = allocations
                .into_iter()
                .map(|(bed, start, len, notice)| {
                    let move_in = base + Days::new(start);
                    OccupancyAllocation {
                        bed_id: Uuid::from_u128(bed),
                        move_in,
                        move_out: len.map(|l| move_in + Days::new(l)),
                        notice_given_on: notice.map(|n| move_in + Days::new(n)),
                    }
                })
                .collect();
            (day, beds, allocations)
        })
    }

    proptest! {
        #[test]
        fn agrees_with_a_per_day_model((day, beds, allocations) in arb_world()) {
            let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(day);
            let report = occupancy_on(day, &beds, &allocations);
            let expected = model(day, &beds, &allocations);
            let got: BTreeMap<Uuid, OccupancyCounts> = report
                .properties
                .iter()
                .map(|p| (p.property_id, p.counts))
                .collect();
            prop_assert_eq!(&got, &expected);
            let mut overall = OccupancyCounts::default();
            for c in expected.values() {
                overall.merge(c);
            }
            prop_assert_eq!(report.overall, overall);
            let o = report.overall;
            prop_assert_eq!(o.total, o.occupied + o.reserved + o.vacant);
            prop_assert!(o.on_notice <= o.occupied);
            prop_assert_eq!(
                o.total as usize,
                beds.iter().filter(|b| b.retired_on.is_none_or(|r| r > day)).count()
            );
            if let Some(bp) = o.occupancy_bp() {
                prop_assert!(bp <= 10_000);
                // Within half a basis point of the exact share.
                let exact2 = 2 * u64::from(o.occupied) * 10_000;
                let got2 = 2 * u64::from(bp) * u64::from(o.total);
                prop_assert!(got2.abs_diff(exact2) <= u64::from(o.total));
            }
        }
    }
}
