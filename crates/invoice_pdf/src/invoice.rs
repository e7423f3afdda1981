//! The invoice layout: header with seller and invoice details, bill-to,
//! the table of lines (flowing over pages with its header repeated), totals,
//! amount in words, payments, amount due with the UPI QR code, and a footer
//! with page numbers on every page.

use multipms_domain::dates::format_date;
use multipms_domain::upi::payment_link;
use multipms_domain::Paise;

use crate::error::RenderError;
use crate::fonts::Face;
use crate::layout::{
    page_room, Canvas, Cursor, Rgb, TextStyle, ACCENT, ALERT, CONTENT_WIDTH, FOOTER_BASELINE,
    MARGIN, MUTED, PAGE_WIDTH, RULE, SHADE,
};
use crate::logo::decode_png;
use crate::model::InvoiceDocument;
use crate::qr::QrMatrix;
use crate::text_wrap::wrap;

const BODY: TextStyle = TextStyle::regular(8.5);
const BODY_BOLD: TextStyle = TextStyle::bold(8.5);
const LABEL: TextStyle = TextStyle::regular(7.5).colored(MUTED);
const DETAIL: TextStyle = TextStyle::regular(7.5).colored(MUTED);
const RIGHT_EDGE: f32 = PAGE_WIDTH - MARGIN;
/// Width of the left column of the header and bill-to blocks.
const LEFT_COLUMN: f32 = 290.0;
/// Where the right column starts.
const RIGHT_COLUMN_X: f32 = MARGIN + 310.0;
const RIGHT_COLUMN: f32 = RIGHT_EDGE - RIGHT_COLUMN_X;
/// Height of the continuation header on later pages.
const CONTINUATION_HEADER: f32 = 26.0;
/// Padding inside a table cell.
const CELL_PAD: f32 = 4.0;
const ROW_PAD: f32 = 4.5;
const TABLE_HEADER: f32 = 18.0;
/// Width of the totals block and the amount due box.
const SUMMARY_WIDTH: f32 = 230.0;
const QR_SIZE: f32 = 104.0;

/// The table's columns: title, width, right-aligned.
struct Column {
    width: f32,
    numeric: bool,
}

const COLUMNS: [Column; 6] = [
    Column {
        width: 211.0,
        numeric: false,
    },
    Column {
        width: 44.0,
        numeric: false,
    },
    Column {
        width: 70.0,
        numeric: true,
    },
    Column {
        width: 62.0,
        numeric: true,
    },
    Column {
        width: 62.0,
        numeric: true,
    },
    Column {
        width: 74.0,
        numeric: true,
    },
];

fn column_x(index: usize) -> f32 {
    MARGIN + COLUMNS[..index].iter().map(|c| c.width).sum::<f32>()
}

fn money(p: Paise) -> String {
    p.to_indian_string()
}

/// Lays out one invoice from a fresh page of `canvas`.
pub(crate) fn draw_invoice(canvas: &mut Canvas, doc: &InvoiceDocument) -> Result<(), RenderError> {
    check(doc)?;
    let first_page = canvas.new_page();
    let mut layout = InvoiceLayout {
        canvas,
        doc,
        cursor: Cursor::top(),
        sgst_label: sgst_label(doc),
    };
    layout.header()?;
    layout.bill_to();
    layout.table();
    layout.totals();
    layout.payments();
    layout.amount_due()?;
    let last_page = layout.canvas.page_count();
    footers(layout.canvas, doc, first_page, last_page);
    Ok(())
}

/// Refuses what cannot be printed sensibly.
fn check(doc: &InvoiceDocument) -> Result<(), RenderError> {
    if doc.number.trim().is_empty() {
        return Err(RenderError::Invalid {
            field: "number",
            message: "the invoice number is empty".into(),
        });
    }
    Ok(())
}

/// "SGST", "IGST" or "SGST/IGST" for the fifth column, from what the lines use.
fn sgst_label(doc: &InvoiceDocument) -> &'static str {
    let sgst = doc.lines.iter().any(|l| !l.sgst.is_zero());
    let igst = doc.lines.iter().any(|l| !l.igst.is_zero());
    match (sgst, igst) {
        (true, false) => "SGST",
        (false, true) => "IGST",
        _ => "SGST/IGST",
    }
}

struct InvoiceLayout<'a> {
    canvas: &'a mut Canvas,
    doc: &'a InvoiceDocument,
    cursor: Cursor,
    sgst_label: &'static str,
}

impl InvoiceLayout<'_> {
    fn wrap(&self, style: TextStyle, text: &str, width: f32) -> Vec<String> {
        wrap(self.canvas.fonts(), style.face, style.size, text, width)
    }

    /// Draws wrapped lines from `top`; returns the y below them.
    fn lines(&mut self, x: f32, top: f32, style: TextStyle, lines: &[String]) -> f32 {
        let mut y = top;
        for line in lines {
            y += style.line_height();
            self.canvas
                .text(x, y - style.line_height() * 0.25, style, line);
        }
        y
    }

    fn paragraph(&mut self, x: f32, top: f32, style: TextStyle, text: &str, width: f32) -> f32 {
        let lines = self.wrap(style, text, width);
        self.lines(x, top, style, &lines)
    }

    /// A new page with a one-line reminder of which invoice it continues.
    fn continue_on_new_page(&mut self) {
        self.canvas.new_page();
        let y = MARGIN;
        let style = TextStyle::bold(9.0).colored(ACCENT);
        let text = format!(
            "{} {} (continued)",
            self.doc.title.trim(),
            self.doc.number.trim()
        );
        let text = crate::text_wrap::truncate(
            self.canvas.fonts(),
            style.face,
            style.size,
            &text,
            CONTENT_WIDTH * 0.6,
        );
        self.canvas.text(MARGIN, y + 11.0, style, &text);
        let seller = crate::text_wrap::truncate(
            self.canvas.fonts(),
            Face::Regular,
            8.0,
            self.doc.seller.name.trim(),
            CONTENT_WIDTH * 0.38,
        );
        self.canvas.text_right(
            RIGHT_EDGE,
            y + 11.0,
            TextStyle::regular(8.0).colored(MUTED),
            &seller,
        );
        self.canvas.hline(MARGIN, RIGHT_EDGE, y + 18.0, RULE, 0.6);
        self.cursor = Cursor {
            y: MARGIN + CONTINUATION_HEADER,
        };
    }

    /// Makes room for a block that must stay together.
    fn keep_together(&mut self, height: f32) {
        if !self.cursor.fits(height) {
            self.continue_on_new_page();
        }
    }

    fn header(&mut self) -> Result<(), RenderError> {
        let top = self.cursor.y;
        let seller = &self.doc.seller;
        let mut left = top;
        if let Some(bytes) = seller.logo_png.as_deref() {
            let img = decode_png(bytes)?;
            let placed = self.canvas.add_rgb_image(img.width, img.height, img.rgb);
            let (max_w, max_h) = (140.0_f32, 48.0_f32);
            let scale = (max_w / placed.width as f32).min(max_h / placed.height as f32);
            let (w, h) = (placed.width as f32 * scale, placed.height as f32 * scale);
            self.canvas.image(&placed, MARGIN, left, w, h);
            left += h + 6.0;
        }
        left = self.paragraph(
            MARGIN,
            left,
            TextStyle::bold(15.0).colored(ACCENT),
            seller.name.trim(),
            LEFT_COLUMN,
        );
        left += 1.0;
        for line in &seller.address_lines {
            left = self.paragraph(MARGIN, left, BODY.colored(MUTED), line.trim(), LEFT_COLUMN);
        }
        if let Some(gstin) = non_empty(&seller.gstin) {
            left = self.paragraph(MARGIN, left, BODY, &format!("GSTIN: {gstin}"), LEFT_COLUMN);
        }
        if let Some(pan) = non_empty(&seller.pan) {
            left = self.paragraph(MARGIN, left, BODY, &format!("PAN: {pan}"), LEFT_COLUMN);
        }

        // Right: title and invoice details.
        let title_style = TextStyle::bold(16.0);
        let title_lines = self.wrap(title_style, self.doc.title.trim(), RIGHT_COLUMN);
        let mut right = top;
        for line in &title_lines {
            right += title_style.line_height();
            self.canvas
                .text_right(RIGHT_EDGE, right - 4.0, title_style, line);
        }
        right += 4.0;
        let doc = self.doc;
        let period = format!(
            "{} – {}",
            format_date(doc.period.from),
            format_date(doc.period.to)
        );
        let rows = [
            ("Invoice No.", doc.number.trim().to_string()),
            ("Invoice date", format_date(doc.date)),
            ("Billing period", period),
            ("Due date", format_date(doc.due_date)),
        ];
        for (label, value) in rows {
            right = self.label_value_row(RIGHT_COLUMN_X, RIGHT_EDGE, right, label, &value);
        }
        self.cursor.y = left.max(right) + 8.0;

        if doc.cancelled {
            let y = self.cursor.y;
            self.canvas
                .stroke_rect(MARGIN, y, CONTENT_WIDTH, 34.0, ALERT, 1.5);
            self.canvas.text_centered(
                PAGE_WIDTH / 2.0,
                y + 19.0,
                TextStyle::bold(18.0).colored(ALERT),
                "CANCELLED",
            );
            self.canvas.text_centered(
                PAGE_WIDTH / 2.0,
                y + 29.0,
                TextStyle::regular(7.5).colored(ALERT),
                "This invoice has been cancelled and is not payable.",
            );
            self.cursor.y += 42.0;
        }
        self.canvas
            .hline(MARGIN, RIGHT_EDGE, self.cursor.y, ACCENT, 1.0);
        self.cursor.y += 10.0;
        Ok(())
    }

    /// A muted label on the left and a bold value on the right of a column;
    /// returns the y below it.
    fn label_value_row(&mut self, x: f32, right: f32, top: f32, label: &str, value: &str) -> f32 {
        let label_width = self.canvas.width(LABEL, label) + 8.0;
        let lines = self.wrap(BODY_BOLD, value, (right - x - label_width).max(20.0));
        let lh = BODY_BOLD.line_height() + 1.0;
        self.canvas.text(x, top + lh - 3.0, LABEL, label);
        let mut y = top;
        for line in &lines {
            y += lh;
            self.canvas.text_right(right, y - 3.0, BODY_BOLD, line);
        }
        y
    }

    fn bill_to(&mut self) {
        let top = self.cursor.y;
        let doc = self.doc;
        self.canvas.text(MARGIN, top + 8.0, LABEL, "BILL TO");
        let mut left = top + 10.0;
        left = self.paragraph(
            MARGIN,
            left,
            TextStyle::bold(11.0),
            doc.tenant_name.trim(),
            LEFT_COLUMN,
        );
        if let Some(gstin) = non_empty(&doc.tenant_gstin) {
            left = self.paragraph(MARGIN, left, BODY, &format!("GSTIN: {gstin}"), LEFT_COLUMN);
        }
        left = self.paragraph(MARGIN, left, BODY, doc.room_bed.trim(), LEFT_COLUMN);

        let mut right = top;
        right = self.label_value_row(
            RIGHT_COLUMN_X,
            RIGHT_EDGE,
            right,
            "Place of supply",
            doc.property_state.trim(),
        );
        let reverse = if doc.reverse_charge { "Yes" } else { "No" };
        right = self.paragraph(
            RIGHT_COLUMN_X,
            right + 2.0,
            if doc.reverse_charge { BODY_BOLD } else { BODY },
            &format!("Tax payable on reverse charge: {reverse}"),
            RIGHT_COLUMN,
        );
        self.cursor.y = left.max(right) + 12.0;
    }

    fn table_header(&mut self) {
        let top = self.cursor.y;
        self.canvas
            .fill_rect(MARGIN, top, CONTENT_WIDTH, TABLE_HEADER, SHADE);
        let style = TextStyle::bold(8.0).colored(ACCENT);
        let titles = [
            "Description",
            "SAC",
            "Taxable",
            "CGST",
            self.sgst_label,
            "Amount",
        ];
        for (i, title) in titles.into_iter().enumerate() {
            let baseline = top + 12.0;
            if COLUMNS[i].numeric {
                let right = column_x(i) + COLUMNS[i].width - CELL_PAD;
                self.canvas.text_right(right, baseline, style, title);
            } else {
                self.canvas
                    .text(column_x(i) + CELL_PAD, baseline, style, title);
            }
        }
        self.cursor.y = top + TABLE_HEADER;
    }

    fn table(&mut self) {
        // The header and at least one line stay together.
        self.keep_together(TABLE_HEADER + 2.0 * ROW_PAD + 2.0 * BODY.line_height());
        self.table_header();
        let desc_width = COLUMNS[0].width - 2.0 * CELL_PAD;
        for line in &self.doc.lines {
            // Description in body text, then the detail smaller and muted.
            let mut texts: Vec<(TextStyle, String)> = self
                .wrap(BODY, line.description.trim(), desc_width)
                .into_iter()
                .map(|l| (BODY, l))
                .collect();
            if let Some(detail) = non_empty(&line.detail) {
                texts.extend(
                    self.wrap(DETAIL, detail, desc_width)
                        .into_iter()
                        .map(|l| (DETAIL, l)),
                );
            }
            let sac = line.sac.as_deref().map(str::trim).unwrap_or("");
            let sac_lines = self.wrap(BODY, sac, COLUMNS[1].width - 2.0 * CELL_PAD);
            let amounts = [
                line.taxable_value,
                line.cgst,
                if line.sgst.is_zero() {
                    line.igst
                } else {
                    line.sgst
                },
                line.total,
            ];
            self.table_row(&texts, &sac_lines, amounts);
        }
        self.cursor.y += 6.0;
    }

    /// One line of the table; when it does not fit, it moves to the next page,
    /// or, taller than a page, is split across pages.
    fn table_row(&mut self, texts: &[(TextStyle, String)], sac: &[String], amounts: [Paise; 4]) {
        let height = |texts: &[(TextStyle, String)]| {
            2.0 * ROW_PAD + texts.iter().map(|(s, _)| s.line_height()).sum::<f32>()
        };
        let whole = height(texts).max(2.0 * ROW_PAD + sac.len() as f32 * BODY.line_height());
        let full_page = page_room(CONTINUATION_HEADER) - TABLE_HEADER;
        if !self.cursor.fits(whole) && whole <= full_page {
            self.continue_on_new_page();
            self.table_header();
        }
        let mut rest = texts;
        let mut first = true;
        loop {
            // As many lines as fit here.
            let mut take = 0;
            let mut used = 2.0 * ROW_PAD;
            for (style, _) in rest {
                if used + style.line_height() > self.cursor.room() {
                    break;
                }
                used += style.line_height();
                take += 1;
            }
            if take == 0 && !rest.is_empty() {
                self.continue_on_new_page();
                self.table_header();
                continue;
            }
            let (now, later) = rest.split_at(take);
            let top = self.cursor.y;
            let mut row_height = height(now);
            let mut y = top + ROW_PAD;
            for (style, text) in now {
                y += style.line_height();
                self.canvas.text(
                    MARGIN + CELL_PAD,
                    y - style.line_height() * 0.28,
                    *style,
                    text,
                );
            }
            if first {
                let mut sy = top + ROW_PAD;
                for line in sac {
                    sy += BODY.line_height();
                    self.canvas.text(
                        column_x(1) + CELL_PAD,
                        sy - BODY.line_height() * 0.28,
                        BODY,
                        line,
                    );
                }
                row_height = row_height.max(sy - top + ROW_PAD);
                let baseline = top + ROW_PAD + BODY.line_height() * 0.72;
                for (i, amount) in amounts.into_iter().enumerate() {
                    let col = i + 2;
                    let style = if col == 5 { BODY_BOLD } else { BODY };
                    self.amount_in_cell(col, baseline, style, amount);
                }
                first = false;
            }
            self.cursor.y = top + row_height;
            self.canvas
                .hline(MARGIN, RIGHT_EDGE, self.cursor.y, RULE, 0.5);
            if later.is_empty() {
                break;
            }
            rest = later;
            self.continue_on_new_page();
            self.table_header();
        }
    }

    /// An amount right-aligned in a column, made smaller if it would not fit.
    fn amount_in_cell(&mut self, col: usize, baseline: f32, style: TextStyle, amount: Paise) {
        let text = money(amount);
        let room = COLUMNS[col].width - 2.0 * CELL_PAD;
        let style = fit(self.canvas, style, &text, room);
        let right = column_x(col) + COLUMNS[col].width - CELL_PAD;
        self.canvas.text_right(right, baseline, style, &text);
    }

    fn totals(&mut self) {
        let t = &self.doc.totals;
        let mut rows: Vec<(&str, Paise)> = vec![("Taxable value", t.taxable_value)];
        for (label, value) in [("CGST", t.cgst), ("SGST", t.sgst), ("IGST", t.igst)] {
            if !value.is_zero() {
                rows.push((label, value));
            }
        }
        if !t.round_off.is_zero() {
            rows.push(("Round off", t.round_off));
        }
        let row_h = 14.0;
        let total_style = TextStyle::bold(11.0);
        let right_height = rows.len() as f32 * row_h + 8.0 + total_style.line_height() + 4.0;

        let left_width = CONTENT_WIDTH - SUMMARY_WIDTH - 24.0;
        let words = self.wrap(BODY_BOLD, &t.total.amount_in_words(), left_width);
        let note = non_empty(&self.doc.gst_note)
            .map(|n| self.wrap(BODY.colored(MUTED), n, left_width))
            .unwrap_or_default();
        let left_height = 12.0
            + words.len() as f32 * BODY_BOLD.line_height()
            + if note.is_empty() {
                0.0
            } else {
                10.0 + note.len() as f32 * BODY.line_height()
            };
        self.keep_together(left_height.max(right_height) + 4.0);

        let top = self.cursor.y;
        // Left: amount in words and the GST note.
        self.canvas
            .text(MARGIN, top + 8.0, LABEL, "AMOUNT IN WORDS");
        let mut left = self.lines(MARGIN, top + 10.0, BODY_BOLD, &words);
        if !note.is_empty() {
            left += 4.0;
            self.canvas.text(MARGIN, left + 8.0, LABEL, "GST");
            left = self.lines(MARGIN, left + 10.0, BODY.colored(MUTED), &note);
        }

        // Right: the totals.
        let x = RIGHT_EDGE - SUMMARY_WIDTH;
        let mut y = top;
        for (label, value) in rows {
            y += row_h;
            self.canvas.text(x, y - 4.0, BODY.colored(MUTED), label);
            let text = money(value);
            let style = fit(self.canvas, BODY, &text, SUMMARY_WIDTH - 80.0);
            self.canvas.text_right(RIGHT_EDGE, y - 4.0, style, &text);
        }
        y += 4.0;
        self.canvas.hline(x, RIGHT_EDGE, y, INK_RULE, 0.8);
        y += total_style.line_height() + 2.0;
        self.canvas.text(x, y - 3.0, total_style, "Total");
        let text = money(t.total);
        let style = fit(self.canvas, total_style, &text, SUMMARY_WIDTH - 60.0);
        self.canvas.text_right(RIGHT_EDGE, y - 3.0, style, &text);
        self.cursor.y = left.max(y) + 14.0;
    }

    fn payments_header(&mut self) {
        let top = self.cursor.y;
        self.canvas.hline(MARGIN, RIGHT_EDGE, top + 12.0, RULE, 0.5);
        let style = TextStyle::bold(7.5).colored(MUTED);
        self.canvas.text(MARGIN, top + 9.0, style, "Date");
        self.canvas.text(MARGIN + 70.0, top + 9.0, style, "Mode");
        self.canvas
            .text(MARGIN + 160.0, top + 9.0, style, "Reference / UTR");
        self.canvas
            .text_right(RIGHT_EDGE, top + 9.0, style, "Amount");
        self.cursor.y = top + 14.0;
    }

    fn payments(&mut self) {
        if self.doc.payments.is_empty() {
            return;
        }
        let title = TextStyle::bold(9.5).colored(ACCENT);
        self.keep_together(title.line_height() + 14.0 + 2.0 * BODY.line_height());
        let top = self.cursor.y;
        self.canvas
            .text(MARGIN, top + 10.0, title, "Payments received");
        self.cursor.y = top + title.line_height() + 2.0;
        self.payments_header();
        let reference_width = RIGHT_EDGE - 100.0 - (MARGIN + 160.0);
        for payment in &self.doc.payments {
            let reference = non_empty(&payment.reference).unwrap_or("—");
            let lines = self.wrap(BODY, reference, reference_width);
            let height = lines.len() as f32 * BODY.line_height() + 4.0;
            if !self.cursor.fits(height) {
                self.continue_on_new_page();
                self.payments_header();
            }
            let top = self.cursor.y;
            let baseline = top + BODY.line_height() * 0.75 + 2.0;
            self.canvas
                .text(MARGIN, baseline, BODY, &format_date(payment.date));
            self.canvas
                .text(MARGIN + 70.0, baseline, BODY, payment.mode.label());
            self.lines(MARGIN + 160.0, top + 2.0, BODY, &lines);
            let text = money(payment.amount);
            let style = fit(self.canvas, BODY, &text, 96.0);
            self.canvas.text_right(RIGHT_EDGE, baseline, style, &text);
            self.cursor.y = top + height;
        }
        let paid = self
            .doc
            .payments
            .iter()
            .try_fold(Paise::ZERO, |sum, p| sum.checked_add(p.amount));
        if let Some(paid) = paid {
            if !self.cursor.fits(16.0) {
                self.continue_on_new_page();
            }
            let top = self.cursor.y;
            self.canvas
                .hline(RIGHT_EDGE - SUMMARY_WIDTH, RIGHT_EDGE, top + 2.0, RULE, 0.5);
            self.canvas.text(
                RIGHT_EDGE - SUMMARY_WIDTH,
                top + 12.0,
                BODY.colored(MUTED),
                "Total received",
            );
            self.canvas
                .text_right(RIGHT_EDGE, top + 12.0, BODY_BOLD, &money(paid));
            self.cursor.y = top + 16.0;
        }
        self.cursor.y += 10.0;
    }

    fn amount_due(&mut self) -> Result<(), RenderError> {
        let doc = self.doc;
        let link = match (&doc.upi, doc.cancelled) {
            (Some(upi), false) => {
                payment_link(&upi.vpa, upi.name.trim(), doc.amount_due, doc.number.trim())
            }
            _ => None,
        };
        let qr = link.as_deref().map(QrMatrix::encode).transpose()?;
        let box_height = 58.0;
        self.keep_together(if qr.is_some() {
            QR_SIZE.max(box_height)
        } else {
            box_height
        });
        let top = self.cursor.y;

        // Right: the amount due, emphasised.
        let x = RIGHT_EDGE - SUMMARY_WIDTH;
        self.canvas
            .fill_rect(x, top, SUMMARY_WIDTH, box_height, SHADE);
        self.canvas.fill_rect(x, top, 3.0, box_height, ACCENT);
        let due_label = TextStyle::bold(10.0).colored(ACCENT);
        self.canvas
            .text(x + 12.0, top + 18.0, due_label, "Amount due");
        let text = money(doc.amount_due);
        let style = fit(
            self.canvas,
            TextStyle::bold(17.0),
            &text,
            SUMMARY_WIDTH - 24.0,
        );
        self.canvas
            .text_right(RIGHT_EDGE - 10.0, top + 40.0, style, &text);
        let note = if doc.cancelled {
            "Cancelled: nothing to pay".to_string()
        } else if doc.amount_due > Paise::ZERO {
            format!("Please pay by {}", format_date(doc.due_date))
        } else {
            "Paid in full. Thank you.".to_string()
        };
        self.canvas.text(
            x + 12.0,
            top + 51.0,
            TextStyle::regular(7.5).colored(MUTED),
            &note,
        );

        // Left: the UPI QR code and what it pays.
        let mut bottom = top + box_height;
        if let (Some(qr), Some(upi)) = (qr, &doc.upi) {
            qr.draw(self.canvas, MARGIN - 6.0, top - 6.0, QR_SIZE);
            let tx = MARGIN + QR_SIZE - 2.0;
            let width = x - tx - 14.0;
            let mut y = top + 4.0;
            y = self.paragraph(
                tx,
                y,
                TextStyle::bold(9.5).colored(ACCENT),
                "Scan to pay with any UPI app",
                width,
            );
            y += 2.0;
            y = self.paragraph(tx, y, BODY, &format!("UPI ID: {}", upi.vpa), width);
            y = self.paragraph(tx, y, BODY, &format!("Payee: {}", upi.name.trim()), width);
            y = self.paragraph(
                tx,
                y,
                BODY,
                &format!("Amount: {}", money(doc.amount_due)),
                width,
            );
            y = self.paragraph(
                tx,
                y,
                BODY.colored(MUTED),
                &format!("Note: {}", doc.number.trim()),
                width,
            );
            bottom = bottom.max(y).max(top - 6.0 + QR_SIZE);
        }
        self.cursor.y = bottom + 10.0;
        Ok(())
    }
}

/// A slightly darker rule for the totals.
const INK_RULE: Rgb = Rgb(0.45, 0.47, 0.50);

/// `style`, shrunk when `text` would be wider than `room`.
fn fit(canvas: &Canvas, style: TextStyle, text: &str, room: f32) -> TextStyle {
    let width = canvas.width(style, text);
    if width <= room || width <= 0.0 {
        style
    } else {
        TextStyle {
            size: style.size * room / width * 0.999,
            ..style
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// "Computer-generated invoice", the invoice number and "Page X of Y" at
/// the foot of each of this invoice's pages.
fn footers(canvas: &mut Canvas, doc: &InvoiceDocument, first: usize, end: usize) {
    let count = end - first;
    let style = TextStyle::regular(7.0).colored(MUTED);
    let number = crate::text_wrap::truncate(
        canvas.fonts(),
        Face::Regular,
        7.0,
        &format!("{} {}", doc.title.trim(), doc.number.trim()),
        150.0,
    );
    for (i, page) in (first..end).enumerate() {
        canvas.select_page(page);
        canvas.hline(MARGIN, RIGHT_EDGE, FOOTER_BASELINE - 10.0, RULE, 0.5);
        canvas.text(
            MARGIN,
            FOOTER_BASELINE,
            style,
            "Computer-generated invoice. No signature required.",
        );
        if doc.cancelled {
            canvas.text_centered(
                PAGE_WIDTH / 2.0 + 30.0,
                FOOTER_BASELINE,
                TextStyle::bold(7.0).colored(ALERT),
                "CANCELLED",
            );
        }
        let page_text = format!("Page {} of {}", i + 1, count);
        let page_width = canvas.width(style, &page_text);
        canvas.text_right(RIGHT_EDGE, FOOTER_BASELINE, style, &page_text);
        canvas.text_right(
            RIGHT_EDGE - page_width - 14.0,
            FOOTER_BASELINE,
            style,
            &number,
        );
    }
}
