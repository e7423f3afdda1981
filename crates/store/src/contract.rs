//! Contracts: the terms of an allocation.

use multipms_domain::contract::ContractInput;
use multipms_domain::DomainError;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::{self, AuditEntry};
use crate::clock::{iso, new_id, now};
use crate::database::Store;
use crate::error::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Contract {
    pub id: String,
    pub allocation_id: String,
    pub monthly_rent_paise: i64,
    pub deposit_paise: i64,
    pub billing_day: i64,
    pub lock_in_months: i64,
    pub notice_days: i64,
    pub escalation_bp: i64,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub status: String,
}

impl Store {
    pub async fn contract_of(&self, allocation_id: &str) -> StoreResult<Option<Contract>> {
        Ok(sqlx::query_as::<_, Contract>(
            "SELECT id, allocation_id, monthly_rent_paise, deposit_paise, billing_day, lock_in_months,
                    notice_days, escalation_bp, starts_on, ends_on, status
             FROM contract WHERE allocation_id = ?",
        )
        .bind(allocation_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Sets the contract of an allocation (creating it the first time).
    pub async fn save_contract(
        &self,
        actor: &str,
        allocation_id: &str,
        input: &ContractInput,
    ) -> StoreResult<Contract> {
        let terms = input.validate()?;
        let mut tx = self.begin_write().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM allocation WHERE id = ?")
            .bind(allocation_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(DomainError::not_found("Allocation").into());
        }
        let before = sqlx::query_as::<_, Contract>(
            "SELECT id, allocation_id, monthly_rent_paise, deposit_paise, billing_day, lock_in_months,
                    notice_days, escalation_bp, starts_on, ends_on, status
             FROM contract WHERE allocation_id = ?",
        )
        .bind(allocation_id)
        .fetch_optional(&mut *tx)
        .await?;
        let after = Contract {
            id: before.as_ref().map(|c| c.id.clone()).unwrap_or_else(new_id),
            allocation_id: allocation_id.to_string(),
            monthly_rent_paise: terms.monthly_rent.as_i64(),
            deposit_paise: terms.security_deposit.as_i64(),
            billing_day: i64::from(terms.billing_day),
            lock_in_months: i64::from(terms.lock_in_months),
            notice_days: i64::from(terms.notice_days),
            escalation_bp: i64::from(terms.yearly_escalation_bp),
            starts_on: iso(terms.start_date),
            ends_on: terms.end_date.map(iso),
            status: terms.status.code().to_string(),
        };
        let stamp = now();
        sqlx::query(
            "INSERT INTO contract (id, allocation_id, monthly_rent_paise, deposit_paise, billing_day,
                lock_in_months, notice_days, escalation_bp, starts_on, ends_on, status, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET monthly_rent_paise = excluded.monthly_rent_paise,
                deposit_paise = excluded.deposit_paise, billing_day = excluded.billing_day,
                lock_in_months = excluded.lock_in_months, notice_days = excluded.notice_days,
                escalation_bp = excluded.escalation_bp, starts_on = excluded.starts_on,
                ends_on = excluded.ends_on, status = excluded.status, updated_at = excluded.updated_at",
        )
        .bind(&after.id)
        .bind(&after.allocation_id)
        .bind(after.monthly_rent_paise)
        .bind(after.deposit_paise)
        .bind(after.billing_day)
        .bind(after.lock_in_months)
        .bind(after.notice_days)
        .bind(after.escalation_bp)
        .bind(&after.starts_on)
        .bind(&after.ends_on)
        .bind(&after.status)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: if before.is_some() { "update" } else { "create" },
                entity: "contract",
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
