//! The desk's side of sync without a server: what local writes put in the
//! outbox, how they group into operations, and that applying another
//! desk's rows reproduces that desk exactly (every synced table of the
//! sample business), that a refused operation rolls back even append-only
//! rows, and that pulled rows never come back out of the outbox.

use multipms_domain::payment::PaymentInput;
use multipms_domain::tenant::TenantInput;
use multipms_store::sync_link::{LinkStart, NewLink};
use multipms_store::sync_outbox::Refusal;
use multipms_store::sync_replica::Record;
use multipms_store::Store;

fn link(org: &str) -> NewLink {
    NewLink {
        server_url: "https://pms.example.in".into(),
        org_id: org.into(),
        org_name: "Sunrise Living".into(),
        user_email: "desk@example.in".into(),
        user_name: "Desk Person".into(),
        user_role: "front_desk".into(),
    }
}

async fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    (dir, store)
}

/// Everything in the outbox, as the records a server would hand back.
async fn outbox_as_records(store: &Store) -> Vec<Record> {
    let mut records = Vec::new();
    loop {
        let ops = store.next_ops(usize::MAX).await.unwrap();
        if ops.is_empty() {
            return records;
        }
        for op in ops {
            for row in &op.rows {
                records.push(Record {
                    entity: row.entity.clone(),
                    key: row.key.clone(),
                    data: row.new.clone(),
                });
            }
            store.op_accepted(&op.op_id).await.unwrap();
        }
    }
}

/// The rows that differ between two dumps, for a readable failure.
fn differences(left: &[Record], right: &[Record]) -> Vec<String> {
    let mut out = Vec::new();
    for r in left {
        if !right.contains(r) {
            out.push(format!("only left: {} {} {:?}", r.entity, r.key, r.data));
        }
    }
    for r in right {
        if !left.contains(r) {
            out.push(format!("only right: {} {} {:?}", r.entity, r.key, r.data));
        }
    }
    out.truncate(6);
    out
}

fn tenant(name: &str, mobile: &str) -> TenantInput {
    TenantInput {
        full_name: name.into(),
        mobile: mobile.into(),
        ..Default::default()
    }
}

async fn capture_triggers(store: &Store) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_capture_%'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_desk_that_is_not_linked_keeps_no_outbox() {
    let (_dir, store) = open().await;
    // No capture triggers on a desk on its own: its writes run none.
    assert_eq!(capture_triggers(&store).await, 0);
    store.load_sample_portfolio("test").await.unwrap();
    assert_eq!(store.outbox_len().await.unwrap(), 0);
    assert!(store.next_ops(1_000_000).await.unwrap().is_empty());
}

/// Linking makes the capture triggers at once, and opening a linked desk
/// again keeps them.
#[tokio::test]
async fn linking_starts_the_capture_and_it_survives_a_restart() {
    let (dir, store) = open().await;
    store.link_to_server(&link("org-1"), true).await.unwrap();
    let per_table = 3;
    let expected = (per_table * multipms_store::sync_capture::SYNCED_TABLES.len()) as i64;
    assert_eq!(capture_triggers(&store).await, expected);
    store.close().await;
    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(capture_triggers(&store).await, expected);
    store
        .save_tenant("test", None, &tenant("Ravi Sharma", "9876543210"))
        .await
        .unwrap();
    assert_eq!(store.next_ops(usize::MAX).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_sample_business_uploads_and_another_desk_becomes_its_copy() {
    let (_a_dir, a) = open().await;
    a.load_sample_portfolio("test").await.unwrap();
    let start = a.link_to_server(&link("org-1"), true).await.unwrap();
    let LinkStart::Uploading { rows } = start else {
        panic!("expected an upload, got {start:?}");
    };
    let dump = a.sync_dump().await.unwrap();
    assert_eq!(rows as usize, dump.len(), "every synced row is queued once");
    assert!(dump.iter().any(|r| r.entity == "ledger_entry"));
    assert!(dump.iter().any(|r| r.entity == "invoice_line"));
    assert!(dump.iter().any(|r| r.entity == "payment_allocation"));

    // Operations: at most MAX_OP_ROWS rows each, parents before children.
    let ops = a.next_ops(usize::MAX).await.unwrap();
    assert!(!ops.is_empty());
    assert!(ops.iter().all(|op| op.rows.len() <= 2000));
    let order: Vec<usize> = ops
        .iter()
        .flat_map(|op| &op.rows)
        .map(|r| {
            multipms_store::sync_capture::SYNCED_TABLES
                .iter()
                .position(|t| t.name == r.entity)
                .unwrap()
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "parents go first");
    // Asking again before an answer repeats the same operations, same ids.
    let again = a.next_ops(usize::MAX).await.unwrap();
    assert_eq!(
        ops.iter().map(|o| &o.op_id).collect::<Vec<_>>(),
        again.iter().map(|o| &o.op_id).collect::<Vec<_>>()
    );

    let records = outbox_as_records(&a).await;
    assert_eq!(a.outbox_len().await.unwrap(), 0);

    let (_b_dir, b) = open().await;
    assert_eq!(
        b.link_to_server(&link("org-1"), false).await.unwrap(),
        LinkStart::Downloading
    );
    // In pages, as a pull would bring them.
    let pages: Vec<&[Record]> = records.chunks(700).collect();
    for (i, page) in pages.iter().enumerate() {
        b.apply_pulled(page, (i as i64 + 1) * 700, i + 1 == pages.len())
            .await
            .unwrap();
    }
    let copy = b.sync_dump().await.unwrap();
    assert!(
        copy == dump,
        "desk B is desk A's copy: {:#?}",
        differences(&copy, &dump)
    );
    assert_eq!(
        b.outbox_len().await.unwrap(),
        0,
        "pulled rows are not pushed back"
    );
    assert_eq!(
        b.sync_link().await.unwrap().unwrap().last_seq,
        pages.len() as i64 * 700
    );
    // The search index was rebuilt for the pulled tenants.
    let some_tenant = dump
        .iter()
        .find(|r| r.entity == "tenant")
        .and_then(|r| r.data.as_ref())
        .and_then(|d| d["full_name"].as_str())
        .unwrap()
        .to_string();
    let found = b.search_tenants(&some_tenant, 10).await.unwrap();
    assert!(!found.is_empty(), "{some_tenant} is found on desk B");
    // Balances on B are those of A.
    for record in dump.iter().filter(|r| r.entity == "tenant").take(10) {
        assert_eq!(
            a.balance(&record.key).await.unwrap(),
            b.balance(&record.key).await.unwrap()
        );
    }
}

#[tokio::test]
async fn one_transaction_is_one_operation_and_edits_carry_before_and_after() {
    let (_dir, store) = open().await;
    store.link_to_server(&link("org-1"), true).await.unwrap();
    let _ = outbox_as_records(&store).await;
    let added = store
        .save_tenant("test", None, &tenant("Ravi Sharma", "9876543210"))
        .await
        .unwrap();
    let ops = store.next_ops(usize::MAX).await.unwrap();
    assert_eq!(ops.len(), 1, "{ops:?}");
    assert!(ops[0].rows.iter().all(|r| r.entity == "tenant"));
    assert!(ops[0].rows[0].old.is_none());
    store.op_accepted(&ops[0].op_id).await.unwrap();

    let mut edit = tenant("Ravi Sharma", "9876543210");
    edit.occupation = Some("student".into());
    store
        .save_tenant("test", Some(&added.id), &edit)
        .await
        .unwrap();
    let ops = store.next_ops(usize::MAX).await.unwrap();
    assert_eq!(ops.len(), 1);
    let row = &ops[0].rows[0];
    assert_eq!(row.key, added.id);
    assert_eq!(
        row.old.as_ref().unwrap()["occupation"],
        serde_json::Value::Null
    );
    assert_eq!(row.new.as_ref().unwrap()["occupation"], "student");
}

#[tokio::test]
async fn a_refused_payment_is_rolled_back_ledger_and_all() {
    let (_dir, store) = open().await;
    store.load_sample_portfolio("test").await.unwrap();
    store.link_to_server(&link("org-1"), true).await.unwrap();
    let _ = outbox_as_records(&store).await;
    let before = store.sync_dump().await.unwrap();
    let tenant_id = before
        .iter()
        .find(|r| r.entity == "tenant")
        .unwrap()
        .key
        .clone();
    let balance_before = store.balance(&tenant_id).await.unwrap();
    let input = PaymentInput {
        mode: "upi".into(),
        amount: "1500".into(),
        paid_on: multipms_store::today().format("%Y-%m-%d").to_string(),
        reference: "498765432109".into(),
        ..Default::default()
    };
    store
        .record_payment("test", &tenant_id, &input)
        .await
        .unwrap();
    let ops = store.next_ops(usize::MAX).await.unwrap();
    assert_eq!(ops.len(), 1);
    let op = &ops[0];
    assert!(op.rows.iter().any(|r| r.entity == "ledger_entry"));
    // The server has the rows as they were before (the receipt series),
    // and none of the new ones.
    let truth: Vec<Record> = op
        .rows
        .iter()
        .map(|r| Record {
            entity: r.entity.clone(),
            key: r.key.clone(),
            data: before
                .iter()
                .find(|b| b.entity == r.entity && b.key == r.key)
                .and_then(|b| b.data.clone()),
        })
        .collect();
    assert!(truth.iter().any(|t| t.data.is_none()), "the payment is new");
    store
        .op_refused(&Refusal {
            op_id: op.op_id.clone(),
            message: "UTR 498765432109 is already booked as receipt RC/26-27/00001".into(),
            field: Some("utr".into()),
            truth,
        })
        .await
        .unwrap();
    let after = store.sync_dump().await.unwrap();
    assert!(
        after == before,
        "nothing of it is left: {:#?}",
        differences(&after, &before)
    );
    assert_eq!(store.balance(&tenant_id).await.unwrap(), balance_before);
    assert_eq!(store.outbox_len().await.unwrap(), 0);
    let conflicts = store.sync_conflicts().await.unwrap();
    assert_eq!(conflicts.len(), 1);
    assert!(conflicts[0].message.contains("498765432109"));
    assert_eq!(conflicts[0].field.as_deref(), Some("utr"));
    store.dismiss_conflict(&op.op_id).await.unwrap();
    assert!(store.sync_conflicts().await.unwrap().is_empty());
    // The append-only guards are back: a raw delete is refused again.
    let refused = sqlx::query("DELETE FROM ledger_entry")
        .execute(store.pool())
        .await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn a_pulled_row_does_not_overwrite_a_local_edit_waiting_to_be_pushed() {
    let (_dir, store) = open().await;
    store.link_to_server(&link("org-1"), true).await.unwrap();
    let added = store
        .save_tenant("test", None, &tenant("Ravi Sharma", "9876543210"))
        .await
        .unwrap();
    let mut server_row = store
        .sync_dump()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.entity == "tenant")
        .unwrap();
    server_row.data.as_mut().unwrap()["full_name"] = "Ravi S. from the server".into();
    store.apply_pulled(&[server_row], 5, true).await.unwrap();
    assert_eq!(
        store.tenant(&added.id).await.unwrap().full_name,
        "Ravi Sharma"
    );
}

#[tokio::test]
async fn linking_refuses_a_second_business_and_another_organisation() {
    let (_dir, store) = open().await;
    store.load_sample_portfolio("test").await.unwrap();
    let err = store
        .link_to_server(&link("org-1"), false)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("Two businesses cannot be merged"),
        "{err}"
    );
    assert!(store.sync_link().await.unwrap().is_none());
    store.link_to_server(&link("org-1"), true).await.unwrap();
    assert_eq!(
        store.link_to_server(&link("org-1"), false).await.unwrap(),
        LinkStart::Relinked
    );
    let err = store
        .link_to_server(&link("org-2"), true)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("keeps the books of"), "{err}");
}
