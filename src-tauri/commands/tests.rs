//! The commands through Tauri's IPC on the mock runtime, without a window:
//! what goes in as JSON and what comes back, errors included.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

struct MockDesk {
    _app: tauri::App<tauri::test::MockRuntime>,
    window: WebviewWindow<tauri::test::MockRuntime>,
    _data: tempfile::TempDir,
}

fn desk() -> MockDesk {
    let data = tempfile::tempdir().unwrap();
    let app = crate::configure(mock_builder(), Some(data.path().to_path_buf()))
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime with its real capabilities");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    MockDesk {
        _app: app,
        window,
        _data: data,
    }
}

fn invoke(desk: &MockDesk, cmd: &str, args: Value) -> Result<Value, Value> {
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

#[test]
fn organisation_round_trip_through_ipc() {
    let desk = desk();
    assert_eq!(
        invoke(&desk, "get_organisation", json!({})),
        Ok(Value::Null)
    );
    let saved = invoke(
        &desk,
        "save_organisation_name",
        json!({ "name": "  Green Nest  Co-living " }),
    )
    .unwrap();
    assert_eq!(saved["name"], "Green Nest Co-living");
    let read = invoke(&desk, "get_organisation", json!({})).unwrap();
    assert_eq!(read["id"], saved["id"]);
}

#[test]
fn a_bad_name_comes_back_as_a_field_error() {
    let desk = desk();
    let error = invoke(&desk, "save_organisation_name", json!({ "name": "" })).unwrap_err();
    assert_eq!(error["kind"], "invalid");
    assert_eq!(error["field"], "name");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .starts_with("Business name is required"));
    assert_eq!(
        invoke(&desk, "get_organisation", json!({})),
        Ok(Value::Null)
    );
}

#[test]
fn a_missing_argument_is_refused_without_a_panic() {
    let desk = desk();
    let error = invoke(&desk, "save_organisation_name", json!({})).unwrap_err();
    assert!(
        error.as_str().unwrap_or_default().contains("name"),
        "{error}"
    );
}

#[test]
fn app_info_names_the_data_folder_and_desk() {
    let desk = desk();
    let info = invoke(&desk, "app_info", json!({})).unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(info["desk_id"].as_str().unwrap().len() == 36);
    assert!(info["data_dir"].as_str().unwrap().len() > 1);
}

#[test]
fn an_unusable_data_folder_is_reported_not_panicked() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let app = crate::configure(mock_builder(), Some(file.path().to_path_buf()))
        .build(tauri::generate_context!())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let desk = MockDesk {
        _app: app,
        window,
        _data: tempfile::tempdir().unwrap(),
    };
    let error = invoke(&desk, "get_organisation", json!({})).unwrap_err();
    assert_eq!(error["kind"], "unavailable");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("cannot be used"));
}

#[test]
fn a_window_not_named_in_the_capabilities_may_call_nothing() {
    let data = tempfile::tempdir().unwrap();
    let app = crate::configure(mock_builder(), Some(data.path().to_path_buf()))
        .build(tauri::generate_context!())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "stranger", Default::default())
        .build()
        .unwrap();
    let desk = MockDesk {
        _app: app,
        window,
        _data: data,
    };
    let error = invoke(&desk, "get_organisation", json!({})).unwrap_err();
    assert!(error.as_str().unwrap().contains("not allowed"), "{error}");
}
