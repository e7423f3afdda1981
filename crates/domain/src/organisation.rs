//! The organisation: one owner's business.

use crate::error::{DomainError, DomainResult};

/// Longest business name we accept; it must fit an invoice header.
pub const MAX_NAME_CHARS: usize = 120;

/// Checks and tidies a business name: surrounding spaces trimmed, inner runs
/// of white space folded to one space.
pub fn validate_name(raw: &str) -> DomainResult<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(DomainError::invalid(
            "name",
            "Business name is required: enter the name your tenants know you by",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::invalid(
            "name",
            format!("Business name must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "name",
            "Business name must not contain control characters",
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_folds_spaces() {
        assert_eq!(
            validate_name("  Sai   Comforts PG ").unwrap(),
            "Sai Comforts PG"
        );
    }

    #[test]
    fn refuses_empty_and_blank() {
        for raw in ["", "   ", "\t\n"] {
            let err = validate_name(raw).unwrap_err();
            assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "name"));
        }
    }

    #[test]
    fn refuses_too_long() {
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert!(validate_name(&long).is_err());
        assert!(validate_name(&"x".repeat(MAX_NAME_CHARS)).is_ok());
    }

    #[test]
    fn keeps_indian_scripts() {
        assert_eq!(validate_name("श्री साई पीजी").unwrap(), "श्री साई पीजी");
    }
}
