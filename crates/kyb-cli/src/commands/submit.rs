//! `kyb submit FILE (--customer ID | --create) [--wait]`: a record file sent through the desktop
//! app's own pipeline, as if typed into the app's editor and queued there. The file is checked
//! first (nothing is opened or sent for an unreadable or invalid file); then, on the app's state
//! as the profile: for an update the customer is fetched now in the environment
//! (`use_cases::customers::open_customer_in`) and that record becomes the draft's base, so the
//! outbox's lost-update check covers changes at the partner between this fetch and the send; the
//! file's record is saved as the customer's draft (`use_cases::drafts::save_draft`; for
//! `--create` a new-customer draft), queued as the profile (`use_cases::outbox::queue_draft`:
//! four-eyes where the environment requires it, production confirmation, SubmissionQueued in the
//! audit trail) and sent by the app's outbox worker (`worker::follow`: retries, the partner's
//! answers in the audit trail). Exit codes and report as `kyb drafts submit`.

use std::path::Path;
use std::sync::Arc;

use kyb_app::page_values::amounts_to_strings;
use kyb_app::use_cases::customers::{open_customer_in, CustomerLookupInput, LookupBy};
use kyb_app::use_cases::{drafts, outbox};
use kyb_app::state::blocking;
use kyb_app::AppState;
use kyb_core::drafts::{DraftBase, DraftSave, DraftTarget};
use kyb_core::model::{parse_strict, CreateCustomerRequest, UpdateCustomerRequest};
use kyb_core::outbox::OutboxState;
use kyb_core::partner_profile::PartnerProfile;
use kyb_core::validation::{check_create, check_update, ValidationContext};
use serde_json::Value;

use super::drafts::{exit_code, follow_results, refusal, report, FileResult, Outcome};
use crate::app;
use crate::cli::AppFolders;
use crate::error::CliError;

/// What `kyb submit` was asked.
pub struct SubmitArgs<'a> {
    pub file: &'a Path,
    /// The customer to update; `None` with `create`.
    pub customer: Option<&'a str>,
    pub create: bool,
    pub environment: Option<&'a str>,
    pub profile: &'a str,
    pub confirm: Option<&'a str>,
    pub wait: bool,
    pub json: bool,
    pub folders: &'a AppFolders,
    /// What the file is validated with before anything is opened.
    pub partner_profile: Arc<PartnerProfile>,
}

/// A checked record file: what it targets and its record as drafts keep it.
struct Checked {
    target: DraftTarget,
    record: Value,
}

/// `kyb submit`.
pub async fn run(args: SubmitArgs<'_>) -> Result<u8, CliError> {
    let checked = check(&args)?;
    let mut results = [FileResult::new(args.file.display().to_string())];
    let state = app::open_as(args.folders, args.profile).await?;
    let outcome = submit_checked(&state, &args, checked, &mut results).await;
    state.shutdown().await;
    outcome?;
    report::print(&results, args.json, true);
    Ok(exit_code(&results))
}

/// Read, parse and validate the file as the body it is submitted as, before anything is opened.
fn check(args: &SubmitArgs<'_>) -> Result<Checked, CliError> {
    let path = args.file;
    let text = std::fs::read_to_string(path).map_err(|source| CliError::ReadFile { path: path.into(), source })?;
    let ctx = ValidationContext::now_with(args.partner_profile.clone());
    let target = if args.create {
        let body: CreateCustomerRequest =
            parse_strict(&text).map_err(|source| CliError::Parse { path: path.into(), source })?;
        let partner_customer_id = body.partner_customer_id.clone().unwrap_or_default();
        check_create(body, &ctx).map_err(|issues| CliError::Invalid { path: path.into(), issues })?;
        DraftTarget::Create { partner_customer_id }
    } else {
        let customer_id = args.customer.ok_or_else(|| CliError::Usage("give --customer ID or --create".into()))?;
        let body: UpdateCustomerRequest =
            parse_strict(&text).map_err(|source| CliError::Parse { path: path.into(), source })?;
        check_update(body, &ctx).map_err(|issues| CliError::Invalid { path: path.into(), issues })?;
        DraftTarget::Update { customer_id: customer_id.to_owned() }
    };
    // The record exactly as the file has it (a draft keeps what was typed); the target carries
    // the partner_customer_id, as in the app's editor; amounts as the drafts keep them.
    let mut record: Value = serde_json::from_str(&text).map_err(|err| CliError::Usage(format!("{}: {err}", path.display())))?;
    if let Value::Object(map) = &mut record {
        map.remove("partner_customer_id");
    }
    amounts_to_strings(&mut record);
    Ok(Checked { target, record })
}

async fn submit_checked(
    state: &AppState,
    args: &SubmitArgs<'_>,
    checked: Checked,
    results: &mut [FileResult],
) -> Result<(), CliError> {
    let environment = app::environment_name(state, args.environment).await?;
    let result = &mut results[0];
    result.environment = Some(environment.clone());
    result.target = Some(checked.target.clone());
    queue_record(state, &environment, args.confirm, checked, result).await;
    follow_results(state, results, args.wait).await
}

/// Save the record as a draft in `environment` and queue it; `result` says why not, or names the
/// outbox entry.
async fn queue_record(state: &AppState, environment: &str, confirm: Option<&str>, checked: Checked, result: &mut FileResult) {
    let base = match &checked.target {
        DraftTarget::Update { customer_id } => match fresh_base(state, environment, customer_id, result).await {
            Ok(base) => Some(base),
            Err(outcome) => return result.outcome = outcome,
        },
        DraftTarget::Create { .. } => None,
    };
    let save = DraftSave {
        id: None,
        environment: environment.to_owned(),
        target: checked.target,
        base,
        record: checked.record,
        // The app sets the editor (the profile) itself.
        editor: None,
    };
    let draft = match drafts::save_draft(state, save).await {
        Ok(draft) => draft,
        Err(error) => return result.outcome = refusal(error),
    };
    match outbox::queue_draft(state, &draft.id, confirm).await {
        Ok(entry) => {
            result.outbox_entry = Some(entry.id);
            result.outcome = Outcome::Waiting { reason: "queued".to_owned() };
        }
        Err(error) => {
            result.outcome = refusal(error);
            result.notes.push("The record is kept as the customer's draft in KYB Desk's drafts library.".to_owned());
        }
    }
}

/// The customer as the partner has it now, as the base of its draft. A draft the customer already
/// has in `environment` keeps its own, older base, so it goes to the trash first (as an import of
/// a draft file does; it can be restored from the drafts library), and `result` notes it.
async fn fresh_base(
    state: &AppState,
    environment: &str,
    customer_id: &str,
    result: &mut FileResult,
) -> Result<DraftBase, Outcome> {
    let lookup = CustomerLookupInput { by: LookupBy::CustomerId, value: customer_id.to_owned() };
    let loaded = open_customer_in(state, lookup, environment).await.map_err(refusal)?;
    if let Some(existing) = &loaded.draft {
        let unsent = unsent_entry(state, &existing.id).await;
        drafts::delete_draft(state, &existing.id).await.map_err(refusal)?;
        result.notes.push(format!(
            "The draft for customer {customer_id} in KYB Desk (revision {}, saved {}) was moved to the trash; restore it from the drafts library if you need it.",
            existing.revision,
            existing.updated_at.format("%Y-%m-%d %H:%M UTC")
        ));
        if let Some(entry) = unsent {
            result.notes.push(format!("Its outbox entry {entry}, not sent yet, is replaced by this submission."));
        }
    }
    let mut record = serde_json::to_value(&loaded.record).unwrap_or(Value::Null);
    amounts_to_strings(&mut record);
    Ok(DraftBase {
        record,
        partner_customer_id: loaded.customer.partner_customer_id.clone(),
        status: serde_json::to_value(loaded.customer.status).ok().and_then(|v| v.as_str().map(str::to_owned)),
        fetched_at: loaded.fetched_at,
    })
}

/// The draft's latest outbox entry when it is not sent (queueing the new draft replaces it).
async fn unsent_entry(state: &AppState, draft_id: &str) -> Option<String> {
    let outbox = state.drafts().ok()?.outbox.clone();
    let draft_id = draft_id.to_owned();
    let latest = blocking(move || outbox.latest_for_draft(&draft_id)).await.ok()?.ok()??;
    (!matches!(latest.state, OutboxState::Sent { .. })).then_some(latest.id)
}
