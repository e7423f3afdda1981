//! MultiPMS domain core: the types and rules of an Indian rental business.
//!
//! Pure: no IO, no database, no Tauri. The desktop store and the server both
//! persist what these rules allow.
//!
//! - Values: [`money`] (integer paise, Indian display and words), [`dates`]
//!   (DD/MM/YYYY, financial years), identifiers ([`phone`], [`aadhaar`],
//!   [`pan`], [`gstin`], [`pin_code`], [`email`], [`upi`], [`kyc`]) and
//!   [`indian_state`] (GST state codes).
//! - Entities, each with a form input whose `validate()` returns a checked
//!   value or the first error naming its field: [`organisation`],
//!   [`property`], [`room`], [`bed`], [`tenant`], [`contract`].
//! - Rules over time: [`allocation`] (half-open [move_in, move_out) stays,
//!   no overlaps, notice, transfers) and [`occupancy`].
//! - Money rules: [`billing`] (proration, charges, electricity, late fees,
//!   GST, invoice drafts and numbers), [`ledger`] (append-only entries,
//!   balances, open items, ageing), [`payment`] (modes, UTRs, cheques,
//!   allocation), [`deposit`] (move-out settlement) and [`csv_cell`]
//!   (spreadsheet-safe export cells).

#![warn(missing_docs)]

pub mod aadhaar;
pub mod allocation;
pub mod bed;
pub mod billing;
pub mod contract;
pub mod csv_cell;
pub mod dates;
pub mod deposit;
pub mod email;
pub mod error;
pub mod gstin;
pub mod indian_state;
pub mod kyc;
pub mod ledger;
pub mod money;
pub mod occupancy;
pub mod organisation;
pub mod pan;
pub mod payment;
pub mod phone;
pub mod pin_code;
pub mod property;
pub mod room;
pub mod tenant;
pub mod upi;

mod text;

pub use allocation::{check_no_overlap, ExistingAllocation, Stay};
pub use dates::FinancialYear;
pub use error::{DomainError, DomainResult};
pub use money::Paise;
