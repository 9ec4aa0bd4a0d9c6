//! Which approvals a portable draft file brings in count: only those signed by a team server this
//! machine trusts, whose signature verifies, of exactly the file's change
//! ([`crate::team_change::change_hash`] from the file's base to its record).
//!
//! Anyone can edit a file: name a colleague as preparer, write an approval and recompute its hash.
//! So an approval that arrives in a file (the `review.approval` a solo desktop writes, or a signed
//! one with a problem) is reported and never kept. Approvals made on this machine (two local
//! profiles, solo mode) are not files and keep counting for its own drafts.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::portable::PortableDraft;
use crate::team_approval::{ApprovalSignatureProblem, SignedApproval};

/// Why an approval in a file does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum FileApprovalProblem {
    /// A plain approval (who and when, written in the file): anyone could have written it.
    #[error("not signed by the team server")]
    NotSigned,
    /// Changed after the server signed it (another approver, change, time or draft).
    #[error("signature does not verify")]
    BadSignature,
    /// Signed, but by a key that is not this machine's team server's (nor one given to trust).
    #[error("signed by a key this machine does not trust")]
    UntrustedKey,
    /// Genuine, but of another change than the file's (its record or base was edited since).
    #[error("the file's change is not the one approved")]
    OtherChange,
}

/// One approval a file carries, and whether it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileApproval {
    pub approved_by: String,
    pub approved_at: DateTime<Utc>,
    /// Whether it carries a server signature at all.
    pub signed: bool,
    /// `None` when it counts.
    pub problem: Option<FileApprovalProblem>,
}

impl FileApproval {
    pub fn counts(&self) -> bool {
        self.problem.is_none()
    }
}

/// The team change hash of the file's own change, hex: from its base record (`{}` for a new
/// customer) to its record.
pub fn file_change_hash(file: &PortableDraft) -> String {
    let empty = Value::Object(serde_json::Map::new());
    let base = file.base.as_ref().map_or(&empty, |base| &base.record);
    crate::team_change::change_hash_hex(base, &file.record)
}

/// Every approval `file` carries, checked against the server keys this machine trusts (hex):
/// the plain `review.approval` first (never counts), then each signed one, in file order.
pub fn check_file_approvals(file: &PortableDraft, trusted_keys: &[String]) -> Vec<FileApproval> {
    let mut checked = Vec::new();
    if let Some(plain) = &file.review.approval {
        checked.push(FileApproval {
            approved_by: plain.approver.clone(),
            approved_at: plain.approved_at,
            signed: false,
            problem: Some(FileApprovalProblem::NotSigned),
        });
    }
    let change_hash = file_change_hash(file);
    for signed in &file.signed_approvals {
        checked.push(FileApproval {
            approved_by: signed.approved_by.clone(),
            approved_at: signed.approved_at,
            signed: true,
            problem: signed_problem(signed, trusted_keys, &change_hash),
        });
    }
    checked
}

fn signed_problem(signed: &SignedApproval, trusted_keys: &[String], change_hash: &str) -> Option<FileApprovalProblem> {
    let Some(key) = trusted_keys.iter().find(|key| key.trim().eq_ignore_ascii_case(signed.server_key.trim())) else {
        return Some(FileApprovalProblem::UntrustedKey);
    };
    match signed.verify(key) {
        Ok(()) => {}
        Err(ApprovalSignatureProblem::UnknownServer) => return Some(FileApprovalProblem::UntrustedKey),
        Err(_) => return Some(FileApprovalProblem::BadSignature),
    }
    if signed.change_hash.eq_ignore_ascii_case(change_hash) {
        None
    } else {
        Some(FileApprovalProblem::OtherChange)
    }
}
