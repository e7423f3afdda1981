//! A keyring that never answers (a D-Bus that accepts the connection and then
//! says nothing) must not hang the app: `auto` gives up after the timeout and
//! uses the key file. Its own test binary, since it points this process's
//! session bus at a silent socket.

#[cfg(target_os = "linux")]
#[test]
fn a_silent_session_bus_costs_at_most_the_timeout() {
    use std::os::unix::net::UnixListener;
    use std::time::Instant;

    use multipms_documents::{KeySource, KeyStore, KeyStoreChoice, KEYRING_TIMEOUT, KEY_FILE_NAME};

    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("silent-bus");
    let listener = UnixListener::bind(&socket).unwrap();
    // Accept connections and hold them open without a word.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", socket.display()),
    );

    let app_data = dir.path().join("app-data");
    let started = Instant::now();
    let (_, source) = KeyStore::new(&app_data, KeyStoreChoice::Auto)
        .load_or_create()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(source, KeySource::File(app_data.join(KEY_FILE_NAME)));
    assert!(
        took < KEYRING_TIMEOUT + std::time::Duration::from_secs(2),
        "took {took:?}"
    );
    eprintln!("a silent bus: fell back to the key file in {took:?}");
}
