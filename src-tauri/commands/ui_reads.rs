//! What the UI reads off the commands' answers, found in its scripts by a
//! plain scan: an answer bound to a name —
//!
//! - `const x = await call("name", …)` (or `let x =`; or `x = await
//!   call(…)` in a `try`, read on to the end of the block of its `let x;`),
//! - `const [a, b] = await Promise.all([call("a"…), call("b"…)])`,
//! - `call("name", …).then((x) => …)`,
//!
//! and then `x.field.inner` read after it in the same block, also through
//! an alias (`const o = x.occupancy;`); or `(await call("name",
//! …)).field`. A list's items are followed through `x.map((item) => …)`,
//! `...x.rows.map((item) => …)` (and `find`, `filter`, `flatMap`,
//! `forEach`, `some`, `every`, `slice(…)` before them) and `for (const
//! item of x)`. An answer handed to another function is not followed
//! there.

use std::path::Path;

use super::wiring_tests::{balanced, top_level_items, Strings, JS};

/// One field chain the UI reads off an answer.
#[derive(Debug, Clone)]
pub(super) struct Read {
    /// `ui/file.js:line`.
    pub at: String,
    pub command: String,
    /// The names after the answer (`["payment", "amount_paise"]`), `[]`
    /// for an item of a list (`["invoices", "[]", "tenant_name"]`).
    pub chain: Vec<String>,
}

impl Read {
    /// `record_payment.payment.amount_paise`, `invoice_page.invoices[].id`.
    pub fn path(&self) -> String {
        let mut out = self.command.clone();
        for name in &self.chain {
            if name != "[]" {
                out.push('.');
            }
            out.push_str(name);
        }
        out
    }
}

/// The list methods whose callback's first parameter is an item.
const ITEM_METHODS: &[&str] = &[
    "map", "find", "filter", "flatMap", "forEach", "some", "every",
];

/// The text with its comments blanked out (same length and offsets), so a
/// quote in a comment does not open a string.
fn without_comments(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut strings = Strings::default();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if !strings.skip(c, &JS) && c == '/' && (next == Some('/') || next == Some('*')) {
            let line = next == Some('/');
            while i < bytes.len() {
                let c = bytes[i];
                let end = if line {
                    c == '\n'
                } else {
                    c == '/' && i > 0 && bytes[i - 1] == '*'
                };
                if end && line {
                    break;
                }
                out.push(if c == '\n' { '\n' } else { ' ' });
                i += 1;
                if end {
                    break;
                }
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The `{ … }` pairs of the text (strings skipped), as byte offsets.
fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut open = Vec::new();
    let mut pairs = Vec::new();
    let mut strings = Strings::default();
    for (i, c) in text.char_indices() {
        if strings.skip(c, &JS) {
            continue;
        }
        match c {
            '{' => open.push(i),
            '}' => {
                if let Some(start) = open.pop() {
                    pairs.push((start, i));
                }
            }
            _ => {}
        }
    }
    pairs
}

/// From `at` to the end of the innermost block around it.
fn rest_of_block(text: &str, blocks: &[(usize, usize)], at: usize) -> usize {
    blocks
        .iter()
        .filter(|(open, close)| *open < at && at < *close)
        .map(|(_, close)| *close)
        .min()
        .unwrap_or(text.len())
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// The name ending at the end of `text` (`x` of `const x`).
fn name_before(text: &str) -> &str {
    let text = text.trim_end();
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| !is_name_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &text[start..]
}

/// The `.a.b?.c` chain at the start of `text`.
fn chain(text: &str) -> Vec<String> {
    chain_and_length(text).0
}

/// The `.a.b?.c` chain at the start of `text`, and its length in bytes.
fn chain_and_length(text: &str) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut rest = text;
    loop {
        let after = rest.strip_prefix("?.").or_else(|| rest.strip_prefix('.'));
        let Some(after) = after else { break };
        let end = after.find(|c| !is_name_char(c)).unwrap_or(after.len());
        if end == 0 {
            break;
        }
        names.push(after[..end].to_string());
        rest = &after[end..];
    }
    (names, text.len() - rest.len())
}

/// Offsets of `name` used as a whole name (not `x.name`, not `names`) in
/// `text[from..to]`.
fn uses(text: &str, name: &str, from: usize, to: usize) -> Vec<usize> {
    text[from..to]
        .match_indices(name)
        .map(|(i, _)| from + i)
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            // `...x` spreads x; `a.x` is another x.
            let spread = text[..i].ends_with("...");
            !before.is_some_and(|c| is_name_char(c) || (c == '.' && !spread))
                && !after.is_some_and(is_name_char)
        })
        .collect()
}

/// Where `name` is bound again in `text[from..to]` (a new `const`/`let`
/// or an assignment), which ends what the scan may say of it.
fn rebound(text: &str, name: &str, from: usize, to: usize) -> usize {
    uses(text, name, from, to)
        .into_iter()
        .find(|&i| {
            let before = text[..i].trim_end();
            let after = text[i + name.len()..].trim_start();
            before.ends_with("const")
                || before.ends_with("let")
                || (after.starts_with('=') && !after.starts_with("==") && !after.starts_with("=>"))
        })
        .unwrap_or(to)
}

struct Scan<'t> {
    text: &'t str,
    blocks: Vec<(usize, usize)>,
    file: String,
    reads: Vec<Read>,
}

impl Scan<'_> {
    fn line(&self, offset: usize) -> String {
        format!(
            "{}:{}",
            self.file,
            self.text[..offset].lines().count().max(1)
        )
    }

    /// The reads of `name`, bound to the part of `command`'s answer at
    /// `prefix` (`["invoices", "[]"]` for an item of its invoices), in
    /// `text[from..to]`.
    fn reads_of(&mut self, command: &str, name: &str, prefix: &[String], from: usize, to: usize) {
        let to = rebound(self.text, name, from, to);
        for i in uses(self.text, name, from, to) {
            let (names, length) = chain_and_length(&self.text[i + name.len()..]);
            let path: Vec<String> = prefix.iter().cloned().chain(names).collect();
            if path.len() > prefix.len() {
                self.reads.push(Read {
                    at: self.line(i),
                    command: command.to_string(),
                    chain: path.clone(),
                });
            }
            self.items_of(command, prefix, i + name.len(), to);
            self.alias(command, &path, i, i + name.len() + length);
        }
    }

    /// `const y = x.a.b;` (the answer's part at `path`, from `start` to
    /// `end`): the reads go on through `y`.
    fn alias(&mut self, command: &str, path: &[String], start: usize, end: usize) {
        let Some(declared) = self.text[..start].trim_end().strip_suffix('=') else {
            return;
        };
        let alias = name_before(declared);
        let keyword = declared.trim_end();
        let keyword = keyword[..keyword.len() - alias.len()].trim_end();
        let statement_ends = self.text[end..].trim_start().starts_with(';');
        if alias.is_empty()
            || !statement_ends
            || !(keyword.ends_with("const") || keyword.ends_with("let"))
        {
            return;
        }
        let block_end = rest_of_block(self.text, &self.blocks, start);
        self.reads_of(command, alias, path, end, block_end);
        self.loops_over(command, alias, path, end, block_end);
    }

    /// `x.map((item) => …)`, `x.rows.slice(0, 9).map((item) => …)` and the
    /// like at `at` (just after `x`, the part of the answer at `prefix`).
    fn items_of(&mut self, command: &str, prefix: &[String], at: usize, to: usize) {
        let mut rest = &self.text[at..to];
        let mut path = prefix.to_vec();
        let method = loop {
            if let Some(method) = ITEM_METHODS
                .iter()
                .find(|m| rest.starts_with(&format!(".{m}(")))
            {
                break method;
            }
            if let Some(after) = rest.strip_prefix(".slice(") {
                let args = balanced(&rest[".slice".len()..], '(', ')', &JS);
                rest = &after[args.len() + 1..];
                continue;
            }
            let Some(field) = rest.strip_prefix('.') else {
                return;
            };
            let end = field.find(|c| !is_name_char(c)).unwrap_or(field.len());
            if end == 0 {
                return;
            }
            path.push(field[..end].to_string());
            rest = &field[end..];
        };
        let call = &rest[method.len() + 1..];
        let start = to - rest.len() + method.len() + 1;
        let args = balanced(call, '(', ')', &JS);
        let callback = args.trim_start();
        let param = callback
            .strip_prefix('(')
            .unwrap_or(callback)
            .split(|c: char| !is_name_char(c))
            .next()
            .unwrap_or_default();
        if !param.is_empty() && callback.contains("=>") {
            path.push("[]".into());
            self.reads_of(command, param, &path, start, start + args.len() + 1);
        }
    }

    /// `for (const item of x) { … }` over `name`, the answer's part at
    /// `prefix`, in `from..to`.
    fn loops_over(&mut self, command: &str, name: &str, prefix: &[String], from: usize, to: usize) {
        let head = format!(" of {name})");
        for (i, _) in self.text[from..to].match_indices(&head) {
            let i = from + i;
            let item = name_before(&self.text[..i]).to_string();
            let body_at = i + head.len();
            let body = self.text[body_at..].trim_start();
            if body.starts_with('{') {
                let start = self.text.len() - body.len();
                let end = start + balanced(body, '{', '}', &JS).len() + 2;
                let mut path = prefix.to_vec();
                path.push("[]".into());
                self.reads_of(command, &item, &path, start, end);
            }
        }
    }

    fn bound(&mut self, command: &str, name: &str, from: usize, to: usize) {
        self.reads_of(command, name, &[], from, to);
        self.loops_over(command, name, &[], from, to);
    }
}

/// The reads in one script.
fn scan_script(file: String, source: &str) -> Vec<Read> {
    let text = without_comments(source);
    let blocks = blocks(&text);
    let mut scan = Scan {
        text: &text,
        blocks: blocks.clone(),
        file,
        reads: Vec::new(),
    };
    for (offset, _) in text.match_indices("call(\"") {
        if text[..offset].ends_with(|c: char| is_name_char(c) || c == '.') {
            continue;
        }
        let rest = &text[offset + "call(\"".len()..];
        let command = &rest[..rest.find('"').unwrap()];
        let args = balanced(&text[offset + "call".len()..], '(', ')', &JS);
        let end = offset + "call".len() + args.len() + 2;
        let before = text[..offset].trim_end();
        let block_end = rest_of_block(&text, &blocks, offset);
        if let Some(before_await) = before.strip_suffix("await") {
            let before_await = before_await.trim_end();
            if let Some(assigned) = before_await.strip_suffix('=') {
                let name = name_before(assigned);
                let assigned = assigned.trim_end();
                // Not `const x =` nor `let x =`.
                let plain = !assigned[..assigned.len() - name.len()]
                    .trim_end()
                    .ends_with(is_name_char);
                // `x = await call(…)` in a `try` reads on after it, to
                // the end of the block of its `let x;`.
                let block_end = match text[..offset].rfind(&format!("let {name};")) {
                    Some(at) if plain => rest_of_block(&text, &blocks, at),
                    _ => block_end,
                };
                if !name.is_empty() {
                    scan.bound(command, name, end, block_end);
                }
            } else if before_await.ends_with('(') && text[end..].starts_with(')') {
                let names = chain(&text[end + 1..]);
                if !names.is_empty() {
                    scan.reads.push(Read {
                        at: scan.line(offset),
                        command: command.to_string(),
                        chain: names,
                    });
                }
            }
        }
        let after = &text[end..];
        if let Some(then) = after.strip_prefix(".then(") {
            let callback = balanced(&after[".then".len()..], '(', ')', &JS);
            let param = then
                .trim_start()
                .trim_start_matches('(')
                .split(|c: char| !is_name_char(c))
                .next()
                .unwrap_or_default();
            if !param.is_empty() {
                let start = end + ".then".len();
                scan.bound(command, param, start, start + callback.len() + 1);
            }
        }
    }
    // const [a, b] = await Promise.all([call("a", …), call("b", …)]);
    for (offset, _) in text.match_indices("await Promise.all([") {
        let before = text[..offset].trim_end();
        let Some(pattern) = before.strip_suffix('=') else {
            continue;
        };
        let pattern = pattern.trim_end();
        let Some(open) = pattern.rfind('[') else {
            continue;
        };
        if !pattern.ends_with(']') {
            continue;
        }
        let names: Vec<&str> = pattern[open + 1..pattern.len() - 1]
            .split(',')
            .map(str::trim)
            .collect();
        let list_at = offset + "await Promise.all(".len();
        let list = balanced(&text[list_at..], '[', ']', &JS);
        let end = list_at + list.len() + 2;
        let block_end = rest_of_block(&text, &blocks, offset);
        for (name, item) in names.iter().zip(top_level_items(list, &JS)) {
            if let Some(rest) = item.strip_prefix("call(\"") {
                let command = &rest[..rest.find('"').unwrap()];
                scan.bound(command, name, end, block_end);
            }
        }
    }
    scan.reads
}

/// Every read in the UI's scripts under `dir`.
pub(super) fn ui_reads(dir: &Path, root: &Path) -> Vec<Read> {
    let mut reads = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            reads.extend(ui_reads(&path, root));
        } else if path.extension().is_some_and(|e| e == "js") {
            let source = std::fs::read_to_string(&path).unwrap();
            let file = path.strip_prefix(root).unwrap().display().to_string();
            reads.extend(scan_script(file, &source));
        }
    }
    reads
}

#[test]
fn the_scan_finds_reads_through_each_way_of_binding_an_answer() {
    let script = r#"
// A comment's apostrophe: it's not a string.
async function a() {
  const saved = await call("save", { x: "}" });
  toast(saved.name, saved?.payment.id, other.saved);
  const rows = await call("rows");
  for (const row of rows) { use(row.amount_paise); }
  rows.slice(0, 9).map((r) => r.id);
  const [x, y] = await Promise.all([call("x"), call("y", { a: 1 })]);
  y.total;
  names.set(1, (await call("tenant", { id })).full_name);
  call("contract").then((c) => { c.rent; });
  let page;
  try {
    page = await call("page");
  } catch (e) {
    return;
  }
  page.count;
  page.invoices.slice(0, 9).map((i) => [i.tenant_name, i.beds.filter((b) => b.status)]);
  const rows2 = [...rows.map((r) => r.total)];
  const held = page.deposits;
  held.largest.map((d) => d.held_paise);
  if (held == page) held.count;
}
function b(saved) { saved.elsewhere; }
"#;
    let reads: Vec<String> = scan_script("t.js".into(), script)
        .into_iter()
        .map(|r| format!("{} {}", r.at, r.path()))
        .collect();
    assert_eq!(
        reads,
        [
            "t.js:5 save.name",
            "t.js:5 save.payment.id",
            "t.js:8 rows.slice",
            "t.js:8 rows[].id",
            "t.js:21 rows.map",
            "t.js:21 rows[].total",
            "t.js:7 rows[].amount_paise",
            "t.js:11 tenant.full_name",
            "t.js:12 contract.rent",
            "t.js:19 page.count",
            "t.js:20 page.invoices.slice",
            "t.js:20 page.invoices[].tenant_name",
            "t.js:20 page.invoices[].beds.filter",
            "t.js:20 page.invoices[].beds[].status",
            "t.js:22 page.deposits",
            "t.js:23 page.deposits.largest.map",
            "t.js:23 page.deposits.largest[].held_paise",
            "t.js:24 page.deposits.count",
            "t.js:10 y.total",
        ]
    );
}
