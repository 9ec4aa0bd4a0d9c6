//! `kyb drafts validate FILE...` and `kyb drafts submit FILE...`: portable draft files (exported
//! by the desktop app) checked, or submitted through the app's own outbox ([`submit`]).
//!
//! Four-eyes approval (docs/review-audit.md): anyone can edit a file, so an approval that comes in
//! a file counts only when a team server signed it (`signed_approvals`), with a key this machine
//! trusts (its team connection's `server_key`, or `--trust-key HEX` for validate), its signature
//! verifies, and it is of exactly the file's change (`kyb_core::drafts::check_file_approvals`). A
//! plain `review.approval` (what a solo desktop exports), a changed signature, another key or
//! another change is reported with the reason and never counts. Validate also applies the app's
//! own check to an approval that counts (`kyb_core::review::approval_state` on the draft the file
//! makes in its environment, four-eyes); submit leaves the decision to the app's import and
//! queueing, which drop such approvals and refuse a file without a valid one in an environment
//! that requires approval.
//!
//! Exit code: 0 when every file is valid (validate) or sent (submit); 1 when any is unreadable,
//! invalid, not approved, not queued, in conflict or refused by the partner, or (validate) carries
//! an approval that does not count for one of the reasons above; else 3 when any could not be sent
//! because of the partner API or the network.

mod follow;
pub(crate) mod report;
mod submit;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kyb_app::AppError;
use chrono::{DateTime, Utc};
use kyb_core::drafts::{
    check_file_approvals, check_portable, into_draft, read_portable, DraftTarget, FileApprovalProblem, ImportError, PortableDraft,
};
use kyb_core::merge::FieldConflict;
use kyb_core::model::Customer;
use kyb_core::outbox::{check_body, AttemptError, EntryProblem};
use kyb_core::review::{approval_state, check_submittable, ApprovalState};
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
    /// The approvals the file carries (absent when none), each with whether it counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    approvals: Vec<ApprovalNote>,
    /// What the import (or `kyb submit`) noted: another environment, a draft moved to the trash, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<String>,
}

/// One approval a file carries, and whether it counts for the file's changes.
#[derive(Debug, Serialize)]
struct ApprovalNote {
    state: ApprovalNoteState,
    approved_by: String,
    approved_at: DateTime<Utc>,
    /// Whether it carries a team server's signature.
    signed: bool,
    /// Why it does not count, for machines (`refused` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<FileApprovalProblem>,
    /// Why it does not count, in words (`refused` and `void`).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum ApprovalNoteState {
    /// Signed by a trusted team server, for exactly the file's changes, by someone other than
    /// its preparers.
    Valid,
    /// Genuine, but it does not count here: its approver is also a preparer (four-eyes).
    Void,
    /// Not to be believed: not signed, a signature that does not verify, an untrusted key, or
    /// another change than the file's.
    Refused,
}

impl FileResult {
    /// A file not looked at yet (`Valid` until something else is found).
    pub(crate) fn new(file: String) -> Self {
        Self { file, target: None, environment: None, outbox_entry: None, outcome: Outcome::Valid, approvals: Vec::new(), notes: Vec::new() }
    }

    fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Valid | Outcome::Sent { .. })
    }
}

/// `kyb drafts validate`: no app state; approvals are checked against `trusted_keys` (the team
/// server's public keys, hex).
pub fn validate(files: &[PathBuf], json: bool, partner_profile: Arc<PartnerProfile>, trusted_keys: &[String]) -> Result<u8, CliError> {
    let ctx = ValidationContext::now_with(partner_profile);
    let results: Vec<FileResult> = files.iter().map(|path| check_file(path, &ctx, trusted_keys).0).collect();
    report::print(&results, json, false);
    let refused = results.iter().any(|r| r.approvals.iter().any(|a| a.state == ApprovalNoteState::Refused));
    Ok(if refused { EXIT_INVALID } else { exit_code(&results) })
}

/// The team server keys this machine trusts: its team connection's (in `config_dir`, when it is
/// connected) and those given with `--trust-key` (64 hex digits each).
pub fn trusted_keys(config_dir: Option<&Path>, given: &[String]) -> Result<Vec<String>, CliError> {
    let mut keys = Vec::new();
    for key in given {
        let key = key.trim();
        if key.len() != 64 || hex_digits(key).is_none() {
            return Err(CliError::Usage(format!("--trust-key {key:?} is not an Ed25519 public key (64 hex digits)")));
        }
        keys.push(key.to_ascii_lowercase());
    }
    let config_dir = config_dir.map(Path::to_path_buf).or_else(|| kyb_app::user_config::user_folders().map(|(config, _)| config));
    if let Some(connection) = config_dir.and_then(|dir| kyb_app::team::TeamConnection::load(&dir).ok()) {
        keys.push(connection.server_key);
    }
    Ok(keys)
}

fn hex_digits(text: &str) -> Option<()> {
    text.chars().all(|c| c.is_ascii_hexdigit()).then_some(())
}

/// Read and validate one file; the file and its text when it can be submitted.
fn check_file(path: &Path, ctx: &ValidationContext, trusted_keys: &[String]) -> (FileResult, Option<(PortableDraft, String)>) {
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
    result.approvals = approval_notes(&file, trusted_keys);
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

/// Each approval `file` carries and whether it counts: first the signature rule
/// ([`check_file_approvals`]), then, for one that passes, the app's own check on the draft the
/// file makes in its own environment (four-eyes against the file's preparers).
fn approval_notes(file: &PortableDraft, trusted_keys: &[String]) -> Vec<ApprovalNote> {
    let (draft, _notes) = into_draft(file.clone(), &file.environment, trusted_keys);
    check_file_approvals(file, trusted_keys)
        .into_iter()
        .map(|checked| {
            let (state, reason) = match checked.problem {
                Some(problem) => (ApprovalNoteState::Refused, Some(problem.to_string())),
                None => {
                    let mut approved = draft.clone();
                    if let Some(approval) = approved.review.approval.as_mut() {
                        approval.approver = checked.approved_by.clone();
                    }
                    match (approval_state(&approved), check_submittable(&approved, true)) {
                        (ApprovalState::Valid { .. }, Ok(())) => (ApprovalNoteState::Valid, None),
                        _ => (ApprovalNoteState::Void, Some(format!("{} is also a preparer of this change (four-eyes)", checked.approved_by))),
                    }
                }
            };
            ApprovalNote { state, approved_by: checked.approved_by, approved_at: checked.approved_at, signed: checked.signed, problem: checked.problem, reason }
        })
        .collect()
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
