//! Indian states and union territories with their GST state codes. The code
//! of the supplier's state against the place of supply decides CGST+SGST
//! (same state) or IGST (different states).

/// A state or union territory and its two-digit GST state code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndianState {
    /// GST state code, 1–38 (97 and 99 are special codes, not places).
    pub gst_code: u8,
    /// Official English name.
    pub name: &'static str,
}

/// The 28 states and 8 union territories, by their current GST code.
pub const INDIAN_STATES: [IndianState; 36] = [
    IndianState {
        gst_code: 1,
        name: "Jammu and Kashmir",
    },
    IndianState {
        gst_code: 2,
        name: "Himachal Pradesh",
    },
    IndianState {
        gst_code: 3,
        name: "Punjab",
    },
    IndianState {
        gst_code: 4,
        name: "Chandigarh",
    },
    IndianState {
        gst_code: 5,
        name: "Uttarakhand",
    },
    IndianState {
        gst_code: 6,
        name: "Haryana",
    },
    IndianState {
        gst_code: 7,
        name: "Delhi",
    },
    IndianState {
        gst_code: 8,
        name: "Rajasthan",
    },
    IndianState {
        gst_code: 9,
        name: "Uttar Pradesh",
    },
    IndianState {
        gst_code: 10,
        name: "Bihar",
    },
    IndianState {
        gst_code: 11,
        name: "Sikkim",
    },
    IndianState {
        gst_code: 12,
        name: "Arunachal Pradesh",
    },
    IndianState {
        gst_code: 13,
        name: "Nagaland",
    },
    IndianState {
        gst_code: 14,
        name: "Manipur",
    },
    IndianState {
        gst_code: 15,
        name: "Mizoram",
    },
    IndianState {
        gst_code: 16,
        name: "Tripura",
    },
    IndianState {
        gst_code: 17,
        name: "Meghalaya",
    },
    IndianState {
        gst_code: 18,
        name: "Assam",
    },
    IndianState {
        gst_code: 19,
        name: "West Bengal",
    },
    IndianState {
        gst_code: 20,
        name: "Jharkhand",
    },
    IndianState {
        gst_code: 21,
        name: "Odisha",
    },
    IndianState {
        gst_code: 22,
        name: "Chhattisgarh",
    },
    IndianState {
        gst_code: 23,
        name: "Madhya Pradesh",
    },
    IndianState {
        gst_code: 24,
        name: "Gujarat",
    },
    IndianState {
        gst_code: 26,
        name: "Dadra and Nagar Haveli and Daman and Diu",
    },
    IndianState {
        gst_code: 27,
        name: "Maharashtra",
    },
    IndianState {
        gst_code: 29,
        name: "Karnataka",
    },
    IndianState {
        gst_code: 30,
        name: "Goa",
    },
    IndianState {
        gst_code: 31,
        name: "Lakshadweep",
    },
    IndianState {
        gst_code: 32,
        name: "Kerala",
    },
    IndianState {
        gst_code: 33,
        name: "Tamil Nadu",
    },
    IndianState {
        gst_code: 34,
        name: "Puducherry",
    },
    IndianState {
        gst_code: 35,
        name: "Andaman and Nicobar Islands",
    },
    IndianState {
        gst_code: 36,
        name: "Telangana",
    },
    IndianState {
        gst_code: 37,
        name: "Andhra Pradesh",
    },
    IndianState {
        gst_code: 38,
        name: "Ladakh",
    },
];

/// Older and everyday names people type, and the GST code they mean.
const ALIASES: [(&str, u8); 14] = [
    ("j and k", 1),
    ("jk", 1),
    ("uttaranchal", 5),
    ("nct of delhi", 7),
    ("new delhi", 7),
    ("national capital territory of delhi", 7),
    ("up", 9),
    ("orissa", 21),
    ("dadra and nagar haveli", 26),
    ("daman and diu", 26),
    ("pondicherry", 34),
    ("andaman and nicobar", 35),
    ("mp", 23),
    ("tn", 33),
];

/// Name of the place a GST state code stands for; also the legacy codes 25
/// (Daman and Diu), 28 (Andhra Pradesh before 2018) and the special 97
/// (Other Territory) and 99 (Centre Jurisdiction).
pub fn gst_state_name(code: u8) -> Option<&'static str> {
    match code {
        25 => Some("Daman and Diu"),
        28 => Some("Andhra Pradesh"),
        97 => Some("Other Territory"),
        99 => Some("Centre Jurisdiction"),
        _ => INDIAN_STATES
            .iter()
            .find(|s| s.gst_code == code)
            .map(|s| s.name),
    }
}

/// True for a code a GSTIN may start with: 01–38, 97 or 99.
pub fn is_valid_gst_state_code(code: u8) -> bool {
    (1..=38).contains(&code) || code == 97 || code == 99
}

/// The current GST code of a legacy one (25 → 26, 28 → 37); others unchanged.
pub fn current_gst_state_code(code: u8) -> u8 {
    match code {
        25 => 26,
        28 => 37,
        other => other,
    }
}

/// Finds a state or union territory by name, ignoring case, dots, extra
/// spaces and "&" for "and"; accepts common older names (Orissa,
/// Pondicherry, Uttaranchal, NCT of Delhi).
pub fn find_state(name: &str) -> Option<&'static IndianState> {
    let wanted = normalise_name(name);
    if wanted.is_empty() {
        return None;
    }
    if let Some(state) = INDIAN_STATES
        .iter()
        .find(|s| normalise_name(s.name) == wanted)
    {
        return Some(state);
    }
    let code = ALIASES
        .iter()
        .find(|(alias, _)| *alias == wanted)
        .map(|&(_, code)| code)?;
    INDIAN_STATES.iter().find(|s| s.gst_code == code)
}

fn normalise_name(name: &str) -> String {
    let spaced = name
        .to_lowercase()
        .replace('&', " and ")
        .replace(['.', ','], " ");
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_states_by_everyday_names() {
        let cases = [
            ("Karnataka", 29),
            ("  karnataka ", 29),
            ("MAHARASHTRA", 27),
            ("Tamil Nadu", 33),
            ("tamil   nadu", 33),
            ("Jammu & Kashmir", 1),
            ("J&K", 1),
            ("Orissa", 21),
            ("Pondicherry", 34),
            ("NCT of Delhi", 7),
            ("Delhi", 7),
            ("Andaman & Nicobar Islands", 35),
            ("Daman and Diu", 26),
            ("Andhra Pradesh", 37),
            ("Telangana", 36),
            ("Ladakh", 38),
        ];
        for (name, code) in cases {
            assert_eq!(find_state(name).map(|s| s.gst_code), Some(code), "{name}");
        }
        for name in ["", "Bangalore", "Karnatak", "Atlantis"] {
            assert_eq!(find_state(name), None, "{name}");
        }
    }

    #[test]
    fn codes_are_unique_and_valid() {
        for (i, a) in INDIAN_STATES.iter().enumerate() {
            assert!(is_valid_gst_state_code(a.gst_code));
            assert_eq!(gst_state_name(a.gst_code), Some(a.name));
            for b in &INDIAN_STATES[i + 1..] {
                assert_ne!(a.gst_code, b.gst_code);
                assert_ne!(a.name, b.name);
            }
        }
        for code in [0, 39, 96, 98, 100] {
            assert!(!is_valid_gst_state_code(code));
            assert_eq!(gst_state_name(code), None);
        }
        assert_eq!(gst_state_name(97), Some("Other Territory"));
        assert_eq!(current_gst_state_code(28), 37);
        assert_eq!(current_gst_state_code(25), 26);
        assert_eq!(current_gst_state_code(29), 29);
    }
}
