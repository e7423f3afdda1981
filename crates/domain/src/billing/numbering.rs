//! Invoice numbers: one series per property and desk, numbered from 1 in
//! each Indian financial year.
//!
//! Law: an invoice carries "a consecutive serial number not exceeding
//! sixteen characters, in one or multiple series, … unique for a financial
//! year" (CGST Rules r.46(b)). So:
//!
//! - the series prefix is the property code followed by the desk's series
//!   suffix (`BLR1` + `A` = `BLR1A`), so two desks never write the same
//!   number even offline, and the number is `BLR1A/26-27/0042`, never more
//!   than 16 characters (see [`PropertyCode::invoice_number`]);
//! - the sequence restarts at 1 on 1 April;
//! - the store keeps the prefix unique in the organisation (a property
//!   `BLR12` and desk `2` of property `BLR1` would clash) and the last
//!   position of each series, and asks [`InvoiceSeries::next`] for the next.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::{format_date, FinancialYear};
use crate::error::{DomainError, DomainResult};
use crate::property::PropertyCode;

/// Longest desk series suffix.
pub const MAX_DESK_SUFFIX_CHARS: usize = 2;

/// An invoice series: a property's code and, for a desk of a connected
/// installation, the desk's suffix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct InvoiceSeries {
    property: PropertyCode,
    desk_suffix: Option<String>,
    prefix: PropertyCode,
}

/// Where a series stands: the financial year and the last sequence used in
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeriesPosition {
    /// Financial year of the last number.
    pub financial_year: FinancialYear,
    /// Last sequence used in it (from 1).
    pub sequence: u32,
}

/// A number handed out by a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedNumber {
    /// The invoice number, e.g. `BLR1A/26-27/0042`.
    pub number: String,
    /// The series position after it, to store.
    pub position: SeriesPosition,
}

impl InvoiceSeries {
    /// The series of `property` at the desk with `desk_suffix` (1 or 2
    /// letters or digits, any case), or the property's own series when
    /// `None` (a standalone install, the only desk). Code and suffix
    /// together are at most 6 characters so the sequence keeps at least 3
    /// digits. Field `desk_series`.
    pub fn new(property: &PropertyCode, desk_suffix: Option<&str>) -> DomainResult<InvoiceSeries> {
        let suffix = desk_suffix
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| !s.is_empty());
        let prefix = match &suffix {
            None => property.clone(),
            Some(s) => {
                if s.len() > MAX_DESK_SUFFIX_CHARS || !s.bytes().all(|b| b.is_ascii_alphanumeric())
                {
                    return Err(DomainError::invalid(
                        "desk_series",
                        "Desk series must be 1 or 2 letters or digits, like A",
                    ));
                }
                let joined = format!("{}{s}", property.as_str());
                PropertyCode::parse(&joined, "desk_series").map_err(|_| {
                    DomainError::invalid(
                        "desk_series",
                        format!(
                            "Property code {} and desk series {s} make {joined}, longer than 6 characters; use a shorter desk series so invoice numbers fit 16 characters",
                            property.as_str()
                        ),
                    )
                })?
            }
        };
        Ok(InvoiceSeries {
            property: property.clone(),
            desk_suffix: suffix,
            prefix,
        })
    }

    /// The prefix of every number: `BLR1A`.
    pub fn prefix(&self) -> &str {
        self.prefix.as_str()
    }

    /// The property's code.
    pub fn property_code(&self) -> &PropertyCode {
        &self.property
    }

    /// The desk's suffix, if any.
    pub fn desk_suffix(&self) -> Option<&str> {
        self.desk_suffix.as_deref()
    }

    /// Highest sequence a financial year can reach in this series.
    pub fn max_sequence(&self) -> u32 {
        self.prefix.max_sequence()
    }

    /// The number for `sequence` in `year`.
    pub fn number(&self, year: FinancialYear, sequence: u32) -> DomainResult<String> {
        self.prefix.invoice_number(year, sequence)
    }

    /// The next number for an invoice dated `invoice_date`, after `last`
    /// (the series position stored, `None` for a new series): the next
    /// sequence in the same financial year, or 1 in a later one (on and
    /// after 1 April). An invoice cannot be dated in a financial year
    /// before the series' last one: its numbers there are closed.
    pub fn next(
        &self,
        last: Option<SeriesPosition>,
        invoice_date: NaiveDate,
    ) -> DomainResult<IssuedNumber> {
        let year = FinancialYear::of(invoice_date);
        let sequence = match last {
            None => 1,
            Some(p) if p.financial_year < year => 1,
            Some(p) if p.financial_year == year => p.sequence.checked_add(1).ok_or_else(|| {
                DomainError::conflict(format!("Invoice series {} is full for {}", self.prefix(), year.label()))
            })?,
            Some(p) => {
                return Err(DomainError::invalid(
                    "invoice_date",
                    format!(
                        "Invoice date {} is in {}, but series {} has already issued numbers in {}; date the invoice on or after {}",
                        format_date(invoice_date),
                        year.label(),
                        self.prefix(),
                        p.financial_year.label(),
                        format_date(p.financial_year.first_day())
                    ),
                ))
            }
        };
        let number = self.number(year, sequence)?;
        Ok(IssuedNumber {
            number,
            position: SeriesPosition {
                financial_year: year,
                sequence,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::property::MAX_INVOICE_NUMBER_CHARS;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn code(c: &str) -> PropertyCode {
        PropertyCode::parse(c, "code").unwrap()
    }

    fn fy(start: i32) -> FinancialYear {
        FinancialYear::starting(start).unwrap()
    }

    #[test]
    fn series_per_desk() {
        let own = InvoiceSeries::new(&code("BLR1"), None).unwrap();
        assert_eq!(own.prefix(), "BLR1");
        assert_eq!(own.number(fy(2026), 42).unwrap(), "BLR1/26-27/00042");
        let desk = InvoiceSeries::new(&code("BLR1"), Some(" a ")).unwrap();
        assert_eq!(desk.prefix(), "BLR1A");
        assert_eq!(desk.desk_suffix(), Some("A"));
        assert_eq!(desk.number(fy(2026), 42).unwrap(), "BLR1A/26-27/0042");
        assert_eq!(desk.max_sequence(), 9_999);
        let two = InvoiceSeries::new(&code("BLR1"), Some("B2")).unwrap();
        assert_eq!(two.number(fy(2026), 42).unwrap(), "BLR1B2/26-27/042");
        // Two desks of one property never share a number.
        assert_ne!(
            desk.number(fy(2026), 7).unwrap(),
            two.number(fy(2026), 7).unwrap()
        );
        assert_eq!(InvoiceSeries::new(&code("BLR1"), Some("")).unwrap(), own);
        for bad in ["ABC", "A-", "₹"] {
            assert!(
                InvoiceSeries::new(&code("BLR1"), Some(bad)).is_err(),
                "{bad}"
            );
        }
        let err = InvoiceSeries::new(&code("BLR123"), Some("A")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Property code BLR123 and desk series A make BLR123A"),
            "{err}"
        );
        for prefix in ["BL", "BLR12"] {
            let s = InvoiceSeries::new(&code(prefix), Some("Z")).unwrap();
            let n = s.number(fy(2026), s.max_sequence()).unwrap();
            assert!(n.len() <= MAX_INVOICE_NUMBER_CHARS, "{n}");
        }
    }

    #[test]
    fn numbers_roll_over_on_1_april() {
        let s = InvoiceSeries::new(&code("BLR1"), Some("A")).unwrap();
        let first = s.next(None, d("15/03/2026")).unwrap();
        assert_eq!(first.number, "BLR1A/25-26/0001");
        let second = s.next(Some(first.position), d("31/03/2026")).unwrap();
        assert_eq!(second.number, "BLR1A/25-26/0002");
        let april = s.next(Some(second.position), d("01/04/2026")).unwrap();
        assert_eq!(april.number, "BLR1A/26-27/0001");
        assert_eq!(
            april.position,
            SeriesPosition {
                financial_year: fy(2026),
                sequence: 1
            }
        );
        let next = s.next(Some(april.position), d("02/04/2026")).unwrap();
        assert_eq!(next.number, "BLR1A/26-27/0002");
        // A year with no invoices in between still starts at 1.
        let later = s.next(Some(next.position), d("10/04/2028")).unwrap();
        assert_eq!(later.number, "BLR1A/28-29/0001");
        // Back-dating into a closed year is refused.
        let err = s.next(Some(april.position), d("31/03/2026")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invoice date 31/03/2026 is in FY 2025-26, but series BLR1A has already issued numbers in FY 2026-27; date the invoice on or after 01/04/2026"
        );
        // A full series says so.
        let full = SeriesPosition {
            financial_year: fy(2026),
            sequence: 9_999,
        };
        assert!(matches!(
            s.next(Some(full), d("01/05/2026")),
            Err(DomainError::Conflict { .. })
        ));
    }
}
