//! Exactly once without the partner's help, against both sandbox personalities (`strict` ignores
//! `Idempotency-Key`, as the published partner may): a body whose outcome is unknown is checked
//! against the partner before anything is sent again, and an officer's retry never overwrites a
//! change made at the partner since. The sandbox's own count says how often each change landed.

use std::sync::Arc;
use std::time::Duration;

use kyb_core::client::CustomerLookup;
use kyb_core::outbox::OutboxState;
use kyb_core::sealed::SealingKey;
use kyb_sandbox::Personality;
use serde_json::Value;

use crate::client_common::Sandbox;
use crate::outbox_common::*;

const SETTLE: Duration = Duration::from_secs(30);

/// `record` with each person's `basic_info` as the sandbox keeps it: a strict sandbox's answers
/// leave it out, and the officer fills it in before submitting (KYB Desk requires it).
fn completed(record: &Value, customer_id: &str) -> Value {
    let demo = kyb_sandbox::demo::customers().unwrap().into_iter().find(|c| c.customer_id == customer_id).unwrap();
    let full = serde_json::to_value(demo.sections()).unwrap();
    let mut record = record.clone();
    for (index, person) in full["business_person_list"].as_array().into_iter().flatten().enumerate() {
        if let Some(info) = person.get("basic_info") {
            record["business_person_list"][index]["basic_info"] = info.clone();
        }
    }
    record
}

#[tokio::test]
async fn an_update_whose_answer_was_lost_is_applied_once() {
    for personality in Personality::ALL {
        let sandbox = Sandbox::start_as(personality).await;
        let client = sandbox.client();
        let faults = sandbox.handle.faults();
        let temp = tempfile::tempdir().unwrap();
        let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));
        let customer = UPDATABLE[1];
        let base = server_record(&client, customer).await;
        let mine = completed(&step_edit(&base, 3, "lost-once"), customer);
        let entry = outbox.enqueue(&officer_draft(customer, &base, mine)).unwrap();
        drain_with_fault_on_send(&outbox, &client, &faults, |f| f.drop_next_after_apply(1)).await;
        assert_eq!(sandbox.handle.stats().updates_for(customer), 1, "{personality}: applied, the answer lost");
        drain_until_idle(&outbox, &client, SETTLE).await;
        let sent = outbox.entry(&entry.id).unwrap();
        assert!(matches!(sent.state, OutboxState::Sent { .. }), "{personality}: {:?}", sent.state);
        let stats = sandbox.handle.stats();
        assert_eq!(stats.updates_for(customer), 1, "{personality}: not applied a second time");
        assert_eq!(stats.idempotent_replays, 0, "{personality}: no resend was needed");
    }
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_adopted_not_made_twice() {
    for personality in Personality::ALL {
        let sandbox = Sandbox::start_as(personality).await;
        let client = sandbox.client();
        let faults = sandbox.handle.faults();
        let temp = tempfile::tempdir().unwrap();
        let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));
        let base = server_record(&client, UPDATABLE[0]).await;
        let partner_id = format!("P-ONCE-{personality}");
        let create = outbox.enqueue(&create_draft(&partner_id, completed(&base, UPDATABLE[0]))).unwrap();
        faults.drop_next_after_apply(1);
        outbox.drain(ENV, &client).await.unwrap();
        assert_eq!(sandbox.handle.stats().creates_for(&partner_id), 1, "{personality}: created, the answer lost");
        drain_until_idle(&outbox, &client, SETTLE).await;
        let created = outbox.entry(&create.id).unwrap();
        let found = client.get_customer(&CustomerLookup::PartnerCustomerId(partner_id.clone())).await.unwrap();
        assert_eq!(sent_customer(&created).customer_id, found.customer_id, "{personality}: the created customer adopted");
        assert_eq!(sandbox.handle.stats().creates_for(&partner_id), 1, "{personality}: one customer");
    }
}

#[tokio::test]
async fn a_retry_after_failed_keeps_what_changed_at_the_partner_since() {
    for personality in Personality::ALL {
        let sandbox = Sandbox::start_as(personality).await;
        let client = sandbox.client();
        let faults = sandbox.handle.faults();
        let temp = tempfile::tempdir().unwrap();
        let outbox = open_outbox(temp.path(), &Arc::new(SealingKey::generate()));
        let customer = UPDATABLE[2];
        let base = server_record(&client, customer).await;
        // The officer changes one field; the send fails with a 500 after the body was prepared.
        let mine = completed(&step_edit(&base, 0, "officer"), customer);
        let entry = outbox.enqueue(&officer_draft(customer, &base, mine.clone())).unwrap();
        drain_with_fault_on_send(&outbox, &client, &faults, |f| f.fail_next(1, 500)).await;
        assert!(matches!(outbox.entry(&entry.id).unwrap().state, OutboxState::Failed { .. }), "{personality}");

        // Meanwhile a colleague changes another field at the partner.
        let theirs = completed(&step_edit(&base, 1, "colleague"), customer);
        let colleague = officer_draft(customer, &base, theirs.clone());
        let other = tempfile::tempdir().unwrap();
        let other_outbox = open_outbox(other.path(), &Arc::new(SealingKey::generate()));
        other_outbox.enqueue(&colleague).unwrap();
        drain_until_idle(&other_outbox, &client, SETTLE).await;

        // The officer retries: the colleague's change stays, the officer's lands, once each.
        outbox.retry_now(&entry.id).unwrap();
        drain_until_idle(&outbox, &client, SETTLE).await;
        assert!(matches!(outbox.entry(&entry.id).unwrap().state, OutboxState::Sent { .. }), "{personality}");
        let now = server_record(&client, customer).await;
        assert_eq!(get(&now, STEP_FIELDS[0]), get(&mine, STEP_FIELDS[0]), "{personality}: the officer's change");
        assert_eq!(get(&now, STEP_FIELDS[1]), get(&theirs, STEP_FIELDS[1]), "{personality}: the colleague's change kept");
        assert_eq!(sandbox.handle.stats().updates_for(customer), 2, "{personality}: each change applied once");
    }
}
