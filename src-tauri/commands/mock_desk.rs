//! A desk on Tauri's mock runtime, without a window: the real app (its
//! commands, capabilities and store on a temporary folder), called through
//! IPC with JSON as the UI calls it.

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

pub(super) struct MockDesk {
    pub(super) app: tauri::App<tauri::test::MockRuntime>,
    pub(super) window: WebviewWindow<tauri::test::MockRuntime>,
    pub(super) _data: tempfile::TempDir,
}

pub(super) fn desk() -> MockDesk {
    let data = tempfile::tempdir().unwrap();
    let app = crate::configure(mock_builder(), Some(data.path().to_path_buf()))
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime with its real capabilities");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    MockDesk {
        app,
        window,
        _data: data,
    }
}

pub(super) fn invoke(desk: &MockDesk, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &desk.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

/// Saved files land in one folder for the whole test process, as they do
/// for scripted runs (no one can click a native dialog here); documents
/// keep their key in a file (no keyring on a build machine).
pub(super) fn saved_files_folder() -> &'static std::path::Path {
    static FOLDER: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    FOLDER
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            std::env::set_var(crate::save_dialog::SAVE_DIR_VARIABLE, dir.path());
            std::env::set_var(multipms_documents::KEY_STORE_ENV, "file");
            dir
        })
        .path()
}
