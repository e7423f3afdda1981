//! Occupancy on any day, derived from beds and allocations (nothing stored).
//!
//! [`occupancy_on`]: multipms_domain::occupancy::occupancy_on

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use multipms_domain::occupancy::{
    BedStatus, OccupancyAllocation, OccupancyBed, OccupancyCounts, OccupancyReport,
    PropertyOccupancy,
};
use uuid::Uuid;

use crate::clock::{iso, parse_iso, parse_iso_opt};
use crate::database::Store;
use crate::error::{StoreError, StoreResult};

fn uuid(text: &str) -> StoreResult<Uuid> {
    Uuid::from_str(text).map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

impl Store {
    /// Beds total, occupied, on notice, reserved and vacant on `day`, per
    /// property and overall.
    ///
    /// At 50,000 beds, reading every bed and stay into the domain's
    /// [`occupancy_on`] costs half a second, so SQLite counts by the same rule
    /// from scans by property (beds and stays carry their property, see
    /// migration 0005) and returns only counts. `tests/occupancy_agrees.rs`
    /// proves on random portfolios that this equals the domain's answer.
    pub async fn occupancy(&self, day: NaiveDate) -> StoreResult<OccupancyReport> {
        let on = day;
        let day = iso(on);
        let mut conn = self.pool().acquire().await?;
        // Beds in service per property.
        let totals: Vec<(String, i64)> = sqlx::query_as(
            "SELECT property_id, count(*) FROM bed
             WHERE retired_on IS NULL OR retired_on > ?1 GROUP BY property_id",
        )
        .bind(&day)
        .fetch_all(&mut *conn)
        .await?;
        // Stays running on the day, and those of them under notice. Two stays
        // of one bed never overlap, so this counts let beds.
        let current: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT property_id, count(*), coalesce(sum(notice_on IS NOT NULL AND notice_on <= ?1), 0)
             FROM allocation
             WHERE move_in <= ?1 AND (move_out IS NULL OR move_out > ?1)
             GROUP BY property_id",
        )
        .bind(&day)
        .fetch_all(&mut *conn)
        .await?;
        // ... less those on beds already out of service (few).
        let on_retired: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT a.property_id, count(*), coalesce(sum(a.notice_on IS NOT NULL AND a.notice_on <= ?1), 0)
             FROM bed b JOIN allocation a ON a.bed_id = b.id
             WHERE b.retired_on IS NOT NULL AND b.retired_on <= ?1
               AND a.move_in <= ?1 AND (a.move_out IS NULL OR a.move_out > ?1)
             GROUP BY a.property_id",
        )
        .bind(&day)
        .fetch_all(&mut *conn)
        .await?;
        // Beds in service, free on the day, let from a later day.
        let reserved: Vec<(String, i64)> = sqlx::query_as(
            "SELECT b.property_id, count(DISTINCT f.bed_id)
             FROM allocation f JOIN bed b ON b.id = f.bed_id
             WHERE f.move_in > ?1 AND (b.retired_on IS NULL OR b.retired_on > ?1)
               AND NOT EXISTS (SELECT 1 FROM allocation c WHERE c.bed_id = f.bed_id
                               AND c.move_in <= ?1 AND (c.move_out IS NULL OR c.move_out > ?1))
             GROUP BY b.property_id",
        )
        .bind(&day)
        .fetch_all(&mut *conn)
        .await?;

        let mut per_property: BTreeMap<Uuid, OccupancyCounts> = BTreeMap::new();
        for (property, total) in totals {
            per_property.entry(uuid(&property)?).or_default().total = total as u32;
        }
        for (property, let_beds, noticed) in current {
            let counts = per_property.entry(uuid(&property)?).or_default();
            counts.occupied += let_beds as u32;
            counts.on_notice += noticed as u32;
        }
        for (property, let_beds, noticed) in on_retired {
            let counts = per_property.entry(uuid(&property)?).or_default();
            counts.occupied -= let_beds as u32;
            counts.on_notice -= noticed as u32;
        }
        for (property, beds) in reserved {
            per_property.entry(uuid(&property)?).or_default().reserved = beds as u32;
        }
        let mut overall = OccupancyCounts::default();
        for counts in per_property.values_mut() {
            counts.vacant = counts.total - counts.occupied - counts.reserved;
            overall.merge(counts);
        }
        Ok(OccupancyReport {
            on,
            overall,
            properties: per_property
                .into_iter()
                .filter(|(_, counts)| counts.total > 0)
                .map(|(property_id, counts)| PropertyOccupancy {
                    property_id,
                    counts,
                })
                .collect(),
        })
    }

    /// Every bed and every stay as the domain's occupancy rule reads them
    /// (for checking the store's counts against the rule).
    pub async fn occupancy_inputs(
        &self,
    ) -> StoreResult<(Vec<OccupancyBed>, Vec<OccupancyAllocation>)> {
        let bed_rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT b.id, r.property_id, b.retired_on FROM bed b JOIN room r ON r.id = b.room_id",
        )
        .fetch_all(self.pool())
        .await?;
        let allocation_rows: Vec<(String, String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT bed_id, move_in, move_out, notice_on FROM allocation")
                .fetch_all(self.pool())
                .await?;
        let beds = bed_rows
            .iter()
            .map(|(bed, property, retired)| {
                Ok(OccupancyBed {
                    bed_id: uuid(bed)?,
                    property_id: uuid(property)?,
                    retired_on: parse_iso_opt(retired.as_deref())?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let allocations = allocation_rows
            .iter()
            .map(|(bed, move_in, move_out, notice)| {
                Ok(OccupancyAllocation {
                    bed_id: uuid(bed)?,
                    move_in: parse_iso(move_in)?,
                    move_out: parse_iso_opt(move_out.as_deref())?,
                    notice_given_on: parse_iso_opt(notice.as_deref())?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((beds, allocations))
    }
}

/// One bed of the bed map on a day: its state and who is on it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BedOnDay {
    pub bed_id: String,
    pub label: String,
    pub status: multipms_domain::occupancy::BedStatus,
    /// The allocation running on the day (or the next one for a reserved bed).
    pub allocation_id: Option<String>,
    pub tenant_id: Option<String>,
    pub tenant_name: Option<String>,
    pub move_in: Option<String>,
    pub move_out: Option<String>,
}

/// A room of the bed map.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoomOnDay {
    pub room_id: String,
    pub number: String,
    pub floor: i64,
    pub floor_label: String,
    pub room_type: String,
    pub ac: bool,
    pub rent_per_bed_paise: i64,
    pub beds: Vec<BedOnDay>,
}

impl Store {
    /// The bed map of a property on `day`: every room in service, each bed's
    /// state by the domain's rule, and the tenant on it.
    pub async fn bed_board(
        &self,
        property_id: &str,
        day: NaiveDate,
    ) -> StoreResult<Vec<RoomOnDay>> {
        let day_iso = iso(day);
        let rooms = self.rooms(property_id).await?;
        type Row = (
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT a.id, a.bed_id, a.tenant_id, a.move_in, a.move_out, a.notice_on, t.full_name
             FROM allocation a JOIN bed b ON b.id = a.bed_id JOIN room r ON r.id = b.room_id
             JOIN tenant t ON t.id = a.tenant_id
             WHERE r.property_id = ? AND (a.move_out IS NULL OR a.move_out > ?)
             ORDER BY a.move_in",
        )
        .bind(property_id)
        .bind(&day_iso)
        .fetch_all(self.pool())
        .await?;
        let mut board = Vec::with_capacity(rooms.len());
        for room in rooms {
            if room
                .room
                .retired_on
                .as_deref()
                .is_some_and(|r| r <= day_iso.as_str())
            {
                continue;
            }
            let mut beds = Vec::new();
            for bed in &room.beds {
                let bed_uuid = uuid(&bed.id)?;
                let occupancy_bed = OccupancyBed {
                    bed_id: bed_uuid,
                    property_id: uuid(property_id)?,
                    retired_on: parse_iso_opt(bed.retired_on.as_deref())?,
                };
                let mine: Vec<&Row> = rows.iter().filter(|r| r.1 == bed.id).collect();
                let allocations = mine
                    .iter()
                    .map(|r| {
                        Ok(OccupancyAllocation {
                            bed_id: bed_uuid,
                            move_in: parse_iso(&r.3)?,
                            move_out: parse_iso_opt(r.4.as_deref())?,
                            notice_given_on: parse_iso_opt(r.5.as_deref())?,
                        })
                    })
                    .collect::<StoreResult<Vec<_>>>()?;
                let status =
                    multipms_domain::occupancy::bed_status_on(&occupancy_bed, &allocations, day);
                if status == BedStatus::Retired {
                    continue;
                }
                // The first running-or-future allocation is the one to show.
                let shown = mine.first();
                beds.push(BedOnDay {
                    bed_id: bed.id.clone(),
                    label: bed.label.clone(),
                    status,
                    allocation_id: shown.map(|r| r.0.clone()),
                    tenant_id: shown.map(|r| r.2.clone()),
                    tenant_name: shown.map(|r| r.6.clone()),
                    move_in: shown.map(|r| r.3.clone()),
                    move_out: shown.and_then(|r| r.4.clone()),
                });
            }
            board.push(RoomOnDay {
                room_id: room.room.id.clone(),
                number: room.room.number.clone(),
                floor: room.room.floor,
                floor_label: room.floor_label.clone(),
                room_type: room.room.room_type.clone(),
                ac: room.room.ac,
                rent_per_bed_paise: room.room.rent_per_bed_paise,
                beds,
            });
        }
        Ok(board)
    }
}
