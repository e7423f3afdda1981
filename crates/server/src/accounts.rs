//! Organisations and users: made by the command line (`create-org`,
//! `add-user`) and by an owner through the API; sign-in, sessions, password
//! changes, disabling.

use chrono::{DateTime, Duration, Utc};
use multipms_domain::email::Email;
use multipms_domain::organisation::validate_name;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::password;
use crate::roles::Role;
use crate::session;

/// A user as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct UserOut {
    /// Id.
    pub id: Uuid,
    /// Sign-in email, lower case.
    pub email: String,
    /// Name.
    pub full_name: String,
    /// Role: owner, manager, front_desk, caretaker, accountant.
    pub role: String,
    /// True once disabled: the user can no longer sign in.
    pub disabled: bool,
    /// True until the one-time password is replaced.
    pub must_change_password: bool,
    /// Properties assigned (front desk and caretakers work only on these).
    pub property_ids: Vec<Uuid>,
    /// When the user was added.
    pub created_at: DateTime<Utc>,
}

/// Columns of [`UserOut`] from `app_user u`.
pub const USER_COLUMNS: &str = "u.id, u.email, u.full_name, u.role, u.disabled_at IS NOT NULL AS disabled, \
     u.must_change_password, \
     ARRAY(SELECT up.property_id FROM user_property up WHERE up.user_id = u.id ORDER BY up.property_id) AS property_ids, \
     u.created_at";

/// A new user.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewUser {
    /// Sign-in email.
    pub email: String,
    /// Name.
    pub full_name: String,
    /// owner, manager, front_desk, caretaker or accountant.
    pub role: String,
    /// Properties a front desk user or caretaker works on.
    pub property_ids: Vec<Uuid>,
}

/// Checks a person's name: required, at most 100 characters.
fn person_name(raw: &str) -> ApiResult<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(ApiError::invalid("full_name", "Full name is required"));
    }
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "full_name",
            "Full name must be at most 100 characters, without control characters",
        ));
    }
    Ok(name)
}

/// What `create-org` made.
#[derive(Debug)]
pub struct CreatedOrg {
    /// The organisation.
    pub org_id: Uuid,
    /// Its owner.
    pub owner: UserOut,
    /// The owner's one-time password, shown once.
    pub one_time_password: String,
}

/// Makes an organisation and its owner, who signs in with the returned
/// one-time password and must change it.
pub async fn create_org(
    pool: &PgPool,
    name: &str,
    owner_email: &str,
    owner_name: &str,
) -> ApiResult<CreatedOrg> {
    let name = validate_name(name)?;
    let org_id = Uuid::now_v7();
    let mut tx = begin_org(pool, org_id).await?;
    sqlx::query("INSERT INTO organisation (id, name) VALUES ($1, $2)")
        .bind(org_id)
        .bind(&name)
        .execute(&mut *tx)
        .await?;
    audit::record_as(
        &mut tx,
        org_id,
        None,
        Some("cli"),
        Entry {
            action: "create",
            entity: "organisation",
            entity_id: org_id,
            before: None,
            after: Some(serde_json::json!({ "id": org_id, "name": name })),
        },
    )
    .await?;
    let one_time_password = password::one_time();
    let owner = insert_user(
        &mut tx,
        org_id,
        None,
        None,
        NewUser {
            email: owner_email.into(),
            full_name: owner_name.into(),
            role: "owner".into(),
            property_ids: vec![],
        },
        &one_time_password,
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedOrg {
        org_id,
        owner,
        one_time_password,
    })
}

/// Resolves property codes (BLR1) of `org_id` to ids.
pub async fn property_ids_by_code(
    pool: &PgPool,
    org_id: Uuid,
    codes: &[String],
) -> ApiResult<Vec<Uuid>> {
    let mut tx = begin_org(pool, org_id).await?;
    let mut ids = Vec::new();
    for code in codes {
        let id: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM property WHERE org_id = $1 AND code = upper($2)")
                .bind(org_id)
                .bind(code.trim())
                .fetch_optional(&mut *tx)
                .await?;
        ids.push(id.ok_or_else(|| {
            ApiError::invalid(
                "property",
                format!("No property with code {code} in this organisation"),
            )
        })?);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Adds a user to `org_id`. With `password` the user signs in with it; with
/// none a one-time password is made, returned, and must be changed.
pub async fn add_user(
    pool: &PgPool,
    org_id: Uuid,
    actor: Option<(Uuid, Option<&str>)>,
    new: NewUser,
    password: Option<String>,
) -> ApiResult<(UserOut, Option<String>)> {
    let (password, one_time) = match password {
        Some(p) => {
            password::check_new(&p, &new.email, "password")?;
            (p, false)
        }
        None => (password::one_time(), true),
    };
    let mut tx = begin_org(pool, org_id).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organisation WHERE id = $1)")
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?;
    if !exists {
        return Err(ApiError::not_found("Organisation"));
    }
    let (actor_id, desk) = actor.map_or((None, Some("cli")), |(id, desk)| (Some(id), desk));
    let user = insert_user(&mut tx, org_id, actor_id, desk, new, &password, one_time).await?;
    tx.commit().await?;
    Ok((user, one_time.then_some(password)))
}

async fn insert_user(
    tx: &mut OrgTx,
    org_id: Uuid,
    actor_id: Option<Uuid>,
    desk: Option<&str>,
    new: NewUser,
    password: &str,
    must_change: bool,
) -> ApiResult<UserOut> {
    let email = Email::parse(&new.email, "email")?;
    let full_name = person_name(&new.full_name)?;
    let role = Role::parse(&new.role, "role")?;
    if role.is_property_scoped() && new.property_ids.is_empty() {
        return Err(ApiError::invalid(
            "property_ids",
            "Assign at least one property: front desk and caretakers work only on their properties",
        ));
    }
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sign_in_account($1))")
        .bind(email.as_str())
        .fetch_one(&mut **tx)
        .await?;
    if taken {
        return Err(ApiError::invalid(
            "email",
            "This email already has an account",
        ));
    }
    let hash = password::hash_async(password.to_string()).await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO app_user (id, org_id, email, full_name, role, password_hash, must_change_password) \
         VALUES ($1, $2, lower($3), $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(org_id)
    .bind(email.as_str())
    .bind(&full_name)
    .bind(role.code())
    .bind(&hash)
    .bind(must_change)
    .execute(&mut **tx)
    .await?;
    for property_id in &new.property_ids {
        let found: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM property WHERE org_id = $1 AND id = $2)",
        )
        .bind(org_id)
        .bind(property_id)
        .fetch_one(&mut **tx)
        .await?;
        if !found {
            return Err(ApiError::not_found("Property"));
        }
        sqlx::query("INSERT INTO user_property (org_id, user_id, property_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(org_id)
            .bind(id)
            .bind(property_id)
            .execute(&mut **tx)
            .await?;
    }
    let user = fetch_user(tx, org_id, id)
        .await?
        .ok_or_else(|| ApiError::internal("user vanished"))?;
    audit::record_as(
        tx,
        org_id,
        actor_id,
        desk,
        Entry {
            action: "create",
            entity: "user",
            entity_id: id,
            before: None,
            after: audit::snapshot(&user),
        },
    )
    .await?;
    Ok(user)
}

/// A user of `org_id`.
pub async fn fetch_user(
    tx: &mut OrgTx,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<UserOut>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM app_user u WHERE u.org_id = $1 AND u.id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// A new session of `user_id`.
pub struct NewSession {
    /// The token, shown to the client once.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Opens a session for a user whose password was just checked.
pub async fn open_session(
    pool: &PgPool,
    org_id: Uuid,
    user_id: Uuid,
    hours: i64,
    address: Option<String>,
) -> ApiResult<NewSession> {
    let token = session::new_token();
    let hash = session::token_hash(&token);
    let expires_at = Utc::now() + Duration::hours(hours.max(1));
    let mut tx = begin_org(pool, org_id).await?;
    sqlx::query(
        "INSERT INTO session (token_hash, org_id, user_id, expires_at, address) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&hash[..])
    .bind(org_id)
    .bind(user_id)
    .bind(expires_at)
    .bind(address)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(NewSession { token, expires_at })
}
