//! The outbox against the real sandbox made to fail: 500, 502/503/504/408, 429 with Retry-After,
//! answers slower than the client timeout, connections dropped before and after the change was
//! applied, restarts of the app between attempts and a kill in the middle of a send, and a mix of
//! many entries with random faults. Every queued entry must be applied exactly once, by the
//! sandbox's own count (`Stats`), and entries for one customer in the order they were queued.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crate::client_common::{canary, Sandbox};
use kyb_core::error::ErrorKind;
use kyb_core::outbox::{OutboxState, OUTBOX_DIR};
use kyb_core::sealed::{SealedDir, SealingKey};
use crate::outbox_common::*;

const SETTLE: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_500_fails_the_entry_and_the_officer_retries_it_with_the_same_key() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));

    // An update: the 500 answers the lost-update fetch; nothing is sent.
    let customer = UPDATABLE[0];
    let base = server_record(&client, customer).await;
    let entry = outbox.enqueue(&officer_draft(customer, &base, step_edit(&base, 0, "after-500"))).unwrap();
    faults.fail_next(1, 500);
    let report = outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(report.failed, vec![entry.id.clone()]);
    let failed = outbox.entry(&entry.id).unwrap();
    let OutboxState::Failed { error } = &failed.state else { panic!("{:?}", failed.state) };
    assert_eq!((error.kind, error.status), (ErrorKind::Server, Some(500)));
    assert_eq!(outbox.next_due_in(ENV), None, "a 500 is not retried automatically");
    assert_eq!(sandbox.handle.stats().updates_for(customer), 0);

    // The same 500 on the send itself.
    outbox.retry_now(&entry.id).unwrap();
    let report = drain_with_fault_on_send(&outbox, &client, &faults, |f| f.fail_next(1, 500)).await;
    assert_eq!(report.failed, vec![entry.id.clone()]);
    let failed = outbox.entry(&entry.id).unwrap();
    assert!(failed.prepared.is_some(), "prepared before the send");
    assert_eq!(sandbox.handle.stats().updates_for(customer), 0);

    let retried = outbox.retry_now(&entry.id).unwrap();
    assert_eq!((retried.state.clone(), retried.idempotency_key.clone()), (OutboxState::Queued, entry.idempotency_key.clone()));
    drain_until_idle(&outbox, &client, SETTLE).await;
    let sent = outbox.entry(&entry.id).unwrap();
    assert_eq!(get(&serde_json::to_value(sent_customer(&sent)).unwrap(), STEP_FIELDS[0]), get(&sent.record, STEP_FIELDS[0]));
    assert_eq!(sandbox.handle.stats().updates_for(customer), 1);

    // A create has no lost-update fetch: the 500 hits the send.
    let partner_id = "P-OUTBOX-500";
    let create = outbox.enqueue(&create_draft(partner_id, base.clone())).unwrap();
    faults.fail_next(1, 500);
    outbox.drain(ENV, &client).await.unwrap();
    assert!(matches!(outbox.entry(&create.id).unwrap().state, OutboxState::Failed { .. }));
    assert_eq!(sandbox.handle.stats().creates_for(partner_id), 0);
    outbox.retry_now(&create.id).unwrap();
    drain_until_idle(&outbox, &client, SETTLE).await;
    let created = outbox.entry(&create.id).unwrap();
    assert_eq!(sent_customer(&created).partner_customer_id.as_deref(), Some(partner_id));
    assert_eq!(sandbox.handle.stats().creates_for(partner_id), 1);
}

#[tokio::test]
async fn gateway_errors_and_408_are_retried_until_applied_once() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));

    // 503 three times on the fetch, then fine.
    let a = UPDATABLE[0];
    let base_a = server_record(&client, a).await;
    let entry_a = outbox.enqueue(&officer_draft(a, &base_a, step_edit(&base_a, 0, "after-503"))).unwrap();
    faults.fail_next(3, 503);
    let reports = drain_until_idle(&outbox, &client, SETTLE).await;
    assert!(reports.iter().filter(|r| !r.waiting_retry.is_empty()).count() >= 3, "{reports:#?}");
    let sent = outbox.entry(&entry_a.id).unwrap();
    assert!(matches!(sent.state, OutboxState::Sent { .. }));
    assert_eq!(sent.attempts, 4);
    assert_eq!(sandbox.handle.stats().updates_for(a), 1);

    // 502 twice, then 504, then 408, all on the send: every retry resends the prepared body.
    let b = UPDATABLE[1];
    let base_b = server_record(&client, b).await;
    let entry_b = outbox.enqueue(&officer_draft(b, &base_b, step_edit(&base_b, 1, "after-502"))).unwrap();
    let report = drain_with_fault_on_send(&outbox, &client, &faults, |f| f.fail_next(2, 502)).await;
    assert_eq!(report.waiting_retry, vec![entry_b.id.clone()]);
    assert!(report.stopped.is_some(), "a retryable failure ends the pass");
    let waiting = outbox.entry(&entry_b.id).unwrap();
    let prepared = waiting.prepared.clone().expect("prepared before the first send");
    let OutboxState::WaitingRetry { next_attempt_at } = waiting.state else { panic!("{:?}", waiting.state) };
    assert!(next_attempt_at <= Utc::now() + chrono::Duration::milliseconds(50), "first wait is at most the 10 ms base");
    assert_eq!(waiting.last_error.unwrap().status, Some(502));
    assert_eq!(sandbox.handle.stats().updates_for(b), 0);
    // The second 502, then a 504 and a 408, one per retry.
    for (fault, status) in [(None, 502), (Some(504), 504), (Some(408), 408)] {
        if let Some(status) = fault {
            faults.fail_next(1, status);
        }
        let report = drain_when_due(&outbox, &client).await;
        assert_eq!(report.waiting_retry, vec![entry_b.id.clone()], "{status}: {report:?}");
        assert_eq!(outbox.entry(&entry_b.id).unwrap().last_error.unwrap().status, Some(status));
    }
    assert_eq!(sandbox.handle.stats().updates_for(b), 0);
    drain_until_idle(&outbox, &client, SETTLE).await;
    let sent = outbox.entry(&entry_b.id).unwrap();
    assert!(matches!(sent.state, OutboxState::Sent { .. }), "{:?}", sent.state);
    assert_eq!(sent.prepared.as_ref(), Some(&prepared), "the same body on every attempt");
    assert_eq!(sent.attempts, 5);
    assert_eq!(sandbox.handle.stats().updates_for(b), 1);
}

#[tokio::test]
async fn a_429_waits_at_least_retry_after() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));

    let customer = UPDATABLE[2];
    let base = server_record(&client, customer).await;
    let entry = outbox.enqueue(&officer_draft(customer, &base, step_edit(&base, 2, "after-429"))).unwrap();
    let before = Utc::now();
    let report = drain_with_fault_on_send(&outbox, &client, &faults, |f| f.rate_limit_next(1, Duration::from_secs(2))).await;
    assert_eq!(report.waiting_retry, vec![entry.id.clone()]);
    let waiting = outbox.entry(&entry.id).unwrap();
    let OutboxState::WaitingRetry { next_attempt_at } = waiting.state else { panic!("{:?}", waiting.state) };
    // The policy alone would wait at most 10 ms; Retry-After asks for 2 s.
    assert!(next_attempt_at >= before + chrono::Duration::seconds(2), "{next_attempt_at} vs {before}");
    assert_eq!(waiting.last_error.as_ref().unwrap().kind, ErrorKind::RateLimited);
    assert_eq!(outbox.next_due_in(ENV), Some(next_attempt_at));

    // Not due yet: a drain leaves it alone.
    let report = outbox.drain(ENV, &client).await.unwrap();
    assert_eq!((report.attempted(), report.held_back), (0, 1));
    assert_eq!(sandbox.handle.stats().updates_for(customer), 0);

    drain_until_idle(&outbox, &client, SETTLE).await;
    let sent = outbox.entry(&entry.id).unwrap();
    let OutboxState::Sent { sent_at, .. } = sent.state else { panic!("{:?}", sent.state) };
    assert!(sent_at >= next_attempt_at);
    assert_eq!(sandbox.handle.stats().updates_for(customer), 1);

    // 429 on the fetch, also honoured.
    let base = server_record(&client, customer).await;
    let again = outbox.enqueue(&officer_draft(customer, &base, step_edit(&base, 0, "429-on-fetch"))).unwrap();
    faults.rate_limit_next(1, Duration::from_secs(1));
    let before = Utc::now();
    outbox.drain(ENV, &client).await.unwrap();
    let OutboxState::WaitingRetry { next_attempt_at } = outbox.entry(&again.id).unwrap().state else { panic!() };
    assert!(next_attempt_at >= before + chrono::Duration::seconds(1));
    drain_until_idle(&outbox, &client, SETTLE).await;
    assert_eq!(sandbox.handle.stats().updates_for(customer), 2, "two entries, each applied once");
}

/// A `Retry-After` of more than an hour is not waited for: the entry fails showing the partner's
/// value, and the officer's retry sends it once the partner takes requests again.
#[tokio::test]
async fn a_429_asking_for_more_than_an_hour_fails_the_entry_with_the_partners_value() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));

    let customer = UPDATABLE[2];
    let base = server_record(&client, customer).await;
    let entry = outbox.enqueue(&officer_draft(customer, &base, step_edit(&base, 1, "after-long-429"))).unwrap();
    let other_base = server_record(&client, UPDATABLE[0]).await;
    let later = outbox.enqueue(&officer_draft(UPDATABLE[0], &other_base, step_edit(&other_base, 1, "not-tried"))).unwrap();
    faults.rate_limit_next(1, Duration::from_secs(36_000));
    let report = outbox.drain(ENV, &client).await.unwrap();
    let message = "the partner asked to retry after 36000 s; not waited for (more than an hour)";
    assert_eq!(report.stopped.as_deref(), Some(message), "{report:?}");
    let failed = outbox.entry(&entry.id).unwrap();
    let OutboxState::Failed { error } = &failed.state else { panic!("{:?}", failed.state) };
    assert_eq!((error.kind, error.status, error.message.as_str()), (ErrorKind::RateLimited, Some(429), message));
    assert_eq!(failed.last_error.as_ref().map(|e| e.message.as_str()), Some(message));
    assert_eq!(outbox.entry(&later.id).unwrap().state, OutboxState::Queued, "the pass stopped");

    outbox.retry_now(&entry.id).unwrap();
    drain_until_idle(&outbox, &client, SETTLE).await;
    assert!(matches!(outbox.entry(&entry.id).unwrap().state, OutboxState::Sent { .. }));
    assert_eq!(sandbox.handle.stats().updates_for(customer), 1);
    assert_eq!(sandbox.handle.stats().updates_for(UPDATABLE[0]), 1);
}

#[tokio::test]
async fn answers_slower_than_the_client_timeout_are_retried_without_applying_twice() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), Duration::from_millis(300));
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));

    // Slow fetch.
    let a = UPDATABLE[0];
    let base = server_record(&client, a).await;
    let entry = outbox.enqueue(&officer_draft(a, &base, step_edit(&base, 0, "slow-fetch"))).unwrap();
    faults.delay_next(1, Duration::from_millis(700));
    let report = outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(report.waiting_retry, vec![entry.id.clone()]);
    assert_eq!(outbox.entry(&entry.id).unwrap().last_error.unwrap().kind, ErrorKind::Timeout);
    drain_until_idle(&outbox, &client, SETTLE).await;
    assert_eq!(sandbox.handle.stats().updates_for(a), 1);

    // Slow send: the sandbox may apply it after the client gave up; the retry carries the key.
    let b = UPDATABLE[1];
    let base = server_record(&client, b).await;
    let entry = outbox.enqueue(&officer_draft(b, &base, step_edit(&base, 0, "slow-send"))).unwrap();
    let report = drain_with_fault_on_send_slow(&outbox, &client, &faults).await;
    assert_eq!(report.waiting_retry, vec![entry.id.clone()], "{report:?}");
    assert_eq!(outbox.entry(&entry.id).unwrap().last_error.unwrap().kind, ErrorKind::Timeout);
    drain_until_idle(&outbox, &client, SETTLE).await;
    // Let the held request finish (applied or not) before counting.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert!(matches!(outbox.entry(&entry.id).unwrap().state, OutboxState::Sent { .. }));
    assert_eq!(sandbox.handle.stats().updates_for(b), 1);
}

/// Wait until the next entry is due, then drain once.
async fn drain_when_due(outbox: &kyb_core::outbox::Outbox, client: &kyb_core::client::PartnerClient) -> kyb_core::outbox::DrainReport {
    if let Some(due) = outbox.next_due_in(ENV) {
        tokio::time::sleep((due - Utc::now()).to_std().unwrap_or(Duration::ZERO)).await;
    }
    outbox.drain(ENV, client).await.unwrap()
}

/// The fetch is quick; the send is held 800 ms, longer than the 300 ms client timeout.
async fn drain_with_fault_on_send_slow(
    outbox: &kyb_core::outbox::Outbox,
    client: &kyb_core::client::PartnerClient,
    faults: &kyb_sandbox::Faults,
) -> kyb_core::outbox::DrainReport {
    faults.reset();
    // The gate's own delay must stay under the client timeout.
    faults.delay_next(1, Duration::from_millis(150));
    let (o, c) = (outbox.clone(), client.clone());
    let handle = tokio::spawn(async move { o.drain(ENV, &c).await.unwrap() });
    wait_until_taken(faults, |f| f.delay_next.is_none()).await;
    faults.delay_next(1, Duration::from_millis(800));
    handle.await.unwrap()
}

#[tokio::test]
async fn a_connection_dropped_before_the_change_is_applied_is_retried() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));

    let customer = UPDATABLE[3];
    let base = server_record(&client, customer).await;
    let entry = outbox.enqueue(&officer_draft(customer, &base, step_edit(&base, 1, "dropped"))).unwrap();
    faults.drop_next(1); // the fetch
    let report = outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(report.waiting_retry, vec![entry.id.clone()]);
    assert_eq!(outbox.entry(&entry.id).unwrap().last_error.unwrap().kind, ErrorKind::Network);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let report = drain_with_fault_on_send(&outbox, &client, &faults, |f| f.drop_next(1)).await;
    assert_eq!(report.waiting_retry, vec![entry.id.clone()]);
    assert_eq!(sandbox.handle.stats().updates_for(customer), 0, "dropped before handling: nothing applied");
    drain_until_idle(&outbox, &client, SETTLE).await;
    let stats = sandbox.handle.stats();
    assert_eq!(stats.updates_for(customer), 1);
    assert_eq!(stats.idempotent_replays, 0, "it had never been applied");
}

#[tokio::test]
async fn a_connection_dropped_after_the_change_was_applied_is_not_applied_twice() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));

    // An update: applied, then the answer is lost.
    let customer = UPDATABLE[0];
    let base = server_record(&client, customer).await;
    let entry = outbox.enqueue(&officer_draft(customer, &base, step_edit(&base, 2, "lost-answer"))).unwrap();
    let report = drain_with_fault_on_send(&outbox, &client, &faults, |f| f.drop_next_after_apply(1)).await;
    assert_eq!(report.waiting_retry, vec![entry.id.clone()]);
    assert_eq!(sandbox.handle.stats().updates_for(customer), 1, "the sandbox applied it; the app does not know");
    drain_until_idle(&outbox, &client, SETTLE).await;
    let sent = outbox.entry(&entry.id).unwrap();
    assert!(matches!(sent.state, OutboxState::Sent { .. }));
    assert_eq!(sent.attempts, 1, "the partner's record showed the change: nothing was sent again");
    let stats = sandbox.handle.stats();
    assert_eq!(stats.updates_for(customer), 1);
    assert_eq!(stats.idempotent_replays, 0, "no resend, so no reliance on Idempotency-Key");

    // A create: the lost answer would otherwise make a second customer.
    let partner_id = "P-OUTBOX-LOST";
    let create = outbox.enqueue(&create_draft(partner_id, base.clone())).unwrap();
    faults.drop_next_after_apply(1);
    outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(sandbox.handle.stats().creates_for(partner_id), 1);
    assert!(matches!(outbox.entry(&create.id).unwrap().state, OutboxState::WaitingRetry { .. }));
    drain_until_idle(&outbox, &client, SETTLE).await;
    let created = outbox.entry(&create.id).unwrap();
    let customer_id = sent_customer(&created).customer_id.clone();
    let stats = sandbox.handle.stats();
    assert_eq!(stats.creates_for(partner_id), 1);
    assert_eq!(stats.idempotent_replays, 0, "the customer was found by its partner_customer_id and adopted");
    let found = client
        .get_customer(&kyb_core::client::CustomerLookup::PartnerCustomerId(partner_id.into()))
        .await
        .unwrap();
    assert_eq!(found.customer_id, customer_id, "the entry holds the customer that was created");
}

#[tokio::test]
async fn a_restart_between_attempts_resumes_with_the_same_key() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let key = Arc::new(SealingKey::generate());

    let a = UPDATABLE[0];
    let base = server_record(&client, a).await;
    let entry = {
        let outbox = open_outbox(temp.path(), &key);
        let entry = outbox.enqueue(&officer_draft(a, &base, step_edit(&base, 0, "restart"))).unwrap();
        let report = drain_with_fault_on_send(&outbox, &client, &faults, |f| f.fail_next(1, 503)).await;
        assert_eq!(report.waiting_retry, vec![entry.id.clone()]);
        entry
    }; // the app stops
    let outbox = open_outbox(temp.path(), &key);
    let resumed = outbox.entry(&entry.id).unwrap();
    assert!(matches!(resumed.state, OutboxState::WaitingRetry { .. }));
    assert_eq!(resumed.idempotency_key, entry.idempotency_key);
    drain_until_idle(&outbox, &client, SETTLE).await;
    assert!(matches!(outbox.entry(&entry.id).unwrap().state, OutboxState::Sent { .. }));
    assert_eq!(sandbox.handle.stats().updates_for(a), 1);
}

#[tokio::test]
async fn killed_while_sending_the_entry_is_resent_with_the_same_key_after_a_restart() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let key = Arc::new(SealingKey::generate());

    // Killed mid-request: the drain is aborted while the sandbox holds the send.
    let a = UPDATABLE[1];
    let base = server_record(&client, a).await;
    let outbox = open_outbox(temp.path(), &key);
    let entry = outbox.enqueue(&officer_draft(a, &base, step_edit(&base, 0, "killed"))).unwrap();
    let drain = spawn_drain_with_fault_on_send(&outbox, &client, &faults, |f| f.delay_next(1, Duration::from_millis(600))).await;
    wait_until_taken(&faults, |f| f.delay_next.is_none()).await;
    drain.abort();
    assert!(drain.await.unwrap_err().is_cancelled());
    drop(outbox);
    tokio::time::sleep(Duration::from_millis(800)).await; // whatever the sandbox does with it, it has done
    let outbox = open_outbox(temp.path(), &key);
    let interrupted = outbox.entry(&entry.id).unwrap();
    assert_eq!(interrupted.state, OutboxState::Sending, "persisted before the request left");
    assert!(matches!(outbox.cancel(&entry.id), Err(kyb_core::outbox::OutboxError::Busy { .. })));
    drain_until_idle(&outbox, &client, SETTLE).await;
    let sent = outbox.entry(&entry.id).unwrap();
    assert!(matches!(sent.state, OutboxState::Sent { .. }));
    assert_eq!(sent.prepared, interrupted.prepared);
    assert_eq!(sandbox.handle.stats().updates_for(a), 1);

    // Killed after the sandbox applied it and before the answer was stored: the state on disk
    // is `Sending` with the prepared body (written here as the kill leaves it).
    let b = UPDATABLE[2];
    let base = server_record(&client, b).await;
    let entry = outbox.enqueue(&officer_draft(b, &base, step_edit(&base, 1, "killed-after"))).unwrap();
    drain_with_fault_on_send(&outbox, &client, &faults, |f| f.drop_next_after_apply(1)).await;
    assert_eq!(sandbox.handle.stats().updates_for(b), 1);
    drop(outbox);
    let dir = SealedDir::create(temp.path().join(OUTBOX_DIR), key.clone()).unwrap();
    let mut on_disk: kyb_core::outbox::OutboxEntry = dir.read_json(&entry.id).unwrap();
    on_disk.state = OutboxState::Sending;
    dir.write_json(&entry.id, &on_disk).unwrap();
    let replays_before = sandbox.handle.stats().idempotent_replays;
    let outbox = open_outbox(temp.path(), &key);
    let report = outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(report.sent, vec![entry.id.clone()]);
    let stats = sandbox.handle.stats();
    assert_eq!(stats.updates_for(b), 1);
    assert_eq!(stats.idempotent_replays, replays_before, "found applied at the partner: not sent again");
}

/// Wait until the sandbox took the pending fault (true) or the drain ended (false).
async fn taken_or_finished(
    faults: &kyb_sandbox::Faults,
    drain: &tokio::task::JoinHandle<kyb_core::outbox::DrainReport>,
    taken: impl Fn(&kyb_sandbox::FaultSettings) -> bool,
) -> bool {
    loop {
        if taken(&faults.pending()) {
            return true;
        }
        if drain.is_finished() {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// splitmix64, so a failing run can be repeated with `OUTBOX_FAULT_SEED`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::test]
async fn many_entries_with_random_faults_are_each_applied_once_in_order() {
    let seed = std::env::var("OUTBOX_FAULT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
    });
    println!("OUTBOX_FAULT_SEED={seed}");
    let mut rng = Rng(seed);
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), Duration::from_millis(400));
    let faults = sandbox.handle.faults();
    let temp = tempfile::tempdir().unwrap();
    let key = Arc::new(SealingKey::generate());
    let mut outbox = open_outbox(temp.path(), &key);

    // Three entries per customer, each from the same base and changing its own field (like three
    // drafts of three officers), queued interleaved across customers; plus three new customers.
    let mut bases = BTreeMap::new();
    for customer in UPDATABLE {
        bases.insert(customer, server_record(&client, customer).await);
    }
    let mut queued: Vec<(String, Option<&str>, usize)> = Vec::new();
    for step in 0..3 {
        for customer in UPDATABLE {
            let base = &bases[customer];
            let draft = update_draft(format!("u-{step}-{customer}"), customer, base, step_edit(base, step, &format!("s{step}")));
            queued.push((outbox.enqueue(&draft).unwrap().id, Some(customer), step));
        }
    }
    let creates = ["P-MIX-1", "P-MIX-2", "P-MIX-3"];
    for partner_id in creates {
        queued.push((outbox.enqueue(&create_draft(partner_id, bases[UPDATABLE[0]].clone())).unwrap().id, None, 0));
    }

    let deadline = std::time::Instant::now() + Duration::from_secs(180);
    let (mut passes, mut faults_taken) = (0, 0);
    loop {
        let entries = outbox.entries().unwrap();
        if entries.iter().all(|e| matches!(e.state, OutboxState::Sent { .. })) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "seed {seed}: not done: {:#?}", states(&outbox));
        passes += 1;
        if rng.below(4) == 0 {
            // The app restarts between attempts.
            drop(outbox);
            outbox = open_outbox(temp.path(), &key);
        }
        // Faults on random calls of the pass (fetches and sends) until it ends: the calls before
        // each fault are let through one by one, each held 20 ms so the fault is in place for the
        // call after it.
        faults.reset();
        let (o, c) = (outbox.clone(), client.clone());
        let drain = tokio::spawn(async move { o.drain(ENV, &c).await.unwrap() });
        'pass: loop {
            for _ in 0..rng.below(4) {
                faults.delay_next(1, Duration::from_millis(20));
                if !taken_or_finished(&faults, &drain, |f| f.delay_next.is_none()).await {
                    break 'pass;
                }
            }
            match rng.below(12) {
                0 => faults.fail_next(1, 500),
                1 => faults.fail_next(1, 502),
                2 => faults.fail_next(1, 503),
                3 => faults.fail_next(1, 504),
                4 => faults.fail_next(1, 408),
                5 => faults.rate_limit_next(1, Duration::from_secs(rng.below(2))),
                6 => faults.delay_next(1, Duration::from_millis(600)),
                7 => faults.drop_next(1),
                _ => faults.drop_next_after_apply(1),
            }
            if !taken_or_finished(&faults, &drain, |f| *f == kyb_sandbox::FaultSettings::default()).await {
                break;
            }
            faults_taken += 1;
        }
        drain.await.unwrap();
        faults.reset();
        // The officer retries what failed (500s are not retried automatically).
        for entry in outbox.entries().unwrap() {
            assert!(
                matches!(entry.state, OutboxState::Sent { .. } | OutboxState::Queued | OutboxState::WaitingRetry { .. } | OutboxState::Failed { .. }),
                "seed {seed}: {} is {:?}",
                entry.id,
                entry.state
            );
            if matches!(entry.state, OutboxState::Failed { .. }) {
                outbox.retry_now(&entry.id).unwrap();
            }
        }
        if let Some(due) = outbox.next_due_in(ENV) {
            let wait = (due - Utc::now()).to_std().unwrap_or(Duration::ZERO).min(Duration::from_millis(300));
            tokio::time::sleep(wait).await;
        }
    }
    println!("seed {seed}: {passes} passes, {faults_taken} faults hit a call");
    assert!(faults_taken >= 10, "seed {seed}: only {faults_taken} faults were hit");
    faults.reset();
    tokio::time::sleep(Duration::from_millis(700)).await; // held requests finish

    let stats = sandbox.handle.stats();
    for customer in UPDATABLE {
        assert_eq!(stats.updates_for(customer), 3, "seed {seed}: {customer} has three entries, each applied once");
        // Every entry's change is in, and each answer shows exactly the changes queued before it.
        let now = server_record(&client, customer).await;
        for field in STEP_FIELDS {
            assert_ne!(get(&now, field), get(&bases[customer], field), "seed {seed}: {customer} {field}");
        }
        for (id, _, step) in queued.iter().filter(|(_, c, _)| *c == Some(customer)) {
            let answer = serde_json::to_value(sent_customer(&outbox.entry(id).unwrap())).unwrap();
            for (k, field) in STEP_FIELDS.iter().enumerate() {
                let changed = get(&answer, field) != get(&bases[customer], field);
                assert_eq!(changed, k <= *step, "seed {seed}: {customer} step {step} field {field}: sent out of order");
            }
        }
    }
    for partner_id in creates {
        assert_eq!(stats.creates_for(partner_id), 1, "seed {seed}: {partner_id}");
    }
}

#[tokio::test]
async fn refusals_need_the_officer_suspended_rejected_with_paths_and_invalid_by_now() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let temp = tempfile::tempdir().unwrap();
    let key = Arc::new(SealingKey::generate());
    let outbox = open_outbox(temp.path(), &key);

    // A Suspended customer: 409 customer_suspended, not retried, said plainly.
    let suspended = "cus_demo_0005";
    let base = server_record(&client, suspended).await;
    let entry = outbox.enqueue(&officer_draft(suspended, &base, step_edit(&base, 0, "x"))).unwrap();
    let report = outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(report.failed, vec![entry.id.clone()]);
    let OutboxState::Failed { error } = outbox.entry(&entry.id).unwrap().state else { panic!() };
    assert_eq!((error.kind.as_str(), error.status), ("conflict", Some(409)));
    assert!(error.message.contains("Suspended"), "{}", error.message);
    assert_eq!(sandbox.handle.stats().updates_for(suspended), 0);

    // The partner's field errors come back with their paths (a document it does not have).
    let customer = UPDATABLE[0];
    let base = server_record(&client, customer).await;
    let mut record = base.clone();
    record["business_details"]["business_identifier_document_list"] = serde_json::json!(["file_never_uploaded"]);
    let draft = officer_draft(customer, &base, record);
    let entry = outbox.enqueue(&draft).unwrap();
    outbox.drain(ENV, &client).await.unwrap();
    let rejected = outbox.entry(&entry.id).unwrap();
    let OutboxState::Rejected { problems } = &rejected.state else { panic!("{:?}", rejected.state) };
    assert_eq!(problems[0].path.as_deref(), Some("business_details.business_identifier_document_list[0]"));
    assert_eq!(problems[0].code, "unknown_file");
    assert_eq!(outbox.next_due_in(ENV), None, "not retried");
    // Queued again after a rejection: a new entry with a new key.
    let again = outbox.enqueue(&draft).unwrap();
    assert_ne!(again.idempotency_key, entry.idempotency_key);
    outbox.cancel(&again.id).unwrap();

    // Re-validated just before sending: a record that is no longer valid (as when a document
    // expires overnight; written here into the stored entry) goes back without a request.
    let entry = outbox.enqueue(&officer_draft(customer, &base, step_edit(&base, 1, "revalidated"))).unwrap();
    let dir = SealedDir::create(temp.path().join(OUTBOX_DIR), key.clone()).unwrap();
    let mut stored: kyb_core::outbox::OutboxEntry = dir.read_json(&entry.id).unwrap();
    stored.record["primary_contact"]["contact_email"] = serde_json::json!("no-at-sign");
    dir.write_json(&entry.id, &stored).unwrap();
    let before = sandbox.handle.stats();
    outbox.drain(ENV, &client).await.unwrap();
    let OutboxState::Rejected { problems } = outbox.entry(&entry.id).unwrap().state else { panic!() };
    assert_eq!(problems[0].path.as_deref(), Some("primary_contact.contact_email"));
    assert_eq!(sandbox.handle.stats(), before, "nothing was sent");
    assert_eq!(sandbox.handle.stats().updates_for(customer), 0);
}
