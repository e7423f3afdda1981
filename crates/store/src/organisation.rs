//! The organisation this desk works for.

use multipms_domain::organisation::validate_name;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::{self, AuditEntry};
use crate::database::Store;
use crate::error::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Store {
    /// The organisation, when the desk has been set up.
    pub async fn organisation(&self) -> StoreResult<Option<Organisation>> {
        let org = sqlx::query_as::<_, Organisation>(
            "SELECT id, name, created_at, updated_at FROM organisation ORDER BY created_at LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        Ok(org)
    }

    /// Names the business: creates the organisation on first use, renames it
    /// after. Refuses a bad name and changes nothing then.
    pub async fn save_organisation_name(
        &self,
        actor: &str,
        raw_name: &str,
    ) -> StoreResult<Organisation> {
        let name = validate_name(raw_name)?;
        let now = chrono::Utc::now().to_rfc3339();
        let mut tx = self.begin_write().await?;
        let before = sqlx::query_as::<_, Organisation>(
            "SELECT id, name, created_at, updated_at FROM organisation ORDER BY created_at LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let after = match &before {
            Some(org) => {
                sqlx::query("UPDATE organisation SET name = ?, updated_at = ? WHERE id = ?")
                    .bind(&name)
                    .bind(&now)
                    .bind(&org.id)
                    .execute(&mut *tx)
                    .await?;
                Organisation {
                    name,
                    updated_at: now,
                    ..org.clone()
                }
            }
            None => {
                let org = Organisation {
                    id: uuid::Uuid::now_v7().to_string(),
                    name,
                    created_at: now.clone(),
                    updated_at: now,
                };
                sqlx::query(
                    "INSERT INTO organisation (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                )
                .bind(&org.id)
                .bind(&org.name)
                .bind(&org.created_at)
                .bind(&org.updated_at)
                .execute(&mut *tx)
                .await?;
                org
            }
        };
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: if before.is_some() { "update" } else { "create" },
                entity: "organisation",
                entity_id: &after.id,
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreError;
    use multipms_domain::DomainError;

    #[tokio::test]
    async fn name_survives_reopen_and_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        assert_eq!(store.organisation().await.unwrap(), None);
        let created = store
            .save_organisation_name("tester", " Sai  Comforts PG ")
            .await
            .unwrap();
        assert_eq!(created.name, "Sai Comforts PG");
        store
            .save_organisation_name("tester", "Sai Comforts")
            .await
            .unwrap();
        store.close().await;

        let store = Store::open(dir.path()).await.unwrap();
        let org = store.organisation().await.unwrap().unwrap();
        assert_eq!(org.id, created.id);
        assert_eq!(org.name, "Sai Comforts");
        let actions: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT action, before_json FROM audit_log WHERE entity = 'organisation' ORDER BY seq",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert_eq!(actions.len(), 2);
        assert_eq!(actions[0].0, "create");
        assert_eq!(actions[0].1, None);
        assert_eq!(actions[1].0, "update");
        assert!(actions[1].1.as_deref().unwrap().contains("Sai Comforts PG"));
    }

    #[tokio::test]
    async fn empty_name_is_refused_and_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let err = store
            .save_organisation_name("tester", "   ")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::Invalid { ref field, .. }) if field == "name")
        );
        assert_eq!(store.organisation().await.unwrap(), None);
        let audits: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(audits, 0);
    }

    #[tokio::test]
    async fn audit_rows_cannot_be_changed_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        store.save_organisation_name("tester", "Sai").await.unwrap();
        let update = sqlx::query("UPDATE audit_log SET actor = 'mallory'")
            .execute(store.pool())
            .await;
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = sqlx::query("DELETE FROM audit_log")
            .execute(store.pool())
            .await;
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    }
}
