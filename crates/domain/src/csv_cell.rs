//! CSV cells that a spreadsheet cannot run.
//!
//! Excel and LibreOffice treat a cell that starts with `=`, `+`, `-` or
//! `@` as a formula, and a leading tab or carriage return can hide one; a
//! tenant's name like `=HYPERLINK("http://x","Click")` would then run on
//! the owner's machine when the export is opened (CSV injection, CWE-1236).
//! Every cell of free text is therefore written with a leading apostrophe
//! when it starts with one of those characters (or their full-width forms,
//! which some spreadsheet locales also read as formulas), so it shows as the
//! text typed. Numbers we format ourselves (amounts, dates) are not text
//! and go through [`number_cell`] unchanged, so `-1234.00` stays a number.

use std::borrow::Cow;

use crate::money::Paise;

/// Characters that make a spreadsheet read a cell as a formula when first.
const TRIGGERS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// True when a spreadsheet could run `cell` as a formula.
pub fn is_dangerous(cell: &str) -> bool {
    cell.starts_with(TRIGGERS)
}

/// [`is_dangerous`] for a cell given as UTF-8 bytes, as a database hands
/// them over.
#[inline]
pub fn is_dangerous_utf8(cell: &[u8]) -> bool {
    let first = match cell.first() {
        None => return false,
        Some(&b) if b.is_ascii() => char::from(b),
        // The first character, from at most its four bytes.
        Some(_) => match cell[..cell.len().min(4)]
            .utf8_chunks()
            .next()
            .and_then(|chunk| chunk.valid().chars().next())
        {
            Some(c) => c,
            None => return false,
        },
    };
    TRIGGERS.contains(&first)
}

/// A text cell, neutralised: a leading apostrophe when it would otherwise
/// start a formula, the text unchanged otherwise.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_dangerous(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// An amount as a CSV number cell: plain decimal rupees (`-1234.50`),
/// never neutralised, so spreadsheets can add it up.
pub fn number_cell(amount: Paise) -> String {
    amount.to_decimal_rupees()
}

/// One field of a CSV line (RFC 4180), neutralised and quoted when it holds
/// a comma, quote, CR or LF, with quotes doubled. For writers that do not
/// quote by themselves.
pub fn text_field(cell: &str) -> String {
    let safe = neutralise(cell);
    if safe.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn neutralisation_table() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("=1+1", "'=1+1"),
            ("+91 98450 12345", "'+91 98450 12345"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=cmd", "'\t=cmd"),
            ("\r=cmd", "'\r=cmd"),
            ("＝HYPERLINK(\"http://x\")", "'＝HYPERLINK(\"http://x\")"),
            ("R. Sharma", "R. Sharma"),
            ("a=b", "a=b"),
            (" =not first", " =not first"),
            ("", ""),
            ("'quoted", "'quoted"),
        ];
        for (input, output) in cases {
            assert_eq!(neutralise(input), output, "{input:?}");
        }
        assert!(matches!(neutralise("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn hyperlink_comes_out_harmless() {
        let field = text_field("=HYPERLINK(\"http://x\")");
        assert_eq!(field, "\"'=HYPERLINK(\"\"http://x\"\")\"");
        // Read back the way a spreadsheet parses the field: the cell text
        // starts with an apostrophe, so it is text, not a formula.
        let inner = field.trim_matches('"').replace("\"\"", "\"");
        assert!(inner.starts_with('\''));
        assert_eq!(text_field("Sai, Comforts"), "\"Sai, Comforts\"");
        assert_eq!(text_field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(text_field("plain"), "plain");
    }

    #[test]
    fn numbers_stay_numbers() {
        assert_eq!(number_cell(Paise(-123_450)), "-1234.50");
        assert_eq!(number_cell(Paise(5)), "0.05");
    }

    proptest! {
        #[test]
        fn no_neutralised_cell_starts_a_formula(s in "\\PC{0,20}", first in prop::sample::select(vec!['=', '+', '-', '@', '\t', '\r', 'a', ' ', '1'])) {
            let cell = format!("{first}{s}");
            let safe = neutralise(&cell);
            prop_assert!(!is_dangerous(&safe));
            prop_assert_eq!(is_dangerous_utf8(cell.as_bytes()), is_dangerous(&cell));
            // Only a leading apostrophe is ever added.
            let quoted = format!("'{cell}");
            prop_assert!(safe == cell || *safe == quoted);
        }
    }
}
