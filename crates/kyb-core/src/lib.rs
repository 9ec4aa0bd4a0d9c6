//! KYB Desk core: everything the desktop app, the CLI and the sandbox share.
//!
//! - [`model`]: transport types for the partner API, with the exact JSON names of the seed.
//! - [`validation`]: the single source of truth for what a valid record is.
//! - [`client`]: the HTTP client for the partner API.
//! - [`credentials`]: API key and secret in the OS keychain.
//! - [`environments`], [`recent`], [`reference`], [`diff`]: what the desktop app keeps and shows
//!   (environment list without secrets, recently opened customers, picker values, field diffs).

mod atomic;
pub mod client;
pub mod credentials;
pub mod diff;
pub mod environments;
pub mod model;
pub mod recent;
pub mod reference;
pub mod samples;
pub mod validation;
