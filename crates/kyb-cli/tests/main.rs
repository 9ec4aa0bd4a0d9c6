//! The `kyb` command's integration tests, built as one binary: the real executable against a real
//! sandbox on loopback.

mod cli;
mod desk;
mod drafts_batch;
mod partner_profile;
mod stored_profile;
mod submit;
mod team;
mod team_checkpoints;
