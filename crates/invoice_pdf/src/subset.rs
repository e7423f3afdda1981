//! Font subsetting: each PDF embeds only the glyphs its text uses (a few
//! kilobytes instead of two 500 KB fonts).

use std::collections::BTreeSet;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::ParsedFont;

use crate::error::RenderError;

/// `font` cut down to the glyphs of `chars` (plus `.notdef`), with a Unicode
/// cmap for them, parsed and ready to embed.
pub(crate) fn subset_font(
    font: &ParsedFont,
    name: &'static str,
    chars: &BTreeSet<char>,
) -> Result<ParsedFont, RenderError> {
    let glyphs: BTreeSet<u16> = chars
        .iter()
        .filter_map(|&c| font.lookup_glyph_index(u32::from(c)))
        .filter(|&gid| gid != 0)
        .collect();
    // .notdef first, then the used glyphs in order, no duplicates: what
    // allsorts requires.
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let bytes = ReadScope::new(&font.original_bytes)
        .read::<FontData<'_>>()
        .map_err(|_| RenderError::Font(name))
        .and_then(|data| data.table_provider(0).map_err(|_| RenderError::Font(name)))
        .and_then(|provider| {
            subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
                .map_err(|_| RenderError::Font(name))
        })?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).ok_or(RenderError::Font(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{Face, Fonts};

    #[test]
    fn subset_keeps_the_used_glyphs_and_their_widths() {
        let fonts = Fonts::load().unwrap();
        let full = fonts.parsed(Face::Regular);
        let chars: BTreeSet<char> = "₹1,23,456.00 Rent é".chars().collect();
        let small = subset_font(full, "regular", &chars).unwrap();
        assert!(small.original_bytes.len() < full.original_bytes.len() / 10);
        for c in chars {
            let old = full.lookup_glyph_index(u32::from(c)).unwrap();
            let new = small.lookup_glyph_index(u32::from(c)).unwrap();
            assert_eq!(full.get_glyph_width(old), small.get_glyph_width(new), "{c}");
        }
        assert_eq!(small.lookup_glyph_index(u32::from('Z')), None);
    }

    #[test]
    fn an_empty_subset_is_fine() {
        let fonts = Fonts::load().unwrap();
        assert!(subset_font(fonts.parsed(Face::Bold), "bold", &BTreeSet::new()).is_ok());
    }
}
