//! An invoice from the store, laid out as the PDF renderer wants it.

use chrono::NaiveDate;
use multipms_domain::billing::gst::GstRule;
use multipms_domain::billing::BillingMonth;
use multipms_domain::payment::PaymentMode;
use multipms_domain::upi::UpiId;
use multipms_domain::Paise;
use multipms_invoice_pdf::{
    InvoiceDocument, InvoiceLineDoc, InvoiceTotalsDoc, PaymentDoc, Period, Seller, UpiPayee,
};
use multipms_store::invoice_print::InvoiceForPrint;
use multipms_store::property::Property;

use crate::error::CommandError;

pub(crate) fn day(iso: &str) -> Result<NaiveDate, CommandError> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_err(|e| CommandError::Internal {
        message: format!("A stored date could not be read ({iso}): {e}"),
    })
}

/// A property's address, one printed line each.
pub fn address_lines(property: &Property) -> Vec<String> {
    let mut lines = vec![property.address_line1.clone()];
    if let Some(line) = property
        .address_line2
        .as_ref()
        .filter(|l| !l.trim().is_empty())
    {
        lines.push(line.clone());
    }
    lines.push(format!(
        "{}, {} {}",
        property.city, property.state, property.pin_code
    ));
    lines
}

/// The paper copy of an invoice, with the business's logo when one is set.
pub fn invoice_document(
    print: &InvoiceForPrint,
    logo_png: Option<&[u8]>,
) -> Result<InvoiceDocument, CommandError> {
    let invoice = &print.invoice;
    let property = &print.property;
    let month = BillingMonth::parse(&invoice.month, "month")?;
    let address_lines = address_lines(property);
    let upi = property
        .upi_id
        .as_deref()
        .and_then(|id| UpiId::parse(id, "upi_id").ok())
        .map(|vpa| UpiPayee {
            vpa,
            name: property.name.clone(),
        });
    let mut payments = Vec::with_capacity(print.payments.len());
    for p in &print.payments {
        payments.push(PaymentDoc {
            date: day(&p.paid_on)?,
            mode: PaymentMode::parse(&p.mode, "mode")?,
            reference: p.reference.clone().filter(|r| !r.trim().is_empty()),
            amount: Paise(p.amount_paise),
        });
    }
    Ok(InvoiceDocument {
        seller: Seller {
            name: property.name.clone(),
            address_lines,
            gstin: property.gstin.clone(),
            pan: property.landlord_pan.clone(),
            logo_png: logo_png.map(<[u8]>::to_vec),
        },
        upi,
        number: invoice.number.clone(),
        title: invoice.title.clone(),
        date: day(&invoice.invoice_date)?,
        period: Period {
            from: month.first_day(),
            to: month.last_day(),
        },
        due_date: day(&invoice.due_on)?,
        tenant_name: print.tenant_name.clone(),
        tenant_gstin: invoice.recipient_gstin.clone(),
        room_bed: print.room_bed.clone(),
        property_state: property.state.clone(),
        lines: invoice
            .lines
            .iter()
            .map(|l| InvoiceLineDoc {
                description: l.description.clone(),
                detail: None,
                sac: Some(l.sac.clone()).filter(|s| !s.is_empty()),
                taxable_value: Paise(l.taxable_value_paise),
                cgst: Paise(l.cgst_paise),
                sgst: Paise(l.sgst_paise),
                igst: Paise(l.igst_paise),
                total: Paise(l.total_paise),
            })
            .collect(),
        totals: InvoiceTotalsDoc {
            taxable_value: Paise(invoice.taxable_value_paise),
            cgst: Paise(invoice.cgst_paise),
            sgst: Paise(invoice.sgst_paise),
            igst: Paise(invoice.igst_paise),
            round_off: Paise(invoice.round_off_paise),
            total: Paise(invoice.total_paise),
        },
        gst_note: GstRule::from_code(&invoice.gst_rule).map(|r| r.statement().to_string()),
        reverse_charge: invoice.gst_charge == "reverse",
        payments,
        amount_due: Paise(print.amount_due_paise),
        cancelled: invoice.status == "cancelled",
    })
}

/// A file name for an invoice: its number with the slashes made safe.
pub fn file_name(number: &str) -> String {
    paper_file_name("Invoice", number)
}

/// `{what}-{number}.pdf` with the number's slashes made safe.
pub fn paper_file_name(what: &str, number: &str) -> String {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{what}-{safe}.pdf")
}
