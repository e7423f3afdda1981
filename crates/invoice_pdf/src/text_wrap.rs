//! Breaking text into lines that fit a width, measured with the real font.

use crate::fonts::{Face, Fonts};

/// Splits `text` into lines no wider than `max_width` points: at spaces
/// where it can, inside a word only when the word alone is too wide. Line
/// breaks in `text` are kept. Always returns at least one line.
pub(crate) fn wrap(
    fonts: &Fonts,
    face: Face,
    size: f32,
    text: &str,
    max_width: f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(
            fonts,
            face,
            size,
            paragraph.trim_end(),
            max_width,
            &mut lines,
        );
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn wrap_paragraph(
    fonts: &Fonts,
    face: Face,
    size: f32,
    paragraph: &str,
    max_width: f32,
    lines: &mut Vec<String>,
) {
    let space = fonts.char_width(face, size, ' ');
    let mut line = String::new();
    let mut line_width = 0.0_f32;
    for word in paragraph.split_whitespace() {
        let word_width = fonts.width(face, size, word);
        let needed = if line.is_empty() {
            word_width
        } else {
            line_width + space + word_width
        };
        if needed <= max_width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_width = needed;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if word_width <= max_width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // A word wider than the whole line: break it between characters.
        for c in word.chars() {
            let w = fonts.char_width(face, size, c);
            if !line.is_empty() && line_width + w > max_width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += w;
        }
    }
    lines.push(line);
}

/// `text` cut to fit `max_width`, ending in "…" when cut.
pub(crate) fn truncate(fonts: &Fonts, face: Face, size: f32, text: &str, max_width: f32) -> String {
    if fonts.width(face, size, text) <= max_width {
        return text.to_string();
    }
    let ellipsis = fonts.char_width(face, size, '…');
    let mut out = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let w = fonts.char_width(face, size, c);
        if width + w + ellipsis > max_width {
            break;
        }
        out.push(c);
        width += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    #[test]
    fn short_text_stays_on_one_line() {
        let f = fonts();
        assert_eq!(
            wrap(&f, Face::Regular, 10.0, "Rent for April", 200.0),
            ["Rent for April"]
        );
        assert_eq!(wrap(&f, Face::Regular, 10.0, "", 200.0), [""]);
    }

    #[test]
    fn long_text_breaks_at_spaces_and_every_line_fits() {
        let f = fonts();
        let text = "Electricity readings 1200 → 1320, 120 units × ₹9.00, split 10 of 30 days between three tenants";
        let lines = wrap(&f, Face::Regular, 9.0, text, 150.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(f.width(Face::Regular, 9.0, line) <= 150.0, "{line}");
            assert!(!line.starts_with(' ') && !line.ends_with(' '));
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken() {
        let f = fonts();
        let word = "W".repeat(80);
        let lines = wrap(&f, Face::Bold, 12.0, &word, 100.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(f.width(Face::Bold, 12.0, line) <= 100.0);
        }
        assert_eq!(lines.concat(), word);
        // Even narrower than one character: one character per line, no loop.
        assert_eq!(wrap(&f, Face::Bold, 12.0, "WW", 1.0), ["W", "W"]);
    }

    #[test]
    fn line_breaks_are_kept() {
        let f = fonts();
        assert_eq!(wrap(&f, Face::Regular, 10.0, "a\nb", 200.0), ["a", "b"]);
    }

    #[test]
    fn truncation_fits() {
        let f = fonts();
        let cut = truncate(&f, Face::Regular, 10.0, &"x".repeat(100), 50.0);
        assert!(cut.ends_with('…'));
        assert!(f.width(Face::Regular, 10.0, &cut) <= 50.0);
        assert_eq!(truncate(&f, Face::Regular, 10.0, "ok", 50.0), "ok");
    }
}
