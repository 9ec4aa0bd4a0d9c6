//! The outbox: queued submissions that survive restarts and are applied exactly once.
//!
//! - [`model`]: [`OutboxEntry`] and its [`OutboxState`].

mod model;

pub use model::{AttemptError, EntryProblem, OutboxEntry, OutboxState};
