//! What an audit entry records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::labels;
use crate::diff::FieldChange;
use crate::field_labels::path_label;
use crate::review::{Decision, DecisionReason, Labelled};

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
    /// The partner profile an environment validates with was changed (a policy change): which
    /// profile it had and which it has now ("ACME v3", or the built-in one).
    PartnerProfileChanged {
        from: String,
        to: String,
    },
    /// The action recorded just before (by `seq`) did not take effect after all: why. Actions
    /// are recorded before they happen, so a trail never misses one that did.
    ActionNotCompleted {
        seq: u64,
        reason: String,
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

impl AuditEvent {
    /// The event's `type` (`submission_queued`, …), as [`AuditFilter::types`] names it.
    pub fn type_name(&self) -> &'static str {
        match self {
            AuditEvent::SubmissionQueued { .. } => "submission_queued",
            AuditEvent::SubmissionSent { .. } => "submission_sent",
            AuditEvent::SubmissionFailed { .. } => "submission_failed",
            AuditEvent::StatusChanged { .. } => "status_changed",
            AuditEvent::ApprovalGranted { .. } => "approval_granted",
            AuditEvent::ApprovalVoided { .. } => "approval_voided",
            AuditEvent::ApprovalRefused { .. } => "approval_refused",
            AuditEvent::DocumentDecided { .. } => "document_decided",
            AuditEvent::DocumentAttached { .. } => "document_attached",
            AuditEvent::IdentifierConfirmed { .. } => "identifier_confirmed",
            AuditEvent::PartnerProfileChanged { .. } => "partner_profile_changed",
            AuditEvent::ActionNotCompleted { .. } => "action_not_completed",
        }
    }

    /// The field changes the event carries (a queued submission's, an approval's), else none.
    pub fn changes(&self) -> &[FieldChange] {
        match self {
            AuditEvent::SubmissionQueued { changes, .. } | AuditEvent::ApprovalGranted { changes, .. } => changes,
            _ => &[],
        }
    }

    /// What happened, in one plain sentence (the case report and the trail's list show it).
    pub fn summary(&self) -> String {
        match self {
            AuditEvent::SubmissionQueued { outbox_entry, changes, approval_hash } => {
                let approval = match approval_hash {
                    Some(hash) => format!(", approved as diff {}", short_hash(hash)),
                    None => String::new(),
                };
                let changes = count(changes.len(), "field change");
                format!("Submission queued ({changes}{approval}; outbox entry {outbox_entry})")
            }
            AuditEvent::SubmissionSent { outbox_entry, status, customer_id, partner_customer_id } => {
                let ids: Vec<String> = [("customer_id", customer_id), ("partner_customer_id", partner_customer_id)]
                    .into_iter()
                    .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} {v}")))
                    .collect();
                let ids = if ids.is_empty() { String::new() } else { format!(", {}", ids.join(", ")) };
                format!("Submission sent: the partner applied it, status {status}{ids} (outbox entry {outbox_entry})")
            }
            AuditEvent::SubmissionFailed { outbox_entry, state, http_status, answer } => {
                let http = http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
                let answer = if answer.is_empty() { String::new() } else { format!(": {answer}") };
                let state = state.replace('_', " ");
                format!("Submission not applied, now {state}{http}{answer} (outbox entry {outbox_entry})")
            }
            AuditEvent::StatusChanged { from: Some(from), to } => format!("Status changed from {from} to {to}"),
            AuditEvent::StatusChanged { from: None, to } => format!("Status is now {to}"),
            AuditEvent::ApprovalGranted { diff_hash, preparers, changes } => {
                let preparers = if preparers.is_empty() { "nobody recorded".to_owned() } else { preparers.join(", ") };
                format!(
                    "Approved {} (diff {}), prepared by {preparers}",
                    count(changes.len(), "field change"),
                    short_hash(diff_hash)
                )
            }
            AuditEvent::ApprovalVoided { diff_hash, reason } => {
                format!("Approval of diff {} voided: {reason}", short_hash(diff_hash))
            }
            AuditEvent::ApprovalRefused { reason } => format!("Approval refused: {reason}"),
            AuditEvent::DocumentDecided { file_id, path, decision, reasons, note } => {
                let place = path_label(path, None);
                let mut text = format!("Document {file_id} ({place}): {}", labels::decision_label(*decision));
                if !reasons.is_empty() {
                    text.push_str(&format!(" — {}", labels::reasons_label(reasons)));
                }
                if !note.is_empty() {
                    text.push_str(&format!(" — note: {note}"));
                }
                text
            }
            AuditEvent::DocumentAttached { file_id, file_name, sha256, origin } => {
                format!("Local copy of document {file_id} kept: {file_name} (SHA-256 {}, {origin})", short_hash(sha256))
            }
            AuditEvent::IdentifierConfirmed { path, value, confirmed: true } => {
                format!("Confirmed that {} {value} matches the document", path_label(path, None))
            }
            AuditEvent::IdentifierConfirmed { path, value, confirmed: false } => {
                format!("Withdrew the confirmation that {} {value} matches the document", path_label(path, None))
            }
            AuditEvent::PartnerProfileChanged { from, to } => {
                format!("Partner profile changed from {from} to {to}")
            }
            AuditEvent::ActionNotCompleted { seq, reason } => {
                format!("The action recorded as entry {seq} did not take effect: {reason}")
            }
        }
    }
}

/// Every event type ([`AuditEvent::type_name`]) with its name for people, in the order the
/// trail's filter lists them.
pub const EVENT_TYPE_LABELS: [(&str, &str); 12] = [
    ("submission_queued", "Submission queued"),
    ("submission_sent", "Submission sent"),
    ("submission_failed", "Submission not applied"),
    ("status_changed", "Status changed"),
    ("approval_granted", "Approval granted"),
    ("approval_voided", "Approval voided"),
    ("approval_refused", "Approval refused"),
    ("document_decided", "Document decided"),
    ("document_attached", "Document copy kept"),
    ("identifier_confirmed", "Identifier confirmed"),
    ("partner_profile_changed", "Partner profile changed"),
    ("action_not_completed", "Action not completed"),
];

/// [`EVENT_TYPE_LABELS`] as data for the page (the filter's choices and each entry's type).
pub fn event_type_labels() -> Vec<Labelled<String>> {
    EVENT_TYPE_LABELS
        .iter()
        .map(|(value, label)| Labelled { value: (*value).to_owned(), label: (*label).to_owned() })
        .collect()
}

/// The first 12 hex digits of a hash, for people (the full hash stays in the entry).
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl AuditFilter {
    /// Whether `entry` is kept: customer and environment exact, `types` by [`AuditEvent::type_name`].
    pub fn matches(&self, entry: &AuditEntry) -> bool {
        self.customer.as_ref().is_none_or(|customer| *customer == entry.customer)
            && self.environment.as_ref().is_none_or(|environment| *environment == entry.environment)
            && (self.types.is_empty() || self.types.iter().any(|t| t == entry.event.type_name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_the_serde_tags() {
        let events = [
            AuditEvent::SubmissionQueued { outbox_entry: "o".into(), changes: vec![], approval_hash: None },
            AuditEvent::SubmissionSent {
                outbox_entry: "o".into(),
                status: "Processing".into(),
                customer_id: None,
                partner_customer_id: None,
            },
            AuditEvent::SubmissionFailed {
                outbox_entry: "o".into(),
                state: "waiting_retry".into(),
                http_status: Some(503),
                answer: "busy".into(),
            },
            AuditEvent::StatusChanged { from: None, to: "Succeeded".into() },
            AuditEvent::ApprovalGranted { diff_hash: "ab".into(), preparers: vec![], changes: vec![] },
            AuditEvent::ApprovalVoided { diff_hash: "ab".into(), reason: "edited".into() },
            AuditEvent::ApprovalRefused { reason: "self".into() },
            AuditEvent::DocumentDecided {
                file_id: "f".into(),
                path: "p".into(),
                decision: Decision::Rejected,
                reasons: vec![DecisionReason::Expired],
                note: String::new(),
            },
            AuditEvent::DocumentAttached {
                file_id: "f".into(),
                file_name: "a.pdf".into(),
                sha256: "00".into(),
                origin: "upload".into(),
            },
            AuditEvent::IdentifierConfirmed { path: "p".into(), value: "v".into(), confirmed: true },
            AuditEvent::PartnerProfileChanged { from: "KYB Desk built-in v1".into(), to: "ACME v3".into() },
            AuditEvent::ActionNotCompleted { seq: 7, reason: "disk full".into() },
        ];
        assert_eq!(events.len(), EVENT_TYPE_LABELS.len());
        for event in events {
            assert_eq!(serde_json::to_value(&event).unwrap()["type"], event.type_name());
            assert!(!event.summary().is_empty());
            let labelled = EVENT_TYPE_LABELS.iter().any(|(name, _)| *name == event.type_name());
            assert!(labelled, "{} has no label", event.type_name());
        }
    }

    #[test]
    fn summaries_name_fields_by_their_labels() {
        let decided = AuditEvent::DocumentDecided {
            file_id: "file_1".into(),
            path: "business_person_list[1].identification.id_document_front_file_id".into(),
            decision: Decision::Verified,
            reasons: vec![],
            note: String::new(),
        };
        assert_eq!(decided.summary(), "Document file_1 (Person 2 › ID front image): Verified");
        let confirmed = AuditEvent::IdentifierConfirmed {
            path: "business_details.business_identifier_number".into(),
            value: "12-3456789".into(),
            confirmed: true,
        };
        assert_eq!(confirmed.summary(), "Confirmed that Business details › Identifier number 12-3456789 matches the document");
    }
}
