//! The UI and the commands agree on what each answer holds: every command
//! in build.rs has a shape (answer_shapes.rs), each real answer of a day
//! at a sample desk has it, and every part of each shape was reached by
//! real values.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::answer_scenario::{answers_of_a_day, Answers};
use super::answer_shape::{parts, ShapeCheck};
use super::answer_shapes::{shapes, NOT_ASKED_HERE};
use super::wiring_tests::{quoted_between, read, rust_commands};

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
