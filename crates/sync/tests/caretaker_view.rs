//! What a desk holds follows its user's role: a caretaker's desk downloads
//! the organisation without money or KYC numbers, and when the user's role
//! changes on the server, the desk pulls everything again from the start
//! and holds what the new role sees.

mod support;

use multipms_store::Store;
use multipms_sync::token_store::TokenStore;
use multipms_sync::SyncEngine;
use support::{TestServer, PASSWORD};

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_caretakers_desk_holds_no_money_or_kyc_until_the_role_changes() {
    // Sessions are read afresh on every request, so a role change counts
    // at once.
    let server = TestServer::start_with(|s| s.session_cache_secs = 0).await;
    let manager = server.add_user("manager").await;
    let caretaker = server.add_scoped_user("caretaker", "CT1").await;

    // The manager's desk uploads the sample business, one tenant with a
    // PAN on record.
    let dir_a = tempfile::tempdir().unwrap();
    let a = Store::open(dir_a.path()).await.unwrap();
    a.load_sample_portfolio("seed").await.unwrap();
    sqlx::query(
        "UPDATE tenant SET kyc_document = 'pan', kyc_number = 'ABCPS1234K', kyc_masked = 'XXXXXX234K'
         WHERE id = (SELECT min(id) FROM tenant)",
    )
    .execute(a.pool())
    .await
    .unwrap();
    let engine_a = SyncEngine::with_tokens(a.clone(), TokenStore::in_memory(a.desk_id()));
    engine_a
        .sign_in(&server.base, &manager, PASSWORD)
        .await
        .unwrap();
    engine_a.sync_once().await.unwrap();
    let payments = count(&a, "SELECT count(*) FROM payment").await;
    let entries = count(&a, "SELECT count(*) FROM ledger_entry").await;
    assert!(payments > 0 && entries > 0);

    // The caretaker's desk: the business without its money or KYC.
    let dir_b = tempfile::tempdir().unwrap();
    let b = Store::open(dir_b.path()).await.unwrap();
    let engine_b = SyncEngine::with_tokens(b.clone(), TokenStore::in_memory(b.desk_id()));
    engine_b
        .sign_in(&server.base, &caretaker, PASSWORD)
        .await
        .unwrap();
    engine_b.sync_once().await.unwrap();
    for table in ["tenant", "bed", "room", "allocation"] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(count(&b, &sql).await, count(&a, &sql).await, "{table}");
    }
    for table in ["payment", "ledger_entry", "invoice", "contract", "document"] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(
            count(&b, &sql).await,
            0,
            "a caretaker's desk holds {table} rows"
        );
    }
    assert_eq!(
        count(
            &b,
            "SELECT count(*) FROM tenant WHERE kyc_number IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &b,
            "SELECT count(*) FROM tenant WHERE kyc_masked = 'XXXXXX234K'"
        )
        .await,
        1
    );

    // Promoted to manager: the next sync pulls everything again.
    server.set_role(&caretaker, "manager").await;
    engine_b.sync_once().await.unwrap();
    assert_eq!(count(&b, "SELECT count(*) FROM payment").await, payments);
    assert_eq!(
        count(&b, "SELECT count(*) FROM ledger_entry").await,
        entries
    );
    assert_eq!(
        count(
            &b,
            "SELECT count(*) FROM tenant WHERE kyc_number = 'ABCPS1234K'"
        )
        .await,
        1
    );
    assert_eq!(b.sync_dump().await.unwrap(), a.sync_dump().await.unwrap());

    // Back to caretaker: the desk drops the money and the KYC number again.
    server.set_role(&caretaker, "caretaker").await;
    engine_b.sync_once().await.unwrap();
    assert_eq!(count(&b, "SELECT count(*) FROM payment").await, 0);
    assert_eq!(count(&b, "SELECT count(*) FROM ledger_entry").await, 0);
    assert_eq!(
        count(
            &b,
            "SELECT count(*) FROM tenant WHERE kyc_number IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &b,
            "SELECT count(*) FROM account_dues WHERE dues_paise <> 0"
        )
        .await,
        0
    );
}
