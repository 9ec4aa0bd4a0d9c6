//! `kyb drafts submit`: the desktop app's own pipeline, not a second one. Each valid file is
//! imported into the environment (`use_cases::drafts::import_draft_into`), queued as the profile
//! (`use_cases::outbox::queue_draft`: production confirmation, four-eyes approval where the
//! environment requires it, the SubmissionQueued audit entry), then sent by the app's outbox
//! worker's own passes (`kyb_app::worker::follow::follow`: lost-update check, the file's
//! idempotency key, retries, the partner's answers in the audit trail).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kyb_app::use_cases::{drafts, outbox};
use kyb_app::AppState;
use kyb_core::partner_profile::PartnerProfile;
use kyb_core::validation::ValidationContext;

use super::follow::{follow_results, refusal};
use super::{check_file, exit_code, report, FileResult, Outcome};
use crate::app;
use crate::cli::AppFolders;
use crate::error::CliError;

/// What `kyb drafts submit` was asked.
pub struct SubmitArgs<'a> {
    pub files: &'a [PathBuf],
    pub environment: Option<&'a str>,
    pub profile: &'a str,
    pub confirm: Option<&'a str>,
    pub wait: bool,
    pub json: bool,
    pub folders: &'a AppFolders,
    /// What the files are validated with before anything is opened.
    pub partner_profile: Arc<PartnerProfile>,
}

/// `kyb drafts submit`.
pub async fn submit(args: SubmitArgs<'_>) -> Result<u8, CliError> {
    let ctx = ValidationContext::now_with(args.partner_profile.clone());
    // The report checks the files' approvals against the key the app's import trusts: the team
    // server this machine is connected to.
    let trusted = super::trusted_keys(args.folders.config_dir.as_deref(), &[])?;
    let checked: Vec<_> = args.files.iter().map(|path| check_file(path, &ctx, &trusted)).collect();
    let mut results = Vec::with_capacity(checked.len());
    if checked.iter().any(|(_, valid)| valid.is_some()) {
        let state = app::open_as(args.folders, args.profile).await?;
        let outcome = submit_valid(&state, &args, checked, &mut results).await;
        state.shutdown().await;
        outcome?;
    } else {
        results = checked.into_iter().map(|(result, _)| result).collect();
    }
    report::print(&results, args.json, true);
    Ok(exit_code(&results))
}

async fn submit_valid(
    state: &AppState,
    args: &SubmitArgs<'_>,
    checked: Vec<(FileResult, Option<(kyb_core::drafts::PortableDraft, String)>)>,
    results: &mut Vec<FileResult>,
) -> Result<(), CliError> {
    let environment = app::environment_name(state, args.environment).await?;
    for (mut result, valid) in checked {
        if let Some((_, text)) = valid {
            result.environment = Some(environment.clone());
            queue_file(state, &environment, args.confirm, &text, &mut result).await;
        }
        results.push(result);
    }
    follow_results(state, results, args.wait).await
}

/// Import the file into `environment` and queue it; `result` says why not, or names the entry.
async fn queue_file(state: &AppState, environment: &str, confirm: Option<&str>, text: &str, result: &mut FileResult) {
    let file_name = Path::new(&result.file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let imported = match drafts::import_draft_into(state, &file_name, text, environment).await {
        Ok(imported) => imported,
        Err(error) => return result.outcome = refusal(error),
    };
    result.notes = imported.notes;
    match outbox::queue_draft(state, &imported.draft.id, confirm).await {
        Ok(entry) => {
            result.outbox_entry = Some(entry.id);
            result.outcome = Outcome::Waiting { reason: "queued".to_owned() };
        }
        Err(error) => result.outcome = refusal(error),
    }
}
