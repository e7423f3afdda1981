//! Search as you type over tenants: name, mobile, room and bed.
//!
//! `tenant_search` is an FTS5 trigram index: any part of three characters or
//! more is found through the index. Shorter queries match word prefixes
//! through `tenant_prefix`, an FTS5 index with one- and two-character prefix
//! tables. Matches are taken in index order and the page is sorted by name,
//! so a query that matches thousands still answers at once. The store refreshes a tenant's row in the same transaction as
//! every change that moves it (tenant edits, allocations, bed renames).

use sqlx::{SqliteConnection, SqlitePool};

use crate::clock::{iso, today};
use crate::error::StoreResult;
use crate::tenant::TenantListing;

/// Rewrites the search row of one tenant from the tables.
pub(crate) async fn refresh_tenant(
    conn: &mut SqliteConnection,
    tenant_id: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM tenant_search WHERE tenant_id = ?")
        .bind(tenant_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO tenant_search (tenant_id, full_name, mobile, room, bed)
         SELECT t.id, t.full_name, substr(t.mobile, 4), coalesce(s.room, ''), coalesce(s.bed, '')
         FROM tenant t
         LEFT JOIN (
             SELECT a.tenant_id, r.number AS room, b.label AS bed
             FROM allocation a JOIN bed b ON b.id = a.bed_id JOIN room r ON r.id = b.room_id
             WHERE a.tenant_id = ?1 AND (a.move_out IS NULL OR a.move_out > ?2)
             ORDER BY a.move_in LIMIT 1
         ) s ON s.tenant_id = t.id
         WHERE t.id = ?1",
    )
    .bind(tenant_id)
    .bind(iso(today()))
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM tenant_prefix WHERE tenant_id = ?")
        .bind(tenant_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO tenant_prefix (tenant_id, full_name, mobile, room, bed)
         SELECT tenant_id, full_name, mobile, room, bed FROM tenant_search WHERE tenant_id = ?",
    )
    .bind(tenant_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Rebuilds the whole index from the tables (after a bulk import).
pub(crate) async fn rebuild(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query("DELETE FROM tenant_search")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO tenant_search (tenant_id, full_name, mobile, room, bed)
         SELECT t.id, t.full_name, substr(t.mobile, 4), coalesce(r.number, ''), coalesce(b.label, '')
         FROM tenant t
         LEFT JOIN allocation a ON a.id = (
             SELECT id FROM allocation WHERE tenant_id = t.id AND (move_out IS NULL OR move_out > ?)
             ORDER BY move_in LIMIT 1)
         LEFT JOIN bed b ON b.id = a.bed_id
         LEFT JOIN room r ON r.id = b.room_id",
    )
    .bind(iso(today()))
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM tenant_prefix")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO tenant_prefix (tenant_id, full_name, mobile, room, bed)
         SELECT tenant_id, full_name, mobile, room, bed FROM tenant_search",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Refreshes every tenant who has an allocation of `bed_id`.
pub(crate) async fn refresh_bed(conn: &mut SqliteConnection, bed_id: &str) -> StoreResult<()> {
    let tenants: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT tenant_id FROM allocation WHERE bed_id = ?")
            .bind(bed_id)
            .fetch_all(&mut *conn)
            .await?;
    for t in tenants {
        refresh_tenant(conn, &t).await?;
    }
    Ok(())
}

/// Escapes a user's text as one FTS5 string: quotes doubled, wrapped in quotes.
fn fts_phrase(query: &str) -> String {
    format!("\"{}\"", query.replace('"', "\"\""))
}

pub(crate) async fn search(
    pool: &SqlitePool,
    query: &str,
    limit: u32,
) -> StoreResult<Vec<TenantListing>> {
    let query = query.split_whitespace().collect::<Vec<_>>().join(" ");
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    // A phone typed with +91 or a leading 0 is searched by its 10 digits.
    let phone_like = !digits.is_empty()
        && digits.len()
            == query
                .chars()
                .filter(|c| !matches!(c, ' ' | '+' | '-'))
                .count();
    let needle = if phone_like && digits.len() > 10 {
        digits[digits.len() - 10..].to_string()
    } else if phone_like {
        digits.trim_start_matches('0').to_string()
    } else {
        query
    };
    let limit = i64::from(limit.clamp(1, 200));
    let today = iso(today());
    let ids: Vec<String> = if needle.is_empty() {
        sqlx::query_scalar("SELECT id FROM tenant ORDER BY full_name, id LIMIT ?")
            .bind(limit)
            .fetch_all(pool)
            .await?
    } else if needle.chars().count() >= 3 {
        sqlx::query_scalar(
            "SELECT tenant_id FROM tenant_search WHERE tenant_search MATCH ? LIMIT ?",
        )
        .bind(fts_phrase(&needle))
        .bind(limit)
        .fetch_all(pool)
        .await?
    } else {
        sqlx::query_scalar(
            "SELECT tenant_id FROM tenant_prefix WHERE tenant_prefix MATCH ? LIMIT ?",
        )
        .bind(format!("{}*", fts_phrase(&needle)))
        .bind(limit)
        .fetch_all(pool)
        .await?
    };
    let mut listings = Vec::with_capacity(ids.len());
    for id in ids {
        let row = sqlx::query_as::<_, TenantListing>(
            "SELECT t.id, t.full_name, t.mobile, p.name AS property, r.number AS room, b.label AS bed
             FROM tenant t
             LEFT JOIN allocation a ON a.id = (
                 SELECT id FROM allocation WHERE tenant_id = t.id AND (move_out IS NULL OR move_out > ?2)
                 ORDER BY move_in LIMIT 1)
             LEFT JOIN bed b ON b.id = a.bed_id
             LEFT JOIN room r ON r.id = b.room_id
             LEFT JOIN property p ON p.id = r.property_id
             WHERE t.id = ?1",
        )
        .bind(&id)
        .bind(&today)
        .fetch_one(pool)
        .await?;
        listings.push(row);
    }
    listings.sort_by(|a, b| a.full_name.cmp(&b.full_name).then_with(|| a.id.cmp(&b.id)));
    Ok(listings)
}
