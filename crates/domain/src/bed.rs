//! Beds: the unit a PG lets. A bed is labelled, and may be retired from a
//! date on (it then no longer counts in occupancy).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::allocation::ExistingAllocation;
use crate::dates::format_date;
use crate::error::{DomainError, DomainResult};

/// Longest bed label.
pub const MAX_BED_LABEL_CHARS: usize = 16;

/// What the bed form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BedInput {
    /// The label people use, e.g. `B-204-A` or `A`.
    pub label: String,
}

/// A checked bed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BedDetails {
    /// Upper case, e.g. `B-204-A`.
    pub label: String,
}

impl BedInput {
    /// Checks the form and returns the bed, or the error naming `label`.
    pub fn validate(&self) -> DomainResult<BedDetails> {
        let label = self.label.trim().to_uppercase();
        if label.is_empty() {
            return Err(DomainError::invalid("label", "Bed label is required"));
        }
        let ok = label.chars().count() <= MAX_BED_LABEL_CHARS
            && label.starts_with(|c: char| c.is_ascii_alphanumeric())
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
        if !ok {
            return Err(DomainError::invalid(
                "label",
                format!(
                    "Bed label must be up to {MAX_BED_LABEL_CHARS} letters or digits (- and / allowed), like B-204-A"
                ),
            ));
        }
        Ok(BedDetails { label })
    }
}

/// Default labels for a room's beds: room number, hyphen, a letter
/// (`204-A`, `204-B` …).
pub fn default_bed_labels(room_number: &str, sharing: u8) -> Vec<String> {
    (b'A'..=b'Z')
        .take(usize::from(sharing))
        .map(|letter| format!("{room_number}-{}", char::from(letter)))
        .collect()
}

/// Refuses to retire a bed from `retire_on` (its first day out of service)
/// while any of its allocations still has a night on or after that day.
pub fn check_can_retire(
    retire_on: NaiveDate,
    allocations: &[ExistingAllocation],
) -> DomainResult<()> {
    let blocking = allocations
        .iter()
        .filter(|a| {
            a.move_out.is_none_or(|out| out > retire_on)
                && a.move_out.is_none_or(|out| out > a.move_in)
        })
        .min_by_key(|a| a.move_in);
    match blocking {
        None => Ok(()),
        Some(a) => Err(DomainError::conflict(format!(
            "{}; end or move that stay before retiring the bed from {}",
            a.describe(),
            format_date(retire_on)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    #[test]
    fn labels() {
        assert_eq!(
            BedInput {
                label: " b-204-a ".into()
            }
            .validate()
            .unwrap()
            .label,
            "B-204-A"
        );
        for bad in ["", " ", "-A", "B 204", "B-204-A-EXTRA-LONG", "B#1"] {
            let err = BedInput { label: bad.into() }.validate().unwrap_err();
            assert!(
                matches!(err, DomainError::Invalid { ref field, .. } if field == "label"),
                "{bad}"
            );
        }
        assert_eq!(default_bed_labels("204", 2), ["204-A", "204-B"]);
        assert_eq!(default_bed_labels("G1", 6).last().unwrap(), "G1-F");
        assert!(default_bed_labels("1", 0).is_empty());
    }

    #[test]
    fn retiring_a_bed() {
        let stay = |from: &str, to: Option<&str>| ExistingAllocation {
            bed_label: "B-204-A".into(),
            tenant_name: "R. Sharma".into(),
            move_in: d(from),
            move_out: to.map(d),
        };
        let ended = [stay("01/01/2026", Some("01/04/2026"))];
        assert_eq!(check_can_retire(d("01/04/2026"), &ended), Ok(()));
        assert!(check_can_retire(d("31/03/2026"), &ended).is_err());
        let ongoing = [stay("01/04/2026", None)];
        assert_eq!(
            check_can_retire(d("01/08/2026"), &ongoing),
            Err(DomainError::conflict(
                "Bed B-204-A is let to R. Sharma from 01/04/2026 with no move-out date; \
                 end or move that stay before retiring the bed from 01/08/2026"
            ))
        );
        let future = [stay("01/09/2026", Some("01/10/2026"))];
        assert!(check_can_retire(d("01/08/2026"), &future).is_err());
        assert_eq!(check_can_retire(d("01/08/2026"), &[]), Ok(()));
    }
}
