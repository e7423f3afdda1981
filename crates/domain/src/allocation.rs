//! Allocations: a tenant in a bed over a range of dates, and the rules that
//! keep two tenants out of one bed.
//!
//! # Date semantics
//!
//! A stay is the half-open range **[move_in, move_out)**:
//!
//! - `move_in` is the first night the tenant has the bed;
//! - `move_out` is the first day the bed is free again: the day the tenant
//!   hands back the key, and the earliest day the next tenant may move in;
//! - `move_out = None` means the stay is ongoing, with no date set yet.
//!
//! So a stay from 01/04/2026 with move-out 01/07/2026 covers the nights of
//! 01/04/2026 to 30/06/2026: 91 nights, which is what rent proration
//! counts. A stay has at least one night (`move_out > move_in`). Two stays
//! overlap when each starts before the other ends; back-to-back stays (one's
//! `move_out` equal to the next one's `move_in`) do not, so a bed turns over
//! on a single day. Messages show the last night, inclusive
//! ("from 01/04/2026 to 30/06/2026"), as people say it.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::{format_date, parse_date_labelled, parse_optional_date};
use crate::error::{DomainError, DomainResult};

/// True if [a_in, a_out) and [b_in, b_out) share a day; `None` ends never.
/// Empty ranges (out ≤ in) share nothing.
pub fn ranges_overlap(
    a_in: NaiveDate,
    a_out: Option<NaiveDate>,
    b_in: NaiveDate,
    b_out: Option<NaiveDate>,
) -> bool {
    let before = |day: NaiveDate, end: Option<NaiveDate>| end.is_none_or(|end| day < end);
    before(a_in, a_out) && before(b_in, b_out) && before(a_in, b_out) && before(b_in, a_out)
}

/// True if `day` falls in [move_in, move_out).
pub fn range_contains(move_in: NaiveDate, move_out: Option<NaiveDate>, day: NaiveDate) -> bool {
    move_in <= day && move_out.is_none_or(|end| day < end)
}

/// The dates of one allocation, [move_in, move_out), at least one night long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StayDates")]
pub struct Stay {
    move_in: NaiveDate,
    move_out: Option<NaiveDate>,
}

/// The plain form of a [`Stay`], checked when deserialized.
#[derive(Deserialize)]
struct StayDates {
    move_in: NaiveDate,
    move_out: Option<NaiveDate>,
}

impl TryFrom<StayDates> for Stay {
    type Error = DomainError;
    fn try_from(dates: StayDates) -> DomainResult<Stay> {
        Stay::new(dates.move_in, dates.move_out)
    }
}

impl Stay {
    /// A stay from `move_in`, ending the day before `move_out` (or ongoing).
    /// Refuses a move-out on or before the move-in (field `move_out`).
    pub fn new(move_in: NaiveDate, move_out: Option<NaiveDate>) -> DomainResult<Stay> {
        if let Some(out) = move_out {
            if out <= move_in {
                return Err(DomainError::invalid(
                    "move_out",
                    format!(
                        "Move-out date must be after the move-in date {} (at least one night)",
                        format_date(move_in)
                    ),
                ));
            }
        }
        Ok(Stay { move_in, move_out })
    }

    /// An ongoing stay from `move_in`.
    pub fn ongoing(move_in: NaiveDate) -> Stay {
        Stay {
            move_in,
            move_out: None,
        }
    }

    /// First night in the bed.
    pub fn move_in(&self) -> NaiveDate {
        self.move_in
    }

    /// First day the bed is free again, `None` while ongoing.
    pub fn move_out(&self) -> Option<NaiveDate> {
        self.move_out
    }

    /// Last night in the bed (the day before move-out), `None` while ongoing.
    pub fn last_night(&self) -> Option<NaiveDate> {
        self.move_out.and_then(|d| d.pred_opt())
    }

    /// Nights in the stay, `None` while ongoing.
    pub fn nights(&self) -> Option<i64> {
        self.move_out.map(|out| (out - self.move_in).num_days())
    }

    /// Nights of the stay inside [from, until): what a bill for that period
    /// counts. Zero when they do not meet.
    pub fn nights_between(&self, from: NaiveDate, until: NaiveDate) -> i64 {
        let start = self.move_in.max(from);
        let end = self.move_out.map_or(until, |out| out.min(until));
        (end - start).num_days().max(0)
    }

    /// True if the tenant has the bed on the night of `day`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        range_contains(self.move_in, self.move_out, day)
    }

    /// True if the two stays share at least one night.
    pub fn overlaps(&self, other: &Stay) -> bool {
        ranges_overlap(self.move_in, self.move_out, other.move_in, other.move_out)
    }
}

/// What a form sends to allocate a bed: dates as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AllocationInput {
    /// First night, DD/MM/YYYY or YYYY-MM-DD.
    pub move_in: String,
    /// First free day, blank while not known.
    pub move_out: Option<String>,
}

impl AllocationInput {
    /// Checks the dates and returns the stay, or the first error by field.
    pub fn validate(&self) -> DomainResult<Stay> {
        let move_in = parse_date_labelled(&self.move_in, "move_in", "Move-in date")?;
        let move_out = parse_optional_date(self.move_out.as_deref(), "move_out", "Move-out date")?;
        Stay::new(move_in, move_out)
    }
}

/// An allocation already booked on the bed, as the store reads it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingAllocation {
    /// The bed's label as people know it, e.g. `B-204`.
    pub bed_label: String,
    /// The tenant's name, e.g. `R. Sharma`.
    pub tenant_name: String,
    /// First night.
    pub move_in: NaiveDate,
    /// First free day, `None` while ongoing.
    pub move_out: Option<NaiveDate>,
}

impl ExistingAllocation {
    /// "Bed B-204 is let to R. Sharma from 01/04/2026 to 30/06/2026" (last
    /// night shown), or "… from 01/04/2026 with no move-out date".
    pub fn describe(&self) -> String {
        let period = match self.move_out.and_then(|d| d.pred_opt()) {
            Some(last) => format!(
                "from {} to {}",
                format_date(self.move_in),
                format_date(last.max(self.move_in))
            ),
            None => format!("from {} with no move-out date", format_date(self.move_in)),
        };
        format!(
            "Bed {} is let to {} {period}",
            self.bed_label, self.tenant_name
        )
    }
}

/// Refuses `new` if it shares a night with any of `existing` (the other
/// allocations of the same bed; leave out the one being edited). The
/// conflict names the bed, the other tenant and the dates of the earliest
/// clashing allocation.
pub fn check_no_overlap(new: &Stay, existing: &[ExistingAllocation]) -> DomainResult<()> {
    let clash = existing
        .iter()
        .filter(|e| ranges_overlap(new.move_in, new.move_out, e.move_in, e.move_out))
        .min_by_key(|e| e.move_in);
    match clash {
        None => Ok(()),
        Some(e) => Err(DomainError::conflict(format!(
            "{}; choose another bed or dates",
            e.describe()
        ))),
    }
}

/// A tenant's notice to leave: when it was given and when the bed will be
/// free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// Day the tenant gave notice.
    pub given_on: NaiveDate,
    /// First day the bed will be free.
    pub planned_move_out: NaiveDate,
    /// Days short of the contract's notice period (0 when enough notice was
    /// given); the deposit settlement may charge for them.
    pub short_by_days: u32,
    /// The stay with its move-out set to `planned_move_out`. If it ends
    /// later than before, run [`check_no_overlap`] again.
    pub stay_after: Stay,
}

/// What a form sends when a tenant gives notice.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NoticeInput {
    /// Day notice was given.
    pub given_on: String,
    /// First day the bed will be free; blank means at the end of the notice
    /// period.
    pub planned_move_out: Option<String>,
}

impl NoticeInput {
    /// Parses the dates and applies [`give_notice`].
    pub fn validate(&self, stay: &Stay, notice_days: u16) -> DomainResult<Notice> {
        let given_on = parse_date_labelled(&self.given_on, "given_on", "Notice date")?;
        let planned = parse_optional_date(
            self.planned_move_out.as_deref(),
            "planned_move_out",
            "Planned move-out date",
        )?;
        give_notice(stay, given_on, planned, notice_days)
    }
}

/// Records notice given on `given_on` against `stay`: on or after move-in
/// and before any move-out already set. The planned move-out defaults to
/// `given_on + notice_days`, or the move-out already set if that is
/// earlier; it must be on or after the notice date and after the move-in.
/// Errors name `given_on` or `planned_move_out`.
pub fn give_notice(
    stay: &Stay,
    given_on: NaiveDate,
    planned_move_out: Option<NaiveDate>,
    notice_days: u16,
) -> DomainResult<Notice> {
    if given_on < stay.move_in {
        return Err(DomainError::invalid(
            "given_on",
            format!(
                "Notice date must be on or after the move-in date {}",
                format_date(stay.move_in)
            ),
        ));
    }
    if let Some(out) = stay.move_out {
        if given_on >= out {
            return Err(DomainError::invalid(
                "given_on",
                format!(
                    "Notice date must be before the move-out date {}",
                    format_date(out)
                ),
            ));
        }
    }
    let notice_ends = given_on
        .checked_add_days(Days::new(u64::from(notice_days)))
        .ok_or_else(|| DomainError::invalid("given_on", "Notice date is too far ahead"))?;
    let planned = planned_move_out.unwrap_or(match stay.move_out {
        Some(out) => out.min(notice_ends),
        None => notice_ends,
    });
    if planned < given_on {
        return Err(DomainError::invalid(
            "planned_move_out",
            format!(
                "Planned move-out date cannot be before the notice date {}",
                format_date(given_on)
            ),
        ));
    }
    let stay_after = Stay::new(stay.move_in, Some(planned)).map_err(|_| {
        DomainError::invalid(
            "planned_move_out",
            format!(
                "Planned move-out date must be after the move-in date {}",
                format_date(stay.move_in)
            ),
        )
    })?;
    let short_by_days = u32::try_from((notice_ends - planned).num_days().max(0)).unwrap_or(0);
    Ok(Notice {
        given_on,
        planned_move_out: planned,
        short_by_days,
        stay_after,
    })
}

/// Sets the move-out of a stay (first free day), keeping its move-in. Field
/// `move_out`. If the stay grows, run [`check_no_overlap`] again.
pub fn plan_move_out(stay: &Stay, move_out: NaiveDate) -> DomainResult<Stay> {
    Stay::new(stay.move_in, Some(move_out))
}

/// A move to another bed as a pure plan: the current stay closes on `on`
/// and the new one opens on `on`, keeping the planned move-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TransferPlan {
    /// Day of the move: first free day of the old bed, first night in the new.
    pub on: NaiveDate,
    /// The current allocation, closed at `on`.
    pub closed: Stay,
    /// The new allocation, from `on` to the old planned move-out. Check it
    /// against the new bed with [`check_no_overlap`].
    pub opened: Stay,
}

/// Plans a transfer on day `on`, which must fall strictly inside the current
/// stay: after its move-in (else change the bed of the allocation instead)
/// and before its move-out. Field `transfer_on`.
pub fn plan_transfer(current: &Stay, on: NaiveDate) -> DomainResult<TransferPlan> {
    if on <= current.move_in {
        return Err(DomainError::invalid(
            "transfer_on",
            format!(
                "Transfer date must be after the move-in date {}; to change the bed from the first day, edit the allocation",
                format_date(current.move_in)
            ),
        ));
    }
    if let Some(out) = current.move_out {
        if on >= out {
            return Err(DomainError::invalid(
                "transfer_on",
                format!(
                    "Transfer date must be before the move-out date {}",
                    format_date(out)
                ),
            ));
        }
    }
    Ok(TransferPlan {
        on,
        closed: Stay {
            move_in: current.move_in,
            move_out: Some(on),
        },
        opened: Stay {
            move_in: on,
            move_out: current.move_out,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn existing(label: &str, name: &str, from: &str, to: Option<&str>) -> ExistingAllocation {
        ExistingAllocation {
            bed_label: label.into(),
            tenant_name: name.into(),
            move_in: d(from),
            move_out: to.map(d),
        }
    }

    #[test]
    fn half_open_semantics() {
        let stay = Stay::new(d("01/04/2026"), Some(d("01/07/2026"))).unwrap();
        assert!(stay.contains(d("01/04/2026")));
        assert!(stay.contains(d("30/06/2026")));
        assert!(!stay.contains(d("01/07/2026")));
        assert!(!stay.contains(d("31/03/2026")));
        assert_eq!(stay.nights(), Some(91));
        assert_eq!(stay.last_night(), Some(d("30/06/2026")));
        assert_eq!(stay.nights_between(d("01/06/2026"), d("01/07/2026")), 30);
        assert_eq!(stay.nights_between(d("15/06/2026"), d("01/08/2026")), 16);
        assert_eq!(stay.nights_between(d("01/08/2026"), d("01/09/2026")), 0);
        let ongoing = Stay::ongoing(d("01/04/2026"));
        assert!(ongoing.contains(d("01/01/2100")));
        assert_eq!(ongoing.nights(), None);
        assert_eq!(ongoing.last_night(), None);
        assert_eq!(ongoing.nights_between(d("20/04/2026"), d("01/05/2026")), 11);
    }

    #[test]
    fn stays_need_a_night() {
        let err = Stay::new(d("01/04/2026"), Some(d("01/04/2026"))).unwrap_err();
        assert_eq!(
            err,
            DomainError::invalid(
                "move_out",
                "Move-out date must be after the move-in date 01/04/2026 (at least one night)"
            )
        );
        assert!(Stay::new(d("01/04/2026"), Some(d("02/04/2026"))).is_ok());
    }

    #[test]
    fn overlap_cases() {
        let s = |a: &str, b: Option<&str>| Stay::new(d(a), b.map(d)).unwrap();
        let q2 = s("01/04/2026", Some("01/07/2026"));
        assert!(!q2.overlaps(&s("01/07/2026", None)), "back to back");
        assert!(
            !q2.overlaps(&s("01/01/2026", Some("01/04/2026"))),
            "back to back"
        );
        assert!(q2.overlaps(&s("30/06/2026", None)));
        assert!(q2.overlaps(&s("01/01/2026", Some("02/04/2026"))));
        assert!(q2.overlaps(&s("10/04/2026", Some("11/04/2026"))), "inside");
        assert!(q2.overlaps(&s("01/01/2026", None)), "around");
        assert!(s("01/01/2026", None).overlaps(&s("01/01/2030", None)));
        assert!(!ranges_overlap(
            d("05/04/2026"),
            Some(d("05/04/2026")),
            d("01/04/2026"),
            None
        ));
    }

    #[test]
    fn conflict_message_names_bed_tenant_and_dates() {
        let booked = [
            existing("B-204", "A. Khan", "01/01/2026", Some("01/04/2026")),
            existing("B-204", "R. Sharma", "01/04/2026", Some("01/07/2026")),
            existing("B-204", "S. Iyer", "01/07/2026", None),
        ];
        let new = Stay::new(d("15/05/2026"), Some(d("15/08/2026"))).unwrap();
        assert_eq!(
            check_no_overlap(&new, &booked),
            Err(DomainError::conflict(
                "Bed B-204 is let to R. Sharma from 01/04/2026 to 30/06/2026; choose another bed or dates"
            ))
        );
        let late = Stay::ongoing(d("01/09/2026"));
        assert_eq!(
            check_no_overlap(&late, &booked),
            Err(DomainError::conflict(
                "Bed B-204 is let to S. Iyer from 01/07/2026 with no move-out date; choose another bed or dates"
            ))
        );
        let gap_free = [
            existing("B-204", "A. Khan", "01/01/2026", Some("01/04/2026")),
            existing("B-204", "S. Iyer", "01/07/2026", None),
        ];
        let fits = Stay::new(d("01/04/2026"), Some(d("01/07/2026"))).unwrap();
        assert_eq!(check_no_overlap(&fits, &gap_free), Ok(()));
        assert_eq!(check_no_overlap(&fits, &[]), Ok(()));
    }

    #[test]
    fn allocation_input() {
        let input = AllocationInput {
            move_in: "01/04/2026".into(),
            move_out: Some(" ".into()),
        };
        assert_eq!(input.validate(), Ok(Stay::ongoing(d("01/04/2026"))));
        let bad = AllocationInput {
            move_in: "".into(),
            move_out: None,
        };
        assert!(
            matches!(bad.validate(), Err(DomainError::Invalid { field, .. }) if field == "move_in")
        );
        let backwards = AllocationInput {
            move_in: "01/04/2026".into(),
            move_out: Some("31/03/2026".into()),
        };
        assert!(
            matches!(backwards.validate(), Err(DomainError::Invalid { field, .. }) if field == "move_out")
        );
        let from_json: AllocationInput =
            serde_json::from_str(r#"{"move_in":"2026-04-01"}"#).unwrap();
        assert_eq!(from_json.validate(), Ok(Stay::ongoing(d("01/04/2026"))));
    }

    #[test]
    fn stay_deserialization_is_checked() {
        let ok: Stay = serde_json::from_str(r#"{"move_in":"2026-04-01","move_out":null}"#).unwrap();
        assert_eq!(ok, Stay::ongoing(d("01/04/2026")));
        assert!(serde_json::from_str::<Stay>(
            r#"{"move_in":"2026-04-01","move_out":"2026-04-01"}"#
        )
        .is_err());
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(json, r#"{"move_in":"2026-04-01","move_out":null}"#);
    }

    #[test]
    fn notice() {
        let stay = Stay::ongoing(d("01/04/2026"));
        let n = give_notice(&stay, d("10/06/2026"), None, 30).unwrap();
        assert_eq!(n.planned_move_out, d("10/07/2026"));
        assert_eq!(n.short_by_days, 0);
        assert_eq!(n.stay_after.move_out(), Some(d("10/07/2026")));
        let early = give_notice(&stay, d("10/06/2026"), Some(d("20/06/2026")), 30).unwrap();
        assert_eq!(early.short_by_days, 20);
        let same_day = give_notice(&stay, d("10/06/2026"), Some(d("10/06/2026")), 0).unwrap();
        assert_eq!(same_day.short_by_days, 0);
        let field = |r: DomainResult<Notice>| match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(give_notice(&stay, d("31/03/2026"), None, 30)),
            "given_on"
        );
        assert_eq!(
            field(give_notice(
                &stay,
                d("10/06/2026"),
                Some(d("09/06/2026")),
                30
            )),
            "planned_move_out"
        );
        assert_eq!(
            field(give_notice(
                &stay,
                d("01/04/2026"),
                Some(d("01/04/2026")),
                0
            )),
            "planned_move_out"
        );
        let closed = Stay::new(d("01/04/2026"), Some(d("01/07/2026"))).unwrap();
        assert_eq!(
            field(give_notice(&closed, d("01/07/2026"), None, 30)),
            "given_on"
        );
        // A move-out already set earlier than the notice period stays.
        let kept = give_notice(&closed, d("20/06/2026"), None, 30).unwrap();
        assert_eq!(kept.planned_move_out, d("01/07/2026"));
        assert_eq!(kept.short_by_days, 19);
        assert_eq!(kept.stay_after, closed);
        let input = NoticeInput {
            given_on: "10/06/2026".into(),
            planned_move_out: None,
        };
        assert_eq!(input.validate(&stay, 30), Ok(n));
    }

    #[test]
    fn move_out_and_transfer() {
        let stay = Stay::ongoing(d("01/04/2026"));
        assert_eq!(
            plan_move_out(&stay, d("01/05/2026")).unwrap().move_out(),
            Some(d("01/05/2026"))
        );
        assert!(plan_move_out(&stay, d("01/04/2026")).is_err());

        let plan = plan_transfer(&stay, d("15/04/2026")).unwrap();
        assert_eq!(
            plan.closed,
            Stay::new(d("01/04/2026"), Some(d("15/04/2026"))).unwrap()
        );
        assert_eq!(plan.opened, Stay::ongoing(d("15/04/2026")));
        assert!(!plan.closed.overlaps(&plan.opened));

        let closed = Stay::new(d("01/04/2026"), Some(d("01/07/2026"))).unwrap();
        let plan = plan_transfer(&closed, d("30/06/2026")).unwrap();
        assert_eq!(plan.opened.move_out(), Some(d("01/07/2026")));
        for bad in ["01/04/2026", "31/03/2026", "01/07/2026", "02/07/2026"] {
            assert!(
                matches!(plan_transfer(&closed, d(bad)), Err(DomainError::Invalid { field, .. }) if field == "transfer_on"),
                "{bad}"
            );
        }
    }

    /// Days of a stay as a set, cut at a horizon past every date generated.
    fn days(
        move_in: NaiveDate,
        move_out: Option<NaiveDate>,
        horizon: NaiveDate,
    ) -> BTreeSet<NaiveDate> {
        move_in
            .iter_days()
            .take_while(|day| *day < move_out.unwrap_or(horizon).min(horizon))
            .collect()
    }

    fn arb_range() -> impl Strategy<Value = (NaiveDate, Option<NaiveDate>)> {
        (0u64..60, proptest::option::of(0u64..40)).prop_map(|(start, len)| {
            let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let move_in = base + Days::new(start);
            (move_in, len.map(|l| move_in + Days::new(l)))
        })
    }

    proptest! {
        #[test]
        fn overlap_check_agrees_with_per_day_model(
            new in arb_range(),
            others in proptest::collection::vec(arb_range(), 0..6),
        ) {
            let horizon = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
            // A zero-length new stay is refused up front; skip it here.
            prop_assume!(new.1.is_none_or(|out| out > new.0));
            let stay = Stay::new(new.0, new.1).unwrap();
            let existing: Vec<ExistingAllocation> = others
                .iter()
                .enumerate()
                .map(|(i, (a, b))| ExistingAllocation {
                    bed_label: "B-1".into(),
                    tenant_name: format!("T{i}"),
                    move_in: *a,
                    move_out: *b,
                })
                .collect();
            let mine = days(new.0, new.1, horizon);
            let model_clash = others
                .iter()
                .any(|(a, b)| !mine.is_disjoint(&days(*a, *b, horizon)));
            prop_assert_eq!(check_no_overlap(&stay, &existing).is_err(), model_clash);
            for (a, b) in &others {
                prop_assert_eq!(
                    ranges_overlap(new.0, new.1, *a, *b),
                    ranges_overlap(*a, *b, new.0, new.1)
                );
                for day in days(*a, *b, horizon) {
                    prop_assert!(range_contains(*a, *b, day));
                }
            }
        }

        #[test]
        fn transfer_splits_the_stay_exactly(
            (move_in, move_out) in arb_range(),
            at in 0u64..100,
        ) {
            let horizon = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
            prop_assume!(move_out.is_none_or(|out| out > move_in));
            let stay = Stay::new(move_in, move_out).unwrap();
            let on = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(at);
            match plan_transfer(&stay, on) {
                Ok(plan) => {
                    let closed = days(plan.closed.move_in(), plan.closed.move_out(), horizon);
                    let opened = days(plan.opened.move_in(), plan.opened.move_out(), horizon);
                    prop_assert!(!closed.is_empty() && !opened.is_empty());
                    prop_assert!(closed.is_disjoint(&opened));
                    let joined: BTreeSet<_> = closed.union(&opened).copied().collect();
                    prop_assert_eq!(joined, days(move_in, move_out, horizon));
                }
                Err(_) => prop_assert!(on <= move_in || move_out.is_some_and(|out| on >= out)),
            }
        }
    }
}
