//! KYC papers of a tenant: which identity document, its number checked by
//! the rules of that document, shown masked; and police verification.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::aadhaar::Aadhaar;
use crate::error::{DomainError, DomainResult};
use crate::pan::Pan;

/// The identity documents front desks accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KycDocumentType {
    /// Aadhaar card (12 digits, Verhoeff check digit).
    Aadhaar,
    /// PAN card (AAAAA9999A).
    Pan,
    /// Indian passport (A1234567).
    Passport,
    /// Voter ID / EPIC card (ABC1234567).
    VoterId,
    /// Driving licence (state code first, e.g. MH14 20110062821).
    DrivingLicence,
}

impl KycDocumentType {
    /// Every type, in the order a form lists them.
    pub const ALL: [KycDocumentType; 5] = [
        KycDocumentType::Aadhaar,
        KycDocumentType::Pan,
        KycDocumentType::Passport,
        KycDocumentType::VoterId,
        KycDocumentType::DrivingLicence,
    ];

    /// Parses the form's value (`aadhaar`, `pan`, `passport`, `voter_id`,
    /// `driving_licence`; labels and common spellings too). Errors name
    /// `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<KycDocumentType> {
        let key: String = input
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Ok(match key.as_str() {
            "aadhaar" | "aadhar" | "aadhaarcard" | "aadharcard" => KycDocumentType::Aadhaar,
            "pan" | "pancard" => KycDocumentType::Pan,
            "passport" => KycDocumentType::Passport,
            "voterid" | "epic" | "voteridcard" | "electioncard" => KycDocumentType::VoterId,
            "drivinglicence" | "drivinglicense" | "dl" => KycDocumentType::DrivingLicence,
            _ => {
                return Err(DomainError::invalid(
                    field,
                    "Choose the ID document: Aadhaar, PAN, passport, voter ID or driving licence",
                ))
            }
        })
    }

    /// The value forms send and stores keep: `voter_id`.
    pub fn code(self) -> &'static str {
        match self {
            KycDocumentType::Aadhaar => "aadhaar",
            KycDocumentType::Pan => "pan",
            KycDocumentType::Passport => "passport",
            KycDocumentType::VoterId => "voter_id",
            KycDocumentType::DrivingLicence => "driving_licence",
        }
    }

    /// What a person calls it: `Voter ID`.
    pub fn label(self) -> &'static str {
        match self {
            KycDocumentType::Aadhaar => "Aadhaar",
            KycDocumentType::Pan => "PAN",
            KycDocumentType::Passport => "Passport",
            KycDocumentType::VoterId => "Voter ID",
            KycDocumentType::DrivingLicence => "Driving licence",
        }
    }
}

/// An identity document with a number valid for its type. `Debug` and
/// `Display` show the number masked; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KycDocument {
    document_type: KycDocumentType,
    number: String,
}

impl KycDocument {
    /// Checks `number` by the rules of `document_type` and normalises it
    /// (upper case, no spaces). Errors name `field`.
    pub fn parse(
        document_type: KycDocumentType,
        number: &str,
        field: &str,
    ) -> DomainResult<KycDocument> {
        let number = match document_type {
            KycDocumentType::Aadhaar => Aadhaar::parse(number, field)?.expose_digits().to_string(),
            KycDocumentType::Pan => Pan::parse(number, field)?.as_str().to_string(),
            KycDocumentType::Passport => passport_number(number, field)?,
            KycDocumentType::VoterId => voter_id_number(number, field)?,
            KycDocumentType::DrivingLicence => driving_licence_number(number, field)?,
        };
        Ok(KycDocument {
            document_type,
            number,
        })
    }

    /// Which document it is.
    pub fn document_type(&self) -> KycDocumentType {
        self.document_type
    }

    /// The number for screens: Aadhaar as `XXXX XXXX 1234`, others with all
    /// but the last four characters as X.
    pub fn masked_number(&self) -> String {
        if self.document_type == KycDocumentType::Aadhaar {
            return crate::aadhaar::mask_aadhaar(&self.number);
        }
        let count = self.number.chars().count();
        self.number
            .chars()
            .enumerate()
            .map(|(i, c)| if i + 4 < count { 'X' } else { c })
            .collect()
    }

    /// The full number, only to encrypt for storage. Never display or log it.
    pub fn expose_number(&self) -> &str {
        &self.number
    }
}

impl fmt::Debug for KycDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KycDocument({:?}, {})",
            self.document_type,
            self.masked_number()
        )
    }
}

impl fmt::Display for KycDocument {
    /// `Aadhaar XXXX XXXX 1234`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.document_type.label(), self.masked_number())
    }
}

/// Upper case without spaces, hyphens or slashes.
fn compact_upper(input: &str) -> String {
    input
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '/')))
        .collect::<String>()
        .to_ascii_uppercase()
}

fn required(number: &str, field: &str, label: &str) -> DomainResult<()> {
    if number.is_empty() {
        return Err(DomainError::invalid(field, format!("{label} is required")));
    }
    Ok(())
}

/// Indian passport: one letter then seven digits, `A1234567`.
fn passport_number(input: &str, field: &str) -> DomainResult<String> {
    let n = compact_upper(input);
    required(&n, field, "Passport number")?;
    let b = n.as_bytes();
    if b.len() != 8 || !b[0].is_ascii_uppercase() || !b[1..].iter().all(u8::is_ascii_digit) {
        return Err(DomainError::invalid(
            field,
            "Passport number must be 1 letter and 7 digits, like A1234567",
        ));
    }
    Ok(n)
}

/// Voter ID (EPIC): three letters then seven digits, `ABC1234567`.
fn voter_id_number(input: &str, field: &str) -> DomainResult<String> {
    let n = compact_upper(input);
    required(&n, field, "Voter ID number")?;
    let b = n.as_bytes();
    if b.len() != 10
        || !b[..3].iter().all(u8::is_ascii_uppercase)
        || !b[3..].iter().all(u8::is_ascii_digit)
    {
        return Err(DomainError::invalid(
            field,
            "Voter ID number must be 3 letters and 7 digits, like ABC1234567",
        ));
    }
    Ok(n)
}

/// Driving licence, pragmatically: the 2-letter state code, then 8 to 16
/// letters and digits with at least 6 digits (formats differ by state and
/// year: `MH1420110062821`, `KA0119980001234`, `DL0420110149646`).
fn driving_licence_number(input: &str, field: &str) -> DomainResult<String> {
    let n = compact_upper(input);
    required(&n, field, "Driving licence number")?;
    let b = n.as_bytes();
    let ok = (10..=18).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_alphanumeric)
        && b.iter().filter(|c| c.is_ascii_digit()).count() >= 6;
    if !ok {
        return Err(DomainError::invalid(
            field,
            "Driving licence number must start with the 2-letter state code, like MH14 20110062821",
        ));
    }
    Ok(n)
}

/// Where the tenant's police verification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoliceVerificationStatus {
    /// Not yet sent to the police.
    #[default]
    Pending,
    /// Form submitted to the police station.
    Submitted,
    /// Police have verified the tenant.
    Verified,
    /// Police have refused the verification.
    Rejected,
}

impl PoliceVerificationStatus {
    /// Parses `pending`, `submitted`, `verified` or `rejected` (any case).
    /// Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<PoliceVerificationStatus> {
        Ok(match input.trim().to_lowercase().as_str() {
            "pending" => PoliceVerificationStatus::Pending,
            "submitted" => PoliceVerificationStatus::Submitted,
            "verified" => PoliceVerificationStatus::Verified,
            "rejected" => PoliceVerificationStatus::Rejected,
            _ => {
                return Err(DomainError::invalid(
                    field,
                    "Police verification must be pending, submitted, verified or rejected",
                ))
            }
        })
    }

    /// The value forms send and stores keep: `submitted`.
    pub fn code(self) -> &'static str {
        match self {
            PoliceVerificationStatus::Pending => "pending",
            PoliceVerificationStatus::Submitted => "submitted",
            PoliceVerificationStatus::Verified => "verified",
            PoliceVerificationStatus::Rejected => "rejected",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(t: KycDocumentType, n: &str) -> DomainResult<KycDocument> {
        KycDocument::parse(t, n, "kyc_document_number")
    }

    fn message(r: DomainResult<KycDocument>) -> String {
        match r {
            Err(DomainError::Invalid { field, message }) => {
                assert_eq!(field, "kyc_document_number");
                message
            }
            other => panic!("expected an invalid field, got {other:?}"),
        }
    }

    #[test]
    fn parses_document_types() {
        for (input, t) in [
            ("aadhaar", KycDocumentType::Aadhaar),
            ("Aadhar Card", KycDocumentType::Aadhaar),
            ("PAN", KycDocumentType::Pan),
            ("passport", KycDocumentType::Passport),
            ("voter_id", KycDocumentType::VoterId),
            ("Voter ID", KycDocumentType::VoterId),
            ("driving_licence", KycDocumentType::DrivingLicence),
            ("Driving License", KycDocumentType::DrivingLicence),
        ] {
            assert_eq!(
                KycDocumentType::parse(input, "kyc_document_type"),
                Ok(t),
                "{input}"
            );
        }
        for t in KycDocumentType::ALL {
            assert_eq!(KycDocumentType::parse(t.code(), "f"), Ok(t));
            assert_eq!(KycDocumentType::parse(t.label(), "f"), Ok(t));
        }
        assert!(KycDocumentType::parse("ration card", "kyc_document_type").is_err());
    }

    #[test]
    fn numbers_valid_per_type() {
        let cases = [
            (
                KycDocumentType::Aadhaar,
                "2341 2341 2346",
                "234123412346",
                "XXXX XXXX 2346",
            ),
            (
                KycDocumentType::Pan,
                "abcpe1234f",
                "ABCPE1234F",
                "XXXXXX234F",
            ),
            (
                KycDocumentType::Passport,
                "a1234567",
                "A1234567",
                "XXXX4567",
            ),
            (
                KycDocumentType::Passport,
                "J 8369854",
                "J8369854",
                "XXXX9854",
            ),
            (
                KycDocumentType::VoterId,
                "abc1234567",
                "ABC1234567",
                "XXXXXX4567",
            ),
            (
                KycDocumentType::DrivingLicence,
                "MH14 20110062821",
                "MH1420110062821",
                "XXXXXXXXXXX2821",
            ),
            (
                KycDocumentType::DrivingLicence,
                "DL-0420110149646",
                "DL0420110149646",
                "XXXXXXXXXXX9646",
            ),
            (
                KycDocumentType::DrivingLicence,
                "KA-01/2345/2005",
                "KA0123452005",
                "XXXXXXXX2005",
            ),
        ];
        for (t, input, stored, masked) in cases {
            let d = doc(t, input).unwrap();
            assert_eq!(d.expose_number(), stored);
            assert_eq!(d.masked_number(), masked);
            assert_eq!(d.document_type(), t);
        }
    }

    #[test]
    fn numbers_invalid_per_type() {
        let cases = [
            (
                KycDocumentType::Aadhaar,
                "234123412345",
                "This is not a valid Aadhaar number",
            ),
            (
                KycDocumentType::Pan,
                "ABCDE1234F",
                "The 4th letter of a PAN",
            ),
            (
                KycDocumentType::Passport,
                "A123456",
                "Passport number must be 1 letter and 7 digits",
            ),
            (
                KycDocumentType::Passport,
                "12345678",
                "Passport number must be",
            ),
            (
                KycDocumentType::Passport,
                "AB123456",
                "Passport number must be",
            ),
            (KycDocumentType::Passport, "", "Passport number is required"),
            (
                KycDocumentType::VoterId,
                "AB12345678",
                "Voter ID number must be 3 letters and 7 digits",
            ),
            (
                KycDocumentType::VoterId,
                "ABC123456",
                "Voter ID number must be",
            ),
            (
                KycDocumentType::DrivingLicence,
                "1420110062821",
                "Driving licence number must start",
            ),
            (
                KycDocumentType::DrivingLicence,
                "MH14",
                "Driving licence number must start",
            ),
            (
                KycDocumentType::DrivingLicence,
                "MHABCDEFGHIJ",
                "Driving licence number must start",
            ),
            (
                KycDocumentType::DrivingLicence,
                "MH14201100628211234",
                "Driving licence number must start",
            ),
        ];
        for (t, input, start) in cases {
            let m = message(doc(t, input));
            assert!(m.starts_with(start), "{input}: {m}");
        }
    }

    #[test]
    fn debug_and_display_are_masked() {
        let d = doc(KycDocumentType::Aadhaar, "234123412346").unwrap();
        assert_eq!(format!("{d:?}"), "KycDocument(Aadhaar, XXXX XXXX 2346)");
        assert_eq!(d.to_string(), "Aadhaar XXXX XXXX 2346");
    }

    #[test]
    fn police_verification_status() {
        assert_eq!(
            PoliceVerificationStatus::parse(" Verified ", "f"),
            Ok(PoliceVerificationStatus::Verified)
        );
        for s in ["pending", "submitted", "verified", "rejected"] {
            assert_eq!(PoliceVerificationStatus::parse(s, "f").unwrap().code(), s);
        }
        assert!(PoliceVerificationStatus::parse("done", "f").is_err());
        assert_eq!(
            PoliceVerificationStatus::default(),
            PoliceVerificationStatus::Pending
        );
    }
}
