//! PAN (Permanent Account Number): `AAAAA9999A`, whose 4th letter says what
//! kind of holder it belongs to.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};

/// What kind of taxpayer holds a PAN (its 4th character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanHolderType {
    /// P: an individual person.
    Individual,
    /// C: a company.
    Company,
    /// H: a Hindu Undivided Family.
    HinduUndividedFamily,
    /// F: a firm or LLP.
    Firm,
    /// A: an association of persons.
    AssociationOfPersons,
    /// T: a trust.
    Trust,
    /// B: a body of individuals.
    BodyOfIndividuals,
    /// L: a local authority.
    LocalAuthority,
    /// J: an artificial juridical person.
    ArtificialJuridicalPerson,
    /// G: a government body.
    Government,
}

/// The letters allowed as the 4th character of a PAN, in the order people
/// usually list them.
pub const PAN_HOLDER_CODES: [char; 10] = ['P', 'C', 'H', 'F', 'A', 'T', 'B', 'L', 'J', 'G'];

impl PanHolderType {
    /// The holder type for a 4th-character letter, `None` for other letters.
    pub fn from_code(code: char) -> Option<PanHolderType> {
        use PanHolderType::*;
        Some(match code {
            'P' => Individual,
            'C' => Company,
            'H' => HinduUndividedFamily,
            'F' => Firm,
            'A' => AssociationOfPersons,
            'T' => Trust,
            'B' => BodyOfIndividuals,
            'L' => LocalAuthority,
            'J' => ArtificialJuridicalPerson,
            'G' => Government,
            _ => return None,
        })
    }

    /// The letter that stands for this holder type.
    pub fn code(self) -> char {
        use PanHolderType::*;
        match self {
            Individual => 'P',
            Company => 'C',
            HinduUndividedFamily => 'H',
            Firm => 'F',
            AssociationOfPersons => 'A',
            Trust => 'T',
            BodyOfIndividuals => 'B',
            LocalAuthority => 'L',
            ArtificialJuridicalPerson => 'J',
            Government => 'G',
        }
    }
}

/// Why a 10-character text is not a PAN; shared with the GSTIN check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PanShapeError {
    /// Not 5 letters, 4 digits, 1 letter.
    Pattern,
    /// The 4th letter is not a holder type.
    HolderType,
}

/// Checks the shape of an upper-case PAN.
pub(crate) fn check_pan_shape(pan: &str) -> Result<PanHolderType, PanShapeError> {
    let b = pan.as_bytes();
    let shaped = b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && b[5..9].iter().all(u8::is_ascii_digit)
        && b[9].is_ascii_uppercase();
    if !shaped {
        return Err(PanShapeError::Pattern);
    }
    PanHolderType::from_code(char::from(b[3])).ok_or(PanShapeError::HolderType)
}

const PATTERN_MESSAGE: &str =
    "PAN must be 10 characters like ABCPE1234F: 5 letters, 4 digits, then 1 letter";
const HOLDER_MESSAGE: &str =
    "The 4th letter of a PAN must be one of P, C, H, F, A, T, B, L, J or G (the holder type)";

/// A PAN in upper case (`ABCPE1234F`). Serialized as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pan(String);

impl Pan {
    /// Parses a PAN in any case, ignoring spaces. Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<Pan> {
        let pan: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if pan.is_empty() {
            return Err(DomainError::invalid(field, "PAN is required"));
        }
        match check_pan_shape(&pan) {
            Ok(_) => Ok(Pan(pan)),
            Err(PanShapeError::Pattern) => Err(DomainError::invalid(field, PATTERN_MESSAGE)),
            Err(PanShapeError::HolderType) => Err(DomainError::invalid(field, HOLDER_MESSAGE)),
        }
    }

    /// The PAN: `ABCPE1234F`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Who holds it, from the 4th letter.
    pub fn holder_type(&self) -> PanHolderType {
        PanHolderType::from_code(char::from(self.0.as_bytes()[3]))
            .unwrap_or(PanHolderType::Individual)
    }

    /// Masked for screens that need only a hint: `XXXXX1234F`.
    pub fn masked(&self) -> String {
        format!("XXXXX{}", &self.0[5..])
    }
}

impl fmt::Display for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Pan {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<Pan> {
        Pan::parse(&value, "pan")
    }
}

impl From<Pan> for String {
    fn from(value: Pan) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_pans() {
        let cases = [
            ("ABCPE1234F", PanHolderType::Individual),
            ("abcpe1234f", PanHolderType::Individual),
            ("AAPFU0939F", PanHolderType::Firm),
            ("AAGCB7383J", PanHolderType::Company),
            ("AAAHA1234A", PanHolderType::HinduUndividedFamily),
            ("AAATR0000Z", PanHolderType::Trust),
            ("AAAGX9999X", PanHolderType::Government),
            (" ABCAB 1234 C ", PanHolderType::AssociationOfPersons),
            ("ABCBE1234F", PanHolderType::BodyOfIndividuals),
            ("ABCLE1234F", PanHolderType::LocalAuthority),
            ("ABCJE1234F", PanHolderType::ArtificialJuridicalPerson),
        ];
        for (input, holder) in cases {
            let pan = Pan::parse(input, "pan").unwrap();
            assert_eq!(pan.holder_type(), holder, "{input}");
            assert_eq!(pan.as_str().len(), 10);
        }
        assert_eq!(
            Pan::parse("abcpe1234f", "pan").unwrap().as_str(),
            "ABCPE1234F"
        );
        assert_eq!(
            Pan::parse("ABCPE1234F", "pan").unwrap().masked(),
            "XXXXX1234F"
        );
    }

    #[test]
    fn refuses_invalid_pans() {
        let cases = [
            ("ABCPE1234", PATTERN_MESSAGE),
            ("ABCPE12345", PATTERN_MESSAGE),
            ("ABCP11234F", PATTERN_MESSAGE),
            ("1BCPE1234F", PATTERN_MESSAGE),
            ("ABCPE1234FF", PATTERN_MESSAGE),
            ("ABCPE-1234F", PATTERN_MESSAGE),
            ("ÄBCPE1234F", PATTERN_MESSAGE),
            ("ABCDE1234F", HOLDER_MESSAGE),
            ("ABCXE1234F", HOLDER_MESSAGE),
            ("", "PAN is required"),
        ];
        for (input, message) in cases {
            assert_eq!(
                Pan::parse(input, "landlord_pan"),
                Err(DomainError::invalid("landlord_pan", message)),
                "{input}"
            );
        }
    }

    #[test]
    fn holder_codes_round_trip() {
        for code in PAN_HOLDER_CODES {
            assert_eq!(PanHolderType::from_code(code).unwrap().code(), code);
        }
        assert_eq!(PanHolderType::from_code('Z'), None);
    }
}
