//! Drafts: every edit saved, sealed at rest, per customer and environment.
//!
//! - [`model`]: [`Draft`], [`DraftTarget`], [`DraftBase`] and draft ids.
//! - [`store`]: [`DraftStore`] (autosave, library, trash and undo, unreadable files set aside).
//! - [`portable`]: portable draft files (export, strict import, validation of a file).
//! - [`file_approvals`]: which approvals a file brings in count (signed by a trusted team server,
//!   of the file's exact change).

mod file_approvals;
mod model;
mod new_customer;
mod portable;
mod store;

pub use file_approvals::{check_file_approvals, file_change_hash, FileApproval, FileApprovalProblem};
pub use new_customer::{partner_customer_id_issues, PARTNER_CUSTOMER_ID_PATH};
pub use model::{create_draft_id, is_draft_id, update_draft_id, Draft, DraftBase, DraftTarget};
pub use portable::{
    check_portable, export_draft, into_draft, portable_file_name, read_portable, to_pretty_json, ImportError,
    ImportReport, PortableDraft, PORTABLE_FORMAT, PORTABLE_VERSION,
};
pub use store::{
    validate_draft, DraftError, DraftLibrary, DraftSave, DraftSaved, DraftStore, DraftSummary, UnreadableCause,
    UnreadableDraft, DRAFTS_DIR, TRASH_DIR, UNREADABLE_DIR,
};
