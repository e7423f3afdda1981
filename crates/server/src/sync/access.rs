//! Who may push and pull what through sync: the same rules as the REST
//! API's ([`crate::roles`]), per synced entity.
//!
//! Pushing: each row needs the action its entity needs over the API —
//! properties, rooms, beds and the late-fee rule are `WriteProperties`
//! (owner, manager); tenants, stays and documents `WriteOccupancy` (and the
//! front desk); every money record `WriteMoney`, and a ledger reversal
//! `ReverseMoney` (owner, manager). A front desk's rows that name a
//! property (a room, bed, stay, invoice, series) must name one assigned to
//! them, and rows of a tenant (the tenant, payments, ledger entries,
//! documents, contracts' charges) must be of a tenant who stays at one of
//! their properties or at none yet (being onboarded). Caretakers and
//! accountants push nothing.
//!
//! Pulling: owners, managers and accountants see every record; a front
//! desk's and a caretaker's desk only those of their properties (the
//! others come as deletions, see `feed`). A caretaker's desk gets no money (the money entities, contracts
//! and their charges, documents, the late-fee rule come as deletions, so a
//! desk whose user became a caretaker drops what it held) and no KYC (a
//! tenant's identity number comes as null).

use std::collections::HashSet;

use super::rules::{text_of, Data, Refusal};
use super::schema::Entity;
use super::{RowAction, RowIn};
use crate::db::OrgTx;
use crate::error::ApiResult;
use crate::roles::{Action, Caller, Role};

/// What one caller's desk is sent of the organisation's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every record as stored.
    Full,
    /// No money, no KYC (caretakers).
    NoMoneyNoKyc,
}

/// Entities besides the money ones that a caretaker's desk is not sent:
/// contracts and their charges carry rent, documents are KYC papers and
/// signed contracts, the late-fee rule is money.
const CARETAKER_ALSO_HIDDEN: &[&str] = &[
    "contract",
    "contract_charge",
    "contract_discount",
    "document",
    "late_fee_rule",
];

/// Tenant columns a caretaker's desk receives as null.
pub const KYC_COLUMNS: &[&str] = &["kyc_number"];

impl View {
    /// The view of `caller`'s role.
    pub fn of(caller: &Caller) -> View {
        if caller.sees_money() && caller.sees_kyc() {
            View::Full
        } else {
            View::NoMoneyNoKyc
        }
    }

    /// The name the desk is told, so it can pull again from the start
    /// when its user's view changes.
    pub fn code(self) -> &'static str {
        match self {
            View::Full => "full",
            View::NoMoneyNoKyc => "no_money_no_kyc",
        }
    }

    /// The entities whose records this view sends as deletions.
    pub fn hidden_entities(self) -> Vec<&'static str> {
        match self {
            View::Full => Vec::new(),
            View::NoMoneyNoKyc => super::schema::ENTITIES
                .iter()
                .filter(|e| e.money || CARETAKER_ALSO_HIDDEN.contains(&e.name))
                .map(|e| e.name)
                .collect(),
        }
    }
}

impl View {
    /// A record's data as this view shows it (the refused operation's
    /// truth goes through here, as pulled pages go through the same rule
    /// in SQL in [`super::feed`]).
    pub fn redact(self, entity: &str, data: Option<&Data>) -> Option<Data> {
        if self == View::Full {
            return data.cloned();
        }
        if self.hidden_entities().contains(&entity) {
            return None;
        }
        let mut data = data?.clone();
        if entity == "tenant" {
            for column in KYC_COLUMNS {
                data.insert((*column).to_string(), serde_json::Value::Null);
            }
        }
        Some(data)
    }
}

/// What a row of `entity` needs of the caller's role.
fn action_for(entity: &Entity, row: &RowIn) -> Action {
    match entity.name {
        "organisation" | "property" | "room" | "bed" | "late_fee_rule" => Action::WriteProperties,
        "tenant" | "allocation" | "document" => Action::WriteOccupancy,
        "ledger_entry"
            if row
                .new
                .as_ref()
                .and_then(|n| text_of(n, "kind"))
                .is_some_and(|k| k == "reversal") =>
        {
            Action::ReverseMoney
        }
        _ => Action::WriteMoney,
    }
}

/// Who may do `action`, for a refusal.
fn who_may(action: Action) -> &'static str {
    match action {
        Action::WriteProperties | Action::ReverseMoney => "an owner or a manager",
        _ => "an owner, a manager or the front desk",
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Owner => "an owner",
        Role::Manager => "a manager",
        Role::FrontDesk => "the front desk",
        Role::Caretaker => "a caretaker",
        Role::Accountant => "an accountant",
    }
}

/// The keys of the organisation's synced properties `caller` may work on:
/// `None` for every property. A user's properties are assigned on the
/// server by property; desks made their own property records, so the two
/// are matched by the property code (unique in an organisation).
pub async fn property_scope(tx: &mut OrgTx, caller: &Caller) -> ApiResult<Option<HashSet<String>>> {
    let Some(assigned) = caller.scope() else {
        return Ok(None);
    };
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT r.key FROM sync_record r \
         WHERE r.org_id = $1 AND r.entity = 'property' AND NOT r.deleted \
           AND r.data->>'code' IN (SELECT p.code FROM property p WHERE p.org_id = $1 AND p.id = ANY($2))",
    )
    .bind(caller.org_id)
    .bind(&assigned)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Some(keys.into_iter().collect()))
}

/// Refuses a row the caller's role or property scope does not allow.
pub fn check_row(
    caller: &Caller,
    scope: Option<&HashSet<String>>,
    entity: &Entity,
    row: &RowIn,
) -> Result<(), Refusal> {
    let action = action_for(entity, row);
    if !action.allows(caller.role) {
        return Err(Refusal::new(
            "entity",
            format!(
                "Signed in as {}, this desk may not change a {}: only {} may. The change is undone here.",
                role_name(caller.role),
                entity.noun,
                who_may(action)
            ),
        ));
    }
    let Some(scope) = scope else {
        return Ok(());
    };
    let named = |data: &Option<Data>| -> Option<String> {
        let data = data.as_ref()?;
        if entity.name == "property" {
            text_of(data, "id")
        } else {
            text_of(data, "property_id")
        }
    };
    let property = match row.action {
        RowAction::Upsert => named(&row.new).or_else(|| named(&row.old)),
        RowAction::Delete => named(&row.old),
    }
    .or_else(|| (entity.name == "property").then(|| row.key.clone()));
    match property {
        Some(p) if !scope.contains(&p) => Err(Refusal::new(
            "property_id",
            format!(
                "This {} belongs to a property not assigned to you: ask an owner to assign it, or a manager to make the change.",
                entity.noun
            ),
        )),
        _ => Ok(()),
    }
}

/// The tenants an operation's rows name (a tenant's own key, or a
/// `tenant_id` column), with the row that names each first.
fn named_tenants(op: &super::OpIn) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (i, row) in op.rows.iter().enumerate() {
        let named = if row.entity == "tenant" {
            Some(row.key.clone())
        } else {
            row.new
                .as_ref()
                .or(row.old.as_ref())
                .and_then(|d| text_of(d, "tenant_id"))
        };
        if let Some(t) = named {
            if !out.iter().any(|(seen, _)| *seen == t) {
                out.push((t, i));
            }
        }
    }
    out
}

/// Refuses an operation of a property-scoped caller that names a tenant
/// who stays only at properties not assigned to them. A tenant's
/// properties are those of their stays on the server and in this
/// operation; a tenant with no stay anywhere (being onboarded) is anyone's.
pub async fn check_tenants(
    tx: &mut OrgTx,
    org_id: uuid::Uuid,
    scope: &HashSet<String>,
    op: &super::OpIn,
) -> ApiResult<Result<(), Refusal>> {
    let named = named_tenants(op);
    if named.is_empty() {
        return Ok(Ok(()));
    }
    let ids: Vec<String> = named.iter().map(|(t, _)| t.clone()).collect();
    let mut stays: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.data->>'tenant_id', r.data->>'property_id' FROM sync_record r \
         WHERE r.org_id = $1 AND r.entity = 'allocation' AND NOT r.deleted \
           AND r.data->>'tenant_id' = ANY($2) AND r.data->>'property_id' IS NOT NULL",
    )
    .bind(org_id)
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    for row in op.rows.iter().filter(|r| r.entity == "allocation") {
        if let Some(new) = &row.new {
            if let (Some(t), Some(p)) = (text_of(new, "tenant_id"), text_of(new, "property_id")) {
                stays.push((t, p));
            }
        }
    }
    for (tenant, _) in &named {
        let mut at = stays.iter().filter(|(t, _)| t == tenant).peekable();
        if at.peek().is_some() && !at.any(|(_, p)| scope.contains(p)) {
            return Ok(Err(Refusal::new(
                "tenant_id",
                "This tenant stays at a property not assigned to you: ask an owner to assign it, or a manager to make the change.",
            )));
        }
    }
    Ok(Ok(()))
}
