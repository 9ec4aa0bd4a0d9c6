//! The audit trail (issue 5): an append-only local log of every submission, approval, decision
//! and status change. Each entry carries the hash of the one before, so an edited, removed or
//! reordered entry is detected ([`verify_chain`]). Entries hold customer data, so each line is
//! sealed like drafts ([`crate::sealed`]). Contract: docs/review-audit.md.

mod chain;
mod log;
mod model;
mod report;

pub use chain::{entry_hash, verify_chain, ChainProblem, ChainProblemKind, ChainReport, GENESIS_HASH};
pub use log::{AuditError, AuditLog};
pub use model::{AuditEntry, AuditEvent, AuditExport, AuditFilter, NewAuditEntry, AUDIT_EXPORT_FORMAT};
pub use report::{render_case_report, CaseDocument, CaseReport};
