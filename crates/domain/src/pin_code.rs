//! Indian postal PIN codes: six digits, the first from 1 to 9.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};

const MESSAGE: &str = "PIN code must have 6 digits and cannot start with 0, like 560034";

/// A six-digit PIN code (`560034`). Serialized as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PinCode(String);

impl PinCode {
    /// Parses six digits, allowing spaces (`560 034`). Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<PinCode> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(DomainError::invalid(field, "PIN code is required"));
        }
        let b = digits.as_bytes();
        if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) || b[0] == b'0' {
            return Err(DomainError::invalid(field, MESSAGE));
        }
        Ok(PinCode(digits))
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PinCode {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<PinCode> {
        PinCode::parse(&value, "pin_code")
    }
}

impl From<PinCode> for String {
    fn from(value: PinCode) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_codes() {
        for (input, pin) in [
            ("560034", "560034"),
            (" 560 034 ", "560034"),
            ("110001", "110001"),
            ("999999", "999999"),
        ] {
            assert_eq!(PinCode::parse(input, "pin_code").unwrap().as_str(), pin);
        }
        for input in ["056003", "56003", "5600341", "56003A", "560-034", "٥٦٠٠٣٤"] {
            assert_eq!(
                PinCode::parse(input, "pin_code"),
                Err(DomainError::invalid("pin_code", MESSAGE)),
                "{input}"
            );
        }
        assert_eq!(
            PinCode::parse("", "pin_code"),
            Err(DomainError::invalid("pin_code", "PIN code is required"))
        );
    }
}
