//! Errors as the UI receives them: a kind, the field when one input is wrong,
//! and a message a person can read. Nothing internal leaks beyond the message.

use multipms_domain::DomainError;
use multipms_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommandError {
    Invalid {
        field: String,
        message: String,
    },
    Conflict {
        message: String,
    },
    NotFound {
        message: String,
    },
    /// The desk cannot work at all (its data folder is unusable).
    Unavailable {
        message: String,
    },
    /// Something failed that the user did not cause; the details are logged.
    Internal {
        message: String,
    },
}

impl From<DomainError> for CommandError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid { field, message } => CommandError::Invalid { field, message },
            DomainError::Conflict { message } => CommandError::Conflict { message },
            DomainError::NotFound { entity } => CommandError::NotFound {
                message: format!("{entity} was not found; it may have been removed"),
            },
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Domain(domain) => domain.into(),
            other => {
                tracing::error!(error = %other, "a command failed in the store");
                CommandError::Internal {
                    message: format!("The change was not saved: {other}"),
                }
            }
        }
    }
}

impl From<multipms_sync::SyncError> for CommandError {
    fn from(error: multipms_sync::SyncError) -> Self {
        use multipms_sync::SyncError;
        match error {
            SyncError::Invalid { field, message } => CommandError::Invalid { field, message },
            SyncError::Server {
                field: Some(field),
                message,
                ..
            } => CommandError::Invalid { field, message },
            SyncError::Server { message, .. } => CommandError::Conflict { message },
            SyncError::Offline(_) | SyncError::SignedOut => CommandError::Unavailable {
                message: error.to_string(),
            },
            SyncError::Store(store) => store.into(),
        }
    }
}
