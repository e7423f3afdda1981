//! Pulling changes: an organisation's records after a sequence number, in
//! order, a page at a time, as JSON text straight from PostgreSQL (one
//! query through the `(org_id, seq)` index; the records' jsonb is never
//! decoded by the server). And the cheap status.

use sqlx::PgPool;
use uuid::Uuid;

use super::access::{View, KYC_COLUMNS};
use crate::db::begin_org;
use crate::error::ApiResult;

/// One page of changes, ready to send.
pub struct Page {
    /// `{"changes":[…],"last_seq":…,"more":…}`.
    pub json: String,
    /// How many changes it holds.
    pub count: i64,
}

/// The changes of `org_id` after `after`, at most `limit`, as `view`
/// shows them: a record it hides comes as a deletion (data null), a KYC
/// column it hides as null. With `scope` (the property keys of a front
/// desk or caretaker), a record of another property comes as a deletion
/// too (`sync_in_scope`, migration 0008).
pub async fn page(
    pool: &PgPool,
    org_id: Uuid,
    after: i64,
    limit: i64,
    view: View,
    scope: Option<&[String]>,
) -> ApiResult<Page> {
    let hidden = view.hidden_entities();
    let mut nulls = serde_json::Map::new();
    if view != View::Full {
        for column in KYC_COLUMNS {
            nulls.insert((*column).to_string(), serde_json::Value::Null);
        }
    }
    let mut tx = begin_org(pool, org_id).await?;
    // One statement, one snapshot: the page and last_seq agree.
    let (last_seq, count, page_last, items): (i64, i64, i64, String) = sqlx::query_as(
        "SELECT COALESCE((SELECT c.last_seq FROM sync_counter c WHERE c.org_id = $1), 0), \
                count(*), COALESCE(max(p.seq), $2), \
                COALESCE(string_agg(json_build_object('seq', p.seq, 'entity', p.entity, \
                    'key', p.key, 'data', \
                    CASE WHEN p.entity = ANY($4) THEN NULL \
                         WHEN $6::text[] IS NOT NULL \
                              AND NOT sync_in_scope($1, p.entity, p.key, p.data, $6) THEN NULL \
                         WHEN p.entity = 'tenant' THEN p.data || $5 \
                         ELSE p.data END)::text, ',' ORDER BY p.seq), '') \
         FROM (SELECT r.seq, r.entity, r.key, r.data FROM sync_record r \
               WHERE r.org_id = $1 AND r.seq > $2 ORDER BY r.seq LIMIT $3) p",
    )
    .bind(org_id)
    .bind(after)
    .bind(limit)
    .bind(&hidden)
    .bind(serde_json::Value::Object(nulls))
    .bind(scope)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    // The last number always belongs to a stored record (a record keeps
    // the number of its last change), so more follow while the page ends
    // below it.
    let more = page_last < last_seq;
    Ok(Page {
        json: format!(
            r#"{{"changes":[{items}],"last_seq":{last_seq},"more":{more},"view":"{}"}}"#,
            view_code(view, scope)
        ),
        count,
    })
}

/// The view's name, with a digest of the scope's properties: a desk whose
/// user is given other properties sees another name and pulls again.
fn view_code(view: View, scope: Option<&[String]>) -> String {
    use sha2::{Digest, Sha256};
    match scope {
        None => view.code().to_string(),
        Some(keys) => {
            let mut keys = keys.to_vec();
            keys.sort();
            let digest = Sha256::digest(keys.join(",").as_bytes());
            format!("{}:properties-{}", view.code(), &hex::encode(digest)[..12])
        }
    }
}

/// The organisation's last sequence number and live records.
pub async fn status(pool: &PgPool, org_id: Uuid) -> ApiResult<(i64, i64)> {
    let mut tx = begin_org(pool, org_id).await?;
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT last_seq, live_records FROM sync_counter WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(row.unwrap_or((0, 0)))
}
