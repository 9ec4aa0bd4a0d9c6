//! The team workspace's rules, enforced where no preparer can change them: drafts with their
//! preparers, approvals of an exact change by someone else, and submission through the
//! server's outbox. Each action and its audit entry commit in one transaction.

pub mod approvals;
pub mod documents;
pub mod drafts;
pub mod submit;

use sha2::{Digest, Sha256};

/// The hash of a draft's change (its diff from the base, field by field): what an approval is of.
pub fn change_hash(base: &serde_json::Value, record: &serde_json::Value) -> [u8; 32] {
    let changes = kyb_core::diff::diff_values(base, record);
    let text = serde_json::to_string(&changes).unwrap_or_default();
    Sha256::digest(text.as_bytes()).into()
}
