//! Settings: a partner profile per environment (refused with its report, accepted: pickers,
//! validation and the built-in sandbox follow it, and the audit trail has the change first), and
//! "Test connection" against the real in-process sandbox.

use kyb_app::use_cases::connection::{test_connection, ConnectionOutcome};
use kyb_app::use_cases::partner_profile::{
    import_partner_profile, partner_profile, reference_data, reset_partner_profile, validate_record,
};
use kyb_app::use_cases::session;
use kyb_app::{AppError, ErrorKind};
use kyb_core::audit::{AuditEvent, AuditFilter};
use kyb_core::environments::SANDBOX_NAME;
use kyb_core::validation::{IssueCode, IssueSource};

use crate::common::{expect_err, TestApp};

/// Every entry of the app's audit trail, oldest first.
fn trail(app: &TestApp) -> Vec<kyb_core::audit::AuditEntry> {
    app.state
        .drafts()
        .unwrap()
        .audit
        .entries(&AuditFilter::default())
        .unwrap()
}

const ACME: &str = r#"{
  "format": "kyb-desk-partner-profile", "version": 1, "name": "ACME", "revision": 3,
  "enumerations": {"business_type": {"values": ["Limited Liability Company", "Corporation"], "closed": true}}
}"#;

async fn app() -> Option<TestApp> {
    let app = TestApp::new().await;
    if app.keychain() {
        Some(app)
    } else {
        // No keychain, no audit trail: a policy change is refused rather than unrecorded.
        let refused = import_partner_profile(&app.state, SANDBOX_NAME, ACME).await;
        expect_err(refused, ErrorKind::KeychainUnavailable);
        None
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_with_problems_is_refused_with_every_problem_and_changes_nothing() {
    let Some(app) = app().await else { return };
    let bad = r#"{"format": "kyb-desk-partner-profile", "version": 7, "name": "ACME", "revision": 1, "colour": "red",
                  "enumerations": {"id_type": {"values": []}}}"#;
    let answer = import_partner_profile(&app.state, SANDBOX_NAME, bad)
        .await
        .unwrap();
    assert!(!answer.accepted);
    let paths: Vec<&str> = answer.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["colour", "version", "enumerations.id_type.values"]
    );
    assert!(answer.active.built_in);
    assert!(reference_data(&app.state).await.partner_profile.built_in);
    let trail = trail(&app);
    assert!(trail
        .iter()
        .all(|e| !matches!(e.event, AuditEvent::PartnerProfileChanged { .. })));
    let unknown = import_partner_profile(&app.state, "Nowhere", ACME).await;
    expect_err(unknown, ErrorKind::InvalidInput);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_accepted_profile_drives_pickers_validation_and_the_sandbox_after_its_audit_entry() {
    let Some(app) = app().await else { return };
    let answer = import_partner_profile(&app.state, SANDBOX_NAME, ACME)
        .await
        .unwrap();
    assert!(answer.accepted, "{:?}", answer.problems);
    assert_eq!(
        (answer.active.name.as_str(), answer.active.revision),
        ("ACME", 3)
    );
    assert_eq!(answer.active.closed_lists, vec!["business_type".to_owned()]);

    let reference = reference_data(&app.state).await;
    assert_eq!(
        reference.business_types,
        vec!["Limited Liability Company", "Corporation"]
    );
    assert_eq!(reference.partner_profile.name, "ACME");

    let record = serde_json::json!({"business_details": {"business_type": "Trust"}});
    let issues = validate_record(&app.state, &record, None).await;
    let refusal = issues
        .iter()
        .find(|i| i.path == "business_details.business_type")
        .expect("business_type refused");
    assert_eq!(
        (refusal.code, refusal.source),
        (IssueCode::NotInList, IssueSource::Partner)
    );
    assert!(
        refusal.message.contains("(profile ACME v3)"),
        "{}",
        refusal.message
    );
    let sandbox = app.state.sandbox().expect("the built-in sandbox runs");
    assert_eq!(sandbox.partner_profile().label(), "ACME v3");

    let trail = trail(&app);
    let change = trail
        .iter()
        .find(|e| matches!(e.event, AuditEvent::PartnerProfileChanged { .. }));
    let change = change.expect("the change is in the audit trail");
    assert_eq!(change.environment, SANDBOX_NAME);
    assert_eq!(
        change.event,
        AuditEvent::PartnerProfileChanged {
            from: "KYB Desk built-in v1".into(),
            to: "ACME v3".into()
        }
    );

    // Kept across a restart (environments.json), then back to the built-in one.
    let mut app = app;
    app.restart(Default::default()).await;
    assert_eq!(
        partner_profile(&app.state, SANDBOX_NAME)
            .await
            .unwrap()
            .name,
        "ACME"
    );
    assert_eq!(
        app.state.sandbox().unwrap().partner_profile().label(),
        "ACME v3"
    );
    let back = reset_partner_profile(&app.state, SANDBOX_NAME)
        .await
        .unwrap();
    assert!(back.built_in);
    assert!(validate_record(&app.state, &record, None)
        .await
        .iter()
        .all(|i| i.code != IssueCode::NotInList));
    assert!(app.state.sandbox().unwrap().partner_profile().is_built_in());
}

#[tokio::test(flavor = "multi_thread")]
async fn test_connection_says_whether_the_partner_accepts_the_credentials() {
    let app = TestApp::new().await;
    let sandbox = test_connection(&app.state, SANDBOX_NAME).await.unwrap();
    assert_eq!(
        sandbox.outcome,
        ConnectionOutcome::CredentialsAccepted,
        "{}",
        sandbox.message
    );
    assert!(
        sandbox.message.starts_with("Connected to 127.0.0.1:"),
        "{}",
        sandbox.message
    );

    // The same sandbox as a stored environment, with a key it does not know.
    app.add_environment("Other", false).await;
    if app.keychain() {
        session::set_credentials(&app.state, "Other", "wrong-key", "wrong-secret")
            .await
            .unwrap();
        let refused = test_connection(&app.state, "Other").await.unwrap();
        assert_eq!(
            refused.outcome,
            ConnectionOutcome::CredentialsRefused,
            "{}",
            refused.message
        );
        assert!(
            refused
                .message
                .contains("refused the API key and secret (HTTP 401)"),
            "{}",
            refused.message
        );
        app.demo_credentials("Other").await;
        let accepted = test_connection(&app.state, "Other").await.unwrap();
        assert_eq!(
            accepted.outcome,
            ConnectionOutcome::CredentialsAccepted,
            "{}",
            accepted.message
        );
    } else {
        let missing = test_connection(&app.state, "Other").await;
        assert!(missing.is_err() || missing.unwrap().outcome == ConnectionOutcome::NoCredentials);
    }
    expect_err(
        test_connection(&app.state, "Nowhere").await,
        ErrorKind::InvalidInput,
    );
}

/// Queueing checks the draft with its environment's profile (the outbox's own check knows only
/// the built-in lists): a value outside a closed list is `invalid_record` and nothing is queued;
/// back on the built-in profile the same draft queues.
#[tokio::test(flavor = "multi_thread")]
async fn queueing_checks_the_draft_with_its_environments_profile() {
    let Some(app) = app().await else { return };
    assert!(import_partner_profile(&app.state, SANDBOX_NAME, ACME).await.unwrap().accepted);
    let draft = app
        .draft_with("cus_demo_0001", |record| {
            record["business_details"]["business_type"] = serde_json::json!("Trust");
        })
        .await;
    let refused = expect_err(
        kyb_app::use_cases::outbox::queue_draft(&app.state, &draft.id, None).await,
        ErrorKind::InvalidRecord,
    );
    let AppError::InvalidRecord { issues } = refused else { panic!("not invalid_record: {refused:?}") };
    assert!(
        issues.iter().any(|i| i.path == "business_details.business_type" && i.code == IssueCode::NotInList),
        "{issues:?}"
    );
    let outbox = app.state.drafts().unwrap().outbox.entries().unwrap();
    assert!(outbox.is_empty(), "nothing queued: {outbox:?}");

    reset_partner_profile(&app.state, SANDBOX_NAME).await.unwrap();
    kyb_app::use_cases::outbox::queue_draft(&app.state, &draft.id, None)
        .await
        .expect("queued with the built-in profile");
}
