//! `kyb drafts validate FILE...` and `kyb drafts submit FILE...`: portable draft files (exported
//! by the desktop app) checked, or submitted through the app's own outbox ([`submit`]).
//!
//! Four-eyes approval (docs/review-audit.md): a file may carry a review with an approval bound to
//! the hash of its exact changes in its environment. Validate says whether that approval still
//! holds, with the app's own check (`kyb_core::review::approval_state` on the draft the file
//! makes in its environment); submit leaves the decision to the app's queueing, which refuses a
//! file without a valid approval in an environment that requires one.
//!
//! Exit code: 0 when every file is valid (validate) or sent (submit); 1 when any is unreadable,
//! invalid, not approved, not queued, in conflict or refused by the partner; else 3 when any could
//! not be sent because of the partner API or the network.

mod follow;
pub(crate) mod report;
mod submit;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kyb_app::AppError;
use kyb_core::drafts::{check_portable, into_draft, read_portable, DraftTarget, ImportError, PortableDraft};
use kyb_core::merge::FieldConflict;
use kyb_core::model::Customer;
use kyb_core::outbox::{check_body, AttemptError, EntryProblem};
use kyb_core::review::{approval_state, check_submittable, Approval, ApprovalState};
use kyb_core::partner_profile::PartnerProfile;
use kyb_core::validation::{Issue, ValidationContext};
use serde::Serialize;

use crate::error::{CliError, EXIT_INVALID, EXIT_REMOTE};

pub(crate) use follow::{follow_results, refusal};
pub use submit::{submit, SubmitArgs};

/// What became of one file (also `kyb submit`'s record file).
#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub(crate) enum Outcome {
    /// Valid (validate), not sent yet.
    Valid,
    /// The file cannot be read or is not a portable draft (`error` names line, column, field).
    Unreadable { error: ImportError },
    /// The record breaks validation rules.
    Invalid { issues: Vec<Issue> },
    /// The environment requires a four-eyes approval and the file holds no valid one: not queued.
    NotApproved { message: String },
    /// The app did not import or queue it for another reason (e.g. a production submit without
    /// the right `--confirm`): the app's error, `{kind, message, field?}`.
    NotQueued { error: AppError },
    /// Changed at the partner since the file's base, in fields the file also changed; the entry
    /// waits in the app's outbox for a person to choose, field by field.
    Conflict { conflicts: Vec<FieldConflict> },
    /// Refused by the partner with field errors.
    Rejected { problems: Vec<EntryProblem> },
    /// Not sent: the partner API failed in a way not retried automatically (or gave up).
    Failed { error: AttemptError },
    /// Still in the app's outbox (the partner did not answer in time, or cannot be reached);
    /// the desktop app sends it when it runs.
    Waiting { reason: String },
    /// Applied by the partner (`customer` is its answer, or the settled record with `--wait`).
    Sent { customer: Box<Customer> },
}

#[derive(Debug, Serialize)]
pub(crate) struct FileResult {
    pub(crate) file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) target: Option<DraftTarget>,
    /// The app environment it was submitted to (submit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment: Option<String>,
    /// The app's outbox entry (submit, once queued).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) outbox_entry: Option<String>,
    #[serde(flatten)]
    pub(crate) outcome: Outcome,
    /// Present when the file carries an approval: whether it still holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    approval: Option<ApprovalNote>,
    /// What the import (or `kyb submit`) noted: another environment, a draft moved to the trash, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<String>,
}

/// Whether the approval a file carries holds for the file's changes.
#[derive(Debug, Serialize)]
struct ApprovalNote {
    state: ApprovalNoteState,
    /// The approval as the file carries it.
    approval: Approval,
    /// Why it does not hold (`void` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum ApprovalNoteState {
    /// By someone other than the preparers, for exactly the file's changes in its environment.
    Valid,
    /// It does not count: the changes, the target or the environment differ from what was
    /// approved, or the approver is also a preparer.
    Void,
}

impl FileResult {
    /// A file not looked at yet (`Valid` until something else is found).
    pub(crate) fn new(file: String) -> Self {
        Self { file, target: None, environment: None, outbox_entry: None, outcome: Outcome::Valid, approval: None, notes: Vec::new() }
    }

    fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Valid | Outcome::Sent { .. })
    }
}

/// `kyb drafts validate`: pure, no app state.
pub fn validate(files: &[PathBuf], json: bool, partner_profile: Arc<PartnerProfile>) -> Result<u8, CliError> {
    let ctx = ValidationContext::now_with(partner_profile);
    let results: Vec<FileResult> = files.iter().map(|path| check_file(path, &ctx).0).collect();
    report::print(&results, json, false);
    Ok(exit_code(&results))
}

/// Read and validate one file; the file and its text when it can be submitted.
fn check_file(path: &Path, ctx: &ValidationContext) -> (FileResult, Option<(PortableDraft, String)>) {
    let mut result = FileResult::new(path.display().to_string());
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            let error = ImportError { line: 0, column: 0, path: String::new(), message: format!("cannot read the file: {err}") };
            result.outcome = Outcome::Unreadable { error };
            return (result, None);
        }
    };
    let file = match read_portable(&text) {
        Ok(file) => file,
        Err(error) => {
            result.outcome = Outcome::Unreadable { error };
            return (result, None);
        }
    };
    result.target = Some(file.target.clone());
    result.approval = approval_note(&file);
    let issues = check_portable(&file, ctx);
    if !issues.is_empty() {
        result.outcome = Outcome::Invalid { issues };
        return (result, None);
    }
    match check_body(&file.target, &file.record, ctx) {
        Ok(_) => (result, Some((file, text))),
        Err(issues) => {
            result.outcome = Outcome::Invalid { issues };
            (result, None)
        }
    }
}

/// Whether the approval `file` carries (if any) holds, checked as the app checks it: on the
/// draft the file makes in its own environment, with the file's approval kept (an import drops
/// an approval that no longer matches).
fn approval_note(file: &PortableDraft) -> Option<ApprovalNote> {
    let approval = file.review.approval.clone()?;
    let (mut draft, _notes) = into_draft(file.clone(), &file.environment);
    draft.review.approval = Some(approval.clone());
    let reason = match approval_state(&draft) {
        ApprovalState::Valid { .. } => match check_submittable(&draft, true) {
            Ok(()) => None,
            Err(_) => Some(format!("{} is also a preparer of this change (four-eyes)", approval.approver)),
        },
        ApprovalState::Void { .. } | ApprovalState::None if approval.environment != file.environment => Some(format!(
            "it was given in environment {:?}, and the file is for {:?}",
            approval.environment, file.environment
        )),
        ApprovalState::Void { .. } | ApprovalState::None => {
            Some("the file's changes are not the ones approved (the record, base or target changed since)".to_owned())
        }
    };
    let state = if reason.is_none() { ApprovalNoteState::Valid } else { ApprovalNoteState::Void };
    Some(ApprovalNote { state, approval, reason })
}

pub(crate) fn exit_code(results: &[FileResult]) -> u8 {
    let needs_a_person = results.iter().any(|r| match &r.outcome {
        Outcome::Unreadable { .. }
        | Outcome::Invalid { .. }
        | Outcome::NotApproved { .. }
        | Outcome::Conflict { .. }
        | Outcome::Rejected { .. } => true,
        Outcome::NotQueued { error } => !error.body().retryable,
        Outcome::Valid | Outcome::Failed { .. } | Outcome::Waiting { .. } | Outcome::Sent { .. } => false,
    });
    if needs_a_person {
        EXIT_INVALID
    } else if results.iter().any(|r| !r.is_ok()) {
        EXIT_REMOTE
    } else {
        0
    }
}
