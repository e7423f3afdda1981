//! Time as the store writes it: RFC 3339 instants and ISO dates.

use chrono::NaiveDate;

use crate::error::{StoreError, StoreResult};

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

/// Today on this desk's calendar.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub(crate) fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_iso(text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

pub(crate) fn parse_iso_opt(text: Option<&str>) -> StoreResult<Option<NaiveDate>> {
    text.map(parse_iso).transpose()
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
