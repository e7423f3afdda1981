//! The shape of a command's answer as the UI reads it, and the check of a
//! real answer against it.
//!
//! A shape is written as JSON:
//! - `"string"`, `"integer"`, `"number"`, `"boolean"`: a value of that
//!   type; with a trailing `?` (`"string?"`) it may also be null.
//! - `"null"`: no value (a command that answers `()`).
//! - `"=a|b|c"`: a string, one of those (`"=a|b?"` may also be null).
//! - `{ "field": shape, … }`: an object with at least these fields (it may
//!   have others, which the UI does not read).
//! - `[shape]`: an array whose items all have that shape.
//! - `{ "?": shape }`: null, or that shape.
//! - `{ "|": [shape, …] }`: one of these shapes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// What checking answers found: the mismatches, each with the path where
/// it is (the first of each place in the shape; the others are counted),
/// and which parts of the shapes real values reached (an empty list or a
/// null checks nothing below it).
#[derive(Default)]
pub(super) struct ShapeCheck {
    pub mismatches: Vec<String>,
    /// How many mismatches each place in the shape had.
    pub repeats: BTreeMap<String, usize>,
    pub reached: BTreeSet<String>,
}

fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "boolean".into(),
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer".into(),
        Value::Number(_) => "number".into(),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}

/// Where `path` is in the shape, without array positions: `a.rows[]`.
fn shape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            c if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

impl ShapeCheck {
    fn wrong(&mut self, path: &str, expected: impl std::fmt::Display, got: &Value) {
        self.note(path, format!("expected {expected}, got {}", kind_of(got)));
    }

    fn note(&mut self, path: &str, what: String) {
        let count = self.repeats.entry(shape_path(path)).or_default();
        *count += 1;
        if *count == 1 {
            self.mismatches.push(format!("{path}: {what}"));
        }
    }

    /// The mismatches, one line for each place in the shapes.
    pub fn report(&self) -> String {
        self.mismatches
            .iter()
            .map(|m| {
                let at = shape_path(&m[..m.find(": ").unwrap()]);
                match self.repeats[&at] {
                    1 => m.clone(),
                    n => format!("{m} (and {} more like it)", n - 1),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Checks `answer` against `shape`; `path` names the answer
    /// (`dues_report`), and mismatches name the place inside it.
    pub fn check(&mut self, shape: &Value, answer: &Value, path: &str) {
        match shape {
            Value::String(leaf) => self.leaf(leaf, answer, path),
            Value::Array(items) => {
                let [item] = items.as_slice() else {
                    panic!("{path}: an array shape names one item shape");
                };
                let Some(values) = answer.as_array() else {
                    return self.wrong(path, "array", answer);
                };
                if !values.is_empty() {
                    self.reached.insert(shape_path(path));
                }
                for (i, value) in values.iter().enumerate() {
                    self.check(item, value, &format!("{path}[{i}]"));
                }
            }
            Value::Object(fields) => {
                if let Some(inner) = fields.get("?") {
                    if !answer.is_null() {
                        self.reached.insert(format!("{}?", shape_path(path)));
                        self.check(inner, answer, path);
                    }
                    return;
                }
                if let Some(Value::Array(alternatives)) = fields.get("|") {
                    for (i, alternative) in alternatives.iter().enumerate() {
                        let mut trial = ShapeCheck::default();
                        trial.check(alternative, answer, path);
                        if trial.mismatches.is_empty() {
                            self.reached.insert(format!("{}|{i}", shape_path(path)));
                            self.reached.extend(trial.reached);
                            return;
                        }
                    }
                    return self.wrong(path, format!("one of {alternatives:?}"), answer);
                }
                let Some(object) = answer.as_object() else {
                    return self.wrong(path, "object", answer);
                };
                self.reached.insert(shape_path(path));
                for (name, field_shape) in fields {
                    let at = format!("{path}.{name}");
                    match object.get(name) {
                        Some(value) => self.check(field_shape, value, &at),
                        None => self.note(&at, "missing".into()),
                    }
                }
            }
            _ => panic!("{path}: {shape} is not a shape"),
        }
    }

    fn leaf(&mut self, leaf: &str, answer: &Value, path: &str) {
        let (leaf, nullable) = match leaf.strip_suffix('?') {
            Some(inner) => (inner, true),
            None => (leaf, false),
        };
        if answer.is_null() {
            if !(nullable || leaf == "null") {
                self.wrong(path, leaf, answer);
            }
            return;
        }
        if nullable {
            self.reached.insert(format!("{}?", shape_path(path)));
        }
        let fits = match leaf {
            "string" => answer.is_string(),
            "integer" => answer.is_i64() || answer.is_u64(),
            "number" => answer.is_number(),
            "boolean" => answer.is_boolean(),
            "null" => false,
            _ => match leaf.strip_prefix('=') {
                Some(choices) => answer
                    .as_str()
                    .is_some_and(|s| choices.split('|').any(|c| c == s)),
                None => panic!("{path}: {leaf:?} is not a shape"),
            },
        };
        if !fits {
            self.wrong(path, leaf, answer);
        }
    }
}

/// The parts of `shape` that a real value must reach at least once for the
/// check to have looked at every field: each object and list, each side
/// of a `?` or `|`. (A nullable leaf may stay null: its field is there.)
pub(super) fn parts(shape: &Value, path: &str, into: &mut BTreeSet<String>) {
    match shape {
        Value::Array(items) => {
            into.insert(path.to_string());
            for item in items {
                parts(item, &format!("{path}[]"), into);
            }
        }
        Value::Object(fields) => {
            if let Some(inner) = fields.get("?") {
                into.insert(format!("{path}?"));
                return parts(inner, path, into);
            }
            if let Some(Value::Array(alternatives)) = fields.get("|") {
                for (i, alternative) in alternatives.iter().enumerate() {
                    into.insert(format!("{path}|{i}"));
                    parts(alternative, path, into);
                }
                return;
            }
            into.insert(path.to_string());
            for (name, field_shape) in fields {
                parts(field_shape, &format!("{path}.{name}"), into);
            }
        }
        _ => {}
    }
}

/// `a.b[].c` for the chain `["a", "b", "[]", "c"]`.
pub(super) fn chain_path(chain: &[&str]) -> String {
    let mut out = String::new();
    for name in chain {
        if *name != "[]" && !out.is_empty() {
            out.push('.');
        }
        out.push_str(name);
    }
    out
}

/// Follows the fields the UI reads off an answer of `shape`, `chain`
/// (`["payment", "receipt_number"]`; `"[]"` for an item of a list), as
/// far as the shape has objects and lists: `Ok` with the shape reached
/// and how many names of the chain led there (the rest are then a list's
/// or a value's own, `.length` or `.slice`), `Err` naming the first part
/// the shape does not have.
pub(super) fn follow<'s>(shape: &'s Value, chain: &[&str]) -> Result<(&'s Value, usize), String> {
    let mut at = unwrap_maybe(shape);
    for (i, name) in chain.iter().enumerate() {
        let missing = || chain_path(&chain[..=i]);
        if *name == "[]" {
            at = match at {
                Value::Array(items) => unwrap_maybe(&items[0]),
                _ => return Err(missing()),
            };
            continue;
        }
        let fields = match at.get("|") {
            // The UI reads a field of the alternative that has it.
            Some(Value::Array(alternatives)) => Some(
                alternatives
                    .iter()
                    .map(unwrap_maybe)
                    .find_map(|a| a.as_object().filter(|o| o.contains_key(*name)))
                    .ok_or_else(missing)?,
            ),
            _ => at.as_object(),
        };
        let Some(fields) = fields else {
            return Ok((at, i));
        };
        at = unwrap_maybe(fields.get(*name).ok_or_else(missing)?);
    }
    Ok((at, chain.len()))
}

/// The shape inside `{ "?": shape }`.
pub(super) fn unwrap_maybe(shape: &Value) -> &Value {
    match shape.get("?") {
        Some(inner) => unwrap_maybe(inner),
        None => shape,
    }
}

#[test]
fn a_shape_names_the_place_of_each_mismatch() {
    use serde_json::json;
    let shape = json!({
        "id": "string",
        "rows": [{ "amount_paise": "integer", "note": "string?", "kind": "=charge|payment" }],
        "contract": { "?": { "id": "string" } },
        "start": { "|": ["=downloading", { "uploading": { "rows": "integer" } }] },
    });
    let answer = json!({
        "id": "a",
        "rows": [
            { "amount_paise": 5, "note": null, "kind": "charge" },
            { "amount_paise": null, "note": 3, "kind": "refund" }
        ],
        "contract": null,
        "start": { "uploading": { "rows": 3 } },
    });
    let mut check = ShapeCheck::default();
    check.check(&shape, &answer, "x");
    check.mismatches.sort();
    assert_eq!(
        check.mismatches,
        [
            "x.rows[1].amount_paise: expected integer, got null",
            "x.rows[1].kind: expected =charge|payment, got string \"refund\"",
            "x.rows[1].note: expected string, got integer",
        ]
    );
    check.check(&shape["rows"], &json!([{}, {}]), "z");
    let report = check.report();
    for field in ["amount_paise", "kind", "note"] {
        let line = format!("z[0].{field}: missing (and 1 more like it)");
        assert!(report.lines().any(|l| l == line), "{line} in:\n{report}");
    }
    let mut all = BTreeSet::new();
    parts(&shape, "x", &mut all);
    let unreached: Vec<_> = all.difference(&check.reached).collect();
    assert_eq!(
        unreached,
        ["x.contract", "x.contract?", "x.start|0"],
        "the null contract and the other start were not looked at"
    );
    check.check(&json!({ "id": 1 }), &json!({}), "y");
    assert_eq!(check.mismatches.last().unwrap(), "y.id: missing");

    assert_eq!(follow(&shape, &["rows", "length"]), Ok((&shape["rows"], 1)));
    assert_eq!(
        follow(&shape, &["rows", "[]", "kind", "slice"]),
        Ok((&json!("=charge|payment"), 3))
    );
    assert_eq!(
        follow(&shape, &["rows", "[]", "total"]),
        Err("rows[].total".into())
    );
    assert_eq!(follow(&shape, &["id", "[]"]), Err("id[]".into()));
    assert_eq!(
        follow(&shape, &["contract", "id"]),
        Ok((&json!("string"), 2))
    );
    assert_eq!(follow(&shape, &["id", "slice"]), Ok((&json!("string"), 1)));
    assert_eq!(
        follow(&shape, &["start", "uploading", "rows"]),
        Ok((&json!("integer"), 3))
    );
    assert_eq!(
        follow(&shape, &["contract", "ends_on"]),
        Err("contract.ends_on".into())
    );
    assert_eq!(
        follow(&shape, &["start", "downloading"]),
        Err("start.downloading".into())
    );
}
