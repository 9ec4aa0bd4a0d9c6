//! Following given outbox entries until they settle, by running the worker's own passes in the
//! caller's task: what a one-shot command (`kyb drafts submit`) does instead of starting the
//! background worker and polling. Each pass is exactly the worker's ([`super::round`]): probe,
//! send what is due, refresh sent customers, write the partner's answers to the audit trail,
//! rebase sent drafts.
//!
//! "In flight" is the page's definition too (ui/src/state/outbox.ts `isInFlight`, which the
//! Outbox screen polls on, and ui/src/state/submission.ts, which follows an entry until it is
//! sent and settled): queued, sending, waiting to retry, or sent and not settled by the partner
//! (`Processing`, or a status this version does not know until the outbox stops following it).

use std::time::{Duration, Instant};

use kyb_core::outbox::{OutboxEntry, OutboxState};

use super::{round, Memory};
use crate::error::{outbox_error, AppError, ErrorKind};
use crate::state::{blocking, AppState};

/// Pause between two passes while something is still on its way.
const PASS_EVERY: Duration = Duration::from_millis(200);

/// How far to follow an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Until the partner answered it: sent, or why not (a conflict, a refusal, a failure).
    Answered,
    /// Also, once sent, until the partner settled the customer (no longer `Processing`), or the
    /// outbox stopped following a status it does not know (then the officer asks the partner).
    CustomerSettled,
}

/// Whether `entry` is still on its way for `until`.
pub fn in_flight(entry: &OutboxEntry, until: Until) -> bool {
    match &entry.state {
        OutboxState::Queued | OutboxState::Sending | OutboxState::WaitingRetry { .. } => true,
        OutboxState::Sent { .. } => until == Until::CustomerSettled && entry.state.awaits_partner(),
        OutboxState::Conflict { .. } | OutboxState::Rejected { .. } | OutboxState::Failed { .. } => false,
    }
}

/// What following found.
#[derive(Debug, Clone)]
pub struct Followed {
    /// The entries as they are now, in the order of the ids asked for (an id that is no longer
    /// in the outbox, e.g. cancelled, is left out).
    pub entries: Vec<OutboxEntry>,
    /// Environments whose entries cannot go now, and why; they stay queued (no attempt used up).
    pub blocked: Vec<Blocked>,
}

/// An environment whose entries wait for something outside the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub environment: String,
    pub reason: BlockedReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockedReason {
    /// The partner did not answer the probe before sending; they go when it answers again.
    Unreachable,
    /// No client could be made (e.g. no credentials in the keychain): why, as an error kind.
    NoClient(ErrorKind),
    /// The environment no longer exists.
    NoEnvironment,
}

fn blocked(memory: &Memory, environment: &str) -> Option<BlockedReason> {
    if memory.unreachable.contains(environment) {
        Some(BlockedReason::Unreachable)
    } else if let Some(kind) = memory.client_problems.get(environment) {
        Some(BlockedReason::NoClient(*kind))
    } else if memory.missing_environments.contains(environment) {
        Some(BlockedReason::NoEnvironment)
    } else {
        None
    }
}

/// Run passes until none of the entries `ids` is in flight for `until`, until every one still
/// in flight is [`Blocked`], or until `limit` has passed. Whatever is still in flight then stays
/// in the outbox, where the desktop app's worker (or the next run) picks it up.
pub async fn follow(state: &AppState, ids: &[String], until: Until, limit: Duration) -> Result<Followed, AppError> {
    let home = state.drafts()?;
    let deadline = Instant::now() + limit;
    let mut memory = Memory::default();
    loop {
        round(state, &mut memory).await;
        let outbox = home.outbox.clone();
        let wanted = ids.to_vec();
        let entries = blocking(move || -> Result<Vec<OutboxEntry>, AppError> {
            let mut all = outbox.entries().map_err(|err| outbox_error(None, err))?;
            // A pass archives settled sends beyond the newest few: look there too.
            if wanted.iter().any(|id| !all.iter().any(|e| &e.id == id)) {
                all.extend(outbox.archived().map_err(|err| outbox_error(None, err))?);
            }
            Ok(wanted.iter().filter_map(|id| all.iter().find(|e| &e.id == id).cloned()).collect())
        })
        .await??;
        let open: Vec<&OutboxEntry> = entries.iter().filter(|e| in_flight(e, until)).collect();
        let all_blocked = !open.is_empty() && open.iter().all(|e| blocked(&memory, &e.environment).is_some());
        if open.is_empty() || all_blocked || Instant::now() >= deadline {
            let mut environments: Vec<&str> = open.iter().map(|e| e.environment.as_str()).collect();
            environments.sort_unstable();
            environments.dedup();
            let blocked = environments
                .into_iter()
                .filter_map(|name| blocked(&memory, name).map(|reason| Blocked { environment: name.to_owned(), reason }))
                .collect();
            return Ok(Followed { entries, blocked });
        }
        tokio::time::sleep(PASS_EVERY).await;
    }
}
