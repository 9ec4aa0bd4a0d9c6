//! Fail closed: a person's action takes effect only after its audit entry is written; the worker
//! sends only what the trail shows as queued; credentials belong to the URL they were given for.

use std::time::Duration;

use kyb_app::use_cases::review;
use kyb_app::use_cases::{outbox, profiles, session};
use kyb_app::worker::NOT_IN_TRAIL;
use kyb_app::ErrorKind;
use kyb_core::audit::{AuditEvent, AuditFilter};
use kyb_core::environments::EnvironmentInput;
use kyb_core::outbox::OutboxState;
use kyb_core::review::Decision;
use serde_json::json;

use crate::common::{Options, TestApp, OFFICER};

const REVIEWER: &str = "Rita Reviewer";

/// The audit log made unwritable, even for root: its file replaced by a folder. Undone on drop.
struct UnwritableTrail {
    log: std::path::PathBuf,
    aside: std::path::PathBuf,
}

impl UnwritableTrail {
    fn new(app: &TestApp) -> Self {
        let log = app.state.drafts().expect("drafts").audit.path().to_owned();
        let aside = log.with_extension("aside");
        // The log file exists once something was recorded.
        if log.exists() {
            std::fs::rename(&log, &aside).expect("log set aside");
        }
        std::fs::create_dir(&log).expect("a folder where the log was");
        Self { log, aside }
    }
}

impl Drop for UnwritableTrail {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir(&self.log);
        let _ = std::fs::rename(&self.aside, &self.log);
    }
}

async fn app() -> Option<TestApp> {
    let app = TestApp::with(Options::default()).await;
    app.keychain().then_some(app)
}

fn trail(app: &TestApp) -> Vec<AuditEvent> {
    let audit = app.state.drafts().unwrap().audit.clone();
    audit.entries(&AuditFilter::default()).unwrap().into_iter().map(|entry| entry.event).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_queued_when_the_trail_cannot_be_written() {
    let Some(app) = app().await else { return };
    let draft = app.draft_with("cus_demo_0003", |record| record["business_details"]["website"] = json!("https://fail-closed.example.jp")).await;
    {
        let _unwritable = UnwritableTrail::new(&app);
        let refused = outbox::queue_draft(&app.state, &draft.id, None).await.expect_err("refused");
        assert_eq!(refused.kind(), ErrorKind::Internal, "{refused}");
        assert!(outbox::outbox_status(&app.state).await.unwrap().entries.is_empty(), "nothing queued");
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    assert_eq!(app.applied_updates("cus_demo_0003"), 0, "nothing reached the partner");
    assert!(!trail(&app).iter().any(|e| matches!(e, AuditEvent::SubmissionQueued { .. })));

    // With the trail back, the same draft queues and is sent, and its queueing is in the trail.
    let entry = outbox::queue_draft(&app.state, &draft.id, None).await.unwrap();
    app.wait_for_state(&entry.id, "sent").await;
    assert_eq!(app.applied_updates("cus_demo_0003"), 1);
    assert!(trail(&app).iter().any(|e| matches!(e, AuditEvent::SubmissionQueued { outbox_entry, .. } if *outbox_entry == entry.id)));
}

#[tokio::test(flavor = "multi_thread")]
async fn decisions_confirmations_and_approvals_are_not_saved_without_their_trail_entry() {
    let Some(app) = app().await else { return };
    let draft = app.draft_with("cus_demo_0002", |record| record["business_details"]["website"] = json!("https://nordlicht-fc.example.de")).await;
    assert_eq!(draft.review.editors, [OFFICER]);
    profiles::choose_profile(&app.state, REVIEWER).await.unwrap();
    let file_id = review::review_status(&app.state, &draft.id).await.unwrap().documents[0].reference.file_id.clone();
    let before = trail(&app).len();
    {
        let _unwritable = UnwritableTrail::new(&app);
        let decided = review::decide_document(&app.state, &draft.id, &file_id, Decision::Verified, vec![], "").await;
        assert!(decided.is_err(), "decision refused");
        let confirmed =
            review::confirm_identifier(&app.state, &draft.id, "business_details.business_identifier_number", true).await;
        assert!(confirmed.is_err(), "confirmation refused");
        assert!(review::approve_draft(&app.state, &draft.id).await.is_err(), "approval refused");
    }
    let view = review::review_status(&app.state, &draft.id).await.unwrap();
    assert!(view.documents.iter().all(|d| d.decision.is_none()), "no decision saved");
    assert!(view.matches.is_empty(), "no confirmation saved");
    assert!(!matches!(view.approval, kyb_core::review::ApprovalState::Valid { .. }), "no approval saved");
    assert_eq!(trail(&app).len(), before, "and nothing in the trail");

    // Back to normal: the decision is saved after its entry.
    review::decide_document(&app.state, &draft.id, &file_id, Decision::Verified, vec![], "").await.unwrap();
    assert!(matches!(trail(&app).last(), Some(AuditEvent::DocumentDecided { .. })));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_does_not_send_an_entry_whose_queueing_is_not_in_the_trail() {
    let Some(app) = app().await else { return };
    let draft = app.draft_with("cus_demo_0003", |record| record["business_details"]["website"] = json!("https://unaudited.example.jp")).await;
    // Written straight into the outbox, as a hand-made or restored file would be.
    let home = app.state.drafts().unwrap().clone();
    let entry = home.outbox.enqueue(&draft).unwrap();
    app.state.worker().wake();
    let stopped = app.wait_for_state(&entry.id, "failed").await;
    let OutboxState::Failed { error } = &stopped.state else { unreachable!() };
    assert_eq!((error.kind, error.message.as_str()), (ErrorKind::Internal, NOT_IN_TRAIL));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.applied_updates("cus_demo_0003"), 0, "never sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_an_environments_url_removes_its_credentials() {
    let Some(app) = app().await else { return };
    let input = |base_url: String, colour: &str| EnvironmentInput {
        name: "Other".into(),
        base_url,
        colour: colour.into(),
        is_production: false,
        requires_approval: Some(false),
    };
    session::save_environment(&app.state, input(app.sandbox_url(), "#2e7d32")).await.unwrap();
    app.demo_credentials("Other").await;
    let has = |session: &kyb_app::state::Session| session.environments.iter().find(|e| e.name == "Other").unwrap().has_credentials;
    assert!(has(&session::get_session(&app.state).await.unwrap()));

    // Same URL, another colour: the credentials stay.
    let same = session::save_environment(&app.state, input(app.sandbox_url(), "#1565c0")).await.unwrap();
    assert!(has(&same));
    // Another URL: they are gone from the keychain, and the client asks for them again.
    let moved = session::save_environment(&app.state, input("http://127.0.0.1:9/".into(), "#1565c0")).await.unwrap();
    assert!(!has(&moved), "credentials removed with the URL change");
    session::select_environment(&app.state, "Other").await.unwrap();
    let err = app.state.active_client().await.expect_err("no credentials");
    assert_eq!(err.kind(), ErrorKind::CredentialsMissing);
}
