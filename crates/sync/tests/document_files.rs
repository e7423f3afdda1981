//! A document added at one desk opens at the others: its record travels as
//! any row, its file by SHA-256 after the round's push and pull. A file
//! not on the server yet is asked for again next round.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use multipms_store::document::NewDocument;
use multipms_store::Store;
use multipms_sync::document_files::{DocumentFiles, FilesMoved};
use multipms_sync::token_store::TokenStore;
use multipms_sync::SyncEngine;
use sha2::{Digest, Sha256};
use support::{TestServer, PASSWORD};

/// A desk's files in memory (the app's are its encrypted vault).
#[derive(Default)]
struct Shelf(Mutex<HashMap<String, Vec<u8>>>);

impl Shelf {
    fn add(&self, bytes: &[u8]) -> String {
        let sha = hex::encode(Sha256::digest(bytes));
        self.0.lock().unwrap().insert(sha.clone(), bytes.to_vec());
        sha
    }
    fn get(&self, sha: &str) -> Option<Vec<u8>> {
        self.0.lock().unwrap().get(sha).cloned()
    }
}

impl DocumentFiles for Shelf {
    fn read(&self, sha256: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.get(sha256))
    }
    fn keep(&self, bytes: &[u8]) -> Result<(), String> {
        self.add(bytes);
        Ok(())
    }
}

struct Desk {
    _dir: tempfile::TempDir,
    store: Store,
    engine: Arc<SyncEngine>,
    shelf: Arc<Shelf>,
}

async fn desk(server: &TestServer, email: &str, sample: bool) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    if sample {
        store.load_sample_portfolio("seed").await.unwrap();
    }
    let engine = SyncEngine::with_tokens(store.clone(), TokenStore::in_memory(store.desk_id()));
    let shelf = Arc::new(Shelf::default());
    engine.set_document_files(shelf.clone());
    engine.sign_in(&server.base, email, PASSWORD).await.unwrap();
    Desk {
        _dir: dir,
        store,
        engine,
        shelf,
    }
}

fn document(tenant: &str, name: &str, sha256: &str, size: usize) -> NewDocument {
    NewDocument {
        tenant_id: tenant.to_string(),
        contract_id: None,
        kind: "pan".to_string(),
        original_name: name.to_string(),
        file_type: "pdf".to_string(),
        size_bytes: size as u64,
        sha256: sha256.to_string(),
    }
}

#[tokio::test]
async fn a_document_added_at_one_desk_arrives_with_its_file_at_another() {
    let server = TestServer::start().await;
    let a = desk(&server, &server.add_user("manager").await, true).await;
    a.engine.sync_once().await.unwrap();
    let b = desk(&server, &server.add_user("manager").await, false).await;
    b.engine.sync_once().await.unwrap();

    let tenant: String = sqlx::query_scalar("SELECT min(id) FROM tenant")
        .fetch_one(a.store.pool())
        .await
        .unwrap();
    let pan = b"%PDF-1.7 PAN card of the tenant".to_vec();
    let sha = a.shelf.add(&pan);
    let record = a
        .store
        .add_document("Front desk", &document(&tenant, "pan.pdf", &sha, pan.len()))
        .await
        .unwrap();
    let round = a.engine.sync_once().await.unwrap();
    assert_eq!(
        round.files,
        FilesMoved {
            uploaded: 1,
            downloaded: 0,
            waiting: 0
        }
    );

    let round = b.engine.sync_once().await.unwrap();
    assert_eq!(round.files.downloaded, 1, "{round:?}");
    assert_eq!(b.store.document(&record.id).await.unwrap().sha256, sha);
    assert_eq!(b.shelf.get(&sha).as_deref(), Some(pan.as_slice()));
    // Done once: the next round moves nothing.
    assert_eq!(
        b.engine.sync_once().await.unwrap().files,
        FilesMoved::default()
    );

    // A record whose file its desk does not have (yet): every desk waits
    // for it, and it arrives once the file is there and uploaded.
    let agreement = b"%PDF-1.7 rental agreement, signed".to_vec();
    let late = hex::encode(Sha256::digest(&agreement));
    a.store
        .add_document(
            "Front desk",
            &document(&tenant, "agreement.pdf", &late, agreement.len()),
        )
        .await
        .unwrap();
    assert_eq!(a.engine.sync_once().await.unwrap().files.waiting, 1);
    assert_eq!(b.engine.sync_once().await.unwrap().files.waiting, 1);
    assert_eq!(b.shelf.get(&late), None);
    a.shelf.add(&agreement);
    assert_eq!(a.engine.sync_once().await.unwrap().files.uploaded, 1);
    assert_eq!(b.engine.sync_once().await.unwrap().files.downloaded, 1);
    assert_eq!(b.shelf.get(&late).as_deref(), Some(agreement.as_slice()));
}
