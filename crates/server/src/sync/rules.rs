//! The checks of one pushed row that need no database: the key, the
//! columns and what they hold, and the domain's cheap rules. Each refusal
//! names the column at fault and says, for a person, what is wrong.
//!
//! | what | rule |
//! |---|---|
//! | every column | one the desk has (see [`super::schema`]); text, a whole number or null; no NUL character |
//! | `*_paise` and other numbers | whole numbers (64-bit) |
//! | dates (`*_on`, `move_in`, `invoice_date`, …) | `YYYY-MM-DD`, a real day |
//! | months (`invoice.month`, `meter_reading.month`) | `YYYY-MM` |
//! | `tenant.full_name` | as `multipms_domain::tenant`: 1 to 100 characters, letters, no digits |
//! | `tenant.mobile` | as `multipms_domain::phone::Mobile` |
//! | `payment.amount_paise` | above 0 |
//! | `allocation.move_out` | after `move_in` (the desk's CHECK) |

use chrono::NaiveDate;
use multipms_domain::phone::Mobile;
use serde_json::Value;

use super::schema::{Among, Entity, Kind, UniqueRule};

/// A record's columns, as the desk sends them.
pub type Data = serde_json::Map<String, Value>;

/// Why a row (and so its operation) is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// For a person at a front desk.
    pub reason: String,
    /// The column (or `entity`, `key`, `new`) at fault.
    pub field: Option<String>,
}

impl Refusal {
    /// A refusal naming `field`.
    pub fn new(field: &str, reason: impl Into<String>) -> Refusal {
        Refusal {
            reason: reason.into(),
            field: Some(field.to_string()),
        }
    }
}

/// Longest key.
pub const MAX_KEY_CHARS: usize = 200;

/// A value as the text the key and the indexes compare (`->>` in SQL):
/// text as it is, a number in decimal; `None` for null.
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The text of `column` in `data`, `None` when absent or null.
pub fn text_of(data: &Data, column: &str) -> Option<String> {
    data.get(column).and_then(value_text)
}

/// The key of a record: its key columns joined with `|`.
pub fn build_key(entity: &Entity, data: &Data) -> Result<String, Refusal> {
    let mut parts = Vec::with_capacity(entity.key.len());
    for column in entity.key {
        match text_of(data, column) {
            Some(text) => parts.push(text),
            None => {
                return Err(Refusal::new(
                    column,
                    format!("A {} was sent without its {column}", entity.noun),
                ))
            }
        }
    }
    Ok(parts.join("|"))
}

/// The key as sent: not blank, at most 200 characters, no NUL.
pub fn check_key(key: &str) -> Result<(), Refusal> {
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS || key.contains('\0') {
        return Err(Refusal::new(
            "key",
            format!("A record's key must be 1 to {MAX_KEY_CHARS} characters"),
        ));
    }
    Ok(())
}

/// A short name of a record from its own columns: "Tenant Ravi Sharma",
/// "Room 204", "Invoice BLR1A/26-27/00012".
pub fn describe(entity: &Entity, data: &Data) -> String {
    let noun = capitalised(entity.noun);
    let own = match entity.name {
        "property" => text_of(data, "name").or_else(|| text_of(data, "code")),
        "room" | "invoice" => text_of(data, "number"),
        "bed" => text_of(data, "label"),
        "tenant" => text_of(data, "full_name"),
        "payment" => {
            return text_of(data, "receipt_number")
                .map_or(noun, |n| format!("Payment with receipt {n}"))
        }
        "invoice_series" | "receipt_series" => text_of(data, "prefix"),
        "ledger_entry" => text_of(data, "memo").map(|m| format!("\"{m}\"")),
        "organisation" => text_of(data, "name"),
        _ => None,
    };
    match own {
        Some(own) => format!("{noun} {own}"),
        None => noun,
    }
}

/// `noun` with a capital first letter.
pub fn capitalised(noun: &str) -> String {
    let mut chars = noun.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every column of `data` is one of the entity's and holds what it should.
pub fn check_columns(entity: &Entity, data: &Data) -> Result<(), Refusal> {
    let what = || describe(entity, data);
    for (column, value) in data {
        let Some(kind) = entity.kind(column) else {
            let shown: String = column
                .chars()
                .take(60)
                .map(|c| if c == '\0' { '\u{fffd}' } else { c })
                .collect();
            return Err(Refusal::new(
                &shown,
                format!("A {} has no column \"{shown}\"", entity.noun),
            ));
        };
        check_value(kind, value).map_err(|expected| {
            Refusal::new(column, format!("{}: {column} must be {expected}", what()))
        })?;
    }
    Ok(())
}

/// `Err(what is expected)` unless `value` fits `kind`.
fn check_value(kind: Kind, value: &Value) -> Result<(), &'static str> {
    match (kind, value) {
        (_, Value::Null) => Ok(()),
        (Kind::Text, Value::String(s)) if !s.contains('\0') => Ok(()),
        (Kind::Text, _) => Err("text without NUL characters"),
        (Kind::Int | Kind::Paise, Value::Number(n)) if n.is_i64() => Ok(()),
        (Kind::Int, _) => Err("a whole number"),
        (Kind::Paise, _) => Err("a whole number of paise"),
        (Kind::Date, Value::String(s)) if is_iso_date(s) => Ok(()),
        (Kind::Date, _) => Err("a date written YYYY-MM-DD"),
        (Kind::Month, Value::String(s)) if is_month(s) => Ok(()),
        (Kind::Month, _) => Err("a month written YYYY-MM"),
    }
}

fn is_iso_date(s: &str) -> bool {
    s.len() == 10 && NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

fn is_month(s: &str) -> bool {
    s.len() == 7 && is_iso_date(&format!("{s}-01"))
}

/// The domain's cheap rules, on the columns `checked` says are new or
/// changed.
pub fn check_domain(
    entity: &Entity,
    data: &Data,
    checked: &dyn Fn(&str) -> bool,
) -> Result<(), Refusal> {
    let what = || describe(entity, data);
    match entity.name {
        "tenant" => {
            if checked("full_name") {
                if let Some(name) = text_of(data, "full_name") {
                    check_person_name(&name)
                        .map_err(|m| Refusal::new("full_name", format!("{}: {m}", what())))?;
                }
            }
            if checked("mobile") {
                if let Some(mobile) = text_of(data, "mobile") {
                    Mobile::parse(&mobile, "mobile")
                        .map_err(|e| Refusal::new("mobile", format!("{}: {e}", what())))?;
                }
            }
        }
        "payment" if checked("amount_paise") => {
            if let Some(amount) = data.get("amount_paise").and_then(Value::as_i64) {
                if amount <= 0 {
                    return Err(Refusal::new(
                        "amount_paise",
                        format!("{}: the amount must be above zero", what()),
                    ));
                }
            }
        }
        "allocation" if checked("move_in") || checked("move_out") => {
            if let (Some(move_in), Some(move_out)) =
                (text_of(data, "move_in"), text_of(data, "move_out"))
            {
                if move_out <= move_in {
                    return Err(Refusal::new(
                        "move_out",
                        "A stay's move-out date must be after its move-in date",
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// As `multipms_domain::tenant`: spaces folded, 1 to 100 characters, no
/// control characters, letters and no digits.
fn check_person_name(raw: &str) -> Result<(), &'static str> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("Full name is required");
    }
    if name.chars().count() > 100 {
        return Err("Full name must be at most 100 characters");
    }
    if name.chars().any(char::is_control) {
        return Err("Full name must not contain control characters");
    }
    if name.chars().any(|c| c.is_ascii_digit()) {
        return Err("Full name must not contain digits");
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err("Full name must contain letters");
    }
    Ok(())
}

/// A UTR as the desk's payment_utr_once compares it.
pub fn normalise_utr(utr: &str) -> String {
    utr.chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect::<String>()
        .to_uppercase()
}

/// The values `rule` compares for `data`, `None` when the record does not
/// count (a column null, a cancelled invoice, a reversed payment).
pub fn unique_values(rule: &UniqueRule, data: &Data) -> Option<Vec<String>> {
    match rule.among {
        Among::All => {}
        Among::IssuedInvoices => {
            if text_of(data, "status").as_deref() != Some("issued") {
                return None;
            }
        }
        Among::UnreversedPayments => {
            if text_of(data, "reversed_on").is_some() {
                return None;
            }
        }
    }
    rule.columns
        .iter()
        .map(|c| {
            text_of(data, c).map(|v| {
                if rule.normalise_utr {
                    normalise_utr(&v)
                } else {
                    v
                }
            })
        })
        .collect()
}

/// True when two stays share a night: [move_in, move_out) ranges of ISO
/// dates, compared as text as the desk's allocation_no_overlap triggers do
/// (move_out null is open-ended).
pub fn stays_overlap(a: &Data, b: &Data) -> bool {
    let (Some(a_in), Some(b_in)) = (text_of(a, "move_in"), text_of(b, "move_in")) else {
        return false;
    };
    let end = |d: &Data| text_of(d, "move_out").unwrap_or_else(|| "9999-12-31".into());
    a_in < end(b) && b_in < end(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::schema::{entity, UNIQUE_RULES};
    use serde_json::json;

    fn data(v: Value) -> Data {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn keys_join_columns() {
        let e = entity("invoice_line").unwrap();
        let d = data(json!({"invoice_id": "abc", "position": 2}));
        assert_eq!(build_key(e, &d).unwrap(), "abc|2");
        let d = data(json!({"invoice_id": "abc"}));
        assert_eq!(build_key(e, &d).unwrap_err().field.unwrap(), "position");
        assert!(check_key("").is_err());
        assert!(check_key(&"x".repeat(201)).is_err());
        assert!(check_key(&"x".repeat(200)).is_ok());
    }

    #[test]
    fn columns_and_kinds() {
        let e = entity("payment").unwrap();
        assert!(check_columns(e, &data(json!({"id": "p", "amount_paise": 100}))).is_ok());
        let err = check_columns(e, &data(json!({"amount_paise": 1.5}))).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("amount_paise"));
        let err = check_columns(e, &data(json!({"paid_on": "31/12/2026"}))).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("paid_on"));
        assert!(check_columns(e, &data(json!({"paid_on": "2026-02-30"}))).is_err());
        assert!(check_columns(e, &data(json!({"paid_on": "2026-02-28"}))).is_ok());
        let err = check_columns(e, &data(json!({"seq": 4}))).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("seq"));
        assert!(check_columns(e, &data(json!({"note": "a\u{0}b"}))).is_err());
        assert!(check_columns(e, &data(json!({"note": ["x"]}))).is_err());
        let i = entity("invoice").unwrap();
        assert!(check_columns(i, &data(json!({"month": "2026-11"}))).is_ok());
        assert!(check_columns(i, &data(json!({"month": "2026-13"}))).is_err());
    }

    #[test]
    fn domain_rules() {
        let all = |_: &str| true;
        let t = entity("tenant").unwrap();
        assert!(check_domain(
            t,
            &data(json!({"full_name": "Ravi Sharma", "mobile": "+919845012345"})),
            &all
        )
        .is_ok());
        let err = check_domain(t, &data(json!({"mobile": "12345"})), &all).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("mobile"));
        let err = check_domain(t, &data(json!({"full_name": "R2D2"})), &all).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("full_name"));
        // Unchanged columns are not checked again.
        assert!(check_domain(t, &data(json!({"mobile": "12345"})), &|c| c != "mobile").is_ok());
        let p = entity("payment").unwrap();
        assert!(check_domain(p, &data(json!({"amount_paise": 0})), &all).is_err());
        let a = entity("allocation").unwrap();
        assert!(check_domain(
            a,
            &data(json!({"move_in": "2026-12-01", "move_out": "2026-12-01"})),
            &all
        )
        .is_err());
    }

    #[test]
    fn utr_and_uniques() {
        assert_eq!(normalise_utr("4123 4567-8901"), "412345678901");
        assert_eq!(normalise_utr("hdfc-n52 026"), "HDFCN52026");
        let utr = UNIQUE_RULES.iter().find(|r| r.field == "utr").unwrap();
        assert_eq!(
            unique_values(utr, &data(json!({"utr": "abc 123-4"}))),
            Some(vec!["ABC1234".to_string()])
        );
        assert_eq!(
            unique_values(
                utr,
                &data(json!({"utr": "abc", "reversed_on": "2026-01-01"}))
            ),
            None
        );
        assert_eq!(unique_values(utr, &data(json!({"utr": null}))), None);
        let month = UNIQUE_RULES
            .iter()
            .find(|r| r.index == "sync_invoice_contract_month")
            .unwrap();
        assert_eq!(
            unique_values(
                month,
                &data(json!({"contract_id": "c", "month": "2026-11", "status": "cancelled"}))
            ),
            None
        );
        let seq = UNIQUE_RULES
            .iter()
            .find(|r| r.index == "sync_invoice_sequence")
            .unwrap();
        assert_eq!(
            unique_values(
                seq,
                &data(json!({"series_prefix": "A", "fy_start": 2026, "sequence": 7}))
            ),
            Some(vec!["A".into(), "2026".into(), "7".into()])
        );
    }

    #[test]
    fn overlap_as_the_desk() {
        let stay = |i: &str, o: Option<&str>| data(json!({"move_in": i, "move_out": o}));
        assert!(stays_overlap(
            &stay("2026-12-01", None),
            &stay("2027-01-01", None)
        ));
        assert!(!stays_overlap(
            &stay("2026-12-01", Some("2027-01-01")),
            &stay("2027-01-01", None)
        ));
        assert!(stays_overlap(
            &stay("2026-12-01", Some("2027-01-02")),
            &stay("2027-01-01", Some("2027-02-01"))
        ));
        assert!(!stays_overlap(
            &stay("2027-02-01", None),
            &stay("2027-01-01", Some("2027-02-01"))
        ));
    }
}
