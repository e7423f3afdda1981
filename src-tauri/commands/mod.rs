//! The commands the UI calls. Each one deserializes, calls the store or the
//! domain, and maps the error: nothing more.

pub mod allocation;
pub mod app_info;
pub mod billing;
pub mod charges;
pub mod corrections;
pub mod dashboard;
pub mod deposit_settlement;
pub mod documents;
pub mod electricity;
pub mod export;
pub mod invoice_pdf;
pub mod late_fee;
pub mod number_series;
pub mod occupancy;
pub mod organisation;
pub mod property;
pub mod receipt_pdf;
pub mod reports;
pub mod room;
pub mod sync;
pub mod tenant;

use crate::error::CommandError;

/// A date argument as the UI sends it (DD/MM/YYYY or ISO), checked by the
/// domain; a bad one names `field`.
pub(crate) fn date_arg(text: &str, field: &str) -> Result<chrono::NaiveDate, CommandError> {
    Ok(multipms_domain::dates::parse_date(text, field)?)
}

#[cfg(test)]
mod answer_scenario;
#[cfg(test)]
mod answer_shape;
#[cfg(test)]
mod answer_shape_tests;
#[cfg(test)]
mod answer_shapes;
#[cfg(test)]
mod mock_desk;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod ui_reads;
#[cfg(test)]
mod wiring_tests;
