//! Uploads against the real sandbox: the limit is the client's, a local copy remembers the
//! `fileType` the file was uploaded as, and a draft whose slot holds a file of another type is
//! refused when queued (`invalid_record` naming the slot), while the right types queue.

use kyb_app::use_cases::documents::{self, upload_document};
use kyb_app::use_cases::outbox;
use kyb_app::ErrorKind;
use kyb_core::client::MAX_UPLOAD_BYTES;
use kyb_core::model::FileType;
use kyb_core::validation::IssueCode;
use serde_json::json;

use crate::common::{expect_err, expect_invalid, png_bytes, TestApp};

const FRONT: &str = "business_person_list[0].identification.id_document_front_file_id";

async fn app() -> Option<TestApp> {
    let app = TestApp::new().await;
    if app.keychain() {
        Some(app)
    } else {
        expect_err(outbox::outbox_status(&app.state).await, ErrorKind::KeychainUnavailable);
        None
    }
}

async fn upload(app: &TestApp, file_type: &str) -> String {
    upload_document(&app.state, "scan.png", file_type, png_bytes()).await.expect("uploaded").file_id
}

#[tokio::test(flavor = "multi_thread")]
async fn the_local_copy_remembers_the_file_type() {
    let Some(app) = app().await else { return };
    let file_id = upload(&app, "Back page").await;
    let vault = app.state.drafts().unwrap().vault.clone();
    let copy = vault.info("Sandbox", &file_id).unwrap().expect("a local copy");
    assert_eq!(copy.file_type, Some(FileType::BackPage));
    assert_eq!(documents::MAX_DOCUMENT_BYTES, MAX_UPLOAD_BYTES);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_over_the_clients_limit_is_refused_before_it_is_sent() {
    let Some(app) = app().await else { return };
    let mut bytes = png_bytes();
    bytes.resize(MAX_UPLOAD_BYTES + 1, 0);
    expect_invalid(upload_document(&app.state, "big.png", "Main page", bytes).await, "bytes");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slot_refuses_a_file_of_another_type_when_queued() {
    let Some(app) = app().await else { return };
    let invoice = upload(&app, "Invoice").await;
    let back = upload(&app, "Back page").await;
    let draft = app
        .draft_with("cus_demo_0002", |record| {
            record["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!(invoice);
            let list = &mut record["business_details"]["business_identifier_document_list"];
            *list = json!([back]);
        })
        .await;
    let err = expect_err(outbox::queue_draft(&app.state, &draft.id, None).await, ErrorKind::InvalidRecord);
    let issues = err.body().issues.expect("issues");
    let mut paths: Vec<&str> = issues.iter().map(|issue| issue.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["business_details.business_identifier_document_list[0]", FRONT]);
    assert!(issues.iter().all(|issue| issue.code == IssueCode::WrongDocumentType), "{issues:?}");
    let front = issues.iter().find(|issue| issue.path == FRONT).unwrap();
    assert!(front.message.contains("Invoice") && front.message.contains("Main page"), "{}", front.message);
    assert!(outbox::outbox_status(&app.state).await.unwrap().entries.is_empty(), "nothing was queued");
}

#[tokio::test(flavor = "multi_thread")]
async fn files_of_the_types_a_slot_takes_queue() {
    let Some(app) = app().await else { return };
    let main_page = upload(&app, "Main page").await;
    let articles = upload(&app, "Article of Association").await;
    let registration = upload(&app, "Business Registration").await;
    let draft = app
        .draft_with("cus_demo_0002", |record| {
            record["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!(main_page);
            let list = &mut record["business_details"]["business_identifier_document_list"];
            *list = json!([registration, articles]);
        })
        .await;
    let entry = outbox::queue_draft(&app.state, &draft.id, None).await.expect("queued");
    assert_eq!(entry.draft_id, draft.id);
}
