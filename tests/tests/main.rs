//! The cross-crate tests, built as one binary: the client, the outbox and the CLI's drafts against
//! a real sandbox on loopback, the keychain, crash safety, and the end-to-end flows of the release
//! app (ignored by default; `scripts/e2e.sh` runs them with `--ignored`, selecting them by module,
//! e.g. `e2e_settings::`).

// Helpers shared by several modules.
mod client_common;
mod outbox_common;

mod client_bad_servers;
mod client_endpoints;
mod client_errors;
mod credentials_keychain;
mod drafts_crash;
mod e2e_canary;
mod e2e_editor;
mod e2e_four_eyes;
mod e2e_layout;
mod e2e_offline;
mod e2e_review;
mod e2e_search;
mod e2e_settings;
mod e2e_smoke;
mod e2e_strict;
mod e2e_team;
mod outbox_conflict;
mod outbox_exactly_once;
mod outbox_faults;
