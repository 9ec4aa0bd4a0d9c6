//! KYB Desk's application layer, shared by the desktop shell (src-tauri), the CLI (kyb-cli) and
//! the team server. No Tauri here: the shell only hosts windows and adapts IPC calls to
//! [`use_cases`]. See docs/ARCHITECTURE.md.
//!
//! - [`state`]: environments, the built-in sandbox, one partner client per environment, the
//!   sealed drafts, outbox, document copies and audit trail.
//! - [`use_cases`]: what a person can do (open, save, import, export, queue, retry, cancel,
//!   resolve a conflict, decide, confirm, approve, attach, audit queries, the case report).
//! - [`worker`]: the background task that sends the outbox, follows sent customers, rebases
//!   drafts on what was sent, and watches connectivity.
//! - [`audit_trail`]: what is written to the hash-chained audit trail, and when.
//! - [`error`]: [`AppError`], serialized as `{kind, message, field?, ...}`.
//! - [`page_values`]: amounts in records travel as exact decimal strings.
//! - [`user_config`]: the desktop app's identifier, folders and keychain services.

pub mod audit_trail;
pub mod clean_exit;
pub mod error;
pub mod exports;
pub mod memory;
pub mod page_values;
pub mod state;
pub mod team;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod use_cases;
pub mod user_config;
pub mod worker;
pub mod workspace;

pub use error::{AppError, AppErrorBody, ErrorKind};
pub use state::{AppState, StateConfig};
