//! The vault on real files: what goes in comes out byte for byte, nothing of
//! it is readable on disk, and any change on disk is caught.

mod common;

use common::{sample_jpeg, sample_pdf, sample_png, sample_webp, test_key, vault};
use multipms_documents::{check_file, sha256_hex, DocumentError, DocumentKey, FileType, Vault};

fn blob_path(vault: &Vault, sha256: &str) -> std::path::PathBuf {
    vault
        .dir()
        .join(&sha256[..2])
        .join(format!("{}.bin", &sha256[2..]))
}

#[test]
fn each_accepted_type_goes_in_and_comes_out_byte_identical() {
    let (_dir, vault) = vault();
    for (name, bytes, expected) in [
        ("agreement.pdf", sample_pdf(), FileType::Pdf),
        ("aadhaar.jpg", sample_jpeg(), FileType::Jpeg),
        ("pan.png", sample_png(), FileType::Png),
        ("photo.webp", sample_webp(), FileType::Webp),
    ] {
        assert_eq!(check_file(name, &bytes).unwrap(), expected, "{name}");
        let stored = vault.put(&bytes).unwrap();
        assert_eq!(stored.sha256, sha256_hex(&bytes));
        assert_eq!(stored.size, bytes.len() as u64);
        assert!(blob_path(&vault, &stored.sha256).is_file(), "{name}");
        assert!(vault.contains(&stored.sha256).unwrap());
        assert_eq!(vault.get(&stored.sha256).unwrap(), bytes, "{name}");
    }
}

#[test]
fn the_stored_file_holds_none_of_the_original_bytes() {
    let (_dir, vault) = vault();
    for bytes in [sample_pdf(), sample_png(), sample_jpeg()] {
        let stored = vault.put(&bytes).unwrap();
        let on_disk = std::fs::read(blob_path(&vault, &stored.sha256)).unwrap();
        assert!(on_disk.starts_with(b"MPDOC\x01"));
        let windows: std::collections::HashSet<&[u8]> = on_disk.windows(16).collect();
        let leaked = bytes.windows(16).filter(|w| windows.contains(w)).count();
        assert_eq!(
            leaked, 0,
            "{leaked} 16-byte windows of the plaintext are on disk"
        );
    }
}

#[test]
fn one_changed_byte_on_disk_is_caught_as_tampering() {
    let (_dir, vault) = vault();
    let bytes = sample_pdf();
    let stored = vault.put(&bytes).unwrap();
    let path = blob_path(&vault, &stored.sha256);
    let original = std::fs::read(&path).unwrap();
    // In the ciphertext, in the tag at the end, and in the nonce.
    for at in [original.len() / 2, original.len() - 1, 10] {
        let mut changed = original.clone();
        changed[at] ^= 0x01;
        std::fs::write(&path, &changed).unwrap();
        let err = vault.get(&stored.sha256).unwrap_err();
        assert!(
            matches!(err, DocumentError::Tampered { ref sha256 } if *sha256 == stored.sha256),
            "byte {at}: {err:?}"
        );
        assert!(err.to_string().contains("changed or damaged"), "{err}");
    }
    // A broken header is damage, said as such.
    let mut changed = original.clone();
    changed[0] = b'X';
    std::fs::write(&path, &changed).unwrap();
    assert!(matches!(
        vault.get(&stored.sha256),
        Err(DocumentError::Corrupt { .. })
    ));
    // Putting the same file again repairs it.
    vault.put(&bytes).unwrap();
    assert_eq!(vault.get(&stored.sha256).unwrap(), bytes);
}

#[test]
fn a_file_moved_under_another_name_is_caught() {
    let (_dir, vault) = vault();
    let a = vault.put(&sample_png()).unwrap();
    let b = vault.put(&sample_jpeg()).unwrap();
    std::fs::copy(blob_path(&vault, &a.sha256), blob_path(&vault, &b.sha256)).unwrap();
    assert!(matches!(
        vault.get(&b.sha256),
        Err(DocumentError::Tampered { .. })
    ));
}

#[test]
fn the_same_file_twice_is_stored_once() {
    let (_dir, vault) = vault();
    let bytes = sample_jpeg();
    let first = vault.put(&bytes).unwrap();
    let second = vault.put(&bytes).unwrap();
    assert_eq!(first, second);
    let blobs: Vec<_> = walk(vault.dir())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bin") && !p.ends_with("key-check.bin"))
        .collect();
    assert_eq!(blobs.len(), 1, "{blobs:?}");
    // No temporary file is left behind.
    assert!(walk(vault.dir())
        .iter()
        .all(|p| !p.to_string_lossy().contains(".incoming-")));
}

#[test]
fn remove_deletes_the_file() {
    let (_dir, vault) = vault();
    let stored = vault.put(&sample_png()).unwrap();
    assert!(vault.remove(&stored.sha256).unwrap());
    assert!(!vault.contains(&stored.sha256).unwrap());
    assert!(!blob_path(&vault, &stored.sha256).exists());
    assert!(
        !vault.remove(&stored.sha256).unwrap(),
        "a second remove finds nothing"
    );
    assert!(matches!(
        vault.get(&stored.sha256),
        Err(DocumentError::NotFound { .. })
    ));
}

#[test]
fn names_that_could_reach_outside_the_vault_are_refused() {
    let (_dir, vault) = vault();
    for bad in [
        "../../../etc/passwd",
        "",
        "ab",
        &format!("../{}", "a".repeat(61)),
    ] {
        assert!(
            matches!(vault.get(bad), Err(DocumentError::InvalidName { .. })),
            "{bad}"
        );
        assert!(
            matches!(vault.remove(bad), Err(DocumentError::InvalidName { .. })),
            "{bad}"
        );
        assert!(
            matches!(vault.contains(bad), Err(DocumentError::InvalidName { .. })),
            "{bad}"
        );
    }
}

#[test]
fn another_key_does_not_open_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("documents");
    let vault = Vault::open(&folder, test_key()).unwrap();
    vault.put(&sample_pdf()).unwrap();
    drop(vault);
    assert!(Vault::open(&folder, test_key()).is_ok());
    let err = Vault::open(&folder, DocumentKey::from_bytes([8u8; 32])).unwrap_err();
    assert!(matches!(err, DocumentError::WrongKey { .. }), "{err:?}");
    assert!(err.to_string().contains("does not open"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_vault_folder_and_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, vault) = vault();
    let stored = vault.put(&sample_png()).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(vault.dir()), 0o700);
    assert_eq!(mode(&blob_path(&vault, &stored.sha256)), 0o600);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
