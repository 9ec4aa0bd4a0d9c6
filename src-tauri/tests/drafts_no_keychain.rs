//! Without an OS keychain there is no sealing key: drafts cannot be kept (never unencrypted).
//! Every draft and outbox command answers `keychain_unavailable` with a clear message; the rest
//! of the app works (customers open, without a draft).
//! One test in this binary: it points the process's D-Bus session address at nothing, which
//! makes the real Secret Service unreachable.

mod common;

use common::Harness;
use serde_json::json;

#[test]
fn without_a_keychain_drafts_are_unavailable_and_the_app_still_works() {
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kyb-desk-test-bus");
    // This test has no keychain on purpose (the harness otherwise insists on one under test.sh).
    std::env::remove_var("KYB_REQUIRE_KEYRING");
    let h = Harness::new();
    assert!(!h.state().drafts_available());

    let loaded = h.open("cus_demo_0001");
    assert!(loaded.get("draft").is_none(), "{loaded}");
    assert_eq!(h.ok("get_session", json!({}))["active"], "Sandbox");
    assert_eq!(h.ok("validate_record", json!({"record": loaded["record"]})), json!([]));

    let id = kyb_core::drafts::update_draft_id("Sandbox", "cus_demo_0001");
    let save = h.update_save(&loaded, &loaded["record"]);
    let calls = [
        ("list_drafts", json!({})),
        ("open_draft", json!({"id": id})),
        ("save_draft", json!({"draft": save})),
        ("delete_draft", json!({"id": id})),
        ("restore_draft", json!({"id": id})),
        ("export_draft", json!({"id": id})),
        ("import_draft", json!({"file_name": "a.json", "text": "{}"})),
        ("queue_draft", json!({"id": id})),
        ("outbox_status", json!({})),
        ("retry_outbox_entry", json!({"id": "o-0123456789abcdef0123456789abcdef"})),
        ("cancel_outbox_entry", json!({"id": "o-0123456789abcdef0123456789abcdef"})),
        ("resolve_conflict", json!({"id": "o-0123456789abcdef0123456789abcdef", "choices": {}})),
        ("set_open_draft", json!({"id": id})),
        ("restore_workspace", json!({})),
    ];
    for (cmd, args) in calls {
        let err = h.err(cmd, args, "keychain_unavailable");
        let message = err["message"].as_str().unwrap();
        assert!(message.starts_with("drafts cannot be kept") && message.contains("never stored unencrypted"), "{cmd}: {message}");
    }
    // Nothing was written for drafts.
    let data = h.dir.path().join("data");
    for folder in ["drafts", "outbox", "drafts-trash"] {
        assert!(!data.join(folder).exists(), "{folder} was created");
    }
    assert!(!data.join("workspace.json").exists());
}
