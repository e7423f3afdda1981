//! Properties: the buildings of the business.

use multipms_domain::property::PropertyInput;
use multipms_domain::DomainError;
use serde::Serialize;
use sqlx::FromRow;

use crate::audit::{self, AuditEntry};
use crate::clock::{new_id, now};
use crate::database::Store;
use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Property {
    pub id: String,
    pub name: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub state: String,
    pub state_code: i64,
    pub pin_code: String,
    pub gstin: Option<String>,
    pub code: String,
    pub upi_id: Option<String>,
    pub landlord_name: Option<String>,
    pub landlord_pan: Option<String>,
}

/// The columns of [`Property`], in its order.
const PROPERTY_COLUMNS: &str = "id, name, address_line1, address_line2, city, state, state_code, \
    pin_code, gstin, code, upi_id, landlord_name, landlord_pan";

impl Store {
    pub async fn properties(&self) -> StoreResult<Vec<Property>> {
        Ok(sqlx::query_as::<_, Property>(sqlx::AssertSqlSafe(format!(
            "SELECT {PROPERTY_COLUMNS} FROM property ORDER BY name"
        )))
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn property(&self, id: &str) -> StoreResult<Property> {
        sqlx::query_as::<_, Property>(sqlx::AssertSqlSafe(format!(
            "SELECT {PROPERTY_COLUMNS} FROM property WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| DomainError::not_found("Property").into())
    }

    /// Adds a property, or with `id` edits one. Refuses bad input and a code
    /// another property already uses.
    pub async fn save_property(
        &self,
        actor: &str,
        id: Option<&str>,
        input: &PropertyInput,
    ) -> StoreResult<Property> {
        let details = input.validate()?;
        let mut tx = self.begin_write().await?;
        let clash: Option<String> =
            sqlx::query_scalar("SELECT name FROM property WHERE code = ? AND id IS NOT ?")
                .bind(details.code.as_str())
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(other) = clash {
            return Err(DomainError::invalid(
                "code",
                format!(
                    "Code {} is already used by {other}; each property needs its own invoice code",
                    details.code.as_str()
                ),
            )
            .into());
        }
        let before = match id {
            Some(id) => Some(
                sqlx::query_as::<_, Property>(sqlx::AssertSqlSafe(format!(
                    "SELECT {PROPERTY_COLUMNS} FROM property WHERE id = ?"
                )))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Domain(DomainError::not_found("Property")))?,
            ),
            None => None,
        };
        let after = Property {
            id: id.map(str::to_string).unwrap_or_else(new_id),
            name: details.name,
            address_line1: details.address_line1,
            address_line2: details.address_line2,
            city: details.city,
            state: details.state.to_string(),
            state_code: i64::from(details.state_code),
            pin_code: details.pin_code.as_str().to_string(),
            gstin: details.gstin.map(|g| g.as_str().to_string()),
            code: details.code.as_str().to_string(),
            upi_id: details.upi_id.map(|u| u.as_str().to_string()),
            landlord_name: details.landlord_name,
            landlord_pan: details.landlord_pan.map(|p| p.as_str().to_string()),
        };
        let stamp = now();
        sqlx::query(
            "INSERT INTO property (id, name, address_line1, address_line2, city, state, state_code, pin_code, gstin, code, upi_id,
               landlord_name, landlord_pan, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, address_line1 = excluded.address_line1,
               address_line2 = excluded.address_line2, city = excluded.city, state = excluded.state,
               state_code = excluded.state_code, pin_code = excluded.pin_code, gstin = excluded.gstin,
               code = excluded.code, upi_id = excluded.upi_id,
               landlord_name = excluded.landlord_name, landlord_pan = excluded.landlord_pan, updated_at = excluded.updated_at",
        )
        .bind(&after.id)
        .bind(&after.name)
        .bind(&after.address_line1)
        .bind(&after.address_line2)
        .bind(&after.city)
        .bind(&after.state)
        .bind(after.state_code)
        .bind(&after.pin_code)
        .bind(&after.gstin)
        .bind(&after.code)
        .bind(&after.upi_id)
        .bind(&after.landlord_name)
        .bind(&after.landlord_pan)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: if before.is_some() { "update" } else { "create" },
                entity: "property",
                entity_id: &after.id,
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
