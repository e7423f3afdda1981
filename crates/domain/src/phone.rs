//! Indian mobile numbers, kept as "+91" and ten digits starting 6–9.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};

/// The message for a mobile number that is not a valid Indian one.
pub const MOBILE_MESSAGE: &str = "Mobile number must have 10 digits and start with 6, 7, 8 or 9";

/// An Indian mobile number, normalised to `+91` and 10 digits
/// (`+919876543210`). Serialized as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Mobile(String);

impl Mobile {
    /// Parses what a person types: `+91 98765 43210`, `098765-43210`,
    /// `9876543210`, `0091 9876543210`, `(+91) 98765.43210`. Errors name
    /// `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<Mobile> {
        let compact: String = input
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '(' | ')' | '.')))
            .collect();
        if compact.is_empty() {
            return Err(DomainError::invalid(field, "Mobile number is required"));
        }
        let national = if let Some(rest) = compact.strip_prefix("+91") {
            rest
        } else if compact.len() == 14 && compact.starts_with("0091") {
            &compact[4..]
        } else if compact.len() == 12 && compact.starts_with("91") {
            &compact[2..]
        } else if compact.len() == 11 && compact.starts_with('0') {
            &compact[1..]
        } else {
            &compact
        };
        let valid = national.len() == 10
            && national.bytes().all(|b| b.is_ascii_digit())
            && matches!(national.as_bytes()[0], b'6'..=b'9');
        if !valid {
            return Err(DomainError::invalid(field, MOBILE_MESSAGE));
        }
        Ok(Mobile(format!("+91{national}")))
    }

    /// The stored form: `+919876543210`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ten national digits: `9876543210`.
    pub fn national_number(&self) -> &str {
        &self.0[3..]
    }

    /// The way people read it: `+91 98765 43210`.
    pub fn display(&self) -> String {
        let n = self.national_number();
        format!("+91 {} {}", &n[..5], &n[5..])
    }
}

impl fmt::Display for Mobile {
    /// Same as [`Mobile::display`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl TryFrom<String> for Mobile {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<Mobile> {
        Mobile::parse(&value, "mobile")
    }
}

impl From<Mobile> for String {
    fn from(value: Mobile) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_ways_people_write_mobiles() {
        for input in [
            "+91 98765 43210",
            "098765-43210",
            "9876543210",
            " 98765 43210 ",
            "+919876543210",
            "919876543210",
            "0091 98765 43210",
            "(+91) 98765.43210",
            "+91-98765-43210",
        ] {
            let m = Mobile::parse(input, "mobile").unwrap();
            assert_eq!(m.as_str(), "+919876543210", "{input}");
        }
        for (input, stored) in [
            ("6000000000", "+916000000000"),
            ("7012345678", "+917012345678"),
            ("8123456789", "+918123456789"),
        ] {
            assert_eq!(Mobile::parse(input, "mobile").unwrap().as_str(), stored);
        }
    }

    #[test]
    fn refuses_what_is_not_an_indian_mobile() {
        for input in [
            "5876543210",
            "0876543210",
            "987654321",
            "98765432101",
            "+44 7911 123456",
            "+1 9876543210",
            "98765x3210",
            "+91 98765 4321",
            "040 2345 6789",
            "९८७६५४३२१०",
        ] {
            assert_eq!(
                Mobile::parse(input, "emergency_contact_phone"),
                Err(DomainError::invalid(
                    "emergency_contact_phone",
                    MOBILE_MESSAGE
                )),
                "{input}"
            );
        }
        assert_eq!(
            Mobile::parse("  ", "mobile"),
            Err(DomainError::invalid("mobile", "Mobile number is required"))
        );
    }

    #[test]
    fn shows_and_serializes() {
        let m = Mobile::parse("9876543210", "mobile").unwrap();
        assert_eq!(m.to_string(), "+91 98765 43210");
        assert_eq!(m.national_number(), "9876543210");
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"+919876543210\"");
        let back: Mobile = serde_json::from_str("\"+919876543210\"").unwrap();
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Mobile>("\"12345\"").is_err());
    }
}
