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
