//! [`AppError`]: the one error type every command returns, serialized as
//! `{kind, message, field?, ...}` (docs/desktop-ipc.md). The page branches on `kind` only.

use kyb_core::client::{ClientError, FieldError};
use kyb_core::credentials::CredentialsError;
use kyb_core::drafts::DraftError;
use kyb_core::environments::EnvironmentError;
use kyb_core::outbox::OutboxError;
use kyb_core::profiles::ProfileError;
use kyb_core::review::ApprovalError;
use kyb_core::vault::VaultError;
use kyb_core::audit::AuditError;
use kyb_core::sealed::SealError;
use kyb_core::validation::Issue;
use serde::{Serialize, Serializer};
use ts_rs::TS;

/// What the page branches on: one kind for every layer (kyb-core's client, drafts and outbox name
/// theirs with it too).
pub use kyb_core::error::ErrorKind;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The record does not pass validation; nothing was sent.
    #[error("the record has {} problem(s); fix them before submitting", .issues.len())]
    InvalidRecord { issues: Vec<Issue> },
    /// A partner-API failure (kinds mapped one to one, see [`AppError::kind`]).
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("no API key and secret are stored for environment {environment:?}; add them in the environment's settings")]
    CredentialsMissing { environment: String },
    #[error("the API key and secret stored for environment {environment:?} are damaged; store them again")]
    CredentialsDamaged { environment: String },
    #[error("the OS keychain is not available ({reason}); API secrets are never stored anywhere else")]
    KeychainUnavailable { reason: String },
    #[error("{environment:?} is a production environment ({host}): type the customer's English business name exactly to confirm the submit")]
    ConfirmationRequired { environment: String, host: String },
    #[error("{message}")]
    InvalidInput { field: String, message: String },
    /// No drafts key in the OS keychain: drafts cannot be kept (kind `keychain_unavailable`).
    #[error("drafts cannot be kept: the OS keychain is not available ({reason}); drafts are never stored unencrypted, so nothing was saved")]
    DraftsUnavailable { reason: String },
    #[error("there is no draft {id} (it may have been deleted)")]
    DraftNotFound { id: String },
    /// Sealed with a key that is no longer in the keychain, or damaged.
    #[error("{message}")]
    DraftUnreadable { id: Option<String>, message: String },
    /// `restore_draft` when a draft for the same customer was saved since the delete.
    #[error("{message}")]
    DraftExists { id: String, message: String },
    /// The outbox entry is being sent (or was sent) and cannot change now.
    #[error("{message}")]
    OutboxBusy { id: String, message: String },
    /// `resolve_conflict` without a choice for every conflicting field.
    #[error("choose mine or theirs for every conflicting field ({} left)", .paths.len())]
    UnresolvedConflicts { paths: Vec<String> },
    /// No profile chosen yet: reviewing, approving and queueing say who acts (kind `no_profile`).
    #[error("choose who you are (a profile) first: every review action is recorded with a name")]
    NoProfile,
    /// Four-eyes refusals (kinds `self_approval`, `approval_required`, `checklist_incomplete`,
    /// `approval_refused`).
    #[error(transparent)]
    Approval(#[from] ApprovalError),
    /// A preparer deciding the documents of their own change (kind `self_approval`).
    #[error("{profile} prepared this change, so the documents must be decided by another profile (four-eyes)")]
    SelfReview { profile: String },
    /// The app has no local copy of a document (kind `document_copy_missing`).
    #[error("there is no local copy of file {file_id}; attach the file you have for it")]
    DocumentCopyMissing { file_id: String },
    /// Another KYB Desk process (the app, the CLI) is using the data folder.
    #[error("{message}")]
    DataFolderInUse { message: String },
    #[error("internal error: {0}")]
    Internal(String),
    /// Team mode: the team server, its sign-in, or a rule it enforces.
    #[error(transparent)]
    Team(#[from] crate::team::TeamError),
}

impl AppError {
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::InvalidInput { field: field.into(), message: message.into() }
    }

    /// The `kind` the page branches on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::InvalidRecord { .. } => ErrorKind::InvalidRecord,
            AppError::Client(err) => err.kind(),
            AppError::CredentialsMissing { .. } | AppError::CredentialsDamaged { .. } => {
                ErrorKind::CredentialsMissing
            }
            AppError::KeychainUnavailable { .. } => ErrorKind::KeychainUnavailable,
            AppError::ConfirmationRequired { .. } => ErrorKind::ConfirmationRequired,
            AppError::InvalidInput { .. } => ErrorKind::InvalidInput,
            AppError::DraftsUnavailable { .. } => ErrorKind::KeychainUnavailable,
            AppError::DraftNotFound { .. } => ErrorKind::DraftNotFound,
            AppError::DraftUnreadable { .. } => ErrorKind::DraftUnreadable,
            AppError::DraftExists { .. } => ErrorKind::DraftExists,
            AppError::OutboxBusy { .. } => ErrorKind::OutboxBusy,
            AppError::UnresolvedConflicts { .. } => ErrorKind::UnresolvedConflicts,
            AppError::NoProfile => ErrorKind::NoProfile,
            AppError::Approval(err) => match err {
                ApprovalError::SelfApproval { .. } => ErrorKind::SelfApproval,
                ApprovalError::ApprovalRequired { .. } => ErrorKind::ApprovalRequired,
                ApprovalError::ChecklistIncomplete { .. } => ErrorKind::ChecklistIncomplete,
                ApprovalError::NoPreparer | ApprovalError::NothingToApprove | ApprovalError::InvalidRecord { .. } => {
                    ErrorKind::ApprovalRefused
                }
            },
            AppError::SelfReview { .. } => ErrorKind::SelfApproval,
            AppError::DocumentCopyMissing { .. } => ErrorKind::DocumentCopyMissing,
            AppError::DataFolderInUse { .. } => ErrorKind::DataFolderInUse,
            AppError::Internal(_) => ErrorKind::Internal,
            AppError::Team(err) => err.kind(),
        }
    }

    /// The serialized form.
    pub fn body(&self) -> AppErrorBody {
        let mut body = AppErrorBody {
            kind: self.kind(),
            message: self.to_string(),
            field: None,
            status: None,
            retryable: false,
            issues: None,
            errors: None,
            retry_after_secs: None,
            code: None,
            environment: None,
            id: None,
            paths: None,
        };
        match self {
            AppError::InvalidRecord { issues } => body.issues = Some(issues.clone()),
            AppError::Client(err) => {
                body.field = match err {
                    ClientError::InsecureUrl { .. } | ClientError::InvalidUrl { .. } => Some("base_url".to_owned()),
                    ClientError::InvalidFileType { .. } => Some("file_type".to_owned()),
                    other => other.field().map(str::to_owned),
                };
                body.status = err.status();
                body.retryable = err.is_retryable();
                match err {
                    ClientError::ValidationRejected { errors, .. } => body.errors = Some(errors.clone()),
                    ClientError::RateLimited { retry_after } => {
                        body.retry_after_secs = retry_after.map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
                    }
                    ClientError::Conflict { code, .. } | ClientError::UnexpectedStatus { code, .. } => {
                        body.code = code.clone()
                    }
                    _ => {}
                }
            }
            AppError::CredentialsMissing { environment }
            | AppError::CredentialsDamaged { environment }
            | AppError::ConfirmationRequired { environment, .. } => body.environment = Some(environment.clone()),
            AppError::InvalidInput { field, .. } => body.field = Some(field.clone()),
            AppError::DraftNotFound { id } | AppError::DraftExists { id, .. } | AppError::OutboxBusy { id, .. } => {
                body.id = Some(id.clone())
            }
            AppError::DraftUnreadable { id, .. } => body.id = id.clone(),
            AppError::UnresolvedConflicts { paths } => body.paths = Some(paths.clone()),
            AppError::Approval(ApprovalError::ChecklistIncomplete { items }) => body.paths = Some(items.clone()),
            AppError::Approval(ApprovalError::ApprovalRequired { environment }) => {
                body.environment = Some(environment.clone())
            }
            AppError::DocumentCopyMissing { file_id } => body.field = Some(file_id.clone()),
            AppError::Team(err) => body.field = err.field().map(str::to_owned),
            AppError::KeychainUnavailable { .. }
            | AppError::DraftsUnavailable { .. }
            | AppError::Internal(_)
            | AppError::DataFolderInUse { .. }
            | AppError::NoProfile
            | AppError::Approval(_)
            | AppError::SelfReview { .. } => {}
        }
        body
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body().serialize(serializer)
    }
}

impl From<CredentialsError> for AppError {
    fn from(err: CredentialsError) -> Self {
        match err {
            CredentialsError::NotFound { environment } => AppError::CredentialsMissing { environment },
            CredentialsError::Corrupt { environment } => AppError::CredentialsDamaged { environment },
            CredentialsError::KeychainUnavailable { reason } => AppError::KeychainUnavailable { reason },
        }
    }
}

impl From<EnvironmentError> for AppError {
    fn from(err: EnvironmentError) -> Self {
        match err {
            EnvironmentError::InvalidInput { field, message } => AppError::invalid_input(field, message),
            EnvironmentError::Url(client) => AppError::Client(client),
            err @ (EnvironmentError::NotFound { .. } | EnvironmentError::BuiltIn) => {
                AppError::invalid_input("name", err.to_string())
            }
            err @ (EnvironmentError::Io { .. } | EnvironmentError::Corrupt { .. }) => AppError::Internal(err.to_string()),
        }
    }
}

impl From<ProfileError> for AppError {
    fn from(err: ProfileError) -> Self {
        match err {
            ProfileError::InvalidName { message } => AppError::invalid_input("name", message),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<VaultError> for AppError {
    fn from(err: VaultError) -> Self {
        match err {
            VaultError::Invalid { field, message } => AppError::invalid_input(field, message),
            VaultError::Sealed(seal) => seal_error(None, seal),
        }
    }
}

impl From<AuditError> for AppError {
    fn from(err: AuditError) -> Self {
        match err {
            AuditError::Sealed(seal) => seal_error(None, seal),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// A sealed-file failure outside a draft command's own mapping.
impl From<SealError> for AppError {
    fn from(err: SealError) -> Self {
        seal_error(None, err)
    }
}

/// [`SealError`] for draft or entry `id` (when known): no keychain → `keychain_unavailable`;
/// another key, damaged or altered → `draft_unreadable`; I/O → `internal`.
pub fn seal_error(id: Option<&str>, err: SealError) -> AppError {
    match err {
        SealError::KeychainUnavailable { reason } => AppError::DraftsUnavailable { reason },
        SealError::KeyDamaged | SealError::WrongKey { .. } | SealError::Corrupt { .. } | SealError::Format { .. } => {
            AppError::DraftUnreadable { id: id.map(str::to_owned), message: err.to_string() }
        }
        SealError::NotFound { .. } | SealError::Io { .. } => AppError::Internal(err.to_string()),
    }
}

/// A [`DraftError`] met handling draft `id` (the argument, when there is one).
pub fn draft_error(id: Option<&str>, err: DraftError) -> AppError {
    let field = if id.is_some() { "id" } else { "draft" };
    match err {
        DraftError::InvalidId { .. } | DraftError::IdMismatch { .. } => AppError::invalid_input(field, err.to_string()),
        DraftError::NotFound { id } | DraftError::NotInTrash { id } => AppError::DraftNotFound { id },
        DraftError::AlreadyExists { ref id } => AppError::DraftExists { id: id.clone(), message: err.to_string() },
        DraftError::Unreadable { ref id, .. } => {
            AppError::DraftUnreadable { id: Some(id.clone()).filter(|id| !id.is_empty()), message: err.to_string() }
        }
        DraftError::KeychainUnavailable { reason } => AppError::DraftsUnavailable { reason },
        DraftError::Storage { .. } => AppError::Internal(err.to_string()),
    }
}

/// An [`OutboxError`] met handling entry `id` (the argument, when there is one).
pub fn outbox_error(id: Option<&str>, err: OutboxError) -> AppError {
    match err {
        OutboxError::Invalid { issues } => AppError::InvalidRecord { issues },
        OutboxError::NotFound { .. } => AppError::invalid_input("id", err.to_string()),
        OutboxError::Busy { id } => AppError::OutboxBusy {
            message: format!("outbox entry {id} is being sent; try again when the attempt is over"),
            id,
        },
        // Cancelling or retrying what was sent (or is being sent) cannot be done any more.
        OutboxError::WrongState { ref id, state: "sending" | "sent", .. } => {
            AppError::OutboxBusy { id: id.clone(), message: err.to_string() }
        }
        OutboxError::WrongState { .. } => AppError::invalid_input("id", err.to_string()),
        OutboxError::Unresolved { paths } => AppError::UnresolvedConflicts { paths },
        OutboxError::UnknownPath { .. } => AppError::invalid_input("choices", err.to_string()),
        OutboxError::Seal(seal) => seal_error(id, seal),
    }
}

/// The serialized [`AppError`] (named `CommandError` in TypeScript, as the page has always called it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "CommandError")]
pub struct AppErrorBody {
    pub kind: ErrorKind,
    /// For people; never contains a key or a secret.
    pub message: String,
    /// The argument or record field at fault (`base_url` for URL kinds, `file_type`, `name`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// The partner's HTTP status, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<u16>,
    /// Whether the same call may succeed later unchanged (network, timeout, 429, 502-504).
    pub retryable: bool,
    /// `invalid_record`: every problem found.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub issues: Option<Vec<Issue>>,
    /// `rejected`: the partner's field errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub errors: Option<Vec<FieldError>>,
    /// `rate_limited`: when to retry, if the partner said.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry_after_secs: Option<u32>,
    /// `conflict` / `unexpected_status`: the partner's error code, e.g. `customer_suspended`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub code: Option<String>,
    /// `credentials_missing` / `confirmation_required`: the environment concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub environment: Option<String>,
    /// `draft_not_found` / `draft_unreadable`: the draft; `outbox_busy`: the outbox entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    /// `unresolved_conflicts`: the conflicting fields still without a choice;
    /// `checklist_incomplete`: the ids of the checklist items not done.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub paths: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn client_kinds_map_one_to_one() {
        let rejected = AppError::Client(ClientError::ValidationRejected {
            status: 400,
            message: "1 problem".into(),
            errors: vec![FieldError { field: Some("a".into()), code: "unknown_file".into(), message: "m".into() }],
        });
        let json = serde_json::to_value(&rejected).unwrap();
        assert_eq!(json["kind"], "rejected");
        assert_eq!(json["errors"][0]["code"], "unknown_file");
        assert_eq!(json["status"], 400);

        let json = serde_json::to_value(AppError::Client(ClientError::InsecureUrl { host: "x".into() })).unwrap();
        assert_eq!((json["kind"].as_str(), json["field"].as_str()), (Some("insecure_url"), Some("base_url")));

        let json =
            serde_json::to_value(AppError::Client(ClientError::RateLimited { retry_after: Some(Duration::from_secs(9)) }))
                .unwrap();
        assert_eq!((json["kind"].as_str(), json["retry_after_secs"].as_u64(), json["retryable"].as_bool()), (Some("rate_limited"), Some(9), Some(true)));

        let json = serde_json::to_value(AppError::Client(ClientError::InvalidFileType { given: "x".into() })).unwrap();
        assert_eq!((json["kind"].as_str(), json["field"].as_str()), (Some("invalid_input"), Some("file_type")));
    }

    #[test]
    fn app_errors_keep_the_kind_the_core_error_names() {
        let drafts = [
            DraftError::InvalidId { id: "x".into() },
            DraftError::NotInTrash { id: "u-1".into() },
            DraftError::AlreadyExists { id: "u-1".into() },
            DraftError::KeychainUnavailable { reason: "no D-Bus".into() },
            DraftError::Storage { path: "/x".into(), detail: "full".into() },
        ];
        for err in drafts {
            assert_eq!(draft_error(Some("u-1"), err.clone()).kind(), err.kind(), "{err:?}");
        }
        let outbox = || {
            [
                OutboxError::Invalid { issues: Vec::new() },
                OutboxError::NotFound { id: "o-1".into() },
                OutboxError::Busy { id: "o-1".into() },
                OutboxError::WrongState { id: "o-1".into(), state: "sent", action: "cancelled" },
                OutboxError::WrongState { id: "o-1".into(), state: "queued", action: "retried" },
                OutboxError::Unresolved { paths: vec!["a".into()] },
                OutboxError::Seal(SealError::KeyDamaged),
            ]
        };
        for (err, again) in outbox().into_iter().zip(outbox()) {
            assert_eq!(outbox_error(Some("o-1"), err).kind(), again.kind(), "{again:?}");
        }
        let offline = AppError::Client(ClientError::Timeout { after: Duration::from_secs(1), connecting: true });
        assert!(offline.kind().is_offline());
    }

    #[test]
    fn credentials_errors_map_to_their_kinds() {
        let missing: AppError = CredentialsError::NotFound { environment: "P".into() }.into();
        assert_eq!(missing.kind(), ErrorKind::CredentialsMissing);
        let unavailable: AppError = CredentialsError::KeychainUnavailable { reason: "no dbus".into() }.into();
        assert_eq!(serde_json::to_value(unavailable).unwrap()["kind"], "keychain_unavailable");
    }
}
