//! The command list kept in four places cannot drift: every command the UI
//! calls is declared in build.rs (which makes its permission), granted to
//! the main window, and registered in `generate_handler!`; and nothing is
//! declared that nothing calls.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub(super) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub(super) fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `"name"` between `start` and the next `end`.
pub(super) fn quoted_between(text: &str, start: &str, end: &str) -> BTreeSet<String> {
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

/// A command's parameter as the UI names it.
#[derive(Debug)]
struct Param {
    /// camelCase, as Tauri maps a snake_case parameter.
    name: String,
    /// `Option<…>`: the UI may leave it out.
    optional: bool,
}

/// Parameters Tauri fills in itself; the UI never sends them.
const INJECTED: &[&str] = &["State<", "AppHandle", "Window", "Webview", "WebviewWindow"];

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// How brackets and strings are written: Rust has lifetimes (`'_`) and
/// generics (`<…>`), JavaScript three quotes and `a < b`.
pub(super) struct Syntax {
    quotes: &'static str,
    angle_brackets: bool,
}

const RUST: Syntax = Syntax {
    quotes: "\"",
    angle_brackets: true,
};
pub(super) const JS: Syntax = Syntax {
    quotes: "\"'`",
    angle_brackets: false,
};

/// Where a scan stands in the string literals of a text.
#[derive(Default)]
pub(super) struct Strings {
    /// The quote of the string the scan is in.
    open: Option<char>,
    /// The last character was a backslash inside a string.
    escaped: bool,
}

impl Strings {
    /// True when `c`, the next character, is part of a string (its quotes
    /// included), so brackets and commas in it do not count.
    pub(super) fn skip(&mut self, c: char, syntax: &Syntax) -> bool {
        if let Some(q) = self.open {
            if self.escaped {
                self.escaped = false;
            } else if c == '\\' {
                self.escaped = true;
            } else if c == q {
                self.open = None;
            }
            return true;
        }
        if syntax.quotes.contains(c) {
            self.open = Some(c);
            return true;
        }
        false
    }
}

/// The text from `open` (at `text[0]`) to its matching `close`, without
/// either; strings are skipped so brackets in them do not count.
pub(super) fn balanced<'t>(text: &'t str, open: char, close: char, syntax: &Syntax) -> &'t str {
    let mut depth = 0;
    let mut strings = Strings::default();
    for (i, c) in text.char_indices() {
        if strings.skip(c, syntax) {
            continue;
        }
        match c {
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return &text[open.len_utf8()..i];
                }
            }
            _ => {}
        }
    }
    panic!("no matching {close} in {}", &text[..text.len().min(80)]);
}

/// Splits at the commas outside any bracket or string.
pub(super) fn top_level_items<'t>(text: &'t str, syntax: &Syntax) -> Vec<&'t str> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut strings = Strings::default();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if strings.skip(c, syntax) {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '<' if syntax.angle_brackets => depth += 1,
            // `->` is not a closing bracket.
            '>' if syntax.angle_brackets && !text[..i].ends_with('-') => depth -= 1,
            ',' if depth == 0 => {
                items.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(text[start..].trim());
    items.retain(|item| !item.is_empty());
    items
}

/// A command as its Rust signature declares it.
pub(super) struct RustCommand {
    /// The parameters the UI sends.
    params: Vec<Param>,
    /// What it answers: `-> Result<(), CommandError>`.
    pub(super) returns: String,
}

/// Every `#[tauri::command]` in src-tauri/commands/*.rs with the
/// parameters the UI sends and what it answers.
pub(super) fn rust_commands() -> BTreeMap<String, RustCommand> {
    let mut commands = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("src-tauri/commands")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for piece in text.split("#[tauri::command").skip(1) {
            let attribute = &piece[..piece.find(']').unwrap()];
            let keep_snake_case = attribute.contains("rename_all = \"snake_case\"");
            assert!(
                !attribute.contains("rename_all") || keep_snake_case,
                "{}: a rename_all this test does not know: {attribute}",
                path.display()
            );
            let after_fn = &piece[piece.find("fn ").unwrap() + 3..];
            let name_end = after_fn
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap();
            let name = after_fn[..name_end].to_string();
            let from_paren = &after_fn[after_fn.find('(').unwrap()..];
            let inside = balanced(from_paren, '(', ')', &RUST);
            let after_params = &from_paren[inside.len() + 2..];
            let returns = after_params[..after_params.find('{').unwrap()]
                .trim()
                .to_string();
            let params = top_level_items(inside, &RUST)
                .into_iter()
                .filter_map(|item| {
                    let (param, ty) = item.split_once(':')?;
                    let ty = ty.trim();
                    if INJECTED.iter().any(|i| ty.starts_with(i)) {
                        return None;
                    }
                    let param = param.trim().trim_start_matches("mut ").trim();
                    Some(Param {
                        name: if keep_snake_case {
                            param.to_string()
                        } else {
                            camel_case(param)
                        },
                        optional: ty.starts_with("Option<"),
                    })
                })
                .collect();
            let clash = commands.insert(name.clone(), RustCommand { params, returns });
            assert!(clash.is_none(), "two commands named {name}");
        }
    }
    commands
}

/// The top-level keys of a JS object literal's body: `a`, `b` of
/// `{ a, b: f(x), "c": 1 }`.
fn object_keys(body: &str, at: &str) -> Vec<String> {
    top_level_items(body, &JS)
        .into_iter()
        .map(|item| {
            assert!(
                !item.starts_with("..."),
                "{at}: spread arguments cannot be checked; name each one"
            );
            let key = item.split(':').next().unwrap().trim();
            key.trim_matches(|c| c == '"' || c == '\'').to_string()
        })
        .collect()
}

/// Every `call("name", { … })` in the UI's scripts: where, which command,
/// and the argument names passed.
fn ui_call_sites(dir: &Path, into: &mut Vec<(String, String, Vec<String>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ui_call_sites(&path, into);
            continue;
        }
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.strip_prefix(root()).unwrap().display().to_string();
        for (offset, _) in text.match_indices("call(\"") {
            let line = text[..offset].lines().count().max(1);
            let at = format!("{file}:{line}");
            let rest = &text[offset + "call(\"".len()..];
            let name = rest[..rest.find('"').unwrap()].to_string();
            let after = rest[name.len() + 1..].trim_start();
            let keys = if after.starts_with(')') {
                Vec::new()
            } else {
                let args = after
                    .strip_prefix(',')
                    .unwrap_or_else(|| panic!("{at}: call(\"{name}\" without arguments or ')'"))
                    .trim_start();
                assert!(
                    args.starts_with('{'),
                    "{at}: call(\"{name}\", …) must pass an object literal so its names can be checked"
                );
                object_keys(balanced(args, '{', '}', &JS), &at)
            };
            into.push((at, name, keys));
        }
    }
}

#[test]
fn the_ui_passes_each_command_the_arguments_its_rust_side_names() {
    let commands = rust_commands();
    let mut sites = Vec::new();
    ui_call_sites(&root().join("ui"), &mut sites);
    assert!(sites.len() > 50, "only {} call sites found", sites.len());
    let mut wrong = Vec::new();
    for (at, name, keys) in &sites {
        let Some(RustCommand { params, .. }) = commands.get(name) else {
            wrong.push(format!("{at}: {name} is not a command"));
            continue;
        };
        for key in keys {
            if !params.iter().any(|p| &p.name == key) {
                let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                wrong.push(format!(
                    "{at}: {name} has no parameter {key:?} (it takes {names:?})"
                ));
            }
        }
        for p in params.iter().filter(|p| !p.optional) {
            if !keys.contains(&p.name) {
                wrong.push(format!("{at}: {name} needs {:?}, not passed", p.name));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the UI's arguments and the commands' parameters differ:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_argument_parsers_read_what_they_should() {
    assert_eq!(camel_case("tenant_id"), "tenantId");
    assert_eq!(camel_case("on"), "on");
    assert_eq!(
        object_keys(
            r#" tenantId, input: { ...v, a: [1, 2] }, "x": f(a, b), s: "a,}" "#,
            "t"
        ),
        ["tenantId", "input", "x", "s"]
    );
    let items = top_level_items(
        "state: State<'_, AppState>, a: Option<String>, b: Vec<(u8, u8)>",
        &RUST,
    );
    assert_eq!(items.len(), 3, "{items:?}");
}
