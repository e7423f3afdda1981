//! Writes the sample invoice and receipt as PDFs into a folder:
//! `cargo run -p multipms-invoice-pdf --example sample -- out_dir`
//! (then `pdftoppm -r 80 -png -f 1 -l 1 out_dir/invoice-sample.pdf …` for a preview).

use std::path::PathBuf;

use multipms_invoice_pdf::samples::{sample_invoice, sample_long_invoice, sample_receipt};
use multipms_invoice_pdf::{render_invoice, render_receipt};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    let invoice = dir.join("invoice-sample.pdf");
    std::fs::write(&invoice, render_invoice(&sample_invoice())?)?;
    let long = dir.join("invoice-long-sample.pdf");
    std::fs::write(&long, render_invoice(&sample_long_invoice())?)?;
    // With a logo, when one is given: `-- out_dir logo.png`.
    if let Some(logo) = std::env::args().nth(2) {
        let mut with_logo = sample_invoice();
        with_logo.seller.logo_png = Some(std::fs::read(logo)?);
        let path = dir.join("invoice-logo-sample.pdf");
        std::fs::write(&path, render_invoice(&with_logo)?)?;
        println!("{}", path.display());
    }
    let receipt = dir.join("receipt-sample.pdf");
    std::fs::write(&receipt, render_receipt(&sample_receipt())?)?;
    for path in [invoice, long, receipt] {
        println!("{}", path.display());
    }
    Ok(())
}
