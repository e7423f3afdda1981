//! A contract's charges besides rent (food, laundry, parking, one-off
//! amounts) and its discounts. The rules of how they fall into a month are
//! the domain's [`Charge`] and [`Discount`]; this module keeps them and
//! hands a property's to the billing run.

use std::collections::HashMap;

use multipms_domain::billing::charges::{ChargeInput, DiscountInput};
use multipms_domain::billing::{
    BillingMonth, Charge, ChargeKind, ChargeSchedule, Discount, DiscountValue,
};
use multipms_domain::dates::{format_date, parse_date_labelled};
use multipms_domain::{DomainError, Paise};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};
use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::clock::{iso, now, parse_iso, parse_iso_opt};
use crate::database::Store;
use crate::error::StoreResult;
use crate::ledger::uuid_of;

/// A charge on a contract, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct ContractCharge {
    pub id: String,
    pub contract_id: String,
    /// `food`, `laundry`, `parking`, `housekeeping`, `maintenance`,
    /// `electricity`, `late_fee` or `other`.
    pub kind: String,
    /// As printed on the invoice.
    pub description: String,
    /// A month's amount, or the one-off amount.
    pub amount_paise: i64,
    /// `monthly` or `once`.
    pub schedule: String,
    /// First day (monthly) or the day of a one-off charge, `YYYY-MM-DD`.
    pub starts_on: String,
    /// First day a monthly charge no longer applies; `None` while ongoing.
    pub ends_on: Option<String>,
    /// Partial months pay their share by nights.
    pub prorate: bool,
    pub created_at: String,
}

/// A discount on a contract, as stored: exactly one of `amount_paise` and
/// `percent_bp` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct ContractDiscount {
    pub id: String,
    pub contract_id: String,
    pub description: String,
    /// A flat amount (a month, or once).
    pub amount_paise: Option<i64>,
    /// A percent of the rent billed, in basis points (1000 = 10%).
    pub percent_bp: Option<i64>,
    /// `monthly` or `once`.
    pub schedule: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub created_at: String,
}

const CHARGE_COLUMNS: &str = "id, contract_id, kind, description, amount_paise, schedule, \
     starts_on, ends_on, prorate, created_at";
const DISCOUNT_COLUMNS: &str = "id, contract_id, description, amount_paise, percent_bp, \
     schedule, starts_on, ends_on, created_at";

/// Columns of a schedule: (`monthly`/`once`, starts_on, ends_on, prorate).
fn schedule_columns(schedule: &ChargeSchedule) -> (&'static str, String, Option<String>, bool) {
    match *schedule {
        ChargeSchedule::Monthly {
            from,
            until,
            prorate,
        } => ("monthly", iso(from), until.map(iso), prorate),
        ChargeSchedule::Once { on } => ("once", iso(on), None, false),
    }
}

fn schedule_of(
    schedule: &str,
    starts_on: &str,
    ends_on: Option<&str>,
    prorate: bool,
) -> StoreResult<ChargeSchedule> {
    let from = parse_iso(starts_on)?;
    Ok(match schedule {
        "once" => ChargeSchedule::Once { on: from },
        _ => ChargeSchedule::Monthly {
            from,
            until: parse_iso_opt(ends_on)?,
            prorate,
        },
    })
}

impl ContractCharge {
    fn to_domain(&self) -> StoreResult<Charge> {
        Ok(Charge {
            id: uuid_of(&self.id)?,
            kind: ChargeKind::parse(&self.kind, "kind")?,
            description: self.description.clone(),
            amount: Paise(self.amount_paise),
            schedule: schedule_of(
                &self.schedule,
                &self.starts_on,
                self.ends_on.as_deref(),
                self.prorate,
            )?,
        })
    }
}

impl ContractDiscount {
    fn to_domain(&self) -> StoreResult<Discount> {
        let value = match (self.amount_paise, self.percent_bp) {
            (Some(amount), _) => DiscountValue::Flat(Paise(amount)),
            (None, Some(bp)) => DiscountValue::PercentOfRent(u32::try_from(bp).unwrap_or(0)),
            (None, None) => DiscountValue::Flat(Paise::ZERO),
        };
        Ok(Discount {
            id: uuid_of(&self.id)?,
            description: self.description.clone(),
            value,
            schedule: schedule_of(
                &self.schedule,
                &self.starts_on,
                self.ends_on.as_deref(),
                true,
            )?,
        })
    }
}

async fn require_contract(conn: &mut SqliteConnection, contract_id: &str) -> StoreResult<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM contract WHERE id = ?")
        .bind(contract_id)
        .fetch_optional(&mut *conn)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(DomainError::not_found("Contract").into()),
    }
}

async fn load_charge(conn: &mut SqliteConnection, id: &str) -> StoreResult<ContractCharge> {
    sqlx::query_as::<_, ContractCharge>(sqlx::AssertSqlSafe(format!(
        "SELECT {CHARGE_COLUMNS} FROM contract_charge WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| DomainError::not_found("Charge").into())
}

async fn load_discount(conn: &mut SqliteConnection, id: &str) -> StoreResult<ContractDiscount> {
    sqlx::query_as::<_, ContractDiscount>(sqlx::AssertSqlSafe(format!(
        "SELECT {DISCOUNT_COLUMNS} FROM contract_discount WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| DomainError::not_found("Discount").into())
}

/// The end date of a monthly charge or discount that started on
/// `starts_on`, as typed (DD/MM/YYYY): the first day it no longer applies.
fn end_date(schedule: &str, starts_on: &str, until: &str, what: &str) -> StoreResult<String> {
    if schedule != "monthly" {
        return Err(DomainError::conflict(format!(
            "A one-off {what} cannot be ended; it is billed once in its month"
        ))
        .into());
    }
    let until = parse_date_labelled(until, "until", "End date")?;
    let from = parse_iso(starts_on)?;
    if until <= from {
        return Err(DomainError::invalid(
            "until",
            format!(
                "End date must be after the start date {}",
                format_date(from)
            ),
        )
        .into());
    }
    Ok(iso(until))
}

impl Store {
    /// Adds a charge to a contract: monthly (food, parking…) or once
    /// (laundry, a duplicate key…). Bad input is refused naming its field
    /// (`kind`, `description`, `amount`, `schedule`, `from`, `until`) and
    /// nothing is written.
    pub async fn add_contract_charge(
        &self,
        actor: &str,
        contract_id: &str,
        input: &ChargeInput,
    ) -> StoreResult<ContractCharge> {
        let charge = input.validate(Uuid::now_v7())?;
        let mut tx = self.begin_write().await?;
        require_contract(&mut tx, contract_id).await?;
        let (schedule, starts_on, ends_on, prorate) = schedule_columns(&charge.schedule);
        let stamp = now();
        let after = ContractCharge {
            id: charge.id.to_string(),
            contract_id: contract_id.to_string(),
            kind: charge.kind.code().to_string(),
            description: charge.description,
            amount_paise: charge.amount.as_i64(),
            schedule: schedule.to_string(),
            starts_on,
            ends_on,
            prorate,
            created_at: stamp.clone(),
        };
        sqlx::query(
            "INSERT INTO contract_charge (id, contract_id, kind, description, amount_paise, schedule,
                starts_on, ends_on, prorate, desk_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&after.id)
        .bind(&after.contract_id)
        .bind(&after.kind)
        .bind(&after.description)
        .bind(after.amount_paise)
        .bind(&after.schedule)
        .bind(&after.starts_on)
        .bind(&after.ends_on)
        .bind(after.prorate)
        .bind(self.desk_id())
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "contract_charge",
                entity_id: &after.id,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A contract's charges, in the order they were added.
    pub async fn contract_charges(&self, contract_id: &str) -> StoreResult<Vec<ContractCharge>> {
        let mut conn = self.pool().acquire().await?;
        require_contract(&mut conn, contract_id).await?;
        Ok(
            sqlx::query_as::<_, ContractCharge>(sqlx::AssertSqlSafe(format!(
                "SELECT {CHARGE_COLUMNS} FROM contract_charge WHERE contract_id = ? ORDER BY rowid"
            )))
            .bind(contract_id)
            .fetch_all(&mut *conn)
            .await?,
        )
    }

    /// Ends a monthly charge: `until` (DD/MM/YYYY) is the first day it no
    /// longer applies (field `until`). A one-off charge cannot be ended.
    pub async fn end_contract_charge(
        &self,
        actor: &str,
        charge_id: &str,
        until: &str,
    ) -> StoreResult<ContractCharge> {
        let mut tx = self.begin_write().await?;
        let before = load_charge(&mut tx, charge_id).await?;
        let ends_on = end_date(&before.schedule, &before.starts_on, until, "charge")?;
        sqlx::query("UPDATE contract_charge SET ends_on = ?, updated_at = ? WHERE id = ?")
            .bind(&ends_on)
            .bind(now())
            .bind(charge_id)
            .execute(&mut *tx)
            .await?;
        let after = ContractCharge {
            ends_on: Some(ends_on),
            ..before.clone()
        };
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "end",
                entity: "contract_charge",
                entity_id: charge_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds a discount to a contract: an amount or a percent of the rent,
    /// monthly or once. Errors name `description`, `amount`, `percent`,
    /// `schedule`, `from` or `until`; nothing is written then.
    pub async fn add_contract_discount(
        &self,
        actor: &str,
        contract_id: &str,
        input: &DiscountInput,
    ) -> StoreResult<ContractDiscount> {
        let discount = input.validate(Uuid::now_v7())?;
        let mut tx = self.begin_write().await?;
        require_contract(&mut tx, contract_id).await?;
        let (schedule, starts_on, ends_on, _) = schedule_columns(&discount.schedule);
        let (amount_paise, percent_bp) = match discount.value {
            DiscountValue::Flat(p) => (Some(p.as_i64()), None),
            DiscountValue::PercentOfRent(bp) => (None, Some(i64::from(bp))),
        };
        let stamp = now();
        let after = ContractDiscount {
            id: discount.id.to_string(),
            contract_id: contract_id.to_string(),
            description: discount.description,
            amount_paise,
            percent_bp,
            schedule: schedule.to_string(),
            starts_on,
            ends_on,
            created_at: stamp.clone(),
        };
        sqlx::query(
            "INSERT INTO contract_discount (id, contract_id, description, amount_paise, percent_bp,
                schedule, starts_on, ends_on, desk_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&after.id)
        .bind(&after.contract_id)
        .bind(&after.description)
        .bind(after.amount_paise)
        .bind(after.percent_bp)
        .bind(&after.schedule)
        .bind(&after.starts_on)
        .bind(&after.ends_on)
        .bind(self.desk_id())
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "contract_discount",
                entity_id: &after.id,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A contract's discounts, in the order they were added.
    pub async fn contract_discounts(
        &self,
        contract_id: &str,
    ) -> StoreResult<Vec<ContractDiscount>> {
        let mut conn = self.pool().acquire().await?;
        require_contract(&mut conn, contract_id).await?;
        Ok(
            sqlx::query_as::<_, ContractDiscount>(sqlx::AssertSqlSafe(format!(
            "SELECT {DISCOUNT_COLUMNS} FROM contract_discount WHERE contract_id = ? ORDER BY rowid"
        )))
            .bind(contract_id)
            .fetch_all(&mut *conn)
            .await?,
        )
    }

    /// Ends a monthly discount on `until` (DD/MM/YYYY, field `until`).
    pub async fn end_contract_discount(
        &self,
        actor: &str,
        discount_id: &str,
        until: &str,
    ) -> StoreResult<ContractDiscount> {
        let mut tx = self.begin_write().await?;
        let before = load_discount(&mut tx, discount_id).await?;
        let ends_on = end_date(&before.schedule, &before.starts_on, until, "discount")?;
        sqlx::query("UPDATE contract_discount SET ends_on = ?, updated_at = ? WHERE id = ?")
            .bind(&ends_on)
            .bind(now())
            .bind(discount_id)
            .execute(&mut *tx)
            .await?;
        let after = ContractDiscount {
            ends_on: Some(ends_on),
            ..before.clone()
        };
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "end",
                entity: "contract_discount",
                entity_id: discount_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The charges of every contract of a property that may fall in `month`,
/// by contract id, in the order they were added.
pub(crate) async fn property_charges(
    conn: &mut SqliteConnection,
    property_id: &str,
    month: BillingMonth,
) -> StoreResult<HashMap<String, Vec<Charge>>> {
    let rows = sqlx::query_as::<_, ContractCharge>(
        "SELECT ch.id, ch.contract_id, ch.kind, ch.description, ch.amount_paise, ch.schedule,
                ch.starts_on, ch.ends_on, ch.prorate, ch.created_at
         FROM contract_charge ch
         JOIN contract c ON c.id = ch.contract_id
         JOIN allocation a ON a.id = c.allocation_id
         WHERE a.property_id = ?1 AND ch.starts_on < ?2
           AND (ch.ends_on IS NULL OR ch.ends_on > ?3)
           AND (ch.schedule = 'monthly' OR ch.starts_on >= ?3)
         ORDER BY ch.rowid",
    )
    .bind(property_id)
    .bind(iso(month.end()))
    .bind(iso(month.first_day()))
    .fetch_all(&mut *conn)
    .await?;
    let mut by_contract: HashMap<String, Vec<Charge>> = HashMap::new();
    for row in rows {
        let charge = row.to_domain()?;
        by_contract.entry(row.contract_id).or_default().push(charge);
    }
    Ok(by_contract)
}

/// The discounts of every contract of a property that may fall in `month`.
pub(crate) async fn property_discounts(
    conn: &mut SqliteConnection,
    property_id: &str,
    month: BillingMonth,
) -> StoreResult<HashMap<String, Vec<Discount>>> {
    let rows = sqlx::query_as::<_, ContractDiscount>(
        "SELECT d.id, d.contract_id, d.description, d.amount_paise, d.percent_bp, d.schedule,
                d.starts_on, d.ends_on, d.created_at
         FROM contract_discount d
         JOIN contract c ON c.id = d.contract_id
         JOIN allocation a ON a.id = c.allocation_id
         WHERE a.property_id = ?1 AND d.starts_on < ?2
           AND (d.ends_on IS NULL OR d.ends_on > ?3)
           AND (d.schedule = 'monthly' OR d.starts_on >= ?3)
         ORDER BY d.rowid",
    )
    .bind(property_id)
    .bind(iso(month.end()))
    .bind(iso(month.first_day()))
    .fetch_all(&mut *conn)
    .await?;
    let mut by_contract: HashMap<String, Vec<Discount>> = HashMap::new();
    for row in rows {
        let discount = row.to_domain()?;
        by_contract
            .entry(row.contract_id)
            .or_default()
            .push(discount);
    }
    Ok(by_contract)
}
