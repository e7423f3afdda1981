//! A payment from the store, laid out as a rent receipt for the PDF renderer.

use multipms_domain::payment::PaymentMode;
use multipms_domain::Paise;
use multipms_invoice_pdf::{Period, ReceiptDocument};
use multipms_store::receipt_print::ReceiptForPrint;

use crate::error::CommandError;
use crate::invoice_paper::{address_lines, day, paper_file_name};

/// The paper copy of a rent receipt. The landlord is the property's owner
/// when one is named, else the property (or the business).
pub fn receipt_document(print: &ReceiptForPrint) -> Result<ReceiptDocument, CommandError> {
    let payment = &print.payment;
    let property = print.property.as_ref();
    let landlord_name = property
        .and_then(|p| p.landlord_name.clone())
        .or_else(|| property.map(|p| p.name.clone()))
        .unwrap_or_else(|| print.business_name.clone());
    let property_room = match (property, print.room.is_empty()) {
        (Some(p), false) => format!("{}, {}", p.name, print.room),
        (Some(p), true) => p.name.clone(),
        (None, _) => print.room.clone(),
    };
    let reference = payment.utr.clone().or_else(|| {
        payment.cheque_number.as_ref().map(|n| {
            let bank = payment.cheque_bank.as_deref().unwrap_or("").trim();
            if bank.is_empty() {
                format!("Cheque {n}")
            } else {
                format!("Cheque {n}, {bank}")
            }
        })
    });
    Ok(ReceiptDocument {
        number: payment.receipt_number.clone(),
        date: day(&payment.paid_on)?,
        landlord_name,
        landlord_address_lines: property.map(address_lines).unwrap_or_default(),
        landlord_pan: property.and_then(|p| p.landlord_pan.clone()),
        tenant_name: print.tenant_name.clone(),
        property_room,
        period: Period {
            from: print.period_from,
            to: print.period_to,
        },
        amount: Paise(payment.amount_paise),
        mode: PaymentMode::parse(&payment.mode, "mode")?,
        reference,
        tenant_rent_this_fy: Paise(print.rent_this_fy_paise),
    })
}

/// A file name for a receipt: `Receipt-BLR1_R_26-27_00007.pdf`.
pub fn file_name(number: &str) -> String {
    paper_file_name("Receipt", number)
}
