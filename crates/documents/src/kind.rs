//! What a document is: the kinds the desk files papers under.

use std::fmt;

/// The kind of a tenant's document. `code()` is what the database stores and
/// never changes; `label()` is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    RentalAgreement,
    Aadhaar,
    Pan,
    Passport,
    Photo,
    PoliceVerification,
    Other,
}

impl DocumentKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::RentalAgreement,
        DocumentKind::Aadhaar,
        DocumentKind::Pan,
        DocumentKind::Passport,
        DocumentKind::Photo,
        DocumentKind::PoliceVerification,
        DocumentKind::Other,
    ];

    /// The stable snake_case code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::RentalAgreement => "rental_agreement",
            DocumentKind::Aadhaar => "aadhaar",
            DocumentKind::Pan => "pan",
            DocumentKind::Passport => "passport",
            DocumentKind::Photo => "photo",
            DocumentKind::PoliceVerification => "police_verification",
            DocumentKind::Other => "other",
        }
    }

    /// The kind with this code, if any.
    pub fn parse(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The name people read, e.g. "Rental agreement".
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::RentalAgreement => "Rental agreement",
            DocumentKind::Aadhaar => "Aadhaar card",
            DocumentKind::Pan => "PAN card",
            DocumentKind::Passport => "Passport",
            DocumentKind::Photo => "Photo",
            DocumentKind::PoliceVerification => "Police verification",
            DocumentKind::Other => "Other document",
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_its_kind() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(DocumentKind::parse("Aadhaar"), None);
        assert_eq!(DocumentKind::parse(""), None);
        assert_eq!(DocumentKind::RentalAgreement.label(), "Rental agreement");
    }
}
