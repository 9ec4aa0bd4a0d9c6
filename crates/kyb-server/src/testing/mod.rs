//! Test helpers for the team server and the crates that talk to it: a fresh PostgreSQL database
//! per test, the demo OpenID Connect provider, and a person signing in through it.

mod database;
mod oidc;
mod sandbox;

pub use database::{TestDatabase, DATABASE_URL_ENV};
pub use oidc::{play_browser_sign_in, DemoProvider, Tokens, CLIENT_ID};
pub use sandbox::partner_sandbox;
