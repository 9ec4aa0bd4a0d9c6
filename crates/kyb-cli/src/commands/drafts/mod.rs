//! `kyb drafts validate FILE...` and `kyb drafts submit FILE... [--wait] [--json]`: portable
//! draft files (exported by the desktop app) checked and sent in a batch.
//!
//! Submit validates every file first, then, for each valid one: the lost-update check against
//! the file's base (the customer as it is now, merged three ways; a field changed both there and
//! in the file is a conflict, reported, and the file is skipped), then the send with the file's
//! idempotency key, so running the same file twice is applied once. Failures safe to retry
//! (network, timeout, 408, 429, 502-504) are retried a few times with backoff, honouring
//! `Retry-After`.
//!
//! Four-eyes approval (docs/review-audit.md): a file may carry a review with an approval bound to
//! the hash of its exact changes in its environment. Validate says whether that approval still
//! holds; submit with `--require-approval` sends only files whose approval holds (checked as the
//! desktop queue does, on the draft the file makes in its own environment) and reports the others
//! as not approved, without sending them.
//!
//! Exit code: 0 when every file is valid (validate) or sent (submit); 1 when any is unreadable,
//! invalid, not approved, in conflict or refused by the partner; else 3 when any could not be sent
//! because of the partner API or the network.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kyb_core::client::{ClientError, CustomerLookup, PartnerClient};
use kyb_core::drafts::{check_portable, into_draft, read_portable, Draft, DraftTarget, ImportError, PortableDraft};
use kyb_core::merge::{merge3, FieldConflict};
use kyb_core::model::Customer;
use kyb_core::outbox::{check_body, fetch_current, problems_from_error, send_body, EntryProblem, RetryPolicy, SendBody};
use kyb_core::review::{approval_state, check_submittable, Approval, ApprovalError, ApprovalState};
use kyb_core::validation::{Issue, ValidationContext};
use serde::Serialize;

use crate::cli::TargetArgs;
use crate::connection::client_for;
use crate::error::{CliError, EXIT_INVALID, EXIT_REMOTE};

const POLL_INTERVAL: Duration = Duration::from_millis(500);
const POLL_LIMIT: Duration = Duration::from_secs(120);
/// Tries of one request when the failure is safe to retry.
const ATTEMPTS: u32 = 4;
/// Longest `Retry-After` waited for; a longer one ends the attempts.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// What became of one file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
enum Outcome {
    /// Valid (validate), not sent yet.
    Valid,
    /// The file cannot be read or is not a portable draft (`error` names line, column, field).
    Unreadable { error: ImportError },
    /// The record breaks validation rules.
    Invalid { issues: Vec<Issue> },
    /// `--require-approval` and the file holds no valid approval of its changes: not sent.
    NotApproved { message: String },
    /// Changed on the server since the file's base, in fields the file also changed.
    Conflict { conflicts: Vec<FieldConflict>, taken_from_theirs: Vec<String> },
    /// Refused by the partner with field errors.
    Rejected { problems: Vec<EntryProblem>, message: String },
    /// Not sent: the partner API or the network failed (or said something needing a person).
    Failed { error: ClientError },
    /// Applied by the partner (`customer` is its answer, or the settled record with `--wait`).
    Sent { customer: Box<Customer>, taken_from_theirs: Vec<String> },
}

#[derive(Debug, Serialize)]
struct FileResult {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<DraftTarget>,
    #[serde(flatten)]
    outcome: Outcome,
    /// Present when the file carries an approval: whether it still holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    approval: Option<ApprovalNote>,
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
    fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Valid | Outcome::Sent { .. })
    }
}

/// `kyb drafts validate`.
pub fn validate(files: &[PathBuf], json: bool) -> Result<u8, CliError> {
    let ctx = ValidationContext::now();
    let results: Vec<FileResult> = files.iter().map(|path| check_file(path, &ctx).0).collect();
    print_results(&results, json, false);
    Ok(exit_code(&results))
}

/// `kyb drafts submit`.
pub async fn submit(
    files: &[PathBuf],
    wait: bool,
    require_approval: bool,
    json: bool,
    target: &TargetArgs,
) -> Result<u8, CliError> {
    let ctx = ValidationContext::now();
    let checked: Vec<(FileResult, Option<(PortableDraft, SendBody)>)> = files
        .iter()
        .map(|path| {
            let (mut result, valid) = check_file(path, &ctx);
            let valid = match valid {
                Some((file, body)) if require_approval => match check_approval(&file) {
                    Ok(()) => Some((file, body)),
                    Err(err) => {
                        result.outcome = Outcome::NotApproved { message: err.to_string() };
                        None
                    }
                },
                other => other,
            };
            (result, valid)
        })
        .collect();
    let mut results = Vec::with_capacity(checked.len());
    let client = if checked.iter().any(|(_, valid)| valid.is_some()) { Some(client_for(target)?) } else { None };
    for (mut result, valid) in checked {
        if let (Some((file, body)), Some(client)) = (valid, client.as_ref()) {
            result.outcome = send_file(client, &file, body, wait, &ctx).await;
        }
        results.push(result);
    }
    print_results(&results, json, true);
    Ok(exit_code(&results))
}

/// Read and validate one file; the file and its body when it can be sent.
fn check_file(path: &Path, ctx: &ValidationContext) -> (FileResult, Option<(PortableDraft, SendBody)>) {
    let file = path.display().to_string();
    let mut result = FileResult { file, target: None, outcome: Outcome::Valid, approval: None };
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
        Ok(body) => (result, Some((file, body))),
        Err(issues) => {
            result.outcome = Outcome::Invalid { issues };
            (result, None)
        }
    }
}

/// The draft `file` makes in its own environment (as an import there would), with the file's
/// approval kept even when it no longer matches (an import drops it).
fn draft_of(file: &PortableDraft) -> Draft {
    let (mut draft, _notes) = into_draft(file.clone(), &file.environment);
    draft.review.approval = file.review.approval.clone();
    draft
}

/// `--require-approval`: whether `file` holds a valid approval, by a non-preparer, of exactly its
/// changes in its own environment.
fn check_approval(file: &PortableDraft) -> Result<(), ApprovalError> {
    let (draft, _notes) = into_draft(file.clone(), &file.environment);
    check_submittable(&draft, true)
}

/// Whether the approval `file` carries (if any) holds.
fn approval_note(file: &PortableDraft) -> Option<ApprovalNote> {
    let approval = file.review.approval.clone()?;
    let draft = draft_of(file);
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

/// The lost-update check, then the send with the file's key.
async fn send_file(client: &PartnerClient, file: &PortableDraft, body: SendBody, wait: bool, ctx: &ValidationContext) -> Outcome {
    let mut taken_from_theirs = Vec::new();
    let body = match (&file.target, &file.base) {
        (DraftTarget::Update { customer_id }, Some(base)) => {
            let theirs = match with_retries(|| fetch_current(client, customer_id)).await {
                Ok((_, theirs)) => theirs,
                Err(error) => return Outcome::Failed { error },
            };
            let merged = merge3(&base.record, &theirs, &file.record);
            if !merged.conflicts.is_empty() {
                return Outcome::Conflict { conflicts: merged.conflicts, taken_from_theirs: merged.taken_from_theirs };
            }
            taken_from_theirs = merged.taken_from_theirs;
            match check_body(&file.target, &merged.merged, ctx) {
                Ok(body) => body,
                Err(issues) => return Outcome::Invalid { issues },
            }
        }
        _ => body,
    };
    let customer = match with_retries(|| send_body(client, &body, &file.idempotency_key)).await {
        Ok(customer) => customer,
        Err(error) => {
            return match problems_from_error(&error) {
                Some(problems) => Outcome::Rejected { problems, message: error.to_string() },
                None => Outcome::Failed { error },
            }
        }
    };
    let customer = if wait {
        match wait_until_settled(client, customer).await {
            Ok(customer) => customer,
            Err(error) => return Outcome::Failed { error },
        }
    } else {
        customer
    };
    Outcome::Sent { customer: Box::new(customer), taken_from_theirs }
}

/// `call`, again after a failure that is safe to retry (a few times, with backoff).
async fn with_retries<T, F, Fut>(mut call: F) -> Result<T, ClientError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ClientError>>,
{
    let policy = RetryPolicy { base: Duration::from_millis(500), factor: 2.0, max_delay: Duration::from_secs(8), max_attempts: ATTEMPTS };
    let mut attempt = 0;
    loop {
        attempt += 1;
        match call().await {
            Err(err) if err.is_retryable() && attempt < policy.max_attempts => {
                let retry_after = match &err {
                    ClientError::RateLimited { retry_after } => *retry_after,
                    _ => None,
                };
                if retry_after.is_some_and(|after| after > LONGEST_WAIT) {
                    return Err(err);
                }
                let wait = policy.delay(attempt, retry_after);
                tracing::info!(kind = err.kind(), wait_ms = wait.as_millis() as u64, "retrying");
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}

async fn wait_until_settled(client: &PartnerClient, mut customer: Customer) -> Result<Customer, ClientError> {
    let started = std::time::Instant::now();
    while !customer.status.is_settled() && started.elapsed() < POLL_LIMIT {
        tokio::time::sleep(POLL_INTERVAL).await;
        let lookup = CustomerLookup::CustomerId(customer.customer_id.clone());
        customer = with_retries(|| client.get_customer(&lookup)).await?;
    }
    Ok(customer)
}

fn exit_code(results: &[FileResult]) -> u8 {
    let needs_a_person = results.iter().any(|r| {
        matches!(
            r.outcome,
            Outcome::Unreadable { .. }
                | Outcome::Invalid { .. }
                | Outcome::NotApproved { .. }
                | Outcome::Conflict { .. }
                | Outcome::Rejected { .. }
        )
    });
    if needs_a_person {
        EXIT_INVALID
    } else if results.iter().any(|r| !r.is_ok()) {
        EXIT_REMOTE
    } else {
        0
    }
}

fn print_results(results: &[FileResult], json: bool, submitting: bool) {
    if json {
        match serde_json::to_string_pretty(results) {
            Ok(text) => println!("{text}"),
            Err(err) => eprintln!("error: cannot write the report: {err}"),
        }
    } else {
        print!("{}", render_human(results, submitting));
    }
}

fn describe_target(target: &Option<DraftTarget>) -> String {
    match target {
        Some(DraftTarget::Update { customer_id }) => format!(" (update {customer_id})"),
        Some(DraftTarget::Create { partner_customer_id }) => format!(" (new customer {partner_customer_id})"),
        None => String::new(),
    }
}

fn render_human(results: &[FileResult], submitting: bool) -> String {
    let mut out = String::new();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for result in results {
        let (file, target) = (&result.file, describe_target(&result.target));
        let name = match &result.outcome {
            Outcome::Valid => {
                out.push_str(&format!("✓ {file}: valid draft{target}\n"));
                "valid"
            }
            Outcome::Unreadable { error } => {
                out.push_str(&format!("✗ {file}: not a readable draft file: {error}\n"));
                "unreadable"
            }
            Outcome::Invalid { issues } => {
                out.push_str(&format!("✗ {file}{target}: {} problem(s)\n", issues.len()));
                let width = issues.iter().map(|i| i.path.len()).max().unwrap_or(0);
                for issue in issues {
                    out.push_str(&format!("    {:width$}  {}\n", issue.path, issue.message, width = width));
                }
                "invalid"
            }
            Outcome::NotApproved { message } => {
                out.push_str(&format!("✗ {file}{target}: not sent: {message}\n"));
                "not approved"
            }
            Outcome::Conflict { conflicts, taken_from_theirs } => {
                out.push_str(&format!(
                    "! {file}{target}: changed on the server since the draft's base, in {} field(s) the draft also changed; not sent\n",
                    conflicts.len()
                ));
                let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(empty)".into());
                for conflict in conflicts {
                    out.push_str(&format!("    {}\n", conflict.path));
                    out.push_str(&format!("        base:   {}\n", shown(&conflict.base)));
                    out.push_str(&format!("        theirs: {}\n", shown(&conflict.theirs)));
                    out.push_str(&format!("        mine:   {}\n", shown(&conflict.mine)));
                }
                if !taken_from_theirs.is_empty() {
                    out.push_str(&format!("    changed only on the server (would be kept): {}\n", taken_from_theirs.join(", ")));
                }
                out.push_str("    export the draft again from an up-to-date record, or settle it in the desktop app\n");
                "conflict"
            }
            Outcome::Rejected { problems, message } => {
                out.push_str(&format!("✗ {file}{target}: {message}\n"));
                for problem in problems {
                    out.push_str(&format!("    {}  {}\n", problem.path.as_deref().unwrap_or("-"), problem.message));
                }
                "rejected"
            }
            Outcome::Failed { error } => {
                out.push_str(&format!("✗ {file}{target}: not sent: {}\n", failure_text(error)));
                "failed"
            }
            Outcome::Sent { customer, taken_from_theirs } => {
                out.push_str(&format!("✓ {file}{target}: sent, customer {} is {:?}\n", customer.customer_id, customer.status));
                if !taken_from_theirs.is_empty() {
                    out.push_str(&format!("    kept the server's own changes to: {}\n", taken_from_theirs.join(", ")));
                }
                "sent"
            }
        };
        if let Some(note) = &result.approval {
            out.push_str(&describe_approval(note));
        }
        *counts.entry(name).or_default() += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(name, n)| format!("{n} {name}")).collect();
    let verb = if submitting { "submitted" } else { "checked" };
    out.push_str(&format!("{} file(s) {verb}: {}\n", results.len(), summary.join(", ")));
    out
}

/// The indented line saying whether a file's approval holds.
fn describe_approval(note: &ApprovalNote) -> String {
    let (approver, day) = (&note.approval.approver, note.approval.approved_at.format("%Y-%m-%d"));
    match (&note.state, &note.reason) {
        (ApprovalNoteState::Valid, _) => format!("    approved by {approver} on {day} for exactly these changes\n"),
        (ApprovalNoteState::Void, reason) => format!(
            "    approval by {approver} on {day} no longer holds (void): {}\n",
            reason.as_deref().unwrap_or("it does not match the file's changes")
        ),
    }
}

fn failure_text(error: &ClientError) -> String {
    match error {
        ClientError::Conflict { code: Some(code), .. } if code == "idempotency_key_reused" => {
            "this file's idempotency key was already used for a different request (the file was submitted before, \
             and the customer has changed since); nothing was applied again"
                .to_owned()
        }
        ClientError::Conflict { code: Some(code), .. } if code == "customer_suspended" => {
            "the partner does not accept updates for this customer while it is Suspended".to_owned()
        }
        other => other.to_string(),
    }
}
