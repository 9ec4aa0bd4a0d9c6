//! What can go wrong in the server, as one typed enum serialised `{kind, message, field?}`; the
//! kinds are the wire contract's [`TeamRefusalKind`], so clients match them as a type.

use kyb_core::team_wire::TeamRefusalKind;

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
    /// The signed-in person may not do this (a role is missing, or four-eyes forbids it).
    #[error("{0}")]
    Forbidden(String),
    /// A request value is wrong; `field` names it.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// The draft changed since the version the caller started from.
    #[error("the draft is at version {current}, not {given}: someone changed it since")]
    Stale { given: i64, current: i64 },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
}

impl ServerError {
    /// The kind clients see.
    pub fn kind(&self) -> TeamRefusalKind {
        match self {
            ServerError::Config(_) | ServerError::Bind { .. } => TeamRefusalKind::Config,
            ServerError::Database(_) | ServerError::Migration(_) => TeamRefusalKind::Database,
            ServerError::Unsealing(_) => TeamRefusalKind::Unsealing,
            ServerError::NotFound(_) => TeamRefusalKind::NotFound,
            ServerError::Forbidden(_) => TeamRefusalKind::Forbidden,
            ServerError::Invalid { .. } => TeamRefusalKind::InvalidInput,
            ServerError::Stale { .. } => TeamRefusalKind::Stale,
        }
    }

    /// The field a caller should look at, if one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ServerError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}
