//! What the server knows of the desk's tables: the synced entities, their
//! keys and columns (as in `crates/store/migrations`), the references
//! between them, what may change once stored, and the desk's UNIQUE
//! constraints. Plain tables; the checks that read them are in
//! [`super::rules`].

/// What a column holds, for the cheap checks of [`super::rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (also an id or an instant).
    Text,
    /// A whole number.
    Int,
    /// Money: a whole number of paise.
    Paise,
    /// A date, ISO `YYYY-MM-DD`.
    Date,
    /// A month, `YYYY-MM`.
    Month,
}

use Kind::{Date, Int, Month, Paise, Text};

/// A column that names a record of another entity by its key.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    /// The column.
    pub column: &'static str,
    /// The entity it points to.
    pub target: &'static str,
    /// True when the column may be null.
    pub nullable: bool,
}

const fn r(column: &'static str, target: &'static str) -> Reference {
    Reference {
        column,
        target,
        nullable: false,
    }
}

const fn r_opt(column: &'static str, target: &'static str) -> Reference {
    Reference {
        column,
        target,
        nullable: true,
    }
}

/// What may change of a stored record.
#[derive(Debug, Clone, Copy)]
pub enum Changes {
    /// Any field (merged field by field).
    Free,
    /// Nothing, ever; the message says what to do instead.
    Never(&'static str),
    /// Only these fields (the desk's BEFORE UPDATE triggers); the message
    /// says what to do instead. `final_when` = (field, value): once the
    /// stored record has it, nothing changes any more.
    Only {
        /// The fields that may change.
        fields: &'static [&'static str],
        /// Why the others may not.
        message: &'static str,
        /// A state after which nothing may change, and why.
        final_when: Option<(&'static str, &'static str, &'static str)>,
    },
}

/// A synced entity: one of the desk's tables.
#[derive(Debug)]
pub struct Entity {
    /// The desk's table name.
    pub name: &'static str,
    /// What people call one, lower case: "bed", "stay".
    pub noun: &'static str,
    /// The key columns, joined with `|` in this order.
    pub key: &'static [&'static str],
    /// Every column the desk sends.
    pub columns: &'static [(&'static str, Kind)],
    /// Columns that name other records.
    pub references: &'static [Reference],
    /// Money: caretakers may not push it.
    pub money: bool,
    /// What may change once stored.
    pub changes: Changes,
    /// Why it may not be deleted, when it may not.
    pub undeletable: Option<&'static str>,
}

impl Entity {
    /// The kind of `column`, `None` when the desk has no such column.
    pub fn kind(&self, column: &str) -> Option<Kind> {
        self.columns
            .iter()
            .find(|(name, _)| *name == column)
            .map(|(_, kind)| *kind)
    }

    /// True when a stored record never changes.
    pub fn append_only(&self) -> bool {
        matches!(self.changes, Changes::Never(_))
    }
}

const LEDGER_NEVER: &str = "ledger entries are never edited; correct them with a reversal";
const SETTLEMENT_NEVER: &str = "a deposit settlement is never edited or removed once recorded";

/// Every synced entity, in the order the desk's migrations make them.
pub static ENTITIES: &[Entity] = &[
    Entity {
        name: "organisation",
        noun: "organisation",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("name", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "property",
        noun: "property",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("name", Text),
            ("address_line1", Text),
            ("address_line2", Text),
            ("city", Text),
            ("state", Text),
            ("state_code", Int),
            ("pin_code", Text),
            ("gstin", Text),
            ("code", Text),
            ("upi_id", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("gst_category", Text),
            ("gst_rate_bp", Int),
            ("landlord_name", Text),
            ("landlord_pan", Text),
        ],
        references: &[],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "room",
        noun: "room",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("property_id", Text),
            ("floor", Int),
            ("number", Text),
            ("room_type", Text),
            ("sharing", Int),
            ("ac", Int),
            ("rent_per_bed_paise", Paise),
            ("retired_on", Date),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[r("property_id", "property")],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "bed",
        noun: "bed",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("room_id", Text),
            ("label", Text),
            ("retired_on", Date),
            ("created_at", Text),
            ("updated_at", Text),
            ("property_id", Text),
        ],
        references: &[r("room_id", "room"), r_opt("property_id", "property")],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "tenant",
        noun: "tenant",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("full_name", Text),
            ("mobile", Text),
            ("email", Text),
            ("date_of_birth", Date),
            ("permanent_address", Text),
            ("emergency_name", Text),
            ("emergency_phone", Text),
            ("occupation", Text),
            ("college_or_employer", Text),
            ("kyc_document", Text),
            ("kyc_number", Text),
            ("kyc_masked", Text),
            ("police_verification", Text),
            ("police_verified_on", Date),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "allocation",
        noun: "stay",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("tenant_id", Text),
            ("bed_id", Text),
            ("move_in", Date),
            ("move_out", Date),
            ("notice_on", Date),
            ("created_at", Text),
            ("updated_at", Text),
            ("property_id", Text),
        ],
        references: &[
            r("tenant_id", "tenant"),
            r("bed_id", "bed"),
            r_opt("property_id", "property"),
        ],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "contract",
        noun: "contract",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("allocation_id", Text),
            ("monthly_rent_paise", Paise),
            ("deposit_paise", Paise),
            ("billing_day", Int),
            ("lock_in_months", Int),
            ("notice_days", Int),
            ("escalation_bp", Int),
            ("starts_on", Date),
            ("ends_on", Date),
            ("status", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[r("allocation_id", "allocation")],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "invoice_series",
        noun: "invoice series",
        key: &["property_id", "desk_id"],
        columns: &[
            ("property_id", Text),
            ("desk_id", Text),
            ("desk_suffix", Text),
            ("prefix", Text),
            ("last_fy_start", Int),
            ("last_sequence", Int),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[r("property_id", "property")],
        money: true,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "receipt_series",
        noun: "receipt series",
        key: &["desk_id"],
        columns: &[
            ("desk_id", Text),
            ("prefix", Text),
            ("last_fy_start", Int),
            ("last_sequence", Int),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[],
        money: true,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "invoice",
        noun: "invoice",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("number", Text),
            ("series_prefix", Text),
            ("fy_start", Int),
            ("sequence", Int),
            ("property_id", Text),
            ("contract_id", Text),
            ("tenant_id", Text),
            ("month", Month),
            ("invoice_date", Date),
            ("due_on", Date),
            ("title", Text),
            ("gst_rule", Text),
            ("gst_charge", Text),
            ("gst_rate_bp", Int),
            ("interstate", Int),
            ("sac", Text),
            ("place_of_supply", Int),
            ("supplier_gstin", Text),
            ("recipient_gstin", Text),
            ("taxable_value_paise", Paise),
            ("cgst_paise", Paise),
            ("sgst_paise", Paise),
            ("igst_paise", Paise),
            ("tax_charged_paise", Paise),
            ("tax_reverse_charge_paise", Paise),
            ("round_off_paise", Paise),
            ("total_paise", Paise),
            ("amount_in_words", Text),
            ("notes_json", Text),
            ("status", Text),
            ("cancelled_on", Date),
            ("cancel_reason", Text),
            ("desk_id", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[
            r("property_id", "property"),
            r("contract_id", "contract"),
            r("tenant_id", "tenant"),
        ],
        money: true,
        // invoice_fixed and invoice_cancel_is_final (0004_billing.sql).
        changes: Changes::Only {
            fields: &["status", "cancelled_on", "cancel_reason", "updated_at"],
            message: "an issued invoice cannot be changed; cancel it instead",
            final_when: Some((
                "status",
                "cancelled",
                "a cancelled invoice cannot be changed",
            )),
        },
        undeletable: Some("invoices are kept; cancel one instead"),
    },
    Entity {
        name: "invoice_line",
        noun: "invoice line",
        key: &["invoice_id", "position"],
        columns: &[
            ("invoice_id", Text),
            ("position", Int),
            ("kind", Text),
            ("description", Text),
            ("sac", Text),
            ("taxable_value_paise", Paise),
            ("cgst_paise", Paise),
            ("sgst_paise", Paise),
            ("igst_paise", Paise),
            ("total_paise", Paise),
        ],
        references: &[r("invoice_id", "invoice")],
        money: true,
        changes: Changes::Never("invoice lines are never edited; cancel the invoice instead"),
        undeletable: Some("invoice lines are never removed; cancel the invoice instead"),
    },
    Entity {
        name: "payment",
        noun: "payment",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("receipt_number", Text),
            ("tenant_id", Text),
            ("mode", Text),
            ("purpose", Text),
            ("amount_paise", Paise),
            ("paid_on", Date),
            ("recorded_at", Text),
            ("utr", Text),
            ("cheque_number", Text),
            ("cheque_bank", Text),
            ("cheque_state", Text),
            ("cheque_state_on", Date),
            ("note", Text),
            ("reversed_on", Date),
            ("reverse_reason", Text),
            ("desk_id", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[r("tenant_id", "tenant")],
        money: true,
        // payment_fixed (0004_billing.sql) names the fields that never change.
        changes: Changes::Only {
            fields: &[
                "cheque_state",
                "cheque_state_on",
                "note",
                "reversed_on",
                "reverse_reason",
                "updated_at",
            ],
            message: "a recorded payment cannot be changed; reverse it instead",
            final_when: None,
        },
        undeletable: Some("payments are kept; reverse one instead"),
    },
    Entity {
        name: "ledger_entry",
        noun: "ledger entry",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("tenant_id", Text),
            ("kind", Text),
            ("book", Text),
            ("amount_paise", Paise),
            ("posted_on", Date),
            ("due_on", Date),
            ("invoice_id", Text),
            ("payment_id", Text),
            ("reverses", Text),
            ("memo", Text),
            ("desk_id", Text),
            ("recorded_at", Text),
            ("invoice_number", Text),
            ("receipt_number", Text),
        ],
        references: &[
            r("tenant_id", "tenant"),
            r_opt("invoice_id", "invoice"),
            r_opt("payment_id", "payment"),
            r_opt("reverses", "ledger_entry"),
        ],
        money: true,
        changes: Changes::Never(LEDGER_NEVER),
        undeletable: Some(LEDGER_NEVER),
    },
    Entity {
        name: "payment_allocation",
        noun: "payment allocation",
        key: &["entry_id", "item_entry_id"],
        columns: &[
            ("entry_id", Text),
            ("item_entry_id", Text),
            ("payment_id", Text),
            ("invoice_id", Text),
            ("amount_paise", Paise),
        ],
        references: &[
            r("entry_id", "ledger_entry"),
            r("item_entry_id", "ledger_entry"),
            r("payment_id", "payment"),
            r_opt("invoice_id", "invoice"),
        ],
        money: true,
        changes: Changes::Never(LEDGER_NEVER),
        undeletable: Some(LEDGER_NEVER),
    },
    Entity {
        name: "document",
        noun: "document",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("tenant_id", Text),
            ("contract_id", Text),
            ("kind", Text),
            ("original_name", Text),
            ("file_type", Text),
            ("size_bytes", Int),
            ("sha256", Text),
            ("added_by", Text),
            ("added_at", Text),
            ("removed_at", Text),
            ("removed_by", Text),
        ],
        references: &[r("tenant_id", "tenant"), r_opt("contract_id", "contract")],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "contract_charge",
        noun: "charge",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("contract_id", Text),
            ("kind", Text),
            ("description", Text),
            ("amount_paise", Paise),
            ("schedule", Text),
            ("starts_on", Date),
            ("ends_on", Date),
            ("prorate", Int),
            ("desk_id", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[r("contract_id", "contract")],
        money: false,
        // contract_charge_fixed (0009): a charge may only be ended.
        changes: Changes::Only {
            fields: &["ends_on", "updated_at"],
            message: "a charge cannot be changed; end it and add a new one",
            final_when: None,
        },
        undeletable: Some("charges are kept; end one instead"),
    },
    Entity {
        name: "contract_discount",
        noun: "discount",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("contract_id", Text),
            ("description", Text),
            ("amount_paise", Paise),
            ("percent_bp", Int),
            ("schedule", Text),
            ("starts_on", Date),
            ("ends_on", Date),
            ("desk_id", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        references: &[r("contract_id", "contract")],
        money: false,
        changes: Changes::Only {
            fields: &["ends_on", "updated_at"],
            message: "a discount cannot be changed; end it and add a new one",
            final_when: None,
        },
        undeletable: Some("discounts are kept; end one instead"),
    },
    Entity {
        name: "meter_reading",
        noun: "meter reading",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("room_id", Text),
            ("month", Month),
            ("previous_on", Date),
            ("previous_units", Int),
            ("reading_on", Date),
            ("reading_units", Int),
            ("units", Int),
            ("rate_per_unit_paise", Paise),
            ("amount_paise", Paise),
            ("desk_id", Text),
            ("created_at", Text),
        ],
        references: &[r("room_id", "room")],
        money: false,
        changes: Changes::Never("meter readings are never edited"),
        undeletable: Some("meter readings are kept"),
    },
    Entity {
        name: "electricity_share",
        noun: "electricity share",
        key: &["meter_reading_id", "contract_id", "invoice_id"],
        columns: &[
            ("meter_reading_id", Text),
            ("contract_id", Text),
            ("invoice_id", Text),
            ("nights", Int),
            ("room_nights", Int),
            ("amount_paise", Paise),
        ],
        references: &[
            r("meter_reading_id", "meter_reading"),
            r("contract_id", "contract"),
            r("invoice_id", "invoice"),
        ],
        money: true,
        changes: Changes::Never("billed electricity shares are never edited"),
        undeletable: Some("billed electricity shares are kept"),
    },
    Entity {
        name: "late_fee_rule",
        noun: "late fee rule",
        key: &["property_id"],
        columns: &[
            ("property_id", Text),
            ("enabled", Int),
            ("kind", Text),
            ("flat_paise", Paise),
            ("percent_bp", Int),
            ("after_days", Int),
            ("cap_paise", Paise),
            ("updated_at", Text),
        ],
        references: &[r("property_id", "property")],
        money: false,
        changes: Changes::Free,
        undeletable: None,
    },
    Entity {
        name: "late_fee_charge",
        noun: "late fee",
        key: &["item_entry_id", "invoice_id"],
        columns: &[
            ("item_entry_id", Text),
            ("invoice_id", Text),
            ("overdue_invoice_id", Text),
            ("amount_paise", Paise),
        ],
        references: &[
            r("item_entry_id", "ledger_entry"),
            r("invoice_id", "invoice"),
            r_opt("overdue_invoice_id", "invoice"),
        ],
        money: true,
        changes: Changes::Never("billed late fees are never edited"),
        undeletable: Some("billed late fees are kept"),
    },
    Entity {
        name: "deposit_settlement",
        noun: "deposit settlement",
        key: &["id"],
        columns: &[
            ("id", Text),
            ("contract_id", Text),
            ("tenant_id", Text),
            ("settled_on", Date),
            ("deposit_held_paise", Paise),
            ("dues_paise", Paise),
            ("credit_paise", Paise),
            ("total_deductions_paise", Paise),
            ("outcome", Text),
            ("outcome_paise", Paise),
            ("statement", Text),
            ("desk_id", Text),
            ("created_at", Text),
        ],
        references: &[r("contract_id", "contract"), r("tenant_id", "tenant")],
        money: true,
        changes: Changes::Never(SETTLEMENT_NEVER),
        undeletable: Some(SETTLEMENT_NEVER),
    },
    Entity {
        name: "deposit_deduction",
        noun: "deposit deduction",
        key: &["settlement_id", "position"],
        columns: &[
            ("settlement_id", Text),
            ("position", Int),
            ("kind", Text),
            ("description", Text),
            ("amount_paise", Paise),
        ],
        references: &[r("settlement_id", "deposit_settlement")],
        money: true,
        changes: Changes::Never(SETTLEMENT_NEVER),
        undeletable: Some(SETTLEMENT_NEVER),
    },
    Entity {
        name: "deposit_settlement_entry",
        noun: "deposit settlement entry",
        key: &["settlement_id", "entry_id"],
        columns: &[("settlement_id", Text), ("entry_id", Text)],
        references: &[
            r("settlement_id", "deposit_settlement"),
            r("entry_id", "ledger_entry"),
        ],
        money: true,
        changes: Changes::Never(SETTLEMENT_NEVER),
        undeletable: Some(SETTLEMENT_NEVER),
    },
];

/// The entity of a desk table name.
pub fn entity(name: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.name == name)
}

/// Which records count for a unique rule besides having every column set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Among {
    /// Every live record.
    All,
    /// Invoices whose status is `issued`.
    IssuedInvoices,
    /// Payments not reversed (`reversed_on` null).
    UnreversedPayments,
}

/// One of the desk's UNIQUE constraints, per organisation among live
/// records; `index` is the partial unique index of migration 0004 that
/// backs it (its expressions are [`UniqueRule::sql_values`]).
#[derive(Debug)]
pub struct UniqueRule {
    /// The entity.
    pub entity: &'static str,
    /// The columns, in the index's order.
    pub columns: &'static [&'static str],
    /// The column a refusal names.
    pub field: &'static str,
    /// UTRs compare normalised: upper case, without spaces and '-'.
    pub normalise_utr: bool,
    /// Which records count.
    pub among: Among,
    /// The index.
    pub index: &'static str,
}

const fn unique(
    entity: &'static str,
    columns: &'static [&'static str],
    field: &'static str,
    index: &'static str,
) -> UniqueRule {
    UniqueRule {
        entity,
        columns,
        field,
        normalise_utr: false,
        among: Among::All,
        index,
    }
}

/// The desk's UNIQUE constraints (keys aside, which are unique by being
/// keys).
pub static UNIQUE_RULES: &[UniqueRule] = &[
    unique("property", &["code"], "code", "sync_property_code"),
    unique(
        "room",
        &["property_id", "number"],
        "number",
        "sync_room_number",
    ),
    unique("bed", &["room_id", "label"], "label", "sync_bed_label"),
    unique(
        "contract",
        &["allocation_id"],
        "allocation_id",
        "sync_contract_allocation",
    ),
    unique(
        "invoice_series",
        &["prefix"],
        "prefix",
        "sync_invoice_series_prefix",
    ),
    unique(
        "receipt_series",
        &["prefix"],
        "prefix",
        "sync_receipt_series_prefix",
    ),
    unique("invoice", &["number"], "number", "sync_invoice_number"),
    unique(
        "invoice",
        &["series_prefix", "fy_start", "sequence"],
        "sequence",
        "sync_invoice_sequence",
    ),
    UniqueRule {
        among: Among::IssuedInvoices,
        ..unique(
            "invoice",
            &["contract_id", "month"],
            "month",
            "sync_invoice_contract_month",
        )
    },
    unique(
        "payment",
        &["receipt_number"],
        "receipt_number",
        "sync_payment_receipt",
    ),
    UniqueRule {
        normalise_utr: true,
        among: Among::UnreversedPayments,
        ..unique("payment", &["utr"], "utr", "sync_payment_utr")
    },
    unique(
        "ledger_entry",
        &["reverses"],
        "reverses",
        "sync_ledger_reverses",
    ),
    unique(
        "meter_reading",
        &["room_id", "month"],
        "month",
        "sync_meter_reading_month",
    ),
    unique(
        "deposit_settlement",
        &["contract_id"],
        "contract_id",
        "sync_deposit_settlement_contract",
    ),
    unique(
        "deposit_settlement_entry",
        &["entry_id"],
        "entry_id",
        "sync_deposit_settlement_entry",
    ),
];

impl UniqueRule {
    /// The SQL expressions of the index, in order.
    pub fn sql_values(&self) -> Vec<String> {
        self.columns
            .iter()
            .map(|c| {
                if self.normalise_utr {
                    format!("upper(replace(replace(data->>'{c}', ' ', ''), '-', ''))")
                } else {
                    format!("(data->>'{c}')")
                }
            })
            .collect()
    }

    /// The SQL condition of the index (besides org and values).
    pub fn sql_among(&self) -> String {
        let mut sql = format!("entity = '{}' AND NOT deleted", self.entity);
        for c in self.columns {
            sql.push_str(&format!(" AND data->>'{c}' IS NOT NULL"));
        }
        match self.among {
            Among::All => {}
            Among::IssuedInvoices => sql.push_str(" AND data->>'status' = 'issued'"),
            Among::UnreversedPayments => sql.push_str(" AND data->>'reversed_on' IS NULL"),
        }
        sql
    }
}

/// The unique rule of an index name (for a refusal by the safety net).
pub fn rule_of_index(index: &str) -> Option<&'static UniqueRule> {
    UNIQUE_RULES.iter().find(|r| r.index == index)
}

/// Every (entity, column) that refers to `target`.
pub fn referrers(target: &str) -> impl Iterator<Item = (&'static Entity, &'static Reference)> + '_ {
    ENTITIES.iter().flat_map(move |e| {
        e.references
            .iter()
            .filter(move |r| r.target == target)
            .map(move |r| (e, r))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_key_and_rule_names_known_things() {
        for e in ENTITIES {
            for k in e.key {
                assert!(e.kind(k).is_some(), "{}: key column {k}", e.name);
            }
            for r in e.references {
                assert!(e.kind(r.column).is_some(), "{}.{}", e.name, r.column);
                let target = entity(r.target).expect("target entity");
                assert_eq!(target.key.len(), 1, "{} -> {}", e.name, r.target);
            }
            if let Changes::Only { fields, .. } = e.changes {
                for f in fields {
                    assert!(e.kind(f).is_some(), "{}.{f}", e.name);
                }
            }
        }
        for rule in UNIQUE_RULES {
            let e = entity(rule.entity).expect("rule entity");
            for c in rule.columns {
                assert!(e.kind(c).is_some(), "{}.{c}", rule.entity);
            }
            assert!(rule.columns.contains(&rule.field));
        }
        assert_eq!(ENTITIES.len(), 24);
    }

    #[test]
    fn money_entities_are_the_books() {
        let money: Vec<&str> = ENTITIES
            .iter()
            .filter(|e| e.money)
            .map(|e| e.name)
            .collect();
        assert_eq!(
            money,
            [
                "invoice_series",
                "receipt_series",
                "invoice",
                "invoice_line",
                "payment",
                "ledger_entry",
                "payment_allocation",
                "electricity_share",
                "late_fee_charge",
                "deposit_settlement",
                "deposit_deduction",
                "deposit_settlement_entry",
            ]
        );
    }
}
