//! The team workspace's rules, enforced where no preparer can change them: drafts with their
//! preparers, approvals of an exact change by someone else, and submission through the
//! server's outbox. Each action and its audit entry commit in one transaction.

pub mod approvals;
pub mod documents;
pub mod drafts;
pub mod review;
pub mod submit;
pub mod summaries;
pub mod trail;

/// The hash of a draft's change (its diff from the base, field by field): what an approval is of.
/// Owned by kyb-core, so desktops and the CLI check a case file's signed approval against it.
pub use kyb_core::team_change::change_hash;
