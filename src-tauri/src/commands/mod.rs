//! The commands the page may call (docs/desktop-ipc.md), one file per area. Each one
//! deserializes its arguments, calls the core, and maps the error to a [`CommandError`].
//! Arguments keep the contract's snake_case names (`rename_all = "snake_case"`).
//!
//! Adding a command: write it here, add it to [`COMMANDS`] in `names.rs` (which `build.rs` also
//! includes to generate its `allow-…` permission) and grant it in `capabilities/main.json`;
//! tests/security.rs checks they agree.

mod audit;
mod customers;
mod documents;
mod drafts;
mod outbox;
mod profiles;
mod records;
mod review;
mod session;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tauri::ipc::Invoke;
use tauri::Runtime;

use crate::error::CommandError;

pub use customers::{CustomerLookupInput, LookupBy};
pub use drafts::{DraftLibraryView, DraftListItem, ExportedDraft, MAX_IMPORT_BYTES};
pub use audit::AuditView;
pub use outbox::OutboxStatus;
pub use profiles::ProfilesView;
pub use review::{ReviewDocument, ReviewView};

include!("names.rs");

/// The invoke handler with every command.
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::get_session,
        session::select_environment,
        session::save_environment,
        session::delete_environment,
        session::set_credentials,
        session::clear_credentials,
        session::reference_data,
        customers::open_customer,
        records::validate_record,
        records::diff_record,
        customers::refresh_customer,
        documents::upload_document,
        drafts::list_drafts,
        drafts::open_draft,
        drafts::save_draft,
        drafts::delete_draft,
        drafts::restore_draft,
        drafts::export_draft,
        drafts::import_draft,
        drafts::set_open_draft,
        drafts::restore_workspace,
        outbox::queue_draft,
        outbox::outbox_status,
        outbox::retry_outbox_entry,
        outbox::cancel_outbox_entry,
        outbox::resolve_conflict,
        profiles::get_profiles,
        profiles::choose_profile,
        documents::read_document_copy,
        documents::attach_document_copy,
        review::review_status,
        review::decide_document,
        review::confirm_identifier,
        review::approve_draft,
        review::export_case_report,
        audit::audit_log,
        audit::export_audit,
    ]
}

/// A structured argument, read by us rather than by Tauri so a bad shape is an `invalid_input`
/// [`CommandError`] naming the argument.
fn argument<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, CommandError> {
    serde_json::from_value(value).map_err(|err| CommandError::invalid_input(name, format!("invalid {name}: {err}")))
}

/// A non-empty argument, trimmed.
fn required(field: &str, value: &str) -> Result<String, CommandError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(CommandError::invalid_input(field, format!("{field} is empty")));
    }
    Ok(trimmed.to_owned())
}
