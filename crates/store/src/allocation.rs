//! Allocations: a tenant on a bed over [move_in, move_out). The domain
//! refuses overlaps with a message naming the bed, the tenant and the dates;
//! the database's triggers refuse them again whatever code path writes.

use chrono::NaiveDate;
use multipms_domain::allocation::{
    check_no_overlap, give_notice, plan_move_out, plan_transfer, AllocationInput, Stay,
};
use multipms_domain::DomainError;
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::audit::{self, AuditEntry};
use crate::clock::{iso, new_id, now, parse_iso, parse_iso_opt};
use crate::database::Store;
use crate::error::{StoreError, StoreResult};
use crate::room::{bed_allocations, load_bed};
use crate::tenant::load_tenant;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Allocation {
    pub id: String,
    pub tenant_id: String,
    pub bed_id: String,
    pub move_in: String,
    pub move_out: Option<String>,
    pub notice_on: Option<String>,
}

impl Allocation {
    fn stay(&self) -> StoreResult<Stay> {
        Ok(Stay::new(
            parse_iso(&self.move_in)?,
            parse_iso_opt(self.move_out.as_deref())?,
        )?)
    }
}

async fn load(conn: &mut SqliteConnection, id: &str) -> StoreResult<Allocation> {
    sqlx::query_as::<_, Allocation>(
        "SELECT id, tenant_id, bed_id, move_in, move_out, notice_on FROM allocation WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| DomainError::not_found("Allocation").into())
}

/// Checks the bed is in service for the whole stay and free of other
/// tenants, then inserts. The trigger is the second wall.
async fn insert_checked(
    conn: &mut SqliteConnection,
    tenant_id: &str,
    bed_id: &str,
    stay: &Stay,
) -> StoreResult<Allocation> {
    let bed = load_bed(conn, bed_id).await?;
    if let Some(retired) = parse_iso_opt(bed.retired_on.as_deref())? {
        if stay.move_out().is_none_or(|out| out > retired) || stay.move_in() >= retired {
            return Err(DomainError::invalid(
                "bed_id",
                format!(
                    "Bed {} is out of service from {}; choose another bed",
                    bed.label,
                    multipms_domain::dates::format_date(retired)
                ),
            )
            .into());
        }
    }
    let existing = bed_allocations(conn, bed_id, None).await?;
    check_no_overlap(stay, &existing)?;
    let stamp = now();
    let allocation = Allocation {
        id: new_id(),
        tenant_id: tenant_id.to_string(),
        bed_id: bed_id.to_string(),
        move_in: iso(stay.move_in()),
        move_out: stay.move_out().map(iso),
        notice_on: None,
    };
    sqlx::query(
        "INSERT INTO allocation (id, tenant_id, bed_id, move_in, move_out, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&allocation.id)
    .bind(&allocation.tenant_id)
    .bind(&allocation.bed_id)
    .bind(&allocation.move_in)
    .bind(&allocation.move_out)
    .bind(&stamp)
    .bind(&stamp)
    .execute(&mut *conn)
    .await
    .map_err(overlap_from_trigger)?;
    Ok(allocation)
}

/// The trigger's refusal, said as a conflict rather than a database fault.
fn overlap_from_trigger(error: sqlx::Error) -> StoreError {
    if error.to_string().contains("overlaps another allocation") {
        DomainError::conflict(
            "That bed is already let for those dates; choose another bed or dates",
        )
        .into()
    } else {
        error.into()
    }
}

impl Store {
    pub async fn allocation(&self, id: &str) -> StoreResult<Allocation> {
        let mut conn = self.pool().acquire().await?;
        load(&mut conn, id).await
    }

    /// Every allocation of a tenant, oldest first.
    pub async fn tenant_allocations(&self, tenant_id: &str) -> StoreResult<Vec<Allocation>> {
        Ok(sqlx::query_as::<_, Allocation>(
            "SELECT id, tenant_id, bed_id, move_in, move_out, notice_on FROM allocation
             WHERE tenant_id = ? ORDER BY move_in",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Puts a tenant on a bed.
    pub async fn allocate(
        &self,
        actor: &str,
        tenant_id: &str,
        bed_id: &str,
        input: &AllocationInput,
    ) -> StoreResult<Allocation> {
        let stay = input.validate()?;
        let mut tx = self.begin_write().await?;
        load_tenant(&mut tx, tenant_id).await?;
        let allocation = insert_checked(&mut tx, tenant_id, bed_id, &stay).await?;
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "allocation",
                entity_id: &allocation.id,
                before: None,
                after: Some(&allocation),
            },
        )
        .await?;
        crate::search::refresh_tenant(&mut tx, tenant_id).await?;
        tx.commit().await?;
        Ok(allocation)
    }

    /// Moves a tenant to another bed on `on`: closes the current allocation
    /// and opens the next, in one transaction. If the new bed is taken,
    /// nothing changes.
    pub async fn transfer(
        &self,
        actor: &str,
        allocation_id: &str,
        to_bed_id: &str,
        on: NaiveDate,
    ) -> StoreResult<Allocation> {
        let mut tx = self.begin_write().await?;
        let before = load(&mut tx, allocation_id).await?;
        if before.bed_id == to_bed_id {
            return Err(DomainError::invalid(
                "to_bed_id",
                "The tenant is already on that bed; choose another bed",
            )
            .into());
        }
        let plan = plan_transfer(&before.stay()?, on)?;
        sqlx::query(
            "UPDATE allocation SET move_out = ?, notice_on = NULL, updated_at = ? WHERE id = ?",
        )
        .bind(iso(on))
        .bind(now())
        .bind(allocation_id)
        .execute(&mut *tx)
        .await?;
        let opened = insert_checked(&mut tx, &before.tenant_id, to_bed_id, &plan.opened).await?;
        let closed = Allocation {
            move_out: Some(iso(on)),
            notice_on: None,
            ..before.clone()
        };
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "transfer",
                entity: "allocation",
                entity_id: allocation_id,
                before: Some(&before),
                after: Some(&(&closed, &opened)),
            },
        )
        .await?;
        crate::search::refresh_tenant(&mut tx, &before.tenant_id).await?;
        tx.commit().await?;
        Ok(opened)
    }

    /// Records the tenant's notice and their planned move-out.
    pub async fn give_notice(
        &self,
        actor: &str,
        allocation_id: &str,
        given_on: NaiveDate,
        planned_move_out: Option<NaiveDate>,
    ) -> StoreResult<Allocation> {
        let mut tx = self.begin_write().await?;
        let before = load(&mut tx, allocation_id).await?;
        let notice_days: Option<i64> =
            sqlx::query_scalar("SELECT notice_days FROM contract WHERE allocation_id = ?")
                .bind(allocation_id)
                .fetch_optional(&mut *tx)
                .await?;
        let notice_days = u16::try_from(notice_days.unwrap_or(30)).unwrap_or(u16::MAX);
        let notice = give_notice(&before.stay()?, given_on, planned_move_out, notice_days)?;
        let after = Allocation {
            move_out: notice.stay_after.move_out().map(iso),
            notice_on: Some(iso(given_on)),
            ..before.clone()
        };
        self.rewrite(&mut tx, actor, "notice", &before, &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets the day the tenant leaves (the first day the bed is free).
    pub async fn move_out(
        &self,
        actor: &str,
        allocation_id: &str,
        move_out: NaiveDate,
    ) -> StoreResult<Allocation> {
        let mut tx = self.begin_write().await?;
        let before = load(&mut tx, allocation_id).await?;
        let stay = plan_move_out(&before.stay()?, move_out)?;
        let existing = bed_allocations(&mut tx, &before.bed_id, Some(allocation_id)).await?;
        check_no_overlap(&stay, &existing)?;
        let after = Allocation {
            move_out: stay.move_out().map(iso),
            ..before.clone()
        };
        self.rewrite(&mut tx, actor, "move_out", &before, &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn rewrite(
        &self,
        tx: &mut SqliteConnection,
        actor: &str,
        action: &str,
        before: &Allocation,
        after: &Allocation,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE allocation SET move_out = ?, notice_on = ?, updated_at = ? WHERE id = ?",
        )
        .bind(&after.move_out)
        .bind(&after.notice_on)
        .bind(now())
        .bind(&after.id)
        .execute(&mut *tx)
        .await
        .map_err(overlap_from_trigger)?;
        audit::record(
            tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action,
                entity: "allocation",
                entity_id: &after.id,
                before: Some(before),
                after: Some(after),
            },
        )
        .await?;
        crate::search::refresh_tenant(tx, &after.tenant_id).await
    }
}
