//! Money: whole paise in a newtype, never a float. Parsed from what a person
//! types, shown the Indian way (₹1,23,456.00), written in words in the
//! lakh/crore system for invoices, and as plain decimals for CSV.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};

/// An amount of Indian money in paise (₹1 = 100 paise). Serialized as a
/// plain integer of paise.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Paise(pub i64);

/// Paise in one rupee.
pub const PAISE_PER_RUPEE: i64 = 100;

/// Basis points in one whole (100.00%).
pub const BASIS_POINTS_PER_WHOLE: i64 = 10_000;

const AMOUNT_HINT: &str = "Enter an amount in rupees, like 1,23,456.50";

impl Paise {
    /// Nothing.
    pub const ZERO: Paise = Paise(0);

    /// The amount in whole rupees, `None` if it would not fit.
    pub const fn from_rupees(rupees: i64) -> Option<Paise> {
        match rupees.checked_mul(PAISE_PER_RUPEE) {
            Some(p) => Some(Paise(p)),
            None => None,
        }
    }

    /// The amount as a count of paise.
    pub const fn as_i64(self) -> i64 {
        self.0
    }

    /// True for amounts below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Sum, `None` on overflow.
    pub fn checked_add(self, other: Paise) -> Option<Paise> {
        self.0.checked_add(other.0).map(Paise)
    }

    /// Difference, `None` on overflow.
    pub fn checked_sub(self, other: Paise) -> Option<Paise> {
        self.0.checked_sub(other.0).map(Paise)
    }

    /// The amount with its sign turned, `None` on overflow.
    pub fn checked_neg(self) -> Option<Paise> {
        self.0.checked_neg().map(Paise)
    }

    /// The amount times a whole quantity, `None` on overflow.
    pub fn checked_mul(self, quantity: i64) -> Option<Paise> {
        self.0.checked_mul(quantity).map(Paise)
    }

    /// The given share of the amount in basis points (10,000 = 100%), rounded
    /// to the nearest paisa, halves away from zero. `None` on overflow.
    pub fn checked_mul_basis_points(self, basis_points: i64) -> Option<Paise> {
        let product = i128::from(self.0) * i128::from(basis_points);
        let whole = i128::from(BASIS_POINTS_PER_WHOLE);
        let half = whole / 2;
        let rounded = if product >= 0 {
            (product + half) / whole
        } else {
            (product - half) / whole
        };
        i64::try_from(rounded).ok().map(Paise)
    }

    /// Parses an amount typed by a person: `1,23,456.50`, `123456.5`, `₹ 500`,
    /// `Rs. 500`, `500/-`, `-20`. At most two digits after the point; commas only
    /// between digits. Errors name `field`. Whether a negative or zero
    /// amount makes sense is the caller's rule.
    pub fn from_rupees_str(input: &str, field: &str) -> DomainResult<Paise> {
        let bad = || DomainError::invalid(field, AMOUNT_HINT);
        let trimmed = input.trim();
        let mut s = trimmed.strip_suffix("/-").unwrap_or(trimmed).trim_end();
        if s.is_empty() {
            return Err(DomainError::invalid(
                field,
                format!("Amount is required: {}", AMOUNT_HINT.to_lowercase()),
            ));
        }
        let mut negative = false;
        if let Some(rest) = s.strip_prefix('-') {
            negative = true;
            s = rest.trim_start();
        }
        s = strip_currency(s).trim_start();
        if !negative {
            if let Some(rest) = s.strip_prefix('-') {
                negative = true;
                s = rest.trim_start();
            }
        }
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        if whole.is_empty() && fraction.is_none_or(str::is_empty) {
            return Err(bad());
        }
        if whole.starts_with(',') || whole.ends_with(',') || whole.contains(",,") {
            return Err(bad());
        }
        let mut rupees: i128 = 0;
        for c in whole.chars() {
            match c {
                ',' => {}
                '0'..='9' => {
                    rupees = rupees
                        .checked_mul(10)
                        .and_then(|r| r.checked_add(i128::from(c as u8 - b'0')))
                        .ok_or_else(|| too_large(field))?;
                }
                _ => return Err(bad()),
            }
        }
        let mut paise: i128 = 0;
        if let Some(fraction) = fraction {
            if !fraction.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            if fraction.len() > 2 {
                return Err(DomainError::invalid(
                    field,
                    "Amount can have at most 2 digits after the decimal point (paise)",
                ));
            }
            for (i, c) in fraction.bytes().enumerate() {
                let digit = i128::from(c - b'0');
                paise += if i == 0 { digit * 10 } else { digit };
            }
        }
        let total = rupees
            .checked_mul(i128::from(PAISE_PER_RUPEE))
            .and_then(|p| p.checked_add(paise))
            .ok_or_else(|| too_large(field))?;
        let signed = if negative { -total } else { total };
        i64::try_from(signed)
            .map(Paise)
            .map_err(|_| too_large(field))
    }

    /// Indian display with lakh/crore grouping: `₹1,23,456.00`, `-₹1,234.00`.
    pub fn to_indian_string(self) -> String {
        let (rupees, paise) = self.split_abs();
        let sign = if self.is_negative() { "-" } else { "" };
        format!("{sign}₹{}.{paise:02}", group_indian(rupees))
    }

    /// Plain decimal rupees for CSV and machines: `123456.50`, `-1234.00`.
    pub fn to_decimal_rupees(self) -> String {
        let (rupees, paise) = self.split_abs();
        let sign = if self.is_negative() { "-" } else { "" };
        format!("{sign}{rupees}.{paise:02}")
    }

    /// The amount in words, Indian system, as printed on invoices:
    /// "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and
    /// Fifty Paise Only"; "Rupees Zero Only"; negatives start with "Minus".
    pub fn amount_in_words(self) -> String {
        let (rupees, paise) = self.split_abs();
        let mut out = String::new();
        if self.is_negative() {
            out.push_str("Minus ");
        }
        out.push_str("Rupees ");
        if rupees == 0 {
            out.push_str("Zero");
        } else {
            out.push_str(&number_in_words(rupees));
        }
        if paise > 0 {
            out.push_str(" and ");
            out.push_str(&below_hundred(paise));
            out.push_str(if paise == 1 { " Paisa" } else { " Paise" });
        }
        out.push_str(" Only");
        out
    }

    /// Whole rupees and leftover paise of the absolute value.
    fn split_abs(self) -> (u64, u64) {
        let abs = self.0.unsigned_abs();
        (abs / 100, abs % 100)
    }
}

impl fmt::Display for Paise {
    /// Same as [`Paise::to_indian_string`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_indian_string())
    }
}

fn too_large(field: &str) -> DomainError {
    DomainError::invalid(field, "Amount is too large")
}

/// Removes a leading ₹, Rs, Rs. or INR (any case).
fn strip_currency(s: &str) -> &str {
    if let Some(rest) = s.strip_prefix('₹') {
        return rest;
    }
    for prefix in ["rs.", "rs", "inr"] {
        if s.len() >= prefix.len()
            && s.is_char_boundary(prefix.len())
            && s[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return &s[prefix.len()..];
        }
    }
    s
}

/// Groups digits the Indian way: last three, then twos (12,34,56,789).
pub fn group_indian(n: u64) -> String {
    let digits = n.to_string();
    if digits.len() <= 3 {
        return digits;
    }
    let (head, last_three) = digits.split_at(digits.len() - 3);
    let mut groups = vec![last_three];
    let mut end = head.len();
    while end > 0 {
        let start = end.saturating_sub(2);
        groups.push(&head[start..end]);
        end = start;
    }
    groups.reverse();
    groups.join(",")
}

const ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];

const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

/// One crore (1,00,00,000).
const CRORE: u64 = 10_000_000;
/// One lakh (1,00,000).
const LAKH: u64 = 100_000;
const THOUSAND: u64 = 1_000;

/// 0..=99 in words, tens and units joined by a hyphen ("Fifty-Six").
fn below_hundred(n: u64) -> String {
    let n = (n % 100) as usize;
    if n < 20 {
        ONES[n].to_string()
    } else if n.is_multiple_of(10) {
        TENS[n / 10].to_string()
    } else {
        format!("{}-{}", TENS[n / 10], ONES[n % 10])
    }
}

/// A positive whole number in words in the Indian system. Amounts of a
/// hundred crore and more name the crores in the same system
/// ("One Lakh Crore").
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut rest = n;
    if rest >= CRORE {
        parts.push(format!("{} Crore", number_in_words(rest / CRORE)));
        rest %= CRORE;
    }
    if rest >= LAKH {
        parts.push(format!("{} Lakh", below_hundred(rest / LAKH)));
        rest %= LAKH;
    }
    if rest >= THOUSAND {
        parts.push(format!("{} Thousand", below_hundred(rest / THOUSAND)));
        rest %= THOUSAND;
    }
    if rest >= 100 {
        parts.push(format!("{} Hundred", ONES[(rest / 100) as usize]));
        rest %= 100;
    }
    if rest > 0 {
        parts.push(below_hundred(rest));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> DomainResult<Paise> {
        Paise::from_rupees_str(s, "amount")
    }

    #[test]
    fn parses_what_people_type() {
        let cases = [
            ("1,23,456.50", 12_345_650),
            ("123456.5", 12_345_650),
            ("123,456.50", 12_345_650),
            ("0", 0),
            ("0.05", 5),
            (".5", 50),
            ("12.", 1_200),
            ("₹ 500", 50_000),
            ("₹1,234.00", 123_400),
            ("Rs. 500", 50_000),
            ("rs 500", 50_000),
            ("INR 7", 700),
            ("Rs. 8,500/-", 850_000),
            ("  42  ", 4_200),
            ("-20", -2_000),
            ("-₹1,234.00", -123_400),
            ("₹-5", -500),
            ("12,34,56,789.01", 12_345_678_901),
        ];
        for (input, paise) in cases {
            assert_eq!(parse(input), Ok(Paise(paise)), "{input}");
        }
    }

    #[test]
    fn refuses_malformed_amounts_naming_the_field() {
        for input in [
            "abc", "1.2.3", "/-", ",100", "100,", "1,,000", "1 000", "12a", "--5", ".", "-", "₹",
            "1e5", "½", "12.-5",
        ] {
            let err = Paise::from_rupees_str(input, "monthly_rent").unwrap_err();
            assert!(
                matches!(&err, DomainError::Invalid { field, .. } if field == "monthly_rent"),
                "{input}: {err:?}"
            );
        }
        assert_eq!(
            parse("1.234"),
            Err(DomainError::invalid(
                "amount",
                "Amount can have at most 2 digits after the decimal point (paise)"
            ))
        );
        assert_eq!(
            parse("  "),
            Err(DomainError::invalid(
                "amount",
                "Amount is required: enter an amount in rupees, like 1,23,456.50"
            ))
        );
        assert_eq!(
            parse("99999999999999999999"),
            Err(DomainError::invalid("amount", "Amount is too large"))
        );
        assert!(parse("92233720368547758.07").is_ok());
        assert!(parse("92233720368547758.08").is_err());
        assert_eq!(parse("-92233720368547758.08"), Ok(Paise(i64::MIN)));
    }

    #[test]
    fn indian_display() {
        let cases = [
            (0, "₹0.00"),
            (5, "₹0.05"),
            (99_900, "₹999.00"),
            (123_400, "₹1,234.00"),
            (12_345_650, "₹1,23,456.50"),
            (12_345_678_901, "₹12,34,56,789.01"),
            (100_000_000_000, "₹1,00,00,00,000.00"),
            (-123_400, "-₹1,234.00"),
            (-5, "-₹0.05"),
        ];
        for (paise, shown) in cases {
            assert_eq!(Paise(paise).to_string(), shown);
        }
        assert_eq!(
            Paise(i64::MIN).to_indian_string(),
            "-₹92,23,37,20,36,85,47,758.08"
        );
    }

    #[test]
    fn decimal_rupees_for_csv() {
        assert_eq!(Paise(12_345_650).to_decimal_rupees(), "123456.50");
        assert_eq!(Paise(-123_400).to_decimal_rupees(), "-1234.00");
        assert_eq!(Paise(7).to_decimal_rupees(), "0.07");
        assert_eq!(Paise(-7).to_decimal_rupees(), "-0.07");
    }

    #[test]
    fn words_in_the_indian_system() {
        let cases = [
            (0, "Rupees Zero Only"),
            (100, "Rupees One Only"),
            (1, "Rupees Zero and One Paisa Only"),
            (50, "Rupees Zero and Fifty Paise Only"),
            (1_100, "Rupees Eleven Only"),
            (2_000, "Rupees Twenty Only"),
            (10_000, "Rupees One Hundred Only"),
            (10_100, "Rupees One Hundred One Only"),
            (100_000, "Rupees One Thousand Only"),
            (10_000_000, "Rupees One Lakh Only"),
            (
                12_345_650,
                "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Fifty Paise Only",
            ),
            (
                12_345_678_901,
                "Rupees Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred \
                 Eighty-Nine and One Paisa Only",
            ),
            (1_000_000_000, "Rupees One Crore Only"),
            (100_000_000_000, "Rupees One Hundred Crore Only"),
            (10_000_000_000_000, "Rupees Ten Thousand Crore Only"),
            (100_000_000_000_000, "Rupees One Lakh Crore Only"),
            (
                950_000_099,
                "Rupees Ninety-Five Lakh and Ninety-Nine Paise Only",
            ),
            (
                -123_400,
                "Minus Rupees One Thousand Two Hundred Thirty-Four Only",
            ),
        ];
        for (paise, words) in cases {
            assert_eq!(Paise(paise).amount_in_words(), words, "{paise}");
        }
        // The extremes do not panic.
        assert!(Paise(i64::MIN)
            .amount_in_words()
            .starts_with("Minus Rupees Nine"));
        assert!(Paise(i64::MAX)
            .amount_in_words()
            .ends_with("Seven Paise Only"));
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(Paise(5).checked_add(Paise(7)), Some(Paise(12)));
        assert_eq!(Paise(i64::MAX).checked_add(Paise(1)), None);
        assert_eq!(Paise(5).checked_sub(Paise(7)), Some(Paise(-2)));
        assert_eq!(Paise(i64::MIN).checked_sub(Paise(1)), None);
        assert_eq!(Paise(i64::MIN).checked_neg(), None);
        assert_eq!(Paise(300).checked_mul(3), Some(Paise(900)));
        assert_eq!(Paise(i64::MAX).checked_mul(2), None);
        assert_eq!(Paise::from_rupees(12), Some(Paise(1_200)));
        assert_eq!(Paise::from_rupees(i64::MAX), None);
    }

    #[test]
    fn basis_points_round_half_away_from_zero() {
        // 5% of ₹10,001.00 is ₹500.05.
        assert_eq!(
            Paise(1_000_100).checked_mul_basis_points(500),
            Some(Paise(50_005))
        );
        // 105% of 10 paise is 10.5 paise → 11; and -10.5 → -11.
        assert_eq!(Paise(10).checked_mul_basis_points(10_500), Some(Paise(11)));
        assert_eq!(
            Paise(-10).checked_mul_basis_points(10_500),
            Some(Paise(-11))
        );
        assert_eq!(Paise(i64::MAX).checked_mul_basis_points(20_000), None);
    }

    #[test]
    fn serializes_as_plain_integer() {
        assert_eq!(serde_json::to_string(&Paise(12_345)).unwrap(), "12345");
        assert_eq!(serde_json::from_str::<Paise>("-7").unwrap(), Paise(-7));
    }

    proptest! {
        #[test]
        fn display_and_csv_round_trip(p in any::<i64>()) {
            let paise = Paise(p);
            prop_assert_eq!(parse(&paise.to_string()), Ok(paise));
            prop_assert_eq!(parse(&paise.to_decimal_rupees()), Ok(paise));
        }

        #[test]
        fn grouping_only_adds_commas(n in any::<u64>()) {
            let grouped = group_indian(n);
            prop_assert_eq!(grouped.replace(',', ""), n.to_string());
            let groups: Vec<&str> = grouped.split(',').collect();
            prop_assert!(groups.last().unwrap().len() <= 3);
            if groups.len() > 1 {
                prop_assert_eq!(groups.last().unwrap().len(), 3);
                for g in &groups[1..groups.len() - 1] {
                    prop_assert_eq!(g.len(), 2);
                }
                prop_assert!(groups[0].len() <= 2);
            }
        }

        #[test]
        fn words_never_empty_and_well_formed(p in any::<i64>()) {
            let words = Paise(p).amount_in_words();
            prop_assert!(words.ends_with(" Only"));
            prop_assert!(!words.contains("  "));
            prop_assert!(!words.contains("Zero Crore") && !words.contains("Zero Lakh"));
        }
    }
}
