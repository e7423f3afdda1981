//! What can go wrong while rendering.

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// An embedded font could not be read.
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
    /// The logo is not a PNG this renderer can read.
    #[error("the logo could not be read as a PNG image: {0}")]
    Logo(String),
    /// The UPI payment link did not fit in a QR code.
    #[error("the UPI payment link is too long for a QR code: {0}")]
    QrCode(String),
    /// A field has a value that cannot be printed.
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// There was nothing to render.
    #[error("no documents to render")]
    Empty,
}
