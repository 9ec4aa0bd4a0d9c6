//! The KYB Desk team server: the one place that holds a team's partner credentials, its audit
//! trail and (as the team workspace grows) drafts, documents, approvals and the outbox, on
//! PostgreSQL. Stateless: several instances may serve one database; whatever must happen once
//! (the next audit sequence number) is serialised by the database, not by a process.
//!
//! This crate has no Tauri and no desktop code; the desktop and the CLI reach it over HTTP.

mod api;
pub mod audit;
mod auth;
pub mod checkpoint;
pub mod config;
pub mod db;
pub mod environments;
pub mod error;
pub mod http;
pub mod identity;
pub mod outbox;
pub mod people;
pub mod team;
pub mod sealing;
#[cfg(feature = "test-support")]
pub mod testing;

pub use config::ServerConfig;
pub use error::ServerError;
pub use http::{start, ServerHandle};
