//! [`Outbox`]: queue drafts, send them in order per target, exactly once.
//!
//! One pass of [`Outbox::drain`], per entry of the environment, in sequence order:
//! 1. skip it (and hold back every later entry for the same target) while it waits for its retry
//!    time or for the officer (conflict, rejected, failed);
//! 2. when its body is not prepared yet: re-validate the record (rules depend on today), fetch the
//!    customer and merge three ways with the draft's base; conflicts stop it there (`Conflict`);
//! 3. persist `prepared` and `Sending` (attempt counted), send with the entry's key, persist the
//!    outcome. A retry, or a resume of an entry found `Sending` after a kill, sends the same
//!    prepared body with the same key, never a new merge;
//! 4. a failure safe to retry (network, timeout, 408, 429, 502-504) schedules the next try with
//!    jittered exponential backoff (never before `Retry-After`) and ends the pass, since the API
//!    is unreachable or asks to slow down; so do refused credentials.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::client::{ClientError, CustomerLookup, PartnerClient};
use crate::clock::{self, SharedClock};
use crate::drafts::{Draft, DraftTarget};
use crate::merge::{merge3, resolve, Choice};
use crate::error::ErrorKind;
use crate::model::Customer;
use crate::review::Approval;
use crate::sealed::SealingKey;
use crate::validation::{Issue, IssueCode, IssueSource, ValidationContext};

use super::applied::{find_created, holds, Held};
use super::body::{check_body, fetch_current, problems_from_error, problems_from_issues, send_body, SendBody};
use super::model::{AttemptError, OutboxEntry, OutboxState};
use super::retry::{retry_after_not_waited_for, RetryPolicy};
use super::store::{new_entry_id, EntryStore};
use super::OutboxError;

/// The queue of submissions. Cheap to clone; every clone is the same outbox.
/// A queueing worked out but not written yet ([`Outbox::plan_enqueue`], [`Outbox::commit_enqueue`]).
#[derive(Debug, Clone)]
pub struct EnqueuePlan {
    /// The entry as it will be written; its id is final.
    pub entry: OutboxEntry,
    /// The draft's unsent entries when planned (id, last change): the commit replaces exactly these.
    replaces: Vec<(String, DateTime<Utc>)>,
}

#[derive(Clone)]
pub struct Outbox {
    inner: Arc<Inner>,
}

struct Inner {
    store: EntryStore,
    policy: RetryPolicy,
    /// Stamps entries and schedules retries.
    clock: SharedClock,
    /// Entries a drain is working on. The lock also serializes every read-modify-write of the
    /// files (never held across an await).
    in_flight: Mutex<BTreeSet<String>>,
    /// One drain at a time.
    drain: tokio::sync::Mutex<()>,
}

/// What one pass of [`Outbox::drain`] did (entry ids by outcome).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DrainReport {
    pub sent: Vec<String>,
    pub waiting_retry: Vec<String>,
    pub conflicts: Vec<String>,
    pub rejected: Vec<String>,
    pub failed: Vec<String>,
    /// Entries not tried: behind an earlier entry for the same target that waits for its retry
    /// time or for the officer, or not due yet.
    pub held_back: u32,
    /// Why the pass ended before every due entry was tried (the API unreachable, rate limiting,
    /// refused credentials), as the error's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

impl DrainReport {
    /// Entries tried in this pass.
    pub fn attempted(&self) -> usize {
        self.sent.len() + self.waiting_retry.len() + self.conflicts.len() + self.rejected.len() + self.failed.len()
    }
}

/// Removes the entry from the in-flight set when the attempt is over (also when the drain's
/// future is dropped mid-attempt).
struct InFlight {
    inner: Arc<Inner>,
    id: String,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        lock(&self.inner.in_flight).remove(&self.id);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How one attempt ended.
enum Outcome {
    Done(OutboxEntry),
    /// The entry is settled for now, and the pass should stop (with this reason).
    Stop(OutboxEntry, String),
}

impl Outbox {
    /// The outbox under `root/outbox` (created, mode 0700). Entries that cannot be opened are
    /// moved to `root/drafts-unreadable/`. Entries found `Sending` were interrupted by a kill;
    /// the next drain resends them with the same body and key.
    pub fn open(root: &Path, key: Arc<SealingKey>, policy: RetryPolicy) -> Result<Self, OutboxError> {
        Self::open_with_clock(root, key, policy, clock::system())
    }

    /// [`Outbox::open`] with the time taken from `clock`.
    pub fn open_with_clock(
        root: &Path,
        key: Arc<SealingKey>,
        policy: RetryPolicy,
        clock: SharedClock,
    ) -> Result<Self, OutboxError> {
        let store = EntryStore::open(root, key)?;
        let entries = store.all()?;
        let interrupted = entries.iter().filter(|e| e.state == OutboxState::Sending).count();
        if interrupted > 0 {
            tracing::info!(interrupted, "outbox entries were being sent when the app stopped; they will be resent with their keys");
        }
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                policy,
                clock,
                in_flight: Mutex::new(BTreeSet::new()),
                drain: tokio::sync::Mutex::new(()),
            }),
        })
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.inner.policy
    }

    /// The time by this outbox's clock (what its retries are scheduled and due by).
    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// Validation rules depend on the day (expiry, age): today by this outbox's clock.
    fn validation_context(&self) -> ValidationContext {
        ValidationContext::on(self.now().date_naive())
    }

    /// Queue `draft` for sending. It must be valid (the issues otherwise, nothing queued).
    ///
    /// A draft has at most one unsent entry: queueing it again replaces that entry. The
    /// replacement keeps the entry (id, place in the queue, idempotency key) when the old key was
    /// never sent, or when the record is unchanged (then it is the same intent, resent with the
    /// same prepared body); otherwise, and always after a rejection, it is a new entry with a new
    /// key. An entry being sent cannot be replaced ([`OutboxError::Busy`]).
    pub fn enqueue(&self, draft: &Draft) -> Result<OutboxEntry, OutboxError> {
        self.enqueue_inner(draft, None, QueuedBy::default())
    }

    /// [`Self::enqueue`] (with the file's key when `idempotency_key` is given, as
    /// [`Self::enqueue_with_key`]) recording who queued it and the approval it goes with.
    pub fn enqueue_as(
        &self,
        draft: &Draft,
        idempotency_key: Option<&str>,
        queued_by: &str,
        approval: Option<Approval>,
    ) -> Result<OutboxEntry, OutboxError> {
        let stamp = QueuedBy { profile: Some(queued_by.to_owned()), approval };
        match idempotency_key {
            Some(key) => self.enqueue_inner(draft, Some(check_key(key)?), stamp),
            None => self.enqueue_inner(draft, None, stamp),
        }
    }

    /// [`Self::enqueue`] with a given idempotency key (a portable draft file's): the same file
    /// queued on two machines, or twice, is one intent that the partner applies once. The key
    /// must be 1-255 visible ASCII characters (else [`OutboxError::Invalid`] on
    /// `idempotency_key`). An unsent entry of the draft with another key is replaced by a new
    /// entry with this one.
    pub fn enqueue_with_key(&self, draft: &Draft, idempotency_key: &str) -> Result<OutboxEntry, OutboxError> {
        self.enqueue_inner(draft, Some(check_key(idempotency_key)?), QueuedBy::default())
    }

    fn enqueue_inner(&self, draft: &Draft, key: Option<&str>, stamp: QueuedBy) -> Result<OutboxEntry, OutboxError> {
        let plan = self.plan_inner(draft, key, stamp)?;
        self.commit_enqueue(plan)
    }

    /// [`Self::enqueue_as`] worked out without writing anything: the entry it would queue (its id
    /// is final). [`Self::commit_enqueue`] writes it. In between, the app records the queueing
    /// in its audit trail, so nothing is queued that the trail does not show.
    pub fn plan_enqueue(
        &self,
        draft: &Draft,
        idempotency_key: Option<&str>,
        queued_by: &str,
        approval: Option<Approval>,
    ) -> Result<EnqueuePlan, OutboxError> {
        let stamp = QueuedBy { profile: Some(queued_by.to_owned()), approval };
        match idempotency_key {
            Some(key) => self.plan_inner(draft, Some(check_key(key)?), stamp),
            None => self.plan_inner(draft, None, stamp),
        }
    }

    /// Write a planned entry, replacing the draft's unsent entries it was planned against.
    /// Refused ([`OutboxError::Busy`]) when those changed since (another queueing, or an attempt
    /// started): nothing is written, and the plan must be made again.
    pub fn commit_enqueue(&self, plan: EnqueuePlan) -> Result<OutboxEntry, OutboxError> {
        let in_flight = lock(&self.inner.in_flight);
        let store = &self.inner.store;
        let all = store.all()?;
        let mut now_unsent: Vec<(String, DateTime<Utc>)> = all
            .iter()
            .filter(|e| e.draft_id == plan.entry.draft_id && !matches!(e.state, OutboxState::Sent { .. }))
            .map(|e| (e.id.clone(), e.updated_at))
            .collect();
        now_unsent.sort();
        let mut planned = plan.replaces.clone();
        planned.sort();
        if now_unsent != planned || planned.iter().any(|(id, _)| in_flight.contains(id)) {
            return Err(OutboxError::Busy { id: plan.entry.id });
        }
        let mut entry = plan.entry;
        if !planned.iter().any(|(id, _)| *id == entry.id) {
            entry.sequence = all.iter().map(|e| e.sequence).max().map_or(1, |max| max.saturating_add(1));
        }
        // The unsent entries it replaces go first (a kill in between loses the queueing, never
        // sends the old record).
        for (id, _) in planned.iter().filter(|(id, _)| *id != entry.id) {
            store.remove(id)?;
        }
        store.write(&entry)?;
        Ok(entry)
    }

    fn plan_inner(&self, draft: &Draft, key: Option<&str>, stamp: QueuedBy) -> Result<EnqueuePlan, OutboxError> {
        check_body(&draft.target, &draft.record, &self.validation_context()).map_err(|issues| OutboxError::Invalid { issues })?;
        let in_flight = lock(&self.inner.in_flight);
        let store = &self.inner.store;
        let all = store.all()?;
        let unsent: Vec<&OutboxEntry> =
            all.iter().filter(|e| e.draft_id == draft.id && !matches!(e.state, OutboxState::Sent { .. })).collect();
        if let Some(busy) = unsent.iter().find(|e| in_flight.contains(&e.id) || e.state == OutboxState::Sending) {
            return Err(OutboxError::Busy { id: busy.id.clone() });
        }
        let replaces: Vec<(String, DateTime<Utc>)> = unsent.iter().map(|e| (e.id.clone(), e.updated_at)).collect();
        let now = self.now();
        if let Some(old) = unsent.last() {
            let unchanged = old.record == draft.record
                && old.base.as_ref().map(|b| &b.record) == draft.base.as_ref().map(|b| &b.record)
                && old.target == draft.target
                && old.environment == draft.environment;
            let key_sent = old.prepared.is_some() && old.resolved_against.is_none();
            let rejected = matches!(old.state, OutboxState::Rejected { .. });
            let same_key = key.is_none_or(|key| key == old.idempotency_key);
            if same_key && !rejected && (unchanged || !key_sent) {
                let mut entry = (*old).clone();
                if !(unchanged && key_sent) {
                    entry.record = draft.record.clone();
                    entry.base = draft.base.clone();
                    entry.target = draft.target.clone();
                    entry.environment = draft.environment.clone();
                    entry.prepared = None;
                    entry.resolved_against = None;
                }
                entry.state = OutboxState::Queued;
                entry.attempts = 0;
                entry.queued_by = stamp.profile;
                entry.approval = stamp.approval;
                entry.queued_at = now;
                entry.updated_at = now;
                return Ok(EnqueuePlan { entry, replaces });
            }
        }
        // A new intent.
        let entry = OutboxEntry {
            id: new_entry_id(),
            sequence: all.iter().map(|e| e.sequence).max().map_or(1, |max| max.saturating_add(1)),
            draft_id: draft.id.clone(),
            environment: draft.environment.clone(),
            target: draft.target.clone(),
            record: draft.record.clone(),
            base: draft.base.clone(),
            prepared: None,
            idempotency_key: key.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned),
            state: OutboxState::Queued,
            attempts: 0,
            last_error: None,
            queued_at: now,
            updated_at: now,
            resolved_against: None,
            queued_by: stamp.profile,
            approval: stamp.approval,
        };
        Ok(EnqueuePlan { entry, replaces })
    }

    /// Every entry (every environment), by sequence.
    pub fn entries(&self) -> Result<Vec<OutboxEntry>, OutboxError> {
        let _guard = lock(&self.inner.in_flight);
        Ok(self.inner.store.all()?)
    }

    pub fn entry(&self, id: &str) -> Result<OutboxEntry, OutboxError> {
        let _guard = lock(&self.inner.in_flight);
        self.read(id)
    }

    /// The most recently queued entry of a draft.
    pub fn latest_for_draft(&self, draft_id: &str) -> Result<Option<OutboxEntry>, OutboxError> {
        Ok(super::latest::latest_for_draft(self.entries()?, draft_id))
    }

    /// Stop an unsent entry for good with `error` (state `failed`, nothing sent): for an entry
    /// the app will not send, such as one whose queueing is missing from the audit trail.
    pub fn refuse(&self, id: &str, error: AttemptError) -> Result<OutboxEntry, OutboxError> {
        let in_flight = lock(&self.inner.in_flight);
        let mut entry = self.read(id)?;
        busy_check(&entry, &in_flight)?;
        if matches!(entry.state, OutboxState::Sent { .. }) {
            return Err(wrong_state(&entry, "refused"));
        }
        entry.state = OutboxState::Failed { error: error.clone() };
        entry.last_error = Some(error);
        entry.updated_at = self.now();
        self.inner.store.write(&entry)?;
        Ok(entry)
    }

    /// Remove an entry that has not been sent (the draft stays). Not while it is being sent,
    /// nor once sent.
    pub fn cancel(&self, id: &str) -> Result<(), OutboxError> {
        let in_flight = lock(&self.inner.in_flight);
        let entry = self.read(id)?;
        busy_check(&entry, &in_flight)?;
        if matches!(entry.state, OutboxState::Sent { .. }) {
            return Err(wrong_state(&entry, "cancelled"));
        }
        self.inner.store.remove(id)?;
        Ok(())
    }

    /// Try a `Failed` or `WaitingRetry` entry at the next drain, with the same key. A body that
    /// may have left is checked against the partner first (applied.rs). Starts a new count of
    /// attempts.
    pub fn retry_now(&self, id: &str) -> Result<OutboxEntry, OutboxError> {
        let in_flight = lock(&self.inner.in_flight);
        let mut entry = self.read(id)?;
        busy_check(&entry, &in_flight)?;
        match entry.state {
            OutboxState::Queued => return Ok(entry),
            OutboxState::Failed { .. } | OutboxState::WaitingRetry { .. } => {}
            _ => return Err(wrong_state(&entry, "retried (queue the draft again, or resolve the conflict)")),
        }
        entry.state = OutboxState::Queued;
        entry.attempts = 0;
        entry.updated_at = self.now();
        self.inner.store.write(&entry)?;
        Ok(entry)
    }

    /// Settle a `Conflict` with the officer's choice for every conflicting field. The result is
    /// queued with the same key (it was never sent); before it is sent, the next drain checks
    /// that the customer did not change again since the conflict was found.
    pub fn resolve_conflict(&self, id: &str, choices: &BTreeMap<String, Choice>) -> Result<OutboxEntry, OutboxError> {
        let in_flight = lock(&self.inner.in_flight);
        let mut entry = self.read(id)?;
        busy_check(&entry, &in_flight)?;
        let OutboxState::Conflict { theirs, .. } = &entry.state else {
            return Err(wrong_state(&entry, "resolved (it has no conflict)"));
        };
        let theirs = theirs.clone();
        let (base, mine) = check_inputs(&entry);
        let resolved = resolve(&base.unwrap_or(Value::Null), &theirs, &mine, choices)?;
        entry.prepared = Some(resolved);
        entry.resolved_against = Some(theirs);
        entry.state = OutboxState::Queued;
        entry.attempts = 0;
        entry.updated_at = self.now();
        self.inner.store.write(&entry)?;
        Ok(entry)
    }

    /// Remove `Sent` entries whose customer has settled and that were sent more than
    /// `older_than` ago. Returns how many were removed.
    pub fn purge_sent(&self, older_than: chrono::Duration) -> Result<usize, OutboxError> {
        let _guard = lock(&self.inner.in_flight);
        let cutoff = self.now() - older_than;
        let mut removed = 0;
        for entry in self.inner.store.all()?.into_iter().chain(self.inner.store.archived()?) {
            if let OutboxState::Sent { customer, sent_at, .. } = &entry.state {
                if customer.status.is_settled() && *sent_at < cutoff {
                    self.inner.store.remove(&entry.id)?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// Move `Sent` entries whose customer has settled, all but the newest `keep`, out of the
    /// working set into `root/outbox-settled/`: still readable by id ([`Self::entry`]) and
    /// purged with the others, but no longer read by every drain, poll and status answer (a
    /// day's submissions made each of those grow; the 500-cycle soak in docs/e2e.md).
    /// Returns how many were moved.
    pub fn archive_settled(&self, keep: usize) -> Result<usize, OutboxError> {
        let _guard = lock(&self.inner.in_flight);
        let mut settled: Vec<OutboxEntry> = self
            .inner
            .store
            .all()?
            .into_iter()
            .filter(|e| matches!(&e.state, OutboxState::Sent { customer, .. } if customer.status.is_settled()))
            .collect();
        let Some(excess) = settled.len().checked_sub(keep).filter(|n| *n > 0) else {
            return Ok(0);
        };
        settled.sort_by_key(|e| e.updated_at);
        for entry in &settled[..excess] {
            self.inner.store.archive(&entry.id)?;
        }
        Ok(excess)
    }

    /// The archived settled entries, by sequence.
    pub fn archived(&self) -> Result<Vec<OutboxEntry>, OutboxError> {
        Ok(self.inner.store.archived()?)
    }

    /// When the next entry (any environment) is due: now or in the past for queued and
    /// interrupted ones, the retry time for waiting ones; `None` when nothing will be sent
    /// without the officer.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.next_due_where(|_| true)
    }

    /// [`Self::next_due`] for one environment.
    pub fn next_due_in(&self, environment: &str) -> Option<DateTime<Utc>> {
        self.next_due_where(|e| e.environment == environment)
    }

    fn next_due_where(&self, keep: impl Fn(&OutboxEntry) -> bool) -> Option<DateTime<Utc>> {
        let (entries, in_flight) = {
            let in_flight = lock(&self.inner.in_flight);
            (self.inner.store.all().ok()?, in_flight.clone())
        };
        let mut seen: HashSet<(String, DraftTarget)> = HashSet::new();
        let mut next: Option<DateTime<Utc>> = None;
        for entry in entries.iter().filter(|e| keep(e)) {
            if matches!(entry.state, OutboxState::Sent { .. }) {
                continue;
            }
            // Only the first unsent entry of each target can be next.
            if !seen.insert((entry.environment.clone(), entry.target.clone())) || in_flight.contains(&entry.id) {
                continue;
            }
            let due = match &entry.state {
                OutboxState::Queued | OutboxState::Sending => Some(entry.updated_at),
                OutboxState::WaitingRetry { next_attempt_at } => Some(*next_attempt_at),
                _ => None,
            };
            next = match (next, due) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        next
    }

    /// Send every due entry of `environment` with `client` (see the module documentation).
    pub async fn drain(&self, environment: &str, client: &PartnerClient) -> Result<DrainReport, OutboxError> {
        let _one_at_a_time = self.inner.drain.lock().await;
        let mut report = DrainReport::default();
        let snapshot = self.entries()?;
        let mut blocked: HashSet<DraftTarget> = HashSet::new();
        for listed in snapshot.iter().filter(|e| e.environment == environment) {
            if matches!(listed.state, OutboxState::Sent { .. }) {
                continue;
            }
            if blocked.contains(&listed.target) {
                report.held_back += 1;
                continue;
            }
            let Some((entry, _claim)) = self.claim(&listed.id)? else {
                blocked.insert(listed.target.clone());
                report.held_back += 1;
                continue;
            };
            let outcome = self.attempt(entry, client).await?;
            let (entry, stop) = match outcome {
                Outcome::Done(entry) => (entry, None),
                Outcome::Stop(entry, reason) => (entry, Some(reason)),
            };
            let bucket = match entry.state {
                OutboxState::Sent { .. } => &mut report.sent,
                OutboxState::WaitingRetry { .. } => &mut report.waiting_retry,
                OutboxState::Conflict { .. } => &mut report.conflicts,
                OutboxState::Rejected { .. } => &mut report.rejected,
                _ => &mut report.failed,
            };
            bucket.push(entry.id.clone());
            if !matches!(entry.state, OutboxState::Sent { .. }) {
                blocked.insert(entry.target.clone());
            }
            if let Some(reason) = stop {
                report.stopped = Some(reason);
                break;
            }
        }
        Ok(report)
    }

    /// Refresh `Sent` entries of `environment` whose customer the partner has not settled
    /// ([`OutboxState::awaits_partner`]). A status this version does not know is followed for
    /// `follow_unknown_for` after it last changed, then no more: the entry records when it
    /// stopped ([`OutboxState::asks_partner`]). Failures are left for the next call.
    pub async fn refresh_sent(
        &self,
        environment: &str,
        client: &PartnerClient,
        follow_unknown_for: chrono::Duration,
    ) -> Result<(), OutboxError> {
        let awaiting: Vec<OutboxEntry> = self
            .entries()?
            .into_iter()
            .filter(|e| e.environment == environment && e.state.awaits_partner())
            .collect();
        for listed in awaiting {
            let OutboxState::Sent { customer, .. } = &listed.state else { continue };
            if !customer.status.is_known() && self.now() - listed.updated_at >= follow_unknown_for {
                self.stop_following(&listed.id)?;
                continue;
            }
            let lookup = CustomerLookup::CustomerId(customer.customer_id.clone());
            let fresh = match client.get_customer(&lookup).await {
                Ok(customer) => customer,
                Err(err) => {
                    tracing::debug!(kind = %err.kind(), "could not refresh a sent entry's status");
                    if err.is_retryable() {
                        break;
                    }
                    continue;
                }
            };
            let _guard = lock(&self.inner.in_flight);
            let Some(mut entry) = self.inner.store.read(&listed.id)? else { continue };
            if let OutboxState::Sent { customer, .. } = &mut entry.state {
                if *customer != fresh {
                    *customer = fresh;
                    entry.updated_at = self.now();
                    self.inner.store.write(&entry)?;
                }
            }
        }
        Ok(())
    }

    /// Mark sent entry `id` as no longer followed (its unknown status did not change in time).
    fn stop_following(&self, id: &str) -> Result<(), OutboxError> {
        let _guard = lock(&self.inner.in_flight);
        let Some(mut entry) = self.inner.store.read(id)? else { return Ok(()) };
        let now = self.now();
        if let OutboxState::Sent { customer, stopped_following_at, .. } = &mut entry.state {
            if stopped_following_at.is_none() && !customer.status.is_known() {
                tracing::info!(entry = %entry.id, "stopped following a status this version does not know");
                *stopped_following_at = Some(now);
                entry.updated_at = now;
                self.inner.store.write(&entry)?;
            }
        }
        Ok(())
    }

    fn read(&self, id: &str) -> Result<OutboxEntry, OutboxError> {
        self.inner.store.read(id)?.ok_or_else(|| OutboxError::NotFound { id: id.to_owned() })
    }

    fn write(&self, entry: &OutboxEntry) -> Result<(), OutboxError> {
        let _guard = lock(&self.inner.in_flight);
        self.inner.store.write(entry)?;
        Ok(())
    }

    /// The entry, marked in flight, when it is due now; `None` when it is not (or is gone).
    fn claim(&self, id: &str) -> Result<Option<(OutboxEntry, InFlight)>, OutboxError> {
        let mut in_flight = lock(&self.inner.in_flight);
        if in_flight.contains(id) {
            return Ok(None);
        }
        let Some(entry) = self.inner.store.read(id)? else { return Ok(None) };
        let due = match &entry.state {
            OutboxState::Queued | OutboxState::Sending => true,
            OutboxState::WaitingRetry { next_attempt_at } => *next_attempt_at <= self.now(),
            _ => false,
        };
        if !due {
            return Ok(None);
        }
        in_flight.insert(id.to_owned());
        Ok(Some((entry, InFlight { inner: self.inner.clone(), id: id.to_owned() })))
    }

    /// One attempt at one claimed entry; every state change is persisted before it returns.
    async fn attempt(&self, mut entry: OutboxEntry, client: &PartnerClient) -> Result<Outcome, OutboxError> {
        let ctx = self.validation_context();
        // A body may have left before (applied.rs): never simply send it again.
        let may_have_left = entry.prepared.is_some() && entry.resolved_against.is_none();
        if may_have_left {
            match &entry.target {
                DraftTarget::Create { .. } => {
                    let prepared = entry.prepared.clone().unwrap_or(Value::Null);
                    if let Ok(body) = check_body(&entry.target, &prepared, &ctx) {
                        if let Some(outcome) = self.created_outcome(entry.clone(), client, &body, None).await? {
                            return Ok(outcome);
                        }
                    }
                }
                // The lost-update check runs again against the partner's record as it is now.
                DraftTarget::Update { .. } => {}
            }
        }
        let mut fetched: Option<Customer> = None;
        let needs_check = entry.prepared.is_none() || entry.resolved_against.is_some() || may_have_left;
        let body_value = if needs_check {
            let (base, mine) = check_inputs(&entry);
            if let Err(issues) = check_body(&entry.target, &mine, &ctx) {
                return Ok(Outcome::Done(self.finish(entry, OutboxState::Rejected { problems: problems_from_issues(&issues) }, None)?));
            }
            match (&entry.target, base) {
                (DraftTarget::Update { customer_id }, Some(base)) => {
                    let customer_id = customer_id.clone();
                    match fetch_current(client, &customer_id).await {
                        Ok((customer, theirs)) => {
                            fetched = Some(customer);
                            let merged = merge3(&base, &theirs, &mine);
                            if !merged.conflicts.is_empty() {
                                let state = OutboxState::Conflict {
                                    conflicts: merged.conflicts,
                                    theirs,
                                    theirs_fetched_at: self.now(),
                                };
                                return Ok(Outcome::Done(self.finish(entry, state, None)?));
                            }
                            merged.merged
                        }
                        Err(err) => {
                            entry.attempts = entry.attempts.saturating_add(1);
                            return self.failed(entry, &err);
                        }
                    }
                }
                _ => mine,
            }
        } else {
            entry.prepared.clone().unwrap_or(Value::Null)
        };
        let body = match check_body(&entry.target, &body_value, &ctx) {
            Ok(body) => body,
            Err(issues) => {
                return Ok(Outcome::Done(self.finish(entry, OutboxState::Rejected { problems: problems_from_issues(&issues) }, None)?));
            }
        };

        // An earlier attempt was applied after all: the partner shows every value it changed, so
        // nothing is sent again. When the partner shows none of them (`Held::Unknown`), the body
        // goes again with its key: exactly once then rests on the partner's idempotency.
        let base = entry.base.as_ref().map(|b| b.record.clone());
        if let Some(customer) = fetched.filter(|c| may_have_left && holds(c, &body, base.as_ref()) == Held::Yes) {
            return Ok(Outcome::Done(self.finish(entry, OutboxState::Sent { customer, sent_at: self.now(), stopped_following_at: None }, None)?));
        }

        // Persisted before the request leaves: a kill from here on resends this body with this key.
        entry.prepared = Some(body_value);
        entry.resolved_against = None;
        entry.state = OutboxState::Sending;
        entry.attempts = entry.attempts.saturating_add(1);
        entry.updated_at = self.now();
        self.write(&entry)?;

        match send_body(client, &body, &entry.idempotency_key).await {
            Ok(customer) => Ok(Outcome::Done(self.finish(entry, OutboxState::Sent { customer, sent_at: self.now(), stopped_following_at: None }, None)?)),
            // The partner already has this partner_customer_id: perhaps from an earlier attempt.
            Err(err @ ClientError::Conflict { .. }) if matches!(body, SendBody::Create(_)) => {
                match self.created_outcome(entry.clone(), client, &body, Some(&err)).await? {
                    Some(outcome) => Ok(outcome),
                    None => self.failed(entry, &err),
                }
            }
            Err(err) => self.failed(entry, &err),
        }
    }

    /// For a create whose body may have left, or that the partner refused as a repeated
    /// `partner_customer_id`: the customer with that id, adopted as the outcome when it holds
    /// everything the body sets. `None`: the partner has no such customer.
    async fn created_outcome(
        &self,
        mut entry: OutboxEntry,
        client: &PartnerClient,
        body: &SendBody,
        refusal: Option<&ClientError>,
    ) -> Result<Option<Outcome>, OutboxError> {
        let DraftTarget::Create { partner_customer_id } = &entry.target else { return Ok(None) };
        match find_created(client, partner_customer_id).await {
            Ok(None) => Ok(None),
            // A partner_customer_id names one customer: unless what the partner shows contradicts the
            // body, it is the one an earlier attempt created.
            Ok(Some(customer)) if holds(&customer, body, None) != Held::No => {
                let sent = OutboxState::Sent { customer, sent_at: self.now(), stopped_following_at: None };
                Ok(Some(Outcome::Done(self.finish(entry, sent, None)?)))
            }
            Ok(Some(customer)) => {
                let error = AttemptError {
                    kind: ErrorKind::Conflict,
                    message: format!(
                        "the partner already has a customer with partner_customer_id {partner_customer_id} (customer_id {}) with other details; open it and update it instead",
                        customer.customer_id
                    ),
                    status: refusal.and_then(ClientError::status),
                };
                Ok(Some(Outcome::Done(self.finish(entry, OutboxState::Failed { error: error.clone() }, Some(error))?)))
            }
            Err(err) => {
                entry.attempts = entry.attempts.saturating_add(1);
                self.failed(entry, &err).map(Some)
            }
        }
    }

    /// Persist the entry in `state`.
    fn finish(&self, mut entry: OutboxEntry, state: OutboxState, error: Option<AttemptError>) -> Result<OutboxEntry, OutboxError> {
        if matches!(state, OutboxState::Sent { .. }) {
            entry.last_error = None;
        } else if error.is_some() {
            entry.last_error = error;
        }
        entry.state = state;
        entry.updated_at = self.now();
        self.write(&entry)?;
        Ok(entry)
    }

    /// Persist what an error means for the entry (its `attempts` already counts this try).
    fn failed(&self, entry: OutboxEntry, err: &ClientError) -> Result<Outcome, OutboxError> {
        let error = attempt_error(err);
        let retry_after = match err {
            ClientError::RateLimited { retry_after } => *retry_after,
            _ => None,
        };
        if let Some(message) = retry_after_not_waited_for(retry_after) {
            // The partner turns every request away for that long: the pass stops here too.
            let error = AttemptError { message, ..error };
            let state = OutboxState::Failed { error: error.clone() };
            return Ok(Outcome::Stop(self.finish(entry, state, Some(error.clone()))?, error.message));
        }
        if err.is_retryable() {
            let state = if entry.attempts >= self.inner.policy.max_attempts {
                let mut gave_up = error.clone();
                gave_up.message = format!("gave up after {} attempts: {}", entry.attempts, error.message);
                OutboxState::Failed { error: gave_up }
            } else {
                let wait = self.inner.policy.delay(entry.attempts, retry_after);
                let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
                let next_attempt_at = self.now().checked_add_signed(wait).unwrap_or(DateTime::<Utc>::MAX_UTC);
                OutboxState::WaitingRetry { next_attempt_at }
            };
            let reason = error.message.clone();
            return Ok(Outcome::Stop(self.finish(entry, state, Some(error))?, reason));
        }
        let state = match problems_from_error(err) {
            Some(problems) => OutboxState::Rejected { problems },
            None => OutboxState::Failed { error: error.clone() },
        };
        let entry = self.finish(entry, state, Some(error.clone()))?;
        if matches!(err, ClientError::Unauthorized { .. }) {
            // Every entry of this environment would be refused the same way.
            return Ok(Outcome::Stop(entry, error.message));
        }
        Ok(Outcome::Done(entry))
    }
}

/// The base and the record of the lost-update check: the draft's base and record, or, after a
/// resolved conflict, the server record the choices were made against and their result.
fn check_inputs(entry: &OutboxEntry) -> (Option<Value>, Value) {
    match (&entry.resolved_against, &entry.prepared) {
        (Some(against), Some(prepared)) => (Some(against.clone()), prepared.clone()),
        _ => (entry.base.as_ref().map(|b| b.record.clone()), entry.record.clone()),
    }
}

fn busy_check(entry: &OutboxEntry, in_flight: &BTreeSet<String>) -> Result<(), OutboxError> {
    if in_flight.contains(&entry.id) || entry.state == OutboxState::Sending {
        Err(OutboxError::Busy { id: entry.id.clone() })
    } else {
        Ok(())
    }
}

fn wrong_state(entry: &OutboxEntry, action: &'static str) -> OutboxError {
    OutboxError::WrongState { id: entry.id.clone(), state: entry.state.name(), action }
}

/// The error as the entry keeps it, with clearer words for the partner's refusals that need a
/// person.
fn attempt_error(err: &ClientError) -> AttemptError {
    let message = match err {
        ClientError::Conflict { code: Some(code), .. } if code == "customer_suspended" => {
            "the partner does not accept updates for this customer while it is Suspended; nothing was applied".to_owned()
        }
        ClientError::Conflict { code: Some(code), .. } if code == "idempotency_key_reused" => {
            "the partner already received a different request with this entry's idempotency key; nothing was applied \
             again (queue the draft again to send it as a new submission)"
                .to_owned()
        }
        other => other.to_string(),
    };
    AttemptError { kind: err.kind(), message, status: err.status() }
}

/// Who queued an entry and with which approval (audit trail, four-eyes).
#[derive(Debug, Default)]
struct QueuedBy {
    profile: Option<String>,
    approval: Option<Approval>,
}

/// `idempotency_key` trimmed, when it has 1-255 visible ASCII characters.
fn check_key(idempotency_key: &str) -> Result<&str, OutboxError> {
    let key = idempotency_key.trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(OutboxError::Invalid {
            issues: vec![Issue {
                path: "idempotency_key".into(),
                code: IssueCode::InvalidFormat,
                source: IssueSource::Policy,
                message: "KYB Desk policy: an idempotency key has 1 to 255 visible ASCII characters (a UUID).".into(),
            }],
        });
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::client::ClientConfig;
    use crate::clock::FixedClock;
    use crate::credentials::ApiCredentials;
    use crate::error::ErrorKind;
    use crate::drafts::{create_draft_id, update_draft_id, DraftBase};
    use crate::merge::FieldConflict;
    use crate::samples::valid_update;

    fn policy() -> RetryPolicy {
        RetryPolicy { base: Duration::from_millis(10), factor: 2.0, max_delay: Duration::from_millis(50), max_attempts: 3 }
    }

    fn record(seed: u64) -> Value {
        serde_json::to_value(valid_update(seed, Utc::now().date_naive())).unwrap()
    }

    fn draft(customer_id: &str, record: Value) -> Draft {
        let now = Utc::now();
        Draft {
            id: update_draft_id("Sandbox", customer_id),
            environment: "Sandbox".into(),
            target: DraftTarget::Update { customer_id: customer_id.into() },
            base: Some(DraftBase { record: record.clone(), partner_customer_id: None, status: None, fetched_at: now }),
            record,
            revision: 1,
            created_at: now,
            updated_at: now,
            issue_count: 0,
            review: Default::default(),
        }
    }

    fn open(dir: &Path, key: &Arc<SealingKey>) -> Outbox {
        Outbox::open(dir, key.clone(), policy()).unwrap()
    }

    /// Queue a draft for `customer_id` and mark it sent `minutes_ago`, its customer `status`.
    fn sent(outbox: &Outbox, customer_id: &str, minutes_ago: i64, status: &str) -> String {
        let entry = outbox.enqueue(&draft(customer_id, record(1))).unwrap();
        let mut entry = outbox.entry(&entry.id).unwrap();
        let at = Utc::now() - chrono::Duration::minutes(minutes_ago);
        let customer = serde_json::from_value(json!({"customer_id": customer_id, "status": status})).unwrap();
        entry.state = OutboxState::Sent { customer, sent_at: at, stopped_following_at: None };
        entry.updated_at = at;
        outbox.inner.store.write(&entry).unwrap();
        entry.id
    }

    #[test]
    fn settled_entries_beyond_the_newest_move_out_of_the_working_set_and_stay_readable() {
        let dir = tempfile::tempdir().unwrap();
        let key = Arc::new(SealingKey::generate());
        let outbox = open(dir.path(), &key);
        let old: Vec<String> = (0..5).map(|n| sent(&outbox, &format!("cus_{n}"), 100 - n, "Succeeded")).collect();
        let newest: Vec<String> = (5..8).map(|n| sent(&outbox, &format!("cus_{n}"), 10 - n, "Failed")).collect();
        let following = sent(&outbox, "cus_9", 1000, "Processing");
        let queued = outbox.enqueue(&draft("cus_10", record(2))).unwrap().id;

        assert_eq!(outbox.archive_settled(3).unwrap(), 5);
        let working: BTreeSet<String> = outbox.entries().unwrap().into_iter().map(|e| e.id).collect();
        let expected: BTreeSet<String> = newest.iter().cloned().chain([following.clone(), queued]).collect();
        assert_eq!(working, expected, "open, still-followed and the newest settled entries stay");
        assert_eq!(outbox.archived().unwrap().len(), 5);
        assert_eq!(outbox.entry(&old[0]).unwrap().id, old[0], "archived entries are still found by id");
        assert_eq!(outbox.archive_settled(3).unwrap(), 0, "nothing more to move");

        // Reopened: the archive is still there; purging old sent entries reaches it.
        let reopened = open(dir.path(), &key);
        assert_eq!(reopened.archived().unwrap().len(), 5);
        assert_eq!(reopened.purge_sent(chrono::Duration::minutes(50)).unwrap(), 5);
        assert!(reopened.archived().unwrap().is_empty());
        assert_eq!(reopened.entries().unwrap().len(), 5);
    }

    /// A client for a loopback port nothing listens on: every call is a real connection failure.
    fn unreachable_client() -> PartnerClient {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let credentials = ApiCredentials { api_key: "k".into(), api_secret: "s".into() };
        let config = ClientConfig {
            timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(2),
            ..ClientConfig::new(format!("http://127.0.0.1:{port}").parse().unwrap(), credentials)
        };
        PartnerClient::new(config).unwrap()
    }

    /// Pretend the entry's key already went out (as a drain does before it sends).
    fn mark_sent_once(outbox: &Outbox, id: &str, state: OutboxState) {
        let mut entry = outbox.entry(id).unwrap();
        entry.prepared = Some(entry.record.clone());
        entry.attempts = 1;
        entry.state = state;
        outbox.inner.store.write(&entry).unwrap();
    }

    fn failed() -> OutboxState {
        OutboxState::Failed { error: AttemptError { kind: ErrorKind::Server, message: "HTTP 500".into(), status: Some(500) } }
    }

    #[test]
    fn invalid_drafts_are_refused_with_their_issues() {
        let temp = tempfile::tempdir().unwrap();
        let outbox = open(temp.path(), &Arc::new(SealingKey::generate()));
        let mut bad = record(1);
        bad["primary_contact"]["contact_email"] = json!("not an email");
        let err = outbox.enqueue(&draft("cus_1", bad)).unwrap_err();
        let OutboxError::Invalid { issues } = &err else { panic!("{err:?}") };
        assert!(issues.iter().any(|i| i.path == "primary_contact.contact_email"), "{issues:?}");
        assert!(outbox.entries().unwrap().is_empty());
        let mut create = draft("cus_1", record(1));
        create.id = create_draft_id();
        create.target = DraftTarget::Create { partner_customer_id: "no\nline breaks".into() };
        assert!(matches!(outbox.enqueue(&create), Err(OutboxError::Invalid { .. })));
    }

    #[test]
    fn entries_persist_in_sequence_order_across_reopen() {
        let temp = tempfile::tempdir().unwrap();
        let key = Arc::new(SealingKey::generate());
        let outbox = open(temp.path(), &key);
        let a = outbox.enqueue(&draft("cus_a", record(1))).unwrap();
        let b = outbox.enqueue(&draft("cus_b", record(2))).unwrap();
        assert_eq!((a.sequence, b.sequence), (1, 2));
        assert_eq!(a.state, OutboxState::Queued);
        assert_ne!(a.idempotency_key, b.idempotency_key);
        drop(outbox);
        let reopened = open(temp.path(), &key);
        let ids: Vec<String> = reopened.entries().unwrap().into_iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![a.id.clone(), b.id.clone()]);
        assert_eq!(reopened.latest_for_draft(&a.draft_id).unwrap().unwrap(), a);
        assert!(reopened.next_due().unwrap() <= Utc::now());
        // Another key cannot read them: set aside, not deleted.
        let other = open(temp.path(), &Arc::new(SealingKey::generate()));
        assert!(other.entries().unwrap().is_empty());
        assert!(temp.path().join("drafts-unreadable").join(format!("{}.sealed", a.id)).is_file());
    }

    #[test]
    fn requeueing_keeps_the_key_only_for_the_same_intent() {
        let temp = tempfile::tempdir().unwrap();
        let outbox = open(temp.path(), &Arc::new(SealingKey::generate()));
        let first = outbox.enqueue(&draft("cus_1", record(1))).unwrap();

        // Never sent: a changed record replaces it in place, same key.
        let changed = outbox.enqueue(&draft("cus_1", record(2))).unwrap();
        assert_eq!((&changed.id, &changed.idempotency_key, changed.sequence), (&first.id, &first.idempotency_key, 1));
        assert_eq!(changed.record, record(2));
        assert_eq!(outbox.entries().unwrap().len(), 1);

        // Sent once (outcome unknown): the same record keeps key and prepared body ...
        mark_sent_once(&outbox, &first.id, failed());
        let same = outbox.enqueue(&draft("cus_1", record(2))).unwrap();
        assert_eq!((&same.id, &same.idempotency_key), (&first.id, &first.idempotency_key));
        assert_eq!((same.state.clone(), same.attempts, same.prepared.is_some()), (OutboxState::Queued, 0, true));
        // ... a changed one is a new intent with a new key.
        mark_sent_once(&outbox, &first.id, failed());
        let new = outbox.enqueue(&draft("cus_1", record(3))).unwrap();
        assert_ne!(new.id, first.id);
        assert_ne!(new.idempotency_key, first.idempotency_key);
        assert_eq!(new.sequence, 2);
        assert_eq!(outbox.entries().unwrap().len(), 1, "the replaced entry is gone");

        // Rejected: always a new key, even unchanged.
        let rejected = OutboxState::Rejected { problems: vec![] };
        mark_sent_once(&outbox, &new.id, rejected);
        let again = outbox.enqueue(&draft("cus_1", record(3))).unwrap();
        assert_ne!(again.idempotency_key, new.idempotency_key);

        // Being sent: refused.
        mark_sent_once(&outbox, &again.id, OutboxState::Sending);
        assert!(matches!(outbox.enqueue(&draft("cus_1", record(4))), Err(OutboxError::Busy { .. })));
        assert!(matches!(outbox.cancel(&again.id), Err(OutboxError::Busy { .. })));
        assert!(matches!(outbox.retry_now(&again.id), Err(OutboxError::Busy { .. })));
    }

    #[test]
    fn a_given_key_is_kept_for_the_entry() {
        let temp = tempfile::tempdir().unwrap();
        let outbox = open(temp.path(), &Arc::new(SealingKey::generate()));
        let key = "9b2f4c1e-7d1a-4f3e-9a55-0c3b2d1e4f60";
        let entry = outbox.enqueue_with_key(&draft("cus_1", record(1)), key).unwrap();
        assert_eq!(entry.idempotency_key, key);
        // The same file again: the same entry.
        assert_eq!(outbox.enqueue_with_key(&draft("cus_1", record(1)), key).unwrap().id, entry.id);
        // Another file for the same draft: a new entry with its key.
        let other = outbox.enqueue_with_key(&draft("cus_1", record(1)), "another-key").unwrap();
        assert_ne!(other.id, entry.id);
        assert_eq!(other.idempotency_key, "another-key");
        assert_eq!(outbox.entries().unwrap().len(), 1);
        for bad in ["", " ", "has space", "ключ"] {
            assert!(matches!(outbox.enqueue_with_key(&draft("cus_1", record(1)), bad), Err(OutboxError::Invalid { .. })), "{bad:?}");
        }
    }

    #[test]
    fn cancel_retry_and_resolve_check_the_state() {
        let temp = tempfile::tempdir().unwrap();
        let outbox = open(temp.path(), &Arc::new(SealingKey::generate()));
        let entry = outbox.enqueue(&draft("cus_1", record(1))).unwrap();
        assert!(matches!(outbox.resolve_conflict(&entry.id, &BTreeMap::new()), Err(OutboxError::WrongState { .. })));
        assert!(matches!(outbox.entry("o-nope"), Err(OutboxError::NotFound { .. })));
        assert!(matches!(outbox.cancel("../x"), Err(OutboxError::NotFound { .. })));

        mark_sent_once(&outbox, &entry.id, failed());
        let retried = outbox.retry_now(&entry.id).unwrap();
        assert_eq!((retried.state, retried.attempts), (OutboxState::Queued, 0));
        assert_eq!(retried.idempotency_key, entry.idempotency_key);

        // A conflict: resolving needs a choice per conflicting field.
        let mut conflicted = outbox.entry(&entry.id).unwrap();
        let mut theirs = conflicted.record.clone();
        theirs["primary_contact"]["contact_email"] = json!("them@example.com");
        let mut mine = conflicted.record.clone();
        mine["primary_contact"]["contact_email"] = json!("me@example.com");
        conflicted.record = mine;
        conflicted.prepared = None;
        conflicted.state = OutboxState::Conflict {
            conflicts: vec![FieldConflict {
                path: "primary_contact.contact_email".into(),
                base: None,
                theirs: None,
                mine: None,
            }],
            theirs: theirs.clone(),
            theirs_fetched_at: Utc::now(),
        };
        outbox.inner.store.write(&conflicted).unwrap();
        assert!(outbox.next_due().is_none(), "a conflict waits for the officer");
        assert!(matches!(outbox.resolve_conflict(&entry.id, &BTreeMap::new()), Err(OutboxError::Unresolved { paths }) if paths == ["primary_contact.contact_email"]));
        let typo = BTreeMap::from([("primary_contact.contact_mail".to_owned(), Choice::Mine)]);
        assert!(matches!(outbox.resolve_conflict(&entry.id, &typo), Err(OutboxError::UnknownPath { .. })));
        let choice = BTreeMap::from([("primary_contact.contact_email".to_owned(), Choice::Theirs)]);
        let resolved = outbox.resolve_conflict(&entry.id, &choice).unwrap();
        assert_eq!(resolved.state, OutboxState::Queued);
        assert_eq!(resolved.prepared.as_ref().unwrap()["primary_contact"]["contact_email"], "them@example.com");
        assert_eq!(resolved.resolved_against, Some(theirs));
        assert_eq!(resolved.idempotency_key, entry.idempotency_key);

        outbox.cancel(&entry.id).unwrap();
        assert!(outbox.entries().unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_unreachable_api_schedules_a_retry_and_ends_the_pass() {
        let temp = tempfile::tempdir().unwrap();
        let outbox = open(temp.path(), &Arc::new(SealingKey::generate()));
        let a = outbox.enqueue(&draft("cus_a", record(1))).unwrap();
        let b = outbox.enqueue(&draft("cus_b", record(2))).unwrap();
        let client = unreachable_client();
        fn assert_send<T: Send>(_: &T) {}
        let drain = outbox.drain("Sandbox", &client);
        assert_send(&drain);
        let report = drain.await.unwrap();
        assert_eq!(report.waiting_retry, vec![a.id.clone()]);
        assert!(report.stopped.as_deref().is_some_and(|m| m.contains("cannot reach")), "{report:?}");
        let a = outbox.entry(&a.id).unwrap();
        let OutboxState::WaitingRetry { next_attempt_at } = a.state else { panic!("{:?}", a.state) };
        assert!(next_attempt_at <= Utc::now() + chrono::Duration::milliseconds(10));
        assert_eq!((a.attempts, a.prepared.is_none()), (1, true), "the fetch failed; nothing prepared");
        assert_eq!(a.last_error.unwrap().kind, ErrorKind::Network);
        assert_eq!(outbox.entry(&b.id).unwrap().state, OutboxState::Queued, "not tried after the failure");
        // Other environments are not touched; after max_attempts the entry fails.
        assert_eq!(outbox.drain("Production", &client).await.unwrap(), DrainReport::default());
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(60)).await;
            outbox.drain("Sandbox", &client).await.unwrap();
            if matches!(outbox.entry(&a.id).unwrap().state, OutboxState::Failed { .. }) {
                break;
            }
        }
        let a = outbox.entry(&a.id).unwrap();
        let OutboxState::Failed { error } = &a.state else { panic!("{:?}", a.state) };
        assert!(error.message.starts_with("gave up after 3 attempts"), "{error:?}");
        assert!(client.probe().await.is_err());
    }

    #[tokio::test]
    async fn retries_are_due_by_the_outbox_clock() {
        let temp = tempfile::tempdir().unwrap();
        let start = DateTime::parse_from_rfc3339("2031-03-01T09:00:00Z").unwrap().with_timezone(&Utc);
        let clock = FixedClock::new(start);
        let policy = RetryPolicy { base: Duration::from_secs(10), factor: 2.0, max_delay: Duration::from_secs(60), max_attempts: 5 };
        let outbox = Outbox::open_with_clock(temp.path(), Arc::new(SealingKey::generate()), policy, clock.clone()).unwrap();
        let record = serde_json::to_value(valid_update(1, start.date_naive())).unwrap();
        let queued = outbox.enqueue(&draft("cus_a", record)).unwrap();
        assert_eq!((queued.queued_at, queued.updated_at), (start, start));
        let client = unreachable_client();

        outbox.drain("Sandbox", &client).await.unwrap();
        let entry = outbox.entry(&queued.id).unwrap();
        let OutboxState::WaitingRetry { next_attempt_at: first } = entry.state else { panic!("{:?}", entry.state) };
        assert!(first >= start && first <= start + chrono::Duration::seconds(10), "{first}");
        assert_eq!((entry.attempts, entry.updated_at, outbox.next_due()), (1, start, Some(first)));

        // Just before its time the entry is not tried.
        clock.set(first - chrono::Duration::milliseconds(1));
        let report = outbox.drain("Sandbox", &client).await.unwrap();
        assert_eq!((report.attempted(), outbox.entry(&queued.id).unwrap().attempts), (0, 1));

        // At its time it is, and the next wait is at most twice as long.
        clock.set(first);
        outbox.drain("Sandbox", &client).await.unwrap();
        let entry = outbox.entry(&queued.id).unwrap();
        let OutboxState::WaitingRetry { next_attempt_at: second } = entry.state else { panic!("{:?}", entry.state) };
        assert_eq!(entry.attempts, 2);
        assert!(second >= first && second <= first + chrono::Duration::seconds(20), "{second}");
    }

    #[test]
    fn entries_stored_with_any_error_kind_still_open() {
        let temp = tempfile::tempdir().unwrap();
        let outbox = open(temp.path(), &Arc::new(SealingKey::generate()));
        let mut entry = outbox.enqueue(&draft("cus_a", record(1))).unwrap();
        entry.state = failed();
        entry.last_error = Some(AttemptError { kind: ErrorKind::Server, message: "HTTP 500".into(), status: Some(500) });
        let stored = serde_json::to_value(&entry).unwrap();
        assert_eq!(stored["last_error"]["kind"], "server");
        let with_kind = |kind: &str| {
            let mut json = stored.clone();
            json["last_error"]["kind"] = json!(kind);
            json["state"]["error"]["kind"] = json!(kind);
            let read: OutboxEntry = serde_json::from_value(json).unwrap();
            let OutboxState::Failed { error } = &read.state else { panic!("{:?}", read.state) };
            assert_eq!(Some(error), read.last_error.as_ref());
            error.kind
        };
        assert_eq!(with_kind("network"), ErrorKind::Network);
        assert!(with_kind("timeout").is_offline());
        // Written by an older version (the client's own names) or a newer one (unknown here).
        assert_eq!(with_kind("validation_rejected"), ErrorKind::Rejected);
        assert_eq!(with_kind("teleport_failed"), ErrorKind::Internal);
    }
}

