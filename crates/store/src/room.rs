//! Rooms and their beds.

use chrono::NaiveDate;
use multipms_domain::allocation::ExistingAllocation;
use multipms_domain::bed::{check_can_retire, default_bed_labels, BedInput};
use multipms_domain::room::{floor_label, RoomInput};
use multipms_domain::DomainError;
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::audit::{self, AuditEntry};
use crate::clock::{iso, new_id, now, parse_iso, parse_iso_opt};
use crate::database::Store;
use crate::error::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Room {
    pub id: String,
    pub property_id: String,
    pub floor: i64,
    pub number: String,
    pub room_type: String,
    pub sharing: i64,
    pub ac: bool,
    pub rent_per_bed_paise: i64,
    pub retired_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Bed {
    pub id: String,
    pub room_id: String,
    pub label: String,
    pub retired_on: Option<String>,
}

/// A room with its beds, as the screens list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomWithBeds {
    #[serde(flatten)]
    pub room: Room,
    pub floor_label: String,
    pub beds: Vec<Bed>,
}

async fn load_room(conn: &mut SqliteConnection, id: &str) -> StoreResult<Room> {
    sqlx::query_as::<_, Room>(
        "SELECT id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise, retired_on
         FROM room WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| DomainError::not_found("Room").into())
}

pub(crate) async fn load_bed(conn: &mut SqliteConnection, id: &str) -> StoreResult<Bed> {
    sqlx::query_as::<_, Bed>("SELECT id, room_id, label, retired_on FROM bed WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Bed").into())
}

/// The allocations of a bed, as the overlap and retire rules need them.
/// `except` leaves out the allocation being changed.
pub(crate) async fn bed_allocations(
    conn: &mut SqliteConnection,
    bed_id: &str,
    except: Option<&str>,
) -> StoreResult<Vec<ExistingAllocation>> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT r.number, b.label, t.full_name, a.move_in, a.move_out
         FROM allocation a JOIN bed b ON b.id = a.bed_id JOIN room r ON r.id = b.room_id
         JOIN tenant t ON t.id = a.tenant_id
         WHERE a.bed_id = ? AND a.id IS NOT ?",
    )
    .bind(bed_id)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(room, bed, tenant, move_in, move_out)| {
            Ok(ExistingAllocation {
                bed_label: bed_display(&room, &bed),
                tenant_name: tenant,
                move_in: parse_iso(&move_in)?,
                move_out: parse_iso_opt(move_out.as_deref())?,
            })
        })
        .collect()
}

/// How people name a bed: its label, which by default already carries the
/// room number (`204-A`); a bare label gets the room in front.
pub(crate) fn bed_display(room_number: &str, bed_label: &str) -> String {
    if bed_label.starts_with(room_number) {
        bed_label.to_string()
    } else {
        format!("{room_number}-{bed_label}")
    }
}

impl Store {
    /// The rooms of a property with their beds, by floor and number.
    pub async fn rooms(&self, property_id: &str) -> StoreResult<Vec<RoomWithBeds>> {
        let rooms = sqlx::query_as::<_, Room>(
            "SELECT id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise, retired_on
             FROM room WHERE property_id = ? ORDER BY floor, number",
        )
        .bind(property_id)
        .fetch_all(self.pool())
        .await?;
        let beds = sqlx::query_as::<_, Bed>(
            "SELECT b.id, b.room_id, b.label, b.retired_on FROM bed b JOIN room r ON r.id = b.room_id
             WHERE r.property_id = ? ORDER BY b.label",
        )
        .bind(property_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rooms
            .into_iter()
            .map(|room| RoomWithBeds {
                floor_label: floor_label(room.floor as i16),
                beds: beds
                    .iter()
                    .filter(|b| b.room_id == room.id)
                    .cloned()
                    .collect(),
                room,
            })
            .collect())
    }

    /// Adds a room to a property with one bed per sharing place.
    pub async fn create_room(
        &self,
        actor: &str,
        property_id: &str,
        input: &RoomInput,
    ) -> StoreResult<RoomWithBeds> {
        let details = input.validate()?;
        let mut tx = self.begin_write().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM property WHERE id = ?")
            .bind(property_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(DomainError::not_found("Property").into());
        }
        ensure_number_free(&mut tx, property_id, &details.room_number, None).await?;
        let stamp = now();
        let room = Room {
            id: new_id(),
            property_id: property_id.to_string(),
            floor: i64::from(details.floor),
            number: details.room_number.clone(),
            room_type: details.room_type.code().to_string(),
            sharing: i64::from(details.sharing),
            ac: details.ac,
            rent_per_bed_paise: details.rent_per_bed.as_i64(),
            retired_on: None,
        };
        sqlx::query(
            "INSERT INTO room (id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&room.id)
        .bind(&room.property_id)
        .bind(room.floor)
        .bind(&room.number)
        .bind(&room.room_type)
        .bind(room.sharing)
        .bind(room.ac)
        .bind(room.rent_per_bed_paise)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        let mut beds = Vec::new();
        for label in default_bed_labels(&room.number, details.sharing) {
            let bed = Bed {
                id: new_id(),
                room_id: room.id.clone(),
                label,
                retired_on: None,
            };
            insert_bed(&mut tx, &bed, &stamp).await?;
            beds.push(bed);
        }
        let after = RoomWithBeds {
            floor_label: floor_label(details.floor),
            room,
            beds,
        };
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "room",
                entity_id: &after.room.id,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Edits a room's number, floor, type, AC and rent. Sharing changes by
    /// adding or retiring beds.
    pub async fn update_room(
        &self,
        actor: &str,
        room_id: &str,
        input: &RoomInput,
    ) -> StoreResult<Room> {
        let details = input.validate()?;
        let mut tx = self.begin_write().await?;
        let before = load_room(&mut tx, room_id).await?;
        ensure_number_free(
            &mut tx,
            &before.property_id,
            &details.room_number,
            Some(room_id),
        )
        .await?;
        let after = Room {
            floor: i64::from(details.floor),
            number: details.room_number,
            room_type: details.room_type.code().to_string(),
            ac: details.ac,
            rent_per_bed_paise: details.rent_per_bed.as_i64(),
            ..before.clone()
        };
        sqlx::query(
            "UPDATE room SET floor = ?, number = ?, room_type = ?, ac = ?, rent_per_bed_paise = ?, updated_at = ? WHERE id = ?",
        )
        .bind(after.floor)
        .bind(&after.number)
        .bind(&after.room_type)
        .bind(after.ac)
        .bind(after.rent_per_bed_paise)
        .bind(now())
        .bind(room_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "update",
                entity: "room",
                entity_id: room_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Takes a room out of service from `on`, with all its beds; refused
    /// while any bed has a tenant on or after that day.
    pub async fn retire_room(&self, actor: &str, room_id: &str, on: NaiveDate) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = load_room(&mut tx, room_id).await?;
        let bed_ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM bed WHERE room_id = ? AND retired_on IS NULL")
                .bind(room_id)
                .fetch_all(&mut *tx)
                .await?;
        for bed_id in &bed_ids {
            let allocations = bed_allocations(&mut tx, bed_id, None).await?;
            check_can_retire(on, &allocations)?;
        }
        let stamp = now();
        sqlx::query(
            "UPDATE bed SET retired_on = ?, updated_at = ? WHERE room_id = ? AND retired_on IS NULL",
        )
        .bind(iso(on))
        .bind(&stamp)
        .bind(room_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE room SET retired_on = ?, updated_at = ? WHERE id = ?")
            .bind(iso(on))
            .bind(&stamp)
            .bind(room_id)
            .execute(&mut *tx)
            .await?;
        let after = Room {
            retired_on: Some(iso(on)),
            ..before.clone()
        };
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "retire",
                entity: "room",
                entity_id: room_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds one bed to a room.
    pub async fn add_bed(&self, actor: &str, room_id: &str, input: &BedInput) -> StoreResult<Bed> {
        let details = input.validate()?;
        let mut tx = self.begin_write().await?;
        let room = load_room(&mut tx, room_id).await?;
        ensure_label_free(&mut tx, room_id, &details.label, None).await?;
        let bed = Bed {
            id: new_id(),
            room_id: room.id.clone(),
            label: details.label,
            retired_on: None,
        };
        insert_bed(&mut tx, &bed, &now()).await?;
        sqlx::query(
            "UPDATE room SET sharing = (SELECT count(*) FROM bed WHERE room_id = ? AND retired_on IS NULL) WHERE id = ?",
        )
        .bind(room_id)
        .bind(room_id)
        .execute(&mut *tx)
        .await
        .map_err(|_| {
            DomainError::invalid(
                "label",
                "A room can have at most 6 beds; retire one before adding another",
            )
        })?;
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "bed",
                entity_id: &bed.id,
                before: None,
                after: Some(&bed),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(bed)
    }

    /// Renames a bed.
    pub async fn rename_bed(
        &self,
        actor: &str,
        bed_id: &str,
        input: &BedInput,
    ) -> StoreResult<Bed> {
        let details = input.validate()?;
        let mut tx = self.begin_write().await?;
        let before = load_bed(&mut tx, bed_id).await?;
        ensure_label_free(&mut tx, &before.room_id, &details.label, Some(bed_id)).await?;
        sqlx::query("UPDATE bed SET label = ?, updated_at = ? WHERE id = ?")
            .bind(&details.label)
            .bind(now())
            .bind(bed_id)
            .execute(&mut *tx)
            .await?;
        let after = Bed {
            label: details.label,
            ..before.clone()
        };
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "update",
                entity: "bed",
                entity_id: bed_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        crate::search::refresh_bed(&mut tx, bed_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Takes a bed out of service from `on`; refused while it has a tenant
    /// on or after that day.
    pub async fn retire_bed(&self, actor: &str, bed_id: &str, on: NaiveDate) -> StoreResult<Bed> {
        let mut tx = self.begin_write().await?;
        let before = load_bed(&mut tx, bed_id).await?;
        let allocations = bed_allocations(&mut tx, bed_id, None).await?;
        check_can_retire(on, &allocations)?;
        sqlx::query("UPDATE bed SET retired_on = ?, updated_at = ? WHERE id = ?")
            .bind(iso(on))
            .bind(now())
            .bind(bed_id)
            .execute(&mut *tx)
            .await?;
        let after = Bed {
            retired_on: Some(iso(on)),
            ..before.clone()
        };
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "retire",
                entity: "bed",
                entity_id: bed_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

async fn insert_bed(conn: &mut SqliteConnection, bed: &Bed, stamp: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO bed (id, room_id, label, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&bed.id)
    .bind(&bed.room_id)
    .bind(&bed.label)
    .bind(stamp)
    .bind(stamp)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn ensure_number_free(
    conn: &mut SqliteConnection,
    property_id: &str,
    number: &str,
    except: Option<&str>,
) -> StoreResult<()> {
    let taken: Option<String> = sqlx::query_scalar(
        "SELECT id FROM room WHERE property_id = ? AND number = ? AND id IS NOT ?",
    )
    .bind(property_id)
    .bind(number)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    match taken {
        Some(_) => Err(DomainError::invalid(
            "room_number",
            format!("Room {number} already exists in this property"),
        )
        .into()),
        None => Ok(()),
    }
}

async fn ensure_label_free(
    conn: &mut SqliteConnection,
    room_id: &str,
    label: &str,
    except: Option<&str>,
) -> StoreResult<()> {
    let taken: Option<String> =
        sqlx::query_scalar("SELECT id FROM bed WHERE room_id = ? AND label = ? AND id IS NOT ?")
            .bind(room_id)
            .bind(label)
            .bind(except)
            .fetch_optional(&mut *conn)
            .await?;
    match taken {
        Some(_) => Err(DomainError::invalid(
            "label",
            format!("This room already has a bed labelled {label}"),
        )
        .into()),
        None => Ok(()),
    }
}
