//! Email addresses, checked pragmatically: one `@`, a sensible local part,
//! and a domain with a dot and a real-looking top-level name.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};

const MESSAGE: &str = "Enter an email address like name@example.com";

/// An email address, trimmed, its domain in lower case. Serialized as a
/// string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an email address. Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<Email> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DomainError::invalid(field, "Email address is required"));
        }
        let fail = || Err(DomainError::invalid(field, MESSAGE));
        if s.len() > 254 {
            return Err(DomainError::invalid(
                field,
                "Email address must be at most 254 characters",
            ));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return fail();
        };
        if !local_part_ok(local) || !domain_ok(domain) {
            return fail();
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn local_part_ok(local: &str) -> bool {
    const SPECIAL: &str = "!#$%&'*+/=?^_`{|}~.-";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c))
}

fn domain_ok(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<Email> {
        Email::parse(&value, "email")
    }
}

impl From<Email> for String {
    fn from(value: Email) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_addresses() {
        for (input, stored) in [
            ("priya.sharma@gmail.com", "priya.sharma@gmail.com"),
            ("  Priya.Sharma@Gmail.COM ", "Priya.Sharma@gmail.com"),
            ("r_kumar+pg@company.co.in", "r_kumar+pg@company.co.in"),
            ("accounts@sai-comforts.in", "accounts@sai-comforts.in"),
            ("a@b.io", "a@b.io"),
        ] {
            assert_eq!(Email::parse(input, "email").unwrap().as_str(), stored);
        }
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for input in [
            "priya",
            "priya@",
            "@gmail.com",
            "priya@gmail",
            "priya@@gmail.com",
            "priya@gmail..com",
            "priya@.gmail.com",
            "priya@gmail.c",
            "priya@gmail.123",
            "pri ya@gmail.com",
            ".priya@gmail.com",
            "priya.@gmail.com",
            "pri..ya@gmail.com",
            "priya@-gmail.com",
            "priya@gmail-.com",
            "priya@gmail_com.in",
            "प्रिया@gmail.com",
            "a@b@c.com",
        ] {
            assert_eq!(
                Email::parse(input, "email"),
                Err(DomainError::invalid("email", MESSAGE)),
                "{input}"
            );
        }
        assert_eq!(
            Email::parse(" ", "email"),
            Err(DomainError::invalid("email", "Email address is required"))
        );
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long, "email").is_err());
    }
}
