//! Four-eyes as a new user meets it, on the built-in "Sandbox (four-eyes)": opening or viewing a
//! record never makes anyone a preparer, a new customer without documents is told what to add
//! before review, the submit action waits for approval (and says who can give it), and the
//! drafts library and review state say where each draft stands.

use kyb_app::use_cases::review::{self, ReviewView};
use kyb_app::use_cases::{drafts, outbox, profiles, session};
use kyb_app::ErrorKind;
use kyb_core::drafts::{DraftSave, DraftTarget};
use kyb_core::environments::SANDBOX_FOUR_EYES_NAME;
use kyb_core::review::{ApprovalState, Decision, SubmitReadiness};
use serde_json::json;

use crate::common::{expect_err, page_record, Options, TestApp, OFFICER};

const REVIEWER: &str = "Rita Reviewer";

async fn four_eyes_app() -> Option<TestApp> {
    let app = TestApp::with(Options::default()).await;
    if !app.keychain() {
        return None;
    }
    let listed = session::get_session(&app.state).await.unwrap();
    let built_in = listed.environments.iter().find(|e| e.name == SANDBOX_FOUR_EYES_NAME).expect("listed with no set-up");
    assert!(built_in.requires_approval && built_in.built_in && built_in.has_credentials && !built_in.is_production);
    session::select_environment(&app.state, SANDBOX_FOUR_EYES_NAME).await.unwrap();
    Some(app)
}

async fn act_as(app: &TestApp, name: &str) {
    profiles::choose_profile(&app.state, name).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_and_saving_without_a_change_makes_nobody_a_preparer_so_the_reviewer_can_approve() {
    let Some(app) = four_eyes_app().await else { return };
    let state = &app.state;

    // The officer prepares a change.
    let loaded = app.open("cus_demo_0002").await;
    let mut record = page_record(&loaded);
    record["business_details"]["website"] = json!("https://nordlicht.example.de");
    let mut save = app.update_save(&loaded, &record).await;
    let draft = drafts::save_draft(state, save.clone()).await.unwrap();
    assert_eq!(draft.review.editors, [OFFICER]);
    assert_eq!(draft.environment, SANDBOX_FOUR_EYES_NAME);

    // Waiting for approval, with who can give it; queueing is refused with the same rule.
    let view = review::review_status(state, &draft.id).await.unwrap();
    let SubmitReadiness::WaitingForApproval { label, detail, preparers } = &view.state.readiness else {
        panic!("not waiting: {:?}", view.state.readiness)
    };
    assert_eq!(label, "Waiting for approval");
    assert!(detail.contains(&format!("a profile other than {OFFICER}")), "{detail}");
    assert_eq!(preparers, &[OFFICER.to_owned()]);
    assert_eq!(view.state.summary, "1 unsent change, waiting for approval");
    assert!(!view.state.needs_my_review, "the preparer does not review her own change");
    expect_err(outbox::queue_draft(state, &draft.id, None).await, ErrorKind::ApprovalRequired);

    // The reviewer opens the record (the page stores it as it is) and views the draft: no preparer.
    act_as(&app, REVIEWER).await;
    save.id = Some(draft.id.clone());
    let stored = drafts::save_draft(state, save.clone()).await.unwrap();
    assert_eq!(stored.review.editors, [OFFICER], "saving what was already saved records nobody");
    drafts::open_draft(state, &draft.id).await.unwrap();
    let library = drafts::list_drafts(state).await.unwrap();
    let line = library.drafts.iter().find(|d| d.summary.id == draft.id).expect("listed");
    assert!(line.needs_my_review && line.requires_approval);
    assert_eq!((line.summary.pending_changes, line.summary.preparers.as_slice()), (1, [OFFICER.to_owned()].as_slice()));
    assert_eq!(line.state_summary, "1 unsent change, waiting for approval");

    // Opening another customer without changing it stores nobody as its preparer either.
    let other = app.open("cus_demo_0003").await;
    let untouched = drafts::save_draft(state, app.update_save(&other, &page_record(&other)).await).await.unwrap();
    assert!(untouched.review.editors.is_empty(), "{:?}", untouched.review.editors);

    // So the reviewer can review and approve.
    let view = review_everything(&app, &draft.id).await;
    assert!(view.checklist.complete, "{:#?}", view.checklist);
    assert!(view.state.needs_my_review);
    let approved = review::approve_draft(state, &draft.id).await.unwrap();
    let ApprovalState::Valid { approval } = &approved.approval else { panic!("{:?}", approved.approval) };
    assert_eq!(approval.approver, REVIEWER);
    assert_eq!(approved.state.readiness, SubmitReadiness::Ready);
    assert_eq!(approved.state.summary, "1 unsent change, approved, not sent");
    assert!(!approved.state.needs_my_review);
    let library = drafts::list_drafts(state).await.unwrap();
    let line = library.drafts.iter().find(|d| d.summary.id == draft.id).expect("listed");
    assert!(!line.needs_my_review);
    assert!(matches!(&line.summary.approval, ApprovalState::Valid { approval } if approval.approver == REVIEWER));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_customer_without_documents_is_told_what_to_add_before_review() {
    let Some(app) = four_eyes_app().await else { return };
    let state = &app.state;
    let save = DraftSave {
        id: None,
        environment: SANDBOX_FOUR_EYES_NAME.to_owned(),
        target: DraftTarget::Create { partner_customer_id: "P-NEW-1".into() },
        base: None,
        record: json!({"business_details": {"business_name_english": "Fresh Start Ltd"}}),
        editor: None,
    };
    let draft = drafts::save_draft(state, save).await.unwrap();
    assert_eq!(draft.review.editors, [OFFICER]);
    let view = review::review_status(state, &draft.id).await.unwrap();
    let blockers: Vec<&str> = view.state.blockers.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(blockers, ["registration_document", "representative"]);
    assert!(view.state.blockers[0].message.starts_with("A registration document is needed"));
    assert_eq!(view.state.blockers[0].path, "business_details.business_identifier_document_list");
    // The checklist says the same, and "every document has a decision" is not done with none.
    let item = |id: &str| view.checklist.items.iter().find(|i| i.id == id).expect(id).clone();
    assert_eq!(item("registration_document").detail, view.state.blockers[0].message);
    assert_ne!(item("documents_decided").state, kyb_core::review::ItemState::Done);
    assert!(!view.checklist.complete);

    // An empty new customer, stored as opened, has no preparer and nothing pending.
    let empty = DraftSave {
        id: None,
        environment: SANDBOX_FOUR_EYES_NAME.to_owned(),
        target: DraftTarget::Create { partner_customer_id: String::new() },
        base: None,
        record: json!({}),
        editor: None,
    };
    let empty = drafts::save_draft(state, empty).await.unwrap();
    assert!(empty.review.editors.is_empty());
    let view = review::review_status(state, &empty.id).await.unwrap();
    assert_eq!((view.state.pending_changes, view.state.summary.as_str()), (0, "No unsent changes"));

    // In the plain Sandbox nothing requires approval: no blockers, ready as far as four-eyes goes.
    session::select_environment(state, "Sandbox").await.unwrap();
    let plain = DraftSave {
        id: None,
        environment: "Sandbox".to_owned(),
        target: DraftTarget::Create { partner_customer_id: "P-NEW-2".into() },
        base: None,
        record: json!({"business_details": {"business_name_english": "Plain Ltd"}}),
        editor: None,
    };
    let plain = drafts::save_draft(state, plain).await.unwrap();
    let view: ReviewView = review::review_status(state, &plain.id).await.unwrap();
    assert!(view.state.blockers.is_empty());
    assert_eq!(view.state.readiness, SubmitReadiness::Ready);
    assert_eq!(view.state.summary, "1 unsent change");
}

/// Decide every document Verified and confirm every identifier number, as the active profile.
async fn review_everything(app: &TestApp, draft_id: &str) -> ReviewView {
    let state = &app.state;
    let view = review::review_status(state, draft_id).await.unwrap();
    for doc in &view.documents {
        review::decide_document(state, draft_id, &doc.reference.file_id, Decision::Verified, vec![], "").await.unwrap();
    }
    let mut view = review::review_status(state, draft_id).await.unwrap();
    for item in view.checklist.items.clone() {
        if let Some(path) = item.id.strip_prefix("identifier_matches:") {
            view = review::confirm_identifier(state, draft_id, path, true).await.unwrap();
        }
    }
    view
}
