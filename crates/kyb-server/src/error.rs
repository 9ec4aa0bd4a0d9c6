//! What can go wrong in the server, as one typed enum serialised `{kind, message}`.

use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The configuration file or an environment variable is missing or wrong (named).
    #[error("configuration: {0}")]
    Config(String),
    /// PostgreSQL refused or failed; the driver's text never carries credentials (sqlx strips
    /// the password from connection errors).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A sealed value did not open with the configured key (wrong key, or a changed row).
    #[error("sealed value for {0} does not open with the configured key")]
    Unsealing(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
}

/// The stable names of [`ServerError`]'s kinds, as clients see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerErrorKind {
    Config,
    Database,
    Unsealing,
    NotFound,
}

impl ServerError {
    pub fn kind(&self) -> ServerErrorKind {
        match self {
            ServerError::Config(_) | ServerError::Bind { .. } => ServerErrorKind::Config,
            ServerError::Database(_) | ServerError::Migration(_) => ServerErrorKind::Database,
            ServerError::Unsealing(_) => ServerErrorKind::Unsealing,
            ServerError::NotFound(_) => ServerErrorKind::NotFound,
        }
    }
}
