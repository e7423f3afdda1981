use multipms_domain::DomainError;
use multipms_store::StoreError;

/// What can go wrong while signing in or syncing. Each names, where it can,
/// the form field it is about, so the UI shows it next to that field.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Bad input, or a refusal the user can act on.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// The server could not be reached (offline, DNS, TLS, timeout).
    #[error("The server cannot be reached: {0}")]
    Offline(String),
    /// The session ended (signed out elsewhere, expired, revoked).
    #[error("The session has ended; sign in again")]
    SignedOut,
    /// The server answered with an error of its own.
    #[error("{message}")]
    Server {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> SyncError {
        SyncError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The form field the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            SyncError::Invalid { field, .. } => Some(field),
            SyncError::Server { field, .. } => field.as_deref(),
            SyncError::Store(StoreError::Domain(DomainError::Invalid { field, .. })) => Some(field),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for SyncError {
    fn from(e: reqwest::Error) -> SyncError {
        if e.is_decode() {
            SyncError::Server {
                status: e.status().map_or(0, |s| s.as_u16()),
                code: "bad_answer".into(),
                message: "The server's answer could not be read; is this a MultiPMS server?".into(),
                field: None,
            }
        } else {
            SyncError::Offline(plain_cause(&e))
        }
    }
}

/// The innermost cause of a transport error, which says what happened
/// ("Connection refused", "certificate has expired").
fn plain_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

pub type SyncResult<T> = Result<T, SyncError>;
