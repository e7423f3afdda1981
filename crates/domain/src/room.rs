//! Rooms of a property: floor, number, type, sharing (beds), AC and rent
//! per bed.

use serde::{Deserialize, Serialize};

use crate::bed::default_bed_labels;
use crate::contract::MAX_MONTHLY_RENT;
use crate::error::{DomainError, DomainResult};
use crate::money::Paise;

/// Lowest floor (third basement).
pub const MIN_FLOOR: i16 = -3;
/// Highest floor.
pub const MAX_FLOOR: i16 = 150;
/// Most beds a room may share.
pub const MAX_SHARING: u8 = 6;
/// Longest room number.
pub const MAX_ROOM_NUMBER_CHARS: usize = 10;

/// What kind of room it is; sharing and AC are separate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomType {
    /// An ordinary PG or hostel room.
    Standard,
    /// A better-furnished room at a higher rent.
    Deluxe,
    /// A room with its own kitchenette.
    Studio,
    /// A whole flat let as one unit (1 BHK, 2 BHK …).
    Apartment,
    /// A dormitory of bunk beds.
    Dormitory,
}

impl RoomType {
    /// Every type, in the order a form lists them.
    pub const ALL: [RoomType; 5] = [
        RoomType::Standard,
        RoomType::Deluxe,
        RoomType::Studio,
        RoomType::Apartment,
        RoomType::Dormitory,
    ];

    /// Parses the form's value (`standard`, `deluxe`, `studio`,
    /// `apartment`, `dormitory`; any case; `dorm` and `flat` too).
    pub fn parse(input: &str, field: &str) -> DomainResult<RoomType> {
        Ok(match input.trim().to_lowercase().as_str() {
            "standard" => RoomType::Standard,
            "deluxe" => RoomType::Deluxe,
            "studio" => RoomType::Studio,
            "apartment" | "flat" => RoomType::Apartment,
            "dormitory" | "dorm" => RoomType::Dormitory,
            _ => {
                return Err(DomainError::invalid(
                    field,
                    "Room type must be standard, deluxe, studio, apartment or dormitory",
                ))
            }
        })
    }

    /// The value forms send and stores keep.
    pub fn code(self) -> &'static str {
        match self {
            RoomType::Standard => "standard",
            RoomType::Deluxe => "deluxe",
            RoomType::Studio => "studio",
            RoomType::Apartment => "apartment",
            RoomType::Dormitory => "dormitory",
        }
    }
}

/// What the room form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RoomInput {
    /// `G` or `0` for ground, `1`, `2` …, `B1` for the first basement.
    pub floor: String,
    /// The number on the door, e.g. `204` or `B-204`.
    pub room_number: String,
    /// See [`RoomType`].
    pub room_type: String,
    /// Beds in the room, 1–6.
    pub sharing: String,
    /// True for an air-conditioned room.
    pub ac: bool,
    /// Monthly rent for one bed, in rupees.
    pub rent_per_bed: String,
}

/// A checked room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomDetails {
    /// 0 is the ground floor, negatives are basements.
    pub floor: i16,
    /// Upper case, e.g. `B-204`.
    pub room_number: String,
    /// What kind of room.
    pub room_type: RoomType,
    /// Beds in the room, 1–6.
    pub sharing: u8,
    /// Air-conditioned.
    pub ac: bool,
    /// Monthly rent for one bed.
    pub rent_per_bed: Paise,
}

impl RoomInput {
    /// Checks the form and returns the room, or the first error by field.
    pub fn validate(&self) -> DomainResult<RoomDetails> {
        let floor = parse_floor(&self.floor, "floor")?;
        let room_number = parse_room_number(&self.room_number, "room_number")?;
        let room_type = RoomType::parse(&self.room_type, "room_type")?;
        let sharing = match self.sharing.trim().parse::<u8>() {
            Ok(n) if (1..=MAX_SHARING).contains(&n) => n,
            _ => {
                return Err(DomainError::invalid(
                    "sharing",
                    format!("Sharing must be the number of beds in the room, 1 to {MAX_SHARING}"),
                ))
            }
        };
        if self.rent_per_bed.trim().is_empty() {
            return Err(DomainError::invalid(
                "rent_per_bed",
                "Rent per bed is required: enter the monthly rent in rupees, like 8,500",
            ));
        }
        let rent_per_bed = Paise::from_rupees_str(&self.rent_per_bed, "rent_per_bed")?;
        if rent_per_bed <= Paise::ZERO {
            return Err(DomainError::invalid(
                "rent_per_bed",
                "Rent per bed must be more than ₹0",
            ));
        }
        if rent_per_bed > MAX_MONTHLY_RENT {
            return Err(DomainError::invalid(
                "rent_per_bed",
                format!("Rent per bed must be at most {MAX_MONTHLY_RENT}"),
            ));
        }
        Ok(RoomDetails {
            floor,
            room_number,
            room_type,
            sharing,
            ac: self.ac,
            rent_per_bed,
        })
    }
}

impl RoomDetails {
    /// Default labels for the room's beds: `204-A`, `204-B` ….
    pub fn bed_labels(&self) -> Vec<String> {
        default_bed_labels(&self.room_number, self.sharing)
    }

    /// Rent of all beds together per month, `None` on overflow.
    pub fn full_room_rent(&self) -> Option<Paise> {
        self.rent_per_bed.checked_mul(i64::from(self.sharing))
    }

    /// "2nd floor", "Ground floor", "Basement 1".
    pub fn floor_label(&self) -> String {
        floor_label(self.floor)
    }
}

/// Parses a floor: `G`, `GF`, `Ground` or `0`; `1`, `1st`, `2nd` …;
/// `B1`, `-1`, `Basement` for basements. Errors name `field`.
pub fn parse_floor(input: &str, field: &str) -> DomainResult<i16> {
    let s: String = input
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s.strip_suffix("floor").unwrap_or(&s).trim_end_matches('-');
    let fail = || {
        DomainError::invalid(
            field,
            format!(
                "Floor must be G for ground, a number like 1 or 2 (up to {MAX_FLOOR}), or B1 for a basement"
            ),
        )
    };
    if s.is_empty() {
        return Err(DomainError::invalid(
            field,
            "Floor is required: G for ground, or 1, 2 …",
        ));
    }
    let floor: i16 = match s {
        "g" | "gf" | "ground" => 0,
        "b" | "lg" | "basement" => -1,
        _ => {
            if let Some(n) = s.strip_prefix("basement").or_else(|| s.strip_prefix('b')) {
                -digits(n).ok_or_else(fail)?
            } else if let Some(n) = s.strip_prefix('-') {
                -digits(n).ok_or_else(fail)?
            } else {
                let n = ["st", "nd", "rd", "th"]
                    .iter()
                    .find_map(|suffix| s.strip_suffix(suffix))
                    .unwrap_or(s);
                digits(n).ok_or_else(fail)?
            }
        }
    };
    if !(MIN_FLOOR..=MAX_FLOOR).contains(&floor) {
        return Err(fail());
    }
    Ok(floor)
}

/// Up to three ASCII digits as a number.
fn digits(s: &str) -> Option<i16> {
    if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// "Ground floor", "1st floor", "12th floor", "Basement 2".
pub fn floor_label(floor: i16) -> String {
    match floor {
        0 => "Ground floor".to_string(),
        f if f < 0 => format!("Basement {}", -i32::from(f)),
        f => {
            let suffix = match (f % 10, f % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{f}{suffix} floor")
        }
    }
}

/// Parses a room number: 1–10 letters, digits, `-` or `/`, upper-cased,
/// starting with a letter or digit. Errors name `field`.
pub fn parse_room_number(input: &str, field: &str) -> DomainResult<String> {
    let s = input.trim().to_uppercase();
    if s.is_empty() {
        return Err(DomainError::invalid(field, "Room number is required"));
    }
    let ok = s.chars().count() <= MAX_ROOM_NUMBER_CHARS
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
    if !ok {
        return Err(DomainError::invalid(
            field,
            format!("Room number must be up to {MAX_ROOM_NUMBER_CHARS} letters or digits (- and / allowed), like 204 or B-204"),
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RoomInput {
        RoomInput {
            floor: "2".into(),
            room_number: "b-204".into(),
            room_type: "standard".into(),
            sharing: "3".into(),
            ac: true,
            rent_per_bed: "8,500".into(),
        }
    }

    #[test]
    fn valid_room() {
        let room = input().validate().unwrap();
        assert_eq!(room.floor, 2);
        assert_eq!(room.room_number, "B-204");
        assert_eq!(room.room_type, RoomType::Standard);
        assert_eq!(room.sharing, 3);
        assert!(room.ac);
        assert_eq!(room.rent_per_bed, Paise(850_000));
        assert_eq!(room.full_room_rent(), Some(Paise(2_550_000)));
        assert_eq!(room.bed_labels(), ["B-204-A", "B-204-B", "B-204-C"]);
        assert_eq!(room.floor_label(), "2nd floor");
    }

    #[test]
    fn floors() {
        for (typed, floor) in [
            ("G", 0),
            ("ground", 0),
            ("GF", 0),
            ("0", 0),
            ("Ground floor", 0),
            ("1", 1),
            ("1st", 1),
            ("2nd floor", 2),
            ("11th", 11),
            ("150", 150),
            ("B1", -1),
            ("b2", -2),
            ("-1", -1),
            ("Basement", -1),
            ("LG", -1),
            ("Basement 2", -2),
        ] {
            assert_eq!(parse_floor(typed, "floor"), Ok(floor), "{typed}");
        }
        for typed in ["", "x", "151", "B4", "-4", "1.5", "first", "1000"] {
            assert!(parse_floor(typed, "floor").is_err(), "{typed}");
        }
        assert_eq!(floor_label(0), "Ground floor");
        assert_eq!(floor_label(1), "1st floor");
        assert_eq!(floor_label(3), "3rd floor");
        assert_eq!(floor_label(11), "11th floor");
        assert_eq!(floor_label(12), "12th floor");
        assert_eq!(floor_label(21), "21st floor");
        assert_eq!(floor_label(112), "112th floor");
        assert_eq!(floor_label(-2), "Basement 2");
    }

    #[test]
    fn room_numbers() {
        for (typed, stored) in [
            ("204", "204"),
            (" g01 ", "G01"),
            ("A/12", "A/12"),
            ("B-204", "B-204"),
        ] {
            assert_eq!(parse_room_number(typed, "room_number").unwrap(), stored);
        }
        for typed in ["", "-204", "2 04", "ROOM-NUMBER-1", "20#4", "२०४"] {
            assert!(parse_room_number(typed, "room_number").is_err(), "{typed}");
        }
    }

    #[test]
    fn first_error_names_the_field() {
        let cases: Vec<(RoomInput, &str, &str)> = vec![
            (
                RoomInput {
                    floor: "x".into(),
                    ..input()
                },
                "floor",
                "Floor must be G for ground",
            ),
            (
                RoomInput {
                    room_number: "".into(),
                    ..input()
                },
                "room_number",
                "Room number is required",
            ),
            (
                RoomInput {
                    room_type: "suite".into(),
                    ..input()
                },
                "room_type",
                "Room type must be",
            ),
            (
                RoomInput {
                    sharing: "0".into(),
                    ..input()
                },
                "sharing",
                "Sharing must be the number of beds",
            ),
            (
                RoomInput {
                    sharing: "7".into(),
                    ..input()
                },
                "sharing",
                "Sharing must be",
            ),
            (
                RoomInput {
                    sharing: "two".into(),
                    ..input()
                },
                "sharing",
                "Sharing must be",
            ),
            (
                RoomInput {
                    rent_per_bed: "".into(),
                    ..input()
                },
                "rent_per_bed",
                "Rent per bed is required",
            ),
            (
                RoomInput {
                    rent_per_bed: "0".into(),
                    ..input()
                },
                "rent_per_bed",
                "Rent per bed must be more than ₹0",
            ),
            (
                RoomInput {
                    rent_per_bed: "8,500.505".into(),
                    ..input()
                },
                "rent_per_bed",
                "Amount can have at most 2 digits",
            ),
            (
                RoomInput {
                    rent_per_bed: "5,00,00,000".into(),
                    ..input()
                },
                "rent_per_bed",
                "Rent per bed must be at most",
            ),
            (
                RoomInput {
                    floor: "x".into(),
                    sharing: "9".into(),
                    ..input()
                },
                "floor",
                "Floor",
            ),
        ];
        for (case, field, start) in cases {
            match case.validate() {
                Err(DomainError::Invalid { field: f, message }) => {
                    assert_eq!(f, field);
                    assert!(message.starts_with(start), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn from_form_json() {
        let room: RoomInput = serde_json::from_str(
            r#"{"floor":"G","room_number":"101","room_type":"Deluxe","sharing":"2","rent_per_bed":"9000"}"#,
        )
        .unwrap();
        let room = room.validate().unwrap();
        assert!(!room.ac);
        assert_eq!(room.room_type, RoomType::Deluxe);
        for t in RoomType::ALL {
            assert_eq!(RoomType::parse(t.code(), "room_type"), Ok(t));
        }
    }
}
