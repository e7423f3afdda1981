//! The desk's link to its organisation's server: which server and
//! organisation, who signed in, and how far the desk has pulled. The
//! session token is not here; it lives in the OS keyring.
//!
//! Linking a desk that was used on its own uploads its data once: every row
//! of every synced table goes to the outbox, parents first.

use serde::Serialize;

use crate::clock::now;
use crate::error::StoreResult;
use crate::sync_capture::{json_sql, key_sql, synced_columns, SYNCED_TABLES};
use crate::Store;
use multipms_domain::DomainError;

/// Where the desk syncs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SyncLink {
    pub server_url: String,
    pub org_id: String,
    pub org_name: String,
    pub user_email: String,
    pub user_name: String,
    pub user_role: String,
    /// The last sequence number pulled from the server.
    pub last_seq: i64,
    /// When a push and pull last finished.
    pub last_synced_at: Option<String>,
    pub linked_at: String,
}

/// A new link, from a successful sign-in.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub server_url: String,
    pub org_id: String,
    pub org_name: String,
    pub user_email: String,
    pub user_name: String,
    pub user_role: String,
}

/// What linking did with the desk's own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStart {
    /// Already linked to this organisation: nothing changed.
    Relinked,
    /// The organisation was empty: the desk's rows wait in the outbox.
    Uploading { rows: i64 },
    /// The desk had no business of its own: it takes the organisation's.
    Downloading,
}

impl Store {
    /// The link, when the desk has one.
    pub async fn sync_link(&self) -> StoreResult<Option<SyncLink>> {
        Ok(sqlx::query_as(
            "SELECT server_url, org_id, org_name, user_email, user_name, user_role, last_seq,
                    last_synced_at, linked_at
             FROM sync_link WHERE singleton = 1",
        )
        .fetch_optional(self.pool())
        .await?)
    }

    /// Records the view the server pulls for this desk's user (see
    /// migration 0015). Returns true when it differs from the one recorded
    /// before: the desk's sequence number is then set back to 0, in the
    /// same transaction, so the next pull starts from the beginning.
    pub async fn note_pulled_view(&self, view: &str) -> StoreResult<bool> {
        // Every pulled page asks; the write lock is taken only when the
        // view is new.
        let recorded: Option<Option<String>> =
            sqlx::query_scalar("SELECT pulled_view FROM sync_link WHERE singleton = 1")
                .fetch_optional(self.pool())
                .await?;
        if recorded.flatten().as_deref() == Some(view) {
            return Ok(false);
        }
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        let before: Option<Option<String>> =
            sqlx::query_scalar("SELECT pulled_view FROM sync_link WHERE singleton = 1")
                .fetch_optional(&mut *tx)
                .await?;
        let Some(before) = before else {
            return Ok(false);
        };
        if before.as_deref() == Some(view) {
            return Ok(false);
        }
        let changed = before.is_some();
        let reset = if changed { ", last_seq = 0" } else { "" };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE sync_link SET pulled_view = ?{reset} WHERE singleton = 1"
        )))
        .bind(view)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// True when the desk holds a business of its own (a property or a
    /// tenant).
    pub async fn has_business_data(&self) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM property) OR EXISTS (SELECT 1 FROM tenant)",
        )
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// Links the desk to an organisation. `organisation_is_empty` says
    /// whether the server holds anything for it yet.
    ///
    /// - Linked already to the same organisation: keeps everything.
    /// - Linked to another organisation: refused, naming it.
    /// - The organisation is empty: the desk's data is queued for upload.
    /// - The desk has no business: its placeholder organisation row is
    ///   dropped and the organisation's data comes with the first pull.
    /// - Both hold a business: refused, since merging two businesses would
    ///   lose one's numbering and identities.
    pub async fn link_to_server(
        &self,
        link: &NewLink,
        organisation_is_empty: bool,
    ) -> StoreResult<LinkStart> {
        if let Some(current) = self.sync_link().await? {
            if current.org_id == link.org_id {
                sqlx::query(
                    "UPDATE sync_link SET server_url = ?, org_name = ?, user_email = ?,
                         user_name = ?, user_role = ? WHERE singleton = 1",
                )
                .bind(&link.server_url)
                .bind(&link.org_name)
                .bind(&link.user_email)
                .bind(&link.user_name)
                .bind(&link.user_role)
                .execute(self.pool())
                .await?;
                return Ok(LinkStart::Relinked);
            }
            return Err(DomainError::invalid(
                "server_url",
                format!(
                    "This desk keeps the books of {} on {}; it cannot also sync {}. Use a new data folder for {}.",
                    current.org_name, current.server_url, link.org_name, link.org_name
                ),
            )
            .into());
        }
        let has_data = self.has_business_data().await?;
        if has_data && !organisation_is_empty {
            return Err(DomainError::invalid(
                "email",
                format!(
                    "This desk already holds its own business, and {} already has data on the server. \
                     Two businesses cannot be merged: sign in from a new data folder, or ask your \
                     administrator for an empty organisation to upload this desk into.",
                    link.org_name
                ),
            )
            .into());
        }
        let mut tx = self.begin_write().await?;
        if !organisation_is_empty {
            // A desk with no business may still have made its organisation
            // row at first start; the server's replaces it.
            sqlx::query("DELETE FROM organisation")
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO sync_link (singleton, server_url, org_id, org_name, user_email, user_name,
                 user_role, last_seq, linked_at)
             VALUES (1, ?, ?, ?, ?, ?, ?, 0, ?)",
        )
        .bind(&link.server_url)
        .bind(&link.org_id)
        .bind(&link.org_name)
        .bind(&link.user_email)
        .bind(&link.user_name)
        .bind(&link.user_role)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        // From now on every write is captured for the server.
        crate::sync_capture::install(&mut tx).await?;
        let mut rows = 0;
        if organisation_is_empty {
            for table in SYNCED_TABLES {
                let columns = synced_columns(&mut tx, table.name).await?;
                let json = json_sql(&columns, table.name);
                let key = key_sql(table, table.name);
                sqlx::query("UPDATE sync_clock SET txn = txn + 1")
                    .execute(&mut *tx)
                    .await?;
                let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO sync_outbox (txn, entity, key, action, old, new)
                     SELECT (SELECT txn FROM sync_clock), '{t}', {key}, 'upsert', NULL,
                            {json}
                     FROM {t} ORDER BY rowid",
                    t = table.name
                )))
                .execute(&mut *tx)
                .await?;
                rows += done.rows_affected() as i64;
            }
        }
        tx.commit().await?;
        Ok(if organisation_is_empty {
            LinkStart::Uploading { rows }
        } else {
            LinkStart::Downloading
        })
    }

    /// Notes a finished round of push and pull.
    pub async fn mark_synced(&self) -> StoreResult<()> {
        sqlx::query("UPDATE sync_link SET last_synced_at = ? WHERE singleton = 1")
            .bind(now())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
