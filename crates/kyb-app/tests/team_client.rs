//! The typed team client against a real team server (PostgreSQL, the demo OpenID Connect
//! provider, the partner sandbox): every answer reads into the wire contract, a stale push is
//! `TeamError::Stale`, refusals carry a typed kind, documents go up streamed and come back checked.

use std::time::Duration;

use serde_json::json;

use kyb_app::team::{TeamClient, TeamConnection, TeamError, TeamOutboxState, TeamQueue, TeamRefusalKind};
use kyb_core::drafts::DraftTarget;
use kyb_core::model::FileType;
use kyb_core::review::{Decision, DecisionReason};
use kyb_server::identity::OidcSettings;
use kyb_server::testing::{DemoProvider, TestDatabase};

const ENVIRONMENT: &str = "Partner sandbox";

#[tokio::test(flavor = "multi_thread")]
async fn the_typed_client_walks_a_draft_from_start_to_sent() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let Some(provider) = DemoProvider::start() else { return };
    let folder = tempfile::tempdir().unwrap();
    let sandbox = kyb_server::testing::partner_sandbox(&folder.path().join("sandbox"), "team-key", "team-secret").await;
    let mut config = db.server_config();
    config.oidc = Some(OidcSettings::new(provider.issuer.clone()));
    config.outbox_interval = Some(Duration::from_millis(100));
    let server = kyb_server::start(config).await.unwrap();
    let connection = TeamConnection::discover(&server.base_url()).await.unwrap();
    let client = |token: String| TeamClient::with_access_token(&connection, token);
    let olivia = client(provider.device_sign_in("olivia").await.unwrap().access_token);
    let rita = client(provider.device_sign_in("rita").await.unwrap().access_token);
    let ada = client(provider.device_sign_in("ada").await.unwrap().access_token);
    let settings = json!({"name": ENVIRONMENT, "base_url": sandbox.base_url(), "requires_approval": true, "is_production": false});
    let _: serde_json::Value = ada.call(reqwest::Method::PUT, "/api/environments/Partner%20sandbox", Some(&settings)).await.unwrap();
    let credentials = json!({"api_key": "team-key", "api_secret": "team-secret"});
    let _: serde_json::Value = ada.call(reqwest::Method::PUT, "/api/environments/Partner%20sandbox/credentials", Some(&credentials)).await.unwrap();

    let environments = olivia.environments().await.unwrap();
    assert_eq!((environments[0].name.as_str(), environments[0].has_credentials), (ENVIRONMENT, true));
    let current = olivia.partner_customer(ENVIRONMENT, "cus_demo_0002").await.unwrap();
    assert_eq!(current.customer.customer_id, "cus_demo_0002");
    let mut record = current.record.clone();
    record["business_details"]["website"] = json!("https://typed-client.example.com");
    let target = DraftTarget::Update { customer_id: "cus_demo_0002".into() };
    let draft = olivia.create_draft(ENVIRONMENT, &target, &current.record, &record, "typed-client-create").await.unwrap();
    assert_eq!(draft.preparers, ["olivia"]);
    let again = olivia.create_draft(ENVIRONMENT, &target, &current.record, &record, "typed-client-create").await.unwrap();
    assert_eq!(again.id, draft.id, "the same key answers the same draft");

    // A push from an old version is Stale with the current version.
    record["business_details"]["website"] = json!("https://typed-client-2.example.com");
    let draft = olivia.push_draft(&draft.id, draft.version, &record, "typed-client-push-1").await.unwrap();
    match olivia.push_draft(&draft.id, draft.version - 1, &record, "typed-client-push-2").await {
        Err(TeamError::Stale { current_version }) => assert_eq!(current_version, draft.version),
        other => panic!("expected Stale, got {other:?}"),
    }

    // A document streamed from a file, read back checked against its hash.
    let path = folder.path().join("front.png");
    let bytes = kyb_sandbox::demo::id_card_png(5, false);
    std::fs::write(&path, &bytes).unwrap();
    let document = olivia.upload_document(&draft.id, "front.png", FileType::MainPage, &path).await.unwrap();
    assert_eq!((document.file_type, document.size, document.uploaded_by.as_str()), (FileType::MainPage, bytes.len() as i64, "Olivia Officer"));
    assert_eq!(rita.read_document(&draft.id, &document.file_id).await.unwrap(), bytes);
    let listed = rita.documents(&draft.id).await.unwrap();
    assert_eq!(listed[0], document);
    // The documents the record references at the partner are listed for their decisions, without bytes.
    let at_partner: Vec<&str> = listed[1..].iter().filter(|d| !d.held).map(|d| d.file_id.as_str()).collect();
    assert_eq!(at_partner.len(), listed.len() - 1, "{listed:?}");

    // Refusals carry their kind and field as types.
    match rita.decide_document(&draft.id, &document.file_id, Decision::Rejected, None, None).await {
        Err(TeamError::Refused { kind: TeamRefusalKind::InvalidInput, field: Some(field), .. }) => assert_eq!(field, "reason"),
        other => panic!("expected a refusal naming the reason, got {other:?}"),
    }
    match olivia.decide_document(&draft.id, &document.file_id, Decision::Verified, None, None).await {
        Err(TeamError::Refused { kind: TeamRefusalKind::Forbidden, status: 403, .. }) => {}
        other => panic!("expected forbidden, got {other:?}"),
    }
    let decided =
        rita.decide_document(&draft.id, &document.file_id, Decision::NeedsReupload, Some(DecisionReason::Illegible), Some("blurred")).await.unwrap();
    assert_eq!(decided.decision.map(|d| (d.decision, d.reason)), Some((Decision::NeedsReupload, Some(DecisionReason::Illegible))));
    assert!(matches!(
        rita.approve(&draft.id, draft.version, &draft.change_hash).await,
        Err(TeamError::Refused { kind: TeamRefusalKind::InvalidInput, field: Some(ref field), .. }) if field == "documents"
    ));
    rita.decide_document(&draft.id, &document.file_id, Decision::Verified, None, None).await.unwrap();
    for file_id in &at_partner {
        rita.decide_document(&draft.id, file_id, Decision::Verified, None, None).await.unwrap();
    }

    // Rita's queue, her assignment and presence; her approval.
    let waiting = rita.list_drafts(TeamQueue::WaitingForMyReview).await.unwrap();
    assert_eq!(waiting.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), [draft.id.as_str()]);
    let assigned = rita.assign_to_me(&draft.id).await.unwrap();
    assert_eq!(assigned.assigned_to.as_deref(), Some("Rita Reviewer"));
    rita.working_on(&draft.id).await.unwrap();
    let mine = rita.list_drafts(TeamQueue::Mine).await.unwrap();
    assert_eq!(mine[0].working_now, ["Rita Reviewer"]);
    let approved = rita.approve(&draft.id, draft.version, &draft.change_hash).await.unwrap();
    assert_eq!(approved.approved_by, ["rita"]);
    assert!(rita.list_drafts(TeamQueue::WaitingForMyReview).await.unwrap().is_empty());

    // Submitted and sent; the trail tells the story by name.
    assert_eq!(olivia.submission(&draft.id).await.unwrap(), None);
    let queued = olivia.submit(&draft.id, approved.version).await.unwrap();
    let mut latest = queued.clone();
    for _ in 0..200 {
        latest = olivia.submission(&draft.id).await.unwrap().unwrap();
        if latest.state.is_settled() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!((latest.outbox_id, latest.state), (queued.outbox_id, TeamOutboxState::Sent));
    let trail = olivia.trail(Some(&draft.id)).await.unwrap();
    let actions: Vec<(&str, &str)> = trail.iter().map(|e| (e.actor.as_str(), e.action.as_str())).collect();
    assert_eq!(actions.first(), Some(&("Olivia Officer", "draft_created")));
    assert_eq!(actions.last(), Some(&("Olivia Officer", "submission_queued")));
    assert!(actions.contains(&("Rita Reviewer", "document_decided")) && actions.contains(&("Rita Reviewer", "draft_approved")));
    assert!(olivia.trail(None).await.unwrap().len() > trail.len());
    server.shutdown().await;
}
