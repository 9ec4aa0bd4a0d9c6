//! The report of `kyb drafts validate|submit` and `kyb submit`: one block per file and a summary
//! line, or the results as JSON.

use std::collections::BTreeMap;

use kyb_core::drafts::DraftTarget;

use super::{ApprovalNote, ApprovalNoteState, FileResult, Outcome};

pub(crate) fn print(results: &[FileResult], json: bool, submitting: bool) {
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
    let mut counts = BTreeMap::<&str, usize>::new();
    for result in results {
        let (file, target) = (&result.file, describe_target(&result.target));
        let entry = result.outbox_entry.as_deref().map(|id| format!(" [outbox entry {id}]")).unwrap_or_default();
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
                out.push_str(&format!("✗ {file}{target}: not queued: {message}\n"));
                "not approved"
            }
            Outcome::NotQueued { error } => {
                out.push_str(&format!("✗ {file}{target}: not queued: {error}\n"));
                "not queued"
            }
            Outcome::Conflict { conflicts } => {
                out.push_str(&format!(
                    "! {file}{target}{entry}: changed at the partner since the draft's base, in {} field(s) the draft also changed; not sent\n",
                    conflicts.len()
                ));
                let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(empty)".into());
                for conflict in conflicts {
                    out.push_str(&format!("    {}\n", conflict.path));
                    out.push_str(&format!("        base:   {}\n", shown(&conflict.base)));
                    out.push_str(&format!("        theirs: {}\n", shown(&conflict.theirs)));
                    out.push_str(&format!("        mine:   {}\n", shown(&conflict.mine)));
                }
                out.push_str("    choose mine or theirs for each field in KYB Desk's Outbox\n");
                "conflict"
            }
            Outcome::Rejected { problems } => {
                out.push_str(&format!("✗ {file}{target}{entry}: refused by the partner\n"));
                for problem in problems {
                    out.push_str(&format!("    {}  {}\n", problem.path.as_deref().unwrap_or("-"), problem.message));
                }
                "rejected"
            }
            Outcome::Failed { error } => {
                out.push_str(&format!("✗ {file}{target}{entry}: not sent: {}\n", error.message));
                "failed"
            }
            Outcome::Waiting { reason } => {
                out.push_str(&format!("… {file}{target}{entry}: not sent yet: {reason}\n"));
                "waiting"
            }
            Outcome::Sent { customer } => {
                out.push_str(&format!("✓ {file}{target}{entry}: sent, customer {} is {:?}\n", customer.customer_id, customer.status));
                "sent"
            }
        };
        for note in &result.approvals {
            out.push_str(&describe_approval(note));
        }
        for note in &result.notes {
            out.push_str(&format!("    {note}\n"));
        }
        *counts.entry(name).or_default() += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(name, n)| format!("{n} {name}")).collect();
    let verb = if submitting { "submitted" } else { "checked" };
    out.push_str(&format!("{} file(s) {verb}: {}\n", results.len(), summary.join(", ")));
    out
}

/// The indented line saying whether one of a file's approvals counts.
fn describe_approval(note: &ApprovalNote) -> String {
    let (approver, day) = (&note.approved_by, note.approved_at.format("%Y-%m-%d"));
    let reason = note.reason.as_deref().unwrap_or("it does not match the file's changes");
    match note.state {
        ApprovalNoteState::Valid => format!("    approved by {approver} on {day} for exactly these changes (signed by the team server)\n"),
        ApprovalNoteState::Void => format!("    approval by {approver} on {day} does not count (void): {reason}\n"),
        ApprovalNoteState::Refused => format!("    approval by {approver} on {day} refused: {reason}\n"),
    }
}
