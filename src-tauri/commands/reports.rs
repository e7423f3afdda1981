//! The Reports screen's figures: collections by month and mode, and the
//! deposits held.

use multipms_store::reports::{CollectionMonth, DepositsHeld};
use multipms_store::today;
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct Reports {
    /// The last 12 months, oldest first (months without payments left out).
    pub collections: Vec<CollectionMonth>,
    /// The 100 largest deposits held, with the count and sum over all
    /// (the CSV export holds everyone).
    pub deposits: DepositsHeld,
}

/// Deposits listed on the Reports screen.
const LARGEST_DEPOSITS: u32 = 100;

#[tauri::command]
pub async fn reports(state: State<'_, AppState>) -> Result<Reports, CommandError> {
    let store = state.store()?;
    let to = today();
    let from = to
        .checked_sub_months(chrono::Months::new(11))
        .and_then(|d| chrono::Datelike::with_day(&d, 1))
        .unwrap_or(to);
    Ok(Reports {
        collections: store.collections_by_month(from, to).await?,
        deposits: store.largest_deposits_held(LARGEST_DEPOSITS).await?,
    })
}
