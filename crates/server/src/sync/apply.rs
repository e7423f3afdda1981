//! Judging and applying pushed operations, each once, in order, each in a
//! transaction of its own that first locks the organisation's
//! `sync_counter` row (so the rules never race another push).
//!
//! One operation:
//!
//! 1. Without the database: every entity known, the caller's role and
//!    property scope allow every row ([`super::access`]), keys and columns
//!    right ([`super::rules`]).
//! 2. Lock; an op_id already answered gets the stored answer (the same
//!    content) and changes nothing.
//! 3. Load, in one query, every record the rows touch or name.
//! 4. Merge each row in order: a new record (old null) is inserted, or
//!    merged into the one the server has; an edit sets the fields where new
//!    differs from old on the server's current record. What may not change
//!    (the desk's append-only tables and BEFORE UPDATE triggers) is refused.
//! 5. Load, for a deleted record, what still refers to it. Check each
//!    row in order against the server's records and the operation's
//!    earlier rows: references (loaded in step 3), uniques and overlapping
//!    stays among the operation's own records, nothing left referring to
//!    a deleted record.
//! 6. Accepted: each row gets the next sequence number; the records are
//!    written in one statement. The database's unique indexes and
//!    exclusion constraint (migrations 0004, 0005) refuse a record that meets one
//!    the server already has: then the rows are written one by one to find
//!    the row, and the record in its way is looked up to name it. (Looking
//!    them all up first would cost a query per rule per operation, and
//!    hundreds of index probes the planner may turn into scans while a
//!    first push fills the table faster than its statistics follow.)
//!    The answer is stored.
//!    Rejected: nothing is written but the answer, with the server's data of
//!    every record touched, so the desk can roll back.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::access::View;
use super::reasons;
use super::rules::{
    build_key, capitalised, check_columns, check_domain, check_key, describe, stays_overlap,
    text_of, unique_values, value_text, Data, Refusal,
};
use super::schema::{self, Among, Changes, Entity, UniqueRule, UNIQUE_RULES};
use super::world::{sanitised, storable, Ek, World};
use super::{OpIn, OpResult, OpStatus, PushAnswer, PushBody, RowAction, TruthRecord};
use crate::app::AppState;
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::Caller;

/// Applies `body`'s operations in order and answers each.
pub async fn push(state: &AppState, caller: &Caller, body: &PushBody) -> ApiResult<PushAnswer> {
    let ids: Vec<Uuid> = body.ops.iter().map(|op| op.op_id).collect();
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let answered: Vec<StoredAnswer> = sqlx::query_as(
        "SELECT op_id, status, seq, reason, field, truth, content_sha256 \
         FROM sync_op WHERE org_id = $1 AND op_id = ANY($2)",
    )
    .bind(caller.org_id)
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    let scope = super::access::property_scope(&mut tx, caller).await?;
    tx.commit().await?;
    let answered: HashMap<Uuid, StoredAnswer> =
        answered.into_iter().map(|a| (a.op_id, a)).collect();

    let mut results = Vec::with_capacity(body.ops.len());
    for op in &body.ops {
        let hash = content_hash(op);
        match answered.get(&op.op_id) {
            // Answered before this request: the answer never changes.
            Some(stored) if stored.content_sha256 == hash => results.push(stored.to_result()?),
            _ => {
                results.push(apply_op(state, caller, scope.as_ref(), body.desk_id, op, hash).await?)
            }
        }
    }
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let last_seq: Option<i64> =
        sqlx::query_scalar("SELECT last_seq FROM sync_counter WHERE org_id = $1")
            .bind(caller.org_id)
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(PushAnswer {
        results,
        last_seq: last_seq.unwrap_or(0),
    })
}

/// An answer as `sync_op` keeps it.
#[derive(sqlx::FromRow)]
struct StoredAnswer {
    op_id: Uuid,
    status: String,
    seq: Option<i64>,
    reason: Option<String>,
    field: Option<String>,
    truth: Value,
    content_sha256: Vec<u8>,
}

impl StoredAnswer {
    fn to_result(&self) -> ApiResult<OpResult> {
        Ok(OpResult {
            op_id: self.op_id,
            status: if self.status == "accepted" {
                OpStatus::Accepted
            } else {
                OpStatus::Rejected
            },
            seq: self.seq,
            reason: self.reason.clone(),
            field: self.field.clone(),
            truth: serde_json::from_value(self.truth.clone()).map_err(ApiError::internal)?,
        })
    }
}

/// The SHA-256 of an operation's rows, columns in a fixed order: a retry
/// has the same, another operation under a reused id almost surely not.
fn content_hash(op: &OpIn) -> Vec<u8> {
    let mut hasher = Sha256::new();
    for row in &op.rows {
        let canonical = serde_json::to_string(&(
            &row.entity,
            &row.key,
            row.action,
            sorted(&row.old),
            sorted(&row.new),
        ))
        .unwrap_or_default();
        hasher.update(canonical.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().to_vec()
}

/// A row's columns in name order.
fn sorted(data: &Option<Data>) -> Option<BTreeMap<&String, &Value>> {
    data.as_ref().map(|d| d.iter().collect())
}

/// Every (entity, key) the operation touches, in the order first touched.
fn touched_keys(op: &OpIn) -> Vec<Ek> {
    let mut seen = HashSet::new();
    op.rows
        .iter()
        .map(|row| (row.entity.clone(), row.key.clone()))
        .filter(|ek| seen.insert(ek.clone()))
        .collect()
}

/// Step 1: what can be judged without the database.
fn prepare(
    caller: &Caller,
    scope: Option<&HashSet<String>>,
    op: &OpIn,
) -> Result<Vec<&'static Entity>, Refusal> {
    let mut entities = Vec::with_capacity(op.rows.len());
    for row in &op.rows {
        let entity = schema::entity(&row.entity).ok_or_else(|| {
            let shown: String = sanitised(&row.entity).chars().take(60).collect();
            Refusal::new(
                "entity",
                format!("The server does not keep records of \"{shown}\""),
            )
        })?;
        entities.push(entity);
    }
    for (row, entity) in op.rows.iter().zip(&entities) {
        super::access::check_row(caller, scope, entity, row)?;
    }
    for (row, entity) in op.rows.iter().zip(&entities) {
        check_key(&row.key)?;
        match row.action {
            RowAction::Upsert => {
                let new = row.new.as_ref().ok_or_else(|| {
                    Refusal::new(
                        "new",
                        format!("A {} was sent without its columns", entity.noun),
                    )
                })?;
                check_columns(entity, new)?;
                if build_key(entity, new)? != row.key {
                    return Err(Refusal::new(
                        "key",
                        format!(
                            "The key \"{}\" does not match the {}'s {}",
                            sanitised(&row.key),
                            entity.noun,
                            entity.key.join(" and ")
                        ),
                    ));
                }
            }
            RowAction::Delete => {
                if let Some(why) = entity.undeletable {
                    return Err(Refusal::new("key", capitalised(why)));
                }
            }
        }
    }
    Ok(entities)
}

/// Records the rows name through their references (loaded with the
/// touched ones).
fn named_keys(op: &OpIn, entities: &[&'static Entity]) -> Vec<Ek> {
    let mut keys = Vec::new();
    for (row, entity) in op.rows.iter().zip(entities) {
        let Some(new) = &row.new else { continue };
        for reference in entity.references {
            if let Some(target) = new.get(reference.column).and_then(value_text) {
                keys.push((reference.target.to_string(), target));
            }
        }
    }
    keys
}

/// Which columns of a row's result the rules look at.
#[derive(Debug)]
enum Checked {
    /// A new record: all of them.
    All,
    /// An edit: the columns it changed.
    Fields(HashSet<String>),
}

impl Checked {
    fn has(&self, column: &str) -> bool {
        match self {
            Checked::All => true,
            Checked::Fields(fields) => fields.contains(column),
        }
    }
}

/// A row merged: the record after it (`None`: deleted).
#[derive(Debug)]
struct Step {
    entity: &'static Entity,
    key: String,
    after: Option<Data>,
    checked: Checked,
}

/// Step 4 for one row: the record after it, given the record before.
fn merge(
    entity: &'static Entity,
    action: RowAction,
    old: Option<&Data>,
    new: Option<&Data>,
    key: &str,
    before: Option<Data>,
) -> Result<Step, Refusal> {
    let step = |after, checked| Step {
        entity,
        key: key.to_string(),
        after,
        checked,
    };
    let new = match (action, new) {
        (RowAction::Delete, _) => return Ok(step(None, Checked::All)),
        (RowAction::Upsert, Some(new)) => new,
        (RowAction::Upsert, None) => {
            return Err(Refusal::new(
                "new",
                format!("A {} was sent without its columns", entity.noun),
            ))
        }
    };
    let null = Value::Null;
    let (after, base) = match (old, before) {
        (None, None) => (new.clone(), None),
        (Some(old), None) => {
            return Err(Refusal::new(
                "key",
                format!("{} no longer exists on the server", describe(entity, old)),
            ))
        }
        // Sent as new, but the server has it (sent before, or made on
        // another desk under the same key): merged as an edit of it.
        (None, Some(present)) => {
            let mut merged = present.clone();
            for (column, value) in new {
                if merged.get(column) != Some(value) {
                    merged.insert(column.clone(), value.clone());
                }
            }
            (merged, Some(present))
        }
        (Some(old), Some(present)) => {
            let mut merged = present.clone();
            for (column, value) in new {
                if old.get(column).unwrap_or(&null) != value {
                    merged.insert(column.clone(), value.clone());
                }
            }
            (merged, Some(present))
        }
    };
    let Some(base) = base else {
        check_domain(entity, &after, &|_| true)?;
        return Ok(step(Some(after), Checked::All));
    };
    let changed: Vec<&'static str> = entity
        .columns
        .iter()
        .map(|(column, _)| *column)
        .filter(|c| base.get(*c).unwrap_or(&null) != after.get(*c).unwrap_or(&null))
        .collect();
    if let Some(first) = changed.first() {
        match entity.changes {
            Changes::Free => {}
            Changes::Never(why) => {
                return Err(Refusal::new(
                    first,
                    format!("{}: {why}", describe(entity, &base)),
                ))
            }
            Changes::Only {
                fields,
                message,
                final_when,
            } => {
                if let Some((column, value, why)) = final_when {
                    if text_of(&base, column).as_deref() == Some(value) {
                        return Err(Refusal::new(
                            first,
                            format!("{}: {why}", describe(entity, &base)),
                        ));
                    }
                }
                if let Some(fixed) = changed.iter().find(|c| !fields.contains(c)) {
                    return Err(Refusal::new(
                        fixed,
                        format!(
                            "{}: {message} ({fixed} cannot change)",
                            describe(entity, &base)
                        ),
                    ));
                }
            }
        }
    }
    let checked: HashSet<String> = changed.iter().map(|c| c.to_string()).collect();
    check_domain(entity, &after, &|c| checked.contains(c))?;
    Ok(step(Some(after), Checked::Fields(checked)))
}

/// True when a row's changes concern `rule`.
fn concerns(rule: &UniqueRule, checked: &Checked) -> bool {
    rule.columns.iter().any(|c| checked.has(c))
        || (rule.among == Among::IssuedInvoices && checked.has("status"))
        || (rule.among == Among::UnreversedPayments && checked.has("reversed_on"))
}

/// True when a stay's row changes its bed or dates.
fn moves_stay(step: &Step) -> bool {
    step.entity.name == "allocation"
        && ["bed_id", "move_in", "move_out"]
            .iter()
            .any(|c| step.checked.has(c))
}

/// What refers to the records the rows delete: (entity, key) of a deleted
/// record -> the live records that name it.
type Referrers = HashMap<Ek, Vec<(&'static Entity, String)>>;

type Found = Vec<(String, Option<Value>, Uuid)>;

/// Step 5's loading: the server's records that refer to a deleted one (one
/// query per referring column; deletes are rare).
async fn referrers_of_deleted(
    world: &mut World,
    tx: &mut OrgTx,
    steps: &[Step],
) -> ApiResult<Referrers> {
    let mut found = Referrers::new();
    let mut deleted: BTreeMap<(&'static str, &'static str), Vec<String>> = BTreeMap::new();
    for step in steps.iter().filter(|s| s.after.is_none()) {
        for (referrer, reference) in schema::referrers(step.entity.name) {
            deleted
                .entry((referrer.name, reference.column))
                .or_default()
                .push(step.key.clone());
        }
    }
    for ((entity_name, column), keys) in deleted {
        let Some(referrer) = schema::entity(entity_name) else {
            continue;
        };
        let target = referrer
            .references
            .iter()
            .find(|r| r.column == column)
            .map_or("", |r| r.target);
        let keys: Vec<String> = keys.into_iter().filter(|k| storable(k)).collect();
        let sql = format!(
            "SELECT key, data, op_id FROM sync_record WHERE org_id = $1 \
             AND entity = '{entity_name}' AND NOT deleted AND data->>'{column}' = ANY($2)"
        );
        let rows: Found = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(world.org_id)
            .bind(&keys)
            .fetch_all(&mut **tx)
            .await?;
        for (key, data, op_id) in rows {
            let data = super::world::as_data(data);
            if let Some(points_to) = data.as_ref().and_then(|d| text_of(d, column)) {
                found
                    .entry((target.to_string(), points_to))
                    .or_default()
                    .push((referrer, key.clone()));
            }
            world.absorb(entity_name.to_string(), key, data, op_id);
        }
    }
    Ok(found)
}

/// Steps 4 and 5: the rows merged and checked, or the first refusal.
async fn judge(
    world: &mut World,
    tx: &mut OrgTx,
    op: &OpIn,
    entities: &[&'static Entity],
) -> ApiResult<Result<Vec<Step>, Refusal>> {
    // Merge, in order, on the states the earlier rows left.
    let mut states: HashMap<Ek, Option<Data>> = HashMap::new();
    let mut steps = Vec::with_capacity(op.rows.len());
    let mut stopped = None;
    for (row, entity) in op.rows.iter().zip(entities) {
        let ek = (entity.name.to_string(), row.key.clone());
        let before = match states.get(&ek) {
            Some(state) => state.clone(),
            None => world.stored(&ek).cloned(),
        };
        match merge(
            entity,
            row.action,
            row.old.as_ref(),
            row.new.as_ref(),
            &row.key,
            before,
        ) {
            Ok(step) => {
                states.insert(ek, step.after.clone());
                steps.push(step);
            }
            Err(refusal) => {
                stopped = Some(refusal);
                break;
            }
        }
    }

    // Check the merged rows, in order, against the server's records and
    // the operation's earlier rows; a refusal of an earlier row comes first.
    let referrers = referrers_of_deleted(world, tx, &steps).await?;
    for step in &steps {
        if let Some(refusal) = check(world, tx, &referrers, step).await? {
            return Ok(Err(refusal));
        }
        world.working.set(
            (step.entity.name.to_string(), step.key.clone()),
            step.after.clone(),
        );
    }
    Ok(match stopped {
        Some(refusal) => Err(refusal),
        None => Ok(steps),
    })
}

/// Step 5 for one row: references, uniques, overlapping stays, and what
/// still refers to a deleted record.
async fn check(
    world: &mut World,
    tx: &mut OrgTx,
    referrers: &Referrers,
    step: &Step,
) -> ApiResult<Option<Refusal>> {
    let entity = step.entity;
    let Some(after) = &step.after else {
        // Nothing may still refer to a deleted record.
        let mut by = None;
        for (referrer, reference) in schema::referrers(entity.name) {
            by = world
                .working
                .referring(referrer.name, reference.column, &step.key)
                .into_iter()
                .find(|k| !(referrer.name == entity.name && *k == step.key))
                .map(|k| (referrer, k));
            if by.is_some() {
                break;
            }
        }
        if by.is_none() {
            by = referrers
                .get(&(entity.name.to_string(), step.key.clone()))
                .and_then(|found| {
                    found
                        .iter()
                        .find(|(referrer, k)| !world.working.touched(referrer.name, k))
                        .cloned()
                });
        }
        let Some((referrer, key)) = by else {
            return Ok(None);
        };
        let data = world.current(entity.name, &step.key).cloned();
        let reason =
            reasons::still_referred(world, tx, entity, data.as_ref(), referrer, &key).await?;
        return Ok(Some(Refusal::new("key", reason)));
    };

    for reference in entity.references {
        if !step.checked.has(reference.column) {
            continue;
        }
        let target = text_of(after, reference.column);
        let missing = match &target {
            None => !reference.nullable,
            Some(key) => world.current(reference.target, key).is_none(),
        };
        if missing {
            let reason = reasons::missing_reference(world, tx, entity, after, reference).await?;
            return Ok(Some(Refusal::new(reference.column, reason)));
        }
    }

    // The operation's own records; the server's are the unique indexes'
    // and the exclusion constraint's to refuse, when written.
    for (i, rule) in UNIQUE_RULES.iter().enumerate() {
        if rule.entity != entity.name || !concerns(rule, &step.checked) {
            continue;
        }
        let Some(values) = unique_values(rule, after) else {
            continue;
        };
        let other = world
            .working
            .holding(i, &values)
            .into_iter()
            .find(|k| *k != step.key);
        if let Some(other_key) = other {
            let other = world
                .current(rule.entity, &other_key)
                .cloned()
                .unwrap_or_default();
            let made_by = world.made_by(rule.entity, &other_key);
            let reason = reasons::duplicate(world, tx, rule, after, &other, made_by).await?;
            return Ok(Some(Refusal::new(rule.field, reason)));
        }
    }

    if moves_stay(step) {
        if let Some(bed) = text_of(after, "bed_id") {
            let clash = world.working.stays_of(&bed).into_iter().find(|k| {
                *k != step.key
                    && world
                        .current("allocation", k)
                        .is_some_and(|other| stays_overlap(after, other))
            });
            if let Some(other_key) = clash {
                let other = world
                    .current("allocation", &other_key)
                    .cloned()
                    .unwrap_or_default();
                let made_by = world.made_by("allocation", &other_key);
                let reason = reasons::bed_taken(world, tx, after, &other, made_by).await?;
                return Ok(Some(Refusal::new("bed_id", reason)));
            }
        }
    }
    Ok(None)
}

/// Step 2 to 6 for one operation, in its own transaction.
async fn apply_op(
    state: &AppState,
    caller: &Caller,
    scope: Option<&HashSet<String>>,
    desk_id: Uuid,
    op: &OpIn,
    hash: Vec<u8>,
) -> ApiResult<OpResult> {
    let org_id = caller.org_id;
    let prepared = prepare(caller, scope, op);
    let mut tx = begin_org(&state.pool, org_id).await?;
    sqlx::query("INSERT INTO sync_counter (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING")
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
    let last_seq: i64 =
        sqlx::query_scalar("SELECT last_seq FROM sync_counter WHERE org_id = $1 FOR UPDATE")
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?;
    let touched = touched_keys(op);
    let mut world = World::new(org_id, op.op_id, desk_id);

    let stored: Option<StoredAnswer> = sqlx::query_as(
        "SELECT op_id, status, seq, reason, field, truth, content_sha256 \
         FROM sync_op WHERE org_id = $1 AND op_id = $2",
    )
    .bind(org_id)
    .bind(op.op_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(stored) = stored {
        let result = if stored.content_sha256 == hash {
            stored.to_result()?
        } else {
            // Another operation under a used id: refused, and not stored
            // (the id keeps its first answer).
            world.load(&mut tx, &touched).await?;
            rejected(
                op.op_id,
                Refusal::new(
                    "op_id",
                    "This change reuses the id of another change the server already answered; nothing of it was applied",
                ),
                truth(&world, &touched, View::of(caller)),
            )
        };
        tx.commit().await?;
        return Ok(result);
    }

    // A property-scoped caller's tenants, against the stays the server
    // holds now (under the lock).
    let prepared = match (prepared, scope) {
        (Ok(entities), Some(scope)) => super::access::check_tenants(&mut tx, org_id, scope, op)
            .await?
            .map(|()| entities),
        (other, _) => other,
    };
    let mut wanted = touched.clone();
    if let Ok(entities) = &prepared {
        wanted.extend(named_keys(op, entities));
    }
    world.load(&mut tx, &wanted).await?;
    let verdict = match &prepared {
        Err(refusal) => Err(refusal.clone()),
        Ok(entities) => judge(&mut world, &mut tx, op, entities).await?,
    };
    let written = match verdict {
        Ok(steps) => match write(&mut tx, &world, op.op_id, last_seq, &steps).await? {
            Ok(done) => Ok(done),
            Err(blocked) => Err(explain(&mut world, &mut tx, &steps, blocked).await?),
        },
        Err(refusal) => Err(refusal),
    };
    let row_count = i32::try_from(op.rows.len()).unwrap_or(i32::MAX);
    let result = match written {
        Ok((new_last, live_delta)) => {
            sqlx::query(
                "UPDATE sync_counter SET last_seq = $2, live_records = live_records + $3 \
                 WHERE org_id = $1",
            )
            .bind(org_id)
            .bind(new_last)
            .bind(live_delta)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO sync_op (org_id, op_id, desk_id, user_id, status, seq, truth, row_count, content_sha256) \
                 VALUES ($1, $2, $3, $4, 'accepted', $5, '[]', $6, $7)",
            )
            .bind(org_id)
            .bind(op.op_id)
            .bind(desk_id)
            .bind(caller.user_id)
            .bind(new_last)
            .bind(row_count)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
            audit_op(
                &mut tx,
                caller,
                desk_id,
                op,
                "sync_accepted",
                json!({ "seq": new_last }),
            )
            .await?;
            super::hub::notify(&mut tx, org_id, new_last).await?;
            tx.commit().await?;
            state.sync_hub.publish(org_id, new_last);
            OpResult {
                op_id: op.op_id,
                status: OpStatus::Accepted,
                seq: Some(new_last),
                reason: None,
                field: None,
                truth: Vec::new(),
            }
        }
        Err(refusal) => {
            let result = rejected(op.op_id, refusal, truth(&world, &touched, View::of(caller)));
            let truth_json = serde_json::to_value(&result.truth).map_err(ApiError::internal)?;
            sqlx::query(
                "INSERT INTO sync_op (org_id, op_id, desk_id, user_id, status, reason, field, truth, row_count, content_sha256) \
                 VALUES ($1, $2, $3, $4, 'rejected', $5, $6, $7, $8, $9)",
            )
            .bind(org_id)
            .bind(op.op_id)
            .bind(desk_id)
            .bind(caller.user_id)
            .bind(&result.reason)
            .bind(&result.field)
            .bind(truth_json)
            .bind(row_count)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
            let why = json!({ "reason": result.reason, "field": result.field });
            audit_op(&mut tx, caller, desk_id, op, "sync_rejected", why).await?;
            tx.commit().await?;
            result
        }
    };
    Ok(result)
}

/// Writes the operation's answer to the audit log, in its transaction: who
/// pushed it from which desk, and each row's entity, key and action (the
/// records' data is in `sync_record`; their history in later entries).
async fn audit_op(
    tx: &mut OrgTx,
    caller: &Caller,
    desk_id: Uuid,
    op: &OpIn,
    action: &str,
    answer: Value,
) -> ApiResult<()> {
    let rows: Vec<Value> = op
        .rows
        .iter()
        .map(|row| json!([sanitised(&row.entity), sanitised(&row.key), row.action]))
        .collect();
    crate::audit::record_as(
        tx,
        caller.org_id,
        Some(caller.user_id),
        Some(&desk_id.to_string()),
        crate::audit::Entry {
            action,
            entity: "sync_operation",
            entity_id: op.op_id,
            before: None,
            after: Some(json!({ "answer": answer, "rows": rows })),
        },
    )
    .await?;
    Ok(())
}

/// A rejected answer (reason and field made safe to store).
fn rejected(op_id: Uuid, refusal: Refusal, truth: Vec<TruthRecord>) -> OpResult {
    OpResult {
        op_id,
        status: OpStatus::Rejected,
        seq: None,
        reason: Some(sanitised(&refusal.reason)),
        field: refusal.field.as_deref().map(sanitised),
        truth,
    }
}

/// The server's data of every record touched (null when it has none),
/// as the caller's `view` shows it.
fn truth(world: &World, touched: &[Ek], view: View) -> Vec<TruthRecord> {
    touched
        .iter()
        .map(|ek| TruthRecord {
            entity: sanitised(&ek.0),
            key: sanitised(&ek.1),
            data: view.redact(&ek.0, world.stored(ek)),
        })
        .collect()
}

/// Why the database refused to write an operation the rules let through:
/// one of its records meets a server record that was not loaded (the
/// database's indexes find those, whatever the planner thinks of the
/// table's size).
enum Blocked {
    /// A value it cannot hold.
    Refused(Refusal),
    /// Row number `row` meets another record under a unique `rule`.
    Duplicate {
        /// The row.
        row: usize,
        /// The rule.
        rule: &'static UniqueRule,
    },
    /// Row number `row`, a stay, overlaps another stay of its bed.
    Overlap {
        /// The row.
        row: usize,
    },
    /// Refused by a constraint the server does not name.
    Other,
}

/// Step 6: writes the accepted rows. Returns the new last sequence number
/// and the change in live records, or why the database refused.
async fn write(
    tx: &mut OrgTx,
    world: &World,
    op_id: Uuid,
    last_seq: i64,
    steps: &[Step],
) -> ApiResult<Result<(i64, i64), Blocked>> {
    let seq_of = |i: usize| last_seq + 1 + i as i64;
    // The final state of each record, with the number of its last row.
    let mut last_row: HashMap<Ek, usize> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        last_row.insert((step.entity.name.to_string(), step.key.clone()), i);
    }
    let mut finals: Vec<(usize, Ek)> = last_row.into_iter().map(|(ek, i)| (i, ek)).collect();
    finals.sort_unstable_by_key(|(i, _)| *i);
    let mut live_delta = 0i64;
    for (i, ek) in &finals {
        let was = world.stored(ek).is_some();
        let is = steps[*i].after.is_some();
        live_delta += i64::from(is) - i64::from(was);
    }
    let new_last = seq_of(steps.len() - 1);

    let rows: Vec<(&Step, i64)> = finals
        .iter()
        .map(|(i, _)| (&steps[*i], seq_of(*i)))
        .collect();
    let mut savepoint = sqlx::Connection::begin(&mut **tx).await?;
    match upsert(&mut savepoint, world.org_id, op_id, &rows).await {
        Ok(()) => {
            savepoint.commit().await?;
            return Ok(Ok((new_last, live_delta)));
        }
        Err(e) if cause(&e).is_some() => savepoint.rollback().await?,
        Err(e) => return Err(e.into()),
    }
    // Refused: every row in turn, each state as the rules saw it, to find
    // the row (one statement may also trip an index on its way to a
    // consistent end).
    let mut savepoint = sqlx::Connection::begin(&mut **tx).await?;
    for (i, step) in steps.iter().enumerate() {
        if let Err(e) = upsert(&mut savepoint, world.org_id, op_id, &[(step, seq_of(i))]).await {
            let Some(cause) = cause(&e) else {
                return Err(e.into());
            };
            savepoint.rollback().await?;
            return Ok(Err(match cause {
                Cause::Refused(refusal) => Blocked::Refused(refusal),
                Cause::Unique(Some(rule)) => Blocked::Duplicate { row: i, rule },
                Cause::Unique(None) => Blocked::Other,
                Cause::Overlap => Blocked::Overlap { row: i },
            }));
        }
    }
    savepoint.commit().await?;
    Ok(Ok((new_last, live_delta)))
}

/// The refusal of a write the database blocked, naming the record in the
/// way (looked up now, in the server's state before the operation).
async fn explain(
    world: &mut World,
    tx: &mut OrgTx,
    steps: &[Step],
    blocked: Blocked,
) -> ApiResult<Refusal> {
    let generic = || {
        Refusal::new(
            "key",
            "Another record already has these values on the server",
        )
    };
    let (row, rule) = match blocked {
        Blocked::Refused(refusal) => return Ok(refusal),
        Blocked::Other => return Ok(generic()),
        Blocked::Duplicate { row, rule } => (row, Some(rule)),
        Blocked::Overlap { row } => (row, None),
    };
    let step = &steps[row];
    let Some(after) = &step.after else {
        return Ok(generic());
    };
    match rule {
        Some(rule) => {
            let Some(values) = unique_values(rule, after).filter(|v| v.iter().all(|s| storable(s)))
            else {
                return Ok(generic());
            };
            let equal: Vec<String> = rule
                .sql_values()
                .iter()
                .enumerate()
                .map(|(i, expr)| format!("{expr} = ${}", i + 3))
                .collect();
            let sql = format!(
                "SELECT key, data, op_id FROM sync_record WHERE org_id = $1 AND key <> $2 AND {} AND {} LIMIT 1",
                rule.sql_among(),
                equal.join(" AND ")
            );
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(world.org_id)
                .bind(&step.key);
            for value in &values {
                query = query.bind(value);
            }
            let found: Option<(String, Option<Value>, Uuid)> =
                query.fetch_optional(&mut **tx).await?;
            let Some((_, Some(Value::Object(other)), op_id)) = found else {
                return Ok(Refusal::new(
                    rule.field,
                    format!(
                        "Another {} already has this {} on the server",
                        schema::entity(rule.entity).map_or(rule.entity, |e| e.noun),
                        rule.field
                    ),
                ));
            };
            let reason = reasons::duplicate(world, tx, rule, after, &other, Some(op_id)).await?;
            Ok(Refusal::new(rule.field, reason))
        }
        None => {
            let bed = text_of(after, "bed_id").unwrap_or_default();
            let found: Found = sqlx::query_as(
                "SELECT key, data, op_id FROM sync_record WHERE org_id = $1 \
                 AND entity = 'allocation' AND NOT deleted AND data->>'bed_id' = $2 AND key <> $3",
            )
            .bind(world.org_id)
            .bind(&bed)
            .bind(&step.key)
            .fetch_all(&mut **tx)
            .await?;
            let clash = found.into_iter().find_map(|(_, data, op_id)| match data {
                Some(Value::Object(other)) if stays_overlap(after, &other) => Some((other, op_id)),
                _ => None,
            });
            let Some((other, op_id)) = clash else {
                return Ok(Refusal::new(
                    "bed_id",
                    "This bed is already given to someone else for some of these dates",
                ));
            };
            let reason = reasons::bed_taken(world, tx, after, &other, Some(op_id)).await?;
            Ok(Refusal::new("bed_id", reason))
        }
    }
}

/// One statement writing `rows` in their order.
async fn upsert(
    conn: &mut sqlx::PgConnection,
    org_id: Uuid,
    op_id: Uuid,
    rows: &[(&Step, i64)],
) -> Result<(), sqlx::Error> {
    let entities: Vec<&str> = rows.iter().map(|(s, _)| s.entity.name).collect();
    let keys: Vec<&str> = rows.iter().map(|(s, _)| s.key.as_str()).collect();
    let data: Vec<Option<Value>> = rows
        .iter()
        .map(|(s, _)| s.after.clone().map(Value::Object))
        .collect();
    let seqs: Vec<i64> = rows.iter().map(|(_, seq)| *seq).collect();
    sqlx::query(
        "INSERT INTO sync_record (org_id, entity, key, data, deleted, seq, op_id, updated_at) \
         SELECT $1, u.entity, u.key, u.data, u.data IS NULL, u.seq, $2, now() \
         FROM unnest($3::text[], $4::text[], $5::jsonb[], $6::bigint[]) WITH ORDINALITY \
              AS u(entity, key, data, seq, n) \
         ORDER BY u.n \
         ON CONFLICT (org_id, entity, key) DO UPDATE SET data = EXCLUDED.data, \
             deleted = EXCLUDED.deleted, seq = EXCLUDED.seq, op_id = EXCLUDED.op_id, \
             updated_at = EXCLUDED.updated_at",
    )
    .bind(org_id)
    .bind(op_id)
    .bind(&entities)
    .bind(&keys)
    .bind(&data)
    .bind(&seqs)
    .execute(conn)
    .await?;
    Ok(())
}

/// What the database refused a write for.
enum Cause {
    /// A value it cannot hold, or a check.
    Refused(Refusal),
    /// A unique index (the rule when it is one of the desk's).
    Unique(Option<&'static UniqueRule>),
    /// Two stays of one bed (sync_allocation_no_overlap).
    Overlap,
}

/// Why the database refused a write for what was sent; `None` for any
/// other failure.
fn cause(e: &sqlx::Error) -> Option<Cause> {
    let db = e.as_database_error()?;
    let code = db.code()?;
    match code.as_ref() {
        "23505" => Some(Cause::Unique(
            db.constraint().and_then(schema::rule_of_index),
        )),
        "23P01" => Some(Cause::Overlap),
        c if c.starts_with("22") || c.starts_with("23") => {
            tracing::info!(code = %c, error = %db, "sync row refused by the database");
            Some(Cause::Refused(Refusal::new(
                "new",
                "A value of this change cannot be stored on the server",
            )))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data(v: Value) -> Data {
        v.as_object().unwrap().clone()
    }

    fn upsert_of(
        entity: &str,
        old: Option<Value>,
        new: Value,
        before: Option<Value>,
    ) -> Result<Step, Refusal> {
        let e = schema::entity(entity).unwrap();
        let new = data(new);
        let old = old.map(data);
        merge(
            e,
            RowAction::Upsert,
            old.as_ref(),
            Some(&new),
            "k",
            before.map(data),
        )
    }

    #[test]
    fn edits_merge_field_by_field() {
        let before = json!({"id": "k", "full_name": "Ravi Sharma", "mobile": "+919845012345", "email": "a@b.in"});
        // This desk changed the email from what it last saw; another desk
        // had changed the name meanwhile: both kept.
        let step = upsert_of(
            "tenant",
            Some(json!({"id": "k", "full_name": "Ravi", "mobile": "+919845012345", "email": "old@b.in"})),
            json!({"id": "k", "full_name": "Ravi", "mobile": "+919845012345", "email": "new@b.in"}),
            Some(before),
        )
        .unwrap();
        let after = step.after.unwrap();
        assert_eq!(after["full_name"], "Ravi Sharma");
        assert_eq!(after["email"], "new@b.in");
        assert!(step.checked.has("email") && !step.checked.has("full_name"));
    }

    #[test]
    fn new_rows_insert_or_merge_into_what_is_there() {
        let step = upsert_of(
            "tenant",
            None,
            json!({"id": "k", "full_name": "Ravi"}),
            None,
        )
        .unwrap();
        assert!(matches!(step.checked, Checked::All));
        let same = json!({"id": "k", "amount_paise": -100, "memo": "x"});
        let step = upsert_of("ledger_entry", None, same.clone(), Some(same.clone())).unwrap();
        assert!(matches!(&step.checked, Checked::Fields(f) if f.is_empty()));
        let err = upsert_of(
            "ledger_entry",
            None,
            json!({"id": "k", "amount_paise": -200, "memo": "x"}),
            Some(same),
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("amount_paise"));
        assert!(err.reason.contains("never edited"), "{}", err.reason);
    }

    #[test]
    fn edits_of_missing_records_and_fixed_fields_are_refused() {
        let err = upsert_of(
            "tenant",
            Some(json!({"id": "k"})),
            json!({"id": "k", "full_name": "Ravi"}),
            None,
        )
        .unwrap_err();
        assert!(
            err.reason.contains("no longer exists on the server"),
            "{}",
            err.reason
        );
        let invoice = json!({"id": "k", "number": "A/1", "status": "issued", "total_paise": 100});
        let ok = upsert_of(
            "invoice",
            Some(invoice.clone()),
            json!({"id": "k", "number": "A/1", "status": "cancelled", "cancelled_on": "2026-12-01", "total_paise": 100}),
            Some(invoice.clone()),
        );
        assert!(ok.is_ok());
        let err = upsert_of(
            "invoice",
            Some(invoice.clone()),
            json!({"id": "k", "number": "A/1", "status": "issued", "total_paise": 200}),
            Some(invoice),
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("total_paise"));
        let cancelled = json!({"id": "k", "status": "cancelled", "cancel_reason": "x"});
        let err = upsert_of(
            "invoice",
            Some(cancelled.clone()),
            json!({"id": "k", "status": "cancelled", "cancel_reason": "y"}),
            Some(cancelled),
        )
        .unwrap_err();
        assert!(err.reason.contains("cancelled invoice"), "{}", err.reason);
        let payment = json!({"id": "k", "amount_paise": 100, "cheque_state": "pending"});
        assert!(upsert_of(
            "payment",
            Some(payment.clone()),
            json!({"id": "k", "amount_paise": 100, "cheque_state": "cleared"}),
            Some(payment.clone())
        )
        .is_ok());
        assert!(upsert_of(
            "payment",
            Some(payment.clone()),
            json!({"id": "k", "amount_paise": 500}),
            Some(payment)
        )
        .is_err());
    }

    #[test]
    fn content_hash_ignores_column_order() {
        let a: OpIn = serde_json::from_value(json!({"op_id": Uuid::nil(), "rows": [
            {"entity": "tenant", "key": "k", "action": "upsert", "old": null, "new": {"id": "k", "full_name": "A"}}]}))
        .unwrap();
        let b: OpIn = serde_json::from_str(&format!(
            r#"{{"op_id":"{}","rows":[{{"entity":"tenant","key":"k","action":"upsert","new":{{"full_name":"A","id":"k"}}}}]}}"#,
            Uuid::nil()
        ))
        .unwrap();
        let c: OpIn = serde_json::from_value(json!({"op_id": Uuid::nil(), "rows": [
            {"entity": "tenant", "key": "k", "action": "upsert", "old": null, "new": {"id": "k", "full_name": "B"}}]}))
        .unwrap();
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(&a), content_hash(&c));
    }
}
