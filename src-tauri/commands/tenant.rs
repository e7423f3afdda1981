use multipms_domain::tenant::TenantInput;
use multipms_store::tenant::{Tenant, TenantListing};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Search as you type: any part of a name, mobile, room or bed.
#[tauri::command]
pub async fn search_tenants(
    state: State<'_, AppState>,
    query: String,
    limit: Option<u32>,
) -> Result<Vec<TenantListing>, CommandError> {
    Ok(state
        .store()?
        .search_tenants(&query, limit.unwrap_or(50))
        .await?)
}

#[tauri::command]
pub async fn get_tenant(state: State<'_, AppState>, id: String) -> Result<Tenant, CommandError> {
    Ok(state.store()?.tenant(&id).await?)
}

/// Adds a tenant, or edits the one named by `id`.
#[tauri::command]
pub async fn save_tenant(
    state: State<'_, AppState>,
    id: Option<String>,
    input: TenantInput,
) -> Result<Tenant, CommandError> {
    Ok(state
        .store()?
        .save_tenant(&state.actor(), id.as_deref(), &input)
        .await?)
}
