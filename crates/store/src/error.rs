use multipms_domain::DomainError;

/// What can go wrong in the store. Domain errors pass through untouched so the
/// UI can show them next to their field; the rest are faults of the machine.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("the local database failed: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the local database could not be upgraded: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("the data folder {path} cannot be used: {source}")]
    DataFolder {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

pub type StoreResult<T> = Result<T, StoreError>;
