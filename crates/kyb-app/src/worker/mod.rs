//! The background worker: sends the outbox and watches connectivity.
//!
//! One tokio task, started by [`spawn`] when the app starts and stopped on exit
//! ([`WorkerShared::stop_and_wait`]). Every `worker_interval` (2 s), and at once when woken
//! ([`WorkerShared::wake`]: after `queue_draft`, `retry_outbox_entry`, `resolve_conflict`,
//! `select_environment`), it:
//!
//! 1. probes the active environment when `probe_interval` (5 s) has passed or it changed
//!    (`PartnerClient::probe`, no credentials; any HTTP answer = online);
//! 2. for each environment with due entries (queued, interrupted mid-send, or a retry whose time
//!    has come) builds that environment's client (the built-in sandbox with its demo key, others
//!    from the keychain) and calls `Outbox::drain`; for each environment with a sent customer
//!    the partner has not settled, `Outbox::refresh_sent` (a status this version does not know
//!    is followed for `follow_unknown_for` after it last changed, then the entry asks the
//!    officer to ask the partner: `OutboxState::asks_partner`);
//! 3. rebases the drafts whose latest entry was sent ([`rebase`]), so the draft
//!    shows no pending changes.
//!
//! Network and timeout failures while sending mark the active environment offline; a successful
//! answer marks it online. The indicator keeps why (the typed error of the failed probe or send:
//! no answer, credentials refused or missing, a server error), for the page to say; switching
//! environment probes the new one at once ([`probe_active_now`]). Logs carry ids, environments and states only: never a record's
//! contents, never a secret.

mod audited;
pub mod follow;
pub mod rebase;

pub use audited::NOT_IN_TRAIL;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use kyb_core::outbox::{AttemptError, OutboxEntry, OutboxState};
use tokio::runtime::Handle;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::error::{AppError, ErrorKind};
use crate::state::{blocking, AppState};

/// What the worker shares with the commands.
pub struct WorkerShared {
    wake: Notify,
    stop: watch::Sender<bool>,
    task: StdMutex<Option<JoinHandle<()>>>,
    connectivity: StdMutex<Connectivity>,
    /// Outbox entries whose queueing is known to be in the audit trail.
    audited: StdMutex<audited::AuditedQueueings>,
    interval: Duration,
    probe_interval: Duration,
    /// How long a status this version does not know is followed after it last changed.
    follow_unknown_for: Duration,
}

/// The online indicator of the active environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connectivity {
    /// The environment the last check was about (`None` before the first one).
    pub environment: Option<String>,
    pub online: bool,
    pub checked_at: Option<DateTime<Utc>>,
    /// Why the environment is offline, or what went wrong although it answers (credentials
    /// refused or missing, a server error); `None` when the last exchange went well.
    pub problem: Option<AttemptError>,
}

/// How long switching environment waits for the new one's probe before answering (the worker
/// finishes a longer probe; until then the indicator says it is checking).
pub const SWITCH_PROBE_LIMIT: Duration = Duration::from_secs(2);

/// Whether `kind` says something about the connection to the partner (rather than about one
/// record): no answer, credentials refused or missing, a server error.
pub fn is_connection_problem(kind: ErrorKind) -> bool {
    kind.is_offline()
        || matches!(kind, ErrorKind::Unauthorized | ErrorKind::CredentialsMissing | ErrorKind::Server)
}

fn problem_of(err: &AppError) -> AttemptError {
    AttemptError { kind: err.kind(), message: err.to_string(), status: None }
}

impl WorkerShared {
    pub fn new(interval: Duration, probe_interval: Duration, follow_unknown_for: Duration) -> Self {
        let (stop, _) = watch::channel(false);
        Self {
            wake: Notify::new(),
            stop,
            task: StdMutex::new(None),
            connectivity: StdMutex::new(Connectivity::default()),
            audited: StdMutex::new(audited::AuditedQueueings::default()),
            interval: interval.max(Duration::from_millis(10)),
            probe_interval: probe_interval.max(Duration::from_millis(10)),
            follow_unknown_for,
        }
    }

    /// Run a round now (queued entries, a retry, a resolved conflict, another environment).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Entry `id`'s queueing was just written to the audit trail (it may be sent).
    pub fn audited_queueing(&self, id: &str) {
        lock(&self.audited).insert(id);
    }

    /// The indicator for `environment`: `online` until a check says otherwise (`checked_at`
    /// absent until the first check of this environment).
    pub fn connectivity(&self, environment: &str) -> Connectivity {
        let now = lock(&self.connectivity);
        if now.environment.as_deref() == Some(environment) {
            now.clone()
        } else {
            Connectivity { environment: Some(environment.to_owned()), online: true, checked_at: None, problem: None }
        }
    }

    pub(crate) fn set_connectivity(&self, environment: &str, online: bool, problem: Option<AttemptError>) {
        let mut now = lock(&self.connectivity);
        let changed = now.environment.as_deref() != Some(environment)
            || now.online != online
            || now.problem.as_ref().map(|p| p.kind) != problem.as_ref().map(|p| p.kind);
        if changed {
            tracing::info!(environment, online, problem = ?problem.as_ref().map(|p| p.kind), "connectivity");
        }
        *now = Connectivity { environment: Some(environment.to_owned()), online, checked_at: Some(Utc::now()), problem };
    }

    /// The partner answered a probe (which sends no credentials): online, and no longer offline;
    /// a problem learned while sending (credentials refused, a server error) stays until a send
    /// goes well.
    fn probe_answered(&self, environment: &str) {
        let kept = {
            let now = lock(&self.connectivity);
            now.problem.clone().filter(|p| now.environment.as_deref() == Some(environment) && !p.kind.is_offline())
        };
        self.set_connectivity(environment, true, kept);
    }

    /// Whether the worker task is running.
    pub fn is_running(&self) -> bool {
        lock(&self.task).as_ref().is_some_and(|task| !task.is_finished())
    }

    /// Ask the worker to stop and wait for it (at most `limit`; an attempt under way is safe to
    /// abandon: the outbox persists state before and after every attempt).
    pub async fn stop_and_wait(&self, limit: Duration) {
        self.stop.send_replace(true);
        let task = lock(&self.task).take();
        if let Some(task) = task {
            match tokio::time::timeout(limit, task).await {
                Ok(_) => tracing::info!("outbox worker stopped"),
                Err(_) => tracing::warn!("outbox worker did not stop in time; its attempt resumes at next start"),
            }
        }
    }
}

fn lock<T>(mutex: &StdMutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Start the worker for `state` on `runtime` (once; a second call does nothing while it runs).
pub fn spawn(state: Arc<AppState>, runtime: &Handle) {
    let mut slot = lock(&state.worker.task);
    if slot.as_ref().is_some_and(|task| !task.is_finished()) {
        return;
    }
    state.worker.stop.send_replace(false);
    let stop = state.worker.stop.subscribe();
    let running = state.clone();
    *slot = Some(runtime.spawn(async move { run(&running, stop).await }));
}

async fn run(state: &AppState, mut stop: watch::Receiver<bool>) {
    tracing::info!(drafts = state.drafts_available(), "outbox worker started");
    let mut memory = Memory::default();
    let mut trim = TrimSchedule::new();
    // Entries sent before a restart whose drafts were not rebased yet.
    if let Ok(home) = state.drafts() {
        rebase::rebase_sent(state, home, None).await;
    }
    loop {
        if *stop.borrow() {
            break;
        }
        let busy = round(state, &mut memory).await;
        trim.after_round(busy);
        tokio::select! {
            _ = tokio::time::sleep(state.worker.interval) => {}
            _ = state.worker.wake.notified() => {}
            _ = stop.changed() => {}
        }
    }
}

/// What the worker remembers between rounds (to probe on time and log changes only).
#[derive(Default)]
struct Memory {
    last_probe: Option<(String, Instant)>,
    /// Per environment, why its client could not be made last time (logged once per change).
    client_problems: HashMap<String, ErrorKind>,
    missing_environments: BTreeSet<String>,
    /// Environments whose partner did not answer the last probe before a drain. Their entries
    /// wait without using up attempts (an officer on a train may be offline for hours), and go
    /// at once when the partner answers again.
    unreachable: BTreeSet<String>,
}

/// When the worker hands freed memory back to the system ([`crate::memory::release_freed_pages`]):
/// on the first quiet round after rounds that sent or refreshed something (a submission's
/// parsing and answers are garbage by then), and at least every [`crate::memory::TRIM_EVERY`]
/// for what editing and browsing freed.
struct TrimSchedule {
    busy_since_trim: bool,
    last: Instant,
}

impl TrimSchedule {
    fn new() -> Self {
        Self { busy_since_trim: false, last: Instant::now() }
    }

    fn after_round(&mut self, busy: bool) {
        if busy {
            self.busy_since_trim = true;
            return;
        }
        if self.busy_since_trim || self.last.elapsed() >= crate::memory::TRIM_EVERY {
            let started = Instant::now();
            let released = crate::memory::release_freed_pages();
            tracing::debug!(released, took_us = started.elapsed().as_micros() as u64, "freed pages released");
            self.busy_since_trim = false;
            self.last = Instant::now();
        }
    }
}

/// One pass: probe, drain, refresh, rebase, archive. True when something was due or settling.
async fn round(state: &AppState, memory: &mut Memory) -> bool {
    let active = state.active_environment().await;
    let probe_due = match &memory.last_probe {
        Some((name, at)) => name != &active.name || at.elapsed() >= state.worker.probe_interval,
        None => true,
    };
    if probe_due {
        memory.last_probe = Some((active.name.clone(), Instant::now()));
        probe(state, &active).await;
    }

    let Ok(home) = state.drafts() else { return false };
    let outbox = home.outbox.clone();
    let entries = match blocking(move || outbox.entries()).await {
        Ok(Ok(entries)) => entries,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "cannot list the outbox");
            return false;
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot list the outbox");
            return false;
        }
    };
    // Due by the outbox's own clock (the one its retries were scheduled with).
    let now = home.outbox.now();
    let mut due = BTreeSet::new();
    let mut settling = BTreeSet::new();
    for entry in &entries {
        match &entry.state {
            OutboxState::Queued | OutboxState::Sending => {
                due.insert(entry.environment.clone());
            }
            OutboxState::WaitingRetry { next_attempt_at }
                if *next_attempt_at <= now || (memory.unreachable.contains(&entry.environment) && network_failure(entry)) =>
            {
                due.insert(entry.environment.clone());
            }
            sent if sent.awaits_partner() => {
                settling.insert(entry.environment.clone());
            }
            _ => {}
        }
    }
    if !due.is_empty() {
        audited::refuse_unaudited(state, home, &entries).await;
    }
    let busy = !due.is_empty() || !settling.is_empty();
    for name in due.union(&settling) {
        let Some(environment) = state.environment(name).await else {
            if memory.missing_environments.insert(name.clone()) {
                tracing::warn!(environment = %name, "outbox entries wait for an environment that no longer exists");
            }
            continue;
        };
        memory.missing_environments.remove(name);
        let client = match state.client_for(&environment).await {
            Ok(client) => {
                if memory.client_problems.remove(name).is_some() {
                    tracing::info!(environment = %name, "outbox can send again");
                }
                client
            }
            Err(err) => {
                let kind = err.kind();
                if memory.client_problems.insert(name.clone(), kind) != Some(kind) {
                    tracing::warn!(environment = %name, kind = ?kind, "outbox entries wait: no client for this environment");
                }
                if name == &active.name {
                    state.worker.set_connectivity(name, !is_offline(&err), Some(problem_of(&err)));
                }
                continue;
            }
        };
        if due.contains(name) && !reachable(state, home, memory, &entries, name, &active.name, &client).await {
            continue;
        }
        if due.contains(name) {
            let started = Utc::now();
            match home.outbox.drain(name, &client).await {
                Ok(report) => {
                    if report.attempted() > 0 {
                        tracing::info!(
                            environment = %name,
                            sent = report.sent.len(),
                            waiting_retry = report.waiting_retry.len(),
                            conflicts = report.conflicts.len(),
                            rejected = report.rejected.len(),
                            failed = report.failed.len(),
                            held_back = report.held_back,
                            "outbox drained"
                        );
                        if name == &active.name {
                            if let Some((online, problem)) = connectivity_after(home, name, started).await {
                                state.worker.set_connectivity(name, online, problem);
                            }
                        }
                    }
                }
                Err(err) => tracing::warn!(environment = %name, error = %err, "outbox drain failed"),
            }
        }
        let follow_unknown_for = chrono::Duration::from_std(state.worker.follow_unknown_for).unwrap_or(chrono::Duration::MAX);
        if let Err(err) = home.outbox.refresh_sent(name, &client, follow_unknown_for).await {
            tracing::debug!(environment = %name, error = %err, "could not refresh sent customers");
        }
        // The partner's answers (sent, refused, status changes) go to the audit trail.
        let outbox = home.outbox.clone();
        if let Ok(Ok(after)) = blocking(move || outbox.entries()).await {
            let before: Vec<OutboxEntry> = entries.iter().filter(|e| &e.environment == name).cloned().collect();
            let after: Vec<OutboxEntry> = after.into_iter().filter(|e| &e.environment == name).collect();
            crate::audit_trail::record_outbox_changes(home, &before, &after).await;
        }
        rebase::rebase_sent(state, home, Some(name)).await;
    }
    // Settled sends beyond the newest few leave the working set every pass and poll reads.
    let outbox = home.outbox.clone();
    match blocking(move || outbox.archive_settled(crate::state::LISTED_SETTLED)).await {
        Ok(Ok(0)) | Err(_) => {}
        Ok(Ok(moved)) => tracing::debug!(moved, "settled outbox entries archived"),
        Ok(Err(err)) => tracing::warn!(error = %err, "could not archive settled outbox entries"),
    }
    busy
}

/// Online or offline from what the drain just did to `environment`'s entries, with the problem
/// met: a network or timeout error → offline; an answer from the partner (sent, refused, failed
/// otherwise) → online, with the error when it was about the connection (credentials refused, a
/// server error); nothing attempted → unknown.
async fn connectivity_after(
    home: &crate::state::DraftsHome,
    environment: &str,
    since: DateTime<Utc>,
) -> Option<(bool, Option<AttemptError>)> {
    let outbox = home.outbox.clone();
    let entries: Vec<OutboxEntry> = blocking(move || outbox.entries()).await.ok()?.ok()?;
    let mut verdict = None;
    for entry in entries.iter().filter(|e| e.environment == environment && e.updated_at >= since) {
        let problem = entry.last_error.clone().filter(|e| is_connection_problem(e.kind));
        let network = problem.as_ref().is_some_and(|e| e.kind.is_offline());
        match entry.state {
            OutboxState::WaitingRetry { .. } | OutboxState::Failed { .. } if network => return Some((false, problem)),
            OutboxState::Sent { .. } => verdict = Some((true, verdict.and_then(|(_, p)| p))),
            // Refused, failed otherwise, a conflict, or 429 / 502-504: the partner answered.
            OutboxState::Rejected { .. }
            | OutboxState::Failed { .. }
            | OutboxState::Conflict { .. }
            | OutboxState::WaitingRetry { .. } => {
                verdict = Some((true, problem.or(verdict.and_then(|(_, p)| p))));
            }
            OutboxState::Queued | OutboxState::Sending => {}
        }
    }
    verdict
}

/// Whether the last attempt of `entry` failed without an answer from the partner.
fn network_failure(entry: &OutboxEntry) -> bool {
    entry.last_error.as_ref().is_some_and(|e| e.kind.is_offline())
}

/// Probe `name` before sending its entries. Unreachable: nothing is attempted (no attempt is
/// used up) and the environment is remembered as unreachable. Reachable again: the entries that
/// were waiting because of the network are made due now instead of at their backed-off time.
#[allow(clippy::too_many_arguments)]
async fn reachable(
    state: &AppState,
    home: &crate::state::DraftsHome,
    memory: &mut Memory,
    entries: &[OutboxEntry],
    name: &str,
    active: &str,
    client: &kyb_core::client::PartnerClient,
) -> bool {
    if let Err(err) = client.probe().await {
        if err.kind().is_offline() {
            if memory.unreachable.insert(name.to_owned()) {
                tracing::info!(environment = %name, "partner unreachable; outbox entries wait");
            }
            if name == active {
                state.worker.set_connectivity(name, false, Some(AttemptError { kind: err.kind(), message: err.to_string(), status: None }));
            }
            return false;
        }
    }
    if memory.unreachable.remove(name) {
        tracing::info!(environment = %name, "partner reachable again; sending waiting entries");
        let waiting: Vec<String> = entries
            .iter()
            .filter(|e| e.environment == name && matches!(e.state, OutboxState::WaitingRetry { .. }) && network_failure(e))
            .map(|e| e.id.clone())
            .collect();
        for id in waiting {
            let outbox = home.outbox.clone();
            if let Ok(Err(err)) = blocking(move || outbox.retry_now(&id)).await {
                tracing::debug!(environment = %name, error = %err, "could not make a waiting entry due");
            }
        }
        if name == active {
            state.worker.probe_answered(name);
        }
    }
    true
}

fn is_offline(err: &AppError) -> bool {
    err.kind().is_offline()
}

/// Probe the active environment now, waiting at most [`SWITCH_PROBE_LIMIT`] (after an
/// environment switch, so the indicator is about the new one at once).
pub async fn probe_active_now(state: &AppState) {
    let active = state.active_environment().await;
    if tokio::time::timeout(SWITCH_PROBE_LIMIT, probe(state, &active)).await.is_err() {
        tracing::debug!(environment = %active.name, "the probe after the switch goes on in the worker");
    }
}

async fn probe(state: &AppState, environment: &kyb_core::environments::Environment) {
    let client = match state.probe_client(environment).await {
        Ok(client) => client,
        Err(err) => {
            // No URL that could be probed (e.g. the built-in sandbox did not start).
            state.worker.set_connectivity(&environment.name, !is_offline(&err), Some(problem_of(&err)));
            return;
        }
    };
    match client.probe().await {
        Ok(()) => state.worker.probe_answered(&environment.name),
        Err(err) => {
            let offline = err.kind().is_offline();
            let problem = AttemptError { kind: err.kind(), message: err.to_string(), status: err.status() };
            state.worker.set_connectivity(&environment.name, !offline, Some(problem));
        }
    }
}
