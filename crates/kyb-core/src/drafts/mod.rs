//! Drafts: every edit saved, sealed at rest, per customer and environment.
//!
//! - [`model`]: [`Draft`], [`DraftTarget`], [`DraftBase`] and draft ids.

mod model;

pub use model::{create_draft_id, is_draft_id, update_draft_id, Draft, DraftBase, DraftTarget};
