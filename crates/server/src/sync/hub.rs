//! Wakes the long polls of an organisation when it gets new sequence
//! numbers: a `tokio::sync::watch` per organisation, in this process.
//!
//! Several server instances behind a load balancer share one database: an
//! accepted push also sends `NOTIFY multipms_sync, '<org_id> <last_seq>'`
//! in its transaction ([`notify`]), and every instance `LISTEN`s on a
//! connection of its own ([`listen`]) and wakes its own pollers. The
//! pushing instance wakes its pollers at once as well. A notification
//! lost while the listening connection is down costs only latency: a poll
//! still ends at its `wait` and the desk asks again.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::PgPool;

use tokio::sync::watch;
use uuid::Uuid;

/// The organisations' last sequence numbers, for the pollers waiting.
#[derive(Debug, Default)]
pub struct SyncHub {
    channels: Mutex<HashMap<Uuid, watch::Sender<i64>>>,
}

/// Channels kept before the unused ones are dropped.
const PRUNE_ABOVE: usize = 256;

impl SyncHub {
    /// A new hub.
    pub fn new() -> SyncHub {
        SyncHub::default()
    }

    /// A receiver that changes when `org_id` gets a new sequence number.
    /// Subscribe before reading, so a change in between is not missed.
    pub fn subscribe(&self, org_id: Uuid) -> watch::Receiver<i64> {
        let mut channels = self
            .channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if channels.len() > PRUNE_ABOVE {
            channels.retain(|_, sender| sender.receiver_count() > 0);
        }
        channels
            .entry(org_id)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    /// Tells `org_id`'s pollers that its last sequence number is now
    /// `last_seq`.
    pub fn publish(&self, org_id: Uuid, last_seq: i64) {
        let channels = self
            .channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(sender) = channels.get(&org_id) {
            sender.send_replace(last_seq);
        }
    }
}

/// The channel instances tell each other on.
pub const CHANNEL: &str = "multipms_sync";

/// Tells every instance, when `tx` commits, that `org_id` has reached
/// `last_seq`.
pub async fn notify(
    tx: &mut crate::db::OrgTx,
    org_id: Uuid,
    last_seq: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(format!("{org_id} {last_seq}"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Listens, until `pool` is closed, for other instances' pushes and wakes
/// this instance's pollers. `pool` is the listener's own (one
/// connection), so the requests' pool keeps all of its connections.
pub async fn listen(pool: PgPool, hub: Arc<SyncHub>) {
    loop {
        match listen_once(&pool, &hub).await {
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(
                    "listening for other instances' sync pushes failed: {e}; again in 1 s"
                );
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Ok(()) => return,
        }
    }
}

async fn listen_once(pool: &PgPool, hub: &SyncHub) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let heard = listener.recv().await?;
        let mut parts = heard.payload().split(' ');
        let org = parts.next().and_then(|o| o.parse::<Uuid>().ok());
        let seq = parts.next().and_then(|s| s.parse::<i64>().ok());
        if let (Some(org), Some(seq)) = (org, seq) {
            hub.publish(org, seq);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn wakes_only_its_organisation() {
        let hub = SyncHub::new();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let mut rx_a = hub.subscribe(a);
        let rx_b = hub.subscribe(b);
        hub.publish(a, 7);
        rx_a.changed().await.unwrap();
        assert_eq!(*rx_a.borrow(), 7);
        assert!(!rx_b.has_changed().unwrap());
        hub.publish(Uuid::now_v7(), 1);
        assert!(!rx_b.has_changed().unwrap());
    }
}
