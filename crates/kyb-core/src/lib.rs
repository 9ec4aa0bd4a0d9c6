//! KYB Desk core: everything the desktop app, the CLI and the sandbox share.
//!
//! - [`model`]: transport types for the partner API, with the exact JSON names of the seed.
//! - [`validation`]: the single source of truth for what a valid record is, with the
//!   [`partner_profile`] it reads (the partner's enumerations and bounds).
//! - [`client`]: the HTTP client for the partner API.
//! - [`credentials`]: API key and secret in the OS keychain.
//! - [`sealed`], [`drafts`], [`outbox`], [`merge`]: drafts and queued submissions, encrypted at
//!   rest, sent exactly once, with a three-way lost-update check.
//! - [`profiles`], [`review`], [`vault`], [`audit`]: the reviewer workflow: named local profiles,
//!   per-document decisions, checklist and four-eyes approval, local document copies, and the
//!   hash-chained audit trail; [`document_slots`]: which `fileType`s each document slot takes.
//! - [`environments`], [`recent`], [`reference`], [`diff`]: what the desktop app keeps and shows
//!   (environment list without secrets, recently opened customers, picker values, field diffs).
//! - [`error`], [`clock`]: the one kind of failure every layer names ([`error::ErrorKind`]), and
//!   the time the stores stamp and schedule with.
//! - [`team_approval`], [`team_checkpoint`], [`team_change`]: what a team server signs (approvals
//!   of a change, checkpoints of its audit trail) and the change hash, verified offline.
//! - [`files`]: how every file of the data folder is written (private, atomic) and the lock
//!   that keeps a second process out of it.

pub mod audit;
pub mod client;
pub mod clock;
pub mod credentials;
pub mod diff;
pub mod document_slots;
pub mod drafts;
pub mod environments;
pub mod error;
pub mod field_labels;
pub mod field_path;
pub mod files;
pub mod merge;
pub mod model;
pub mod outbox;
pub mod partner_profile;
pub mod profiles;
pub mod recent;
pub mod review;
pub mod reference;
pub mod samples;
pub mod team_approval;
pub mod team_change;
pub mod team_checkpoint;
pub mod team_wire;
pub mod sealed;
pub mod validation;
pub mod vault;
