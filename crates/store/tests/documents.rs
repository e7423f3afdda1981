//! Tenants' documents in the store, on real SQLite files: filing, listing,
//! removing, and the walls that keep a document with the right tenant.

mod fixtures;

use multipms_domain::DomainError;
use multipms_store::document::{DocumentRecord, NewDocument};
use multipms_store::{Store, StoreError};

use fixtures::ACTOR;

struct Fixture {
    store: Store,
    /// Asha, on bed 204-A from 01/04/2026, with her contract.
    asha: String,
    asha_contract: String,
    /// Bharat, on bed 204-B from 15/05/2026, with his.
    bharat: String,
    bharat_contract: String,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let f = fixtures::fixture().await;
    let (asha, asha_contract) = f
        .tenant_with_contract("Asha Rao", "9000000101", 0, "2026-04-01", "9,500", "active")
        .await;
    let (bharat, bharat_contract) = f
        .tenant_with_contract(
            "Bharat Singh",
            "9000000102",
            1,
            "2026-05-15",
            "9,500",
            "active",
        )
        .await;
    Fixture {
        store: f.store,
        asha,
        asha_contract,
        bharat,
        bharat_contract,
        _dir: f._dir,
    }
}

fn sha(fill: char) -> String {
    fill.to_string().repeat(64)
}

fn new_doc(tenant_id: &str, kind: &str, name: &str, sha256: &str) -> NewDocument {
    NewDocument {
        tenant_id: tenant_id.into(),
        contract_id: None,
        kind: kind.into(),
        original_name: name.into(),
        file_type: "pdf".into(),
        size_bytes: 48_213,
        sha256: sha256.into(),
    }
}

fn invalid_field(err: StoreError) -> String {
    match err {
        StoreError::Domain(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

async fn audit_actions(store: &Store, id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity = 'document' AND entity_id = ? ORDER BY seq",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn documents_are_filed_and_listed_newest_first_with_their_contract() {
    let f = fixture().await;
    let aadhaar = f
        .store
        .add_document(
            ACTOR,
            &new_doc(&f.asha, "aadhaar", "aadhaar front.jpg", &sha('a')),
        )
        .await
        .unwrap();
    assert_eq!(aadhaar.added_by, ACTOR);
    assert_eq!(aadhaar.contract_id, None);
    assert_eq!(aadhaar.contract_label, None);
    let agreement = f
        .store
        .add_document(
            "manager",
            &NewDocument {
                contract_id: Some(f.asha_contract.clone()),
                ..new_doc(
                    &f.asha,
                    "rental_agreement",
                    "  Agreement 2026.pdf ",
                    &sha('B'),
                )
            },
        )
        .await
        .unwrap();
    assert_eq!(agreement.original_name, "Agreement 2026.pdf", "trimmed");
    assert_eq!(agreement.sha256, sha('b'), "lowercased");
    assert_eq!(
        agreement.contract_label.as_deref(),
        Some("Bed 204-A, from 01/04/2026")
    );
    f.store
        .add_document(ACTOR, &new_doc(&f.bharat, "pan", "pan.png", &sha('c')))
        .await
        .unwrap();

    let listed: Vec<DocumentRecord> = f.store.tenant_documents(&f.asha).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, [agreement.id.as_str(), aadhaar.id.as_str()]);
    assert_eq!(listed[0], agreement);
    assert_eq!(f.store.document(&aadhaar.id).await.unwrap(), aadhaar);
    assert_eq!(audit_actions(&f.store, &agreement.id).await, ["create"]);
}

#[tokio::test]
async fn wrong_inputs_are_refused_by_field() {
    let f = fixture().await;
    let good = new_doc(&f.asha, "pan", "pan.pdf", &sha('d'));
    let cases = [
        (
            "kind",
            NewDocument {
                kind: "ration_card".into(),
                ..good.clone()
            },
        ),
        (
            "original_name",
            NewDocument {
                original_name: "   ".into(),
                ..good.clone()
            },
        ),
        (
            "original_name",
            NewDocument {
                original_name: "x".repeat(256),
                ..good.clone()
            },
        ),
        (
            "file_type",
            NewDocument {
                file_type: "exe".into(),
                ..good.clone()
            },
        ),
        (
            "size_bytes",
            NewDocument {
                size_bytes: 0,
                ..good.clone()
            },
        ),
        (
            "size_bytes",
            NewDocument {
                size_bytes: 20 * 1024 * 1024 + 1,
                ..good.clone()
            },
        ),
        (
            "sha256",
            NewDocument {
                sha256: "../../etc/passwd".into(),
                ..good.clone()
            },
        ),
        (
            "sha256",
            NewDocument {
                sha256: "g".repeat(64),
                ..good.clone()
            },
        ),
        (
            "contract_id",
            NewDocument {
                contract_id: Some(f.bharat_contract.clone()),
                ..good.clone()
            },
        ),
    ];
    for (field, input) in cases {
        let err = f.store.add_document(ACTOR, &input).await.unwrap_err();
        assert_eq!(invalid_field(err), field, "{input:?}");
    }
    let err = f
        .store
        .add_document(
            ACTOR,
            &NewDocument {
                tenant_id: "nobody".into(),
                ..good.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::NotFound { ref entity }) if entity == "Tenant")
    );
    let err = f
        .store
        .add_document(
            ACTOR,
            &NewDocument {
                contract_id: Some("nothing".into()),
                ..good.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::NotFound { ref entity }) if entity == "Contract")
    );
    assert!(f.store.tenant_documents(&f.asha).await.unwrap().is_empty());
    let err = f.store.tenant_documents("nobody").await.unwrap_err();
    assert!(matches!(
        err,
        StoreError::Domain(DomainError::NotFound { .. })
    ));
    let err = f.store.document("nothing").await.unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::NotFound { ref entity }) if entity == "Document")
    );
}

#[tokio::test]
async fn removing_keeps_the_record_and_says_whether_the_file_is_still_used() {
    let f = fixture().await;
    // The same scan filed for two tenants: one file in the vault.
    let shared = sha('e');
    let for_asha = f
        .store
        .add_document(
            ACTOR,
            &new_doc(&f.asha, "police_verification", "pv.pdf", &shared),
        )
        .await
        .unwrap();
    let for_bharat = f
        .store
        .add_document(
            ACTOR,
            &new_doc(&f.bharat, "police_verification", "pv.pdf", &shared),
        )
        .await
        .unwrap();

    let first = f
        .store
        .remove_document("manager", &for_asha.id)
        .await
        .unwrap();
    assert_eq!(first.sha256, shared);
    assert!(
        first.still_referenced,
        "Bharat's document still uses the file"
    );
    assert!(f.store.tenant_documents(&f.asha).await.unwrap().is_empty());
    let record = f.store.document(&for_asha.id).await.unwrap();
    assert!(record.removed_at.is_some());
    assert_eq!(record.removed_by.as_deref(), Some("manager"));
    assert_eq!(
        audit_actions(&f.store, &for_asha.id).await,
        ["create", "remove"]
    );

    let again = f
        .store
        .remove_document(ACTOR, &for_asha.id)
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::Domain(DomainError::Conflict { .. })),
        "{again:?}"
    );

    let last = f
        .store
        .remove_document(ACTOR, &for_bharat.id)
        .await
        .unwrap();
    assert!(
        !last.still_referenced,
        "no document uses the file: the caller deletes it"
    );
    assert!(f
        .store
        .tenant_documents(&f.bharat)
        .await
        .unwrap()
        .is_empty());

    let err = f.store.remove_document(ACTOR, "nothing").await.unwrap_err();
    assert!(matches!(
        err,
        StoreError::Domain(DomainError::NotFound { .. })
    ));
}

#[tokio::test]
async fn the_database_keeps_documents_with_their_contracts_tenant_whatever_writes() {
    let f = fixture().await;
    let raw = |tenant: &str, contract: &str, kind: &str| {
        sqlx::query(
            "INSERT INTO document (id, tenant_id, contract_id, kind, original_name, file_type,
                size_bytes, sha256, added_by, added_at)
             VALUES (?, ?, ?, ?, 'a.pdf', 'pdf', 10, ?, 'raw', 'now')",
        )
        .bind(uuid_like(kind))
        .bind(tenant.to_string())
        .bind(contract.to_string())
        .bind(kind.to_string())
        .bind(sha('f'))
    };
    let err = raw(&f.asha, &f.bharat_contract, "other")
        .execute(f.store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another tenant"), "{err}");
    let err = raw(&f.asha, &f.asha_contract, "ration_card")
        .execute(f.store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
    raw(&f.asha, &f.asha_contract, "other")
        .execute(f.store.pool())
        .await
        .unwrap();
    let err = sqlx::query("UPDATE document SET contract_id = ?")
        .bind(&f.bharat_contract)
        .execute(f.store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another tenant"), "{err}");
}

fn uuid_like(seed: &str) -> String {
    format!("raw-{seed}")
}
