//! Team mode, shared by the desktop and the CLI: connect to a team server, sign in with the
//! company's OpenID Connect provider (the refresh token kept in the OS keychain), and call the
//! server, which alone talks to the partner and enforces four-eyes.

mod api;
mod checkpoints;
mod client;
mod connection;
mod sign_in;
mod tokens;
pub mod desk;
mod error_kind;

pub use checkpoints::{CheckpointKeeper, CheckpointStatus, CHECKPOINTS_DIR};
pub use client::TeamClient;
pub use connection::{TeamConnection, TEAM_FILE};
pub use sign_in::{open_in_browser, BrowserSignIn, DeviceSignIn, SignedInPerson, BROWSER_PROGRAM_ENV};
pub use tokens::TokenStore;

pub use kyb_core::team_wire::{
    TeamDocument, TeamDocumentDecision, TeamDraft, TeamDraftSummary, TeamEnvironment, TeamOutboxState, TeamPartnerCustomer, TeamQueue,
    TeamRefusalKind, TeamSubmission, TeamTrailEntry,
};

/// What went wrong in team mode, each kind named for the person who must act.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("not connected to a team server: run `kyb team connect URL` (or Settings → Team)")]
    NotConnected,
    #[error("not signed in to the team: sign in first")]
    NotSignedIn,
    #[error("the team server at {url} cannot be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("sign-in failed: {0}")]
    SignIn(String),
    #[error("the OS keychain is unavailable: {0}")]
    Keychain(String),
    /// The server refused: its `{kind, message, field?}`.
    #[error("{message}")]
    Refused { status: u16, kind: kyb_core::team_wire::TeamRefusalKind, message: String, field: Option<String> },
    /// Someone changed the draft since the version this change started from: merge with
    /// `current_version` and push again.
    #[error("the draft changed since you started: it is now at version {current_version}; merge and try again")]
    Stale { current_version: i64 },
    /// A document's bytes do not match the hash the server gave for them.
    #[error("document {file_id} arrived damaged (its SHA-256 does not match): try again")]
    DocumentDamaged { file_id: String },
    /// A local file could not be read.
    #[error("cannot read {path}: {detail}")]
    ReadFile { path: String, detail: String },
    /// The server's audit trail does not hold up against the checkpoint this desktop kept (a
    /// rollback or a rewrite), or the server signs with another key than the one kept at connect.
    #[error("the team server at {server_url} cannot be trusted: {problem}")]
    TrailBroken { server_url: String, problem: kyb_core::team_checkpoint::CheckpointProblem },
    /// The checkpoint this desktop kept was changed or damaged on disk: it is neither trusted nor
    /// replaced (see what changed it; removing the file starts over from the server's trail).
    #[error("the audit checkpoint kept in {path} was changed or damaged ({detail}): it is not trusted and not replaced")]
    KeptCheckpointDamaged { path: String, detail: String },
    #[error("cannot keep the team connection in {path}: {detail}")]
    Storage { path: String, detail: String },
}
