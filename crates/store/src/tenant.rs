//! Tenants and their KYC. An Aadhaar number is kept only masked.

use multipms_domain::kyc::KycDocumentType;
use multipms_domain::tenant::{TenantDetails, TenantInput};
use multipms_domain::DomainError;
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::audit::{self, AuditEntry};
use crate::clock::{iso, new_id, now, today};
use crate::database::Store;
use crate::error::StoreResult;

/// A tenant as screens show them: the KYC number only masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Tenant {
    pub id: String,
    pub full_name: String,
    pub mobile: String,
    pub email: Option<String>,
    pub date_of_birth: Option<String>,
    pub permanent_address: Option<String>,
    pub emergency_name: Option<String>,
    pub emergency_phone: Option<String>,
    pub occupation: Option<String>,
    pub college_or_employer: Option<String>,
    pub kyc_document: Option<String>,
    pub kyc_masked: Option<String>,
    pub police_verification: String,
    pub police_verified_on: Option<String>,
}

/// Where a tenant stays today, for lists and search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct TenantListing {
    pub id: String,
    pub full_name: String,
    pub mobile: String,
    pub property: Option<String>,
    pub room: Option<String>,
    pub bed: Option<String>,
}

pub(crate) async fn load_tenant(conn: &mut SqliteConnection, id: &str) -> StoreResult<Tenant> {
    sqlx::query_as::<_, Tenant>(
        "SELECT id, full_name, mobile, email, date_of_birth, permanent_address, emergency_name,
                emergency_phone, occupation, college_or_employer, kyc_document, kyc_masked,
                police_verification, police_verified_on
         FROM tenant WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| DomainError::not_found("Tenant").into())
}

fn row_from(id: String, d: &TenantDetails) -> (Tenant, Option<String>) {
    let kyc_number = d.kyc.as_ref().and_then(|k| {
        (k.document_type() != KycDocumentType::Aadhaar).then(|| k.expose_number().to_string())
    });
    let tenant = Tenant {
        id,
        full_name: d.full_name.clone(),
        mobile: d.mobile.as_str().to_string(),
        email: d.email.as_ref().map(|e| e.as_str().to_string()),
        date_of_birth: d.date_of_birth.map(iso),
        permanent_address: d.permanent_address.clone(),
        emergency_name: d.emergency_contact.as_ref().map(|c| c.name.clone()),
        emergency_phone: d
            .emergency_contact
            .as_ref()
            .map(|c| c.phone.as_str().to_string()),
        occupation: d.occupation.map(|o| o.code().to_string()),
        college_or_employer: d.college_or_employer.clone(),
        kyc_document: d.kyc.as_ref().map(|k| k.document_type().code().to_string()),
        kyc_masked: d.kyc.as_ref().map(|k| k.masked_number()),
        police_verification: d.police_verification.status.code().to_string(),
        police_verified_on: d.police_verification.date.map(iso),
    };
    (tenant, kyc_number)
}

impl Store {
    pub async fn tenant(&self, id: &str) -> StoreResult<Tenant> {
        let mut conn = self.pool().acquire().await?;
        load_tenant(&mut conn, id).await
    }

    /// Adds a tenant, or with `id` edits one.
    pub async fn save_tenant(
        &self,
        actor: &str,
        id: Option<&str>,
        input: &TenantInput,
    ) -> StoreResult<Tenant> {
        let details = input.validate(today())?;
        let mut tx = self.begin_write().await?;
        let before = match id {
            Some(id) => Some(load_tenant(&mut tx, id).await?),
            None => None,
        };
        let (after, kyc_number) = row_from(id.map(str::to_string).unwrap_or_else(new_id), &details);
        let stamp = now();
        sqlx::query(
            "INSERT INTO tenant (id, full_name, mobile, email, date_of_birth, permanent_address,
                emergency_name, emergency_phone, occupation, college_or_employer, kyc_document,
                kyc_number, kyc_masked, police_verification, police_verified_on, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, mobile = excluded.mobile,
                email = excluded.email, date_of_birth = excluded.date_of_birth,
                permanent_address = excluded.permanent_address, emergency_name = excluded.emergency_name,
                emergency_phone = excluded.emergency_phone, occupation = excluded.occupation,
                college_or_employer = excluded.college_or_employer, kyc_document = excluded.kyc_document,
                kyc_number = excluded.kyc_number, kyc_masked = excluded.kyc_masked,
                police_verification = excluded.police_verification,
                police_verified_on = excluded.police_verified_on, updated_at = excluded.updated_at",
        )
        .bind(&after.id)
        .bind(&after.full_name)
        .bind(&after.mobile)
        .bind(&after.email)
        .bind(&after.date_of_birth)
        .bind(&after.permanent_address)
        .bind(&after.emergency_name)
        .bind(&after.emergency_phone)
        .bind(&after.occupation)
        .bind(&after.college_or_employer)
        .bind(&after.kyc_document)
        .bind(&kyc_number)
        .bind(&after.kyc_masked)
        .bind(&after.police_verification)
        .bind(&after.police_verified_on)
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
                entity: "tenant",
                entity_id: &after.id,
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        crate::search::refresh_tenant(&mut tx, &after.id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Tenants whose name, mobile, room or bed contains `query`, where they
    /// stay today; at most `limit`. An empty query lists by name.
    pub async fn search_tenants(&self, query: &str, limit: u32) -> StoreResult<Vec<TenantListing>> {
        crate::search::search(self.pool(), query, limit).await
    }
}
