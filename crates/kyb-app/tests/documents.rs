//! Uploads against the real sandbox: the limit is the client's, a local copy remembers the
//! `fileType` the file was uploaded as, and a draft whose slot holds a file of another type is
//! refused when queued (`invalid_record` naming the slot), while the right types queue. A
//! document sent in chunks (begin, append in order, finish or cancel) is refused out of order or
//! over its size, leaves nothing behind when cancelled or after a restart, and is kept sealed
//! exactly as sent.

use kyb_app::use_cases::documents::{self, upload_document};
use kyb_app::use_cases::{outbox, profiles};
use kyb_app::state::DEMO_CUSTOMER_WITHOUT_COPIES;
use kyb_core::vault::CopyOrigin;
use kyb_app::ErrorKind;
use kyb_core::client::MAX_UPLOAD_BYTES;
use kyb_core::model::FileType;
use kyb_core::validation::IssueCode;
use serde_json::json;

use crate::common::{expect_err, expect_invalid, png_bytes, Options, TestApp};

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

/// A PDF of `size` bytes whose bytes vary (so a misplaced chunk shows).
fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..size - bytes.len()).map(|i| (i.wrapping_mul(7919) >> 3) as u8));
    bytes
}

/// Send `bytes` in the chunks the app asks for.
async fn send_in_chunks(app: &TestApp, upload_id: &str, bytes: &[u8], chunk: usize) {
    let mut offset = 0;
    for piece in bytes.chunks(chunk) {
        let received = documents::append_chunk(&app.state, upload_id, offset, piece).expect("chunk accepted");
        offset += piece.len() as u64;
        assert_eq!(received, offset);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_sent_in_chunks_is_uploaded_and_kept_exactly() {
    let Some(app) = app().await else { return };
    let bytes = pdf_of(2 * documents::MAX_CHUNK_BYTES + 12_345);
    let staged = documents::begin_upload(&app.state, "C:\\scans\\register.pdf", "Business Registration", bytes.len() as u64)
        .await
        .expect("begun");
    assert_eq!(staged.max_chunk_bytes, documents::MAX_CHUNK_BYTES as u64);
    send_in_chunks(&app, &staged.upload_id, &bytes, documents::MAX_CHUNK_BYTES).await;
    let file_id = documents::finish_upload(&app.state, &staged.upload_id).await.expect("uploaded").file_id;
    // The partner received exactly the bytes (the built-in sandbox keeps them as a file)...
    let data_dir = app.state.drafts().unwrap().vault.dir().parent().unwrap().to_owned();
    let received = std::fs::read(data_dir.join("sandbox").join("files").join(&file_id)).expect("the sandbox kept the file");
    assert!(received == bytes, "the partner received other bytes than were sent");
    // ...and the sealed copy round-trips them, with the name and type.
    let vault = app.state.drafts().unwrap().vault.clone();
    let (copy, kept) = vault.read("Sandbox", &file_id).unwrap().expect("a local copy");
    assert_eq!((copy.file_name.as_str(), copy.file_type, copy.origin), ("register.pdf", Some(FileType::BusinessRegistration), CopyOrigin::Uploaded));
    assert!(kept == bytes, "the kept copy differs from what was sent");
    assert_eq!(staging_files(&app), Vec::<std::path::PathBuf>::new(), "a finished upload leaves no staging file");
    // Finished: the id is gone.
    expect_invalid(documents::finish_upload(&app.state, &staged.upload_id).await, "upload_id");
    expect_invalid(documents::append_chunk(&app.state, &staged.upload_id, 0, b"x"), "upload_id");
}

#[tokio::test(flavor = "multi_thread")]
async fn chunks_out_of_order_or_over_the_size_are_refused() {
    let Some(app) = app().await else { return };
    let bytes = pdf_of(3000);
    let staged = documents::begin_upload(&app.state, "scan.pdf", "Invoice", 3000).await.unwrap();
    let id = staged.upload_id.as_str();
    // Not at the start, a gap, a repeat: refused on `offset`, nothing changes.
    let err = expect_invalid(documents::append_chunk(&app.state, id, 1000, &bytes[1000..2000]), "offset");
    assert!(err.to_string().contains("starts at byte 0"), "{err}");
    documents::append_chunk(&app.state, id, 0, &bytes[..1000]).unwrap();
    expect_invalid(documents::append_chunk(&app.state, id, 0, &bytes[..1000]), "offset");
    expect_invalid(documents::append_chunk(&app.state, id, 2000, &bytes[2000..]), "offset");
    // Beyond the announced size, and an empty or too large chunk: refused on `bytes`.
    let err = expect_invalid(documents::append_chunk(&app.state, id, 1000, &pdf_of(2001)), "bytes");
    assert!(err.to_string().contains("3000") && err.to_string().contains("3001"), "{err}");
    expect_invalid(documents::append_chunk(&app.state, id, 1000, b""), "bytes");
    // Finishing early is refused and keeps what arrived; the rest completes it.
    let err = expect_invalid(documents::finish_upload(&app.state, id).await, "bytes");
    assert!(err.to_string().contains("1000 have arrived"), "{err}");
    documents::append_chunk(&app.state, id, 1000, &bytes[1000..]).unwrap();
    // Finished as the wrong kind: refused, and still staged.
    expect_invalid(documents::finish_copy(&app.state, id).await, "upload_id");
    documents::finish_upload(&app.state, id).await.expect("uploaded");
    assert!(documents::staged_upload_count(&app.state) == 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_or_empty_document_is_refused_before_any_chunk_naming_its_size() {
    let Some(app) = app().await else { return };
    let size = 60 * 1024 * 1024;
    let err = expect_invalid(documents::begin_upload(&app.state, "scan-60mib.pdf", "Invoice", size).await, "bytes");
    assert!(err.to_string().contains(&size.to_string()) && err.to_string().contains("10 MiB"), "{err}");
    expect_invalid(documents::begin_upload(&app.state, "empty.pdf", "Invoice", 0).await, "bytes");
    expect_invalid(documents::begin_upload(&app.state, "a.pdf", "invoice", 10).await, "file_type");
    // Exactly the limit may begin.
    let at_limit = documents::begin_upload(&app.state, "a.pdf", "Invoice", MAX_UPLOAD_BYTES as u64).await.unwrap();
    documents::cancel_upload(&app.state, &at_limit.upload_id);
    assert!(documents::staged_upload_count(&app.state) == 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_and_restart_leave_nothing_staged() {
    let Some(mut app) = app().await else { return };
    let bytes = pdf_of(5000);
    let cancelled = documents::begin_upload(&app.state, "a.pdf", "Invoice", 5000).await.unwrap();
    documents::append_chunk(&app.state, &cancelled.upload_id, 0, &bytes[..2500]).unwrap();
    documents::cancel_upload(&app.state, &cancelled.upload_id);
    documents::cancel_upload(&app.state, &cancelled.upload_id);
    expect_invalid(documents::append_chunk(&app.state, &cancelled.upload_id, 2500, &bytes[2500..]), "upload_id");
    assert!(documents::staged_upload_count(&app.state) == 0);

    // At most a few at once.
    let mut ids = Vec::new();
    for _ in 0..documents::MAX_STAGED_UPLOADS {
        ids.push(documents::begin_upload(&app.state, "a.pdf", "Invoice", 5000).await.unwrap().upload_id);
    }
    expect_invalid(documents::begin_upload(&app.state, "a.pdf", "Invoice", 5000).await, "upload_id");
    documents::append_chunk(&app.state, &ids[0], 0, &bytes[..100]).unwrap();

    // A restart: what was staged is gone, its ids are unknown, and nothing of it is on disk.
    app.restart(Options::default()).await;
    assert!(documents::staged_upload_count(&app.state) == 0);
    expect_invalid(documents::append_chunk(&app.state, &ids[0], 100, &bytes[100..200]), "upload_id");
    let fresh = documents::begin_upload(&app.state, "a.pdf", "Invoice", 5000).await.unwrap();
    assert!(!ids.contains(&fresh.upload_id), "a new run hands out new ids");
    let data_dir = app.state.drafts().unwrap().vault.dir().parent().unwrap().to_owned();
    let canary = &bytes[200..264];
    for entry in walk(&data_dir) {
        let content = std::fs::read(&entry).unwrap_or_default();
        assert!(!content.windows(canary.len()).any(|w| w == canary), "{} holds staged bytes", entry.display());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewers_copy_sent_in_chunks_is_recorded_then_kept() {
    let Some(mut app) = app().await else { return };
    let draft = app.draft_with(DEMO_CUSTOMER_WITHOUT_COPIES, |_| {}).await;
    let file_id = kyb_core::review::referenced_documents(&draft.record)[0].file_id.clone();
    // Nobody chosen: refused before any byte is sent.
    app.restart(Options { profile: None, ..Options::default() }).await;
    expect_err(documents::begin_copy(&app.state, &draft.id, &file_id, "a.pdf", 10).await, ErrorKind::NoProfile);
    profiles::choose_profile(&app.state, "Rita Reviewer").await.unwrap();
    expect_invalid(documents::begin_copy(&app.state, &draft.id, "file_unrelated", "a.pdf", 10).await, "file_id");
    let bytes = pdf_of(documents::MAX_CHUNK_BYTES + 10);
    let staged = documents::begin_copy(&app.state, &draft.id, &file_id, "/home/r/letter.pdf", bytes.len() as u64).await.unwrap();
    send_in_chunks(&app, &staged.upload_id, &bytes, documents::MAX_CHUNK_BYTES).await;
    expect_invalid(documents::finish_upload(&app.state, &staged.upload_id).await, "upload_id");
    let copy = documents::finish_copy(&app.state, &staged.upload_id).await.expect("kept");
    assert_eq!((copy.file_name.as_str(), copy.origin, copy.added_by.as_str()), ("letter.pdf", CopyOrigin::Attached, "Rita Reviewer"));
    assert!(documents::read_document_copy(&app.state, &draft.id, &file_id).await.unwrap() == bytes);
}

/// The staging folder's files.
fn staging_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    let data_dir = app.state.drafts().unwrap().vault.dir().parent().unwrap().to_owned();
    walk(&data_dir.join(documents::STAGING_DIR))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_staged_document_is_encrypted_on_disk_and_removed_when_cancelled() {
    let Some(app) = app().await else { return };
    let canary = b"CANARY-staged-bytes-never-readable-on-disk-7d3e";
    let mut bytes = pdf_of(documents::MAX_CHUNK_BYTES + 4096);
    bytes[5000..5000 + canary.len()].copy_from_slice(canary);
    let staged = documents::begin_upload(&app.state, "canary.pdf", "Invoice", bytes.len() as u64).await.unwrap();
    send_in_chunks(&app, &staged.upload_id, &bytes, documents::MAX_CHUNK_BYTES).await;
    let files = staging_files(&app);
    assert_eq!(files.len(), 1, "one staging file per upload: {files:?}");
    let on_disk = std::fs::read(&files[0]).unwrap();
    assert!(on_disk.len() > bytes.len(), "the whole document is staged");
    assert!(!on_disk.windows(canary.len()).any(|w| w == canary), "the staging file holds plain text");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
    }
    documents::cancel_upload(&app.state, &staged.upload_id);
    assert!(staging_files(&app).is_empty(), "a cancelled upload leaves its staging file");
}

#[tokio::test(flavor = "multi_thread")]
async fn staging_files_left_by_a_crash_are_removed_at_start() {
    let Some(mut app) = app().await else { return };
    let data_dir = app.state.drafts().unwrap().vault.dir().parent().unwrap().to_owned();
    let staging = data_dir.join(documents::STAGING_DIR);
    std::fs::create_dir_all(&staging).unwrap();
    let leftover = staging.join("up-1234-1.scratch");
    std::fs::write(&leftover, b"an earlier run's staged chunks").unwrap();
    let unrelated = staging.join("README");
    std::fs::write(&unrelated, b"not a staging file").unwrap();
    app.restart(Options::default()).await;
    assert!(!leftover.exists(), "a leftover staging file survived the start");
    assert!(unrelated.exists(), "only staging files are removed");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
