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

/// The largest deposits held, with the count and sum over every tenant
/// for whom one is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepositsHeld {
    /// Largest first, at most the number asked for.
    pub largest: Vec<DepositHeld>,
    pub count: u32,
    pub held_paise: i64,
}

/// Every deposit held, largest first (?1 IS NULL), or the ?1 largest, each
/// with the count and sum over all of them.
const DEPOSITS_HELD_SQL: &str = "SELECT t.id AS tenant_id, t.full_name,
        (SELECT p.name FROM allocation a JOIN property p ON p.id = a.property_id
         WHERE a.tenant_id = t.id ORDER BY a.move_in DESC LIMIT 1) AS property,
        d.held AS held_paise,
        count(*) OVER () AS count, sum(d.held) OVER () AS held_total
     FROM (SELECT tenant_id, -sum(amount_paise) AS held FROM ledger_entry
           WHERE book = 'deposit' GROUP BY tenant_id HAVING held <> 0) d
     JOIN tenant t ON t.id = d.tenant_id
     ORDER BY held_paise DESC, t.full_name
     LIMIT coalesce(?1, -1)";

#[derive(FromRow)]
struct DepositRow {
    #[sqlx(flatten)]
    held: DepositHeld,
    count: i64,
    held_total: i64,
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
        Ok(self.deposits(None).await?.largest)
    }

    /// The `limit` largest deposits held, with the count and sum over all:
    /// what the Reports screen shows (the CSV export holds everyone).
    pub async fn largest_deposits_held(&self, limit: u32) -> StoreResult<DepositsHeld> {
        self.deposits(Some(limit)).await
    }

    async fn deposits(&self, limit: Option<u32>) -> StoreResult<DepositsHeld> {
        let rows = sqlx::query_as::<_, DepositRow>(DEPOSITS_HELD_SQL)
            .bind(limit.map(i64::from))
            .fetch_all(self.pool())
            .await?;
        let (count, held_paise) = rows
            .first()
            .map(|r| (u32::try_from(r.count).unwrap_or(u32::MAX), r.held_total))
            .unwrap_or((0, 0));
        Ok(DepositsHeld {
            largest: rows.into_iter().map(|r| r.held).collect(),
            count,
            held_paise,
        })
    }
}
