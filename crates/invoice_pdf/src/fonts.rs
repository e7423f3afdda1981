//! The embedded fonts (Noto Sans, SIL Open Font License, see
//! `fonts/OFL.txt`) and text measurement with their real glyph advances.
//!
//! The fonts are parsed once per process; each PDF embeds only the glyphs it
//! uses (printpdf subsets them when saving).

use std::sync::LazyLock;

use printpdf::ParsedFont;

use crate::error::RenderError;

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");

static REGULAR: LazyLock<Option<ParsedFont>> =
    LazyLock::new(|| ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new()));
static BOLD: LazyLock<Option<ParsedFont>> =
    LazyLock::new(|| ParsedFont::from_bytes(BOLD_TTF, 0, &mut Vec::new()));

/// Printed for a character the font has no glyph for.
const REPLACEMENT: char = '?';

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    /// Noto Sans Regular.
    Regular,
    /// Noto Sans Bold.
    Bold,
}

/// Both faces, parsed.
#[derive(Clone, Copy)]
pub(crate) struct Fonts {
    regular: &'static ParsedFont,
    bold: &'static ParsedFont,
}

impl Fonts {
    /// The parsed fonts, or an error when the embedded files cannot be read.
    pub(crate) fn load() -> Result<Fonts, RenderError> {
        Ok(Fonts {
            regular: REGULAR
                .as_ref()
                .ok_or(RenderError::Font("NotoSans-Regular.ttf"))?,
            bold: BOLD
                .as_ref()
                .ok_or(RenderError::Font("NotoSans-Bold.ttf"))?,
        })
    }

    /// The parsed font of a face.
    pub(crate) fn parsed(&self, face: Face) -> &'static ParsedFont {
        match face {
            Face::Regular => self.regular,
            Face::Bold => self.bold,
        }
    }

    /// Width in points of `text` set in `face` at `size` points, from the
    /// glyph advances (the PDF places glyphs at exactly these advances).
    pub(crate) fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let font = self.parsed(face);
        let units: u64 = text.chars().map(|c| u64::from(self.advance(font, c))).sum();
        units as f32 * size / units_per_em(font)
    }

    /// Width of one character.
    pub(crate) fn char_width(&self, face: Face, size: f32, c: char) -> f32 {
        let font = self.parsed(face);
        f32::from(self.advance(font, c)) * size / units_per_em(font)
    }

    fn advance(&self, font: &ParsedFont, c: char) -> u16 {
        if let Some(s) = ascii_stand_in(c) {
            if font.lookup_glyph_index(u32::from(c)).is_none() {
                return s.chars().map(|a| glyph_advance(font, a)).sum();
            }
        }
        glyph_advance(font, printable_char(font, c))
    }

    /// `text` with what the font cannot draw replaced: arrows Noto Sans
    /// lacks by ASCII arrows (`1200 → 1320` prints `1200 -> 1320`), control
    /// characters and line breaks by spaces, other characters without a glyph
    /// by `?`.
    pub(crate) fn printable(&self, face: Face, text: &str) -> String {
        let font = self.parsed(face);
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match ascii_stand_in(c) {
                Some(s) if font.lookup_glyph_index(u32::from(c)).is_none() => out.push_str(s),
                _ => out.push(printable_char(font, c)),
            }
        }
        out
    }
}

/// ASCII for symbols people put in descriptions that Noto Sans has no glyph for.
fn ascii_stand_in(c: char) -> Option<&'static str> {
    match c {
        '→' | '⟶' => Some("->"),
        '←' | '⟵' => Some("<-"),
        '⇒' => Some("=>"),
        '↔' => Some("<->"),
        _ => None,
    }
}

fn glyph_advance(font: &ParsedFont, c: char) -> u16 {
    font.lookup_glyph_index(u32::from(c))
        .and_then(|gid| font.get_glyph_width(gid))
        .unwrap_or(0)
}

fn units_per_em(font: &ParsedFont) -> f32 {
    f32::from(font.units_per_em.max(1))
}

fn printable_char(font: &ParsedFont, c: char) -> char {
    if c.is_control() {
        ' '
    } else if font.lookup_glyph_index(u32::from(c)).is_some() {
        c
    } else {
        REPLACEMENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_have_the_rupee_sign_and_diacritics() {
        let fonts = Fonts::load().unwrap();
        for face in [Face::Regular, Face::Bold] {
            for c in ['₹', 'é', 'ñ', 'ü', 'ā', 'A', '0', '×', '–'] {
                assert!(
                    fonts
                        .parsed(face)
                        .lookup_glyph_index(u32::from(c))
                        .is_some(),
                    "{face:?} lacks {c}"
                );
            }
        }
    }

    #[test]
    fn widths_add_up_and_bold_is_wider() {
        let fonts = Fonts::load().unwrap();
        let a = fonts.width(Face::Regular, 10.0, "Rent");
        let b = fonts.width(Face::Regular, 10.0, " for April");
        let ab = fonts.width(Face::Regular, 10.0, "Rent for April");
        assert!((a + b - ab).abs() < 0.001);
        assert!(fonts.width(Face::Bold, 10.0, "Rent") > a);
        assert!((fonts.width(Face::Regular, 20.0, "Rent") - 2.0 * a).abs() < 0.001);
        assert_eq!(fonts.width(Face::Regular, 10.0, ""), 0.0);
    }

    #[test]
    fn unprintable_characters_are_replaced() {
        let fonts = Fonts::load().unwrap();
        assert_eq!(fonts.printable(Face::Regular, "a\tb\nc"), "a b c");
        assert_eq!(fonts.printable(Face::Regular, "\u{10FFFD}"), "?");
        assert_eq!(fonts.printable(Face::Regular, "₹ é"), "₹ é");
        assert_eq!(
            fonts.printable(Face::Regular, "1200 → 1320"),
            "1200 -> 1320"
        );
        let arrow = fonts.width(Face::Regular, 10.0, "1 → 2");
        assert!((arrow - fonts.width(Face::Regular, 10.0, "1 -> 2")).abs() < 0.001);
    }
}
