//! A property: one building of the business, with its address, GST
//! registration, invoice series code and UPI ID.

use serde::{Deserialize, Serialize};

use crate::dates::FinancialYear;
use crate::error::{DomainError, DomainResult};
use crate::gstin::Gstin;
use crate::indian_state::{current_gst_state_code, find_state, gst_state_name};
use crate::pan::Pan;
use crate::pin_code::PinCode;
use crate::text::{non_blank, optional_text, required_text};
use crate::upi::UpiId;

/// Longest invoice number the GST rules allow.
pub const MAX_INVOICE_NUMBER_CHARS: usize = 16;
/// Zero-padded width of the sequence in invoice numbers (`00042`), where it
/// fits.
pub const INVOICE_SEQUENCE_WIDTH: usize = 5;

/// The short code of a property's invoice series: 2–6 upper-case letters or
/// digits, as in `BLR1/26-27/00042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PropertyCode(String);

impl PropertyCode {
    /// Parses a code in any case. Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<PropertyCode> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(DomainError::invalid(
                field,
                "Property code is required: 2 to 6 letters or digits, like BLR1",
            ));
        }
        if !(2..=6).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(DomainError::invalid(
                field,
                "Property code must be 2 to 6 letters or digits, like BLR1; it starts every invoice number",
            ));
        }
        Ok(PropertyCode(code))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits left for the sequence in a 16-character invoice number
    /// (`CODE/26-27/` takes the rest): 5 for a 4-letter code, 3 for 6.
    pub fn sequence_digits(&self) -> usize {
        MAX_INVOICE_NUMBER_CHARS - self.0.len() - "/26-27/".len()
    }

    /// Highest invoice sequence number a financial year can reach.
    pub fn max_sequence(&self) -> u32 {
        10u32.saturating_pow(self.sequence_digits() as u32) - 1
    }

    /// The invoice number for `sequence` (from 1) in `year`:
    /// `BLR1/26-27/00042`, padded to 5 digits where they fit, never longer
    /// than 16 characters.
    pub fn invoice_number(&self, year: FinancialYear, sequence: u32) -> DomainResult<String> {
        if sequence == 0 {
            return Err(DomainError::invalid(
                "sequence",
                "Invoice numbers start at 1",
            ));
        }
        if sequence > self.max_sequence() {
            return Err(DomainError::conflict(format!(
                "Invoice series {} has used all {} numbers for {}; start a new invoice series",
                self.0,
                crate::money::group_indian(u64::from(self.max_sequence())),
                year.label()
            )));
        }
        let width = INVOICE_SEQUENCE_WIDTH.min(self.sequence_digits());
        Ok(format!(
            "{}/{}/{:0width$}",
            self.0,
            year.short_label(),
            sequence
        ))
    }
}

impl TryFrom<String> for PropertyCode {
    type Error = DomainError;
    fn try_from(value: String) -> DomainResult<PropertyCode> {
        PropertyCode::parse(&value, "code")
    }
}

impl From<PropertyCode> for String {
    fn from(value: PropertyCode) -> String {
        value.0
    }
}

/// What the property form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PropertyInput {
    /// Name tenants know the building by.
    pub name: String,
    /// Building, street.
    pub address_line1: String,
    /// Area, landmark; optional.
    pub address_line2: Option<String>,
    /// City or town.
    pub city: String,
    /// State or union territory, by name.
    pub state: String,
    /// Six-digit PIN code.
    pub pin_code: String,
    /// GSTIN if the property is registered; optional.
    pub gstin: Option<String>,
    /// Invoice series code, 2–6 letters or digits.
    pub code: String,
    /// UPI ID for the QR code on invoices; optional.
    pub upi_id: Option<String>,
    /// Who receipts name as landlord, when not the property's name
    /// (the owner of the building); optional.
    pub landlord_name: Option<String>,
    /// The landlord's PAN, which rent receipts need once a tenant's rent
    /// passes ₹1,00,000 in a financial year; optional.
    pub landlord_pan: Option<String>,
}

/// A checked property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyDetails {
    /// Name, spaces folded.
    pub name: String,
    /// Building, street.
    pub address_line1: String,
    /// Area, landmark.
    pub address_line2: Option<String>,
    /// City or town.
    pub city: String,
    /// Official name of the state or union territory.
    pub state: &'static str,
    /// Its GST state code (29 for Karnataka): the place of supply for rent.
    pub state_code: u8,
    /// PIN code.
    pub pin_code: PinCode,
    /// GST registration, registered in `state`.
    pub gstin: Option<Gstin>,
    /// Invoice series code.
    pub code: PropertyCode,
    /// UPI ID for payments.
    pub upi_id: Option<UpiId>,
    /// Landlord named on rent receipts.
    pub landlord_name: Option<String>,
    /// Landlord's PAN for rent receipts.
    pub landlord_pan: Option<Pan>,
}

impl PropertyInput {
    /// Checks the form and returns the property, or the first error by field.
    pub fn validate(&self) -> DomainResult<PropertyDetails> {
        let name = required_text(&self.name, "name", "Property name", 120)?;
        let address_line1 = required_text(&self.address_line1, "address_line1", "Address", 200)?;
        let address_line2 = optional_text(
            self.address_line2.as_deref(),
            "address_line2",
            "Address line 2",
            200,
        )?;
        let city = required_text(&self.city, "city", "City", 80)?;
        if self.state.trim().is_empty() {
            return Err(DomainError::invalid("state", "State is required"));
        }
        let state = find_state(&self.state).ok_or_else(|| {
            DomainError::invalid(
                "state",
                "Choose the state or union territory from the list, like Karnataka or Maharashtra",
            )
        })?;
        let pin_code = PinCode::parse(&self.pin_code, "pin_code")?;
        let gstin = match non_blank(self.gstin.as_deref()) {
            None => None,
            Some(raw) => {
                let gstin = Gstin::parse(raw, "gstin")?;
                if current_gst_state_code(gstin.state_code()) != state.gst_code {
                    return Err(DomainError::invalid(
                        "gstin",
                        format!(
                            "This GSTIN is registered in {} (code {:02}) but the property is in {} (code {:02}); use the GSTIN for {}",
                            gst_state_name(gstin.state_code()).unwrap_or("another state"),
                            gstin.state_code(),
                            state.name,
                            state.gst_code,
                            state.name
                        ),
                    ));
                }
                Some(gstin)
            }
        };
        let code = PropertyCode::parse(&self.code, "code")?;
        let upi_id = non_blank(self.upi_id.as_deref())
            .map(|raw| UpiId::parse(raw, "upi_id"))
            .transpose()?;
        let landlord_name = optional_text(
            self.landlord_name.as_deref(),
            "landlord_name",
            "Landlord name",
            120,
        )?;
        let landlord_pan = non_blank(self.landlord_pan.as_deref())
            .map(|raw| Pan::parse(raw, "landlord_pan"))
            .transpose()?;
        Ok(PropertyDetails {
            name,
            address_line1,
            address_line2,
            city,
            state: state.name,
            state_code: state.gst_code,
            pin_code,
            gstin,
            code,
            upi_id,
            landlord_name,
            landlord_pan,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PropertyInput {
        PropertyInput {
            name: "  Sai   Comforts PG ".into(),
            address_line1: "12, 3rd Cross, 5th Block".into(),
            address_line2: Some("Koramangala".into()),
            city: "Bengaluru".into(),
            state: "karnataka".into(),
            pin_code: "560 034".into(),
            gstin: Some("29AAGCB7383J1Z4".into()),
            code: "blr1".into(),
            upi_id: Some("SaiComforts@okhdfcbank".into()),
            landlord_name: None,
            landlord_pan: None,
        }
    }

    #[test]
    fn valid_property() {
        let p = input().validate().unwrap();
        assert_eq!(p.name, "Sai Comforts PG");
        assert_eq!(p.state, "Karnataka");
        assert_eq!(p.state_code, 29);
        assert_eq!(p.pin_code.as_str(), "560034");
        assert_eq!(p.gstin.as_ref().unwrap().state_code(), 29);
        assert_eq!(p.code.as_str(), "BLR1");
        assert_eq!(
            p.upi_id.as_ref().unwrap().as_str(),
            "saicomforts@okhdfcbank"
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["code"], "BLR1");
        assert_eq!(json["gstin"], "29AAGCB7383J1Z4");
    }

    #[test]
    fn optional_fields_may_be_blank() {
        let p = PropertyInput {
            address_line2: Some(" ".into()),
            gstin: Some("".into()),
            upi_id: None,
            ..input()
        }
        .validate()
        .unwrap();
        assert_eq!(p.address_line2, None);
        assert_eq!(p.gstin, None);
        assert_eq!(p.upi_id, None);
        assert_eq!(p.landlord_pan, None);
    }

    #[test]
    fn landlord_pan_is_read_in_any_case() {
        let p = PropertyInput {
            landlord_name: Some("  Ramesh   Kumar ".into()),
            landlord_pan: Some("abcpe 1234f".into()),
            ..input()
        }
        .validate()
        .unwrap();
        assert_eq!(p.landlord_name.as_deref(), Some("Ramesh Kumar"));
        assert_eq!(p.landlord_pan.unwrap().as_str(), "ABCPE1234F");
    }

    #[test]
    fn first_error_names_the_field() {
        let cases: Vec<(PropertyInput, &str, &str)> = vec![
            (PropertyInput { name: " ".into(), ..input() }, "name", "Property name is required"),
            (PropertyInput { address_line1: "".into(), ..input() }, "address_line1", "Address is required"),
            (PropertyInput { address_line2: Some("x".repeat(201)), ..input() }, "address_line2", "Address line 2 must be at most 200 characters"),
            (PropertyInput { city: "".into(), ..input() }, "city", "City is required"),
            (PropertyInput { state: "".into(), ..input() }, "state", "State is required"),
            (PropertyInput { state: "Bangalore".into(), ..input() }, "state", "Choose the state"),
            (PropertyInput { pin_code: "056003".into(), ..input() }, "pin_code", "PIN code must have 6 digits"),
            (PropertyInput { gstin: Some("29AAGCB7383J1Z5".into()), ..input() }, "gstin", "This GSTIN is not valid"),
            (
                PropertyInput { gstin: Some("27AAPFU0939F1ZV".into()), ..input() },
                "gstin",
                "This GSTIN is registered in Maharashtra (code 27) but the property is in Karnataka (code 29)",
            ),
            (PropertyInput { code: "".into(), ..input() }, "code", "Property code is required"),
            (PropertyInput { code: "B".into(), ..input() }, "code", "Property code must be 2 to 6"),
            (PropertyInput { code: "BLR-1".into(), ..input() }, "code", "Property code must be 2 to 6"),
            (PropertyInput { code: "BANGLR1".into(), ..input() }, "code", "Property code must be 2 to 6"),
            (PropertyInput { upi_id: Some("sai".into()), ..input() }, "upi_id", "Enter the UPI ID"),
            (PropertyInput { landlord_name: Some("x".repeat(121)), ..input() }, "landlord_name", "Landlord name must be at most 120"),
            (PropertyInput { landlord_pan: Some("ABCPE1234".into()), ..input() }, "landlord_pan", "PAN must be 10 characters"),
            (PropertyInput { landlord_pan: Some("ABCXE1234F".into()), ..input() }, "landlord_pan", "The 4th letter of a PAN"),
            (PropertyInput { name: "".into(), code: "".into(), ..input() }, "name", "Property name"),
        ];
        for (case, field, start) in cases {
            match case.validate() {
                Err(DomainError::Invalid { field: f, message }) => {
                    assert_eq!(f, field);
                    assert!(message.starts_with(start), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn legacy_gst_codes_match_their_state() {
        let body = "28AAPFU0939F1Z";
        let gstin = format!("{body}{}", crate::gstin::gstin_check_char(body).unwrap());
        let p = PropertyInput {
            state: "Andhra Pradesh".into(),
            gstin: Some(gstin),
            ..input()
        };
        assert_eq!(p.validate().unwrap().state_code, 37);
    }

    #[test]
    fn invoice_numbers_fit_sixteen_characters() {
        let fy = FinancialYear::starting(2026).unwrap();
        let code = |c: &str| PropertyCode::parse(c, "code").unwrap();
        assert_eq!(
            code("BLR1").invoice_number(fy, 42).unwrap(),
            "BLR1/26-27/00042"
        );
        assert_eq!(code("BL").invoice_number(fy, 42).unwrap(), "BL/26-27/00042");
        assert_eq!(
            code("BL").invoice_number(fy, 1_234_567).unwrap(),
            "BL/26-27/1234567"
        );
        assert_eq!(
            code("BLR12").invoice_number(fy, 42).unwrap(),
            "BLR12/26-27/0042"
        );
        assert_eq!(
            code("BLR123").invoice_number(fy, 42).unwrap(),
            "BLR123/26-27/042"
        );
        assert_eq!(code("BLR1").max_sequence(), 99_999);
        assert_eq!(code("BLR123").max_sequence(), 999);
        assert_eq!(code("BL").max_sequence(), 9_999_999);
        for c in ["BL", "BLR", "BLR1", "BLR12", "BLR123"] {
            let code = code(c);
            let n = code.invoice_number(fy, code.max_sequence()).unwrap();
            assert!(n.len() <= MAX_INVOICE_NUMBER_CHARS, "{n}");
            assert!(code.invoice_number(fy, 1).unwrap().len() <= MAX_INVOICE_NUMBER_CHARS);
        }
        assert_eq!(
            code("BLR1").invoice_number(fy, 100_000),
            Err(DomainError::conflict(
                "Invoice series BLR1 has used all 99,999 numbers for FY 2026-27; start a new invoice series"
            ))
        );
        assert!(matches!(
            code("BLR1").invoice_number(fy, 0),
            Err(DomainError::Invalid { .. })
        ));
    }
}
