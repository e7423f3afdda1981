//! The Reports screen's figures: collections by month and mode, and the
//! deposits held.

use multipms_store::reports::{CollectionMonth, DepositHeld};
use multipms_store::today;
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct Reports {
    /// The last 12 months, oldest first (months without payments left out).
    pub collections: Vec<CollectionMonth>,
    pub deposits: Vec<DepositHeld>,
}

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
        deposits: store.deposits_held().await?,
    })
}
