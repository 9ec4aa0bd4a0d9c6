//! KYB Desk core: everything the desktop app, the CLI and the sandbox share.
//!
//! - [`model`]: transport types for the partner API, with the exact JSON names of the seed.
//! - [`validation`]: the single source of truth for what a valid record is.
//! - [`client`]: the HTTP client for the partner API.
//! - [`credentials`]: API key and secret in the OS keychain.

pub mod client;
pub mod credentials;
pub mod model;
pub mod samples;
pub mod validation;
