//! Requests per session token per minute, counted in this instance.
//!
//! A fixed one-minute window per token hash. Several instances behind a load
//! balancer each count their own share; a shared limit would need the
//! database or the load balancer.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// Counts requests per key.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<[u8; 32], (Instant, u32)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per key.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `key`; `Err(seconds to wait)` when over.
    pub fn check(&self, key: &[u8; 32]) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = windows.entry(*key).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        if entry.1 >= self.per_minute {
            let wait = WINDOW.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key() {
        let limiter = RateLimiter::new(2);
        let a = [1u8; 32];
        let b = [2u8; 32];
        assert!(limiter.check(&a).is_ok());
        assert!(limiter.check(&a).is_ok());
        assert!(limiter.check(&a).is_err());
        assert!(limiter.check(&b).is_ok());
    }
}
