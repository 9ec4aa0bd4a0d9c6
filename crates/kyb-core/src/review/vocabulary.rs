//! The review's words and limits as data for the desktop page, so the page never keeps its own
//! copy: decisions and reasons with their labels, which decisions need a reason, the note limit,
//! and which fields a reviewer may confirm.

use serde::Serialize;
use ts_rs::TS;

use super::identifiers::CONFIRMABLE_IDENTIFIER_PATTERNS;
use super::model::{Decision, DecisionReason, MAX_NOTE_CHARS};
use crate::audit::labels::decision_label;

/// A value with the words people see for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Labelled<T> {
    pub value: T,
    pub label: String,
}

/// Everything the document review screen offers and checks before asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReviewVocabulary {
    /// In the order the screen offers them.
    pub decisions: Vec<Labelled<Decision>>,
    pub reasons: Vec<Labelled<DecisionReason>>,
    /// Decisions that need at least one reason (reason `other` also needs a note).
    pub decisions_needing_reasons: Vec<Decision>,
    #[ts(type = "number")]
    pub max_note_chars: usize,
    /// Field paths a reviewer can confirm against a document; `[*]` is any representative.
    pub confirmable_identifier_patterns: Vec<String>,
}

/// Every decision, in the order offered.
pub const DECISIONS: [Decision; 3] = [Decision::Verified, Decision::NeedsReupload, Decision::Rejected];

/// Whether `decision` needs at least one reason.
pub fn needs_reasons(decision: Decision) -> bool {
    matches!(decision, Decision::NeedsReupload | Decision::Rejected)
}

pub fn review_vocabulary() -> ReviewVocabulary {
    ReviewVocabulary {
        decisions: DECISIONS.iter().map(|d| Labelled { value: *d, label: decision_label(*d).to_owned() }).collect(),
        reasons: DecisionReason::ALL.iter().map(|r| Labelled { value: *r, label: r.label().to_owned() }).collect(),
        decisions_needing_reasons: DECISIONS.into_iter().filter(|d| needs_reasons(*d)).collect(),
        max_note_chars: MAX_NOTE_CHARS,
        confirmable_identifier_patterns: CONFIRMABLE_IDENTIFIER_PATTERNS.iter().map(|p| (*p).to_owned()).collect(),
    }
}
