//! Small PNG previews: images scaled down with the `image` crate, and the
//! first page of a PDF through poppler's `pdftoppm` when it is installed.
//!
//! No pure-Rust PDF renderer is used: the one worth having (hayro) needs a
//! newer Rust than this workspace's and is a heavy build; `pdftoppm` is small
//! and common, and without it the UI shows a PDF icon.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageFormat};

use crate::error::{DocumentError, DocumentResult};
use crate::file_type::FileType;

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_MAX_SIDE: u32 = 160;
/// How long `pdftoppm` may take before it is stopped.
const PDF_RENDER_TIMEOUT: Duration = Duration::from_secs(15);

/// A PNG no larger than [`THUMBNAIL_MAX_SIDE`] on its long side, or `None`
/// when this machine cannot draw one (a PDF without `pdftoppm`, or a PDF it
/// cannot render).
pub fn thumbnail(file_type: FileType, bytes: &[u8]) -> DocumentResult<Option<Vec<u8>>> {
    let image = match file_type {
        FileType::Jpeg => decode(bytes, ImageFormat::Jpeg)?,
        FileType::Png => decode(bytes, ImageFormat::Png)?,
        FileType::Webp => decode(bytes, ImageFormat::WebP)?,
        FileType::Pdf => match pdf_first_page(bytes)? {
            Some(png) => decode(&png, ImageFormat::Png)?,
            None => return Ok(None),
        },
    };
    encode_small_png(image, THUMBNAIL_MAX_SIDE).map(Some)
}

pub(crate) fn decode(bytes: &[u8], format: ImageFormat) -> DocumentResult<DynamicImage> {
    image::load_from_memory_with_format(bytes, format)
        .map_err(|e| DocumentError::Thumbnail(format!("the image could not be read: {e}")))
}

/// `image` as a PNG no larger than `max_side` on its long side.
pub(crate) fn encode_small_png(image: DynamicImage, max_side: u32) -> DocumentResult<Vec<u8>> {
    let small = if image.width() > max_side || image.height() > max_side {
        image.thumbnail(max_side, max_side)
    } else {
        image
    };
    let small = if small.color().has_alpha() {
        DynamicImage::ImageRgba8(small.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(small.to_rgb8())
    };
    let mut png = Cursor::new(Vec::new());
    small
        .write_to(&mut png, ImageFormat::Png)
        .map_err(|e| DocumentError::Thumbnail(format!("the PNG could not be written: {e}")))?;
    Ok(png.into_inner())
}

/// The program that renders PDF pages, when it is on PATH.
pub fn pdftoppm_path() -> Option<PathBuf> {
    let name = if cfg!(windows) {
        "pdftoppm.exe"
    } else {
        "pdftoppm"
    };
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// The first page as a PNG of at most 160 px, through `pdftoppm` fed from a
/// private temporary folder that is removed afterwards.
fn pdf_first_page(pdf: &[u8]) -> DocumentResult<Option<Vec<u8>>> {
    let Some(program) = pdftoppm_path() else {
        return Ok(None);
    };
    // 0700 folder on Unix; removed (with both files) when `work` drops.
    let work = tempfile::Builder::new()
        .prefix("multipms-thumb-")
        .tempdir()
        .map_err(|e| DocumentError::io("create a temporary folder in", std::env::temp_dir(), e))?;
    let input = work.path().join("page.pdf");
    write_private(&input, pdf)?;
    let output_root = work.path().join("page");
    let mut child = Command::new(&program)
        .args([
            "-f",
            "1",
            "-l",
            "1",
            "-scale-to",
            "160",
            "-png",
            "-singlefile",
        ])
        .arg(&input)
        .arg(&output_root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| DocumentError::io("run", program.clone(), e))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > PDF_RENDER_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                tracing::warn!("pdftoppm took over {PDF_RENDER_TIMEOUT:?}; no PDF thumbnail");
                return Ok(None);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(DocumentError::io("wait for", program, e)),
        }
    };
    if !status.success() {
        tracing::debug!("pdftoppm could not render the PDF ({status}); no thumbnail");
        return Ok(None);
    }
    let png_path = output_root.with_extension("png");
    match std::fs::read(&png_path) {
        Ok(png) => Ok(Some(png)),
        Err(e) => Err(DocumentError::io("read", png_path, e)),
    }
}

/// Writes a file only this user can read (0600 on Unix).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> DocumentResult<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| DocumentError::io("create", path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| DocumentError::io("write", path, e))
}
