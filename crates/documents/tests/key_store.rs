//! The documents key: a private key file that gives the same key every
//! time, and the keyring falling back to it quickly on a machine without one.

use std::time::{Duration, Instant};

use multipms_documents::{file_key, KeySource, KeyStore, KeyStoreChoice, KEY_FILE_NAME};

#[test]
fn the_file_store_creates_a_private_key_file_and_gives_the_same_key_again() {
    let dir = tempfile::tempdir().unwrap();
    let app_data = dir.path().join("app-data");
    let store = KeyStore::new(&app_data, KeyStoreChoice::File);
    let (first, source) = store.load_or_create().unwrap();
    let path = app_data.join(KEY_FILE_NAME);
    assert_eq!(source, KeySource::File(path.clone()));
    assert!(path.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
    let (second, _) = KeyStore::new(&app_data, KeyStoreChoice::File)
        .load_or_create()
        .unwrap();
    assert_eq!(first.as_bytes(), second.as_bytes());
    assert_eq!(file_key(&path).unwrap().as_bytes(), first.as_bytes());
    assert_ne!(first.as_bytes(), &[0u8; 32]);
    assert_eq!(
        format!("{first:?}"),
        "DocumentKey(..)",
        "the key is never printed"
    );
}

#[test]
fn a_damaged_key_file_is_an_error_not_a_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(KEY_FILE_NAME);
    std::fs::write(&path, "not a key").unwrap();
    let err = KeyStore::new(dir.path(), KeyStoreChoice::File)
        .load_or_create()
        .unwrap_err();
    assert!(
        err.to_string().contains("does not hold a documents key"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a key");
}

#[test]
fn auto_uses_a_key_file_that_already_holds_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let (made, _) = KeyStore::new(dir.path(), KeyStoreChoice::File)
        .load_or_create()
        .unwrap();
    let (found, source) = KeyStore::new(dir.path(), KeyStoreChoice::Auto)
        .load_or_create()
        .unwrap();
    assert_eq!(source, KeySource::File(dir.path().join(KEY_FILE_NAME)));
    assert_eq!(found.as_bytes(), made.as_bytes());
}

/// On a headless Linux machine (no D-Bus session) the keyring is unavailable:
/// `auto` must fall back to the key file, quickly, and `keyring` must fail.
/// Skipped where a session bus exists, so a developer's real keyring is not
/// written to.
#[cfg(target_os = "linux")]
#[test]
fn without_a_session_bus_auto_falls_back_to_the_file_quickly() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        eprintln!("skipped: this machine has a D-Bus session (and maybe a real keyring)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (_, source) = KeyStore::new(dir.path(), KeyStoreChoice::Auto)
        .load_or_create()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(source, KeySource::File(dir.path().join(KEY_FILE_NAME)));
    assert!(took < Duration::from_secs(6), "took {took:?}");
    eprintln!("auto fell back to the key file in {took:?}");

    let other = tempfile::tempdir().unwrap();
    let err = KeyStore::new(other.path(), KeyStoreChoice::Keyring)
        .load_or_create()
        .unwrap_err();
    assert!(err.to_string().contains("keyring is unavailable"), "{err}");
    eprintln!("with {}=keyring: {err}", multipms_documents::KEY_STORE_ENV);
    assert!(!other.path().join(KEY_FILE_NAME).exists());
}
