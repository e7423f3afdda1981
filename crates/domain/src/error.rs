//! The one error type of the domain. It crosses to the UI and the server as a
//! serializable value with a message a person can read.

use serde::Serialize;

/// Why a domain rule refused an input. Its `Display` is the message for the
/// person at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DomainError {
    /// One input is wrong. `field` is the form field's name (snake_case, as in
    /// the command's arguments), `message` says what is expected.
    #[error("{message}")]
    Invalid {
        /// The form field's snake_case name.
        field: String,
        /// What is expected, for a person.
        message: String,
    },
    /// The input is well formed but breaks a rule of the business, for example
    /// a bed that is already let for those dates.
    #[error("{message}")]
    Conflict {
        /// What clashes and what to do, for a person.
        message: String,
    },
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("{entity} not found")]
    NotFound {
        /// What was looked for, e.g. "Tenant".
        entity: String,
    },
}

impl DomainError {
    /// A wrong input in the named field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A broken business rule.
    pub fn conflict(message: impl Into<String>) -> Self {
        DomainError::Conflict {
            message: message.into(),
        }
    }

    /// A missing thing.
    pub fn not_found(entity: impl Into<String>) -> Self {
        DomainError::NotFound {
            entity: entity.into(),
        }
    }
}

/// The result of a domain rule.
pub type DomainResult<T> = Result<T, DomainError>;
