//! `kyb submit FILE --customer ID | --create` end to end (the set-up: [`crate::desk`]): a plain
//! record file goes through the desktop app's pipeline (fetch, draft, queue as the profile,
//! the outbox worker), and what happened is read back from the app's outbox and audit trail and
//! from the sandbox's own count.

use std::path::Path;

use kyb_app::use_cases::audit;
use kyb_core::audit::{AuditEvent, AuditFilter};
use kyb_core::client::CustomerLookup;
use kyb_core::drafts::DraftTarget;
use kyb_core::outbox::OutboxState;
use serde_json::Value;

use crate::desk::{edited, json, record_of, stderr, stdout, Desk, ACME, GUARDED, KEY, NORD, PARTNER, PREPARER, SECRET};

const WEB: &str = "business_details.website";

fn write_record(dir: &Path, name: &str, record: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(record).unwrap()).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_goes_through_the_apps_outbox_and_audit_trail() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    // The record file as `kyb get --sections` prints it (the direct client, env credentials).
    let url = desk.server.base_url();
    let direct = [("KYB_BASE_URL", url.as_str()), ("KYB_API_KEY", KEY), ("KYB_API_SECRET", SECRET)];
    let got = desk.kyb_with(&["get", "--customer-id", ACME, "--sections"], &direct).await;
    assert_eq!(got.status.code(), Some(0), "{}", stderr(&got));
    let fetched: Value = serde_json::from_str(&stdout(&got)).unwrap();
    let before = fetched["business_details"]["website"].clone();
    let file = write_record(dir, "acme.json", &edited(&fetched, &[(WEB, "https://audited.example.com")]));

    // No --environment: the app's active one.
    let output = desk.kyb(&["submit", "--json", &file, "--customer", ACME]).await;
    assert_eq!(output.status.code(), Some(0), "{}\n{}", stdout(&output), stderr(&output));
    let report = json(&output);
    assert_eq!(report[0]["outcome"], "sent", "{report:#?}");
    assert_eq!(report[0]["environment"], PARTNER);
    assert_eq!((&report[0]["target"]["kind"], &report[0]["target"]["customer_id"]), (&"update".into(), &ACME.into()));
    let entry_id = report[0]["outbox_entry"].as_str().expect("the outbox entry is named").to_owned();
    assert_eq!(record_of(&api, ACME).await["business_details"]["website"], "https://audited.example.com");
    assert_eq!(desk.server.stats().updates_for(ACME), 1);

    // The app, opened after the command, shows what it did: the entry, its base, the trail.
    let state = desk.open().await;
    let entries = state.drafts().unwrap().outbox.entries().unwrap();
    let entry = entries.iter().find(|e| e.id == entry_id).expect("the entry is in the app's outbox");
    assert_eq!(entry.queued_by.as_deref(), Some(PREPARER));
    assert!(matches!(entry.state, OutboxState::Sent { .. }), "{entry:?}");
    let base = entry.base.as_ref().expect("an update is queued with the record fetched at submit time as its base");
    assert_eq!(base.record["business_details"]["website"], before, "the base is the partner's record, not the file");
    let trail = audit::audit_log(&state, AuditFilter::default()).await.unwrap();
    assert!(trail.chain.intact, "{:?}", trail.chain);
    let queued = trail
        .entries
        .iter()
        .find(|e| matches!(&e.event, AuditEvent::SubmissionQueued { outbox_entry, .. } if outbox_entry == &entry_id))
        .expect("SubmissionQueued in the trail");
    assert_eq!((queued.actor.as_str(), queued.environment.as_str(), queued.customer.as_str()), (PREPARER, PARTNER, ACME));
    let sent = trail
        .entries
        .iter()
        .find(|e| matches!(&e.event, AuditEvent::SubmissionSent { outbox_entry, .. } if outbox_entry == &entry_id))
        .expect("SubmissionSent in the trail (written by the worker's pass)");
    assert!(sent.seq > queued.seq, "queued before sent");
    assert_eq!((sent.environment.as_str(), sent.customer.as_str()), (PARTNER, ACME));
    state.shutdown().await;

    // Human report, --wait: the customer followed until settled. The draft the first submission
    // left for Acme goes to the trash, and the report says so.
    let acme = record_of(&api, ACME).await;
    let again = write_record(dir, "again.json", &edited(&acme, &[(WEB, "https://human.example.com")]));
    let output = desk.kyb(&["submit", &again, "--customer", ACME, "--environment", PARTNER, "--wait"]).await;
    assert_eq!(output.status.code(), Some(0), "{}\n{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    assert!(text.contains(&format!("✓ {again} (update {ACME}) [outbox entry o-")), "{text}");
    assert!(text.contains(&format!("sent, customer {ACME} is Succeeded")), "--wait follows the status: {text}");
    assert!(text.contains(&format!("The draft for customer {ACME} in KYB Desk")) && text.contains("moved to the trash"), "{text}");
    assert!(text.contains("1 file(s) submitted: 1 sent"), "{text}");
    assert_eq!(desk.server.stats().updates_for(ACME), 2);
    desk.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environment_that_requires_approval_refuses_it() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let nord = record_of(&api, NORD).await;
    let file = write_record(dir, "nord.json", &edited(&nord, &[(WEB, "https://unapproved.example.com")]));

    let output = desk.kyb(&["submit", &file, "--customer", NORD, "--environment", GUARDED]).await;
    assert_eq!(output.status.code(), Some(1), "{}\n{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    let refused = format!("✗ {file} (update {NORD}): not queued: \"{GUARDED}\" requires an approval by another profile");
    assert!(text.contains(&refused), "{text}");
    assert!(text.contains("kept as the customer's draft"), "{text}");
    assert!(desk.outbox().await.is_empty(), "nothing queued");
    let stats = desk.server.stats();
    assert_eq!((stats.total_updates(), stats.total_creates()), (0, 0), "nothing reached the partner");

    // The record waits in the app as the customer's draft, for a reviewer to approve.
    let state = desk.open().await;
    let draft = state.drafts().unwrap().store.find_update(GUARDED, NORD).unwrap().expect("the draft is kept");
    assert_eq!(draft.record["business_details"]["website"], "https://unapproved.example.com");
    assert_eq!(draft.review.editors, [PREPARER], "the profile prepared it (four-eyes)");
    state.shutdown().await;
    desk.server.shutdown().await;
}

/// `--create` makes a new draft each time, queued with a fresh idempotency key: the second run is
/// a second intent, not a replay of the first. The customer is still created once: the partner
/// refuses a second customer with that partner_customer_id (409), and the outbox then finds the
/// one it has and adopts it, since it holds everything the body sets (reported as sent, that
/// customer).
#[tokio::test(flavor = "multi_thread")]
async fn create_twice_with_the_same_partner_customer_id_creates_once() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let mut record = record_of(&api, ACME).await;
    record["partner_customer_id"] = "P-CLI-TWICE".into();
    let file = write_record(dir, "new.json", &record);

    let first = desk.kyb(&["submit", "--json", &file, "--create"]).await;
    assert_eq!(first.status.code(), Some(0), "{}\n{}", stdout(&first), stderr(&first));
    let first = json(&first);
    assert_eq!(first[0]["outcome"], "sent", "{first:#?}");
    let created = api.get_customer(&CustomerLookup::PartnerCustomerId("P-CLI-TWICE".into())).await.unwrap();
    assert_eq!(first[0]["customer"]["customer_id"], created.customer_id.as_str());

    let output = desk.kyb(&["submit", "--json", &file, "--create"]).await;
    let second = json(&output);
    assert_ne!(second[0]["outbox_entry"], first[0]["outbox_entry"], "a second intent, with its own entry");
    assert_eq!((second[0]["outcome"].as_str(), output.status.code()), (Some("sent"), Some(0)), "{second:#?}");
    assert_eq!(second[0]["customer"]["customer_id"], created.customer_id.as_str(), "the existing customer, adopted");

    let stats = desk.server.stats();
    assert_eq!(stats.creates_for("P-CLI-TWICE"), 1, "created once");
    assert_eq!(stats.idempotent_replays, 0, "not a replay: a fresh key");
    let outbox = desk.outbox().await;
    let creates = outbox
        .iter()
        .filter(|e| matches!(&e.target, DraftTarget::Create { partner_customer_id } if partner_customer_id == "P-CLI-TWICE"))
        .count();
    assert_eq!(creates, 2, "{outbox:#?}");
    desk.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_checks_the_file_before_opening_the_app() {
    let desk = Desk::new().await;
    let dir = desk.path();
    let invalid = write_record(dir, "invalid.json", &serde_json::json!({"business_details": {"website": "http://insecure.example"}}));
    let output = desk.kyb(&["submit", &invalid, "--customer", ACME]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stderr(&output).contains("the record is invalid"), "{}", stderr(&output));

    // A create body given for an update names the field that does not belong there.
    let mut create = record_of(&desk.client(), ACME).await;
    create["partner_customer_id"] = "P-WRONG".into();
    let create = write_record(dir, "create.json", &create);
    let output = desk.kyb(&["submit", &create, "--customer", ACME]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stderr(&output).contains("partner_customer_id"), "{}", stderr(&output));

    // Without a profile at all, clap says what is missing.
    let output = desk.kyb_with(&["submit", &invalid, "--customer", ACME], &[]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--profile"), "{}", stderr(&output));

    assert!(desk.outbox().await.is_empty(), "nothing queued");
    assert_eq!(desk.server.stats().total_updates(), 0);
    desk.server.shutdown().await;
}
