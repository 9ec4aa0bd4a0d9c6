//! `kyb drafts submit`: the desktop app's own pipeline, not a second one. Each valid file is
//! imported into the environment (`use_cases::drafts::import_draft_into`), queued as the profile
//! (`use_cases::outbox::queue_draft`: production confirmation, four-eyes approval where the
//! environment requires it, the SubmissionQueued audit entry), then sent by the app's outbox
//! worker's own passes (`kyb_app::worker::follow::follow`: lost-update check, the file's
//! idempotency key, retries, the partner's answers in the audit trail).

use std::path::{Path, PathBuf};
use std::time::Duration;

use kyb_app::use_cases::{drafts, outbox};
use kyb_app::worker::follow::{follow, BlockedReason, Followed, Until};
use kyb_app::{AppError, AppState, ErrorKind};
use kyb_core::outbox::{OutboxEntry, OutboxState};
use kyb_core::validation::ValidationContext;

use super::{check_file, exit_code, report, FileResult, Outcome};
use crate::app;
use crate::cli::AppFolders;
use crate::error::CliError;

/// How long the worker's passes are followed before what is still on its way is left to the app.
const FOLLOW_LIMIT: Duration = Duration::from_secs(120);

/// What `kyb drafts submit` was asked.
pub struct SubmitArgs<'a> {
    pub files: &'a [PathBuf],
    pub environment: Option<&'a str>,
    pub profile: &'a str,
    pub confirm: Option<&'a str>,
    pub wait: bool,
    pub json: bool,
    pub folders: &'a AppFolders,
}

/// `kyb drafts submit`.
pub async fn submit(args: SubmitArgs<'_>) -> Result<u8, CliError> {
    let ctx = ValidationContext::now();
    let checked: Vec<_> = args.files.iter().map(|path| check_file(path, &ctx)).collect();
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
    let environment = match args.environment {
        Some(name) => state
            .environment(name)
            .await
            .ok_or_else(|| CliError::Usage(format!("there is no environment named {name:?} in KYB Desk")))?
            .name,
        None => state.active_environment().await.name,
    };
    let mut queued = Vec::new();
    for (mut result, valid) in checked {
        if let Some((_, text)) = valid {
            result.environment = Some(environment.clone());
            queue_file(state, &environment, args.confirm, &text, &mut result).await;
            if let Some(id) = &result.outbox_entry {
                queued.push(id.clone());
            }
        }
        results.push(result);
    }
    if queued.is_empty() {
        return Ok(());
    }
    let until = if args.wait { Until::CustomerSettled } else { Until::Answered };
    let followed = follow(state, &queued, until, FOLLOW_LIMIT).await?;
    for result in results.iter_mut() {
        if let Some(id) = &result.outbox_entry {
            result.outcome = outcome_of(&followed, id);
        }
    }
    Ok(())
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

/// Why the app did not import or queue a file.
fn refusal(error: AppError) -> Outcome {
    match error {
        AppError::InvalidRecord { issues } => Outcome::Invalid { issues },
        error if error.kind() == ErrorKind::ApprovalRequired => Outcome::NotApproved { message: error.to_string() },
        error => Outcome::NotQueued { error },
    }
}

/// The report of entry `id` after following.
fn outcome_of(followed: &Followed, id: &str) -> Outcome {
    let Some(entry) = followed.entries.iter().find(|e| e.id == id) else {
        return Outcome::Waiting { reason: "the entry is no longer in the outbox (cancelled in KYB Desk?)".to_owned() };
    };
    match &entry.state {
        OutboxState::Sent { customer, .. } => Outcome::Sent { customer: Box::new(customer.clone()) },
        OutboxState::Conflict { conflicts, .. } => Outcome::Conflict { conflicts: conflicts.clone() },
        OutboxState::Rejected { problems } => Outcome::Rejected { problems: problems.clone() },
        OutboxState::Failed { error } => Outcome::Failed { error: error.clone() },
        OutboxState::Queued | OutboxState::Sending | OutboxState::WaitingRetry { .. } => {
            Outcome::Waiting { reason: waiting_reason(followed, entry) }
        }
    }
}

fn waiting_reason(followed: &Followed, entry: &OutboxEntry) -> String {
    let blocked = followed.blocked.iter().find(|b| b.environment == entry.environment).map(|b| b.reason);
    let why = match blocked {
        Some(BlockedReason::Unreachable) => "the partner API does not answer".to_owned(),
        Some(BlockedReason::NoClient(ErrorKind::CredentialsMissing)) => {
            format!("no API key and secret are stored for {:?}", entry.environment)
        }
        Some(BlockedReason::NoClient(kind)) => format!("no connection to {:?} can be made ({kind:?})", entry.environment),
        Some(BlockedReason::NoEnvironment) => format!("the environment {:?} no longer exists", entry.environment),
        None => match (&entry.state, &entry.last_error) {
            (OutboxState::WaitingRetry { next_attempt_at }, Some(error)) => {
                format!("{}; next try at {}", error.message, next_attempt_at.format("%H:%M:%S UTC"))
            }
            _ => format!("not answered within {} s", FOLLOW_LIMIT.as_secs()),
        },
    };
    format!("{why}; it stays in KYB Desk's outbox, which sends it when the app runs")
}
