//! Sync with the organisation's server: sign in and out, the status the
//! header shows, "sync now", and the conflicts the server refused.

use multipms_store::sync_link::LinkStart;
use multipms_store::sync_outbox::SyncConflict;
use multipms_sync::SyncStatus;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Where sync stands: state, changes waiting, progress, last synced,
/// conflicts to review.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, CommandError> {
    Ok(state.sync()?.status().await?)
}

/// Signs this desk in to a server and links it to the user's
/// organisation. The session token goes to the OS keyring.
#[tauri::command]
pub async fn sync_sign_in(
    state: State<'_, AppState>,
    server_url: String,
    email: String,
    password: String,
) -> Result<LinkStart, CommandError> {
    Ok(state
        .sync()?
        .sign_in(&server_url, &email, &password)
        .await?)
}

/// Signs out: the token leaves the keyring; waiting changes stay.
#[tauri::command]
pub async fn sync_sign_out(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.sync()?.sign_out().await?)
}

/// Asks the background sync to push and pull now.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.sync()?.nudge();
    Ok(())
}

/// Changes the server refused and rolled back here, newest first.
#[tauri::command]
pub async fn sync_conflicts(state: State<'_, AppState>) -> Result<Vec<SyncConflict>, CommandError> {
    Ok(state.store()?.sync_conflicts().await?)
}

/// The user has read a conflict.
#[tauri::command]
pub async fn dismiss_sync_conflict(
    state: State<'_, AppState>,
    op_id: String,
) -> Result<(), CommandError> {
    Ok(state.store()?.dismiss_conflict(&op_id).await?)
}
