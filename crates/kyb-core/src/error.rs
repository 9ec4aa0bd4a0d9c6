//! [`ErrorKind`]: the one name for a kind of failure, shared by the partner client, the drafts
//! store, the outbox (stored with every failed attempt) and the app's errors. Code branches on
//! it, never on text; the rules about kinds (offline, retryable) live here only.

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// What the page branches on (snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    InvalidRecord,
    // Outbox files written before the kinds were unified name the partner's refusal
    // `validation_rejected`, and the client's own refusals as below.
    #[serde(alias = "validation_rejected")]
    Rejected,
    Network,
    Timeout,
    Unauthorized,
    NotFound,
    RateLimited,
    Server,
    MalformedResponse,
    UnexpectedStatus,
    Conflict,
    InsecureUrl,
    InvalidUrl,
    #[serde(alias = "invalid_credentials")]
    CredentialsMissing,
    KeychainUnavailable,
    ConfirmationRequired,
    #[serde(alias = "invalid_file_type")]
    InvalidInput,
    DraftNotFound,
    DraftUnreadable,
    DraftExists,
    OutboxBusy,
    UnresolvedConflicts,
    NoProfile,
    SelfApproval,
    ApprovalRequired,
    ChecklistIncomplete,
    ApprovalRefused,
    DocumentCopyMissing,
    /// Another KYB Desk process is using the data folder.
    DataFolderInUse,
    /// Team mode: no team server is set up on this desktop.
    TeamNotConnected,
    /// Team mode: nobody is signed in (or the provider no longer honours the sign-in).
    TeamNotSignedIn,
    /// Team mode: the team server (or its sign-in provider) did not answer.
    TeamUnreachable,
    /// Team mode: the server refused the action (its rule named in the message).
    TeamRefused,
    /// Team mode: someone else changed the team draft first; merge before pushing again.
    TeamStale,
    /// Team mode: the server's audit trail does not hold up against a checkpoint this desktop kept.
    TeamTrailBroken,
    #[serde(alias = "client_setup")]
    Internal,
}

impl ErrorKind {
    /// No answer from the partner (the connection failed or nothing came back in time): the
    /// machine or the partner is offline.
    pub fn is_offline(self) -> bool {
        matches!(self, ErrorKind::Network | ErrorKind::Timeout | ErrorKind::TeamUnreachable)
    }

    /// Whether the same request may succeed later unchanged, given the HTTP status the partner
    /// answered (if any): no answer, 429, 408, 502, 503 and 504. Everything else needs a change
    /// (or a person) first.
    pub fn is_retryable(self, status: Option<u16>) -> bool {
        match self {
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::RateLimited => true,
            ErrorKind::Server => matches!(status, Some(502..=504)),
            ErrorKind::UnexpectedStatus => status == Some(408),
            _ => false,
        }
    }

    /// The snake_case name (as serialized), for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidRecord => "invalid_record",
            ErrorKind::Rejected => "rejected",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::MalformedResponse => "malformed_response",
            ErrorKind::UnexpectedStatus => "unexpected_status",
            ErrorKind::Conflict => "conflict",
            ErrorKind::InsecureUrl => "insecure_url",
            ErrorKind::InvalidUrl => "invalid_url",
            ErrorKind::CredentialsMissing => "credentials_missing",
            ErrorKind::KeychainUnavailable => "keychain_unavailable",
            ErrorKind::ConfirmationRequired => "confirmation_required",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::DraftNotFound => "draft_not_found",
            ErrorKind::DraftUnreadable => "draft_unreadable",
            ErrorKind::DraftExists => "draft_exists",
            ErrorKind::OutboxBusy => "outbox_busy",
            ErrorKind::UnresolvedConflicts => "unresolved_conflicts",
            ErrorKind::NoProfile => "no_profile",
            ErrorKind::SelfApproval => "self_approval",
            ErrorKind::ApprovalRequired => "approval_required",
            ErrorKind::ChecklistIncomplete => "checklist_incomplete",
            ErrorKind::ApprovalRefused => "approval_refused",
            ErrorKind::DocumentCopyMissing => "document_copy_missing",
            ErrorKind::DataFolderInUse => "data_folder_in_use",
            ErrorKind::TeamNotConnected => "team_not_connected",
            ErrorKind::TeamNotSignedIn => "team_not_signed_in",
            ErrorKind::TeamUnreachable => "team_unreachable",
            ErrorKind::TeamRefused => "team_refused",
            ErrorKind::TeamStale => "team_stale",
            ErrorKind::TeamTrailBroken => "team_trail_broken",
            ErrorKind::Internal => "internal",
        }
    }

    /// A kind read from a file: one this version does not know (written by a newer one) is
    /// [`ErrorKind::Internal`], so the file still opens.
    pub fn deserialize_stored<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let parsed = ErrorKind::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(&text));
        Ok(parsed.unwrap_or(ErrorKind::Internal))
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialized_ones_and_old_names_still_read() {
        for kind in [ErrorKind::Network, ErrorKind::RateLimited, ErrorKind::DocumentCopyMissing, ErrorKind::Internal] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_eq!(kind.to_string(), kind.as_str());
        }
        let read = |text: &str| serde_json::from_value::<ErrorKind>(serde_json::json!(text)).ok();
        assert_eq!(read("validation_rejected"), Some(ErrorKind::Rejected));
        assert_eq!(read("invalid_file_type"), Some(ErrorKind::InvalidInput));
        assert_eq!(read("something_new"), None);
    }

    #[test]
    fn offline_and_retryable_rules() {
        assert!(ErrorKind::Network.is_offline() && ErrorKind::Timeout.is_offline());
        assert!(!ErrorKind::Server.is_offline() && !ErrorKind::RateLimited.is_offline());
        assert!(ErrorKind::Network.is_retryable(None) && ErrorKind::RateLimited.is_retryable(Some(429)));
        assert!(ErrorKind::Server.is_retryable(Some(503)) && !ErrorKind::Server.is_retryable(Some(500)));
        assert!(ErrorKind::UnexpectedStatus.is_retryable(Some(408)));
        assert!(!ErrorKind::UnexpectedStatus.is_retryable(Some(405)));
        assert!(!ErrorKind::Conflict.is_retryable(Some(409)) && !ErrorKind::Unauthorized.is_retryable(Some(401)));
    }
}
