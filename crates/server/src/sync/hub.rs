//! Wakes the long polls of an organisation when it gets new sequence
//! numbers: a `tokio::sync::watch` per organisation, in this process.
//!
//! One process only: with several server instances behind a load balancer
//! a push on one would not wake a poll waiting on another (that poll still
//! ends at its `wait` and the desk asks again, so nothing is lost, only
//! late). For several instances, the push would `pg_notify('sync', org_id)`
//! in its transaction and each instance would `LISTEN sync` on one
//! connection and call [`SyncHub::publish`] for what it hears.

use std::collections::HashMap;
use std::sync::Mutex;

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
