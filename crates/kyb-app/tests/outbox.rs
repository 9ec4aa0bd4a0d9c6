//! The outbox as use cases with the real background worker, against the real in-process
//! sandbox: queue, send once, rebase the draft, follow the status; an answer lost after the
//! partner applied it; failures and retry; cancel; a lost-update conflict and its resolution;
//! production confirmation; a restart with entries still queued; connectivity; one portable file
//! queued twice. The sealing key is in the real keychain (unique service per app); without one
//! these tests only check `keychain_unavailable`.

use std::collections::BTreeMap;
use std::time::Duration;

use kyb_app::use_cases::{drafts, outbox, records, session};
use kyb_app::ErrorKind;
use kyb_core::client::{ClientConfig, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::drafts::{Draft, DraftSave, DraftTarget};
use kyb_core::environments::EnvironmentInput;
use kyb_core::merge::{Choice, FieldConflict};
use kyb_core::outbox::{OutboxEntry, OutboxState};
use serde_json::{json, Value};

use crate::common::{
    expect_err, expect_invalid, json_of, state_name, wait_until, Options, TestApp, AMOUNT,
};

async fn app_with(options: Options) -> Option<TestApp> {
    let app = TestApp::with(options).await;
    if app.keychain() {
        Some(app)
    } else {
        expect_err(
            outbox::outbox_status(&app.state).await,
            ErrorKind::KeychainUnavailable,
        );
        None
    }
}

async fn app() -> Option<TestApp> {
    app_with(Options::default()).await
}

/// The partner's customer of a sent entry, as JSON.
fn sent_customer(entry: &OutboxEntry) -> Value {
    match &entry.state {
        OutboxState::Sent { customer, .. } => json_of(customer),
        other => panic!("not sent: {other:?}"),
    }
}

fn customer_status(entry: &OutboxEntry) -> Option<String> {
    match &entry.state {
        OutboxState::Sent { customer, .. } => json_of(&customer.status).as_str().map(str::to_owned),
        _ => None,
    }
}

/// A draft for `customer_id` in `environment` with `record` as typed and no base (sent as is,
/// without the lost-update fetch).
fn save_without_base(environment: &str, customer_id: &str, record: Value) -> DraftSave {
    DraftSave {
        id: None,
        environment: environment.into(),
        target: DraftTarget::Update {
            customer_id: customer_id.into(),
        },
        base: None,
        record,
        editor: None,
    }
}

async fn open_draft(app: &TestApp, draft: &Draft) -> Draft {
    drafts::open_draft(&app.state, &draft.id)
        .await
        .expect("draft opens")
}

#[tokio::test(flavor = "multi_thread")]
async fn queue_sends_once_rebases_the_draft_and_follows_the_status() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let draft = app
        .draft_with("cus_demo_0002", |record| {
            record["business_details"]["website"] = json!("https://nordlicht.example.de");
            record["account_usage"][AMOUNT] = json!("99.99");
        })
        .await;
    let entry = outbox::queue_draft(state, &draft.id, None).await.unwrap();
    assert_eq!(entry.draft_id, draft.id);
    assert_eq!(entry.environment, "Sandbox");
    assert!(entry.id.starts_with("o-"), "{entry:?}");
    assert_eq!(entry.record, draft.record);
    assert_eq!(entry.queued_by.as_deref(), Some(crate::common::OFFICER));
    assert!(
        entry.resolved_against.is_none(),
        "the outbox's bookkeeping stays inside"
    );
    assert!(
        matches!(state_name(&entry.state), "queued" | "sending" | "sent"),
        "{entry:?}"
    );

    let sent = app.wait_for_state(&entry.id, "sent").await;
    let customer = sent_customer(&sent);
    assert_eq!(
        customer["business_details"]["website"],
        "https://nordlicht.example.de"
    );
    assert_eq!(
        customer["account_usage"][AMOUNT],
        json!(99.99),
        "the partner's exact number"
    );
    assert_eq!(sent.attempts, 1);
    assert_eq!(
        app.applied_updates("cus_demo_0002"),
        1,
        "applied exactly once"
    );

    // The status settles (Processing → Succeeded) and the draft follows: no pending changes.
    wait_until(
        "the sent customer to settle",
        Duration::from_secs(20),
        || async { customer_status(&app.entry(&entry.id).await).as_deref() == Some("Succeeded") },
    )
    .await;
    wait_until(
        "the draft to follow the status",
        Duration::from_secs(20),
        || async {
            open_draft(&app, &draft)
                .await
                .base
                .and_then(|b| b.status)
                .as_deref()
                == Some("Succeeded")
        },
    )
    .await;
    let rebased = open_draft(&app, &draft).await;
    let base = rebased.base.clone().unwrap();
    assert!(rebased.revision > draft.revision);
    assert_eq!(rebased.record, base.record, "nothing pending");
    assert_eq!(
        base.record["business_details"]["website"],
        "https://nordlicht.example.de"
    );
    assert_eq!(
        base.record["account_usage"][AMOUNT], "99.99",
        "the rebased draft keeps amounts as typed text"
    );
    let OutboxState::Sent { sent_at, .. } = sent.state else {
        unreachable!()
    };
    assert_eq!(
        base.fetched_at, sent_at,
        "the base is the partner's answer to the send"
    );
    assert_eq!(
        records::diff_record(&base.record, &rebased.record).unwrap(),
        []
    );

    // The library shows the draft with its latest entry; the partner got an exact number.
    let library = drafts::list_drafts(state).await.unwrap();
    let latest = library.drafts[0].outbox.as_ref().expect("the latest entry");
    assert_eq!(
        (latest.id.as_str(), state_name(&latest.state)),
        (entry.id.as_str(), "sent")
    );
    let stored: String = std::fs::read_to_string(app.dir.path().join("data/sandbox/state.json"))
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        stored.contains(r#""estimated_monthly_revenue_amount":99.99"#),
        "the partner got a number"
    );

    // Sent: neither cancelled nor retried; nothing is sent again later.
    let err = expect_err(
        outbox::cancel_outbox_entry(state, &entry.id).await,
        ErrorKind::OutboxBusy,
    );
    assert_eq!(err.body().id.as_deref(), Some(entry.id.as_str()));
    expect_err(
        outbox::retry_outbox_entry(state, &entry.id).await,
        ErrorKind::OutboxBusy,
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.applied_updates("cus_demo_0002"), 1);

    let status = outbox::outbox_status(state).await.unwrap();
    assert_eq!(status.environment, "Sandbox");
    assert!(status.online);
    assert!(status.checked_at.is_some(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_lost_after_the_partner_applied_it_is_not_applied_twice() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    // No base: the entry is sent without the lost-update fetch, so the one fault hits the send.
    let mut record = app.record("cus_demo_0006").await;
    record["business_details"]["website"] = json!("https://andes-coffee.example.com");
    let draft = drafts::save_draft(state, save_without_base("Sandbox", "cus_demo_0006", record))
        .await
        .unwrap();
    state.sandbox().unwrap().faults().drop_next_after_apply(1);
    let entry = outbox::queue_draft(state, &draft.id, None).await.unwrap();
    let sent = app.wait_for_state(&entry.id, "sent").await;
    assert_eq!(
        sent.attempts, 2,
        "the lost answer, then the replay: {sent:?}"
    );
    let stats = state.sandbox().unwrap().stats();
    assert_eq!(stats.updates_for("cus_demo_0006"), 1, "applied once");
    assert!(
        stats.idempotent_replays >= 1,
        "the second attempt was answered from the first"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_waits_for_the_officer_then_retry_or_cancel() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let draft = app
        .draft_with("cus_demo_0001", |record| {
            record["business_details"]["website"] = json!("https://acme.example.net")
        })
        .await;
    // The lost-update fetch answers 404: not retryable, the entry fails and waits.
    let faults = state.sandbox().unwrap().faults();
    faults.fail_next(1, 404);
    let entry = outbox::queue_draft(state, &draft.id, None).await.unwrap();
    let failed = app.wait_for_state(&entry.id, "failed").await;
    let OutboxState::Failed { error } = &failed.state else {
        unreachable!()
    };
    assert_eq!(error.kind, ErrorKind::NotFound, "{failed:?}");
    assert_eq!(app.applied_updates("cus_demo_0001"), 0);

    let retried = outbox::retry_outbox_entry(state, &entry.id).await.unwrap();
    assert_eq!(
        retried.idempotency_key, entry.idempotency_key,
        "same intent, same key"
    );
    app.wait_for_state(&entry.id, "sent").await;
    assert_eq!(app.applied_updates("cus_demo_0001"), 1);

    // Cancel: an entry waiting for the officer goes; the draft stays. (Once the first customer
    // has settled, so the worker's status refresh cannot take the next fault.)
    wait_until(
        "the sent customer to settle",
        Duration::from_secs(20),
        || async { customer_status(&app.entry(&entry.id).await).as_deref() == Some("Succeeded") },
    )
    .await;
    let again = app
        .draft_with("cus_demo_0003", |record| {
            record["business_details"]["website"] = json!("https://sakura.example.net")
        })
        .await;
    faults.fail_next(1, 404);
    let entry = outbox::queue_draft(state, &again.id, None).await.unwrap();
    app.wait_for_state(&entry.id, "failed").await;
    outbox::cancel_outbox_entry(state, &entry.id).await.unwrap();
    let status = outbox::outbox_status(state).await.unwrap();
    assert!(
        status.entries.iter().all(|e| e.id != entry.id),
        "{status:?}"
    );
    open_draft(&app, &again).await;
    assert_eq!(app.applied_updates("cus_demo_0003"), 0);

    // Ids that are no entries.
    expect_invalid(outbox::retry_outbox_entry(state, "nope").await, "id");
    expect_invalid(outbox::retry_outbox_entry(state, "o-../../x").await, "id");
    expect_invalid(outbox::retry_outbox_entry(state, &entry.id).await, "id");
    expect_invalid(outbox::cancel_outbox_entry(state, "nope").await, "id");
    expect_invalid(outbox::cancel_outbox_entry(state, "o-../../x").await, "id");
    expect_invalid(outbox::cancel_outbox_entry(state, &entry.id).await, "id");
    expect_err(
        outbox::resolve_conflict(state, &entry.id, BTreeMap::new()).await,
        ErrorKind::InvalidInput,
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn queue_refuses_an_invalid_draft() {
    let Some(app) = app().await else { return };
    let draft = app.draft_with("cus_demo_0004", |_| {}).await;
    assert_eq!(draft.issue_count, 3);
    let err = expect_err(
        outbox::queue_draft(&app.state, &draft.id, None).await,
        ErrorKind::InvalidRecord,
    );
    let issues = err.body().issues.expect("the issues");
    assert_eq!(issues.len(), 3, "{err:?}");
    assert!(
        issues.iter().any(|i| i.path == "business_details.website"),
        "{err:?}"
    );
    assert!(outbox::outbox_status(&app.state)
        .await
        .unwrap()
        .entries
        .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_update_conflict_is_resolved_field_by_field() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let draft = app
        .draft_with("cus_demo_0002", |record| {
            record["business_details"]["website"] = json!("https://mine.example.de");
            record["primary_contact"]["contact_email"] = json!("mine@nordlicht.example.de");
        })
        .await;
    // Someone else changes the website at the partner meanwhile.
    let mut theirs = app.record("cus_demo_0002").await;
    theirs["business_details"]["website"] = json!("https://theirs.example.de");
    let partner = PartnerClient::new(ClientConfig::new(
        kyb_core::client::parse_base_url(&app.sandbox_url()).unwrap(),
        ApiCredentials {
            api_key: kyb_sandbox::DEMO_API_KEY.into(),
            api_secret: kyb_sandbox::DEMO_API_SECRET.into(),
        },
    ))
    .unwrap();
    let body: kyb_core::model::UpdateCustomerRequest = serde_json::from_value(theirs).unwrap();
    let body =
        kyb_core::validation::check_update(body, &kyb_core::validation::ValidationContext::now())
            .unwrap();
    partner
        .update_customer("cus_demo_0002", &body, None)
        .await
        .unwrap();
    assert_eq!(app.applied_updates("cus_demo_0002"), 1);

    let entry = outbox::queue_draft(state, &draft.id, None).await.unwrap();
    let conflict = app.wait_for_state(&entry.id, "conflict").await;
    let OutboxState::Conflict { conflicts, .. } = &conflict.state else {
        unreachable!()
    };
    assert_eq!(
        conflicts,
        &[FieldConflict {
            path: "business_details.website".into(),
            base: Some("https://nordlicht-logistik.example.com".into()),
            theirs: Some("https://theirs.example.de".into()),
            mine: Some("https://mine.example.de".into()),
        }]
    );
    let library = drafts::list_drafts(state).await.unwrap();
    assert_eq!(
        state_name(&library.drafts[0].outbox.as_ref().unwrap().state),
        "conflict"
    );

    let err = expect_err(
        outbox::resolve_conflict(state, &entry.id, BTreeMap::new()).await,
        ErrorKind::UnresolvedConflicts,
    );
    assert_eq!(
        err.body().paths,
        Some(vec!["business_details.website".to_owned()])
    );
    let unknown_path = BTreeMap::from([
        ("business_details.website".to_owned(), Choice::Mine),
        ("x.y".to_owned(), Choice::Theirs),
    ]);
    expect_invalid(
        outbox::resolve_conflict(state, &entry.id, unknown_path).await,
        "choices",
    );
    let theirs_wins = BTreeMap::from([("business_details.website".to_owned(), Choice::Theirs)]);
    outbox::resolve_conflict(state, &entry.id, theirs_wins)
        .await
        .unwrap();
    let sent = sent_customer(&app.wait_for_state(&entry.id, "sent").await);
    assert_eq!(
        sent["business_details"]["website"],
        "https://theirs.example.de"
    );
    assert_eq!(
        sent["primary_contact"]["contact_email"],
        "mine@nordlicht.example.de"
    );
    assert_eq!(app.applied_updates("cus_demo_0002"), 2);

    // The draft now shows the merged result and nothing pending.
    wait_until(
        "the draft to be rebased",
        Duration::from_secs(10),
        || async {
            let now = open_draft(&app, &draft).await;
            now.base.is_some_and(|b| {
                b.record["business_details"]["website"] == "https://theirs.example.de"
            })
        },
    )
    .await;
    let rebased = open_draft(&app, &draft).await;
    assert_eq!(rebased.record, rebased.base.unwrap().record);
}

#[tokio::test(flavor = "multi_thread")]
async fn production_queue_needs_the_exact_business_name() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    app.add_environment("Prod", true).await;
    app.demo_credentials("Prod").await;
    let draft = app
        .draft_with("cus_demo_0001", |record| {
            record["primary_contact"]["contact_email"] = json!("kyb@acme-robotics.example.com")
        })
        .await;
    assert_eq!(draft.environment, "Prod");
    let err = expect_err(
        outbox::queue_draft(state, &draft.id, None).await,
        ErrorKind::ConfirmationRequired,
    );
    assert_eq!(err.body().environment.as_deref(), Some("Prod"));
    let host = app.sandbox_url().trim_start_matches("http://").trim_end_matches('/').to_owned();
    assert!(err.to_string().contains(&host), "the confirmation names the host: {err}");
    expect_err(
        outbox::queue_draft(state, &draft.id, Some("acme robotics llc")).await,
        ErrorKind::ConfirmationRequired,
    );
    expect_err(
        outbox::queue_draft(state, &draft.id, Some("Acme Robotics LLC ")).await,
        ErrorKind::ConfirmationRequired,
    );
    let entry = outbox::queue_draft(state, &draft.id, Some("Acme Robotics LLC"))
        .await
        .unwrap();
    assert_eq!(entry.environment, "Prod");
    app.wait_for_state(&entry.id, "sent").await;
    assert_eq!(app.applied_updates("cus_demo_0001"), 1);

    // A draft whose customer was not opened in this session and has no base: the name is
    // fetched from the partner first.
    let record = app.record("cus_demo_0006").await;
    let other = TestApp::new().await;
    other.add_environment("Prod", true).await;
    other.demo_credentials("Prod").await;
    // The second app's Prod points at its own sandbox; nothing of cus_demo_0006 was loaded there.
    let draft = drafts::save_draft(
        &other.state,
        save_without_base("Prod", "cus_demo_0006", record),
    )
    .await
    .unwrap();
    expect_err(
        outbox::queue_draft(&other.state, &draft.id, None).await,
        ErrorKind::ConfirmationRequired,
    );
    outbox::queue_draft(
        &other.state,
        &draft.id,
        Some("Andes Coffee Exporters Ltda."),
    )
    .await
    .unwrap();
    drop(other);

    // A new customer in production is confirmed with its partner_customer_id.
    let record = app.record("cus_demo_0006").await;
    let create = DraftSave {
        id: None,
        environment: "Prod".into(),
        target: DraftTarget::Create {
            partner_customer_id: "P-PROD-1".into(),
        },
        base: None,
        record,
        editor: None,
    };
    let draft = drafts::save_draft(state, create).await.unwrap();
    expect_err(
        outbox::queue_draft(state, &draft.id, Some("Andes Coffee Exporters Ltda.")).await,
        ErrorKind::ConfirmationRequired,
    );
    let entry = outbox::queue_draft(state, &draft.id, Some("P-PROD-1"))
        .await
        .unwrap();
    app.wait_for_state(&entry.id, "sent").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_partners_refusals_come_back_on_the_entry() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    // A document the partner never received: rejected with the field, back to the draft.
    let draft = app
        .draft_with("cus_demo_0001", |record| {
            record["business_details"]["business_identifier_document_list"] =
                json!(["file_never_uploaded"]);
        })
        .await;
    let entry = outbox::queue_draft(state, &draft.id, None).await.unwrap();
    let rejected = app.wait_for_state(&entry.id, "rejected").await;
    let OutboxState::Rejected { problems } = &rejected.state else {
        unreachable!()
    };
    assert!(
        problems.iter().any(|p| p.code == "unknown_file"
            && p.path.as_deref() == Some("business_details.business_identifier_document_list[0]")),
        "{rejected:?}"
    );
    // A suspended customer: failed with the partner's reason, nothing applied.
    let suspended = app
        .draft_with("cus_demo_0005", |record| {
            record["business_details"]["website"] = json!("https://harbour.example.sg")
        })
        .await;
    let entry = outbox::queue_draft(state, &suspended.id, None)
        .await
        .unwrap();
    let failed = app.wait_for_state(&entry.id, "failed").await;
    let OutboxState::Failed { error } = &failed.state else {
        unreachable!()
    };
    assert_eq!(
        (error.kind, error.status),
        (ErrorKind::Conflict, Some(409)),
        "{failed:?}"
    );
    // A customer the partner does not know (a draft without base is sent as is): failed, 404.
    let record = app.record("cus_demo_0002").await;
    let unknown = drafts::save_draft(state, save_without_base("Sandbox", "cus_nope", record))
        .await
        .unwrap();
    let entry = outbox::queue_draft(state, &unknown.id, None).await.unwrap();
    let failed = app.wait_for_state(&entry.id, "failed").await;
    let OutboxState::Failed { error } = &failed.state else {
        unreachable!()
    };
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert_eq!(state.sandbox().unwrap().stats().total_updates(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn queued_entries_survive_a_restart_and_are_sent_once() {
    let Some(mut app) = app_with(Options {
        worker: false,
        ..Options::default()
    })
    .await
    else {
        return;
    };
    let draft = app
        .draft_with("cus_demo_0003", |record| {
            record["business_details"]["website"] = json!("https://sakura-trading.example.jp")
        })
        .await;
    let entry = outbox::queue_draft(&app.state, &draft.id, None)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        state_name(&app.entry(&entry.id).await.state),
        "queued",
        "no worker: nothing sent"
    );
    assert_eq!(app.applied_updates("cus_demo_0003"), 0);

    app.restart(Options::default()).await;
    assert_eq!(
        drafts::list_drafts(&app.state).await.unwrap().drafts[0]
            .summary
            .id,
        draft.id
    );
    app.wait_for_state(&entry.id, "sent").await;
    assert_eq!(app.applied_updates("cus_demo_0003"), 1);
    app.restart(Options::default()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(state_name(&app.entry(&entry.id).await.state), "sent");
    assert_eq!(
        app.applied_updates("cus_demo_0003"),
        1,
        "a restart sends nothing again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_environment_is_offline_and_its_entries_wait() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let record = app.record("cus_demo_0001").await;
    // An environment on a loopback port nothing listens on, with credentials (demo ones).
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let input = EnvironmentInput {
        name: "Other".into(),
        base_url: format!("http://127.0.0.1:{port}"),
        colour: "#123456".into(),
        is_production: false,
        requires_approval: None,
    };
    session::save_environment(state, input).await.unwrap();
    session::select_environment(state, "Other").await.unwrap();
    app.demo_credentials("Other").await;
    let offline = || async {
        let status = outbox::outbox_status(state).await.unwrap();
        status.environment == "Other" && !status.online && status.checked_at.is_some()
    };
    wait_until(
        "the indicator to say offline",
        Duration::from_secs(10),
        offline,
    )
    .await;
    // A draft queued there (no base: nothing to fetch first) waits for the network without
    // using up attempts: nothing is tried while the partner does not answer the probe.
    let draft = drafts::save_draft(state, save_without_base("Other", "cus_demo_0001", record))
        .await
        .unwrap();
    let entry = outbox::queue_draft(state, &draft.id, None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_500)).await; // 15 worker rounds
    let waiting = app.entry(&entry.id).await;
    assert_eq!(state_name(&waiting.state), "queued", "{waiting:?}");
    assert_eq!(
        waiting.attempts, 0,
        "attempts were used up while offline: {waiting:?}"
    );
    assert!(!outbox::outbox_status(state).await.unwrap().online);

    // The partner comes up on that port: the entry goes by itself, applied once there.
    let data = tempfile::tempdir().unwrap();
    let mut config = kyb_sandbox::SandboxConfig::new(data.path().to_path_buf());
    config.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    config.seed_demo_customers = true;
    let partner = kyb_sandbox::start(config)
        .await
        .expect("a sandbox on the freed port");
    wait_until(
        "the entry to be sent once the partner answers",
        Duration::from_secs(10),
        || async { state_name(&app.entry(&entry.id).await.state) == "sent" },
    )
    .await;
    wait_until(
        "the indicator to say online",
        Duration::from_secs(10),
        || async { outbox::outbox_status(state).await.unwrap().online },
    )
    .await;
    assert_eq!(partner.stats().updates_for("cus_demo_0001"), 1);
    partner.shutdown().await;

    // Back on the sandbox: online there.
    session::select_environment(state, "Sandbox").await.unwrap();
    wait_until(
        "the indicator to say online",
        Duration::from_secs(10),
        || async {
            let status = outbox::outbox_status(state).await.unwrap();
            status.environment == "Sandbox" && status.online && status.checked_at.is_some()
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_environment_checks_it_at_once_and_says_why_it_is_offline() {
    // No worker: only the switch itself can have checked the new environment.
    let Some(app) = app_with(Options {
        worker: false,
        ..Options::default()
    })
    .await
    else {
        return;
    };
    let state = &app.state;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let input = EnvironmentInput {
        name: "Other".into(),
        base_url: format!("http://127.0.0.1:{port}"),
        colour: "#123456".into(),
        is_production: false,
        requires_approval: None,
    };
    session::save_environment(state, input).await.unwrap();
    session::select_environment(state, "Other").await.unwrap();
    let status = outbox::outbox_status(state).await.unwrap();
    assert_eq!(status.environment, "Other");
    assert!(!status.online && status.checked_at.is_some(), "{status:?}");
    let problem = status.problem.expect("why it is offline");
    assert_eq!(problem.kind, ErrorKind::Network, "{problem:?}");
    assert!(!problem.message.is_empty());

    session::select_environment(state, "Sandbox").await.unwrap();
    let status = outbox::outbox_status(state).await.unwrap();
    assert_eq!(status.environment, "Sandbox");
    assert!(status.online && status.checked_at.is_some(), "{status:?}");
    assert_eq!(status.problem, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_the_partner_refuses_are_named_while_it_stays_online() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let record = app.record("cus_demo_0001").await;
    app.add_environment("Other", false).await;
    session::set_credentials(state, "Other", "wrong-key", "wrong-secret")
        .await
        .unwrap();
    let draft = drafts::save_draft(state, save_without_base("Other", "cus_demo_0001", record))
        .await
        .unwrap();
    outbox::queue_draft(state, &draft.id, None).await.unwrap();
    wait_until(
        "the indicator to name the refused credentials",
        Duration::from_secs(10),
        || async {
            let status = outbox::outbox_status(state).await.unwrap();
            status.online && status.problem.is_some_and(|p| p.kind == ErrorKind::Unauthorized)
        },
    )
    .await;
    // A probe (no credentials) answered meanwhile does not hide it.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let status = outbox::outbox_status(state).await.unwrap();
    assert_eq!(
        status.problem.map(|p| p.kind),
        Some(ErrorKind::Unauthorized),
        "after more probes"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_portable_file_queued_twice_is_applied_once() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let draft = app
        .draft_with("cus_demo_0006", |record| {
            record["business_details"]["website"] = json!("https://andes.example.org")
        })
        .await;
    let exported = drafts::export_draft(state, &draft.id).await.unwrap();
    let text = std::fs::read_to_string(&exported.path).unwrap();
    let file_key = serde_json::from_str::<Value>(&text).unwrap()["idempotency_key"]
        .as_str()
        .unwrap()
        .to_owned();
    drafts::delete_draft(state, &draft.id).await.unwrap();

    let report = drafts::import_draft(state, &exported.file_name, &text)
        .await
        .unwrap();
    assert_eq!(report.idempotency_key, file_key);
    let first = outbox::queue_draft(state, &report.draft.id, None)
        .await
        .unwrap();
    assert_eq!(
        first.idempotency_key, file_key,
        "queued with the file's key"
    );
    app.wait_for_state(&first.id, "sent").await;
    assert_eq!(app.applied_updates("cus_demo_0006"), 1);

    // The same file again (a colleague, another machine): one intent, not applied again.
    let report = drafts::import_draft(state, &exported.file_name, &text)
        .await
        .unwrap();
    let second = outbox::queue_draft(state, &report.draft.id, None)
        .await
        .unwrap();
    assert_ne!(second.id, first.id);
    assert_eq!(second.idempotency_key, file_key);
    app.wait_for_state(&second.id, "sent").await;
    let stats = state.sandbox().unwrap().stats();
    assert_eq!(stats.updates_for("cus_demo_0006"), 1, "applied once");
    assert!(stats.idempotent_replays >= 1);

    // Changed after the import: a new intent with a new key.
    let report = drafts::import_draft(state, &exported.file_name, &text)
        .await
        .unwrap();
    let mut record = report.draft.record.clone();
    record["business_details"]["website"] = json!("https://andes.example.net");
    let save = DraftSave {
        id: Some(report.draft.id.clone()),
        environment: "Sandbox".into(),
        target: report.draft.target.clone(),
        base: None,
        record,
        editor: None,
    };
    drafts::save_draft(state, save).await.unwrap();
    let third = outbox::queue_draft(state, &report.draft.id, None)
        .await
        .unwrap();
    assert_ne!(third.idempotency_key, file_key);
}
