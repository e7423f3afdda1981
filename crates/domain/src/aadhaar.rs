//! Aadhaar numbers: 12 digits, not starting with 0 or 1, the last digit a
//! Verhoeff check digit. Shown only as `XXXX XXXX 1234`; the full number is
//! for encryption at rest, never for display or logs.

use std::fmt;

use crate::error::{DomainError, DomainResult};

/// Verhoeff multiplication table (the dihedral group D5).
const MULTIPLY: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// Verhoeff permutation table.
const PERMUTE: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff inverse table.
const INVERSE: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// The Verhoeff check digit to append to `digits`; `None` if `digits` is
/// empty or has anything but ASCII digits.
pub fn verhoeff_check_digit(digits: &str) -> Option<u8> {
    let mut check = 0u8;
    for (i, b) in digits.bytes().rev().enumerate() {
        check = MULTIPLY[usize::from(check)][usize::from(verhoeff_step(i + 1, b)?)];
    }
    (!digits.is_empty()).then_some(INVERSE[usize::from(check)])
}

/// True if `digits` (ending in its check digit) passes the Verhoeff check.
pub fn verhoeff_is_valid(digits: &str) -> bool {
    let mut check = 0u8;
    for (i, b) in digits.bytes().rev().enumerate() {
        match verhoeff_step(i, b) {
            Some(p) => check = MULTIPLY[usize::from(check)][usize::from(p)],
            None => return false,
        }
    }
    !digits.is_empty() && check == 0
}

fn verhoeff_step(position: usize, byte: u8) -> Option<u8> {
    byte.is_ascii_digit()
        .then(|| PERMUTE[position % 8][usize::from(byte - b'0')])
}

/// A valid Aadhaar number. `Debug` and `Display` show it masked; there is no
/// `Serialize`, so it cannot slip into a log or a JSON answer.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Aadhaar(String);

impl Aadhaar {
    /// Parses 12 digits, with or without spaces or hyphens
    /// (`2341 2341 2346`). Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<Aadhaar> {
        let digits: String = input
            .chars()
            .filter(|c| !(c.is_whitespace() || *c == '-'))
            .collect();
        if digits.is_empty() {
            return Err(DomainError::invalid(field, "Aadhaar number is required"));
        }
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                field,
                "Aadhaar number must have 12 digits",
            ));
        }
        if digits.starts_with(['0', '1']) {
            return Err(DomainError::invalid(
                field,
                "Aadhaar number cannot start with 0 or 1",
            ));
        }
        if !verhoeff_is_valid(&digits) {
            return Err(DomainError::invalid(
                field,
                "This is not a valid Aadhaar number: please check the digits again",
            ));
        }
        Ok(Aadhaar(digits))
    }

    /// The last four digits, the only ones ever shown.
    pub fn last_four(&self) -> &str {
        &self.0[8..]
    }

    /// Masked for display: `XXXX XXXX 1234`.
    pub fn masked(&self) -> String {
        format!("XXXX XXXX {}", self.last_four())
    }

    /// The 12 digits, only to encrypt for storage. Never display or log them.
    pub fn expose_digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Aadhaar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Aadhaar({})", self.masked())
    }
}

impl fmt::Display for Aadhaar {
    /// Masked, as [`Aadhaar::masked`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Masks any Aadhaar-like text to `XXXX XXXX 1234`, keeping only its last
/// four digits (all X when it has fewer than four digits).
pub fn mask_aadhaar(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return "XXXX XXXX XXXX".to_string();
    }
    let last: String = digits[digits.len() - 4..].iter().collect();
    format!("XXXX XXXX {last}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Test numbers that pass Verhoeff (computed with the algorithm and
    /// checked against the well-known public test number 2341 2341 2346).
    const VALID: [&str; 5] = [
        "234123412346",
        "2341 2341 2346",
        "999941057058",
        "499118665246",
        "6123-4567-8904",
    ];

    #[test]
    fn verhoeff_known_values() {
        // The textbook example: 236 → check digit 3.
        assert_eq!(verhoeff_check_digit("236"), Some(3));
        assert!(verhoeff_is_valid("2363"));
        assert!(!verhoeff_is_valid("2364"));
        assert_eq!(verhoeff_check_digit("12345"), Some(1));
        assert!(verhoeff_is_valid("123451"));
        assert_eq!(verhoeff_check_digit("23412341234"), Some(6));
        assert_eq!(verhoeff_check_digit(""), None);
        assert_eq!(verhoeff_check_digit("12a"), None);
        assert!(!verhoeff_is_valid(""));
        assert!(!verhoeff_is_valid("12a"));
    }

    #[test]
    fn permutation_rows_are_powers_of_the_first() {
        for pair in PERMUTE.windows(2) {
            for (previous, next) in pair[0].iter().zip(pair[1]) {
                assert_eq!(next, PERMUTE[1][usize::from(*previous)]);
            }
        }
    }

    #[test]
    fn accepts_valid_numbers() {
        for input in VALID {
            let a = Aadhaar::parse(input, "kyc_document_number").unwrap();
            assert_eq!(a.expose_digits().len(), 12, "{input}");
        }
    }

    #[test]
    fn refuses_invalid_numbers_with_clear_messages() {
        let cases = [
            ("", "Aadhaar number is required"),
            ("23412341234", "Aadhaar number must have 12 digits"),
            ("2341234123466", "Aadhaar number must have 12 digits"),
            ("23412341234A", "Aadhaar number must have 12 digits"),
            ("134123412346", "Aadhaar number cannot start with 0 or 1"),
            ("034123412346", "Aadhaar number cannot start with 0 or 1"),
            (
                "234123412345",
                "This is not a valid Aadhaar number: please check the digits again",
            ),
            (
                "324123412346",
                "This is not a valid Aadhaar number: please check the digits again",
            ),
        ];
        for (input, message) in cases {
            assert_eq!(
                Aadhaar::parse(input, "kyc_document_number"),
                Err(DomainError::invalid("kyc_document_number", message)),
                "{input}"
            );
        }
    }

    #[test]
    fn never_shows_more_than_last_four() {
        let a = Aadhaar::parse("2341 2341 2346", "f").unwrap();
        assert_eq!(a.masked(), "XXXX XXXX 2346");
        assert_eq!(a.to_string(), "XXXX XXXX 2346");
        assert_eq!(format!("{a:?}"), "Aadhaar(XXXX XXXX 2346)");
        assert_eq!(a.last_four(), "2346");
        assert_eq!(mask_aadhaar("2341 2341 1234"), "XXXX XXXX 1234");
        assert_eq!(mask_aadhaar("234123411234"), "XXXX XXXX 1234");
        assert_eq!(mask_aadhaar("12"), "XXXX XXXX XXXX");
    }

    proptest! {
        #[test]
        fn appended_check_digit_validates(body in "[2-9][0-9]{10}") {
            let check = verhoeff_check_digit(&body).unwrap();
            let number = format!("{body}{check}");
            prop_assert!(Aadhaar::parse(&number, "f").is_ok());
            // Verhoeff catches every single-digit error.
            for wrong in (0..10u8).filter(|d| *d != check) {
                let mistyped = format!("{body}{wrong}");
                prop_assert!(!verhoeff_is_valid(&mistyped));
            }
        }

        #[test]
        fn catches_adjacent_transpositions(body in "[2-9][0-9]{10}", i in 0usize..11) {
            let check = verhoeff_check_digit(&body).unwrap();
            let mut number: Vec<u8> = format!("{body}{check}").into_bytes();
            prop_assume!(number[i] != number[i + 1]);
            number.swap(i, i + 1);
            let swapped = String::from_utf8(number).unwrap();
            prop_assert!(!verhoeff_is_valid(&swapped));
        }
    }
}
