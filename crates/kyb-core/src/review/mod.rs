//! Reviewer workflow (issue 5): the documents a record references, a decision per document, the
//! per-record checklist, and four-eyes approval bound to a hash of the exact diff.
//!
//! Everything a review produces lives in the draft ([`crate::drafts::Draft::review`]), so it is
//! sealed with the draft and travels with an exported draft file. Contract: docs/review-audit.md.

mod approval;
mod checklist;
mod documents;
mod model;

pub use approval::{approval_state, approve, check_submittable, diff_hash, record_edit, ApprovalError, ApprovalState};
pub use checklist::{checklist, Checklist, ChecklistItem, ItemState};
pub use documents::{referenced_documents, DocumentKind, DocumentRef};
pub use model::{Approval, Decision, DecisionReason, DocumentDecision, IdentifierMatch, Review};
