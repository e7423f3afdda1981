//! Refusals a person at a front desk can read: records named by what people
//! see (bed B in room 204 of Sunrise PG, Ravi Sharma, receipt RC-A/26-27/
//! 00012), dates as DD/MM/YYYY, and the time in India (UTC+05:30) at which
//! the record in the way was sent.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use multipms_domain::dates::{format_date, month_name};
use uuid::Uuid;

use super::rules::{describe, text_of, Data};
use super::schema::{entity, Entity, Reference, UniqueRule};
use super::world::World;
use crate::db::OrgTx;
use crate::error::ApiResult;

/// `2026-12-01` as `01/12/2026` (anything else as it is).
pub fn show_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_string(), format_date)
}

/// `2026-11` as `November 2026`.
pub fn show_month(month: &str) -> String {
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y, month_name(m.parse().ok()?)?)));
    match parsed {
        Some((year, name)) => format!("{name} {year}"),
        None => month.to_string(),
    }
}

/// An instant as India reads it: `10:42 on 30/11/2026`.
pub fn show_instant(at: DateTime<Utc>) -> String {
    let local = (at + Duration::minutes(330)).naive_utc();
    format!("{} on {}", local.format("%H:%M"), format_date(local.date()))
}

/// How a record's current state came, from the operation that made it:
/// "from another desk at 10:42 on 30/11/2026", "from this desk at …",
/// "earlier in this same change"; empty when unknown.
pub async fn sent(world: &mut World, tx: &mut OrgTx, made_by: Option<Uuid>) -> ApiResult<String> {
    let Some(op_id) = made_by else {
        return Ok(String::new());
    };
    if op_id == world.op_id {
        return Ok("earlier in this same change".into());
    }
    Ok(match world.answered(tx, op_id).await? {
        Some((at, desk)) if desk == world.desk_id => {
            format!("from this desk at {}", show_instant(at))
        }
        Some((at, _)) => format!("from another desk at {}", show_instant(at)),
        None => String::new(),
    })
}

/// " (from another desk at …)", or nothing when unknown.
async fn sent_note(world: &mut World, tx: &mut OrgTx, made_by: Option<Uuid>) -> ApiResult<String> {
    let how = sent(world, tx, made_by).await?;
    Ok(if how.is_empty() {
        String::new()
    } else {
        format!(" ({how})")
    })
}

/// A tenant's name, by id.
async fn tenant_name(world: &mut World, tx: &mut OrgTx, id: Option<String>) -> ApiResult<String> {
    Ok(world
        .fetch(tx, "tenant", id)
        .await?
        .and_then(|t| text_of(&t, "full_name"))
        .unwrap_or_else(|| "a tenant".into()))
}

/// "room 204 (Sunrise PG)" of a room id.
async fn room_words(
    world: &mut World,
    tx: &mut OrgTx,
    room_id: Option<String>,
) -> ApiResult<String> {
    let Some(room) = world.fetch(tx, "room", room_id).await? else {
        return Ok("a room".into());
    };
    let number = text_of(&room, "number").unwrap_or_default();
    let property = world
        .fetch(tx, "property", text_of(&room, "property_id"))
        .await?
        .and_then(|p| text_of(&p, "name"));
    Ok(match property {
        Some(name) => format!("room {number} ({name})"),
        None => format!("room {number}"),
    })
}

/// "Bed B in room 204 (Sunrise PG)" of a bed.
async fn bed_words(world: &mut World, tx: &mut OrgTx, bed: &Data) -> ApiResult<String> {
    let label = text_of(bed, "label").unwrap_or_default();
    let room = room_words(world, tx, text_of(bed, "room_id")).await?;
    Ok(format!("Bed {label} in {room}"))
}

/// A record named by what people see, looking up what it names.
pub async fn label(
    world: &mut World,
    tx: &mut OrgTx,
    e: &Entity,
    data: &Data,
) -> ApiResult<String> {
    Ok(match e.name {
        "bed" => bed_words(world, tx, data).await?,
        "room" => {
            // A room being sent may not be stored yet: named from its own
            // columns.
            let number = text_of(data, "number").unwrap_or_default();
            let property = world
                .fetch(tx, "property", text_of(data, "property_id"))
                .await?
                .and_then(|p| text_of(&p, "name"));
            match property {
                Some(name) => format!("Room {number} ({name})"),
                None => format!("Room {number}"),
            }
        }
        "allocation" => {
            let tenant = tenant_name(world, tx, text_of(data, "tenant_id")).await?;
            format!("The stay of {tenant}")
        }
        "contract" => {
            let stay = world
                .fetch(tx, "allocation", text_of(data, "allocation_id"))
                .await?;
            let tenant =
                tenant_name(world, tx, stay.and_then(|s| text_of(&s, "tenant_id"))).await?;
            format!("The contract of {tenant}")
        }
        "invoice_line" => {
            let number = world
                .fetch(tx, "invoice", text_of(data, "invoice_id"))
                .await?
                .and_then(|i| text_of(&i, "number"))
                .unwrap_or_default();
            format!(
                "Line {} of invoice {number}",
                text_of(data, "position").unwrap_or_default()
            )
        }
        "meter_reading" => {
            let room = room_words(world, tx, text_of(data, "room_id")).await?;
            format!(
                "The meter reading of {room} for {}",
                show_month(&text_of(data, "month").unwrap_or_default())
            )
        }
        _ => describe(e, data),
    })
}

/// "Room 204 refers to a property the server does not have".
pub async fn missing_reference(
    world: &mut World,
    tx: &mut OrgTx,
    e: &Entity,
    data: &Data,
    reference: &Reference,
) -> ApiResult<String> {
    let what = label(world, tx, e, data).await?;
    let target = entity(reference.target).map_or(reference.target, |t| t.noun);
    Ok(format!(
        "{what} refers to a {target} the server does not have"
    ))
}

/// `other` (made by operation `made_by`) in the way of
/// `data` under one of the desk's UNIQUE constraints.
pub async fn duplicate(
    world: &mut World,
    tx: &mut OrgTx,
    rule: &UniqueRule,
    data: &Data,
    other: &Data,
    made_by: Option<Uuid>,
) -> ApiResult<String> {
    let mine = |c: &str| text_of(data, c).unwrap_or_default();
    let theirs = |c: &str| text_of(other, c).unwrap_or_default();
    let note = sent_note(world, tx, made_by).await?;
    Ok(match rule.index {
        "sync_property_code" => format!(
            "Property code {} is already used by {}{note}.",
            mine("code"),
            theirs("name")
        ),
        "sync_room_number" => {
            let property = world
                .fetch(tx, "property", text_of(data, "property_id"))
                .await?
                .and_then(|p| text_of(&p, "name"))
                .unwrap_or_else(|| "this property".into());
            format!(
                "Room {} already exists in {property}{note}.",
                mine("number")
            )
        }
        "sync_bed_label" => {
            let room = room_words(world, tx, text_of(data, "room_id")).await?;
            format!("Bed {} already exists in {room}{note}.", mine("label"))
        }
        "sync_contract_allocation" => {
            let stay = world
                .fetch(tx, "allocation", text_of(data, "allocation_id"))
                .await?;
            let tenant = tenant_name(world, tx, stay.and_then(|s| text_of(&s, "tenant_id"))).await?;
            format!("This stay of {tenant} already has a contract{note}.")
        }
        "sync_invoice_series_prefix" | "sync_receipt_series_prefix" => format!(
            "The prefix {} is already used by another series{note}; each desk numbers in a series of its own.",
            mine("prefix")
        ),
        "sync_invoice_number" | "sync_invoice_sequence" => {
            let tenant = tenant_name(world, tx, text_of(other, "tenant_id")).await?;
            format!(
                "Invoice number {} is already used by the invoice of {tenant} for {}{note}.",
                theirs("number"),
                show_month(&theirs("month"))
            )
        }
        "sync_invoice_contract_month" => {
            let tenant = tenant_name(world, tx, text_of(other, "tenant_id")).await?;
            format!(
                "The rent of {tenant} for {} is already invoiced as {}{note}.",
                show_month(&theirs("month")),
                theirs("number")
            )
        }
        "sync_payment_receipt" => {
            let tenant = tenant_name(world, tx, text_of(other, "tenant_id")).await?;
            format!(
                "Receipt number {} is already used for a payment of {tenant}, paid on {}{note}.",
                theirs("receipt_number"),
                show_date(&theirs("paid_on"))
            )
        }
        "sync_payment_utr" => {
            let tenant = tenant_name(world, tx, text_of(other, "tenant_id")).await?;
            format!(
                "UTR {} is already booked as receipt {} for {tenant}, paid on {}.",
                super::rules::normalise_utr(&mine("utr")),
                theirs("receipt_number"),
                show_date(&theirs("paid_on"))
            )
        }
        "sync_ledger_reverses" => {
            format!("This ledger entry is already reversed{note}; an entry is reversed once.")
        }
        "sync_meter_reading_month" => {
            let room = room_words(world, tx, text_of(data, "room_id")).await?;
            format!(
                "The meter of {room} is already read for {}{note}.",
                show_month(&mine("month"))
            )
        }
        "sync_deposit_settlement_contract" => {
            let tenant = tenant_name(world, tx, text_of(other, "tenant_id")).await?;
            format!("The deposit of {tenant} is already settled{note}.")
        }
        _ => format!(
            "Another {} already has this {}{note}.",
            entity(rule.entity).map_or(rule.entity, |e| e.noun),
            rule.field
        ),
    })
}

/// "Bed B in room 204 (Sunrise PG) was given to Ravi Sharma from another
/// desk at 10:42 on 30/11/2026, from 01/12/2026.": `other` (made by
/// operation `made_by`) in the way of `stay`.
pub async fn bed_taken(
    world: &mut World,
    tx: &mut OrgTx,
    stay: &Data,
    other: &Data,
    made_by: Option<Uuid>,
) -> ApiResult<String> {
    let bed = world.fetch(tx, "bed", text_of(stay, "bed_id")).await?;
    let bed = match bed {
        Some(bed) => bed_words(world, tx, &bed).await?,
        None => "This bed".into(),
    };
    let tenant = tenant_name(world, tx, text_of(other, "tenant_id")).await?;
    let how = sent(world, tx, made_by).await?;
    let how = if how.is_empty() {
        String::new()
    } else {
        format!(" {how}")
    };
    let from = show_date(&text_of(other, "move_in").unwrap_or_default());
    let until = text_of(other, "move_out")
        .map(|d| format!(" until {}", show_date(&d)))
        .unwrap_or_default();
    Ok(format!(
        "{bed} was given to {tenant}{how}, from {from}{until}."
    ))
}

/// "Tenant Ravi Sharma cannot be removed: the stay of Ravi Sharma still
/// refers to it".
pub async fn still_referred(
    world: &mut World,
    tx: &mut OrgTx,
    e: &Entity,
    data: Option<&Data>,
    referrer: &Entity,
    referrer_key: &str,
) -> ApiResult<String> {
    let what = match data {
        Some(d) => label(world, tx, e, d).await?,
        None => super::rules::capitalised(e.noun),
    };
    let by = match world.current(referrer.name, referrer_key).cloned() {
        Some(d) => label(world, tx, referrer, &d).await?,
        None => super::rules::capitalised(referrer.noun),
    };
    Ok(format!(
        "{what} cannot be removed: {} still refers to it{}.",
        lower_first(&by),
        {
            let made_by = world.made_by(referrer.name, referrer_key);
            sent_note(world, tx, made_by).await?
        }
    ))
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_months_and_times_as_india_reads_them() {
        assert_eq!(show_date("2026-12-01"), "01/12/2026");
        assert_eq!(show_month("2026-11"), "November 2026");
        let at = DateTime::parse_from_rfc3339("2026-11-30T05:12:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(show_instant(at), "10:42 on 30/11/2026");
        let late = DateTime::parse_from_rfc3339("2026-11-30T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(show_instant(late), "01:30 on 01/12/2026");
    }
}
