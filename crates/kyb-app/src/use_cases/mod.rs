//! What a person (through the desktop, the CLI or the server) can do, one module per area. Each
//! use case takes the [`AppState`](crate::state::AppState) and typed arguments, checks them, acts,
//! and answers a typed value or an [`AppError`]. A person's action takes effect only after its
//! audit entry is written ([`crate::audit_trail`]).

pub mod audit;
pub mod connection;
pub mod customers;
pub mod documents;
pub mod drafts;
pub mod outbox;
pub mod partner_profile;
pub mod profiles;
pub mod records;
pub mod review;
pub mod search;
pub mod session;
pub mod startup;
pub mod team;

use kyb_core::drafts::is_draft_id;

use crate::error::AppError;

/// A non-empty argument, trimmed; else `invalid_input` naming `field`.
pub fn required(field: &str, value: &str) -> Result<String, AppError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(AppError::invalid_input(field, format!("{field} is empty")));
    }
    Ok(trimmed.to_owned())
}

/// A draft id argument: well-formed (it becomes a file name), else `invalid_input` on `id`.
pub fn draft_id(id: &str) -> Result<String, AppError> {
    let id = required("id", id)?;
    if !is_draft_id(&id) {
        return Err(AppError::invalid_input("id", format!("{id:?} is not a draft id")));
    }
    Ok(id)
}

/// An outbox entry id argument (`o-…`), else `invalid_input` on `id`.
pub fn entry_id(id: &str) -> Result<String, AppError> {
    let id = required("id", id)?;
    let well_formed = id.strip_prefix("o-").is_some_and(|rest| {
        !rest.is_empty() && rest.len() <= 64 && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !well_formed {
        return Err(AppError::invalid_input("id", format!("{id:?} is not an outbox entry id")));
    }
    Ok(id)
}
