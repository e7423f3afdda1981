//! The X display the app windows open on: the one in `DISPLAY`, or an Xvfb
//! this test process starts (and that ends when this process ends).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

static DISPLAY: OnceLock<String> = OnceLock::new();
/// The watchdog shell that owns our Xvfb, kept for the life of the process.
static XVFB_WATCHDOG: Mutex<Option<Child>> = Mutex::new(None);

/// The display to use, starting Xvfb the first time when none is set.
pub fn display() -> &'static str {
    DISPLAY.get_or_init(|| match std::env::var("DISPLAY") {
        Ok(d) if !d.is_empty() => d,
        _ => start_xvfb(),
    })
}

fn start_xvfb() -> String {
    let number = (99..199)
        .find(|n| {
            !Path::new(&format!("/tmp/.X{n}-lock")).exists()
                && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        })
        .expect("no free X display number between :99 and :198");
    let display = format!(":{number}");
    // A shell watchdog ends Xvfb when this test process is gone, however it
    // ends, so no server outlives the run.
    let script = format!(
        "Xvfb {display} -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & x=$!; \
         while kill -0 {pid} 2>/dev/null && kill -0 $x 2>/dev/null; do sleep 0.5; done; \
         kill $x 2>/dev/null",
        pid = std::process::id()
    );
    let watchdog = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("could not start Xvfb: install it (Debian package xvfb)");
    *XVFB_WATCHDOG.lock().unwrap() = Some(watchdog);
    let socket = format!("/tmp/.X11-unix/X{number}");
    let started = Instant::now();
    while !Path::new(&socket).exists() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "Xvfb did not open display {display} within 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    display
}
