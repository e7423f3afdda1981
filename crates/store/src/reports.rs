//! The owner's reports that are not a list of records: money collected per
//! month by how it was paid, and the deposits held per tenant.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::FromRow;

use crate::clock::iso;
use crate::database::Store;
use crate::error::StoreResult;

/// Rent and dues collected in a month, by mode. Payments that still stand:
/// reversed payments and bounced cheques are left out; deposits are not
/// income and are reported apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct CollectionMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub upi_paise: i64,
    pub cash_paise: i64,
    pub bank_transfer_paise: i64,
    pub cheque_paise: i64,
    pub total_paise: i64,
    pub payments: i64,
}

/// A security deposit the business holds for a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct DepositHeld {
    pub tenant_id: String,
    pub full_name: String,
    /// Where the tenant last stayed.
    pub property: Option<String>,
    pub held_paise: i64,
}

impl Store {
    /// Collections per month from `from` to `to` (inclusive), oldest first;
    /// months without a payment are left out.
    pub async fn collections_by_month(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<CollectionMonth>> {
        Ok(sqlx::query_as::<_, CollectionMonth>(
            "SELECT substr(paid_on, 1, 7) AS month,
                    coalesce(sum(CASE WHEN mode = 'upi' THEN amount_paise END), 0) AS upi_paise,
                    coalesce(sum(CASE WHEN mode = 'cash' THEN amount_paise END), 0) AS cash_paise,
                    coalesce(sum(CASE WHEN mode = 'bank_transfer' THEN amount_paise END), 0) AS bank_transfer_paise,
                    coalesce(sum(CASE WHEN mode = 'cheque' THEN amount_paise END), 0) AS cheque_paise,
                    sum(amount_paise) AS total_paise,
                    count(*) AS payments
             FROM payment
             WHERE purpose = 'dues' AND reversed_on IS NULL
               AND (cheque_state IS NULL OR cheque_state <> 'bounced')
               AND paid_on BETWEEN ?1 AND ?2
             GROUP BY month ORDER BY month",
        )
        .bind(iso(from))
        .bind(iso(to))
        .fetch_all(self.pool())
        .await?)
    }

    /// Every tenant for whom a deposit is held, largest first.
    pub async fn deposits_held(&self) -> StoreResult<Vec<DepositHeld>> {
        Ok(sqlx::query_as::<_, DepositHeld>(
            "SELECT t.id AS tenant_id, t.full_name,
                    (SELECT p.name FROM allocation a JOIN property p ON p.id = a.property_id
                     WHERE a.tenant_id = t.id ORDER BY a.move_in DESC LIMIT 1) AS property,
                    -d.total AS held_paise
             FROM (SELECT tenant_id, sum(amount_paise) AS total FROM ledger_entry
                   WHERE book = 'deposit' GROUP BY tenant_id HAVING total <> 0) d
             JOIN tenant t ON t.id = d.tenant_id
             ORDER BY held_paise DESC, t.full_name",
        )
        .fetch_all(self.pool())
        .await?)
    }
}
