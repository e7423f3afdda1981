//! What the desk knows about a tenant's documents: which tenant, which kind,
//! the file's name, type, size and SHA-256. The files themselves are kept
//! encrypted by `multipms-documents`, named by that SHA-256; this store never
//! sees their content.
//!
//! Adding: put the file in the vault first, then [`Store::add_document`].
//! Removing: [`Store::remove_document`] first, then delete the file from the
//! vault when `still_referenced` is false. Do both steps of either under one
//! lock in the app, so a removal cannot delete a file an addition just
//! counted on.

use multipms_domain::DomainError;
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::audit::{self, AuditEntry};
use crate::clock::{new_id, now};
use crate::database::Store;
use crate::error::StoreResult;
use crate::tenant::load_tenant;

/// The kinds of document, as stored (the same codes as
/// `multipms_documents::DocumentKind::code`).
pub const DOCUMENT_KINDS: [&str; 7] = [
    "rental_agreement",
    "aadhaar",
    "pan",
    "passport",
    "photo",
    "police_verification",
    "other",
];

/// The file types kept (the codes of `multipms_documents::FileType`).
pub const DOCUMENT_FILE_TYPES: [&str; 4] = ["pdf", "jpeg", "png", "webp"];

/// The largest document kept: 20 MB.
pub const MAX_DOCUMENT_BYTES: u64 = 20 * 1024 * 1024;

/// The longest original file name kept, in characters.
const MAX_NAME_CHARS: usize = 255;

/// A document just stored in the vault, to be filed under a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDocument {
    pub tenant_id: String,
    /// The contract it belongs to (a rental agreement), which must be one of
    /// this tenant's.
    pub contract_id: Option<String>,
    /// One of [`DOCUMENT_KINDS`].
    pub kind: String,
    /// The file's name as the person picked it.
    pub original_name: String,
    /// One of [`DOCUMENT_FILE_TYPES`], as told from the content.
    pub file_type: String,
    pub size_bytes: u64,
    /// The vault's name for the file: 64 lowercase hex digits.
    pub sha256: String,
}

/// A filed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct DocumentRecord {
    pub id: String,
    pub tenant_id: String,
    pub contract_id: Option<String>,
    /// The contract for people, e.g. "Bed 204-A, from 01/04/2026".
    pub contract_label: Option<String>,
    pub kind: String,
    pub original_name: String,
    pub file_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub added_by: String,
    pub added_at: String,
    pub removed_at: Option<String>,
    pub removed_by: Option<String>,
}

/// What a removal leaves to do: when `still_referenced` is false no other
/// document uses the file, and the caller deletes it from the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedDocument {
    pub id: String,
    pub sha256: String,
    pub still_referenced: bool,
}

/// The documents query with `$tail` (a literal: WHERE, ORDER BY) appended,
/// as one static SQL string.
macro_rules! select_document {
    ($tail:literal) => {
        concat!(
            "
    SELECT d.id, d.tenant_id, d.contract_id,
           CASE WHEN d.contract_id IS NULL THEN NULL
                ELSE 'Bed ' || b.label || ', from ' || substr(c.starts_on, 9, 2) || '/'
                     || substr(c.starts_on, 6, 2) || '/' || substr(c.starts_on, 1, 4)
           END AS contract_label,
           d.kind, d.original_name, d.file_type, d.size_bytes, d.sha256,
           d.added_by, d.added_at, d.removed_at, d.removed_by
    FROM document d
    LEFT JOIN contract c ON c.id = d.contract_id
    LEFT JOIN allocation a ON a.id = c.allocation_id
    LEFT JOIN bed b ON b.id = a.bed_id
    ",
            $tail
        )
    };
}

async fn load(conn: &mut SqliteConnection, id: &str) -> StoreResult<DocumentRecord> {
    sqlx::query_as::<_, DocumentRecord>(select_document!(" WHERE d.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Document").into())
}

/// The checked, normalised fields of a new document.
struct Checked {
    kind: String,
    original_name: String,
    file_type: String,
    size_bytes: i64,
    sha256: String,
}

fn check(input: &NewDocument) -> Result<Checked, DomainError> {
    if !DOCUMENT_KINDS.contains(&input.kind.as_str()) {
        return Err(DomainError::invalid(
            "kind",
            "Choose what the document is: rental agreement, Aadhaar, PAN, passport, photo, police verification or other",
        ));
    }
    let original_name = input.original_name.trim();
    if original_name.is_empty() {
        return Err(DomainError::invalid(
            "original_name",
            "The file has no name",
        ));
    }
    if original_name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::invalid(
            "original_name",
            format!("The file name is too long; at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if !DOCUMENT_FILE_TYPES.contains(&input.file_type.as_str()) {
        return Err(DomainError::invalid(
            "file_type",
            "Only PDF, JPEG, PNG or WebP files can be kept",
        ));
    }
    if input.size_bytes == 0 {
        return Err(DomainError::invalid("size_bytes", "The file is empty"));
    }
    if input.size_bytes > MAX_DOCUMENT_BYTES {
        return Err(DomainError::invalid(
            "size_bytes",
            "The file is larger than 20 MB, the limit",
        ));
    }
    let sha256 = input.sha256.to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(DomainError::invalid(
            "sha256",
            "The file's SHA-256 must be 64 hexadecimal characters",
        ));
    }
    Ok(Checked {
        kind: input.kind.clone(),
        original_name: original_name.to_string(),
        file_type: input.file_type.clone(),
        // At most 20 MB: fits.
        size_bytes: input.size_bytes as i64,
        sha256,
    })
}

impl Store {
    /// Files a document (already in the vault) under its tenant.
    pub async fn add_document(
        &self,
        actor: &str,
        input: &NewDocument,
    ) -> StoreResult<DocumentRecord> {
        let checked = check(input)?;
        let mut tx = self.begin_write().await?;
        let tenant = load_tenant(&mut tx, &input.tenant_id).await?;
        if let Some(contract_id) = &input.contract_id {
            let owner: Option<String> = sqlx::query_scalar(
                "SELECT a.tenant_id FROM contract c JOIN allocation a ON a.id = c.allocation_id
                 WHERE c.id = ?",
            )
            .bind(contract_id)
            .fetch_optional(&mut *tx)
            .await?;
            match owner {
                None => return Err(DomainError::not_found("Contract").into()),
                Some(owner) if owner != tenant.id => {
                    return Err(DomainError::invalid(
                        "contract_id",
                        format!(
                            "That contract is another tenant's; choose one of {}'s contracts",
                            tenant.full_name
                        ),
                    )
                    .into())
                }
                Some(_) => {}
            }
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO document (id, tenant_id, contract_id, kind, original_name, file_type,
                size_bytes, sha256, added_by, added_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&tenant.id)
        .bind(&input.contract_id)
        .bind(&checked.kind)
        .bind(&checked.original_name)
        .bind(&checked.file_type)
        .bind(checked.size_bytes)
        .bind(&checked.sha256)
        .bind(actor)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let after = load(&mut tx, &id).await?;
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "document",
                entity_id: &id,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A document by id, removed or not.
    pub async fn document(&self, id: &str) -> StoreResult<DocumentRecord> {
        let mut conn = self.pool().acquire().await?;
        load(&mut conn, id).await
    }

    /// A tenant's documents that are not removed, newest first.
    pub async fn tenant_documents(&self, tenant_id: &str) -> StoreResult<Vec<DocumentRecord>> {
        let mut conn = self.pool().acquire().await?;
        load_tenant(&mut conn, tenant_id).await?;
        Ok(sqlx::query_as::<_, DocumentRecord>(select_document!(
            " WHERE d.tenant_id = ? AND d.removed_at IS NULL
             ORDER BY d.added_at DESC, d.id DESC"
        ))
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?)
    }

    /// Removes a document from the tenant's list (its row stays, marked
    /// removed, for the record). The caller then deletes the file from the
    /// vault unless `still_referenced`.
    pub async fn remove_document(&self, actor: &str, id: &str) -> StoreResult<RemovedDocument> {
        let mut tx = self.begin_write().await?;
        let before = load(&mut tx, id).await?;
        if before.removed_at.is_some() {
            return Err(DomainError::conflict(format!(
                "{} was already removed",
                before.original_name
            ))
            .into());
        }
        sqlx::query("UPDATE document SET removed_at = ?, removed_by = ? WHERE id = ?")
            .bind(now())
            .bind(actor)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = load(&mut tx, id).await?;
        let still_referenced: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM document WHERE sha256 = ? AND removed_at IS NULL)",
        )
        .bind(&before.sha256)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "remove",
                entity: "document",
                entity_id: id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(RemovedDocument {
            id: before.id,
            sha256: before.sha256,
            still_referenced,
        })
    }
}
