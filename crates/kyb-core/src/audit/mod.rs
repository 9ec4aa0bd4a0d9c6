//! The audit trail: an append-only local log of every submission, approval, decision
//! and status change. Each entry carries the hash of the one before, so an edited, removed or
//! reordered entry is detected ([`verify_chain`]). Entries hold customer data, so each line is
//! sealed like drafts ([`crate::sealed`]). Contract: docs/review-audit.md.

mod chain;
pub(crate) mod labels;
mod log;
mod model;
mod report;

pub use chain::{entry_hash, verify_chain, ChainProblem, ChainProblemKind, ChainReport, GENESIS_HASH};
pub use labels::{
    decision_code, decision_label, document_kind_label, item_state_label, reason_label, reasons_label,
};
pub use log::{AuditError, AuditLog, AUDIT_LOG_FILE};
pub use model::{
    event_type_labels, short_hash, AuditEntry, AuditEvent, AuditExport, AuditFilter, NewAuditEntry, AUDIT_EXPORT_FORMAT,
    EVENT_TYPE_LABELS,
};
pub use report::{render_case_report, CaseDocument, CaseReport};
