//! GSTIN, the 15-character GST registration number:
//! 2-digit state code, the holder's PAN, an entity number, `Z`, and a
//! check character (base-36, weights 1 and 2 alternating).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use crate::indian_state::{gst_state_name, is_valid_gst_state_code};
use crate::pan::{check_pan_shape, PanShapeError};

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The GSTIN check character for its first 14 characters (upper-case
/// digits and letters); `None` if there are not 14 such characters.
pub fn gstin_check_char(first_fourteen: &str) -> Option<char> {
    let bytes = first_fourteen.as_bytes();
    if bytes.len() != 14 {
        return None;
    }
    let mut sum = 0u32;
    for (i, b) in bytes.iter().enumerate() {
        let value = ALPHABET.iter().position(|a| a == b)? as u32;
        let weighted = value * if i % 2 == 0 { 1 } else { 2 };
        sum += weighted / 36 + weighted % 36;
    }
    let check = (36 - sum % 36) % 36;
    Some(char::from(ALPHABET[check as usize]))
}

/// A valid GSTIN in upper case. Serialized as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gstin(String);

impl Gstin {
    /// Parses a GSTIN in any case, ignoring spaces. Errors name `field` and
    /// say which part is wrong.
    pub fn parse(input: &str, field: &str) -> DomainResult<Gstin> {
        let gstin: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let fail = |message: &str| Err(DomainError::invalid(field, message));
        if gstin.is_empty() {
            return fail("GSTIN is required");
        }
        let b = gstin.as_bytes();
        if b.len() != 15 || !b.iter().all(u8::is_ascii_alphanumeric) {
            return fail("GSTIN must be 15 letters and digits, like 27AAPFU0939F1ZV");
        }
        let state_ok = b[..2].iter().all(u8::is_ascii_digit)
            && is_valid_gst_state_code((b[0] - b'0') * 10 + (b[1] - b'0'));
        if !state_ok {
            return fail("GSTIN must start with a state code from 01 to 38 (or 97, 99)");
        }
        match check_pan_shape(&gstin[2..12]) {
            Ok(_) => {}
            Err(PanShapeError::Pattern) => {
                return fail("Characters 3 to 12 of a GSTIN must be a PAN, like AAPFU0939F")
            }
            Err(PanShapeError::HolderType) => {
                return fail("The PAN inside this GSTIN has an invalid 4th letter (holder type)")
            }
        }
        if b[12] == b'0' {
            return fail("The 13th character of a GSTIN is 1–9 or A–Z, not 0");
        }
        if b[13] != b'Z' {
            return fail("The 14th character of a GSTIN must be Z");
        }
        if gstin_check_char(&gstin[..14]) != Some(char::from(b[14])) {
            return fail("This GSTIN is not valid: its last character does not match; check for typing mistakes");
        }
        Ok(Gstin(gstin))
    }

    /// The GSTIN: `27AAPFU0939F1ZV`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit state code (27 for Maharashtra). Same code as the
    /// place of supply means CGST+SGST; different means IGST.
    pub fn state_code(&self) -> u8 {
        let b = self.0.as_bytes();
        (b[0] - b'0') * 10 + (b[1] - b'0')
    }

    /// Name of the state the GSTIN is registered in.
    pub fn state_name(&self) -> &'static str {
        gst_state_name(self.state_code()).unwrap_or("Unknown state")
    }

    /// The PAN of the registered person (characters 3–12).
    pub fn pan(&self) -> &str {
        &self.0[2..12]
    }

    /// The entity number for this PAN in this state (13th character).
    pub fn entity_code(&self) -> char {
        char::from(self.0.as_bytes()[12])
    }
}

impl fmt::Display for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Gstin {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<Gstin> {
        Gstin::parse(&value, "gstin")
    }
}

impl From<Gstin> for String {
    fn from(value: Gstin) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_valid_gstins() {
        // Public examples, and ones whose check character was computed.
        let cases = [
            ("27AAPFU0939F1ZV", 27, "Maharashtra", "AAPFU0939F"),
            ("29AAGCB7383J1Z4", 29, "Karnataka", "AAGCB7383J"),
            ("24AAACC1206D1ZM", 24, "Gujarat", "AAACC1206D"),
            ("29ABCPE1234F1Z7", 29, "Karnataka", "ABCPE1234F"),
            ("07AAACI1195H1ZO", 7, "Delhi", "AAACI1195H"),
            ("27aapfu0939f1zv", 27, "Maharashtra", "AAPFU0939F"),
            (" 27AAPFU 0939F1ZV ", 27, "Maharashtra", "AAPFU0939F"),
        ];
        for (input, code, state, pan) in cases {
            let g = Gstin::parse(input, "gstin").unwrap();
            assert_eq!(g.state_code(), code, "{input}");
            assert_eq!(g.state_name(), state);
            assert_eq!(g.pan(), pan);
            assert_eq!(g.entity_code(), '1');
        }
    }

    #[test]
    fn refuses_invalid_gstins_saying_which_part() {
        let cases = [
            ("", "GSTIN is required"),
            ("27AAPFU0939F1Z", "GSTIN must be 15 letters and digits"),
            ("27AAPFU0939F1ZV1", "GSTIN must be 15 letters and digits"),
            ("27AAPFU0939F1Z-", "GSTIN must be 15 letters and digits"),
            ("00AAPFU0939F1ZV", "GSTIN must start with a state code"),
            ("39AAPFU0939F1ZV", "GSTIN must start with a state code"),
            ("98AAPFU0939F1ZV", "GSTIN must start with a state code"),
            ("A7AAPFU0939F1ZV", "GSTIN must start with a state code"),
            (
                "27AAPF10939F1ZV",
                "Characters 3 to 12 of a GSTIN must be a PAN",
            ),
            (
                "27AAPDU0939F1ZV",
                "The PAN inside this GSTIN has an invalid 4th letter",
            ),
            (
                "27AAPFU0939F0ZV",
                "The 13th character of a GSTIN is 1–9 or A–Z",
            ),
            ("27AAPFU0939F1YV", "The 14th character of a GSTIN must be Z"),
            (
                "27AAPFU0939F1ZW",
                "This GSTIN is not valid: its last character does not match",
            ),
            (
                "29AAPFU0939F1ZV",
                "This GSTIN is not valid: its last character does not match",
            ),
        ];
        for (input, start) in cases {
            match Gstin::parse(input, "gstin") {
                Err(DomainError::Invalid { field, message }) => {
                    assert_eq!(field, "gstin");
                    assert!(message.starts_with(start), "{input}: {message}");
                }
                other => panic!("{input}: {other:?}"),
            }
        }
    }

    #[test]
    fn special_state_codes() {
        let body = "97AAPFU0939F1Z";
        let check = gstin_check_char(body).unwrap();
        let g = Gstin::parse(&format!("{body}{check}"), "gstin").unwrap();
        assert_eq!(g.state_code(), 97);
        assert_eq!(g.state_name(), "Other Territory");
        assert_eq!(gstin_check_char("27AAPFU0939F1"), None);
        assert_eq!(gstin_check_char("27aapfu0939f1Z"), None);
    }

    #[test]
    fn serializes_as_string() {
        let g = Gstin::parse("27AAPFU0939F1ZV", "gstin").unwrap();
        assert_eq!(serde_json::to_string(&g).unwrap(), "\"27AAPFU0939F1ZV\"");
        assert!(serde_json::from_str::<Gstin>("\"27AAPFU0939F1ZW\"").is_err());
    }

    proptest! {
        #[test]
        fn computed_check_char_validates_and_catches_one_change(
            state in 1u8..=38,
            pan in "[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z]",
            entity in "[1-9A-Z]",
            position in 0usize..14,
            replacement in "[0-9A-Z]",
        ) {
            let body = format!("{state:02}{pan}{entity}Z");
            let check = gstin_check_char(&body).unwrap();
            let gstin = format!("{body}{check}");
            prop_assert_eq!(Gstin::parse(&gstin, "gstin").unwrap().state_code(), state);
            // Changing any one character changes the check character.
            let mut changed = body.clone().into_bytes();
            prop_assume!(changed[position] != replacement.as_bytes()[0]);
            changed[position] = replacement.as_bytes()[0];
            let changed = String::from_utf8(changed).unwrap();
            prop_assert_ne!(gstin_check_char(&changed), Some(check));
        }
    }
}
