//! A drawing surface over printpdf: A4 pages, coordinates in points from
//! the TOP-left corner (y grows down, as a person reads), text in the
//! embedded fonts. Everything the documents draw goes through here.

use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem, WindingOrder, XObjectId,
    XObjectTransform,
};

use crate::error::RenderError;
use crate::fonts::{Face, Fonts};
use crate::subset::subset_font;

/// A4 width in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// Margin on every side.
pub(crate) const MARGIN: f32 = 36.0;
/// Width between the left and right margins.
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// A colour, components 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

/// Body text.
pub(crate) const INK: Rgb = Rgb(0.10, 0.11, 0.13);
/// Labels and secondary text.
pub(crate) const MUTED: Rgb = Rgb(0.38, 0.40, 0.44);
/// Rules and borders.
pub(crate) const RULE: Rgb = Rgb(0.78, 0.80, 0.83);
/// Shaded bands (table header, amount due).
pub(crate) const SHADE: Rgb = Rgb(0.93, 0.95, 0.97);
/// Headings.
pub(crate) const ACCENT: Rgb = Rgb(0.08, 0.27, 0.48);
/// Warnings and the CANCELLED mark.
pub(crate) const ALERT: Rgb = Rgb(0.75, 0.10, 0.10);
/// Warning background.
pub(crate) const ALERT_SHADE: Rgb = Rgb(0.99, 0.93, 0.93);

/// Face, size and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextStyle {
    /// Regular or bold.
    pub face: Face,
    /// Size in points.
    pub size: f32,
    /// Colour.
    pub color: Rgb,
}

impl TextStyle {
    /// Regular ink text.
    pub(crate) const fn regular(size: f32) -> TextStyle {
        TextStyle {
            face: Face::Regular,
            size,
            color: INK,
        }
    }

    /// Bold ink text.
    pub(crate) const fn bold(size: f32) -> TextStyle {
        TextStyle {
            face: Face::Bold,
            size,
            color: INK,
        }
    }

    /// The same in another colour.
    pub(crate) const fn colored(self, color: Rgb) -> TextStyle {
        TextStyle { color, ..self }
    }

    /// Distance between baselines.
    pub(crate) fn line_height(self) -> f32 {
        self.size * 1.3
    }
}

/// An image placed in the document, with its size in pixels.
#[derive(Debug, Clone)]
pub(crate) struct PlacedImage {
    id: XObjectId,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
}

/// A PDF being drawn: its pages and fonts.
pub(crate) struct Canvas {
    fonts: Fonts,
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    /// Characters drawn in each face, for subsetting.
    regular_chars: BTreeSet<char>,
    bold_chars: BTreeSet<char>,
    pages: Vec<Vec<Op>>,
    current: usize,
}

impl Canvas {
    /// An empty document with the given title (shown by PDF viewers).
    pub(crate) fn new(title: &str) -> Result<Canvas, RenderError> {
        let fonts = Fonts::load()?;
        // The fonts are added when the document is finished, subset to the
        // characters drawn; until then the pages refer to them by id.
        Ok(Canvas {
            fonts,
            doc: PdfDocument::new(title),
            regular: FontId::new(),
            bold: FontId::new(),
            regular_chars: BTreeSet::new(),
            bold_chars: BTreeSet::new(),
            pages: Vec::new(),
            current: 0,
        })
    }

    /// The fonts, to measure text.
    pub(crate) fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Starts a new page and draws on it from now on; returns its index.
    pub(crate) fn new_page(&mut self) -> usize {
        self.pages.push(Vec::with_capacity(256));
        self.current = self.pages.len() - 1;
        self.current
    }

    /// Pages so far.
    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Draws on an earlier page (for footers that need the page count).
    pub(crate) fn select_page(&mut self, index: usize) {
        if index < self.pages.len() {
            self.current = index;
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.new_page();
        }
        &mut self.pages[self.current]
    }

    /// Width of `text` in `style`.
    pub(crate) fn width(&self, style: TextStyle, text: &str) -> f32 {
        self.fonts.width(style.face, style.size, text)
    }

    /// Text starting at `x`, its baseline at `baseline`.
    pub(crate) fn text(&mut self, x: f32, baseline: f32, style: TextStyle, text: &str) {
        let printable = self.fonts.printable(style.face, text);
        if printable.trim().is_empty() {
            return;
        }
        let (font, used) = match style.face {
            Face::Regular => (self.regular.clone(), &mut self.regular_chars),
            Face::Bold => (self.bold.clone(), &mut self.bold_chars),
        };
        used.extend(printable.chars());
        let ops = self.ops();
        ops.push(Op::SetFillColor {
            col: color(style.color),
        });
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font),
            size: Pt(style.size),
        });
        ops.push(Op::SetTextCursor {
            pos: point(x, baseline),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(printable)],
        });
        ops.push(Op::EndTextSection);
    }

    /// Text ending at `right`.
    pub(crate) fn text_right(&mut self, right: f32, baseline: f32, style: TextStyle, text: &str) {
        let width = self.width(style, text);
        self.text(right - width, baseline, style, text);
    }

    /// Text centred on `center`.
    pub(crate) fn text_centered(
        &mut self,
        center: f32,
        baseline: f32,
        style: TextStyle,
        text: &str,
    ) {
        let width = self.width(style, text);
        self.text(center - width / 2.0, baseline, style, text);
    }

    /// A filled rectangle, `top` its upper edge.
    pub(crate) fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32, fill: Rgb) {
        let ops = self.ops();
        ops.push(Op::SetFillColor { col: color(fill) });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(PAGE_HEIGHT - top - height),
                width: Pt(width),
                height: Pt(height),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A rectangle outline.
    pub(crate) fn stroke_rect(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        height: f32,
        stroke: Rgb,
        thickness: f32,
    ) {
        let ops = self.ops();
        ops.push(Op::SetOutlineColor { col: color(stroke) });
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(PAGE_HEIGHT - top - height),
                width: Pt(width),
                height: Pt(height),
                mode: Some(PaintMode::Stroke),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A horizontal rule at `y`.
    pub(crate) fn hline(&mut self, x1: f32, x2: f32, y: f32, stroke: Rgb, thickness: f32) {
        let ops = self.ops();
        ops.push(Op::SetOutlineColor { col: color(stroke) });
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: point(x1, y),
                        bezier: false,
                    },
                    LinePoint {
                        p: point(x2, y),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    /// Many filled rectangles `(x, top, width, height)` as one path (QR
    /// modules).
    pub(crate) fn fill_rects(&mut self, rects: &[(f32, f32, f32, f32)], fill: Rgb) {
        if rects.is_empty() {
            return;
        }
        let rings = rects
            .iter()
            .map(|&(x, top, w, h)| PolygonRing {
                points: [(x, top), (x + w, top), (x + w, top + h), (x, top + h)]
                    .into_iter()
                    .map(|(px, py)| LinePoint {
                        p: point(px, py),
                        bezier: false,
                    })
                    .collect(),
            })
            .collect();
        let ops = self.ops();
        ops.push(Op::SetFillColor { col: color(fill) });
        ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// Adds an RGB image (8 bits a channel) to the document.
    pub(crate) fn add_rgb_image(
        &mut self,
        width: usize,
        height: usize,
        rgb: Vec<u8>,
    ) -> PlacedImage {
        let image = printpdf::RawImage {
            pixels: printpdf::RawImageData::U8(rgb),
            width,
            height,
            data_format: printpdf::RawImageFormat::RGB8,
            tag: Vec::new(),
        };
        let id = self.doc.add_image(&image);
        PlacedImage { id, width, height }
    }

    /// Draws an image into the box at `x`, `top`, `width` × `height` points.
    pub(crate) fn image(&mut self, image: &PlacedImage, x: f32, top: f32, width: f32, height: f32) {
        let ops = self.ops();
        ops.push(Op::UseXobject {
            id: image.id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Pt(x)),
                translate_y: Some(Pt(PAGE_HEIGHT - top - height)),
                // At 72 dpi one pixel is one point; then scale to the box.
                dpi: Some(72.0),
                scale_x: Some(width / image.width.max(1) as f32),
                scale_y: Some(height / image.height.max(1) as f32),
                ..Default::default()
            },
        });
    }

    /// The finished PDF.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, RenderError> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let fonts = [
            (
                self.regular.clone(),
                Face::Regular,
                &self.regular_chars,
                "NotoSans-Regular.ttf",
            ),
            (
                self.bold.clone(),
                Face::Bold,
                &self.bold_chars,
                "NotoSans-Bold.ttf",
            ),
        ];
        for (id, face, chars, name) in fonts {
            if chars.is_empty() {
                continue;
            }
            let subset = subset_font(self.fonts.parsed(face), name, chars)?;
            self.doc
                .resources
                .fonts
                .map
                .insert(id, printpdf::PdfFont::new(subset));
        }
        let pages = std::mem::take(&mut self.pages)
            .into_iter()
            .map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops))
            .collect();
        // Streams are left uncompressed: printpdf's deflate took half the
        // render time, to make files of ~30 KB instead of ~80 KB. The fonts are
        // already subset, so the PDFs stay small enough to mail or share.
        let options = PdfSaveOptions {
            optimize: false,
            ..PdfSaveOptions::default()
        };
        Ok(self.doc.with_pages(pages).save(&options, &mut Vec::new()))
    }
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_HEIGHT - y_from_top),
    }
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

/// Lowest y content may reach; the footer sits below it.
pub(crate) const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - MARGIN - 24.0;

/// The footer's baseline.
pub(crate) const FOOTER_BASELINE: f32 = PAGE_HEIGHT - MARGIN;

/// Where the next block goes, down the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cursor {
    /// The top of the next block.
    pub y: f32,
}

impl Cursor {
    /// At the top margin.
    pub(crate) fn top() -> Cursor {
        Cursor { y: MARGIN }
    }

    /// Space left on this page.
    pub(crate) fn room(self) -> f32 {
        CONTENT_BOTTOM - self.y
    }

    /// True when a block of `height` fits on this page.
    pub(crate) fn fits(self, height: f32) -> bool {
        self.y + height <= CONTENT_BOTTOM
    }
}

/// Space that a fresh page (after a continuation header of `header`
/// points) offers.
pub(crate) fn page_room(header: f32) -> f32 {
    CONTENT_BOTTOM - MARGIN - header
}
