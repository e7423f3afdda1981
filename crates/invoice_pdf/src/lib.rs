//! A4 PDF invoices and rent receipts for MultiPMS, in pure Rust.
//!
//! - [`render_invoice`]: one invoice (it may run over several pages; the
//!   table of lines flows on with its header repeated).
//! - [`render_invoices`]: many invoices in one PDF, each from a new page.
//! - [`render_receipt`]: a rent receipt for HRA claims.
//!
//! Text is set in Noto Sans (embedded, subset to the glyphs used), measured
//! with the font's own advances so long names wrap instead of running off
//! the page. Amounts are shown the Indian way (₹1,23,456.00) and dates as
//! DD/MM/YYYY. Money stays in integer [`Paise`](multipms_domain::Paise).

#![warn(missing_docs)]

mod error;
mod fonts;
mod invoice;
mod layout;
mod logo;
mod model;
mod qr;
mod receipt;
pub mod samples;
mod subset;
mod text_wrap;

pub use error::RenderError;
pub use model::{
    InvoiceDocument, InvoiceLineDoc, InvoiceTotalsDoc, PaymentDoc, Period, ReceiptDocument, Seller,
    UpiPayee,
};
pub use receipt::{
    needs_pan_warning, needs_revenue_stamp, HRA_PAN_THRESHOLD, REVENUE_STAMP_THRESHOLD,
};

use layout::Canvas;

/// One invoice as a PDF.
pub fn render_invoice(doc: &InvoiceDocument) -> Result<Vec<u8>, RenderError> {
    let mut canvas = Canvas::new(&format!("{} {}", doc.title.trim(), doc.number.trim()))?;
    invoice::draw_invoice(&mut canvas, doc)?;
    canvas.finish()
}

/// Many invoices in one PDF, each starting on a new page, each with its own
/// page numbers. An empty slice is an error.
pub fn render_invoices(docs: &[InvoiceDocument]) -> Result<Vec<u8>, RenderError> {
    if docs.is_empty() {
        return Err(RenderError::Empty);
    }
    let mut canvas = Canvas::new("Invoices")?;
    for doc in docs {
        invoice::draw_invoice(&mut canvas, doc)?;
    }
    canvas.finish()
}

/// A rent receipt as a PDF.
pub fn render_receipt(doc: &ReceiptDocument) -> Result<Vec<u8>, RenderError> {
    let mut canvas = Canvas::new(&format!("Rent receipt {}", doc.number.trim()))?;
    receipt::draw_receipt(&mut canvas, doc)?;
    canvas.finish()
}
