//! The reviewer flags through the review use case, against the real in-process sandbox, a real
//! keychain and the real document vault: an ID date changed while the ID images stayed the
//! same, and one image (same SHA-256) used for two people. Both fail the checklist, block the
//! approval, and appear in the case report.

use kyb_app::use_cases::review::{self, ReviewView};
use kyb_app::use_cases::{documents, profiles};
use kyb_app::{AppState, ErrorKind};
use kyb_core::review::ItemState;
use serde_json::json;

use crate::common::{expect_err, png_bytes, Options, TestApp};

const REVIEWER: &str = "Rita Reviewer";
/// A demo customer with two legal representatives, each with ID images.
const CUSTOMER: &str = "cus_demo_0001";

async fn app() -> Option<TestApp> {
    let app = TestApp::with(Options::default()).await;
    app.keychain().then_some(app)
}

fn flag<'a>(view: &'a ReviewView, prefix: &str) -> Option<&'a kyb_core::review::ChecklistItem> {
    view.checklist.items.iter().find(|item| item.id.starts_with(prefix))
}

/// The reviewer approves (after deciding every document and confirming every identifier): the
/// answer, and the case report's text.
async fn approve_as_reviewer(state: &AppState, draft_id: &str) -> (Result<ReviewView, kyb_app::AppError>, String) {
    profiles::choose_profile(state, REVIEWER).await.unwrap();
    let view = review::review_status(state, draft_id).await.unwrap();
    for doc in &view.documents {
        review::decide_document(state, draft_id, &doc.reference.file_id, kyb_core::review::Decision::Verified, vec![], "")
            .await
            .unwrap();
    }
    let view = review::review_status(state, draft_id).await.unwrap();
    for item in &view.checklist.items {
        if let Some(path) = item.id.strip_prefix("identifier_matches:") {
            review::confirm_identifier(state, draft_id, path, true).await.unwrap();
        }
    }
    let approved = review::approve_draft(state, draft_id).await;
    let report = review::export_case_report(state, draft_id).await.unwrap();
    let html = std::fs::read_to_string(&report.path).unwrap();
    (approved, html)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_id_expiry_changed_with_the_same_images_is_flagged_and_blocks_approval() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let draft = app
        .draft_with(CUSTOMER, |record| {
            record["business_person_list"][0]["identification"]["id_expiration_date"] = json!("2039-03-15T00:00:00Z");
        })
        .await;

    let view = review::review_status(state, &draft.id).await.unwrap();
    let item = flag(&view, "id_images_unchanged:0").unwrap_or_else(|| panic!("no flag in {:#?}", view.checklist));
    assert_eq!(item.state, ItemState::Failed);
    assert!(item.label.ends_with(": ID details changed but the ID images are the same as before"), "{}", item.label);
    assert!(item.detail.contains("→ 2039-03-15"), "{}", item.detail);
    assert!(!view.checklist.complete);

    let (approved, html) = approve_as_reviewer(state, &draft.id).await;
    let refused = expect_err(approved, ErrorKind::ChecklistIncomplete);
    assert!(refused.body().paths.unwrap_or_default().contains(&"id_images_unchanged:0".to_owned()));
    assert!(html.contains("data-item=\"id_images_unchanged:0\" data-state=\"failed\""), "the case report lists the flag");
    assert!(html.contains("ID details changed but the ID images are the same as before"));
    assert!(html.contains("<td>2039-03-15</td>"), "the changed date as a date");

    // A new ID front (a new file) clears it.
    profiles::choose_profile(state, crate::common::OFFICER).await.unwrap();
    let uploaded = documents::upload_document(state, "current-id.png", "Main page", png_bytes()).await.unwrap();
    let mut record = draft.record.clone();
    record["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!(uploaded.file_id);
    let loaded = app.open(CUSTOMER).await;
    kyb_app::use_cases::drafts::save_draft(state, app.update_save(&loaded, &record).await).await.unwrap();
    let view = review::review_status(state, &draft.id).await.unwrap();
    assert!(flag(&view, "id_images_unchanged:").is_none(), "{:#?}", view.checklist);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_image_as_two_peoples_id_fronts_is_flagged_naming_both() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    // Two uploads of the same picture: two file ids, one SHA-256.
    let first = documents::upload_document(state, "front-a.png", "Main page", png_bytes()).await.unwrap();
    let second = documents::upload_document(state, "front-b.png", "Main page", png_bytes()).await.unwrap();
    assert_ne!(first.file_id, second.file_id);
    let draft = app
        .draft_with(CUSTOMER, |record| {
            record["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!(first.file_id);
            record["business_person_list"][1]["identification"]["id_document_front_file_id"] = json!(second.file_id);
        })
        .await;

    let view = review::review_status(state, &draft.id).await.unwrap();
    let item = flag(&view, "same_image:").unwrap_or_else(|| panic!("no flag in {:#?}", view.checklist));
    assert_eq!(item.state, ItemState::Failed);
    assert!(item.label.contains("Person 1 (") && item.label.contains("Person 2 ("), "{}", item.label);
    assert_eq!(item.label.matches("› ID front image").count(), 2, "{}", item.label);
    assert!(item.detail.contains("the same image (SHA-256"), "{}", item.detail);

    let (approved, html) = approve_as_reviewer(state, &draft.id).await;
    expect_err(approved, ErrorKind::ChecklistIncomplete);
    assert!(html.contains("data-item=\"same_image:business_person_list[0].identification.id_document_front_file_id\""));
}
