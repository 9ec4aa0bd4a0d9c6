//! KYB Desk core: everything the desktop app, the CLI and the sandbox share.
//!
//! - [`model`]: transport types for the partner API, with the exact JSON names of the seed.
//! - [`validation`]: the single source of truth for what a valid record is.
//! - [`client`]: the HTTP client for the partner API.
//! - [`credentials`]: API key and secret in the OS keychain.
//! - [`sealed`], [`drafts`], [`outbox`], [`merge`]: drafts and queued submissions, encrypted at
//!   rest, sent exactly once, with a three-way lost-update check.
//! - [`environments`], [`recent`], [`reference`], [`diff`]: what the desktop app keeps and shows
//!   (environment list without secrets, recently opened customers, picker values, field diffs).

mod atomic;
pub mod client;
pub mod credentials;
pub mod diff;
pub mod drafts;
pub mod environments;
pub mod merge;
pub mod model;
pub mod outbox;
pub mod recent;
pub mod reference;
pub mod samples;
pub mod sealed;
pub mod validation;
