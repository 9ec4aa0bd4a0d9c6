//! The desktop shell's integration tests, built as one binary: the IPC layer (argument parsing,
//! answers as the page gets them, every command callable), the security settings and start-up.
//! The module recorded_answers records the answers the page's dev mock replays.
//! What the commands do is tested on the use cases themselves in crates/kyb-app/tests.

mod child_process;
mod commands;
mod common;
mod early_start;
mod ipc;
mod partner_error_shapes;
mod recorded_answers;
mod security;
mod startup;
