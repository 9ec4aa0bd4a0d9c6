//! Shared by the `outbox_*` tests: drafts of the sandbox's demo customers, an outbox in a
//! temporary folder (in-memory sealing key; the keychain is covered by other tests), draining
//! until everything is settled, and faults aimed at the send rather than at the lost-update fetch.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use kyb_core::client::PartnerClient;
use kyb_core::drafts::{create_draft_id, update_draft_id, Draft, DraftBase, DraftTarget};
use kyb_core::outbox::{DrainReport, Outbox, OutboxEntry, OutboxState, RetryPolicy};
use kyb_core::sealed::SealingKey;
use kyb_sandbox::Faults;
use serde_json::Value;

pub const ENV: &str = "Sandbox";

/// Updatable demo customers (valid records, not Suspended).
pub const UPDATABLE: [&str; 4] = ["cus_demo_0001", "cus_demo_0002", "cus_demo_0003", "cus_demo_0006"];

/// Short waits so the tests run quickly: 10 ms, ×2, at most 200 ms.
pub fn policy() -> RetryPolicy {
    RetryPolicy { base: Duration::from_millis(10), factor: 2.0, max_delay: Duration::from_millis(200), max_attempts: 8 }
}

pub fn open_outbox(dir: &Path, key: &Arc<SealingKey>) -> Outbox {
    Outbox::open(dir, key.clone(), policy()).unwrap()
}

/// The editable record of a demo customer as the server has it now (what a draft starts from).
pub async fn server_record(client: &PartnerClient, customer_id: &str) -> Value {
    kyb_core::outbox::fetch_current(client, customer_id).await.unwrap().1
}

/// An update draft of `customer_id` that started from `base`.
pub fn update_draft(id: String, customer_id: &str, base: &Value, record: Value) -> Draft {
    let now = Utc::now();
    Draft {
        id,
        environment: ENV.into(),
        target: DraftTarget::Update { customer_id: customer_id.into() },
        base: Some(DraftBase { record: base.clone(), partner_customer_id: None, status: None, fetched_at: now }),
        record,
        revision: 1,
        created_at: now,
        updated_at: now,
        issue_count: 0,
        review: Default::default(),
    }
}

/// The officer's update draft (id per environment and customer).
pub fn officer_draft(customer_id: &str, base: &Value, record: Value) -> Draft {
    update_draft(update_draft_id(ENV, customer_id), customer_id, base, record)
}

/// A new-customer draft with a demo customer's sections.
pub fn create_draft(partner_customer_id: &str, record: Value) -> Draft {
    let now = Utc::now();
    Draft {
        id: create_draft_id(),
        environment: ENV.into(),
        target: DraftTarget::Create { partner_customer_id: partner_customer_id.into() },
        base: None,
        record,
        revision: 1,
        created_at: now,
        updated_at: now,
        issue_count: 0,
        review: Default::default(),
    }
}

/// Set `path` (`a.b`) in a record.
pub fn set(record: &mut Value, path: &str, value: &str) {
    let mut at = record;
    for key in path.split('.') {
        at = &mut at[key];
    }
    *at = Value::String(value.to_owned());
}

pub fn get<'a>(record: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(record, |at, key| &at[key])
}

/// Three fields each entry of a customer may change (one each, so entries never conflict).
pub const STEP_FIELDS: [&str; 3] = [
    "account_usage.goods_service_description",
    "registration_address.registration_address_line1",
    "business_details.business_name_english",
];

/// `base` with the `step`-th field changed to a value that names the step.
pub fn step_edit(base: &Value, step: usize, tag: &str) -> Value {
    let mut record = base.clone();
    let field = STEP_FIELDS[step % STEP_FIELDS.len()];
    let old = get(base, field).as_str().unwrap_or("").to_owned();
    set(&mut record, field, &format!("{old} {tag}"));
    record
}

/// Drain until nothing is due any more (entries settled, or waiting for the officer), sleeping
/// until the next retry time in between. Panics after `limit`.
pub async fn drain_until_idle(outbox: &Outbox, client: &PartnerClient, limit: Duration) -> Vec<DrainReport> {
    let deadline = std::time::Instant::now() + limit;
    let mut reports = Vec::new();
    loop {
        reports.push(outbox.drain(ENV, client).await.unwrap());
        let Some(due) = outbox.next_due_in(ENV) else { return reports };
        assert!(std::time::Instant::now() < deadline, "still not idle after {limit:?}: {:#?}", states(outbox));
        let wait = (due - Utc::now()).to_std().unwrap_or(Duration::ZERO).min(Duration::from_millis(500));
        tokio::time::sleep(wait.max(Duration::from_millis(2))).await;
    }
}

pub fn states(outbox: &Outbox) -> Vec<(String, String, u32)> {
    outbox.entries().unwrap().into_iter().map(|e| (e.id, e.state.name().to_owned(), e.attempts)).collect()
}

pub fn sent_customer(entry: &OutboxEntry) -> &kyb_core::model::Customer {
    match &entry.state {
        OutboxState::Sent { customer, .. } => customer,
        other => panic!("{} is not sent: {other:?}", entry.id),
    }
}

/// Start a drain in the background, and aim a fault at the request after the next one: the
/// next call (the lost-update fetch) is held for a moment in the sandbox, and once the sandbox
/// has taken it, `fault` is set for the call that follows (the send).
pub async fn drain_with_fault_on_send(
    outbox: &Outbox,
    client: &PartnerClient,
    faults: &Faults,
    fault: impl FnOnce(&Faults),
) -> DrainReport {
    let handle = spawn_drain_with_fault_on_send(outbox, client, faults, fault).await;
    handle.await.unwrap()
}

/// [`drain_with_fault_on_send`] without waiting for the drain.
pub async fn spawn_drain_with_fault_on_send(
    outbox: &Outbox,
    client: &PartnerClient,
    faults: &Faults,
    fault: impl FnOnce(&Faults),
) -> tokio::task::JoinHandle<DrainReport> {
    faults.reset();
    faults.delay_next(1, Duration::from_millis(400));
    let (outbox, client) = (outbox.clone(), client.clone());
    let handle = tokio::spawn(async move { outbox.drain(ENV, &client).await.unwrap() });
    wait_until_taken(faults, |f| f.delay_next.is_none()).await;
    fault(faults);
    handle
}

/// Wait until the sandbox has taken the pending fault `taken` looks at.
pub async fn wait_until_taken(faults: &Faults, taken: impl Fn(&kyb_sandbox::FaultSettings) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !taken(&faults.pending()) {
        assert!(std::time::Instant::now() < deadline, "the sandbox never received the request");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}
