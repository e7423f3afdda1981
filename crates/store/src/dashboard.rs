//! The owner's first screen in figures: occupancy today and at each of the
//! last twelve month-ends, billed against collected per month, dues with
//! arrears ageing, who moves in or out this week, and beds out of service —
//! for one property or the whole business.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use multipms_domain::occupancy::OccupancyCounts;
use serde::Serialize;

use crate::clock::iso;
use crate::database::Store;
use crate::error::StoreResult;
use crate::ledger::AgeingBuckets;

/// How many months the charts cover.
pub const DASHBOARD_MONTHS: u32 = 12;

/// Let beds against beds in service at a month's end (or today, for this
/// month).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthOccupancy {
    /// `YYYY-MM`.
    pub month: String,
    pub on: String,
    pub beds: i64,
    pub occupied: i64,
}

/// What was invoiced for a month and what was collected in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthMoney {
    /// `YYYY-MM`.
    pub month: String,
    /// Issued invoices of the month (cancelled ones left out).
    pub billed_paise: i64,
    /// Payments made in the month that still stand (reversed payments and
    /// bounced cheques left out; deposits are not income).
    pub collected_paise: i64,
}

/// A stay that starts or ends this week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Movement {
    pub tenant_id: String,
    pub full_name: String,
    pub property_name: String,
    pub room: String,
    pub bed: String,
    pub on: String,
}

/// Dues in total, with ageing, and how many tenants owe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesSummary {
    pub tenants_owing: i64,
    pub ageing: AgeingBuckets,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub as_of: String,
    /// The property shown, or `None` for all of them.
    pub property_id: Option<String>,
    pub occupancy: OccupancyCounts,
    /// Oldest month first; the last is this month, as of today.
    pub occupancy_history: Vec<MonthOccupancy>,
    /// Oldest month first.
    pub money: Vec<MonthMoney>,
    /// Move-ins from today to six days on, soonest first.
    pub moving_in: Vec<Movement>,
    /// Move-outs from today to six days on, soonest first.
    pub moving_out: Vec<Movement>,
    /// Beds out of service today (blocked for maintenance).
    pub beds_out_of_service: i64,
}

/// The month-ends the occupancy chart reads: the last day of each of the
/// eleven months before `today`'s, then `today`. Oldest first.
fn month_ends(today: NaiveDate) -> Vec<NaiveDate> {
    let first_of_month = today.with_day(1).unwrap_or(today);
    let mut days: Vec<NaiveDate> = (1..DASHBOARD_MONTHS)
        .rev()
        .filter_map(|back| {
            first_of_month
                .checked_sub_months(Months::new(back - 1))
                .and_then(|d| d.pred_opt())
        })
        .collect();
    days.push(today);
    days
}

fn month_key(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

impl Store {
    /// The dashboard as of `today`, for `property_id` or every property.
    pub async fn dashboard(
        &self,
        property_id: Option<&str>,
        today: NaiveDate,
    ) -> StoreResult<Dashboard> {
        let report = self.occupancy(today).await?;
        let occupancy = match property_id {
            None => report.overall,
            Some(id) => report
                .properties
                .iter()
                .find(|p| p.property_id.to_string() == id)
                .map(|p| p.counts)
                .unwrap_or_default(),
        };

        let mut conn = self.pool().acquire().await?;
        // The beds and the occupied ones on each of the twelve days, counted
        // here from the stays that overlap the year and the beds retired:
        // one read of each (counting in SQL day by day went through 56,000
        // beds and 62,000 stays twelve times: 0.5 s).
        let ends = month_ends(today);
        let (first_day, last_day) = (
            ends.first().map(|d| iso(*d)).unwrap_or_default(),
            ends.last().map(|d| iso(*d)).unwrap_or_default(),
        );
        let stays: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT a.move_in, a.move_out, b.retired_on
             FROM allocation a JOIN bed b ON b.id = a.bed_id
             WHERE (?1 IS NULL OR a.property_id = ?1)
               AND a.move_in <= ?3 AND (a.move_out IS NULL OR a.move_out > ?2)",
        )
        .bind(property_id)
        .bind(&first_day)
        .bind(&last_day)
        .fetch_all(&mut *conn)
        .await?;
        let all_beds: i64 =
            sqlx::query_scalar("SELECT count(*) FROM bed WHERE (?1 IS NULL OR property_id = ?1)")
                .bind(property_id)
                .fetch_one(&mut *conn)
                .await?;
        let retired: Vec<String> = sqlx::query_scalar(
            "SELECT retired_on FROM bed
             WHERE retired_on IS NOT NULL AND (?1 IS NULL OR property_id = ?1)",
        )
        .bind(property_id)
        .fetch_all(&mut *conn)
        .await?;
        // A bed counts until the day it is retired; a stay from its first
        // night to the night before it ends, on a bed still in service.
        let in_service = |on: &str, retired_on: Option<&str>| retired_on.is_none_or(|r| r > on);
        let beds_on = |on: &str| {
            all_beds
                - retired
                    .iter()
                    .filter(|r| !in_service(on, Some(r.as_str())))
                    .count() as i64
        };
        let occupied_on = |on: &str| {
            stays
                .iter()
                .filter(|(move_in, move_out, retired_on)| {
                    move_in.as_str() <= on
                        && move_out.as_deref().is_none_or(|out| out > on)
                        && in_service(on, retired_on.as_deref())
                })
                .count() as i64
        };
        let occupancy_history: Vec<MonthOccupancy> = ends
            .iter()
            .map(|day| {
                let on = iso(*day);
                MonthOccupancy {
                    month: month_key(*day),
                    beds: beds_on(&on),
                    occupied: occupied_on(&on),
                    on,
                }
            })
            .collect();

        let first_month = occupancy_history
            .first()
            .map(|m| m.month.clone())
            .unwrap_or_default();
        let mut money: BTreeMap<String, MonthMoney> = occupancy_history
            .iter()
            .map(|m| {
                (
                    m.month.clone(),
                    MonthMoney {
                        month: m.month.clone(),
                        billed_paise: 0,
                        collected_paise: 0,
                    },
                )
            })
            .collect();
        // One query per scope: "?2 IS NULL OR property_id = ?2" keeps
        // SQLite from using either index.
        let billed: Vec<(String, i64)> = match property_id {
            None => {
                sqlx::query_as(
                    "SELECT month, sum(total_paise) FROM invoice
                     WHERE month >= ?1 AND status = 'issued' GROUP BY month",
                )
                .bind(&first_month)
                .fetch_all(&mut *conn)
                .await?
            }
            Some(id) => {
                sqlx::query_as(
                    "SELECT month, sum(total_paise) FROM invoice
                     WHERE property_id = ?2 AND month >= ?1 AND status = 'issued' GROUP BY month",
                )
                .bind(&first_month)
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
            }
        };
        // For one property, what was applied to its invoices; for the whole
        // business, every payment (credit not yet applied included).
        let collected: Vec<(String, i64)> = match property_id {
            None => {
                // Month by month, each a range of the covering index on the
                // day paid (migration 0018); grouping a year of payments by
                // month took three times as long.
                let months =
                    serde_json::to_string(&money.keys().collect::<Vec<_>>()).map_err(|e| {
                        crate::error::StoreError::Database(sqlx::Error::Encode(Box::new(e)))
                    })?;
                sqlx::query_as(
                    "WITH months(m) AS (SELECT value FROM json_each(?1))
                     SELECT m, coalesce((SELECT sum(amount_paise) FROM payment
                         WHERE paid_on BETWEEN m || '-01' AND m || '-31'
                           AND purpose = 'dues' AND reversed_on IS NULL
                           AND (cheque_state IS NULL OR cheque_state <> 'bounced')), 0)
                     FROM months",
                )
                .bind(&months)
                .fetch_all(&mut *conn)
                .await?
            }
            Some(id) => {
                sqlx::query_as(
                    "SELECT substr(p.paid_on, 1, 7) AS m, sum(pa.amount_paise)
                 FROM invoice i
                 CROSS JOIN payment_allocation pa ON pa.invoice_id = i.id
                 CROSS JOIN payment p ON p.id = pa.payment_id
                 WHERE i.property_id = ?2 AND p.purpose = 'dues' AND p.reversed_on IS NULL
                   AND (p.cheque_state IS NULL OR p.cheque_state <> 'bounced')
                   AND p.paid_on >= ?1 || '-01'
                 GROUP BY m",
                )
                .bind(&first_month)
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
            }
        };
        for (month, paise) in billed {
            if let Some(m) = money.get_mut(&month) {
                m.billed_paise = paise;
            }
        }
        for (month, paise) in collected {
            if let Some(m) = money.get_mut(&month) {
                m.collected_paise = paise;
            }
        }

        let week_end = iso(today + chrono::Days::new(6));
        let day = iso(today);
        let movements = |column: &str| {
            format!(
                "SELECT t.id AS tenant_id, t.full_name, p.name AS property_name, r.number AS room,
                        b.label AS bed, a.{column} AS on_day
                 FROM allocation a
                 JOIN tenant t ON t.id = a.tenant_id
                 JOIN bed b ON b.id = a.bed_id
                 JOIN room r ON r.id = b.room_id
                 JOIN property p ON p.id = r.property_id
                 WHERE a.{column} BETWEEN ?1 AND ?2 AND (?3 IS NULL OR a.property_id = ?3)
                 ORDER BY a.{column}, t.full_name
                 LIMIT 50"
            )
        };
        let mut moves = Vec::with_capacity(2);
        for column in ["move_in", "move_out"] {
            let rows: Vec<(String, String, String, String, String, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(movements(column)))
                    .bind(&day)
                    .bind(&week_end)
                    .bind(property_id)
                    .fetch_all(&mut *conn)
                    .await?;
            moves.push(
                rows.into_iter()
                    .map(
                        |(tenant_id, full_name, property_name, room, bed, on)| Movement {
                            tenant_id,
                            full_name,
                            property_name,
                            room,
                            bed,
                            on,
                        },
                    )
                    .collect::<Vec<_>>(),
            );
        }
        let moving_out = moves.pop().unwrap_or_default();
        let moving_in = moves.pop().unwrap_or_default();

        let beds_out_of_service: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM bed
             WHERE retired_on IS NOT NULL AND retired_on <= ?1 AND (?2 IS NULL OR property_id = ?2)",
        )
        .bind(&day)
        .bind(property_id)
        .fetch_one(&mut *conn)
        .await?;

        drop(conn);
        Ok(Dashboard {
            as_of: day,
            property_id: property_id.map(str::to_string),
            occupancy,
            occupancy_history,
            money: money.into_values().collect(),
            moving_in,
            moving_out,
            beds_out_of_service,
        })
    }

    /// Dues with ageing for the dashboard, for `property_id` (tenants who
    /// ever stayed there) or everyone. Asked apart from [`Store::dashboard`]
    /// so the screen shows its other figures first (it once replayed the
    /// whole ledger; see `dues.rs` for how it is read now).
    pub async fn dues_summary(
        &self,
        property_id: Option<&str>,
        today: NaiveDate,
    ) -> StoreResult<DuesSummary> {
        let mut conn = self.pool().acquire().await?;
        // Dues of the tenants who ever stayed in the property (or all).
        let scope: Option<HashSet<String>> = match property_id {
            None => None,
            Some(id) => Some(
                sqlx::query_scalar::<_, String>(
                    "SELECT DISTINCT tenant_id FROM allocation WHERE property_id = ?",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect(),
            ),
        };
        let report = self.dues_with_ageing(today).await?;
        let mut ageing = AgeingBuckets::default();
        let mut tenants_owing = 0;
        for t in report
            .tenants
            .iter()
            .filter(|t| scope.as_ref().is_none_or(|s| s.contains(&t.tenant_id)))
        {
            if t.outstanding_paise > 0 {
                tenants_owing += 1;
            }
            ageing.not_yet_due_paise += t.ageing.not_yet_due_paise;
            ageing.days_0_30_paise += t.ageing.days_0_30_paise;
            ageing.days_31_60_paise += t.ageing.days_31_60_paise;
            ageing.days_61_90_paise += t.ageing.days_61_90_paise;
            ageing.over_90_paise += t.ageing.over_90_paise;
            ageing.total_paise += t.ageing.total_paise;
        }

        Ok(DuesSummary {
            tenants_owing,
            ageing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends_run_back_eleven_months_then_today() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ends = month_ends(d("2026-03-15"));
        assert_eq!(ends.len(), 12);
        assert_eq!(ends[0], d("2025-04-30"));
        assert_eq!(ends[10], d("2026-02-28"));
        assert_eq!(ends[11], d("2026-03-15"));
    }
}
