//! The lost-update check against the real sandbox: two officers (two apps, two outboxes) edit the
//! same customer from the same base. The first is sent; the second stops as a conflict showing
//! base, theirs and mine for the field both changed, keeps the fields only they changed, holds
//! back later entries for that customer, and is sent once the officer chose, field by field.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::client_common::Sandbox;
use kyb_core::client::PartnerClient;
use kyb_core::merge::{Choice, FieldConflict};
use kyb_core::outbox::{Outbox, OutboxError, OutboxState};
use kyb_core::sealed::SealingKey;
use crate::outbox_common::*;
use serde_json::Value;

const SETTLE: Duration = Duration::from_secs(20);
const EMAIL: &str = "primary_contact.contact_email";
const PHONE: &str = "primary_contact.contact_phone";
const WEBSITE: &str = "business_details.website";
const LINE1: &str = "registration_address.registration_address_line1";

/// One officer's app: its own data folder and key.
struct Officer {
    outbox: Outbox,
    _dir: tempfile::TempDir,
}

impl Officer {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { outbox: open_outbox(dir.path(), &Arc::new(SealingKey::generate())), _dir: dir }
    }
}

fn edited(base: &Value, changes: &[(&str, &str)]) -> Value {
    let mut record = base.clone();
    for (path, value) in changes {
        set(&mut record, path, value);
    }
    record
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// Officer A sends email + website; officer B, from the same base, changes email + phone and is
/// stopped by the conflict on the email. Returns B, B's entry id, the base and A's email.
async fn both_submitted(client: &PartnerClient, customer: &str) -> (Officer, String, Value) {
    let base = server_record(client, customer).await;
    let (a, b) = (Officer::new(), Officer::new());
    let a_draft = officer_draft(customer, &base, edited(&base, &[(EMAIL, "a@officer-a.example.com"), (WEBSITE, "https://a.example.com")]));
    let b_draft = officer_draft(customer, &base, edited(&base, &[(EMAIL, "b@officer-b.example.com"), (PHONE, "+12125550199")]));
    a.outbox.enqueue(&a_draft).unwrap();
    let b_entry = b.outbox.enqueue(&b_draft).unwrap();

    let report = a.outbox.drain(ENV, client).await.unwrap();
    assert_eq!(report.sent.len(), 1, "{report:?}");
    let report = b.outbox.drain(ENV, client).await.unwrap();
    assert_eq!(report.conflicts, vec![b_entry.id.clone()], "{report:?}");

    let entry = b.outbox.entry(&b_entry.id).unwrap();
    let OutboxState::Conflict { conflicts, theirs, .. } = &entry.state else { panic!("{:?}", entry.state) };
    assert_eq!(
        conflicts,
        &vec![FieldConflict {
            path: EMAIL.into(),
            base: text(get(&base, EMAIL)),
            theirs: Some("a@officer-a.example.com".into()),
            mine: Some("b@officer-b.example.com".into()),
        }],
        "only the field both changed; the phone (only mine) and the website (only theirs) are not conflicts"
    );
    assert_eq!(get(theirs, WEBSITE), "https://a.example.com");
    assert!(entry.prepared.is_none(), "nothing prepared, nothing sent");
    assert_eq!(b.outbox.next_due_in(ENV), None, "a conflict waits for the officer");
    (b, b_entry.id, base)
}

#[tokio::test]
async fn the_second_draft_shows_the_conflict_and_sends_mine_with_their_other_changes() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let customer = UPDATABLE[0];
    let (b, id, base) = both_submitted(&client, customer).await;
    assert_eq!(sandbox.handle.stats().updates_for(customer), 1, "never merged silently: B is not sent");
    assert_eq!(get(&server_record(&client, customer).await, EMAIL), "a@officer-a.example.com");

    // A later entry for the same customer is held back behind the conflict.
    let later = b.outbox.enqueue(&update_draft("u-later".into(), customer, &base, edited(&base, &[(LINE1, "1 Later Street")]))).unwrap();
    let report = b.outbox.drain(ENV, &client).await.unwrap();
    assert_eq!((report.attempted(), report.held_back), (0, 2));
    assert_eq!(b.outbox.entry(&later.id).unwrap().state, OutboxState::Queued);

    // Choices are checked: every conflicting field, nothing else.
    assert!(matches!(b.outbox.resolve_conflict(&id, &BTreeMap::new()), Err(OutboxError::Unresolved { paths }) if paths == [EMAIL]));
    let wrong = BTreeMap::from([(PHONE.to_owned(), Choice::Mine)]);
    assert!(matches!(b.outbox.resolve_conflict(&id, &wrong), Err(OutboxError::UnknownPath { .. })));

    let resolved = b.outbox.resolve_conflict(&id, &BTreeMap::from([(EMAIL.to_owned(), Choice::Mine)])).unwrap();
    assert_eq!(resolved.state, OutboxState::Queued);
    drain_until_idle(&b.outbox, &client, SETTLE).await;
    assert!(matches!(b.outbox.entry(&id).unwrap().state, OutboxState::Sent { .. }));
    assert!(matches!(b.outbox.entry(&later.id).unwrap().state, OutboxState::Sent { .. }), "sent after the resolved one");

    let now = server_record(&client, customer).await;
    assert_eq!(get(&now, EMAIL), "b@officer-b.example.com", "my choice");
    assert_eq!(get(&now, PHONE), "+12125550199", "only I changed it");
    assert_eq!(get(&now, WEBSITE), "https://a.example.com", "only they changed it: kept");
    assert_eq!(get(&now, LINE1), "1 Later Street", "the later entry, merged on top");
    assert_eq!(sandbox.handle.stats().updates_for(customer), 3, "A, B and B's later entry, each once");
}

#[tokio::test]
async fn choosing_theirs_keeps_their_value_and_sends_the_rest_of_mine() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let customer = UPDATABLE[1];
    let (b, id, _base) = both_submitted(&client, customer).await;
    b.outbox.resolve_conflict(&id, &BTreeMap::from([(EMAIL.to_owned(), Choice::Theirs)])).unwrap();
    drain_until_idle(&b.outbox, &client, SETTLE).await;
    let sent = b.outbox.entry(&id).unwrap();
    assert!(matches!(sent.state, OutboxState::Sent { .. }));
    let now = server_record(&client, customer).await;
    assert_eq!(get(&now, EMAIL), "a@officer-a.example.com", "their value, as chosen");
    assert_eq!(get(&now, PHONE), "+12125550199");
    assert_eq!(get(&now, WEBSITE), "https://a.example.com");
    assert_eq!(sandbox.handle.stats().updates_for(customer), 2);
}

#[tokio::test]
async fn a_change_after_the_choice_is_checked_again_before_sending() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let customer = UPDATABLE[2];
    let (b, id, _base) = both_submitted(&client, customer).await;
    b.outbox.resolve_conflict(&id, &BTreeMap::from([(EMAIL.to_owned(), Choice::Mine)])).unwrap();

    // Before B is online again, officer C changes the email again and the website.
    let c = Officer::new();
    let now = server_record(&client, customer).await;
    c.outbox
        .enqueue(&officer_draft(customer, &now, edited(&now, &[(EMAIL, "c@officer-c.example.com"), (WEBSITE, "https://c.example.com")])))
        .unwrap();
    assert_eq!(c.outbox.drain(ENV, &client).await.unwrap().sent.len(), 1);

    let report = b.outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(report.conflicts, vec![id.clone()], "{report:?}");
    let entry = b.outbox.entry(&id).unwrap();
    let OutboxState::Conflict { conflicts, .. } = &entry.state else { panic!("{:?}", entry.state) };
    assert_eq!(
        conflicts,
        &vec![FieldConflict {
            path: EMAIL.into(),
            base: Some("a@officer-a.example.com".into()),
            theirs: Some("c@officer-c.example.com".into()),
            mine: Some("b@officer-b.example.com".into()),
        }]
    );
    b.outbox.resolve_conflict(&id, &BTreeMap::from([(EMAIL.to_owned(), Choice::Mine)])).unwrap();
    drain_until_idle(&b.outbox, &client, SETTLE).await;
    let now = server_record(&client, customer).await;
    assert_eq!(get(&now, EMAIL), "b@officer-b.example.com");
    assert_eq!(get(&now, WEBSITE), "https://c.example.com", "C's other change is kept");
    assert_eq!(get(&now, PHONE), "+12125550199");
    assert_eq!(sandbox.handle.stats().updates_for(customer), 3, "A, C and B, each once");
}

#[tokio::test]
async fn a_draft_without_conflicts_keeps_their_changes_and_is_sent_at_once() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let customer = UPDATABLE[3];
    let base = server_record(&client, customer).await;
    let (a, b) = (Officer::new(), Officer::new());
    a.outbox.enqueue(&officer_draft(customer, &base, edited(&base, &[(WEBSITE, "https://a.example.com")]))).unwrap();
    let mine = b.outbox.enqueue(&officer_draft(customer, &base, edited(&base, &[(PHONE, "+12125550177")]))).unwrap();
    a.outbox.drain(ENV, &client).await.unwrap();
    let report = b.outbox.drain(ENV, &client).await.unwrap();
    assert_eq!(report.sent, vec![mine.id.clone()]);
    let prepared = b.outbox.entry(&mine.id).unwrap().prepared.unwrap();
    assert_eq!(get(&prepared, WEBSITE), "https://a.example.com", "their change is in what was sent");
    let now = server_record(&client, customer).await;
    assert_eq!((get(&now, WEBSITE).clone(), get(&now, PHONE).clone()), (Value::from("https://a.example.com"), Value::from("+12125550177")));
    assert_eq!(sandbox.handle.stats().updates_for(customer), 2);
}
