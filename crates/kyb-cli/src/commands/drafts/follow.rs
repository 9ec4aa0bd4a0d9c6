//! After queueing: the app's outbox worker's own passes (`kyb_app::worker::follow::follow`) until
//! each queued entry is answered (or its customer settled), and what became of each file. Shared
//! by `kyb drafts submit` and `kyb submit`, so both report the app's outbox states the same way.

use std::time::Duration;

use kyb_app::worker::follow::{follow, BlockedReason, Followed, Until};
use kyb_app::{AppError, AppState, ErrorKind};
use kyb_core::outbox::{OutboxEntry, OutboxState};

use super::{FileResult, Outcome};
use crate::error::CliError;

/// How long the worker's passes are followed before what is still on its way is left to the app.
const FOLLOW_LIMIT: Duration = Duration::from_secs(120);

/// Follow the outbox entries `results` name until answered (`wait`: until their customer is
/// settled) and set each one's outcome from its entry.
pub(crate) async fn follow_results(state: &AppState, results: &mut [FileResult], wait: bool) -> Result<(), CliError> {
    let queued: Vec<String> = results.iter().filter_map(|r| r.outbox_entry.clone()).collect();
    if queued.is_empty() {
        return Ok(());
    }
    let until = if wait { Until::CustomerSettled } else { Until::Answered };
    let followed = follow(state, &queued, until, FOLLOW_LIMIT).await?;
    for result in results.iter_mut() {
        if let Some(id) = &result.outbox_entry {
            result.outcome = outcome_of(&followed, id);
        }
    }
    Ok(())
}

/// Why the app did not take a file (import, save, or queue refused it).
pub(crate) fn refusal(error: AppError) -> Outcome {
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
