//! The desktop's team mode on real parts: two app states (separate folders and keychain
//! services) signed in through the browser flow with the demo OpenID Connect provider, one team
//! server on PostgreSQL, the partner sandbox behind it. A preparer starts a team draft, edits it
//! offline and online, uploads an ID; a reviewer on the other desktop reads the document from
//! the server, decides and approves; the server sends once; both desktops read the same trail.

use std::time::Duration;

use kyb_app::state::AppState;
use kyb_app::use_cases::team::{self, sync::Pushed};
use kyb_app::use_cases::{documents, drafts, review};
use kyb_core::drafts::{Draft, DraftSave};
use kyb_core::error::ErrorKind;
use kyb_core::merge::Choice;
use kyb_core::review::Decision;
use kyb_core::team_wire::{TeamOutboxState, TeamQueue};
use kyb_sandbox::SandboxHandle;
use kyb_server::identity::OidcSettings;
use kyb_server::testing::{play_browser_sign_in, DemoProvider, TestDatabase};
use kyb_server::ServerHandle;
use serde_json::{json, Value};

use crate::common::{Options, TestApp};

const CUSTOMER: &str = "cus_demo_0002";
const TEAM_SANDBOX: &str = "Team · Sandbox";

struct Team {
    _db: TestDatabase,
    _provider: DemoProvider,
    sandbox: SandboxHandle,
    server: Option<ServerHandle>,
    config: kyb_server::config::ServerConfig,
    _folder: tempfile::TempDir,
}

impl Team {
    /// A team server with one environment, "Sandbox", that requires approval; `None` when
    /// PostgreSQL or the demo provider is not available (the test suite requires both in CI).
    async fn start() -> Option<Self> {
        let db = TestDatabase::fresh().await?;
        let provider = DemoProvider::start()?;
        let folder = tempfile::tempdir().unwrap();
        let sandbox = kyb_server::testing::partner_sandbox(&folder.path().join("sandbox"), "k-desk", "s-desk").await;
        let mut config = db.server_config();
        config.oidc = Some(OidcSettings::new(provider.issuer.clone()));
        config.outbox_interval = Some(Duration::from_millis(100));
        let server = kyb_server::start(config.clone()).await.unwrap();
        config.bind = server.addr;
        let settings = kyb_server::environments::EnvironmentSettings {
            name: "Sandbox".into(),
            base_url: sandbox.base_url(),
            requires_approval: true,
            is_production: false,
        };
        kyb_server::environments::save(&server.pool, "operator:test", &settings).await.unwrap();
        kyb_server::environments::set_credentials(&server.pool, &config.sealing_key, "operator:test", "Sandbox", "k-desk", "s-desk")
            .await
            .unwrap();
        Some(Self { _db: db, _provider: provider, sandbox, server: Some(server), config, _folder: folder })
    }

    fn url(&self) -> String {
        format!("http://{}", self.config.bind)
    }

    async fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// The server again, on the same address and database (as after a restart).
    async fn restart_server(&mut self) {
        self.server = Some(kyb_server::start(self.config.clone()).await.unwrap());
    }
}

/// A desktop connected to the team and signed in as `user` through the browser flow.
async fn desktop(team: &Team, user: &'static str) -> TestApp {
    let app = TestApp::with(Options { worker: false, profile: Some(user) }).await;
    team::connect::connect(&app.state, &team.url()).await.unwrap();
    let status = team::connect::sign_in(&app.state, |url| {
        let url = url.to_owned();
        tokio::spawn(async move { play_browser_sign_in(&url, user).await.unwrap() });
        Ok(())
    })
    .await
    .unwrap();
    assert!(status.signed_in.is_some(), "{user} is signed in: {status:?}");
    app
}

async fn edit(state: &AppState, draft: &Draft, change: impl FnOnce(&mut Value)) -> Draft {
    let mut record = draft.record.clone();
    change(&mut record);
    let save = DraftSave { id: Some(draft.id.clone()), environment: draft.environment.clone(), target: draft.target.clone(), base: None, record, editor: None };
    drafts::save_draft(state, save).await.unwrap()
}

async fn push(state: &AppState, id: &str) -> Pushed {
    let client = state.team.client().await.unwrap();
    team::sync::push_local(state, &client, id).await.unwrap()
}

fn kind(err: &kyb_app::AppError) -> ErrorKind {
    err.kind()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_prepared_on_one_desktop_is_reviewed_approved_on_another_and_sent_once_by_the_server() {
    let Some(mut team) = Team::start().await else { return };
    let olivia = desktop(&team, "olivia").await;
    if !olivia.keychain() {
        return;
    }
    let rita = desktop(&team, "rita").await;

    let status = team::team_status(&olivia.state).await.unwrap();
    let environment = status.environments.iter().find(|e| e.name == TEAM_SANDBOX).expect("the team's Sandbox");
    assert!(environment.requires_approval);

    // Olivia starts a team draft from the partner's record (fetched by the server) and edits it.
    let draft = team::drafts::start_team_draft(&olivia.state, TEAM_SANDBOX, CUSTOMER).await.unwrap();
    assert_eq!(draft.environment, TEAM_SANDBOX);
    let draft = edit(&olivia.state, &draft, |r| r["business_details"]["website"] = json!("https://team-desk.example.com")).await;
    assert!(matches!(push(&olivia.state, &draft.id).await, Pushed::Applied { version: 2 }));

    // Offline: the server stops; an edit is kept locally and pushed once it is back.
    team.stop_server().await;
    let draft = edit(&olivia.state, &draft, |r| r["primary_contact"]["contact_phone"] = json!("+442079460000")).await;
    let offline = team::sync::sync_once(&olivia.state).await.unwrap_err();
    assert_eq!(kind(&offline), ErrorKind::TeamUnreachable, "{offline}");
    assert_eq!(team::sync::pending_counts(&olivia.state).await, (1, 0));
    assert_eq!(drafts::open_draft(&olivia.state, &draft.id).await.unwrap().record, draft.record, "nothing typed is lost");
    team.restart_server().await;
    olivia.state.team.drop_client().await;
    team::sync::sync_once(&olivia.state).await.unwrap();
    assert_eq!(team::sync::pending_counts(&olivia.state).await, (0, 0));

    // An ID uploaded from the editor goes through the server; the record references it.
    let id_front = b"\x89PNG\r\n\x1a\nteam desk id front".to_vec();
    let uploaded = documents::upload_document(&olivia.state, "id-front.png", "Main page", id_front.clone()).await.unwrap();
    let draft = drafts::open_draft(&olivia.state, &draft.id).await.unwrap();
    let draft = edit(&olivia.state, &draft, |r| {
        r["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!(uploaded.file_id)
    })
    .await;
    team::sync::sync_once(&olivia.state).await.unwrap();

    // Olivia cannot approve her own change.
    let own = review::approve_draft(&olivia.state, &draft.id).await.unwrap_err();
    assert_eq!(kind(&own), ErrorKind::TeamRefused, "{own}");

    // Rita sees it waiting for her review, reads the document from the server, decides, approves.
    let waiting = team::drafts::team_drafts(&rita.state, TeamQueue::WaitingForMyReview).await.unwrap();
    let row = waiting.iter().find(|r| r.summary.target == draft.target).expect("waiting for Rita's review");
    assert_eq!(row.summary.preparers, vec!["Olivia Officer".to_owned()]);
    team::drafts::assign_to_me(&rita.state, &row.summary.id).await.unwrap();
    let copy = team::drafts::open_team_draft(&rita.state, &row.summary.id).await.unwrap();
    assert_eq!(copy.record, draft.record);
    assert_eq!(documents::read_document_copy(&rita.state, &copy.id, &uploaded.file_id).await.unwrap(), id_front);
    review::decide_document(&rita.state, &copy.id, &uploaded.file_id, Decision::Verified, Vec::new(), "").await.unwrap();
    // The documents already at the partner are hers to decide too; their bytes are not on the
    // server (the viewer offers to attach the copy she was sent).
    let referenced = kyb_core::review::referenced_documents(&copy.record);
    let at_partner: Vec<String> = referenced.iter().map(|r| r.file_id.clone()).filter(|f| *f != uploaded.file_id).collect();
    assert!(!at_partner.is_empty(), "the demo customer references documents at the partner");
    let missing = documents::read_document_copy(&rita.state, &copy.id, &at_partner[0]).await.unwrap_err();
    assert_eq!(kind(&missing), ErrorKind::DocumentCopyMissing, "{missing}");
    let early = review::approve_draft(&rita.state, &copy.id).await.unwrap_err();
    assert!(early.to_string().contains("no decision yet"), "approval waits for every document: {early}");
    for file_id in &at_partner {
        review::decide_document(&rita.state, &copy.id, file_id, Decision::Verified, Vec::new(), "").await.unwrap();
    }
    let view = review::approve_draft(&rita.state, &copy.id).await.unwrap();
    assert!(format!("{:?}", view).contains("Rita"), "the approval shows who gave it: {view:?}");
    let waiting = team::drafts::team_drafts(&rita.state, TeamQueue::WaitingForMyReview).await.unwrap();
    assert!(waiting.iter().all(|r| r.summary.id != row.summary.id), "approved: no longer waiting");

    // The exported file carries the server-signed approval and the kept trail checkpoint:
    // verifiable offline with the server's key; a hand edit of the record voids it.
    team::team_status(&olivia.state).await.unwrap();
    let exported = drafts::export_draft(&olivia.state, &draft.id).await.unwrap();
    let file: kyb_core::drafts::PortableDraft = serde_json::from_slice(&std::fs::read(&exported.path).unwrap()).unwrap();
    assert_eq!(file.signed_approvals.len(), 1, "the approval travels signed");
    assert!(file.team_checkpoint.is_some(), "the checkpoint travels");
    let key = olivia.state.team.connection().await.unwrap().server_key;
    use kyb_core::drafts::check_file_approvals;
    assert!(check_file_approvals(&file, std::slice::from_ref(&key)).iter().all(|a| a.counts()));
    let mut edited = file.clone();
    edited.record["business_details"]["website"] = json!("https://hand-edited.example.com");
    assert!(check_file_approvals(&edited, &[key]).iter().all(|a| !a.counts()), "a hand-edited file's approval does not count");

    // Olivia submits; the server sends once; both desktops see the customer's status.
    let submitted = team::review::submit(&olivia.state, &draft.id).await.unwrap();
    assert!(matches!(submitted.submission.state, TeamOutboxState::Queued | TeamOutboxState::Sending | TeamOutboxState::Sent));
    let mut seen = None;
    for _ in 0..200 {
        let view = team::review::submission(&rita.state, &copy.id).await.unwrap().expect("a submission");
        if view.submission.state == TeamOutboxState::Sent && view.customer_status.as_deref() == Some("Succeeded") {
            seen = Some(view);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seen = seen.expect("sent, and the customer settled as Succeeded");
    assert_eq!(seen.state_words, "Sent to the partner");
    let olivia_view = team::review::submission(&olivia.state, &draft.id).await.unwrap().unwrap();
    assert_eq!(olivia_view.customer_status.as_deref(), Some("Succeeded"));
    assert_eq!(team.sandbox.stats().updates_for(CUSTOMER), 1, "applied exactly once");

    // One trail, read the same from both desktops.
    let olivia_trail = team::review::trail(&olivia.state, &draft.id).await.unwrap();
    let rita_trail = team::review::trail(&rita.state, &copy.id).await.unwrap();
    assert_eq!(olivia_trail, rita_trail);
    let actions: Vec<&str> = olivia_trail.iter().map(|e| e.action.as_str()).collect();
    for action in ["draft_created", "draft_changed", "draft_assigned", "document_decided", "draft_approved"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_push_merges_others_changes_and_a_field_changed_on_both_sides_waits_for_a_choice() {
    let Some(team) = Team::start().await else { return };
    let olivia = desktop(&team, "olivia").await;
    if !olivia.keychain() {
        return;
    }
    let rex = desktop(&team, "rex").await;
    let mine = team::drafts::start_team_draft(&olivia.state, TEAM_SANDBOX, CUSTOMER).await.unwrap();
    let summary = team::drafts::team_drafts(&rex.state, TeamQueue::All).await.unwrap().remove(0);
    let theirs = team::drafts::open_team_draft(&rex.state, &summary.summary.id).await.unwrap();

    // Different fields: Rex pushes first, Olivia's push is stale and merges cleanly.
    let theirs = edit(&rex.state, &theirs, |r| r["business_details"]["website"] = json!("https://rex.example.com")).await;
    assert!(matches!(push(&rex.state, &theirs.id).await, Pushed::Applied { .. }));
    let mine = edit(&olivia.state, &mine, |r| r["primary_contact"]["contact_phone"] = json!("+442079460001")).await;
    assert_eq!(push(&olivia.state, &mine.id).await, Pushed::Merged);
    assert!(matches!(push(&olivia.state, &mine.id).await, Pushed::Applied { .. }));
    let server = rex.state.team.client().await.unwrap().draft(&summary.summary.id).await.unwrap();
    assert_eq!(server.record["business_details"]["website"], json!("https://rex.example.com"));
    assert_eq!(server.record["primary_contact"]["contact_phone"], json!("+442079460001"));

    // The same field on both sides: nothing is overwritten; the person chooses.
    team::sync::sync_once(&rex.state).await.unwrap();
    let theirs = drafts::open_draft(&rex.state, &theirs.id).await.unwrap();
    let theirs = edit(&rex.state, &theirs, |r| r["business_details"]["website"] = json!("https://rex-2.example.com")).await;
    assert!(matches!(push(&rex.state, &theirs.id).await, Pushed::Applied { .. }));
    let mine = drafts::open_draft(&olivia.state, &mine.id).await.unwrap();
    let mine = edit(&olivia.state, &mine, |r| r["business_details"]["website"] = json!("https://olivia.example.com")).await;
    assert_eq!(push(&olivia.state, &mine.id).await, Pushed::Conflict);
    assert_eq!(team::sync::pending_counts(&olivia.state).await.1, 1);
    let conflict = team::sync::team_conflict(&olivia.state, &mine.id).await.unwrap();
    let paths: Vec<&str> = conflict.conflicts.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, vec!["business_details.website"]);
    assert_eq!(drafts::open_draft(&olivia.state, &mine.id).await.unwrap().record, mine.record, "the local edit is kept");
    let choices = [("business_details.website".to_owned(), Choice::Mine)].into_iter().collect();
    team::sync::resolve_team_conflict(&olivia.state, &mine.id, choices).await.unwrap();
    let server = rex.state.team.client().await.unwrap().draft(&summary.summary.id).await.unwrap();
    assert_eq!(server.record["business_details"]["website"], json!("https://olivia.example.com"));
    assert_eq!(team::sync::pending_counts(&olivia.state).await, (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn renewals_at_the_same_moment_share_one_token_and_keep_the_sign_in() {
    let Some(team) = Team::start().await else { return };
    let olivia = desktop(&team, "olivia").await;
    if !olivia.keychain() {
        return;
    }
    // The sync and a person's action both need a token at once: the provider rotates the refresh
    // token, so a second renewal with the spent one would end the sign-in.
    for _ in 0..3 {
        olivia.state.team.drop_client().await;
        let calls = (0..6).map(|_| {
            let state = olivia.state.clone();
            tokio::spawn(async move { state.team.client().await.map(|_| ()) })
        });
        for call in futures_join(calls).await {
            call.expect("a renewal");
        }
    }
    let status = team::team_status(&olivia.state).await.unwrap();
    assert!(status.signed_in.is_some() && status.problem.is_none(), "still signed in: {status:?}");
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap());
    }
    out
}
