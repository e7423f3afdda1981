//! The person using this desk, named in Settings. Their name is the actor
//! the audit log records for every write made at this desk.

use multipms_domain::DomainError;
use serde::Serialize;

use crate::audit::{self, AuditEntry};
use crate::database::Store;
use crate::error::StoreResult;

/// The actor recorded until someone names themselves.
pub const DEFAULT_OPERATOR: &str = "front desk";

#[derive(Serialize)]
struct OperatorFacts<'a> {
    operator_name: &'a str,
}

/// Spaces folded; 1 to 80 characters.
fn checked(raw: &str) -> StoreResult<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(DomainError::invalid(
            "operator_name",
            "Your name is required: the audit log records it for every change made at this desk",
        )
        .into());
    }
    if name.chars().count() > 80 {
        return Err(DomainError::invalid(
            "operator_name",
            "Your name must be at most 80 characters",
        )
        .into());
    }
    Ok(name)
}

impl Store {
    /// Who is working at this desk, for the audit log.
    pub fn operator(&self) -> String {
        self.operator_cell()
            .read()
            .map(|name| name.clone())
            .unwrap_or_else(|_| DEFAULT_OPERATOR.to_string())
    }

    /// Names the person using this desk; later writes are recorded as theirs.
    pub async fn set_operator(&self, raw_name: &str) -> StoreResult<String> {
        let name = checked(raw_name)?;
        let before = self.operator();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE desk SET operator_name = ? WHERE singleton = 1")
            .bind(&name)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor: &name,
                action: "set_operator",
                entity: "desk",
                entity_id: self.desk_id(),
                before: Some(&OperatorFacts {
                    operator_name: &before,
                }),
                after: Some(&OperatorFacts {
                    operator_name: &name,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        if let Ok(mut cell) = self.operator_cell().write() {
            *cell = name.clone();
        }
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreError;

    #[tokio::test]
    async fn the_operator_is_kept_across_restarts_and_named_in_the_audit_log() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        assert_eq!(store.operator(), DEFAULT_OPERATOR);
        let err = store.set_operator("   ").await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Domain(DomainError::Invalid { field, .. }) if field == "operator_name"),
            "{err:?}"
        );
        assert!(store.set_operator(&"x".repeat(81)).await.is_err());
        assert_eq!(
            store.set_operator("  Lakshmi   Rao ").await.unwrap(),
            "Lakshmi Rao"
        );
        assert_eq!(store.operator(), "Lakshmi Rao");
        store.close().await;

        let store = Store::open(dir.path()).await.unwrap();
        assert_eq!(store.operator(), "Lakshmi Rao");
        store
            .save_organisation_name(&store.operator(), "Sai Comforts")
            .await
            .unwrap();
        let actors: Vec<String> = sqlx::query_scalar("SELECT actor FROM audit_log ORDER BY seq")
            .fetch_all(store.pool())
            .await
            .unwrap();
        assert_eq!(actors, ["Lakshmi Rao", "Lakshmi Rao"]);
    }
}
