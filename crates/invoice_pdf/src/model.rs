//! The documents to print: plain data, filled in by the caller (the store or
//! the server), with no database behind them. Money is integer [`Paise`].

use chrono::NaiveDate;
use multipms_domain::payment::PaymentMode;
use multipms_domain::upi::UpiId;
use multipms_domain::Paise;
use serde::{Deserialize, Serialize};

/// The business that issues the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Seller {
    /// Business or property name, printed large.
    pub name: String,
    /// Address, one printed line each.
    pub address_lines: Vec<String>,
    /// GSTIN, when registered.
    pub gstin: Option<String>,
    /// PAN.
    pub pan: Option<String>,
    /// A PNG logo, printed top left when set.
    #[serde(default)]
    pub logo_png: Option<Vec<u8>>,
}

/// Where tenants can pay by UPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpiPayee {
    /// The UPI ID (`pa=`).
    pub vpa: UpiId,
    /// The payee name (`pn=`).
    pub name: String,
}

/// The dates an invoice covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// One invoice line. Amounts as the billing rules computed them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InvoiceLineDoc {
    /// What it bills ("Rent for April 2026").
    pub description: String,
    /// How it was worked out ("prorated 12 of 30 days"), printed smaller.
    #[serde(default)]
    pub detail: Option<String>,
    /// SAC code.
    #[serde(default)]
    pub sac: Option<String>,
    /// Value before tax.
    pub taxable_value: Paise,
    /// CGST.
    pub cgst: Paise,
    /// SGST.
    pub sgst: Paise,
    /// IGST.
    pub igst: Paise,
    /// What the line adds to the invoice.
    pub total: Paise,
}

/// Invoice totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InvoiceTotalsDoc {
    /// Taxable value.
    pub taxable_value: Paise,
    /// CGST.
    pub cgst: Paise,
    /// SGST.
    pub sgst: Paise,
    /// IGST.
    pub igst: Paise,
    /// Rounding to the rupee.
    pub round_off: Paise,
    /// Invoice total.
    pub total: Paise,
}

/// A payment received against the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentDoc {
    /// When it was received.
    pub date: NaiveDate,
    /// How.
    pub mode: PaymentMode,
    /// UTR, cheque number or other reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// How much of it went to this invoice.
    pub amount: Paise,
}

/// An issued invoice, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDocument {
    /// Who issues it.
    pub seller: Seller,
    /// Where to pay by UPI; no QR code without it.
    #[serde(default)]
    pub upi: Option<UpiPayee>,
    /// Invoice number (at most 16 characters under GST), e.g. `BLR1/26-27/00042`.
    pub number: String,
    /// "Tax Invoice", "Bill of Supply" or "Invoice".
    pub title: String,
    /// Invoice date.
    pub date: NaiveDate,
    /// The period billed.
    pub period: Period,
    /// Due date.
    pub due_date: NaiveDate,
    /// Tenant name.
    pub tenant_name: String,
    /// Tenant GSTIN (business tenants).
    #[serde(default)]
    pub tenant_gstin: Option<String>,
    /// Room and bed ("Room 204, Bed B").
    pub room_bed: String,
    /// The property's state (place of supply).
    pub property_state: String,
    /// Lines.
    pub lines: Vec<InvoiceLineDoc>,
    /// Totals.
    pub totals: InvoiceTotalsDoc,
    /// Which GST rule applied ("Exempt: residential dwelling (SAC 997211)").
    #[serde(default)]
    pub gst_note: Option<String>,
    /// Tax is payable by the recipient on reverse charge.
    #[serde(default)]
    pub reverse_charge: bool,
    /// Payments received against it.
    #[serde(default)]
    pub payments: Vec<PaymentDoc>,
    /// What is still to be paid.
    pub amount_due: Paise,
    /// The invoice was cancelled: printed with a CANCELLED mark and no QR code.
    #[serde(default)]
    pub cancelled: bool,
}

/// A rent receipt, as tenants file them for HRA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptDocument {
    /// Receipt number.
    pub number: String,
    /// Receipt date.
    pub date: NaiveDate,
    /// Landlord (or business) name.
    pub landlord_name: String,
    /// Landlord address, one printed line each.
    pub landlord_address_lines: Vec<String>,
    /// Landlord PAN.
    #[serde(default)]
    pub landlord_pan: Option<String>,
    /// Tenant name.
    pub tenant_name: String,
    /// Property and room ("Sai Comforts, Room 204").
    pub property_room: String,
    /// The rent period paid for.
    pub period: Period,
    /// Amount received.
    pub amount: Paise,
    /// How it was paid.
    pub mode: PaymentMode,
    /// UTR, cheque number or other reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// The tenant's rent in this financial year so far, this receipt included:
    /// above ₹1,00,000 the landlord's PAN is needed for HRA.
    pub tenant_rent_this_fy: Paise,
}
