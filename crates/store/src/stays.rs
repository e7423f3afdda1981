//! The stays a billing run needs, read for the whole property in one
//! query: the stays billed under each contract (its own allocation and the
//! transfers that continued it) and who stayed in each room.

use std::collections::HashMap;

use multipms_domain::billing::BillingMonth;
use multipms_domain::Stay;
use sqlx::{FromRow, SqliteConnection};

use crate::clock::{iso, parse_iso, parse_iso_opt};
use crate::error::StoreResult;

#[derive(FromRow)]
struct AllocationRow {
    id: String,
    tenant_id: String,
    room_id: String,
    move_in: String,
    move_out: Option<String>,
    has_contract: bool,
}

/// Every allocation of every tenant who ever stayed in the property.
pub(crate) struct PropertyStays {
    /// By tenant, in move-in order.
    by_tenant: HashMap<String, Vec<(AllocationRow, Stay)>>,
}

/// Whose stays a billing run reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StaysOf {
    /// The tenants of the property's contracts running in the month: what
    /// the rent is prorated by.
    ContractsOf(BillingMonth),
    /// Every tenant who ever stayed in the property: a room's electricity
    /// is split among everyone who stayed in it.
    EveryOccupant,
}

/// Reads every allocation (in any property) of the tenants `of` says.
pub(crate) async fn property_stays(
    conn: &mut SqliteConnection,
    property_id: &str,
    of: StaysOf,
) -> StoreResult<PropertyStays> {
    let (everyone, month_end, month_start) = match of {
        StaysOf::ContractsOf(month) => (false, iso(month.end()), iso(month.first_day())),
        StaysOf::EveryOccupant => (true, String::new(), String::new()),
    };
    let rows = sqlx::query_as::<_, AllocationRow>(
        "SELECT a.id, a.tenant_id, b.room_id, a.move_in, a.move_out,
                EXISTS (SELECT 1 FROM contract c WHERE c.allocation_id = a.id) AS has_contract
         FROM allocation a JOIN bed b ON b.id = a.bed_id
         WHERE a.tenant_id IN (
             SELECT tenant_id FROM allocation WHERE ?2 AND property_id = ?1
             UNION
             SELECT ca.tenant_id FROM contract c JOIN allocation ca ON ca.id = c.allocation_id
             WHERE NOT ?2 AND ca.property_id = ?1
               AND c.starts_on < ?3 AND (c.ends_on IS NULL OR c.ends_on >= ?4))
         ORDER BY a.tenant_id, a.move_in",
    )
    .bind(property_id)
    .bind(everyone)
    .bind(month_end)
    .bind(month_start)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_tenant: HashMap<String, Vec<(AllocationRow, Stay)>> = HashMap::new();
    for row in rows {
        let stay = Stay::new(
            parse_iso(&row.move_in)?,
            parse_iso_opt(row.move_out.as_deref())?,
        )?;
        by_tenant
            .entry(row.tenant_id.clone())
            .or_default()
            .push((row, stay));
    }
    Ok(PropertyStays { by_tenant })
}

impl PropertyStays {
    /// The stays billed under the contract of `allocation_id`, with their
    /// allocation ids: its own allocation and the transfers that continued
    /// it (an allocation of the same tenant, without a contract of its own,
    /// starting the day the previous one ended).
    pub(crate) fn contract_stays(&self, tenant_id: &str, allocation_id: &str) -> Vec<(&str, Stay)> {
        let mut stays = Vec::new();
        let mut end: Option<Option<&str>> = None;
        for (row, stay) in self
            .by_tenant
            .get(tenant_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let continues = match end {
                None => row.id == allocation_id,
                Some(Some(last_out)) => !row.has_contract && row.move_in == last_out,
                Some(None) => false,
            };
            if continues {
                stays.push((row.id.as_str(), *stay));
                end = Some(row.move_out.as_deref());
            }
        }
        stays
    }

    /// Who stayed in each room: (allocation id, stay) in move-in order.
    pub(crate) fn by_room(&self) -> HashMap<&str, Vec<(&str, Stay)>> {
        let mut rooms: HashMap<&str, Vec<(&str, Stay)>> = HashMap::new();
        for (row, stay) in self.by_tenant.values().flatten() {
            rooms
                .entry(row.room_id.as_str())
                .or_default()
                .push((row.id.as_str(), *stay));
        }
        for stays in rooms.values_mut() {
            stays.sort_by(|a, b| a.1.move_in().cmp(&b.1.move_in()).then(a.0.cmp(b.0)));
        }
        rooms
    }
}
