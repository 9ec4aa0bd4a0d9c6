//! The commands the page may call (docs/desktop-ipc.md), one file per area. Each one is an
//! adapter of a few lines: it deserializes its arguments, calls a `kyb_app` use case, and wraps
//! the answer for the page (amounts as strings). Errors are `kyb_app::AppError`.
//! Arguments keep the contract's snake_case names (`rename_all = "snake_case"`).
//!
//! Adding a command: write it here, add it to [`COMMANDS`] in `names.rs` (which `build.rs` also
//! includes to generate its `allow-…` permission) and grant it in `capabilities/main.json`;
//! tests/security.rs checks they agree.

mod audit;
mod connection;
mod customers;
mod documents;
mod drafts;
mod exports;
mod outbox;
mod partner_profile;
mod profiles;
mod records;
mod review;
mod session;
mod startup;
mod team;

use std::sync::Arc;

use kyb_app::{AppError, AppState};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tauri::ipc::Invoke;
use tauri::Runtime;

/// The app's state as every command borrows it.
type Shared<'a> = tauri::State<'a, Arc<AppState>>;

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
        partner_profile::partner_profile,
        partner_profile::import_partner_profile,
        partner_profile::reset_partner_profile,
        connection::test_connection,
        customers::open_customer,
        customers::search_customers,
        records::validate_record,
        records::diff_record,
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
        documents::begin_document_upload,
        documents::begin_document_copy,
        documents::append_document_chunk,
        documents::finish_document_upload,
        documents::finish_document_copy,
        documents::cancel_document_upload,
        review::review_status,
        review::decide_document,
        review::confirm_identifier,
        review::approve_draft,
        review::export_case_report,
        audit::audit_log,
        audit::export_audit,
        exports::reveal_export,
        startup::start_info,
        team::team_status,
        team::team_connect,
        team::team_sign_in,
        team::team_sign_out,
        team::team_disconnect,
        team::team_drafts,
        team::team_assign_to_me,
        team::team_open_draft,
        team::team_start_draft,
        team::team_submit,
        team::team_submission,
        team::team_trail,
        team::team_conflict,
        team::team_resolve_conflict,
    ]
}

/// A structured argument, read by us rather than by Tauri so a bad shape is an `invalid_input`
/// error naming the argument.
fn argument<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|err| AppError::invalid_input(name, format!("invalid {name}: {err}")))
}
