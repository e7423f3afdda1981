//! What one operation sees while it is judged: the server's records it
//! touches or names (loaded once, in bulk), and the states its own earlier
//! rows have given them. Records the reasons name (a bed's room, a stay's
//! tenant) are loaded when asked.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::rules::{text_of, unique_values, Data};
use super::schema::UNIQUE_RULES;
use crate::db::OrgTx;
use crate::error::ApiResult;

/// An (entity, key) pair.
pub type Ek = (String, String);

/// The records as the server holds them, and as the operation has changed
/// them so far.
pub struct World {
    /// The organisation.
    pub org_id: Uuid,
    /// The operation judged.
    pub op_id: Uuid,
    /// The desk it comes from.
    pub desk_id: Uuid,
    /// Loaded records: `None` when the server has none (or a tombstone).
    db: HashMap<Ek, Option<Data>>,
    /// The operation that wrote each loaded record.
    made_by: HashMap<Ek, Uuid>,
    /// The operation's own states so far (`None`: deleted).
    pub working: Working,
    /// When and from which desk operations were answered.
    answered: HashMap<Uuid, Option<(DateTime<Utc>, Uuid)>>,
}

/// The states the operation's rows have given, indexed for the rules.
#[derive(Default)]
pub struct Working {
    states: HashMap<Ek, Option<Data>>,
    /// (unique rule, values) -> keys of live records holding them.
    uniques: HashMap<(usize, Vec<String>), HashSet<String>>,
    /// bed_id -> keys of live stays on it.
    beds: HashMap<String, HashSet<String>>,
}

impl Working {
    /// The operation's state of a record: `None` when untouched,
    /// `Some(None)` when deleted.
    pub fn get(&self, ek: &Ek) -> Option<&Option<Data>> {
        self.states.get(ek)
    }

    /// True when the operation touched the record.
    pub fn touched(&self, entity: &str, key: &str) -> bool {
        self.states
            .contains_key(&(entity.to_string(), key.to_string()))
    }

    /// Keys of live records of the operation holding `values` for rule
    /// number `rule`.
    pub fn holding(&self, rule: usize, values: &[String]) -> Vec<String> {
        self.uniques
            .get(&(rule, values.to_vec()))
            .map(|keys| keys.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Keys of the operation's live stays of `bed_id`.
    pub fn stays_of(&self, bed_id: &str) -> Vec<String> {
        self.beds
            .get(bed_id)
            .map(|keys| keys.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Live records of `entity` whose `column` is `value`.
    pub fn referring(&self, entity: &str, column: &str, value: &str) -> Vec<String> {
        self.states
            .iter()
            .filter(|((e, _), data)| {
                e == entity
                    && data
                        .as_ref()
                        .is_some_and(|d| text_of(d, column).as_deref() == Some(value))
            })
            .map(|((_, k), _)| k.clone())
            .collect()
    }

    /// Sets a record's state.
    pub fn set(&mut self, ek: Ek, data: Option<Data>) {
        if let Some(Some(old)) = self.states.get(&ek) {
            for (values, rule) in index_entries(&ek.0, old) {
                if let Some(keys) = self.uniques.get_mut(&(rule, values)) {
                    keys.remove(&ek.1);
                }
            }
            if ek.0 == "allocation" {
                if let Some(bed) = text_of(old, "bed_id") {
                    if let Some(keys) = self.beds.get_mut(&bed) {
                        keys.remove(&ek.1);
                    }
                }
            }
        }
        if let Some(new) = &data {
            for (values, rule) in index_entries(&ek.0, new) {
                self.uniques
                    .entry((rule, values))
                    .or_default()
                    .insert(ek.1.clone());
            }
            if ek.0 == "allocation" {
                if let Some(bed) = text_of(new, "bed_id") {
                    self.beds.entry(bed).or_default().insert(ek.1.clone());
                }
            }
        }
        self.states.insert(ek, data);
    }
}

/// The (values, rule number) of every unique rule a record counts for.
fn index_entries(entity: &str, data: &Data) -> Vec<(Vec<String>, usize)> {
    UNIQUE_RULES
        .iter()
        .enumerate()
        .filter(|(_, rule)| rule.entity == entity)
        .filter_map(|(i, rule)| unique_values(rule, data).map(|v| (v, i)))
        .collect()
}

/// Strings PostgreSQL cannot hold (NUL) are never keys of stored records.
pub fn storable(s: &str) -> bool {
    !s.contains('\0')
}

/// `s` with NUL characters replaced, for what is stored and answered.
pub fn sanitised(s: &str) -> String {
    s.replace('\0', "\u{fffd}")
}

/// A stored record's data as a map (a non-object never is stored).
pub fn as_data(value: Option<Value>) -> Option<Data> {
    match value {
        Some(Value::Object(map)) => Some(map),
        _ => None,
    }
}

impl World {
    /// An empty world for `op_id` of `desk_id`.
    pub fn new(org_id: Uuid, op_id: Uuid, desk_id: Uuid) -> World {
        World {
            org_id,
            op_id,
            desk_id,
            db: HashMap::new(),
            made_by: HashMap::new(),
            working: Working::default(),
            answered: HashMap::new(),
        }
    }

    /// Loads the records of `keys` not loaded yet (one query).
    pub async fn load(&mut self, tx: &mut OrgTx, keys: &[Ek]) -> ApiResult<()> {
        let mut seen = HashSet::new();
        let wanted: Vec<&Ek> = keys
            .iter()
            .filter(|ek| storable(&ek.0) && storable(&ek.1))
            .filter(|ek| !self.db.contains_key(*ek) && seen.insert(*ek))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let entities: Vec<&str> = wanted.iter().map(|ek| ek.0.as_str()).collect();
        let keys_only: Vec<&str> = wanted.iter().map(|ek| ek.1.as_str()).collect();
        let rows: Vec<(String, String, Option<Value>, Uuid)> = sqlx::query_as(
            // A look-up by primary key per record (LATERAL ... OFFSET 0
            // keeps the planner from scanning the organisation's records
            // when many keys are asked).
            "SELECT u.entity, u.key, r.data, r.op_id \
             FROM unnest($2::text[], $3::text[]) AS u(entity, key) \
             CROSS JOIN LATERAL (SELECT s.data, s.op_id FROM sync_record s \
                 WHERE s.org_id = $1 AND s.entity = u.entity AND s.key = u.key OFFSET 0) r",
        )
        .bind(self.org_id)
        .bind(&entities)
        .bind(&keys_only)
        .fetch_all(&mut **tx)
        .await?;
        for ek in wanted {
            self.db.insert(ek.clone(), None);
        }
        for (entity, key, data, op_id) in rows {
            self.absorb(entity, key, as_data(data), op_id);
        }
        Ok(())
    }

    /// Remembers a record read from the server.
    pub fn absorb(&mut self, entity: String, key: String, data: Option<Data>, op_id: Uuid) {
        let ek = (entity, key);
        self.made_by.insert(ek.clone(), op_id);
        self.db.insert(ek, data);
    }

    /// The server's state of a loaded record (before this operation):
    /// `None` when it has none or it was deleted, or was not loaded.
    pub fn stored(&self, ek: &Ek) -> Option<&Data> {
        self.db.get(ek).and_then(Option::as_ref)
    }

    /// The record as of now: the operation's state, else the server's.
    pub fn current(&self, entity: &str, key: &str) -> Option<&Data> {
        let ek = (entity.to_string(), key.to_string());
        match self.working.get(&ek) {
            Some(state) => state.as_ref(),
            None => self.stored(&ek),
        }
    }

    /// As [`World::current`], loading the record first when needed.
    pub async fn fetch(
        &mut self,
        tx: &mut OrgTx,
        entity: &str,
        key: Option<String>,
    ) -> ApiResult<Option<Data>> {
        let Some(key) = key else {
            return Ok(None);
        };
        let ek = (entity.to_string(), key);
        if self.working.get(&ek).is_none() && !self.db.contains_key(&ek) {
            self.load(tx, std::slice::from_ref(&ek)).await?;
        }
        Ok(self.current(&ek.0, &ek.1).cloned())
    }

    /// The operation that made the current state of a record: this one
    /// when it touched it.
    pub fn made_by(&self, entity: &str, key: &str) -> Option<Uuid> {
        let ek = (entity.to_string(), key.to_string());
        if self.working.get(&ek).is_some() {
            return Some(self.op_id);
        }
        self.made_by.get(&ek).copied()
    }

    /// When and from which desk `op_id` was answered.
    pub async fn answered(
        &mut self,
        tx: &mut OrgTx,
        op_id: Uuid,
    ) -> ApiResult<Option<(DateTime<Utc>, Uuid)>> {
        if let Some(known) = self.answered.get(&op_id) {
            return Ok(*known);
        }
        let row: Option<(DateTime<Utc>, Uuid)> = sqlx::query_as(
            "SELECT answered_at, desk_id FROM sync_op WHERE org_id = $1 AND op_id = $2",
        )
        .bind(self.org_id)
        .bind(op_id)
        .fetch_optional(&mut **tx)
        .await?;
        self.answered.insert(op_id, row);
        Ok(row)
    }
}
