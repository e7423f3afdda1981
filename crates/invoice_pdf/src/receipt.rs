//! The rent receipt tenants file for HRA: who paid whom how much, for
//! which period, how; the landlord's PAN (with a warning when it is needed
//! and missing) and, for cash above ₹5,000, a box for a revenue stamp and
//! signature.

use multipms_domain::dates::format_date;
use multipms_domain::payment::PaymentMode;
use multipms_domain::Paise;

use crate::error::RenderError;
use crate::layout::{
    Canvas, Cursor, TextStyle, ACCENT, ALERT, ALERT_SHADE, CONTENT_WIDTH, FOOTER_BASELINE, MARGIN,
    MUTED, PAGE_WIDTH, RULE,
};
use crate::model::ReceiptDocument;
use crate::text_wrap::wrap;

/// Yearly rent above which the landlord's PAN is needed for HRA: ₹1,00,000.
pub const HRA_PAN_THRESHOLD: Paise = Paise(100_000 * 100);

/// Cash receipts above this (₹5,000) carry a revenue stamp.
pub const REVENUE_STAMP_THRESHOLD: Paise = Paise(5_000 * 100);

const RIGHT_EDGE: f32 = PAGE_WIDTH - MARGIN;
const BODY: TextStyle = TextStyle::regular(10.0);
const LABEL: TextStyle = TextStyle::regular(8.5).colored(MUTED);
const VALUE: TextStyle = TextStyle::bold(9.5);
const LABEL_WIDTH: f32 = 130.0;

/// True when the receipt must warn that the landlord's PAN is missing.
pub fn needs_pan_warning(doc: &ReceiptDocument) -> bool {
    doc.tenant_rent_this_fy > HRA_PAN_THRESHOLD
        && doc
            .landlord_pan
            .as_deref()
            .is_none_or(|p| p.trim().is_empty())
}

/// True when the receipt leaves a box for a revenue stamp.
pub fn needs_revenue_stamp(doc: &ReceiptDocument) -> bool {
    doc.mode == PaymentMode::Cash && doc.amount > REVENUE_STAMP_THRESHOLD
}

struct ReceiptLayout<'a> {
    canvas: &'a mut Canvas,
    cursor: Cursor,
}

impl ReceiptLayout<'_> {
    /// Makes room for a block, on a new page if need be.
    fn keep_together(&mut self, height: f32) {
        if !self.cursor.fits(height) {
            self.canvas.new_page();
            self.cursor = Cursor::top();
        }
    }

    /// A wrapped paragraph at the cursor, line by line across pages.
    fn paragraph(&mut self, x: f32, style: TextStyle, text: &str, width: f32) {
        let lines = wrap(self.canvas.fonts(), style.face, style.size, text, width);
        for line in lines {
            self.keep_together(style.line_height());
            self.cursor.y += style.line_height();
            self.canvas
                .text(x, self.cursor.y - style.line_height() * 0.25, style, &line);
        }
    }

    /// A label with its value wrapped beside it.
    fn field(&mut self, label: &str, value: &str) {
        let width = CONTENT_WIDTH - LABEL_WIDTH;
        let lines = wrap(self.canvas.fonts(), VALUE.face, VALUE.size, value, width);
        let lh = VALUE.line_height() + 1.5;
        self.keep_together(lh);
        let top = self.cursor.y;
        self.canvas.text(MARGIN, top + lh - 4.0, LABEL, label);
        for line in lines {
            self.keep_together(lh);
            self.cursor.y += lh;
            self.canvas
                .text(MARGIN + LABEL_WIDTH, self.cursor.y - 4.0, VALUE, &line);
        }
        self.canvas
            .hline(MARGIN, RIGHT_EDGE, self.cursor.y + 2.0, RULE, 0.4);
        self.cursor.y += 4.0;
    }
}

/// Lays out one receipt from a fresh page.
pub(crate) fn draw_receipt(canvas: &mut Canvas, doc: &ReceiptDocument) -> Result<(), RenderError> {
    if doc.number.trim().is_empty() {
        return Err(RenderError::Invalid {
            field: "number",
            message: "the receipt number is empty".into(),
        });
    }
    let first_page = canvas.new_page();
    let mut l = ReceiptLayout {
        canvas,
        cursor: Cursor::top(),
    };

    // Header.
    let top = l.cursor.y;
    l.canvas.text(
        MARGIN,
        top + 20.0,
        TextStyle::bold(20.0).colored(ACCENT),
        "RENT RECEIPT",
    );
    let meta = TextStyle::regular(9.5);
    let number = crate::text_wrap::truncate(
        l.canvas.fonts(),
        meta.face,
        meta.size,
        &format!("Receipt No. {}", doc.number.trim()),
        CONTENT_WIDTH - 200.0,
    );
    l.canvas.text_right(RIGHT_EDGE, top + 10.0, meta, &number);
    l.canvas.text_right(
        RIGHT_EDGE,
        top + 23.0,
        meta,
        &format!("Date: {}", format_date(doc.date)),
    );
    l.cursor.y = top + 32.0;
    l.canvas.hline(MARGIN, RIGHT_EDGE, l.cursor.y, ACCENT, 1.0);
    l.cursor.y += 12.0;

    // The statement.
    let reference = doc
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let by = match reference {
        Some(r) => format!("{} (reference {r})", doc.mode.label()),
        None => doc.mode.label().to_string(),
    };
    let statement = format!(
        "Received with thanks from {} the sum of {} ({}) by {} towards rent of {} for the period {} to {}.",
        doc.tenant_name.trim(),
        doc.amount.to_indian_string(),
        doc.amount.amount_in_words(),
        by,
        doc.property_room.trim(),
        format_date(doc.period.from),
        format_date(doc.period.to),
    );
    l.paragraph(MARGIN, BODY, &statement, CONTENT_WIDTH);
    l.cursor.y += 14.0;

    // The details, one per line.
    let address = doc
        .landlord_address_lines
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let pan = doc
        .landlord_pan
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or("Not provided");
    let fields = [
        ("Tenant", doc.tenant_name.trim().to_string()),
        ("Property / room", doc.property_room.trim().to_string()),
        (
            "Rent period",
            format!(
                "{} to {}",
                format_date(doc.period.from),
                format_date(doc.period.to)
            ),
        ),
        ("Amount received", doc.amount.to_indian_string()),
        ("Payment mode", doc.mode.label().to_string()),
        ("Reference / UTR", reference.unwrap_or("—").to_string()),
        ("Landlord", doc.landlord_name.trim().to_string()),
        ("Landlord's address", address),
        ("Landlord's PAN", pan.to_string()),
        (
            "Rent this financial year",
            doc.tenant_rent_this_fy.to_indian_string(),
        ),
    ];
    for (label, value) in fields {
        l.field(label, &value);
    }
    l.cursor.y += 12.0;

    if needs_pan_warning(doc) {
        let text = format!(
            "Rent paid this financial year is {}. The landlord's PAN is required for HRA \
             claims when rent exceeds ₹1,00,000 a year; ask the landlord for it before \
             submitting this receipt.",
            doc.tenant_rent_this_fy.to_indian_string()
        );
        let style = TextStyle::regular(9.0).colored(ALERT);
        let width = CONTENT_WIDTH - 24.0;
        let lines = wrap(l.canvas.fonts(), style.face, style.size, &text, width);
        let height = 26.0 + lines.len() as f32 * style.line_height();
        l.keep_together(height);
        let top = l.cursor.y;
        l.canvas
            .fill_rect(MARGIN, top, CONTENT_WIDTH, height, ALERT_SHADE);
        l.canvas
            .stroke_rect(MARGIN, top, CONTENT_WIDTH, height, ALERT, 1.0);
        l.canvas.text(
            MARGIN + 12.0,
            top + 16.0,
            TextStyle::bold(10.0).colored(ALERT),
            "Landlord's PAN required",
        );
        l.cursor.y = top + 20.0;
        l.paragraph(MARGIN + 12.0, style, &text, width);
        l.cursor.y = top + height + 14.0;
    }

    // Signature, with a revenue stamp box for large cash receipts.
    let stamp = needs_revenue_stamp(doc);
    let block = if stamp { 118.0 } else { 56.0 };
    l.keep_together(block);
    let top = l.cursor.y;
    let box_width = 150.0;
    let x = RIGHT_EDGE - box_width;
    if stamp {
        l.canvas.stroke_rect(x, top, box_width, 84.0, MUTED, 0.8);
        let small = TextStyle::regular(7.5).colored(MUTED);
        l.canvas.text_centered(
            x + box_width / 2.0,
            top + 12.0,
            small,
            "Affix revenue stamp",
        );
        l.canvas
            .text_centered(x + box_width / 2.0, top + 22.0, small, "and sign across it");
    }
    let line_y = top + block - 20.0;
    l.canvas.hline(x, RIGHT_EDGE, line_y, MUTED, 0.6);
    let name = crate::text_wrap::truncate(
        l.canvas.fonts(),
        crate::fonts::Face::Regular,
        8.0,
        &format!("Signature of landlord ({})", doc.landlord_name.trim()),
        CONTENT_WIDTH / 2.0,
    );
    l.canvas.text_right(
        RIGHT_EDGE,
        line_y + 11.0,
        TextStyle::regular(8.0).colored(MUTED),
        &name,
    );
    l.cursor.y = top + block;

    // Footers.
    let end = l.canvas.page_count();
    let style = TextStyle::regular(7.0).colored(MUTED);
    for (i, page) in (first_page..end).enumerate() {
        l.canvas.select_page(page);
        l.canvas
            .hline(MARGIN, RIGHT_EDGE, FOOTER_BASELINE - 10.0, RULE, 0.5);
        l.canvas.text(
            MARGIN,
            FOOTER_BASELINE,
            style,
            "Computer-generated receipt.",
        );
        l.canvas.text_right(
            RIGHT_EDGE,
            FOOTER_BASELINE,
            style,
            &format!("Page {} of {}", i + 1, end - first_page),
        );
    }
    Ok(())
}
