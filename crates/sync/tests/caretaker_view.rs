//! What a desk holds follows its user's role: a caretaker's desk downloads
//! their property, without money or KYC numbers, and when the user's role
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
async fn a_caretakers_desk_holds_its_property_without_money_or_kyc_until_the_role_changes() {
    // Sessions are read afresh on every request, so a role change counts
    // at once.
    let server = TestServer::start_with(|s| s.session_cache_secs = 0).await;
    let manager = server.add_user("manager").await;

    // The manager's desk uploads the sample business, one tenant with a
    // PAN on record.
    let dir_a = tempfile::tempdir().unwrap();
    let a = Store::open(dir_a.path()).await.unwrap();
    a.load_sample_portfolio("seed").await.unwrap();
    sqlx::query(
        "UPDATE tenant SET kyc_document = 'pan', kyc_number = 'ABCPS1234K', kyc_masked = 'XXXXXX234K'
         WHERE id = (SELECT min(a.tenant_id) FROM allocation a
                     WHERE a.property_id = (SELECT id FROM property ORDER BY code LIMIT 1))",
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
    // The caretaker works at the sample's first property (the server's
    // property and the desks' are matched by code).
    let (property, code): (String, String) =
        sqlx::query_as("SELECT id, code FROM property ORDER BY code LIMIT 1")
            .fetch_one(a.pool())
            .await
            .unwrap();
    assert!(count(&a, "SELECT count(DISTINCT property_id) FROM bed").await > 1);
    let caretaker = server.add_scoped_user("caretaker", &code).await;
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
    // Its property's rooms, beds and stays, and the tenants who stay there
    // or nowhere yet; nothing of the other properties.
    for (table, mine) in [
        ("property", format!("SELECT count(*) FROM property WHERE id = '{property}'")),
        ("room", format!("SELECT count(*) FROM room WHERE property_id = '{property}'")),
        ("bed", format!("SELECT count(*) FROM bed WHERE property_id = '{property}'")),
        ("allocation", format!("SELECT count(*) FROM allocation WHERE property_id = '{property}'")),
        (
            "tenant",
            format!(
                "SELECT count(*) FROM tenant t WHERE EXISTS (SELECT 1 FROM allocation a WHERE a.tenant_id = t.id AND a.property_id = '{property}')
                 OR NOT EXISTS (SELECT 1 FROM allocation a WHERE a.tenant_id = t.id)"
            ),
        ),
    ] {
        let held = count(&b, &format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(held, count(&a, &mine).await, "{table}");
        assert!(held > 0, "{table}");
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
