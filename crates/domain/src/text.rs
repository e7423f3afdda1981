//! Free-text form fields: trimming, folding white space, length limits.
//! Crate-internal: each entity module decides which of its fields are text.

use crate::error::{DomainError, DomainResult};

/// Trims and folds inner runs of white space to one space.
pub(crate) fn fold_spaces(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The trimmed value of an optional form field, `None` when absent or blank.
pub(crate) fn non_blank(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// A required text field: folded, not empty, at most `max` characters, no
/// control characters.
pub(crate) fn required_text(
    raw: &str,
    field: &str,
    label: &str,
    max: usize,
) -> DomainResult<String> {
    let text = fold_spaces(raw);
    if text.is_empty() {
        return Err(DomainError::invalid(field, format!("{label} is required")));
    }
    check_text(text, field, label, max)
}

/// An optional text field: `None` when blank, else as [`required_text`].
pub(crate) fn optional_text(
    raw: Option<&str>,
    field: &str,
    label: &str,
    max: usize,
) -> DomainResult<Option<String>> {
    match raw.map(fold_spaces).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => check_text(text, field, label, max).map(Some),
    }
}

fn check_text(text: String, field: &str, label: &str, max: usize) -> DomainResult<String> {
    if text.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("{label} must be at most {max} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            format!("{label} must not contain control characters"),
        ));
    }
    Ok(text)
}

/// A whole number typed into a form, within `min..=max`.
pub(crate) fn whole_number(
    raw: &str,
    field: &str,
    label: &str,
    min: i64,
    max: i64,
) -> DomainResult<i64> {
    let s = raw.trim();
    let out_of_range = || {
        DomainError::invalid(
            field,
            format!("{label} must be a whole number from {min} to {max}"),
        )
    };
    if s.is_empty() {
        return Err(DomainError::invalid(field, format!("{label} is required")));
    }
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(out_of_range());
    }
    let magnitude: i64 = digits.parse().map_err(|_| out_of_range())?;
    let value = if negative { -magnitude } else { magnitude };
    if value < min || value > max {
        return Err(out_of_range());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_requires() {
        assert_eq!(required_text("  a   b ", "f", "F", 10).unwrap(), "a b");
        let err = required_text("   ", "city", "City", 10).unwrap_err();
        assert_eq!(err, DomainError::invalid("city", "City is required"));
        assert!(required_text("abcdef", "f", "F", 5).is_err());
    }

    #[test]
    fn optional_blank_is_none() {
        assert_eq!(optional_text(None, "f", "F", 5).unwrap(), None);
        assert_eq!(optional_text(Some("  "), "f", "F", 5).unwrap(), None);
        assert_eq!(
            optional_text(Some(" x "), "f", "F", 5).unwrap(),
            Some("x".into())
        );
        assert_eq!(non_blank(Some("  ")), None);
        assert_eq!(non_blank(Some(" a ")), Some("a"));
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(whole_number(" 12 ", "f", "F", 0, 20).unwrap(), 12);
        assert_eq!(whole_number("-1", "f", "F", -5, 20).unwrap(), -1);
        for bad in ["", "1.5", "abc", "21", "-6", "99999999999999999999", "-"] {
            assert!(whole_number(bad, "f", "F", -5, 20).is_err(), "{bad}");
        }
    }
}
