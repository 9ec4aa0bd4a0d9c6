//! Team mode on the desktop: connect, sign in through the system browser, the team's queues,
//! starting and opening team drafts, and the sync that pushes local edits and pulls others'.
//! The server enforces every rule (who may approve, what may be sent); these use cases carry
//! the person's actions to it and mirror its answers into the local draft, so the editor and
//! the review screens show the team's state.

pub mod connect;
pub mod drafts;
pub mod review;
pub mod sync;

pub use connect::{team_status, TeamStatus};
