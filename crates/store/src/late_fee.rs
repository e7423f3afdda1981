//! A property's late fee rule (flat or percent, after N days of grace),
//! and which overdue charges already carry a late fee. The rule itself is
//! the domain's [`LateFeeRule`].

use std::collections::HashSet;

use multipms_domain::billing::late_fee::LateFeeInput;
use multipms_domain::billing::{LateFee, LateFeeAmount, LateFeeRule};
use multipms_domain::{DomainError, Paise};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::audit::{self, AuditEntry};
use crate::clock::now;
use crate::database::Store;
use crate::error::StoreResult;

/// A property's late fee setting, as the form shows it. Switched off (or
/// never set): `enabled` is false and the rest is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct LateFeeSetting {
    pub property_id: String,
    pub enabled: bool,
    /// `flat` or `percent`.
    pub kind: Option<String>,
    /// A flat fee per overdue invoice.
    pub flat_paise: Option<i64>,
    /// A percent of what is overdue, in basis points (200 = 2%).
    pub percent_bp: Option<i64>,
    /// Days of grace after the due date.
    pub after_days: Option<i64>,
    /// Most a single fee can be.
    pub cap_paise: Option<i64>,
    /// When it was last set; `None` when never set.
    pub updated_at: Option<String>,
}

impl LateFeeSetting {
    fn off(property_id: &str) -> LateFeeSetting {
        LateFeeSetting {
            property_id: property_id.to_string(),
            enabled: false,
            kind: None,
            flat_paise: None,
            percent_bp: None,
            after_days: None,
            cap_paise: None,
            updated_at: None,
        }
    }

    fn rule(&self) -> Option<LateFeeRule> {
        if !self.enabled {
            return None;
        }
        let amount = match (self.kind.as_deref(), self.flat_paise, self.percent_bp) {
            (Some("flat"), Some(p), _) => LateFeeAmount::Flat(Paise(p)),
            (Some("percent"), _, Some(bp)) => LateFeeAmount::Percent(u32::try_from(bp).ok()?),
            _ => return None,
        };
        Some(LateFeeRule {
            after_days: u16::try_from(self.after_days?).ok()?,
            amount,
            cap: self.cap_paise.map(Paise),
        })
    }
}

async fn load_setting(
    conn: &mut SqliteConnection,
    property_id: &str,
) -> StoreResult<LateFeeSetting> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM property WHERE id = ?")
        .bind(property_id)
        .fetch_optional(&mut *conn)
        .await?;
    if found.is_none() {
        return Err(DomainError::not_found("Property").into());
    }
    let stored = sqlx::query_as::<_, LateFeeSetting>(
        "SELECT property_id, enabled, kind, flat_paise, percent_bp, after_days, cap_paise, updated_at
         FROM late_fee_rule WHERE property_id = ?",
    )
    .bind(property_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(stored.unwrap_or_else(|| LateFeeSetting::off(property_id)))
}

/// The late fee rule a billing run of the property applies, `None` when
/// switched off.
pub(crate) async fn property_late_fee_rule(
    conn: &mut SqliteConnection,
    property_id: &str,
) -> StoreResult<Option<LateFeeRule>> {
    Ok(load_setting(conn, property_id).await?.rule())
}

/// The overdue charges (ledger entry ids) of a tenant that already carry a
/// late fee on a standing invoice.
pub(crate) async fn late_fees_charged(
    conn: &mut SqliteConnection,
    tenant_id: &str,
) -> StoreResult<HashSet<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT lf.item_entry_id FROM late_fee_charge lf
         JOIN invoice i ON i.id = lf.invoice_id
         WHERE i.tenant_id = ? AND i.status = 'issued'",
    )
    .bind(tenant_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Records that `fee` is billed on `invoice_id`, so it is charged once.
pub(crate) async fn record_late_fee(
    conn: &mut SqliteConnection,
    fee: &LateFee,
    invoice_id: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO late_fee_charge (item_entry_id, invoice_id, overdue_invoice_id, amount_paise)
         VALUES (?, ?, ?, ?)",
    )
    .bind(fee.item_entry_id.to_string())
    .bind(invoice_id)
    .bind(fee.invoice_id.map(|u| u.to_string()))
    .bind(fee.amount.as_i64())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// The property's late fee setting (switched off when never set).
    pub async fn late_fee_rule(&self, property_id: &str) -> StoreResult<LateFeeSetting> {
        let mut conn = self.pool().acquire().await?;
        load_setting(&mut conn, property_id).await
    }

    /// Sets (or switches off) the property's late fee. Errors name `kind`,
    /// `value`, `after_days` or `cap`; nothing is written then. Applies to
    /// billing runs from now on.
    pub async fn set_late_fee_rule(
        &self,
        actor: &str,
        property_id: &str,
        input: &LateFeeInput,
    ) -> StoreResult<LateFeeSetting> {
        let rule = input.validate()?;
        let mut tx = self.begin_write().await?;
        let before = load_setting(&mut tx, property_id).await?;
        let mut after = LateFeeSetting::off(property_id);
        after.updated_at = Some(now());
        if let Some(rule) = rule {
            after.enabled = true;
            after.after_days = Some(i64::from(rule.after_days));
            after.cap_paise = rule.cap.map(|c| c.as_i64());
            match rule.amount {
                LateFeeAmount::Flat(p) => {
                    after.kind = Some("flat".into());
                    after.flat_paise = Some(p.as_i64());
                }
                LateFeeAmount::Percent(bp) => {
                    after.kind = Some("percent".into());
                    after.percent_bp = Some(i64::from(bp));
                }
            }
        }
        sqlx::query(
            "INSERT INTO late_fee_rule (property_id, enabled, kind, flat_paise, percent_bp,
                after_days, cap_paise, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (property_id) DO UPDATE SET enabled = excluded.enabled,
                kind = excluded.kind, flat_paise = excluded.flat_paise,
                percent_bp = excluded.percent_bp, after_days = excluded.after_days,
                cap_paise = excluded.cap_paise, updated_at = excluded.updated_at",
        )
        .bind(property_id)
        .bind(after.enabled)
        .bind(&after.kind)
        .bind(after.flat_paise)
        .bind(after.percent_bp)
        .bind(after.after_days)
        .bind(after.cap_paise)
        .bind(&after.updated_at)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "set",
                entity: "late_fee_rule",
                entity_id: property_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
