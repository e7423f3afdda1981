//! Room sub-meter readings: one per room and billing month, each counting
//! the units since the room's previous reading. The bill (units × rate) and
//! its split among the room's occupants by nights present are the
//! domain's ([`bill_room`], [`split_among_occupants`]); the billing run
//! bills each occupant's share once.

use std::collections::HashSet;

use multipms_domain::billing::electricity::{bill_room, ElectricityShare};
use multipms_domain::billing::{BillingMonth, ElectricityBill, MeterReading, MeterUnits};
use multipms_domain::dates::{format_date, parse_date_labelled};
use multipms_domain::{DomainError, Paise};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::audit::{self, AuditEntry};
use crate::clock::{iso, new_id, now, parse_iso};
use crate::database::Store;
use crate::error::{StoreError, StoreResult};

/// What the meter reading form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MeterReadingInput {
    /// The billing month whose invoices carry it: `04/2026` or `2026-04`.
    pub month: String,
    /// Day the meter was read (DD/MM/YYYY); units up to this day count.
    pub reading_on: String,
    /// What the meter shows, in units with up to 2 decimals: `1320.5`.
    pub reading: String,
    /// Rupees a unit: `8` or `8.50`.
    pub rate_per_unit: String,
    /// The reading the units start from, with its day. Blank: the room's
    /// last reading. Required for a room's first reading, or to start again
    /// from a new meter.
    pub previous_on: Option<String>,
    pub previous_reading: Option<String>,
}

/// A room's reading as stored. Readings are hundredths of a unit
/// (`132050` is 1,320.50 units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct RoomMeterReading {
    pub id: String,
    pub room_id: String,
    /// `2026-04`.
    pub month: String,
    /// Start of the period, `YYYY-MM-DD`.
    pub previous_on: String,
    pub previous_units: i64,
    /// End of the period (the day of this reading).
    pub reading_on: String,
    pub reading_units: i64,
    /// Units consumed, in hundredths.
    pub units: i64,
    pub rate_per_unit_paise: i64,
    /// Units × rate, for the whole room.
    pub amount_paise: i64,
    pub created_at: String,
}

const READING_COLUMNS: &str = "id, room_id, month, previous_on, previous_units, reading_on, \
     reading_units, units, rate_per_unit_paise, amount_paise, created_at";

fn blank(value: Option<&str>) -> bool {
    value.is_none_or(|v| v.trim().is_empty())
}

fn units_of(value: i64) -> StoreResult<MeterUnits> {
    u64::try_from(value).map(MeterUnits).map_err(|_| {
        StoreError::Database(sqlx::Error::Decode(
            format!("meter reading {value} is out of range").into(),
        ))
    })
}

impl RoomMeterReading {
    /// The room's bill for the period, as the domain works it out.
    fn bill(&self) -> StoreResult<ElectricityBill> {
        Ok(bill_room(
            MeterReading {
                on: parse_iso(&self.previous_on)?,
                reading: units_of(self.previous_units)?,
            },
            MeterReading {
                on: parse_iso(&self.reading_on)?,
                reading: units_of(self.reading_units)?,
            },
            Paise(self.rate_per_unit_paise),
        )?)
    }
}

/// The domain names the reading's day `on`; the form calls it `reading_on`.
fn reading_field(e: DomainError) -> DomainError {
    match e {
        DomainError::Invalid { field, message } if field == "on" => DomainError::Invalid {
            field: "reading_on".into(),
            message,
        },
        other => other,
    }
}

impl Store {
    /// Records a room's meter reading for a billing month. The units count
    /// from the room's last reading (or from `previous_reading` on
    /// `previous_on`, which a room's first reading needs). Refuses a
    /// reading lower than the previous one (field `reading`), a day not
    /// after the previous reading (`reading_on`), a second reading for the
    /// month (`month`), and other bad input naming its field; nothing is
    /// written then.
    pub async fn record_meter_reading(
        &self,
        actor: &str,
        room_id: &str,
        input: &MeterReadingInput,
    ) -> StoreResult<RoomMeterReading> {
        let month = BillingMonth::parse(&input.month, "month")?;
        let reading_on = parse_date_labelled(&input.reading_on, "reading_on", "Reading date")?;
        let reading = MeterUnits::parse(&input.reading, "reading")?;
        if input.rate_per_unit.trim().is_empty() {
            return Err(DomainError::invalid(
                "rate_per_unit",
                "Rate per unit is required, in rupees, like 8.50",
            )
            .into());
        }
        let rate = Paise::from_rupees_str(&input.rate_per_unit, "rate_per_unit")?;
        let given_previous = match (
            blank(input.previous_on.as_deref()),
            blank(input.previous_reading.as_deref()),
        ) {
            (true, true) => None,
            (false, false) => Some(MeterReading {
                on: parse_date_labelled(
                    input.previous_on.as_deref().unwrap_or_default(),
                    "previous_on",
                    "Previous reading date",
                )?,
                reading: MeterUnits::parse(
                    input.previous_reading.as_deref().unwrap_or_default(),
                    "previous_reading",
                )?,
            }),
            (true, false) => {
                return Err(DomainError::invalid(
                    "previous_on",
                    "Enter the day of the previous reading",
                )
                .into())
            }
            (false, true) => {
                return Err(
                    DomainError::invalid("previous_reading", "Enter the previous reading").into(),
                )
            }
        };

        let mut tx = self.begin_write().await?;
        let room: Option<String> = sqlx::query_scalar("SELECT number FROM room WHERE id = ?")
            .bind(room_id)
            .fetch_optional(&mut *tx)
            .await?;
        let room = room.ok_or(DomainError::not_found("Room"))?;
        let last = sqlx::query_as::<_, RoomMeterReading>(sqlx::AssertSqlSafe(format!(
            "SELECT {READING_COLUMNS} FROM meter_reading WHERE room_id = ?
             ORDER BY reading_on DESC LIMIT 1"
        )))
        .bind(room_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(last) = &last {
            let last_month = BillingMonth::parse(&last.month, "month")?;
            if month <= last_month {
                return Err(DomainError::invalid(
                    "month",
                    format!(
                        "Room {room} already has a reading for {}; a new reading is for a later month",
                        last_month.label()
                    ),
                )
                .into());
            }
        }
        let previous = match (given_previous, &last) {
            (Some(given), Some(last)) => {
                let last_on = parse_iso(&last.reading_on)?;
                if given.on < last_on {
                    return Err(DomainError::invalid(
                        "previous_on",
                        format!(
                            "Previous reading date must be on or after room {room}'s last reading on {}",
                            format_date(last_on)
                        ),
                    )
                    .into());
                }
                given
            }
            (Some(given), None) => given,
            (None, Some(last)) => MeterReading {
                on: parse_iso(&last.reading_on)?,
                reading: units_of(last.reading_units)?,
            },
            (None, None) => {
                return Err(DomainError::invalid(
                    "previous_reading",
                    format!(
                        "Room {room} has no earlier reading: enter the reading the units start from and its day"
                    ),
                )
                .into())
            }
        };
        let bill = bill_room(
            previous,
            MeterReading {
                on: reading_on,
                reading,
            },
            rate,
        )
        .map_err(reading_field)?;
        let as_i64 = |u: MeterUnits| i64::try_from(u.0).unwrap_or(i64::MAX);
        let after = RoomMeterReading {
            id: new_id(),
            room_id: room_id.to_string(),
            month: month.key(),
            previous_on: iso(previous.on),
            previous_units: as_i64(previous.reading),
            reading_on: iso(reading_on),
            reading_units: as_i64(reading),
            units: as_i64(bill.units),
            rate_per_unit_paise: rate.as_i64(),
            amount_paise: bill.amount.as_i64(),
            created_at: now(),
        };
        sqlx::query(
            "INSERT INTO meter_reading (id, room_id, month, previous_on, previous_units, reading_on,
                reading_units, units, rate_per_unit_paise, amount_paise, desk_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&after.id)
        .bind(&after.room_id)
        .bind(&after.month)
        .bind(&after.previous_on)
        .bind(after.previous_units)
        .bind(&after.reading_on)
        .bind(after.reading_units)
        .bind(after.units)
        .bind(after.rate_per_unit_paise)
        .bind(after.amount_paise)
        .bind(self.desk_id())
        .bind(&after.created_at)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "meter_reading",
                entity_id: &after.id,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A room's readings, oldest first.
    pub async fn meter_readings(&self, room_id: &str) -> StoreResult<Vec<RoomMeterReading>> {
        Ok(
            sqlx::query_as::<_, RoomMeterReading>(sqlx::AssertSqlSafe(format!(
                "SELECT {READING_COLUMNS} FROM meter_reading WHERE room_id = ? ORDER BY reading_on"
            )))
            .bind(room_id)
            .fetch_all(self.pool())
            .await?,
        )
    }

    /// The readings of a property's rooms for a billing month.
    pub async fn meter_readings_for_month(
        &self,
        property_id: &str,
        month: BillingMonth,
    ) -> StoreResult<Vec<RoomMeterReading>> {
        Ok(sqlx::query_as::<_, RoomMeterReading>(
            "SELECT m.id, m.room_id, m.month, m.previous_on, m.previous_units, m.reading_on,
                    m.reading_units, m.units, m.rate_per_unit_paise, m.amount_paise, m.created_at
             FROM meter_reading m JOIN room r ON r.id = m.room_id
             WHERE r.property_id = ? AND m.month = ?
             ORDER BY r.floor, r.number",
        )
        .bind(property_id)
        .bind(month.key())
        .fetch_all(self.pool())
        .await?)
    }
}

/// A reading a billing run may bill, with its room's bill.
pub(crate) struct ReadingToBill {
    pub id: String,
    pub room_id: String,
    pub bill: ElectricityBill,
}

/// The readings of a property's rooms for `month` and earlier (a share not
/// billed in its own month, because the occupant's invoice was already
/// issued, is billed with the next one).
pub(crate) async fn readings_to_bill(
    conn: &mut SqliteConnection,
    property_id: &str,
    month: BillingMonth,
) -> StoreResult<Vec<ReadingToBill>> {
    let rows = sqlx::query_as::<_, RoomMeterReading>(
        "SELECT m.id, m.room_id, m.month, m.previous_on, m.previous_units, m.reading_on,
                m.reading_units, m.units, m.rate_per_unit_paise, m.amount_paise, m.created_at
         FROM meter_reading m JOIN room r ON r.id = m.room_id
         WHERE r.property_id = ? AND m.month <= ?
         ORDER BY m.reading_on, m.rowid",
    )
    .bind(property_id)
    .bind(month.key())
    .fetch_all(&mut *conn)
    .await?;
    let mut readings = Vec::with_capacity(rows.len());
    for row in rows {
        readings.push(ReadingToBill {
            bill: row.bill()?,
            id: row.id,
            room_id: row.room_id,
        });
    }
    Ok(readings)
}

/// (reading, contract) pairs of the property already billed on a standing
/// invoice.
pub(crate) async fn shares_billed(
    conn: &mut SqliteConnection,
    property_id: &str,
    month: BillingMonth,
) -> StoreResult<HashSet<(String, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.meter_reading_id, s.contract_id
         FROM electricity_share s
         JOIN meter_reading m ON m.id = s.meter_reading_id
         JOIN room r ON r.id = m.room_id
         JOIN invoice i ON i.id = s.invoice_id
         WHERE r.property_id = ? AND m.month <= ? AND i.status = 'issued'",
    )
    .bind(property_id)
    .bind(month.key())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Records that `share` of reading `reading_id` is billed on `invoice_id`.
pub(crate) async fn record_share(
    conn: &mut SqliteConnection,
    reading_id: &str,
    share: &ElectricityShare,
    invoice_id: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO electricity_share (meter_reading_id, contract_id, invoice_id, nights,
            room_nights, amount_paise)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(reading_id)
    .bind(share.contract_id.to_string())
    .bind(invoice_id)
    .bind(i64::from(share.nights))
    .bind(i64::from(share.room_nights))
    .bind(share.amount.as_i64())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
