//! The command list kept in four places cannot drift: every command the UI
//! calls is declared in build.rs (which makes its permission), granted to
//! the main window, and registered in `generate_handler!`; and nothing is
//! declared that nothing calls.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `"name"` between `start` and the next `end`.
fn quoted_between(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"))
        + start.len();
    let body = &text[from..];
    let body = &body[..body.find(end).unwrap_or(body.len())];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Names passed as `call("name"` in the UI's scripts.
fn ui_calls(dir: &Path, into: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ui_calls(&path, into);
        } else if path.extension().is_some_and(|e| e == "js") {
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("call(\"").skip(1) {
                into.insert(piece[..piece.find('"').unwrap()].to_string());
            }
        }
    }
}

/// Commands the UI does not call by name, and why they exist.
const NOT_CALLED_BY_THE_UI: &[&str] = &[
    // The logo from a path (a dropped file); the UI's button uses choose_logo.
    "set_logo_file",
];

#[test]
fn the_ui_the_permissions_and_the_handlers_name_the_same_commands() {
    let declared = quoted_between(&read("src-tauri/build.rs"), "const COMMANDS", "];");
    let capability: serde_json::Value =
        serde_json::from_str(&read("src-tauri/capabilities/main-window.json")).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    let lib = read("src-tauri/lib.rs");
    let handler = &lib[lib.find("generate_handler![").unwrap()..];
    let handler = &handler[..handler.find(']').unwrap()];
    let registered: BTreeSet<String> = handler
        .split(',')
        .filter_map(|item| item.trim().rsplit("::").next())
        .filter(|name| !name.is_empty() && !name.contains('['))
        .map(str::to_string)
        .collect();
    let mut called = BTreeSet::new();
    ui_calls(&root().join("ui"), &mut called);

    assert_eq!(
        declared, granted,
        "build.rs COMMANDS and the main window's permissions"
    );
    assert_eq!(
        declared, registered,
        "build.rs COMMANDS and generate_handler!"
    );
    let unknown: Vec<_> = called.difference(&declared).collect();
    assert!(
        unknown.is_empty(),
        "the UI calls commands that do not exist: {unknown:?}"
    );
    let unused: Vec<_> = declared
        .difference(&called)
        .filter(|c| !NOT_CALLED_BY_THE_UI.contains(&c.as_str()))
        .collect();
    assert!(
        unused.is_empty(),
        "declared commands nothing calls: {unused:?}"
    );
}
