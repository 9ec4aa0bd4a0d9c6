//! Without an OS keychain there is no sealing key: drafts cannot be kept (never unencrypted).
//! Every draft, outbox and review use case answers `keychain_unavailable` with a clear message;
//! the rest of the app works (customers open, without a draft).
//! The test runs in its own process (see `in_child_process`): it points the D-Bus session address
//! at nothing, which makes the real Secret Service unreachable.

use kyb_app::use_cases::{drafts, outbox, records, review, session};
use kyb_app::{AppError, ErrorKind};
use kyb_core::drafts::update_draft_id;

use crate::common::{in_child_process, page_record, TestApp};

#[track_caller]
fn unavailable<T: std::fmt::Debug>(what: &str, result: Result<T, AppError>) {
    let err = crate::common::expect_err(result, ErrorKind::KeychainUnavailable);
    let message = err.to_string();
    assert!(
        message.starts_with("drafts cannot be kept")
            && message.contains("never stored unencrypted"),
        "{what}: {message}"
    );
}

#[test]
fn without_a_keychain_drafts_are_unavailable_and_the_app_still_works() {
    let test =
        "drafts_no_keychain::without_a_keychain_drafts_are_unavailable_and_the_app_still_works";
    // This test has no keychain on purpose (the harness otherwise insists on one under test.sh).
    let unreachable_bus = [(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/kyb-app-test-bus",
    )];
    if !in_child_process(test, &unreachable_bus, &["KYB_REQUIRE_KEYRING"]) {
        return;
    }
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(without_a_keychain());
}

async fn without_a_keychain() {
    let app = TestApp::new().await;
    let state = &app.state;
    assert!(!state.drafts_available());

    let loaded = app.open("cus_demo_0001").await;
    assert!(loaded.draft.is_none());
    assert_eq!(session::get_session(state).await.unwrap().active, "Sandbox");
    assert_eq!(records::validate_record(&page_record(&loaded), None), []);

    let id = update_draft_id("Sandbox", "cus_demo_0001");
    let entry = "o-0123456789abcdef0123456789abcdef";
    let save = app.update_save(&loaded, &page_record(&loaded)).await;
    unavailable("list_drafts", drafts::list_drafts(state).await);
    unavailable("open_draft", drafts::open_draft(state, &id).await);
    unavailable("save_draft", drafts::save_draft(state, save).await);
    unavailable("delete_draft", drafts::delete_draft(state, &id).await);
    unavailable("restore_draft", drafts::restore_draft(state, &id).await);
    unavailable("export_draft", drafts::export_draft(state, &id).await);
    unavailable(
        "import_draft",
        drafts::import_draft(state, "a.json", "{}").await,
    );
    unavailable("queue_draft", outbox::queue_draft(state, &id, None).await);
    unavailable("outbox_status", outbox::outbox_status(state).await);
    unavailable(
        "retry_outbox_entry",
        outbox::retry_outbox_entry(state, entry).await,
    );
    unavailable(
        "cancel_outbox_entry",
        outbox::cancel_outbox_entry(state, entry).await,
    );
    unavailable(
        "resolve_conflict",
        outbox::resolve_conflict(state, entry, Default::default()).await,
    );
    unavailable(
        "set_open_draft",
        drafts::set_open_draft(state, Some(&id)).await,
    );
    unavailable("restore_workspace", drafts::restore_workspace(state).await);
    unavailable("review_status", review::review_status(state, &id).await);
    // Nothing was written for drafts.
    let data = app.dir.path().join("data");
    for folder in ["drafts", "outbox", "drafts-trash"] {
        assert!(!data.join(folder).exists(), "{folder} was created");
    }
    assert!(!data.join("workspace.json").exists());
}
