//! How long the desk took to be ready: from the moment the OS started the
//! process to the moment the UI reports its first screen drawn with
//! figures. Logged, and kept for the end-to-end harness to read.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

static ENTERED_RUN: OnceLock<Instant> = OnceLock::new();
static READY_AFTER: OnceLock<Duration> = OnceLock::new();
static FIRST_CALL_AFTER: OnceLock<Duration> = OnceLock::new();
static STORE_OPEN_AFTER: OnceLock<Duration> = OnceLock::new();

/// Notes the start of [`crate::run`], the fallback where the OS's own
/// process start time cannot be read.
pub fn mark_run() {
    ENTERED_RUN.get_or_init(Instant::now);
}

/// Notes that the store is open (the app's setup is done): the part of
/// startup before the window is created.
pub fn store_open() {
    STORE_OPEN_AFTER.get_or_init(since_process_start);
}

/// When the store was open, if it has been.
pub fn store_open_after() -> Option<Duration> {
    STORE_OPEN_AFTER.get().copied()
}

/// Logs, once, how long the window took to load the UI and make its first
/// call: the part of startup that is WebKit's rather than ours.
pub fn first_call() -> Duration {
    *FIRST_CALL_AFTER.get_or_init(|| {
        let after = since_process_start();
        tracing::info!(ms = after.as_millis() as u64, "first call from the UI");
        after
    })
}

/// Records the first call as "ready" and returns the time from process
/// start to it; later calls return the same figure.
pub fn ready() -> Duration {
    *READY_AFTER.get_or_init(|| {
        let after = since_process_start();
        tracing::info!(ms = after.as_millis() as u64, "ready: first screen drawn");
        after
    })
}

fn since_process_start() -> Duration {
    #[cfg(target_os = "linux")]
    if let Some(age) = linux_process_age() {
        return age;
    }
    ENTERED_RUN.get().map(Instant::elapsed).unwrap_or_default()
}

/// The process's age from `/proc`: its start time in clock ticks after
/// boot (field 22 of `/proc/self/stat`) against the system's uptime. This
/// includes loading the WebKit libraries, which happens before `main`.
#[cfg(target_os = "linux")]
fn linux_process_age() -> Option<Duration> {
    // The USER_HZ of /proc, 100 on every Linux architecture Tauri supports.
    const TICKS_PER_SECOND: u64 = 100;
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields are counted after the command name, which may hold spaces;
    // the first field after it is the 3rd, so the 22nd is the 19th after.
    let fields = &stat[stat.rfind(')')? + 1..];
    let start_ticks: u64 = fields.split_whitespace().nth(19)?.parse().ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    let (whole, hundredths) = uptime.split_whitespace().next()?.split_once('.')?;
    let uptime_ticks =
        whole.parse::<u64>().ok()? * TICKS_PER_SECOND + hundredths.get(..2)?.parse::<u64>().ok()?;
    let age_ticks = uptime_ticks.checked_sub(start_ticks)?;
    Some(Duration::from_millis(age_ticks * 1000 / TICKS_PER_SECOND))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_running_process_is_younger_than_a_minute_and_ready_is_fixed() {
        let age = linux_process_age().expect("/proc is readable");
        assert!(age < Duration::from_secs(600), "{age:?}");
        let first = ready();
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(ready(), first);
    }
}
