//! UPI IDs (virtual payment addresses), like `saicomforts@okhdfcbank`, that
//! go into the `pa=` of the UPI QR code on invoices.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};

const MESSAGE: &str = "Enter the UPI ID like yourname@okhdfcbank";

/// A UPI ID in lower case (`saicomforts@okhdfcbank`). Serialized as a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UpiId(String);

impl UpiId {
    /// Parses a UPI ID: a handle of 2–256 letters, digits, `.`, `-` or `_`,
    /// then `@` and a bank handle that starts with a letter (3–64 letters,
    /// digits, `.`, `-`). Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<UpiId> {
        let s = input.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(DomainError::invalid(field, "UPI ID is required"));
        }
        let Some((name, bank)) = s.split_once('@') else {
            return Err(DomainError::invalid(field, MESSAGE));
        };
        let name_ok = (2..=256).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        let bank_ok = (3..=64).contains(&bank.len())
            && bank.starts_with(|c: char| c.is_ascii_alphabetic())
            && bank
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        if !name_ok || !bank_ok {
            return Err(DomainError::invalid(field, MESSAGE));
        }
        Ok(UpiId(s))
    }

    /// The UPI ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UpiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for UpiId {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<UpiId> {
        UpiId::parse(&value, "upi_id")
    }
}

impl From<UpiId> for String {
    fn from(value: UpiId) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upi_ids() {
        for (input, stored) in [
            ("saicomforts@okhdfcbank", "saicomforts@okhdfcbank"),
            (" SaiComforts@OKHDFCBANK ", "saicomforts@okhdfcbank"),
            ("9876543210@ybl", "9876543210@ybl"),
            ("sai.pg-blr_1@oksbi", "sai.pg-blr_1@oksbi"),
            ("merchant@icici.upi", "merchant@icici.upi"),
        ] {
            assert_eq!(UpiId::parse(input, "upi_id").unwrap().as_str(), stored);
        }
        for input in [
            "saicomforts",
            "@okhdfcbank",
            "s@okhdfcbank",
            "sai@",
            "sai@ok",
            "sai@1bank",
            "sai comforts@ybl",
            "sai@ybl@ybl",
            "sai#pg@ybl",
        ] {
            assert_eq!(
                UpiId::parse(input, "upi_id"),
                Err(DomainError::invalid("upi_id", MESSAGE)),
                "{input}"
            );
        }
    }
}
