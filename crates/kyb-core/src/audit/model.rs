//! What an audit entry records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::diff::FieldChange;
use crate::review::{Decision, DecisionReason};

/// What happened. `type` names it (snake_case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum AuditEvent {
    /// A draft was queued for sending: every field old → new.
    SubmissionQueued {
        outbox_entry: String,
        changes: Vec<FieldChange>,
        /// The approval's diff hash, when it had one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        approval_hash: Option<String>,
    },
    /// The partner applied it: its answer.
    SubmissionSent {
        outbox_entry: String,
        /// The customer's status in the answer (`Processing`, …).
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        customer_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        partner_customer_id: Option<String>,
    },
    /// An attempt ended other than sent: the outbox state it reached (`waiting_retry`,
    /// `rejected`, `failed`, `conflict`) and the server's answer or the error, in words.
    SubmissionFailed {
        outbox_entry: String,
        state: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        http_status: Option<u16>,
        answer: String,
    },
    /// The customer's status at the partner changed (seen after a send).
    StatusChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        from: Option<String>,
        to: String,
    },
    ApprovalGranted {
        diff_hash: String,
        preparers: Vec<String>,
        changes: Vec<FieldChange>,
    },
    /// An approval stopped counting because the diff changed after it.
    ApprovalVoided {
        diff_hash: String,
        reason: String,
    },
    /// An approval was refused (self-approval, incomplete checklist, …): why.
    ApprovalRefused {
        reason: String,
    },
    DocumentDecided {
        file_id: String,
        /// Where the document is referenced.
        path: String,
        decision: Decision,
        reasons: Vec<DecisionReason>,
        note: String,
    },
    /// A local copy was kept (upload) or attached for a file id.
    DocumentAttached {
        file_id: String,
        file_name: String,
        sha256: String,
        origin: String,
    },
    /// A reviewer confirmed (or withdrew) that a field's value matches the document.
    IdentifierConfirmed {
        path: String,
        value: String,
        confirmed: bool,
    },
}

/// An entry to append (the log adds `seq`, `prev_hash`, `hash`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    /// The profile that acted (`KYB Desk` for the outbox's own status changes when nobody queued).
    pub actor: String,
    pub environment: String,
    /// `customer_id` for updates; `new:<partner_customer_id>` for a new customer.
    pub customer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub draft_id: Option<String>,
    pub event: AuditEvent,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    /// 1, 2, 3, … with no gaps.
    #[ts(type = "number")]
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub environment: String,
    pub customer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub draft_id: Option<String>,
    pub event: AuditEvent,
    /// The previous entry's `hash` ([`super::GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// [`super::entry_hash`] of this entry.
    pub hash: String,
}

/// Which entries to show or export (all when empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub customer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub environment: Option<String>,
    /// Event `type` names to keep.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub types: Vec<String>,
}

/// `format` of an exported audit file.
pub const AUDIT_EXPORT_FORMAT: &str = "kyb-desk-audit";

/// An exported audit file (JSON): the chain check of the whole log, then the filtered entries
/// (whole entries with their hashes, so a reader can re-check the links between them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditExport {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    pub filter: AuditFilter,
    pub chain: super::ChainReport,
    pub entries: Vec<AuditEntry>,
}
