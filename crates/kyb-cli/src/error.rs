//! CLI failures and their exit codes.

use std::path::PathBuf;

use kyb_core::client::ClientError;
use kyb_core::credentials::CredentialsError;
use kyb_core::model::ParseError;
use kyb_core::validation::Issue;

/// Invalid records or a rejected submission.
pub const EXIT_INVALID: u8 = 1;
/// Bad usage, unreadable files, missing configuration.
pub const EXIT_USAGE: u8 = 2;
/// The partner API could not be reached or failed.
pub const EXIT_REMOTE: u8 = 3;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read {}: {source}", path.display())]
    ReadFile { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Parse { path: PathBuf, source: ParseError },
    #[error("{}: the record is invalid ({} problem(s)); run `kyb validate` for the list", path.display(), issues.len())]
    Invalid { path: PathBuf, issues: Vec<Issue> },
    #[error("{0}")]
    Client(#[from] ClientError),
    #[error("{0}")]
    Credentials(#[from] CredentialsError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The desktop app's state (its folders, keychain, profiles) could not be used.
    #[error("{0}")]
    App(#[from] kyb_app::AppError),
    /// The team server could not start or reach its database.
    #[error("{0}")]
    Server(#[from] kyb_server::ServerError),
    /// Team mode: not connected or signed in, the server unreachable, or a refusal.
    #[error("{0}")]
    Team(kyb_app::team::TeamError),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid { .. } | CliError::Parse { .. } => EXIT_INVALID,
            CliError::Client(ClientError::ValidationRejected { .. }) => EXIT_INVALID,
            CliError::Client(_) => EXIT_REMOTE,
            CliError::App(err) if err.kind().is_offline() => EXIT_REMOTE,
            CliError::Team(kyb_app::team::TeamError::Refused { .. } | kyb_app::team::TeamError::Unreachable { .. }) => EXIT_REMOTE,
            _ => EXIT_USAGE,
        }
    }
}
