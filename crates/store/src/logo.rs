//! The business's logo, printed at the top of invoices and receipts. The
//! desk checks and scales the picture before it gets here; the store keeps
//! the PNG bytes with the organisation.

use multipms_domain::DomainError;
use serde::Serialize;

use crate::audit::{self, AuditEntry};
use crate::database::Store;
use crate::error::StoreResult;

/// Largest logo the store keeps, in bytes (the table checks it too).
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;

/// What the audit log says about a logo: its size, not its bytes.
#[derive(Serialize)]
struct LogoFacts {
    logo_bytes: usize,
}

impl Store {
    /// The logo's PNG bytes, when one is set.
    pub async fn logo(&self) -> StoreResult<Option<Vec<u8>>> {
        let logo: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT logo_png FROM organisation ORDER BY created_at LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        Ok(logo.flatten())
    }

    /// Sets the logo, or with `None` removes it. The business must be named
    /// first.
    pub async fn set_logo(&self, actor: &str, png: Option<&[u8]>) -> StoreResult<()> {
        if let Some(bytes) = png {
            if bytes.is_empty() || bytes.len() > MAX_LOGO_BYTES {
                return Err(DomainError::invalid(
                    "logo",
                    "The logo must be a picture of at most 2 MB",
                )
                .into());
            }
        }
        let mut tx = self.begin_write().await?;
        let current: Option<(String, Option<i64>)> = sqlx::query_as(
            "SELECT id, length(logo_png) FROM organisation ORDER BY created_at LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some((org_id, before_len)) = current else {
            return Err(DomainError::invalid(
                "logo",
                "Name the business first; the logo belongs to it",
            )
            .into());
        };
        sqlx::query("UPDATE organisation SET logo_png = ?, updated_at = ? WHERE id = ?")
            .bind(png)
            .bind(chrono::Utc::now().to_rfc3339())
            .bind(&org_id)
            .execute(&mut *tx)
            .await?;
        let before = before_len.map(|n| LogoFacts {
            logo_bytes: n as usize,
        });
        let after = png.map(|b| LogoFacts {
            logo_bytes: b.len(),
        });
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: if png.is_some() {
                    "set_logo"
                } else {
                    "remove_logo"
                },
                entity: "organisation",
                entity_id: &org_id,
                before: before.as_ref(),
                after: after.as_ref(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreError;

    #[tokio::test]
    async fn logo_is_kept_replaced_and_removed_with_audit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let err = store.set_logo("tester", Some(b"png")).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Domain(DomainError::Invalid { field, .. }) if field == "logo"),
            "{err:?}"
        );
        store.save_organisation_name("tester", "Sai").await.unwrap();
        assert_eq!(store.logo().await.unwrap(), None);
        store.set_logo("tester", Some(b"first")).await.unwrap();
        store.set_logo("tester", Some(b"second!")).await.unwrap();
        assert_eq!(
            store.logo().await.unwrap().as_deref(),
            Some(&b"second!"[..])
        );
        let too_big = vec![0u8; MAX_LOGO_BYTES + 1];
        assert!(store.set_logo("tester", Some(&too_big)).await.is_err());
        assert_eq!(
            store.logo().await.unwrap().as_deref(),
            Some(&b"second!"[..])
        );
        store.set_logo("tester", None).await.unwrap();
        assert_eq!(store.logo().await.unwrap(), None);
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT action, before_json, after_json FROM audit_log
             WHERE action IN ('set_logo', 'remove_logo') ORDER BY seq",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].1.as_deref(), Some(r#"{"logo_bytes":5}"#));
        assert_eq!(rows[2].0, "remove_logo");
        assert_eq!(rows[2].2, None);
    }
}
