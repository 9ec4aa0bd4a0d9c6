//! kyb-app's integration tests, built as one binary: the use cases called directly on a real app
//! state (real sandbox, real keychain, temporary folders) with the real outbox worker.

mod common;
mod documents;
mod drafts;
mod drafts_no_keychain;
mod fail_closed;
mod four_eyes;
mod layers;
mod outbox;
mod partner_answers;
mod partner_profile;
mod review;
mod review_flags;
mod search;
mod team_browser_sign_in;
mod team_desktop;
mod team_client;
