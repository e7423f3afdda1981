//! The server checks every pushed row against its own list of the desk's
//! tables and columns (`multipms_server::sync::schema`) and refuses a
//! column it does not know. This test keeps the two in step: a desk
//! migration that adds a column to a synced table fails here until the
//! server's list names it too (otherwise every push of that table would be
//! refused in the field).

use std::collections::BTreeSet;

use multipms_server::sync::schema;
use multipms_store::sync_capture::{synced_columns, SYNCED_TABLES};
use multipms_store::Store;

#[tokio::test]
async fn the_server_knows_every_synced_table_and_column_of_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let mut problems = Vec::new();
    for table in SYNCED_TABLES {
        let Some(entity) = schema::entity(table.name) else {
            problems.push(format!("the server has no entity `{}`", table.name));
            continue;
        };
        if entity.key != table.key {
            problems.push(format!(
                "`{}` is keyed by {:?} on the desk, {:?} on the server",
                table.name, table.key, entity.key
            ));
        }
        let desk: BTreeSet<String> = synced_columns(&mut conn, table.name)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let server: BTreeSet<String> = entity.columns.iter().map(|(c, _)| c.to_string()).collect();
        for missing in desk.difference(&server) {
            problems.push(format!(
                "`{}.{missing}` is synced by the desk but unknown to the server",
                table.name
            ));
        }
        for extra in server.difference(&desk) {
            problems.push(format!(
                "`{}.{extra}` is expected by the server but the desk has no such column",
                table.name
            ));
        }
    }
    for entity in schema::ENTITIES {
        if !SYNCED_TABLES.iter().any(|t| t.name == entity.name) {
            problems.push(format!(
                "the server knows `{}`, the desk does not sync it",
                entity.name
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "desk and server disagree:\n{}",
        problems.join("\n")
    );
}
