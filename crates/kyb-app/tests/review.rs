//! The reviewer workflow as use cases, against the real in-process sandbox and a real keychain:
//! profiles, documents and local copies, decisions, four-eyes approval bound to the diff, an
//! environment that requires approval, an approval in an exported file not counting, the hash-chained
//! audit trail (and tampering with it), the case report.

use std::time::Duration;

use kyb_app::state::DEMO_CUSTOMER_WITHOUT_COPIES;
use kyb_app::use_cases::audit::{self, AuditView};
use kyb_app::use_cases::review::{self, ReviewView};
use kyb_app::use_cases::{documents, drafts, outbox, profiles, session};
use kyb_app::{AppState, ErrorKind};
use kyb_core::audit::AuditFilter;
use kyb_core::environments::EnvironmentInput;
use kyb_core::review::{ApprovalState, Decision, DecisionReason, DocumentKind};
use kyb_core::vault::{CopyOrigin, Preview};
use serde_json::{json, Value};

use crate::common::{
    expect_err, expect_invalid, json_of, page_record, png_bytes, wait_until, Options, TestApp,
    OFFICER,
};

const REVIEWER: &str = "Rita Reviewer";

async fn app_with(options: Options) -> Option<TestApp> {
    let app = TestApp::with(options).await;
    if app.keychain() {
        Some(app)
    } else {
        let result = review::review_status(&app.state, "u-00000000000000000000000000000000").await;
        expect_err(result, ErrorKind::KeychainUnavailable);
        None
    }
}

async fn act_as(state: &AppState, name: &str) {
    let view = profiles::choose_profile(state, name).await.unwrap();
    assert_eq!(view.active.as_deref(), Some(name));
}

/// An environment on this app's sandbox that requires approval (not production, so no typed
/// confirmation), with the sandbox's demo credentials, made active.
async fn approval_environment(app: &TestApp) {
    let input = EnvironmentInput {
        name: "Other".into(),
        base_url: app.sandbox_url(),
        colour: "#2e7d32".into(),
        is_production: false,
        requires_approval: Some(true),
    };
    session::save_environment(&app.state, input).await.unwrap();
    app.demo_credentials("Other").await;
    session::select_environment(&app.state, "Other")
        .await
        .unwrap();
}

/// Decide every document Verified and confirm every identifier number, as the active profile.
async fn review_everything(state: &AppState, draft_id: &str) -> ReviewView {
    let view = review::review_status(state, draft_id).await.unwrap();
    for doc in &view.documents {
        review::decide_document(
            state,
            draft_id,
            &doc.reference.file_id,
            Decision::Verified,
            vec![],
            "",
        )
        .await
        .unwrap();
    }
    let mut view = review::review_status(state, draft_id).await.unwrap();
    for item in view.checklist.items.clone() {
        if let Some(path) = item.id.strip_prefix("identifier_matches:") {
            view = review::confirm_identifier(state, draft_id, path, true)
                .await
                .unwrap();
        }
    }
    view
}

fn filter(customer: Option<&str>, types: &[&str]) -> AuditFilter {
    AuditFilter {
        customer: customer.map(str::to_owned),
        types: types.iter().map(|t| t.to_string()).collect(),
        ..AuditFilter::default()
    }
}

async fn trail(state: &AppState, customer: Option<&str>, types: &[&str]) -> AuditView {
    audit::audit_log(state, filter(customer, types))
        .await
        .unwrap()
}

/// The type of an audit event, as the trail names it.
fn event_type(event: &kyb_core::audit::AuditEvent) -> String {
    json_of(event)["type"]
        .as_str()
        .expect("a typed event")
        .to_owned()
}

fn event_types(view: &AuditView) -> Vec<String> {
    // Oldest first, for reading the story.
    view.entries
        .iter()
        .rev()
        .map(|e| event_type(&e.event))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_are_chosen_created_and_validated() {
    let Some(app) = app_with(Options {
        profile: None,
        ..Options::default()
    })
    .await
    else {
        return;
    };
    let state = &app.state;
    assert_eq!(profiles::get_profiles(state).await.unwrap().active, None);
    // Nothing is queued or approved by nobody.
    let draft = app
        .draft_with("cus_demo_0002", |r| {
            r["business_details"]["website"] = json!("https://n.example.de")
        })
        .await;
    assert!(draft.review.editors.is_empty(), "no profile, no preparer");
    expect_err(
        outbox::queue_draft(state, &draft.id, None).await,
        ErrorKind::NoProfile,
    );
    expect_err(
        review::approve_draft(state, &draft.id).await,
        ErrorKind::NoProfile,
    );

    expect_invalid(profiles::choose_profile(state, "   ").await, "name");
    expect_invalid(
        profiles::choose_profile(state, &"x".repeat(65)).await,
        "name",
    );
    expect_invalid(profiles::choose_profile(state, "Ana\u{7}").await, "name");

    act_as(state, "Ana Lima").await;
    let view = profiles::choose_profile(state, "  ana   LIMA ")
        .await
        .unwrap();
    assert_eq!(
        view.active.as_deref(),
        Some("Ana Lima"),
        "an existing profile keeps its spelling"
    );
    assert_eq!(view.profiles.len(), 1);
    act_as(state, REVIEWER).await;
    let view = profiles::get_profiles(state).await.unwrap();
    assert_eq!(view.last.as_deref(), Some(REVIEWER));
    assert_eq!(view.profiles.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_profile_chosen_last_acts_again_after_a_restart() {
    let nobody = Options {
        worker: false,
        profile: None,
    };
    let mut app = TestApp::with(nobody).await;
    assert_eq!(profiles::get_profiles(&app.state).await.unwrap().active, None);
    act_as(&app.state, "Ana Lima").await;
    act_as(&app.state, REVIEWER).await;

    app.restart(nobody).await;
    assert_eq!(app.state.profile(), None, "nobody acts before start-up asks");
    let view = profiles::get_profiles(&app.state).await.unwrap();
    assert_eq!(view.active.as_deref(), Some(REVIEWER), "the last chosen acts again");
    assert_eq!(app.state.require_profile().unwrap(), REVIEWER);
    // Still switchable, and the switch is what the next start resumes.
    act_as(&app.state, "Ana Lima").await;
    app.restart(nobody).await;
    let view = profiles::get_profiles(&app.state).await.unwrap();
    assert_eq!(view.active.as_deref(), Some("Ana Lima"));
}

#[tokio::test(flavor = "multi_thread")]
async fn preparer_and_reviewer_four_eyes_from_edit_to_sent_with_an_intact_trail() {
    let Some(app) = app_with(Options::default()).await else {
        return;
    };
    let state = &app.state;
    approval_environment(&app).await;

    // The officer prepares a change, with a newly uploaded ID front for the representative.
    let loaded = app.open("cus_demo_0002").await;
    let uploaded = documents::upload_document(state, "vogel-front.png", "Main page", png_bytes())
        .await
        .unwrap();
    let new_front = uploaded.file_id.clone();
    let mut record = page_record(&loaded);
    record["business_details"]["website"] = json!("https://nordlicht.example.de");
    record["business_person_list"][0]["identification"]["id_document_front_file_id"] =
        json!(new_front);
    let draft = drafts::save_draft(state, app.update_save(&loaded, &record).await)
        .await
        .unwrap();
    assert_eq!(draft.review.editors, [OFFICER]);
    let draft_id = draft.id.as_str();

    // The uploaded file has a local copy; the others of this customer are demo copies (or none yet).
    let view = review::review_status(state, draft_id).await.unwrap();
    assert_eq!(
        view.documents.len(),
        4,
        "two company documents, ID front and back: {view:?}"
    );
    let front = view
        .documents
        .iter()
        .find(|d| d.reference.file_id == new_front)
        .unwrap();
    assert_eq!(front.reference.kind, DocumentKind::IdFront);
    assert_eq!(front.reference.person, Some(0));
    let copy = front.copy.as_ref().expect("a local copy");
    assert_eq!(
        (copy.origin, copy.preview),
        (CopyOrigin::Uploaded, Preview::Image)
    );
    assert_eq!(copy.added_by, OFFICER);
    assert!(front
        .reference
        .supports
        .iter()
        .any(|s| s == "business_person_list[0].identification.id_number"));
    assert_eq!(
        documents::read_document_copy(state, draft_id, &new_front)
            .await
            .unwrap(),
        png_bytes()
    );

    // Four-eyes: the preparer can neither decide nor approve; the environment refuses the queue.
    let decided =
        review::decide_document(state, draft_id, &new_front, Decision::Verified, vec![], "").await;
    expect_err(decided, ErrorKind::SelfApproval);
    expect_err(
        review::approve_draft(state, draft_id).await,
        ErrorKind::SelfApproval,
    );
    let refused = expect_err(
        outbox::queue_draft(state, draft_id, None).await,
        ErrorKind::ApprovalRequired,
    );
    assert_eq!(refused.body().environment.as_deref(), Some("Other"));

    // The reviewer decides: a rejection needs a reason, "other" a note.
    act_as(state, REVIEWER).await;
    let no_reason =
        review::decide_document(state, draft_id, &new_front, Decision::Rejected, vec![], "").await;
    expect_invalid(no_reason, "reasons");
    let no_note = review::decide_document(
        state,
        draft_id,
        &new_front,
        Decision::NeedsReupload,
        vec![DecisionReason::Other],
        " ",
    )
    .await;
    expect_invalid(no_note, "note");
    let elsewhere = review::decide_document(
        state,
        draft_id,
        "file_not_in_this_record",
        Decision::Verified,
        vec![],
        "",
    )
    .await;
    expect_invalid(elsewhere, "file_id");
    let reasons = vec![DecisionReason::Illegible];
    let view = review::decide_document(
        state,
        draft_id,
        &new_front,
        Decision::NeedsReupload,
        reasons,
        "glare over the number",
    )
    .await
    .unwrap();
    let blocker = view.approve_blocker.as_ref().expect("approval blocked");
    assert_eq!(blocker.kind, ErrorKind::ChecklistIncomplete, "{view:?}");
    expect_err(
        review::approve_draft(state, draft_id).await,
        ErrorKind::ChecklistIncomplete,
    );

    // Every document verified and every number confirmed: the checklist is complete.
    let view = review_everything(state, draft_id).await;
    assert!(view.checklist.complete, "{:?}", view.checklist);
    assert!(view.approve_blocker.is_none(), "{view:?}");
    let approved = review::approve_draft(state, draft_id).await.unwrap();
    let ApprovalState::Valid { approval } = &approved.approval else {
        panic!("not approved: {:?}", approved.approval)
    };
    assert_eq!(approval.approver, REVIEWER);
    assert_eq!(approval.diff_hash, approved.diff_hash);

    // Any change voids the approval; the trail says so; a new approval is needed.
    act_as(state, OFFICER).await;
    let mut changed = record.clone();
    changed["business_details"]["website"] = json!("https://nordlicht.example.com");
    let saved = drafts::save_draft(state, app.update_save(&loaded, &changed).await)
        .await
        .unwrap();
    assert!(saved.review.approval.is_none(), "{saved:?}");
    assert_eq!(
        review::review_status(state, draft_id)
            .await
            .unwrap()
            .approval,
        ApprovalState::None
    );
    expect_err(
        outbox::queue_draft(state, draft_id, None).await,
        ErrorKind::ApprovalRequired,
    );
    act_as(state, REVIEWER).await;
    review::approve_draft(state, draft_id).await.unwrap();

    // Queued by the preparer with the approval; sent once; the status settles.
    act_as(state, OFFICER).await;
    let entry = outbox::queue_draft(state, draft_id, None).await.unwrap();
    assert_eq!(entry.queued_by.as_deref(), Some(OFFICER));
    assert_eq!(
        entry.approval.as_ref().map(|a| a.approver.as_str()),
        Some(REVIEWER)
    );
    app.wait_for_state(&entry.id, "sent").await;
    wait_until(
        "the status to settle in the trail",
        Duration::from_secs(20),
        || async {
            event_types(&trail(state, Some("cus_demo_0002"), &[]).await)
                .contains(&"status_changed".to_owned())
        },
    )
    .await;

    let view = trail(state, Some("cus_demo_0002"), &[]).await;
    assert!(view.chain.intact, "{:?}", view.chain);
    let types = event_types(&view);
    for expected in [
        "approval_refused",
        "document_decided",
        "identifier_confirmed",
        "approval_granted",
        "approval_voided",
        "submission_queued",
        "submission_sent",
        "status_changed",
    ] {
        assert!(
            types.contains(&expected.to_owned()),
            "{expected} in {types:?}"
        );
    }
    let queued = view
        .entries
        .iter()
        .find(|e| event_type(&e.event) == "submission_queued")
        .unwrap();
    assert_eq!(queued.actor, OFFICER);
    assert_eq!(queued.environment, "Other");
    let queued_event = json_of(&queued.event);
    let website = queued_event["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "business_details.website")
        .expect("field old → new");
    assert_eq!(website["before"], "https://nordlicht-logistik.example.com");
    assert_eq!(website["after"], "https://nordlicht.example.com");
    let sent = view
        .entries
        .iter()
        .find(|e| event_type(&e.event) == "submission_sent")
        .unwrap();
    assert_eq!(
        json_of(&sent.event)["status"],
        "Processing",
        "the server's answer: {sent:?}"
    );
    let decided = trail(state, Some("cus_demo_0002"), &["document_decided"]).await;
    assert!(
        !decided.entries.is_empty()
            && decided
                .entries
                .iter()
                .all(|e| event_type(&e.event) == "document_decided")
    );
    assert!(view.customers.iter().any(|c| c == "cus_demo_0002"));

    // The case report holds the decisions; the JSON export the entries and the chain check.
    let report = review::export_case_report(state, draft_id).await.unwrap();
    let html = std::fs::read_to_string(&report.path).unwrap();
    assert!(report.file_name.ends_with(".html"));
    assert!(
        html.contains(&format!("data-file-id=\"{new_front}\"")),
        "{html}"
    );
    assert!(html.contains("data-decision=\"verified\""));
    assert!(html.contains(REVIEWER));
    assert!(html.contains("data-intact=\"true\""));
    let exported = audit::export_audit(state, filter(Some("cus_demo_0002"), &[]))
        .await
        .unwrap();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&exported.path).unwrap()).unwrap();
    assert_eq!(json["format"], "kyb-desk-audit");
    assert_eq!(json["chain"]["intact"], true);
    assert_eq!(
        json["entries"].as_array().unwrap().len(),
        view.entries.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_without_a_local_copy_can_be_attached() {
    let Some(app) = app_with(Options::default()).await else {
        return;
    };
    let state = &app.state;
    let draft = app
        .draft_with(DEMO_CUSTOMER_WITHOUT_COPIES, |r| {
            r["business_details"]["website"] = json!("https://acme.example.org")
        })
        .await;
    let view = review::review_status(state, &draft.id).await.unwrap();
    let doc = view
        .documents
        .iter()
        .find(|d| d.reference.kind == DocumentKind::BusinessRegistration)
        .unwrap();
    assert!(doc.copy.is_none(), "{doc:?}");
    let file_id = doc.reference.file_id.as_str();
    expect_err(
        documents::read_document_copy(state, &draft.id, file_id).await,
        ErrorKind::DocumentCopyMissing,
    );
    let pdf = b"%PDF-1.4\n% kyb-attach-canary\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    act_as(state, REVIEWER).await;
    let copy =
        documents::attach_document_copy(state, &draft.id, file_id, "/home/r/scan.pdf", pdf.clone())
            .await
            .unwrap();
    assert_eq!(
        (copy.origin, copy.preview),
        (CopyOrigin::Attached, Preview::Pdf)
    );
    assert_eq!(copy.file_name, "scan.pdf", "never a path of this machine");
    assert_eq!(
        documents::read_document_copy(state, &draft.id, file_id)
            .await
            .unwrap(),
        pdf
    );
    let unrelated =
        documents::attach_document_copy(state, &draft.id, "file_unrelated", "a.pdf", vec![1, 2])
            .await;
    expect_err(unrelated, ErrorKind::InvalidInput);
    let attached = trail(
        state,
        Some(DEMO_CUSTOMER_WITHOUT_COPIES),
        &["document_attached"],
    )
    .await;
    assert_eq!(attached.entries[0].actor, REVIEWER);
    // The copy is sealed: its bytes appear nowhere in the data folder in the clear.
    assert!(!crate::common::all_text_under(app.dir.path()).contains("kyb-attach-canary"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approval_made_on_another_machine_does_not_count_when_its_file_comes_back() {
    let Some(preparer) = app_with(Options::default()).await else {
        return;
    };
    let draft = preparer
        .draft_with("cus_demo_0006", |r| {
            r["business_details"]["website"] = json!("https://andes.example.com")
        })
        .await;
    let exported = drafts::export_draft(&preparer.state, &draft.id)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&exported.path).unwrap();

    // The reviewer's machine: imports, reviews, approves, exports back.
    let Some(reviewer) = app_with(Options {
        profile: Some(REVIEWER),
        ..Options::default()
    })
    .await
    else {
        return;
    };
    let imported = drafts::import_draft(&reviewer.state, "d.json", &text)
        .await
        .unwrap();
    let reviewer_draft = imported.draft.id.as_str();
    assert_eq!(
        imported.draft.review.editors,
        [OFFICER],
        "the preparer travels with the file"
    );
    review_everything(&reviewer.state, reviewer_draft).await;
    review::approve_draft(&reviewer.state, reviewer_draft)
        .await
        .unwrap();
    let back = drafts::export_draft(&reviewer.state, reviewer_draft)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&back.path).unwrap();
    assert!(text.contains(REVIEWER), "the approval is in the file");

    // Back on the preparer's machine: the file says who approved, but anyone can write that in a
    // file (the preparer could name a colleague and recompute the hash), so a plain approval
    // that comes in a file never counts. Only one signed by the team server does (team mode);
    // in solo mode the approval is given on the machine that submits (a second profile there).
    let state = &preparer.state;
    session::select_environment(state, "Sandbox").await.unwrap();
    let returned = drafts::import_draft(state, "approved.json", &text)
        .await
        .unwrap();
    assert!(returned.draft.review.approval.is_none(), "{returned:?}");
    let dropped = format!("The approval by {REVIEWER} in the file was not kept: not signed by the team server.");
    assert!(returned.notes.contains(&dropped), "{returned:?}");
    assert_eq!(returned.draft.review.editors, [OFFICER], "the preparers still travel");
    assert!(!returned.draft.review.decisions.is_empty(), "the decisions still travel");
    let status = review::review_status(state, &returned.draft.id)
        .await
        .unwrap();
    assert!(
        matches!(status.approval, ApprovalState::None),
        "{:?}",
        status.approval
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tampering_with_the_audit_log_is_detected() {
    let Some(mut app) = app_with(Options::default()).await else {
        return;
    };
    let draft = app
        .draft_with("cus_demo_0003", |r| {
            r["business_details"]["website"] = json!("https://sakura.example.jp")
        })
        .await;
    act_as(&app.state, REVIEWER).await;
    review_everything(&app.state, &draft.id).await;
    let view = trail(&app.state, None, &[]).await;
    assert!(view.chain.intact);
    assert!(view.chain.entries >= 3, "{view:?}");

    // Remove the second line while the app is stopped, then look again.
    app.restart(Options::default()).await;
    let log = app.dir.path().join("data/audit/audit.log");
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let without: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| *l)
        .collect();
    std::fs::write(&log, without.join("\n") + "\n").unwrap();
    let view = trail(&app.state, None, &[]).await;
    assert!(!view.chain.intact, "{:?}", view.chain);
    assert!(!view.chain.problems.is_empty());

    // Swap two lines back in reverse order.
    let mut swapped: Vec<&str> = lines.clone();
    swapped.swap(0, 2);
    std::fs::write(&log, swapped.join("\n") + "\n").unwrap();
    assert!(!trail(&app.state, None, &[]).await.chain.intact);
}
