//! The UI and the commands agree on what each answer holds: every command
//! in build.rs has a shape (answer_shapes.rs), each real answer of a day
//! at a sample desk has it, every part of each shape was reached by real
//! values, and every field the UI's scripts are seen reading is in it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::answer_scenario::{answers_of_a_day, Answers};
use super::answer_shape::{follow, parts, unwrap_maybe, ShapeCheck};
use super::answer_shapes::{shapes, NOT_ASKED_HERE};
use super::ui_reads::ui_reads;
use super::wiring_tests::{quoted_between, read, root, rust_commands};

fn shape_table() -> BTreeMap<&'static str, Value> {
    let mut table = BTreeMap::new();
    for (command, shape) in shapes() {
        assert!(
            table.insert(command, shape).is_none(),
            "{command} has two shapes"
        );
    }
    table
}

/// Values of the Rust answer types for what the day at the desk cannot
/// show: the other outcomes of a sign-in (the day links the desk to an
/// empty organisation only), and sync under way.
fn made_here(answers: &mut Answers) {
    use multipms_store::sync_link::LinkStart;
    use multipms_sync::status::Progress;
    use multipms_sync::token_store::TokenPlace;
    use multipms_sync::{SyncState, SyncStatus};
    for start in [
        LinkStart::Relinked,
        LinkStart::Downloading,
        LinkStart::Uploading { rows: 1_250 },
    ] {
        answers.keep("sync_sign_in", serde_json::to_value(start).unwrap());
    }
    let syncing = SyncStatus {
        state: SyncState::Syncing,
        server_url: Some("https://pms.example.in".into()),
        org_name: Some("Sai Comforts".into()),
        user_email: Some("desk@saicomforts.in".into()),
        user_role: Some("front_desk".into()),
        pending: 12,
        progress: Some(Progress {
            phase: "upload",
            done: 40,
            total: 120,
        }),
        last_synced_at: Some("2026-11-30T10:42:00+05:30".into()),
        conflicts: 1,
        message: None,
        token_place: Some(TokenPlace::Memory),
    };
    answers.keep("sync_status", serde_json::to_value(syncing).unwrap());
}

#[test]
fn every_command_declared_has_an_answer_shape() {
    let declared = quoted_between(&read("src-tauri/build.rs"), "const COMMANDS", "];");
    let table = shape_table();
    let rust = rust_commands();
    let shaped: BTreeSet<String> = table.keys().map(|c| c.to_string()).collect();
    let without: Vec<_> = declared.difference(&shaped).collect();
    assert!(
        without.is_empty(),
        "commands without an answer shape: {without:?}; add the fields the UI reads of each to src-tauri/commands/answer_shapes.rs"
    );
    let unknown: Vec<_> = shaped.difference(&declared).collect();
    assert!(
        unknown.is_empty(),
        "answer shapes of commands build.rs does not declare: {unknown:?}"
    );
    for (command, why) in NOT_ASKED_HERE {
        assert!(
            declared.contains(*command),
            "{command} ({why}) is not a command"
        );
        // One that answers nothing says so in its signature; the others'
        // answers are made from their Rust types in `made_here`.
        if table[command] == json!("null") {
            let returns = &rust[*command].returns;
            assert_eq!(
                returns, "-> Result<(), CommandError>",
                "{command} is not asked here and its shape is null, but it answers something"
            );
        }
    }
}

#[test]
fn every_answer_of_a_day_at_the_desk_has_its_shape() {
    let table = shape_table();
    let mut answers = answers_of_a_day();
    made_here(&mut answers);
    let mut check = ShapeCheck::default();
    let mut never = Vec::new();
    let mut expected = BTreeSet::new();
    for (command, shape) in &table {
        let asked = answers.0.get(*command).map_or(&[][..], Vec::as_slice);
        let exception = NOT_ASKED_HERE.iter().any(|(c, _)| c == command);
        if asked.is_empty() && !exception {
            never.push(*command);
        }
        if asked.is_empty() {
            continue;
        }
        parts(shape, command, &mut expected);
        for answer in asked {
            check.check(shape, answer, command);
        }
    }
    let unshaped: Vec<_> = answers
        .0
        .keys()
        .filter(|c| !table.contains_key(c.as_str()))
        .collect();
    assert!(unshaped.is_empty(), "answers without a shape: {unshaped:?}");
    assert!(
        never.is_empty(),
        "commands the day at the desk never asked (ask each in answer_scenario.rs, or say in NOT_ASKED_HERE why it cannot be): {never:?}"
    );
    assert!(
        check.mismatches.is_empty(),
        "answers the UI would misread:\n{}",
        check.report()
    );
    let unreached: Vec<_> = expected.difference(&check.reached).collect();
    assert!(
        unreached.is_empty(),
        "parts of the shapes no real answer reached (an empty list or a null each time), so their fields went unchecked: {unreached:?}"
    );
}

/// What JavaScript itself offers on a value of this shape, which the UI
/// may read after the answer's own fields (`.length`, `.slice`).
fn own_members(shape: &Value) -> &'static [&'static str] {
    const LIST: &[&str] = &[
        "length", "map", "find", "filter", "flatMap", "forEach", "some", "every", "slice",
        "reduce", "sort", "includes", "indexOf", "join",
    ];
    const TEXT: &[&str] = &[
        "length",
        "slice",
        "split",
        "toUpperCase",
        "toLowerCase",
        "trim",
        "startsWith",
        "endsWith",
        "includes",
        "replace",
    ];
    const NUMBER: &[&str] = &["toLocaleString", "toFixed", "toString"];
    match unwrap_maybe(shape) {
        Value::Array(_) => LIST,
        Value::String(leaf) if leaf.starts_with("string") || leaf.starts_with('=') => TEXT,
        Value::String(leaf) if leaf.starts_with("integer") || leaf.starts_with("number") => NUMBER,
        _ => &[],
    }
}

#[test]
fn every_field_the_ui_reads_off_an_answer_is_in_its_shape() {
    let table = shape_table();
    let reads = ui_reads(&root().join("ui"), root());
    assert!(
        reads.len() > 250,
        "only {} reads found: has the scan stopped seeing the UI's calls?",
        reads.len()
    );
    let mut wrong = Vec::new();
    for read in &reads {
        let Some(shape) = table.get(read.command.as_str()) else {
            wrong.push(format!("{}: {} has no shape", read.at, read.command));
            continue;
        };
        let chain: Vec<&str> = read.chain.iter().map(String::as_str).collect();
        match follow(shape, &chain) {
            Err(missing) => wrong.push(format!(
                "{}: reads {}, but the shape of {} has no {missing}",
                read.at,
                read.path(),
                read.command
            )),
            Ok((reached, used)) => {
                if let Some(member) = chain.get(used) {
                    if !own_members(reached).contains(member) {
                        wrong.push(format!(
                            "{}: reads {}, but .{member} is not a field of {reached}",
                            read.at,
                            read.path()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the UI reads what the answers do not have:\n{}",
        wrong.join("\n")
    );
}
