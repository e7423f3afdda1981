//! Tenants: who they are, how to reach them and their family, what they do,
//! and their KYC and police verification.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::{format_date, parse_optional_date};
use crate::email::Email;
use crate::error::{DomainError, DomainResult};
use crate::kyc::{KycDocument, KycDocumentType, PoliceVerificationStatus};
use crate::phone::Mobile;
use crate::text::{non_blank, optional_text, required_text};

/// Oldest age a date of birth may give.
pub const MAX_AGE_YEARS: i32 = 120;

/// What a tenant does for a living.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occupation {
    /// Studies at a college or institute.
    Student,
    /// Works for an employer.
    Salaried,
    /// Runs a business or practice.
    SelfEmployed,
    /// Anything else.
    Other,
}

impl Occupation {
    /// The value forms send and stores keep: `self_employed`.
    pub fn code(self) -> &'static str {
        match self {
            Occupation::Student => "student",
            Occupation::Salaried => "salaried",
            Occupation::SelfEmployed => "self_employed",
            Occupation::Other => "other",
        }
    }

    /// Parses `student`, `salaried` (also `working`, `working_professional`),
    /// `self_employed` (also `business`) or `other`. Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<Occupation> {
        let key: String = input
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Ok(match key.as_str() {
            "student" => Occupation::Student,
            "salaried" | "working" | "workingprofessional" | "employed" => Occupation::Salaried,
            "selfemployed" | "business" => Occupation::SelfEmployed,
            "other" => Occupation::Other,
            _ => {
                return Err(DomainError::invalid(
                    field,
                    "Occupation must be student, salaried, self-employed or other",
                ))
            }
        })
    }
}

/// What the tenant form sends. `Debug` hides the KYC number.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct TenantInput {
    /// Name as on the ID document.
    pub full_name: String,
    /// Indian mobile number.
    pub mobile: String,
    /// Email address; optional.
    pub email: Option<String>,
    /// Date of birth, DD/MM/YYYY; optional.
    pub date_of_birth: Option<String>,
    /// Home address; optional.
    pub permanent_address: Option<String>,
    /// Whom to call in an emergency; optional, but needs the phone too.
    pub emergency_contact_name: Option<String>,
    /// Their mobile number; optional, but needs the name too.
    pub emergency_contact_phone: Option<String>,
    /// See [`Occupation`]; optional.
    pub occupation: Option<String>,
    /// College or employer name; optional.
    pub college_or_employer: Option<String>,
    /// See [`KycDocumentType`]; optional, but needs the number too.
    pub kyc_document_type: Option<String>,
    /// The document's number; optional, but needs the type too.
    pub kyc_document_number: Option<String>,
    /// `pending` (default when blank), `submitted`, `verified` or `rejected`.
    pub police_verification_status: Option<String>,
    /// Date of the last step of police verification; required once it is
    /// submitted, verified or rejected.
    pub police_verification_date: Option<String>,
}

impl fmt::Debug for TenantInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantInput")
            .field("full_name", &self.full_name)
            .field("mobile", &self.mobile)
            .field("email", &self.email)
            .field("date_of_birth", &self.date_of_birth)
            .field("permanent_address", &self.permanent_address)
            .field("emergency_contact_name", &self.emergency_contact_name)
            .field("emergency_contact_phone", &self.emergency_contact_phone)
            .field("occupation", &self.occupation)
            .field("college_or_employer", &self.college_or_employer)
            .field("kyc_document_type", &self.kyc_document_type)
            .field(
                "kyc_document_number",
                &self.kyc_document_number.as_ref().map(|_| "[hidden]"),
            )
            .field(
                "police_verification_status",
                &self.police_verification_status,
            )
            .field("police_verification_date", &self.police_verification_date)
            .finish()
    }
}

/// Someone to call in an emergency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmergencyContact {
    /// Their name.
    pub name: String,
    /// Their mobile.
    pub phone: Mobile,
}

/// Police verification: where it stands and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PoliceVerification {
    /// Pending, submitted, verified or rejected.
    pub status: PoliceVerificationStatus,
    /// Date of the last step; `None` only while pending.
    pub date: Option<NaiveDate>,
}

/// A checked tenant. No `Serialize`: the KYC number must be encrypted or
/// masked on its way out, never copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantDetails {
    /// Name, spaces folded.
    pub full_name: String,
    /// Mobile.
    pub mobile: Mobile,
    /// Email.
    pub email: Option<Email>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Home address.
    pub permanent_address: Option<String>,
    /// Emergency contact.
    pub emergency_contact: Option<EmergencyContact>,
    /// Occupation.
    pub occupation: Option<Occupation>,
    /// College or employer.
    pub college_or_employer: Option<String>,
    /// Identity document.
    pub kyc: Option<KycDocument>,
    /// Police verification.
    pub police_verification: PoliceVerification,
}

impl TenantInput {
    /// Checks the form and returns the tenant, or the first error by field.
    /// `today` bounds the dates (no birth or verification in the future).
    pub fn validate(&self, today: NaiveDate) -> DomainResult<TenantDetails> {
        let full_name = required_text(&self.full_name, "full_name", "Full name", 100)?;
        if full_name.chars().any(|c| c.is_ascii_digit()) {
            return Err(DomainError::invalid(
                "full_name",
                "Full name must not contain digits",
            ));
        }
        if !full_name.chars().any(char::is_alphabetic) {
            return Err(DomainError::invalid(
                "full_name",
                "Full name must contain letters",
            ));
        }
        let mobile = Mobile::parse(&self.mobile, "mobile")?;
        let email = non_blank(self.email.as_deref())
            .map(|raw| Email::parse(raw, "email"))
            .transpose()?;
        let date_of_birth = parse_optional_date(
            self.date_of_birth.as_deref(),
            "date_of_birth",
            "Date of birth",
        )?;
        if let Some(born) = date_of_birth {
            if born > today {
                return Err(DomainError::invalid(
                    "date_of_birth",
                    "Date of birth cannot be in the future",
                ));
            }
            if today.year() - born.year() > MAX_AGE_YEARS {
                return Err(DomainError::invalid(
                    "date_of_birth",
                    format!(
                        "Date of birth {} is more than {MAX_AGE_YEARS} years ago",
                        format_date(born)
                    ),
                ));
            }
        }
        let permanent_address = optional_text(
            self.permanent_address.as_deref(),
            "permanent_address",
            "Permanent address",
            300,
        )?;
        let emergency_contact = self.emergency_contact(&mobile)?;
        let occupation = non_blank(self.occupation.as_deref())
            .map(|raw| Occupation::parse(raw, "occupation"))
            .transpose()?;
        let college_or_employer = optional_text(
            self.college_or_employer.as_deref(),
            "college_or_employer",
            "College or employer",
            120,
        )?;
        let kyc = self.kyc()?;
        let police_verification = self.police_verification(today)?;
        Ok(TenantDetails {
            full_name,
            mobile,
            email,
            date_of_birth,
            permanent_address,
            emergency_contact,
            occupation,
            college_or_employer,
            kyc,
            police_verification,
        })
    }

    fn emergency_contact(&self, own: &Mobile) -> DomainResult<Option<EmergencyContact>> {
        let name = optional_text(
            self.emergency_contact_name.as_deref(),
            "emergency_contact_name",
            "Emergency contact name",
            100,
        )?;
        let phone = non_blank(self.emergency_contact_phone.as_deref());
        match (name, phone) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(DomainError::invalid(
                "emergency_contact_phone",
                "Enter the emergency contact's mobile number too",
            )),
            (None, Some(_)) => Err(DomainError::invalid(
                "emergency_contact_name",
                "Enter the emergency contact's name too",
            )),
            (Some(name), Some(raw)) => {
                let phone = Mobile::parse(raw, "emergency_contact_phone")?;
                if &phone == own {
                    return Err(DomainError::invalid(
                        "emergency_contact_phone",
                        "Emergency contact must be someone else: this is the tenant's own mobile number",
                    ));
                }
                Ok(Some(EmergencyContact { name, phone }))
            }
        }
    }

    fn kyc(&self) -> DomainResult<Option<KycDocument>> {
        let kind = non_blank(self.kyc_document_type.as_deref());
        let number = non_blank(self.kyc_document_number.as_deref());
        match (kind, number) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(DomainError::invalid(
                "kyc_document_type",
                "Choose which ID document this number is from",
            )),
            (Some(kind), None) => {
                let kind = KycDocumentType::parse(kind, "kyc_document_type")?;
                Err(DomainError::invalid(
                    "kyc_document_number",
                    format!("Enter the {} number", kind.label()),
                ))
            }
            (Some(kind), Some(number)) => {
                let kind = KycDocumentType::parse(kind, "kyc_document_type")?;
                KycDocument::parse(kind, number, "kyc_document_number").map(Some)
            }
        }
    }

    fn police_verification(&self, today: NaiveDate) -> DomainResult<PoliceVerification> {
        let status = match non_blank(self.police_verification_status.as_deref()) {
            None => PoliceVerificationStatus::Pending,
            Some(raw) => PoliceVerificationStatus::parse(raw, "police_verification_status")?,
        };
        let date = parse_optional_date(
            self.police_verification_date.as_deref(),
            "police_verification_date",
            "Police verification date",
        )?;
        match (status, date) {
            (PoliceVerificationStatus::Pending, Some(_)) => Err(DomainError::invalid(
                "police_verification_date",
                "Leave the police verification date empty while verification is pending",
            )),
            (PoliceVerificationStatus::Pending, None) => Ok(PoliceVerification { status, date }),
            (_, None) => Err(DomainError::invalid(
                "police_verification_date",
                format!("Enter the date police verification was {}", status.code()),
            )),
            (_, Some(day)) if day > today => Err(DomainError::invalid(
                "police_verification_date",
                "Police verification date cannot be in the future",
            )),
            (_, Some(_)) => Ok(PoliceVerification { status, date }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn today() -> NaiveDate {
        d("15/06/2026")
    }

    fn input() -> TenantInput {
        TenantInput {
            full_name: " Rahul  Sharma ".into(),
            mobile: "+91 98765 43210".into(),
            email: Some("rahul.sharma@gmail.com".into()),
            date_of_birth: Some("14/02/2001".into()),
            permanent_address: Some("45, MG Road, Jaipur, Rajasthan 302001".into()),
            emergency_contact_name: Some("Sunita Sharma".into()),
            emergency_contact_phone: Some("98290 12345".into()),
            occupation: Some("student".into()),
            college_or_employer: Some("Christ University".into()),
            kyc_document_type: Some("aadhaar".into()),
            kyc_document_number: Some("2341 2341 2346".into()),
            police_verification_status: Some("submitted".into()),
            police_verification_date: Some("10/06/2026".into()),
        }
    }

    fn error_of(input: TenantInput) -> (String, String) {
        match input.validate(today()) {
            Err(DomainError::Invalid { field, message }) => (field, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn valid_tenant() {
        let t = input().validate(today()).unwrap();
        assert_eq!(t.full_name, "Rahul Sharma");
        assert_eq!(t.mobile.as_str(), "+919876543210");
        assert_eq!(t.email.unwrap().as_str(), "rahul.sharma@gmail.com");
        assert_eq!(t.date_of_birth, Some(d("14/02/2001")));
        let contact = t.emergency_contact.unwrap();
        assert_eq!(contact.name, "Sunita Sharma");
        assert_eq!(contact.phone.as_str(), "+919829012345");
        assert_eq!(t.occupation, Some(Occupation::Student));
        let kyc = t.kyc.unwrap();
        assert_eq!(kyc.document_type(), KycDocumentType::Aadhaar);
        assert_eq!(kyc.masked_number(), "XXXX XXXX 2346");
        assert_eq!(
            t.police_verification.status,
            PoliceVerificationStatus::Submitted
        );
        assert_eq!(t.police_verification.date, Some(d("10/06/2026")));
    }

    #[test]
    fn only_name_and_mobile_are_required() {
        let t = TenantInput {
            full_name: "R. Sharma".into(),
            mobile: "9876543210".into(),
            ..TenantInput::default()
        }
        .validate(today())
        .unwrap();
        assert_eq!(t.email, None);
        assert_eq!(t.kyc, None);
        assert_eq!(t.emergency_contact, None);
        assert_eq!(
            t.police_verification,
            PoliceVerification {
                status: PoliceVerificationStatus::Pending,
                date: None
            }
        );
    }

    #[test]
    fn first_error_names_the_field() {
        let cases: Vec<(TenantInput, &str, &str)> = vec![
            (
                TenantInput {
                    full_name: "".into(),
                    ..input()
                },
                "full_name",
                "Full name is required",
            ),
            (
                TenantInput {
                    full_name: "Rahul 2".into(),
                    ..input()
                },
                "full_name",
                "Full name must not contain digits",
            ),
            (
                TenantInput {
                    full_name: "..".into(),
                    ..input()
                },
                "full_name",
                "Full name must contain letters",
            ),
            (
                TenantInput {
                    mobile: "12345".into(),
                    ..input()
                },
                "mobile",
                "Mobile number must have 10 digits and start with 6, 7, 8 or 9",
            ),
            (
                TenantInput {
                    email: Some("rahul@".into()),
                    ..input()
                },
                "email",
                "Enter an email address",
            ),
            (
                TenantInput {
                    date_of_birth: Some("30/02/2001".into()),
                    ..input()
                },
                "date_of_birth",
                "Date of birth 30/02/2001 does not exist",
            ),
            (
                TenantInput {
                    date_of_birth: Some("16/06/2026".into()),
                    ..input()
                },
                "date_of_birth",
                "Date of birth cannot be in the future",
            ),
            (
                TenantInput {
                    date_of_birth: Some("01/01/1901".into()),
                    ..input()
                },
                "date_of_birth",
                "Date of birth 01/01/1901 is more than 120 years ago",
            ),
            (
                TenantInput {
                    permanent_address: Some("x".repeat(301)),
                    ..input()
                },
                "permanent_address",
                "Permanent address must be at most 300",
            ),
            (
                TenantInput {
                    emergency_contact_phone: None,
                    ..input()
                },
                "emergency_contact_phone",
                "Enter the emergency contact's mobile",
            ),
            (
                TenantInput {
                    emergency_contact_name: Some(" ".into()),
                    ..input()
                },
                "emergency_contact_name",
                "Enter the emergency contact's name",
            ),
            (
                TenantInput {
                    emergency_contact_phone: Some("12".into()),
                    ..input()
                },
                "emergency_contact_phone",
                "Mobile number must have 10 digits",
            ),
            (
                TenantInput {
                    emergency_contact_phone: Some("09876543210".into()),
                    ..input()
                },
                "emergency_contact_phone",
                "Emergency contact must be someone else",
            ),
            (
                TenantInput {
                    occupation: Some("astronaut".into()),
                    ..input()
                },
                "occupation",
                "Occupation must be",
            ),
            (
                TenantInput {
                    kyc_document_type: None,
                    ..input()
                },
                "kyc_document_type",
                "Choose which ID document",
            ),
            (
                TenantInput {
                    kyc_document_type: Some("ration card".into()),
                    ..input()
                },
                "kyc_document_type",
                "Choose the ID document",
            ),
            (
                TenantInput {
                    kyc_document_number: None,
                    ..input()
                },
                "kyc_document_number",
                "Enter the Aadhaar number",
            ),
            (
                TenantInput {
                    kyc_document_number: Some("234123412345".into()),
                    ..input()
                },
                "kyc_document_number",
                "This is not a valid Aadhaar number",
            ),
            (
                TenantInput {
                    kyc_document_type: Some("passport".into()),
                    kyc_document_number: Some("2341 2341 2346".into()),
                    ..input()
                },
                "kyc_document_number",
                "Passport number must be 1 letter and 7 digits",
            ),
            (
                TenantInput {
                    police_verification_status: Some("done".into()),
                    ..input()
                },
                "police_verification_status",
                "Police verification must be",
            ),
            (
                TenantInput {
                    police_verification_date: None,
                    ..input()
                },
                "police_verification_date",
                "Enter the date police verification was submitted",
            ),
            (
                TenantInput {
                    police_verification_date: Some("16/06/2026".into()),
                    ..input()
                },
                "police_verification_date",
                "Police verification date cannot be in the future",
            ),
            (
                TenantInput {
                    police_verification_status: None,
                    ..input()
                },
                "police_verification_date",
                "Leave the police verification date empty",
            ),
            (
                TenantInput {
                    full_name: "".into(),
                    mobile: "".into(),
                    ..input()
                },
                "full_name",
                "Full name",
            ),
        ];
        for (case, field, start) in cases {
            let (f, message) = error_of(case);
            assert_eq!(f, field, "{message}");
            assert!(message.starts_with(start), "{message}");
        }
    }

    #[test]
    fn kyc_by_type() {
        for (kind, number) in [
            ("pan", "abcpe1234f"),
            ("passport", "J8369854"),
            ("voter_id", "ABC1234567"),
            ("driving_licence", "MH14 20110062821"),
        ] {
            let t = TenantInput {
                kyc_document_type: Some(kind.into()),
                kyc_document_number: Some(number.into()),
                ..input()
            }
            .validate(today())
            .unwrap();
            assert_eq!(t.kyc.unwrap().document_type().code(), kind);
        }
    }

    #[test]
    fn debug_never_prints_the_kyc_number() {
        let shown = format!("{:?}", input());
        assert!(!shown.contains("2341"), "{shown}");
        let shown = format!("{:?}", input().validate(today()).unwrap());
        assert!(
            !shown.contains("2341 2341") && !shown.contains("234123412346"),
            "{shown}"
        );
        assert!(shown.contains("XXXX XXXX 2346"));
    }

    #[test]
    fn from_form_json_with_missing_fields() {
        let input: TenantInput =
            serde_json::from_str(r#"{"full_name":"Priya","mobile":"9123456789","email":""}"#)
                .unwrap();
        let t = input.validate(today()).unwrap();
        assert_eq!(t.email, None);
    }
}
