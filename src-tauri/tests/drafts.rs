//! Drafts through the IPC layer (mock runtime, the app's real context and ACL) with the real
//! keychain holding the sealing key (a unique service per harness): autosave and revisions,
//! sealing at rest, resume on open, delete and undo, export and import, the open draft across a
//! restart, and each error kind.
//!
//! Drafts need the keychain. Under scripts/test.sh (`KYB_REQUIRE_KEYRING=1`) a missing one fails;
//! elsewhere these tests check `keychain_unavailable` instead (see `drafts_no_keychain.rs` for
//! the behaviour without a keychain, which is always tested).

mod common;

use std::time::Duration;

use common::{all_text_under, Harness, Options};
use serde_json::{json, Value};

const AMOUNT: &str = "estimated_monthly_revenue_amount";

/// A harness with a keychain, or `None` (and the unavailable answer checked) without one.
fn harness() -> Option<Harness> {
    let h = Harness::new();
    if h.keychain() {
        Some(h)
    } else {
        h.err("list_drafts", json!({}), "keychain_unavailable");
        None
    }
}

fn unique(label: &str) -> String {
    format!("{label}-{}-{}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default())
}

#[test]
fn save_draft_round_trip_revisions_and_resume_on_open() {
    let Some(h) = harness() else { return };
    let loaded = h.open("cus_demo_0001");
    assert!(loaded.get("draft").is_none(), "no draft yet: {loaded}");
    assert!(loaded["fetched_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{loaded}");

    let mut record = loaded["record"].clone();
    record["business_details"]["website"] = json!("https://acme.example.org");
    record["account_usage"][AMOUNT] = json!("1234.50");
    let save = h.update_save(&loaded, &record);
    let first = h.ok("save_draft", json!({"draft": save}));
    let id = first["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("u-") && id.len() == 34, "{first}");
    assert_eq!(first["revision"], 1);
    assert_eq!(first["issue_count"], 0);
    assert_eq!(first["environment"], "Sandbox");
    assert_eq!(first["target"], json!({"kind": "update", "customer_id": "cus_demo_0001"}));
    assert_eq!(first["record"], record, "kept exactly as typed");
    assert_eq!(first["record"]["account_usage"][AMOUNT], "1234.50", "amounts stay strings");
    assert_eq!(first["base"]["record"]["account_usage"][AMOUNT], "185000.00", "the base's amounts reach the page as strings");
    assert_eq!(first["base"]["status"], "Succeeded");

    // Later saves: same id, next revision, created_at kept; the stored base is kept even when the
    // page sends another one (it moves only after a send).
    record["business_details"]["website"] = json!("not a url");
    let mut again = h.update_save(&loaded, &record);
    again["id"] = json!(id);
    again["base"]["record"]["business_details"]["website"] = json!("https://someone-else.example.com");
    let second = h.ok("save_draft", json!({"draft": again}));
    assert_eq!(second["id"], id.as_str());
    assert_eq!(second["revision"], 2);
    assert_eq!(second["created_at"], first["created_at"]);
    assert_eq!(second["issue_count"], 1, "{second}");
    assert_eq!(second["base"], first["base"]);
    let mut without_base = h.update_save(&loaded, &record);
    without_base.as_object_mut().unwrap().remove("base");
    let third = h.ok("save_draft", json!({"draft": without_base}));
    assert_eq!((third["revision"].as_u64(), &third["base"]), (Some(3), &first["base"]));

    assert_eq!(h.ok("open_draft", json!({"id": id})), third);
    let resumed = h.open("cus_demo_0001");
    assert_eq!(resumed["draft"], third, "open_customer hands the editor its draft");
    assert_eq!(h.open("cus_demo_0002").get("draft"), None);

    let library = h.ok("list_drafts", json!({}));
    let items = library["drafts"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{library}");
    assert_eq!(items[0]["id"], id.as_str());
    assert_eq!(items[0]["business_name_english"], "Acme Robotics LLC");
    assert_eq!(items[0]["issue_count"], 1);
    assert!(items[0].get("outbox").is_none());
    assert_eq!(library["unreadable"], json!([]));
}

#[test]
fn drafts_are_sealed_on_disk() {
    let Some(h) = harness() else { return };
    let canary = format!("{}@canary.example.com", unique("sealed"));
    let name = unique("Canary Trading");
    let draft = h.draft_with("cus_demo_0002", |record| {
        record["primary_contact"]["contact_email"] = json!(canary);
        record["business_details"]["business_name_english"] = json!(name);
    });
    let id = draft["id"].as_str().unwrap();
    h.ok("set_open_draft", json!({"id": id}));
    h.ok("export_draft", json!({"id": id})); // into dir/exports, outside the data folder

    let data = h.dir.path().join("data");
    let everything = all_text_under(&data);
    assert!(!everything.contains(&canary) && !everything.contains(&name), "a draft's contents are readable on disk");
    let sealed = data.join("drafts").join(format!("{id}.sealed"));
    assert!(sealed.is_file(), "{}", sealed.display());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&sealed).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(data.join("drafts")).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(std::fs::metadata(data.join("workspace.json")).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let workspace: Value = serde_json::from_str(&std::fs::read_to_string(data.join("workspace.json")).unwrap()).unwrap();
    assert_eq!(workspace, json!({"open_draft": id}), "only the id");
}

#[test]
fn delete_and_restore_a_draft() {
    let Some(h) = harness() else { return };
    let draft = h.draft_with("cus_demo_0003", |record| record["business_details"]["website"] = json!("https://sakura.example.jp"));
    let id = draft["id"].as_str().unwrap();
    h.ok("delete_draft", json!({"id": id}));
    assert_eq!(h.err("open_draft", json!({"id": id}), "draft_not_found")["id"], id);
    assert_eq!(h.ok("list_drafts", json!({}))["drafts"], json!([]));
    assert!(h.open("cus_demo_0003").get("draft").is_none());
    h.err("delete_draft", json!({"id": id}), "draft_not_found");

    let restored = h.ok("restore_draft", json!({"id": id}));
    assert_eq!(restored, draft);
    assert_eq!(h.open("cus_demo_0003")["draft"], draft);
    h.err("restore_draft", json!({"id": id}), "draft_not_found");

    // Deleted, then a new draft saved for the same customer: the old one cannot come back over it.
    h.ok("delete_draft", json!({"id": id}));
    h.draft_with("cus_demo_0003", |_| {});
    assert_eq!(h.err("restore_draft", json!({"id": id}), "draft_exists")["id"], id);
}

#[test]
fn export_then_import_round_trip_with_a_report() {
    let Some(h) = harness() else { return };
    let draft = h.draft_with("cus_demo_0004", |record| record["business_details"]["website"] = json!("https://thames.example.co.uk"));
    let id = draft["id"].as_str().unwrap();
    let exported = h.ok("export_draft", json!({"id": id}));
    let file_name = exported["file_name"].as_str().unwrap();
    assert!(file_name.starts_with("kyb-draft-cus_demo_0004-") && file_name.ends_with(".json"), "{exported}");
    let path = std::path::PathBuf::from(exported["path"].as_str().unwrap());
    assert_eq!(path, h.dir.path().join("exports").join(file_name));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "kyb-desk-draft");
    assert_eq!(file["environment"], "Sandbox");
    assert_eq!(file["record"]["business_details"]["website"], "https://thames.example.co.uk");
    assert!(!text.contains(kyb_sandbox::DEMO_API_SECRET), "no secret in an export");
    // A second export in the same second does not overwrite the first.
    let second = h.ok("export_draft", json!({"id": id}));
    assert_ne!(second["path"], exported["path"]);

    // Import over the existing draft: the old one goes to the trash, the report says so.
    let report = h.ok("import_draft", json!({"file_name": file_name, "text": text}));
    assert_eq!(report["draft"]["id"], id);
    assert_eq!(report["draft"]["record"], draft["record"]);
    assert_eq!(report["draft"]["base"], draft["base"]);
    assert_eq!(report["draft"]["revision"], 1);
    let issues = report["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 2, "the demo's remaining problems: {report}");
    assert_eq!(report["draft"]["issue_count"], 2);
    assert!(report["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("trash")), "{report}");
    assert_eq!(h.ok("open_draft", json!({"id": id})), report["draft"]);

    // Into another environment: imported into the active one.
    if h.keychain() {
        h.add_environment("Staging", false);
        let report = h.ok("import_draft", json!({"file_name": file_name, "text": text}));
        assert_eq!(report["draft"]["environment"], "Staging");
        assert_ne!(report["draft"]["id"], id);
        assert!(report["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("Staging")), "{report}");
        h.ok("select_environment", json!({"name": "Sandbox"}));
    }

    // Files that are not portable drafts: invalid_input on `text`, naming the place.
    let err = h.err("import_draft", json!({"file_name": "/home/me/notes.json", "text": "{\"format\": \"kyb-desk-draft\",\n \"version\": 2}"}), "invalid_input");
    assert_eq!(err["field"], "text");
    let message = err["message"].as_str().unwrap();
    assert!(message.starts_with("notes.json: ") && message.contains("line 2"), "{message}");
    let mut unknown = file.clone();
    unknown["api_secret"] = json!("x");
    h.err("import_draft", json!({"file_name": "a.json", "text": unknown.to_string()}), "invalid_input");
    h.err("import_draft", json!({"file_name": "a.json", "text": "not json"}), "invalid_input");
    let huge = " ".repeat(kyb_app::use_cases::drafts::MAX_IMPORT_BYTES + 1);
    h.err("import_draft", json!({"file_name": "a.json", "text": huge}), "invalid_input");
}

#[test]
fn the_open_draft_survives_a_restart_with_its_drafts() {
    let Some(mut h) = harness() else { return };
    assert_eq!(h.ok("restore_workspace", json!({})), Value::Null);
    let kept = h.draft_with("cus_demo_0006", |record| record["business_details"]["website"] = json!("https://andes.example.com.br"));
    let other = h.draft_with("cus_demo_0001", |_| {});
    let id = kept["id"].as_str().unwrap();
    h.ok("set_open_draft", json!({"id": id}));

    h.restart(Options::default());
    assert_eq!(h.ok("restore_workspace", json!({})), kept);
    let library = h.ok("list_drafts", json!({}));
    let ids: Vec<&str> = library["drafts"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [other["id"].as_str().unwrap(), id], "newest first");

    // Closed: nothing to restore. A deleted open draft restores as nothing too.
    h.ok("set_open_draft", json!({"id": null}));
    assert_eq!(h.ok("restore_workspace", json!({})), Value::Null);
    h.ok("set_open_draft", json!({"id": id}));
    h.ok("delete_draft", json!({"id": id}));
    assert_eq!(h.ok("restore_workspace", json!({})), Value::Null);
    h.ok("set_open_draft", json!({}));
}

#[test]
fn draft_command_errors() {
    let Some(h) = harness() else { return };
    let missing = kyb_core::drafts::update_draft_id("Sandbox", "cus_nope");
    for cmd in ["open_draft", "delete_draft", "restore_draft", "export_draft", "queue_draft"] {
        assert_eq!(h.err(cmd, json!({"id": "../../etc/passwd"}), "invalid_input")["field"], "id", "{cmd}");
        assert_eq!(h.err(cmd, json!({"id": " "}), "invalid_input")["field"], "id", "{cmd}");
        h.err(cmd, json!({"id": missing}), "draft_not_found");
    }
    assert_eq!(h.err("set_open_draft", json!({"id": "nope"}), "invalid_input")["field"], "id");

    let loaded = h.open("cus_demo_0001");
    let mut save = h.update_save(&loaded, &loaded["record"]);
    save["environment"] = json!("Nowhere");
    assert_eq!(h.err("save_draft", json!({"draft": save}), "invalid_input")["field"], "draft");
    assert_eq!(h.err("save_draft", json!({"draft": {"record": {}}}), "invalid_input")["field"], "draft");
    assert_eq!(h.err("save_draft", json!({"draft": "text"}), "invalid_input")["field"], "draft");
    let mut wrong_id = h.update_save(&loaded, &loaded["record"]);
    wrong_id["id"] = json!(kyb_core::drafts::update_draft_id("Sandbox", "cus_demo_0002"));
    h.err("save_draft", json!({"draft": wrong_id}), "invalid_input");
    let mut bad_id = h.update_save(&loaded, &loaded["record"]);
    bad_id["id"] = json!("../x");
    h.err("save_draft", json!({"draft": bad_id}), "invalid_input");

    // Anything typed is kept, even what does not parse.
    let mut odd = h.update_save(&loaded, &json!({"account_usage": {AMOUNT: "12,5"}, "fax": [1, 2]}));
    odd.as_object_mut().unwrap().remove("base");
    let saved = h.ok("save_draft", json!({"draft": odd}));
    assert_eq!(saved["record"]["fax"], json!([1, 2]));
    assert!(saved["issue_count"].as_u64().unwrap() >= 2, "{saved}");
}

#[test]
fn a_new_customer_draft_saves_and_queues_as_a_create() {
    let Some(h) = harness() else { return };
    let record = h.open("cus_demo_0001")["record"].clone();
    let partner_id = unique("P-NEW");
    let save = json!({"environment": "Sandbox", "target": {"kind": "create", "partner_customer_id": partner_id}, "record": record});
    let draft = h.ok("save_draft", json!({"draft": save}));
    let id = draft["id"].as_str().unwrap();
    assert!(id.starts_with("c-"), "{draft}");
    assert!(draft.get("base").is_none());
    h.ok("set_open_draft", json!({"id": id}));

    let entry = h.ok("queue_draft", json!({"id": id}));
    let sent = h.wait_for_state(entry["id"].as_str().unwrap(), "sent");
    let customer_id = sent["state"]["customer"]["customer_id"].as_str().unwrap().to_owned();
    assert_eq!(sent["state"]["customer"]["partner_customer_id"], partner_id.as_str());
    assert_eq!(h.state().sandbox().unwrap().stats().creates_for(&partner_id), 1);

    // The create draft becomes the new customer's update draft, and stays the open one.
    let update_id = kyb_core::drafts::update_draft_id("Sandbox", &customer_id);
    h.wait_until("the create draft to become an update draft", Duration::from_secs(10), |h| {
        h.invoke("open_draft", json!({"id": update_id})).is_ok()
    });
    let converted = h.ok("open_draft", json!({"id": update_id}));
    assert_eq!(converted["target"], json!({"kind": "update", "customer_id": customer_id}));
    assert_eq!(converted["record"], converted["base"]["record"], "nothing pending after the send");
    h.err("open_draft", json!({"id": id}), "draft_not_found");
    assert_eq!(h.ok("restore_workspace", json!({}))["id"], update_id.as_str());
    assert_eq!(h.open(&customer_id)["draft"]["id"], update_id.as_str());
}

#[test]
fn drafts_sealed_with_a_lost_key_are_set_aside_and_listed() {
    let Some(mut h) = harness() else { return };
    let lost = h.draft_with("cus_demo_0001", |record| record["business_details"]["website"] = json!("https://acme.example.io"));
    let id = lost["id"].as_str().unwrap().to_owned();
    // The keychain entry is gone (new profile, another machine): a new key is made at start.
    kyb_core::sealed::KeychainKeyStore::with_service(format!("{}-drafts", h.keychain_service)).delete().unwrap();
    h.restart(Options::default());

    let err = h.err("open_draft", json!({"id": id}), "draft_unreadable");
    assert_eq!(err["id"], id.as_str());
    assert!(err["message"].as_str().unwrap().contains("key"), "{err}");
    assert!(h.open("cus_demo_0001").get("draft").is_none(), "the customer still opens");
    let library = h.ok("list_drafts", json!({}));
    assert_eq!(library["drafts"], json!([]));
    let unreadable = library["unreadable"].as_array().unwrap();
    assert_eq!(unreadable.len(), 1, "{library}");
    assert_eq!(unreadable[0]["id"], id.as_str());
    assert_eq!(unreadable[0]["cause"], "wrong_key");
    assert!(h.dir.path().join("data/drafts-unreadable").join(format!("{id}.sealed")).is_file(), "kept, never deleted");

    // A new draft for the customer can be kept with the new key.
    let fresh = h.draft_with("cus_demo_0001", |_| {});
    assert_eq!((fresh["id"].as_str(), fresh["revision"].as_u64()), (Some(id.as_str()), Some(1)));
}
