//! Four-eyes approval bound to the exact diff.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::Approval;
use crate::drafts::Draft;

/// Why an approval cannot be given, or a submission needs one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    /// The approver prepared (edited) this change.
    #[error(
        "{approver} prepared this change, so {approver} cannot approve it: another profile must review it (four-eyes)"
    )]
    SelfApproval { approver: String },
    /// Nobody is recorded as having prepared the change.
    #[error("no profile is recorded as preparing this change; the preparer must save an edit first")]
    NoPreparer,
    /// The draft changes nothing.
    #[error("this draft changes nothing, so there is nothing to approve")]
    NothingToApprove,
    /// The record does not validate.
    #[error("the record has {count} problem(s); they must be fixed before approval")]
    InvalidRecord { count: u32 },
    /// Checklist items not done (their ids).
    #[error("the review checklist is not complete: {}", .items.join(", "))]
    ChecklistIncomplete { items: Vec<String> },
    /// The environment requires approval and there is none valid for this exact diff.
    #[error("{environment:?} requires an approval by another profile for this exact change before it is submitted")]
    ApprovalRequired { environment: String },
}

/// Whether a draft's approval holds for its current diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum ApprovalState {
    /// Never approved (or the approval was voided and removed).
    None,
    /// Approved, and the diff is exactly the one approved.
    Valid { approval: Approval },
    /// Approved, but the diff has changed since (the approval no longer counts).
    Void { approval: Approval, current_hash: String },
}

/// Hex SHA-256 of the canonical JSON `{"environment", "target", "changes"}` where `changes` is
/// [`crate::diff::diff_values`] from the base record (`{}` for a new customer) to the record.
pub fn diff_hash(draft: &Draft) -> String {
    let _ = draft;
    todo!("issue 5 helper")
}

/// The state of `draft.review.approval` against the draft's current diff.
pub fn approval_state(draft: &Draft) -> ApprovalState {
    let _ = draft;
    todo!("issue 5 helper")
}

/// Bookkeeping of a save by `editor` (`None`: no profile chosen, nothing recorded): when the
/// record differs from `previous_record` (or there was none), `editor` is added to
/// `review.editors` once; and when the diff hash changed, the approval is removed and returned
/// (the caller logs `approval_voided`).
pub fn record_edit(
    draft: &mut Draft,
    previous_record: Option<&serde_json::Value>,
    editor: Option<&str>,
) -> Option<Approval> {
    let _ = (draft, previous_record, editor);
    todo!("issue 5 helper")
}

/// Approve `draft` as `approver` on `today`/`now`: refused for a preparer
/// ([`ApprovalError::SelfApproval`]), without preparers, for an empty diff, an invalid record
/// (`draft.issue_count > 0`) or an incomplete checklist. Sets `draft.review.approval` and
/// returns it.
pub fn approve(
    draft: &mut Draft,
    approver: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Approval, ApprovalError> {
    let _ = (draft, approver, today, now);
    todo!("issue 5 helper")
}

/// Whether `draft` may be queued: always when `requires_approval` is false; otherwise only with
/// a valid approval whose approver is not among the draft's editors.
pub fn check_submittable(draft: &Draft, requires_approval: bool) -> Result<(), ApprovalError> {
    let _ = (draft, requires_approval);
    todo!("issue 5 helper")
}
