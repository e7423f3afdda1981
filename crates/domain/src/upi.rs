//! UPI IDs (virtual payment addresses), like `saicomforts@okhdfcbank`, that
//! go into the `pa=` of the UPI QR code on invoices.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use crate::money::Paise;

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

/// What stays as it is in a UPI link's values: letters, digits and the
/// unreserved `-._~` (RFC 3986), plus `@`, which UPI apps expect unencoded in
/// the payee address. Everything else (spaces, `/`, `&`, `=`, `#`, non-ASCII
/// letters) is percent-encoded as UTF-8.
const UPI_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// The UPI deep link a payment QR code carries:
/// `upi://pay?pa=VPA&pn=NAME&am=AMOUNT&cu=INR&tn=NOTE`, the amount in plain
/// rupees with two decimals (`8260.00`), the name and note percent-encoded.
/// `None` when `amount` is zero or negative: there is nothing to pay.
pub fn payment_link(payee: &UpiId, payee_name: &str, amount: Paise, note: &str) -> Option<String> {
    if amount <= Paise::ZERO {
        return None;
    }
    let encode = |s: &str| utf8_percent_encode(s.trim(), UPI_VALUE).to_string();
    Some(format!(
        "upi://pay?pa={}&pn={}&am={}&cu=INR&tn={}",
        encode(payee.as_str()),
        encode(payee_name),
        amount.to_decimal_rupees(),
        encode(note),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_links() {
        let vpa = UpiId::parse("SaiComforts@okhdfcbank", "upi_id").unwrap();
        assert_eq!(
            payment_link(&vpa, "Sai Comforts PG", Paise(826_000), "BLR1/26-27/00042").as_deref(),
            Some(
                "upi://pay?pa=saicomforts@okhdfcbank&pn=Sai%20Comforts%20PG&am=8260.00\
                 &cu=INR&tn=BLR1%2F26-27%2F00042"
            )
        );
        // Paise are kept; reserved characters and non-ASCII are encoded.
        assert_eq!(
            payment_link(&vpa, "Ravi & Sons #1 = Ré", Paise(5), " INV 7 ").as_deref(),
            Some(
                "upi://pay?pa=saicomforts@okhdfcbank&pn=Ravi%20%26%20Sons%20%231%20%3D%20R%C3%A9\
                 &am=0.05&cu=INR&tn=INV%207"
            )
        );
        assert_eq!(payment_link(&vpa, "Sai", Paise::ZERO, "X"), None);
        assert_eq!(payment_link(&vpa, "Sai", Paise(-100), "X"), None);
    }

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
