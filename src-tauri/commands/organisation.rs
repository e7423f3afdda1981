use std::path::PathBuf;

use multipms_documents::prepare_logo;
use multipms_store::organisation::Organisation;
use tauri::{AppHandle, Runtime, State};

use crate::error::CommandError;
use crate::save_dialog::{self, PickSpec};
use crate::state::AppState;

/// The business this desk works for; `null` before the first run is done.
#[tauri::command]
pub async fn get_organisation(
    state: State<'_, AppState>,
) -> Result<Option<Organisation>, CommandError> {
    Ok(state.store()?.organisation().await?)
}

/// Names (or renames) the business.
#[tauri::command]
pub async fn save_organisation_name(
    state: State<'_, AppState>,
    name: String,
) -> Result<Organisation, CommandError> {
    Ok(state
        .store()?
        .save_organisation_name(&state.actor(), &name)
        .await?)
}

const LOGO_FILES: PickSpec = PickSpec {
    title: "Choose the logo",
    label: "Picture",
    extensions: &["png", "jpg", "jpeg", "webp"],
};

/// Sets the logo printed on invoices from the picture at `path` (dropped on
/// the window), scaled down to at most 600 pixels a side. Returns it as a
/// data URL to show.
#[tauri::command]
pub async fn set_logo_file(
    state: State<'_, AppState>,
    path: String,
) -> Result<String, CommandError> {
    let path = PathBuf::from(path);
    let png = tokio::task::spawn_blocking(move || prepare_logo(&path))
        .await
        .map_err(|e| CommandError::Internal {
            message: format!("The logo could not be read: {e}"),
        })?
        .map_err(|e| CommandError::Invalid {
            field: "logo".into(),
            message: e.to_string(),
        })?;
    state.store()?.set_logo(&state.actor(), Some(&png)).await?;
    Ok(png_data_url(&png))
}

/// Asks for the logo picture with the system's open dialog and sets it;
/// `None` when the user cancels.
#[tauri::command]
pub async fn choose_logo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<String>, CommandError> {
    let Some(path) = save_dialog::pick_files(&app, &LOGO_FILES)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    set_logo_file(state, path.display().to_string())
        .await
        .map(Some)
}

/// Removes the logo; invoices print without one.
#[tauri::command]
pub async fn remove_logo(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.store()?.set_logo(&state.actor(), None).await?)
}

/// The logo as a data URL for the settings screen, when one is set.
#[tauri::command]
pub async fn logo_image(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    Ok(state.store()?.logo().await?.as_deref().map(png_data_url))
}

fn png_data_url(png: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

/// Names the person using this desk; the audit log records them as the
/// actor of every later write here.
#[tauri::command]
pub async fn set_desk_operator(
    state: State<'_, AppState>,
    name: String,
) -> Result<String, CommandError> {
    Ok(state.store()?.set_operator(&name).await?)
}
