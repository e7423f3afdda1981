//! QR codes, drawn as vector squares (sharp at any zoom and in print).

use qrcode::{Color, EcLevel, QrCode};

use crate::error::RenderError;
use crate::layout::{Canvas, INK};

/// Modules of light border a scanner needs around the code.
pub(crate) const QUIET_ZONE: usize = 4;

/// A QR code's modules, row by row.
pub(crate) struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `data` at error correction level M (15%).
    pub(crate) fn encode(data: &str) -> Result<QrMatrix, RenderError> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
            .map_err(|e| RenderError::QrCode(e.to_string()))?;
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(QrMatrix {
            width: code.width(),
            dark,
        })
    }

    /// Draws the code with its quiet zone in the `size` × `size` square at
    /// `x`, `top`. Runs of dark modules in a row are drawn as one rectangle.
    pub(crate) fn draw(&self, canvas: &mut Canvas, x: f32, top: f32, size: f32) {
        let modules = self.width + 2 * QUIET_ZONE;
        let module = size / modules as f32;
        let origin_x = x + QUIET_ZONE as f32 * module;
        let origin_y = top + QUIET_ZONE as f32 * module;
        let mut rects = Vec::new();
        for (row, cells) in self.dark.chunks(self.width.max(1)).enumerate() {
            let mut col = 0;
            while col < cells.len() {
                if !cells[col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < cells.len() && cells[col] {
                    col += 1;
                }
                rects.push((
                    origin_x + start as f32 * module,
                    origin_y + row as f32 * module,
                    (col - start) as f32 * module,
                    // A hair taller so rows touch without hairline gaps.
                    module * 1.02,
                ));
            }
        }
        canvas.fill_rects(&rects, INK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_a_upi_link() {
        let m = QrMatrix::encode("upi://pay?pa=sai@okhdfcbank&am=100.00&cu=INR").unwrap();
        assert!(m.width >= 21);
        assert_eq!(m.dark.len(), m.width * m.width);
        // The finder pattern's top-left corner is dark.
        assert!(m.dark[0]);
    }

    #[test]
    fn too_much_data_is_an_error_not_a_panic() {
        let err = QrMatrix::encode(&"x".repeat(5000)).err().unwrap();
        assert!(matches!(err, RenderError::QrCode(_)));
    }
}
