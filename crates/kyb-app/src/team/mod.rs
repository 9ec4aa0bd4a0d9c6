//! Team mode, shared by the desktop and the CLI: connect to a team server, sign in with the
//! company's OpenID Connect provider (the refresh token kept in the OS keychain), and call the
//! server, which alone talks to the partner and enforces four-eyes.

mod client;
mod connection;
mod sign_in;
mod tokens;

pub use client::TeamClient;
pub use connection::{TeamConnection, TEAM_FILE};
pub use sign_in::{DeviceSignIn, SignedInPerson};
pub use tokens::TokenStore;

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
    Refused { status: u16, kind: String, message: String, field: Option<String> },
    #[error("cannot keep the team connection in {path}: {detail}")]
    Storage { path: String, detail: String },
}
