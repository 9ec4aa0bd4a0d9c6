//! The desktop shell's integration tests, built as one binary: the IPC layer (argument parsing,
//! answers as the page gets them, every command callable), the security settings and start-up.
//! What the commands do is tested on the use cases themselves in crates/kyb-app/tests.

mod child_process;
mod commands;
mod common;
mod early_start;
mod ipc;
mod security;
mod startup;
