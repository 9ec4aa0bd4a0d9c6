//! The team workspace's wire contract: the JSON the team server sends and the desktop and the CLI
//! read (and the bodies they send), in one place so neither side keeps its own copy. People are
//! named by display name in everything shown (the server keeps subjects and answers names); a
//! [`TeamDraft`] keeps subjects because four-eyes compares them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::drafts::DraftTarget;
use crate::model::{Customer, FileType};
use crate::review::{needs_reasons, Decision, DecisionReason, MAX_NOTE_CHARS};
use crate::team_approval::SignedApproval;

/// A draft as the server has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamDraft {
    pub id: String,
    pub environment: String,
    pub target: DraftTarget,
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub base_record: Value,
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub record: Value,
    #[ts(type = "number")]
    pub version: i64,
    /// Subjects of whoever changed the record.
    pub preparers: Vec<String>,
    /// Subjects of who approved this version's exact change.
    pub approved_by: Vec<String>,
    /// Those approvals, signed by the server (verifiable offline).
    pub approvals: Vec<SignedApproval>,
    /// The hash an approval of this version must name (hex).
    pub change_hash: String,
    /// Subject of the last person who changed it.
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// Which drafts a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TeamQueue {
    #[default]
    All,
    /// Drafts of an environment that requires approval, with real changes, whose current version
    /// the caller has not approved, which the caller did not prepare, not yet submitted (empty
    /// for someone without the reviewer role).
    WaitingForMyReview,
    /// Drafts the caller prepared or that are assigned to the caller.
    Mine,
}

impl TeamQueue {
    /// The value of the `queue` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            TeamQueue::All => "all",
            TeamQueue::WaitingForMyReview => "waiting_for_my_review",
            TeamQueue::Mine => "mine",
        }
    }
}

/// A draft in a list: who is on it and where it stands, without the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamDraftSummary {
    pub id: String,
    pub environment: String,
    pub target: DraftTarget,
    #[ts(type = "number")]
    pub version: i64,
    /// Display names.
    pub preparers: Vec<String>,
    /// Display names of who approved the current version's exact change.
    pub approved_by: Vec<String>,
    /// Whether the draft's environment requires an approval before submission.
    pub requires_approval: bool,
    /// Display name.
    pub assigned_to: Option<String>,
    /// Display names of people who said they were working on it in the last
    /// [`WORKING_NOW_SECONDS`] seconds.
    pub working_now: Vec<String>,
    /// Display name.
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    /// The latest submission of the draft, if any.
    pub submission: Option<TeamSubmission>,
}

/// How long "working on it" lasts after the last report.
pub const WORKING_NOW_SECONDS: i64 = 120;

/// Where a queued submission stands (the server's outbox states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TeamOutboxState {
    Queued,
    Sending,
    Sent,
    /// The partner refused the change (validation): it needs editing.
    Rejected,
    /// The customer changed at the partner since the draft began.
    Conflict,
    /// Could not be sent (credentials missing, retries exhausted).
    Failed,
}

impl TeamOutboxState {
    pub const ALL: [TeamOutboxState; 6] = [
        TeamOutboxState::Queued,
        TeamOutboxState::Sending,
        TeamOutboxState::Sent,
        TeamOutboxState::Rejected,
        TeamOutboxState::Conflict,
        TeamOutboxState::Failed,
    ];

    /// The name the server's outbox table stores.
    pub fn as_str(self) -> &'static str {
        match self {
            TeamOutboxState::Queued => "queued",
            TeamOutboxState::Sending => "sending",
            TeamOutboxState::Sent => "sent",
            TeamOutboxState::Rejected => "rejected",
            TeamOutboxState::Conflict => "conflict",
            TeamOutboxState::Failed => "failed",
        }
    }

    /// The state the outbox table names, if it is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }

    /// Whether the entry is done (nothing more happens without a person).
    pub fn is_settled(self) -> bool {
        !matches!(self, TeamOutboxState::Queued | TeamOutboxState::Sending)
    }
}

/// A submission of one version of a draft, through the server's outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamSubmission {
    pub outbox_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub state: TeamOutboxState,
    /// The partner's customer id once sent (and for an update, the customer updated).
    pub customer_id: Option<String>,
    /// What went wrong on the last attempt, in words.
    pub error: Option<String>,
    /// Display name.
    pub queued_by: String,
    pub queued_at: DateTime<Utc>,
}

/// A document's SHA-256 as the wire names it (hex): the `sha256` of a [`TeamDocument`] and the
/// `x-content-sha256` header of its bytes.
pub fn content_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// A document of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamDocument {
    pub file_id: String,
    pub file_type: FileType,
    pub file_name: String,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    #[ts(type = "number")]
    pub size: i64,
    /// Display name.
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    pub decision: Option<TeamDocumentDecision>,
    /// Whether the server holds the bytes. A document the record references that was never
    /// uploaded through the team (it was at the partner already) is listed for its decision,
    /// without bytes: the reviewer decides on the copy they were sent.
    #[serde(default = "held_by_default")]
    pub held: bool,
}

fn held_by_default() -> bool {
    true
}

/// A reviewer's decision on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamDocumentDecision {
    pub decision: Decision,
    pub reason: Option<DecisionReason>,
    pub note: Option<String>,
    /// Display name.
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

impl TeamDocumentDecision {
    /// Whether an approval may rest on this document.
    pub fn is_accepted(&self) -> bool {
        self.decision == Decision::Verified
    }
}

/// One entry of the team's audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamTrailEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Display name.
    pub actor: String,
    pub action: String,
    /// The draft the entry is about, if one.
    pub draft: Option<String>,
    #[ts(type = "Record<string, unknown>")]
    pub details: Value,
    /// The entry's chain hash, hex.
    pub hash: String,
}

/// The kinds of the server's refusals (`{kind, message, field?}`), so no client compares kinds
/// as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TeamRefusalKind {
    Config,
    Database,
    Unsealing,
    NotFound,
    Forbidden,
    InvalidInput,
    Stale,
    /// No valid access token: sign in again.
    Unauthorized,
    /// The server could not reach the identity provider to check the token.
    IdentityProviderUnreachable,
    /// A kind this client does not know, or an answer without one.
    #[serde(other)]
    Unexpected,
}

/// A customer as the partner has it now: what a draft starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamPartnerCustomer {
    pub customer: Customer,
    /// Its editable part (`UpdateCustomerRequest` JSON): a draft's `base_record`.
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub record: Value,
}

/// A partner environment as anyone signed in sees it (never its credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamEnvironment {
    pub name: String,
    pub base_url: String,
    pub requires_approval: bool,
    pub is_production: bool,
    pub has_credentials: bool,
}

/// `POST /api/drafts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTeamDraft {
    pub environment: String,
    pub target: DraftTarget,
    pub base_record: Value,
    pub record: Value,
    pub idempotency_key: String,
}

/// `PUT /api/drafts/{id}`: a change to a draft, from the version it started from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftPush {
    pub base_version: i64,
    pub record: Value,
    pub idempotency_key: String,
}

/// `POST /api/drafts/{id}/approve`: what the reviewer saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveDraft {
    pub version: i64,
    /// The `change_hash` of the draft as the reviewer saw it (hex).
    pub change_hash: String,
}

/// `POST /api/drafts/{id}/submit`: the version to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitDraft {
    pub version: i64,
}

/// `PUT /api/drafts/{id}/documents/{file_id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecideDocument {
    pub decision: Decision,
    #[serde(default)]
    pub reason: Option<DecisionReason>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A request value that breaks a rule, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

impl DecideDocument {
    /// The decision as it is kept: the note trimmed (none when empty), no reason where the
    /// decision takes none; refused when kyb-core's review rules say so.
    pub fn checked(&self) -> Result<DecideDocument, FieldProblem> {
        let note = self.note.as_deref().map(str::trim).filter(|note| !note.is_empty()).map(str::to_owned);
        if note.as_deref().is_some_and(|note| note.chars().count() > MAX_NOTE_CHARS) {
            return Err(FieldProblem { field: "note", message: format!("the note is longer than {MAX_NOTE_CHARS} characters") });
        }
        let reason = if needs_reasons(self.decision) {
            Some(self.reason.ok_or_else(|| FieldProblem { field: "reason", message: "choose a reason for this decision".into() })?)
        } else {
            None
        };
        if reason == Some(DecisionReason::Other) && note.is_none() {
            return Err(FieldProblem { field: "note", message: "describe the reason in the note (reason \"Other\" was chosen)".into() });
        }
        Ok(DecideDocument { decision: self.decision, reason, note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_refusal_kind_reads_as_unexpected() {
        let kind: TeamRefusalKind = serde_json::from_str("\"something_new\"").unwrap();
        assert_eq!(kind, TeamRefusalKind::Unexpected);
        let kind: TeamRefusalKind = serde_json::from_str("\"invalid_input\"").unwrap();
        assert_eq!(kind, TeamRefusalKind::InvalidInput);
    }

    #[test]
    fn outbox_states_read_back_from_their_names() {
        for state in TeamOutboxState::ALL {
            assert_eq!(TeamOutboxState::from_name(state.as_str()), Some(state));
            assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
        }
        assert_eq!(TeamOutboxState::from_name("lost"), None);
    }

    #[test]
    fn queues_name_their_query_values() {
        for queue in [TeamQueue::All, TeamQueue::WaitingForMyReview, TeamQueue::Mine] {
            assert_eq!(serde_json::to_value(queue).unwrap(), queue.as_str());
        }
    }

    #[test]
    fn a_rejection_needs_a_reason_and_a_verification_drops_one() {
        let rejected = DecideDocument { decision: Decision::Rejected, reason: None, note: None };
        assert_eq!(rejected.checked().unwrap_err().field, "reason");
        let verified = DecideDocument { decision: Decision::Verified, reason: Some(DecisionReason::Expired), note: Some("  ".into()) };
        assert_eq!(verified.checked().unwrap(), DecideDocument { decision: Decision::Verified, reason: None, note: None });
        let other = DecideDocument { decision: Decision::NeedsReupload, reason: Some(DecisionReason::Other), note: None };
        assert_eq!(other.checked().unwrap_err().field, "note");
        let long = DecideDocument { decision: Decision::Verified, reason: None, note: Some("x".repeat(MAX_NOTE_CHARS + 1)) };
        assert_eq!(long.checked().unwrap_err().field, "note");
    }
}
