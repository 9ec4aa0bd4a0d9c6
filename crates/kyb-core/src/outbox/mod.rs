//! The outbox: queued submissions that survive restarts and are applied exactly once.
//!
//! - [`model`]: [`OutboxEntry`] and its [`OutboxState`].
//! - `store`: one sealed file per entry under `outbox/`, written before and after every attempt.
//! - `engine`: [`Outbox`] (queue, drain in order per customer, lost-update check, retries; time
//!   from its [`crate::clock::Clock`]).
//! - `retry`: [`RetryPolicy`] (exponential backoff, full jitter, `Retry-After` honoured).
//! - `body`: validation of a draft's record for its endpoint and the send itself (shared with the
//!   command line's batch submit).
//!
//! Exactly once: every entry carries an idempotency key made when it is queued, sent as the
//! `Idempotency-Key` header on every attempt, with the same body (`prepared`, fixed before the
//! first attempt). The partner answers a repeat from what it kept instead of applying it again,
//! so an attempt whose answer was lost, or one the app was killed during, can always be resent.

mod applied;
mod body;
mod engine;
mod latest;
mod model;
mod retry;
mod store;

use crate::error::ErrorKind;
use crate::merge::MergeError;
use crate::sealed::SealError;
use crate::validation::Issue;

pub use applied::{find_created, holds, Held};
pub use body::{
    check_body, editable_record, fetch_current, problems_from_error, problems_from_issues, send_body, SendBody,
};
pub use engine::{DrainReport, EnqueuePlan, Outbox};
pub use latest::{latest_by_draft, latest_for_draft};
pub use model::{AttemptError, EntryProblem, OutboxEntry, OutboxState};
pub use retry::RetryPolicy;
pub use store::{is_entry_id, OUTBOX_DIR, UNREADABLE_DIR};

/// Why an outbox operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// The draft is not valid; nothing was queued.
    #[error("the draft has {} problem(s); fix them before sending", .issues.len())]
    Invalid { issues: Vec<Issue> },
    /// No entry with this id (or not an entry id at all).
    #[error("there is no outbox entry {id}")]
    NotFound { id: String },
    /// The entry is being sent right now (or was being sent when the app stopped, and will be
    /// resent with the same key); it cannot be changed until that attempt is over.
    #[error("outbox entry {id} is being sent; try again when the attempt is over")]
    Busy { id: String },
    /// Conflicting fields without a choice.
    #[error("choose mine or theirs for every conflicting field; still open: {}", .paths.join(", "))]
    Unresolved { paths: Vec<String> },
    /// A choice for a field that is not in conflict (the server record changed again?).
    #[error("`{path}` is not one of the conflicting fields")]
    UnknownPath { path: String },
    /// The action does not apply to the entry in its current state (cancel a sent entry, …).
    #[error("outbox entry {id} is {state}; it cannot be {action}")]
    WrongState { id: String, state: &'static str, action: &'static str },
    /// The entry could not be stored or read (keychain, disk).
    #[error(transparent)]
    Seal(#[from] SealError),
}

impl OutboxError {
    /// The kind of failure (as the app reports it): cancelling or retrying what is being sent or
    /// was sent is `outbox_busy`; another action that does not fit the state, an unknown entry
    /// or path is `invalid_input`.
    pub fn kind(&self) -> ErrorKind {
        match self {
            OutboxError::Invalid { .. } => ErrorKind::InvalidRecord,
            OutboxError::Busy { .. } | OutboxError::WrongState { state: "sending" | "sent", .. } => ErrorKind::OutboxBusy,
            OutboxError::NotFound { .. } | OutboxError::WrongState { .. } | OutboxError::UnknownPath { .. } => {
                ErrorKind::InvalidInput
            }
            OutboxError::Unresolved { .. } => ErrorKind::UnresolvedConflicts,
            OutboxError::Seal(seal) => match seal {
                SealError::KeychainUnavailable { .. } => ErrorKind::KeychainUnavailable,
                SealError::KeyDamaged | SealError::WrongKey { .. } | SealError::Corrupt { .. } | SealError::Format { .. } => {
                    ErrorKind::DraftUnreadable
                }
                SealError::NotFound { .. } | SealError::Io { .. } => ErrorKind::Internal,
            },
        }
    }
}

impl From<MergeError> for OutboxError {
    fn from(err: MergeError) -> Self {
        match err {
            MergeError::Unresolved { paths } => OutboxError::Unresolved { paths },
            MergeError::UnknownPath { path } => OutboxError::UnknownPath { path },
        }
    }
}

impl OutboxState {
    /// Stable snake_case name (as the `state` tag serializes it).
    pub fn name(&self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::WaitingRetry { .. } => "waiting_retry",
            OutboxState::Conflict { .. } => "conflict",
            OutboxState::Rejected { .. } => "rejected",
            OutboxState::Failed { .. } => "failed",
            OutboxState::Sent { .. } => "sent",
        }
    }

    /// Waits for the officer (and holds back later entries for the same target).
    pub fn needs_officer(&self) -> bool {
        matches!(self, OutboxState::Conflict { .. } | OutboxState::Rejected { .. } | OutboxState::Failed { .. })
    }
}
