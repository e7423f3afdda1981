//! Files the desk refuses, read from disk as the app reads them, with
//! messages that name the file and say why.

mod common;

use multipms_documents::{check_file, read_candidate, FileType, RefusedFile, MAX_FILE_BYTES};

#[test]
fn a_renamed_windows_program_is_refused_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.pdf");
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF".to_vec();
    exe.extend_from_slice(&[0u8; 200]);
    std::fs::write(&path, &exe).unwrap();
    let (name, bytes) = read_candidate(&path).unwrap();
    assert_eq!(name, "agreement.pdf");
    let err = check_file(&name, &bytes).unwrap_err();
    assert!(matches!(err, RefusedFile::NotAccepted { .. }));
    assert_eq!(
        err.to_string(),
        "agreement.pdf is not a PDF, JPEG, PNG or WebP file (it looks like a Windows program)"
    );
}

#[test]
fn a_zip_named_like_a_photo_is_refused() {
    let err = check_file("photo.jpg", b"PK\x03\x04\x14\x00\x00\x00").unwrap_err();
    assert_eq!(
        err.to_string(),
        "photo.jpg is not a PDF, JPEG, PNG or WebP file (it looks like a ZIP archive, or a Word or Excel file)"
    );
}

#[test]
fn an_empty_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.jpg");
    std::fs::write(&path, b"").unwrap();
    let err = read_candidate(&path).unwrap_err();
    assert!(matches!(err, RefusedFile::Empty { .. }));
    assert_eq!(err.to_string(), "photo.jpg is empty");
    assert_eq!(
        check_file("photo.jpg", b"").unwrap_err().to_string(),
        "photo.jpg is empty"
    );
}

#[test]
fn a_21_mb_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.pdf");
    // Sparse: 21 MB long without writing 21 MB.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(21 * 1024 * 1024).unwrap();
    drop(file);
    let err = read_candidate(&path).unwrap_err();
    assert!(matches!(err, RefusedFile::TooLarge { .. }));
    assert_eq!(err.to_string(), "scan.pdf is 21.0 MB; the limit is 20 MB");
    assert_eq!(err.file_name(), "scan.pdf");

    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(21 * 1024 * 1024, b' ');
    let err = check_file("scan.pdf", &big).unwrap_err();
    assert_eq!(err.to_string(), "scan.pdf is 21.0 MB; the limit is 20 MB");
}

#[test]
fn exactly_20_mb_is_accepted() {
    let mut pdf = common::sample_pdf();
    pdf.resize(MAX_FILE_BYTES as usize, b'\n');
    assert_eq!(check_file("big.pdf", &pdf).unwrap(), FileType::Pdf);
}

#[test]
fn missing_files_and_folders_are_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_candidate(&dir.path().join("gone.pdf")).unwrap_err();
    assert!(matches!(err, RefusedFile::Unreadable { .. }));
    assert!(
        err.to_string().starts_with("gone.pdf could not be read: "),
        "{err}"
    );
    let folder = dir.path().join("papers");
    std::fs::create_dir(&folder).unwrap();
    let err = read_candidate(&folder).unwrap_err();
    assert_eq!(err.to_string(), "papers is a folder, not a file");
}

#[test]
fn accepted_files_are_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Rent agreement.PDF");
    let pdf = common::sample_pdf();
    std::fs::write(&path, &pdf).unwrap();
    let (name, bytes) = read_candidate(&path).unwrap();
    assert_eq!(name, "Rent agreement.PDF");
    assert_eq!(bytes, pdf);
    assert_eq!(check_file(&name, &bytes).unwrap(), FileType::Pdf);
}
