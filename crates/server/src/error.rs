//! The one error of the API: JSON `{code, message}` (and `field` for a wrong
//! input) that a person can read. Database errors and panics are logged and
//! answered with a plain "something went wrong"; no SQL or stack trace
//! reaches a client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use multipms_domain::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable, machine-readable: `invalid`, `conflict`, `not_found`,
    /// `unauthorized`, `forbidden`, `locked`, `rate_limited`, `internal`, …
    pub code: String,
    /// For a person.
    pub message: String,
    /// The form field at fault, for `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body.
    pub body: ErrorBody,
}

/// A handler's result.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                field: None,
            },
        }
    }

    /// 401: no or a dead session.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Sign in first: your session is missing, has expired or was ended",
        )
    }

    /// 403: the role may not do this.
    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this; ask the owner of the business",
        )
    }

    /// 404 for `entity` (also for one of another organisation, or outside
    /// the caller's properties).
    pub fn not_found(entity: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{entity} not found"),
        )
    }

    /// 422 for a wrong input in `field`.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
        e.body.field = Some(field.into());
        e
    }

    /// 409: a rule of the business refuses it.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 500, after logging `cause`.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on the server; try again, and tell your administrator if it keeps happening",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> ApiError {
        match e {
            DomainError::Invalid { field, message } => ApiError::invalid(&field, message),
            DomainError::Conflict { message } => ApiError::conflict(message),
            DomainError::NotFound { entity } => ApiError::not_found(&entity),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        if let Some(db) = e.as_database_error() {
            match db.code().as_deref() {
                // exclusion_violation: two stays of one bed.
                Some("23P01") => {
                    return ApiError::conflict(
                        "This bed was just let for some of these dates from another desk; reload and choose another bed or dates",
                    )
                }
                Some("23505") => {
                    return ApiError::conflict(match db.constraint() {
                        // Two desks booking one transfer at the same moment;
                        // the usual case is refused earlier with the receipt
                        // named (see api::payments).
                        Some("payment_utr_once") => {
                            "This UTR was just booked from another desk; the same transfer cannot be booked twice"
                        }
                        Some("invoice_one_per_contract_month") => {
                            "This contract was just invoiced for this month from another desk; reload"
                        }
                        Some("contract_allocation_id_key") => "This stay already has a contract",
                        _ => "This is already recorded: another record has the same number or code",
                    });
                }
                // check_violation: a value the schema's CHECKs refuse.
                Some("23514") => {
                    return ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid",
                        "A value is not allowed; check the form and try again",
                    )
                }
                // Data exceptions (class 22) come from what was sent: a NUL
                // character, a number or date out of range.
                Some(code) if code.starts_with("22") => {
                    tracing::info!(code, error = %db, "input refused by the database");
                    return ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid",
                        "A value holds a character, number or date that cannot be stored; check the form and try again",
                    );
                }
                _ => {}
            }
        }
        ApiError::internal(e)
    }
}
