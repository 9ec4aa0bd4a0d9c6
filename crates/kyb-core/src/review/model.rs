//! What a review records in a draft.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A reviewer's decision on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Decision {
    Verified,
    NeedsReupload,
    Rejected,
}

/// Why a document needs re-upload or is rejected (the short list; `other` needs a note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DecisionReason {
    /// Blurred, cropped, too dark to read.
    Illegible,
    /// Past its expiry date.
    Expired,
    /// Name, number or dates differ from the record.
    DetailsMismatch,
    /// Not the kind of document this slot needs (e.g. a utility bill as ID front).
    WrongDocumentType,
    /// Pages or sides missing.
    Incomplete,
    /// Signs of editing or forgery.
    SuspectedTampering,
    Other,
}

/// The longest note a decision may carry, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

impl DecisionReason {
    /// Every reason, in the order the UI lists them.
    pub const ALL: [DecisionReason; 7] = [
        DecisionReason::Illegible,
        DecisionReason::Expired,
        DecisionReason::DetailsMismatch,
        DecisionReason::WrongDocumentType,
        DecisionReason::Incomplete,
        DecisionReason::SuspectedTampering,
        DecisionReason::Other,
    ];

    /// The words the UI, the audit trail and the case report show for the reason.
    pub fn label(self) -> &'static str {
        match self {
            DecisionReason::Illegible => "Illegible",
            DecisionReason::Expired => "Expired",
            DecisionReason::DetailsMismatch => "Details do not match the record",
            DecisionReason::WrongDocumentType => "Wrong document type",
            DecisionReason::Incomplete => "Incomplete (pages or sides missing)",
            DecisionReason::SuspectedTampering => "Suspected tampering",
            DecisionReason::Other => "Other",
        }
    }
}

/// One decision, by whom and when. Keyed by `file_id` in [`Review::decisions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentDecision {
    pub file_id: String,
    pub decision: Decision,
    /// Empty for `verified`; at least one for the others.
    #[serde(default)]
    pub reasons: Vec<DecisionReason>,
    /// Free text (required with reason `other`); at most 2,000 characters.
    #[serde(default)]
    pub note: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

/// A reviewer's confirmation that the value at `path` (a business identifier number or a
/// representative's `id_number`) matches the document. It holds only while the value is `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IdentifierMatch {
    pub value: String,
    pub confirmed_by: String,
    pub confirmed_at: DateTime<Utc>,
}

/// A four-eyes approval: `approver` approved exactly the diff whose hash is `diff_hash`
/// ([`super::diff_hash`]), prepared by `preparers` (none of whom is the approver).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Approval {
    pub approver: String,
    pub preparers: Vec<String>,
    /// Hex SHA-256 of the environment, target and field changes approved.
    pub diff_hash: String,
    pub environment: String,
    pub approved_at: DateTime<Utc>,
}

/// Everything reviewed about one draft. Empty for a draft nobody has reviewed or prepared yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Review {
    /// Profiles that changed the record (the preparers), in order of their first change.
    #[serde(default)]
    pub editors: Vec<String>,
    /// `file_id` → decision.
    #[serde(default)]
    pub decisions: BTreeMap<String, DocumentDecision>,
    /// Field path → confirmation that its value matches the document.
    #[serde(default)]
    pub matches: BTreeMap<String, IdentifierMatch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub approval: Option<Approval>,
}

impl Review {
    pub fn is_empty(&self) -> bool {
        self.editors.is_empty() && self.decisions.is_empty() && self.matches.is_empty() && self.approval.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_is_listed_once_with_its_own_words() {
        let names: Vec<String> =
            DecisionReason::ALL.iter().map(|r| serde_json::to_value(r).unwrap().as_str().unwrap().to_owned()).collect();
        assert_eq!(
            names,
            [
                "illegible",
                "expired",
                "details_mismatch",
                "wrong_document_type",
                "incomplete",
                "suspected_tampering",
                "other"
            ]
        );
        let labels: std::collections::BTreeSet<&str> = DecisionReason::ALL.iter().map(|r| r.label()).collect();
        assert_eq!(labels.len(), DecisionReason::ALL.len(), "labels are distinct");
        assert_eq!(DecisionReason::DetailsMismatch.label(), "Details do not match the record");
        assert_eq!(MAX_NOTE_CHARS, 2000);
    }
}
