//! Thumbnails come out as small PNGs; the copy for the viewer is private,
//! identical, and gone when dropped.

mod common;

use common::{sample_jpeg, sample_pdf, sample_png, sample_webp, vault};
use image::GenericImageView;
use multipms_documents::{
    export_to_private_temp, pdftoppm_path, thumbnail, FileType, THUMBNAIL_MAX_SIDE,
};

fn assert_small_png(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap();
    let (w, h) = image.dimensions();
    assert!(w.max(h) <= THUMBNAIL_MAX_SIDE, "{w}x{h}");
    (w, h)
}

#[test]
fn images_get_png_thumbnails_of_at_most_160_px() {
    let jpeg = thumbnail(FileType::Jpeg, &sample_jpeg()).unwrap().unwrap();
    assert_eq!(assert_small_png(&jpeg), (160, 120));
    let png = thumbnail(FileType::Png, &sample_png()).unwrap().unwrap();
    assert_eq!(assert_small_png(&png), (96, 160));
    let webp = thumbnail(FileType::Webp, &sample_webp()).unwrap().unwrap();
    assert_eq!(assert_small_png(&webp), (160, 80));
}

#[test]
fn a_broken_image_is_an_error_not_a_panic() {
    let mut broken = sample_png();
    broken.truncate(60);
    assert!(thumbnail(FileType::Png, &broken).is_err());
}

#[test]
fn a_pdf_gets_its_first_page_when_pdftoppm_is_installed() {
    let thumb = thumbnail(FileType::Pdf, &sample_pdf()).unwrap();
    match pdftoppm_path() {
        Some(_) => {
            let png = thumb.expect("pdftoppm is installed: a thumbnail");
            let (w, h) = assert_small_png(&png);
            // The page is 200×300 points: portrait, scaled to 160 high.
            assert_eq!(h, 160, "{w}x{h}");
            assert!(w < h);
        }
        None => assert!(thumb.is_none(), "without pdftoppm: no thumbnail"),
    }
    // A PDF pdftoppm cannot read gives no thumbnail, and no error.
    assert_eq!(
        thumbnail(FileType::Pdf, b"%PDF-1.4\nnonsense").unwrap(),
        None
    );
}

#[test]
fn the_viewer_copy_is_identical_private_and_removed_on_drop() {
    let (_dir, vault) = vault();
    let pdf = sample_pdf();
    let stored = vault.put(&pdf).unwrap();
    let copy = export_to_private_temp(&vault, &stored.sha256, "Rent agreement.pdf").unwrap();
    let path = copy.path().to_path_buf();
    let folder = path.parent().unwrap().to_path_buf();
    assert_eq!(path.file_name().unwrap(), "Rent agreement.pdf");
    assert_eq!(copy.file_type(), FileType::Pdf);
    assert_eq!(std::fs::read(&path).unwrap(), pdf);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&path), 0o600);
    }
    drop(copy);
    assert!(!path.exists());
    assert!(!folder.exists());
}

#[test]
fn the_viewer_copy_always_has_the_extension_of_its_content() {
    let (_dir, vault) = vault();
    let stored = vault.put(&sample_jpeg()).unwrap();
    let copy = export_to_private_temp(&vault, &stored.sha256, "../aadhaar.exe").unwrap();
    assert_eq!(copy.path().file_name().unwrap(), "aadhaar.exe.jpg");
}
