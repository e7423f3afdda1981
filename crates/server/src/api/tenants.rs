//! Tenants: who they are, how to reach them, their KYC (masked; an Aadhaar
//! number is never stored, only its last 4 digits).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use multipms_domain::kyc::KycDocumentType;
use multipms_domain::tenant::{TenantDetails, TenantInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{created, properties, split_counted, today_in_india, Counted, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::roles::{Action, Caller};

/// A tenant as the API shows it. Caretakers get no KYC or police
/// verification.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct TenantOut {
    /// Id.
    pub id: Uuid,
    /// The property they were onboarded at.
    pub property_id: Uuid,
    /// Name.
    pub full_name: String,
    /// Mobile, +91.
    pub mobile: String,
    /// Email.
    pub email: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Home address.
    pub permanent_address: Option<String>,
    /// Emergency contact's name.
    pub emergency_name: Option<String>,
    /// Emergency contact's mobile.
    pub emergency_phone: Option<String>,
    /// student, salaried, self_employed, other.
    pub occupation: Option<String>,
    /// College or employer.
    pub college_or_employer: Option<String>,
    /// aadhaar, pan, passport, voter_id, driving_licence.
    pub kyc_document: Option<String>,
    /// The document number, masked: XXXX XXXX 1234.
    pub kyc_masked: Option<String>,
    /// pending, submitted, verified, rejected.
    pub police_verification: Option<String>,
    /// Date of the last step of police verification.
    pub police_verified_on: Option<NaiveDate>,
    /// When added.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "t.id, t.property_id, t.full_name, t.mobile, t.email, t.date_of_birth, \
     t.permanent_address, t.emergency_name, t.emergency_phone, t.occupation, t.college_or_employer, \
     t.kyc_document, t.kyc_masked, t.police_verification, t.police_verified_on, t.created_at, t.updated_at";

/// Who a scoped caller sees: tenants onboarded at, or staying at, one of
/// their properties. `$1` org, `$2` scope (NULL for all).
pub const VISIBLE: &str = "t.org_id = $1 AND ($2::uuid[] IS NULL OR t.property_id = ANY($2) OR EXISTS ( \
     SELECT 1 FROM allocation a WHERE a.org_id = t.org_id AND a.tenant_id = t.id AND a.property_id = ANY($2)))";

/// The tenant form: `property_id` and the fields of
/// `multipms_domain::tenant::TenantInput`.
#[derive(Deserialize, ToSchema)]
pub struct TenantBody {
    /// The property the tenant is onboarded at (required to add).
    pub property_id: Option<Uuid>,
    /// Name, mobile, email, date_of_birth (DD/MM/YYYY), permanent_address,
    /// emergency_contact_name, emergency_contact_phone, occupation,
    /// college_or_employer, kyc_document_type, kyc_document_number,
    /// police_verification_status, police_verification_date.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub details: TenantInput,
}

fn shown(mut tenant: TenantOut, caller: &Caller) -> TenantOut {
    if !caller.sees_kyc() {
        tenant.kyc_document = None;
        tenant.kyc_masked = None;
        tenant.police_verification = None;
        tenant.police_verified_on = None;
        tenant.date_of_birth = None;
    }
    tenant
}

/// A tenant the caller may see.
pub async fn fetch(tx: &mut OrgTx, caller: &Caller, id: Uuid) -> ApiResult<TenantOut> {
    let tenant: Option<TenantOut> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tenant t WHERE {VISIBLE} AND t.id = $3"
    )))
    .bind(caller.org_id)
    .bind(caller.scope())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    tenant
        .map(|t| shown(t, caller))
        .ok_or_else(|| ApiError::not_found("Tenant"))
}

/// 404 unless the caller may see the tenant (cheaper than [`fetch`] when
/// only the answer matters).
pub async fn check_visible(tx: &mut OrgTx, caller: &Caller, id: Uuid) -> ApiResult<()> {
    if is_visible(tx, caller, id).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("Tenant"))
    }
}

/// True if the caller may see the tenant.
pub async fn is_visible(tx: &mut OrgTx, caller: &Caller, id: Uuid) -> ApiResult<bool> {
    let seen: Option<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT 1 FROM tenant t WHERE {VISIBLE} AND t.id = $3"
    )))
    .bind(caller.org_id)
    .bind(caller.scope())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(seen.is_some())
}

/// Where a page of the tenant list starts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantCursor {
    /// A tenant's id: the page starts after that tenant in the list's order
    /// (name, then id), then skips `offset` more. Pass the last item of a
    /// page to read the next one at the cost of the first (keyset paging);
    /// a deep offset walks every row it skips.
    pub after: Option<Uuid>,
}

/// Lists the tenants the caller may see, by name.
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants", security(("bearer" = [])),
    params(PageQuery, TenantCursor), responses((status = 200, body = Page<TenantOut>), (status = 401, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
    Query(cursor): Query<TenantCursor>,
) -> ApiResult<Json<Page<TenantOut>>> {
    caller.require(Action::ReadPortfolio)?;
    let (limit, offset) = page.bounds()?;
    let scope = caller.scope();
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    // The cursor must be a tenant of the list: checked first for a scoped
    // caller, and for the others only when the page comes back empty (an
    // unknown cursor compares with NULL and finds nothing).
    let check_cursor = |seen: bool| {
        if seen {
            Ok(())
        } else {
            Err(ApiError::invalid(
                "after",
                "after must be the id of a tenant in this list",
            ))
        }
    };
    if let (Some(after), Some(_)) = (cursor.after, &scope) {
        check_cursor(is_visible(&mut tx, &caller, after).await?)?;
    }
    // Rows after the cursor's tenant, in the order of the index
    // `tenant (org_id, full_name, id)`: `$after` is the last parameter.
    let after_sql = |p: &str, n: usize| {
        if cursor.after.is_some() {
            format!(
                " AND ({p}.full_name, {p}.id) > (SELECT c.full_name, c.id FROM tenant c \
                 WHERE c.org_id = $1 AND c.id = ${n})"
            )
        } else {
            String::new()
        }
    };
    // The page and its total in one query. Unscoped callers get a statement
    // of their own (a cached generic plan of `$2 IS NULL OR …` would plan
    // for the scoped case) and the total kept in `org_count`; the rows to
    // skip are walked in the index `tenant (org_id, full_name, id)` alone
    // and only the page's rows are read from the table.
    let rows: Vec<Counted<TenantOut>> = match &scope {
        None => {
            let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS}, (SELECT c.n FROM org_count c WHERE c.org_id = $1 AND c.entity = 'tenant') \
                 AS page_total FROM tenant t \
                 WHERE t.org_id = $1 AND t.id = ANY(ARRAY(SELECT p.id FROM tenant p WHERE p.org_id = $1{} \
                       ORDER BY p.full_name, p.id LIMIT $2 OFFSET $3)) \
                 ORDER BY t.full_name, t.id",
                after_sql("p", 4)
            )))
            .bind(caller.org_id)
            .bind(limit)
            .bind(offset);
            match cursor.after {
                Some(after) => query.bind(after),
                None => query,
            }
            .fetch_all(&mut *tx)
            .await?
        }
        Some(_) => {
            let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS}, (SELECT count(*) FROM tenant t WHERE {VISIBLE}) AS page_total \
                 FROM tenant t WHERE {VISIBLE}{} ORDER BY t.full_name, t.id LIMIT $3 OFFSET $4",
                after_sql("t", 5)
            )))
            .bind(caller.org_id)
            .bind(&scope)
            .bind(limit)
            .bind(offset);
            match cursor.after {
                Some(after) => query.bind(after),
                None => query,
            }
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let (items, total) = split_counted(rows);
    if let (Some(after), None, None) = (cursor.after, &scope, total) {
        check_cursor(is_visible(&mut tx, &caller, after).await?)?;
    }
    let total = match total {
        Some(total) => total,
        None if scope.is_none() => super::org_count(&mut tx, caller.org_id, "tenant").await?,
        None => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM tenant t WHERE {VISIBLE}"
            )))
            .bind(caller.org_id)
            .bind(&scope)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(Json(Page {
        items: items.into_iter().map(|t| shown(t, &caller)).collect(),
        total,
        limit,
        offset,
    }))
}

/// One tenant.
#[utoipa::path(get, path = "/api/v1/tenants/{id}", tag = "tenants", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = TenantOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<TenantOut>> {
    caller.require(Action::ReadPortfolio)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let tenant = fetch(&mut tx, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(tenant))
}

struct Stored<'a> {
    kyc_document: Option<&'static str>,
    kyc_number: Option<&'a str>,
    kyc_masked: Option<String>,
}

fn stored(d: &TenantDetails) -> Stored<'_> {
    match &d.kyc {
        None => Stored {
            kyc_document: None,
            kyc_number: None,
            kyc_masked: None,
        },
        Some(kyc) => Stored {
            kyc_document: Some(kyc.document_type().code()),
            // An Aadhaar number is never stored (no encryption key yet).
            kyc_number: (kyc.document_type() != KycDocumentType::Aadhaar)
                .then(|| kyc.expose_number()),
            kyc_masked: Some(kyc.masked_number()),
        },
    }
}

/// Adds a tenant (owner, manager, front desk at the property).
#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants", security(("bearer" = [])),
    request_body = TenantBody, responses((status = 201, body = TenantOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<TenantBody>,
) -> ApiResult<Response> {
    caller.require(Action::WriteOccupancy)?;
    let property_id = body.property_id.ok_or_else(|| {
        ApiError::invalid("property_id", "Choose the property the tenant is joining")
    })?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    properties::fetch(&mut tx, &caller, property_id).await?;
    let d = body.details.validate(today_in_india())?;
    let s = stored(&d);
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO tenant (id, org_id, property_id, full_name, mobile, email, date_of_birth, \
         permanent_address, emergency_name, emergency_phone, occupation, college_or_employer, \
         kyc_document, kyc_number, kyc_masked, police_verification, police_verified_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(id)
    .bind(caller.org_id)
    .bind(property_id)
    .bind(&d.full_name)
    .bind(d.mobile.as_str())
    .bind(d.email.as_ref().map(|e| e.as_str()))
    .bind(d.date_of_birth)
    .bind(&d.permanent_address)
    .bind(d.emergency_contact.as_ref().map(|c| c.name.as_str()))
    .bind(d.emergency_contact.as_ref().map(|c| c.phone.as_str()))
    .bind(d.occupation.map(|o| o.code()))
    .bind(&d.college_or_employer)
    .bind(s.kyc_document)
    .bind(s.kyc_number)
    .bind(&s.kyc_masked)
    .bind(d.police_verification.status.code())
    .bind(d.police_verification.date)
    .execute(&mut *tx)
    .await?;
    let tenant = fetch(&mut tx, &caller, id).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "create",
            entity: "tenant",
            entity_id: id,
            before: None,
            after: audit::snapshot(&tenant),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created(tenant))
}

/// Changes a tenant's details (owner, manager, front desk).
#[utoipa::path(put, path = "/api/v1/tenants/{id}", tag = "tenants", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = TenantBody, responses((status = 200, body = TenantOut),
    (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Json(body): Json<TenantBody>,
) -> ApiResult<Json<TenantOut>> {
    caller.require(Action::WriteOccupancy)?;
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    let before = fetch(&mut tx, &caller, id).await?;
    let property_id = match body.property_id {
        Some(p) if p != before.property_id => properties::fetch(&mut tx, &caller, p).await?.id,
        _ => before.property_id,
    };
    let d = body.details.validate(today_in_india())?;
    let s = stored(&d);
    sqlx::query(
        "UPDATE tenant SET property_id = $3, full_name = $4, mobile = $5, email = $6, date_of_birth = $7, \
         permanent_address = $8, emergency_name = $9, emergency_phone = $10, occupation = $11, \
         college_or_employer = $12, kyc_document = $13, kyc_number = $14, kyc_masked = $15, \
         police_verification = $16, police_verified_on = $17, updated_at = now() \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(caller.org_id)
    .bind(id)
    .bind(property_id)
    .bind(&d.full_name)
    .bind(d.mobile.as_str())
    .bind(d.email.as_ref().map(|e| e.as_str()))
    .bind(d.date_of_birth)
    .bind(&d.permanent_address)
    .bind(d.emergency_contact.as_ref().map(|c| c.name.as_str()))
    .bind(d.emergency_contact.as_ref().map(|c| c.phone.as_str()))
    .bind(d.occupation.map(|o| o.code()))
    .bind(&d.college_or_employer)
    .bind(s.kyc_document)
    .bind(s.kyc_number)
    .bind(&s.kyc_masked)
    .bind(d.police_verification.status.code())
    .bind(d.police_verification.date)
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, &caller, id).await?;
    audit::record(
        &mut tx,
        &caller,
        Entry {
            action: "update",
            entity: "tenant",
            entity_id: id,
            before: audit::snapshot(&before),
            after: audit::snapshot(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(after))
}
