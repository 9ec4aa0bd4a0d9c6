//! The outbox through the IPC layer with the app's background worker, against the real
//! in-process sandbox: queue, send once, rebase the draft, follow the status; an answer lost
//! after the partner applied it; failures and retry; cancel; a lost-update conflict and its
//! resolution; production confirmation; a restart with entries still queued; connectivity.
//! The sealing key is in the real keychain (unique service per harness); without one these
//! tests only check `keychain_unavailable`.

mod common;

use std::time::Duration;

use common::{Harness, Options};
use kyb_core::client::{ClientConfig, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use serde_json::{json, Value};

const AMOUNT: &str = "estimated_monthly_revenue_amount";

fn harness_with(options: Options) -> Option<Harness> {
    let h = Harness::with(options);
    if h.keychain() {
        Some(h)
    } else {
        h.err("outbox_status", json!({}), "keychain_unavailable");
        None
    }
}

fn harness() -> Option<Harness> {
    harness_with(Options::default())
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

#[test]
fn queue_sends_once_rebases_the_draft_and_follows_the_status() {
    let Some(h) = harness() else { return };
    let draft = h.draft_with("cus_demo_0002", |record| {
        record["business_details"]["website"] = json!("https://nordlicht.example.de");
        record["account_usage"][AMOUNT] = json!("99.99");
    });
    let entry = h.ok("queue_draft", json!({"id": id(&draft)}));
    assert_eq!(entry["draft_id"], draft["id"]);
    assert_eq!(entry["environment"], "Sandbox");
    assert!(entry["id"].as_str().unwrap().starts_with("o-"), "{entry}");
    assert_eq!(entry["record"]["account_usage"][AMOUNT], "99.99", "amounts reach the page as strings");
    assert!(matches!(entry["state"]["state"].as_str(), Some("queued" | "sending" | "sent")), "{entry}");

    let sent = h.wait_for_state(&id(&entry), "sent");
    assert_eq!(sent["state"]["customer"]["business_details"]["website"], "https://nordlicht.example.de");
    assert_eq!(sent["state"]["customer"]["account_usage"][AMOUNT], "99.99");
    assert_eq!(sent["attempts"], 1);
    assert_eq!(h.applied_updates("cus_demo_0002"), 1, "applied exactly once");

    // The status settles (Processing → Succeeded) and the draft follows: no pending changes.
    h.wait_until("the sent customer to settle", Duration::from_secs(20), |h| {
        h.entry(&id(&entry))["state"]["customer"]["status"] == "Succeeded"
    });
    h.wait_until("the draft to follow the status", Duration::from_secs(20), |h| {
        h.ok("open_draft", json!({"id": id(&draft)}))["base"]["status"] == "Succeeded"
    });
    let rebased = h.ok("open_draft", json!({"id": id(&draft)}));
    assert!(rebased["revision"].as_u64().unwrap() > draft["revision"].as_u64().unwrap());
    assert_eq!(rebased["record"], rebased["base"]["record"], "nothing pending");
    assert_eq!(rebased["base"]["record"]["business_details"]["website"], "https://nordlicht.example.de");
    assert_eq!(rebased["base"]["record"]["account_usage"][AMOUNT], "99.99");
    assert_eq!(rebased["base"]["fetched_at"], sent["state"]["sent_at"], "the base is the partner's answer to the send");
    assert_eq!(h.ok("diff_record", json!({"base": rebased["base"]["record"], "edited": rebased["record"]})), json!([]));

    // The library shows the draft with its latest entry; the partner got an exact number.
    let library = h.ok("list_drafts", json!({}));
    assert_eq!(library["drafts"][0]["outbox"]["id"], entry["id"]);
    assert_eq!(library["drafts"][0]["outbox"]["state"]["state"], "sent");
    let stored: String = std::fs::read_to_string(h.dir.path().join("data/sandbox/state.json"))
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(stored.contains(r#""estimated_monthly_revenue_amount":99.99"#), "the partner got a number");

    // Sent: neither cancelled nor retried; nothing is sent again later.
    assert_eq!(h.err("cancel_outbox_entry", json!({"id": id(&entry)}), "outbox_busy")["id"], entry["id"]);
    h.err("retry_outbox_entry", json!({"id": id(&entry)}), "outbox_busy");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(h.applied_updates("cus_demo_0002"), 1);

    let status = h.ok("outbox_status", json!({}));
    assert_eq!(status["environment"], "Sandbox");
    assert_eq!(status["online"], true);
    assert!(status["checked_at"].as_str().is_some(), "{status}");
}

#[test]
fn an_answer_lost_after_the_partner_applied_it_is_not_applied_twice() {
    let Some(h) = harness() else { return };
    // No base: the entry is sent without the lost-update fetch, so the one fault hits the send.
    let loaded = h.open("cus_demo_0006");
    let mut record = loaded["record"].clone();
    record["business_details"]["website"] = json!("https://andes-coffee.example.com");
    let mut save = h.update_save(&loaded, &record);
    save.as_object_mut().unwrap().remove("base");
    let draft = h.ok("save_draft", json!({"draft": save}));
    let sandbox = h.state().sandbox().unwrap().faults();
    sandbox.drop_next_after_apply(1);
    let entry = h.ok("queue_draft", json!({"id": id(&draft)}));
    let sent = h.wait_for_state(&id(&entry), "sent");
    assert_eq!(sent["attempts"], 2, "the lost answer, then the replay: {sent}");
    let stats = h.state().sandbox().unwrap().stats();
    assert_eq!(stats.updates_for("cus_demo_0006"), 1, "applied once");
    assert!(stats.idempotent_replays >= 1, "the second attempt was answered from the first");
}

#[test]
fn a_failure_waits_for_the_officer_then_retry_or_cancel() {
    let Some(h) = harness() else { return };
    let draft = h.draft_with("cus_demo_0001", |record| record["business_details"]["website"] = json!("https://acme.example.net"));
    // The lost-update fetch answers 404: not retryable, the entry fails and waits.
    let faults = h.state().sandbox().unwrap().faults();
    faults.fail_next(1, 404);
    let entry = h.ok("queue_draft", json!({"id": id(&draft)}));
    let failed = h.wait_for_state(&id(&entry), "failed");
    assert_eq!(failed["state"]["error"]["kind"], "not_found", "{failed}");
    assert_eq!(h.applied_updates("cus_demo_0001"), 0);

    let retried = h.ok("retry_outbox_entry", json!({"id": id(&entry)}));
    assert_eq!(retried["idempotency_key"], entry["idempotency_key"], "same intent, same key");
    h.wait_for_state(&id(&entry), "sent");
    assert_eq!(h.applied_updates("cus_demo_0001"), 1);

    // Cancel: an entry waiting for the officer goes; the draft stays. (Once the first customer
    // has settled, so the worker's status refresh cannot take the next fault.)
    h.wait_until("the sent customer to settle", Duration::from_secs(20), |h| {
        h.entry(&id(&entry))["state"]["customer"]["status"] == "Succeeded"
    });
    let again = h.draft_with("cus_demo_0003", |record| record["business_details"]["website"] = json!("https://sakura.example.net"));
    faults.fail_next(1, 404);
    let entry = h.ok("queue_draft", json!({"id": id(&again)}));
    h.wait_for_state(&id(&entry), "failed");
    h.ok("cancel_outbox_entry", json!({"id": id(&entry)}));
    let status = h.ok("outbox_status", json!({}));
    assert!(status["entries"].as_array().unwrap().iter().all(|e| e["id"] != entry["id"]), "{status}");
    h.ok("open_draft", json!({"id": id(&again)}));
    assert_eq!(h.applied_updates("cus_demo_0003"), 0);

    // Ids that are no entries.
    for cmd in ["retry_outbox_entry", "cancel_outbox_entry"] {
        assert_eq!(h.err(cmd, json!({"id": "nope"}), "invalid_input")["field"], "id");
        assert_eq!(h.err(cmd, json!({"id": "o-../../x"}), "invalid_input")["field"], "id");
        h.err(cmd, json!({"id": id(&entry)}), "invalid_input");
    }
    h.err("resolve_conflict", json!({"id": id(&entry), "choices": {}}), "invalid_input");
    assert_eq!(h.err("resolve_conflict", json!({"id": id(&entry), "choices": {"a": "both"}}), "invalid_input")["field"], "choices");
    assert_eq!(h.err("resolve_conflict", json!({"id": id(&entry), "choices": []}), "invalid_input")["field"], "choices");
}

#[test]
fn queue_refuses_an_invalid_draft() {
    let Some(h) = harness() else { return };
    let draft = h.draft_with("cus_demo_0004", |_| {});
    assert_eq!(draft["issue_count"], 3);
    let err = h.err("queue_draft", json!({"id": id(&draft)}), "invalid_record");
    let issues = err["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 3, "{err}");
    assert!(issues.iter().any(|i| i["path"] == "business_details.website"), "{err}");
    assert_eq!(h.ok("outbox_status", json!({}))["entries"], json!([]));
}

#[test]
fn a_lost_update_conflict_is_resolved_field_by_field() {
    let Some(h) = harness() else { return };
    let draft = h.draft_with("cus_demo_0002", |record| {
        record["business_details"]["website"] = json!("https://mine.example.de");
        record["primary_contact"]["contact_email"] = json!("mine@nordlicht.example.de");
    });
    // Someone else changes the website (and the phone) at the partner meanwhile.
    let mut theirs = h.open("cus_demo_0002")["record"].clone();
    theirs["business_details"]["website"] = json!("https://theirs.example.de");
    let sandbox = PartnerClient::new(ClientConfig::new(
        kyb_core::client::parse_base_url(&h.sandbox_url()).unwrap(),
        ApiCredentials { api_key: kyb_sandbox::DEMO_API_KEY.into(), api_secret: kyb_sandbox::DEMO_API_SECRET.into() },
    ))
    .unwrap();
    let body: kyb_core::model::UpdateCustomerRequest = serde_json::from_value(theirs).unwrap();
    let body = kyb_core::validation::check_update(body, &kyb_core::validation::ValidationContext::now()).unwrap();
    tauri::async_runtime::block_on(sandbox.update_customer("cus_demo_0002", &body, None)).unwrap();
    assert_eq!(h.applied_updates("cus_demo_0002"), 1);

    let entry = h.ok("queue_draft", json!({"id": id(&draft)}));
    let conflict = h.wait_for_state(&id(&entry), "conflict");
    assert_eq!(
        conflict["state"]["conflicts"],
        json!([{"path": "business_details.website", "base": "https://nordlicht-logistik.example.com", "theirs": "https://theirs.example.de", "mine": "https://mine.example.de"}]),
        "{conflict}"
    );
    assert_eq!(h.ok("list_drafts", json!({}))["drafts"][0]["outbox"]["state"]["state"], "conflict");

    let err = h.err("resolve_conflict", json!({"id": id(&entry), "choices": {}}), "unresolved_conflicts");
    assert_eq!(err["paths"], json!(["business_details.website"]));
    h.err("resolve_conflict", json!({"id": id(&entry), "choices": {"business_details.website": "mine", "x.y": "theirs"}}), "invalid_input");
    h.ok("resolve_conflict", json!({"id": id(&entry), "choices": {"business_details.website": "theirs"}}));
    let sent = h.wait_for_state(&id(&entry), "sent");
    assert_eq!(sent["state"]["customer"]["business_details"]["website"], "https://theirs.example.de");
    assert_eq!(sent["state"]["customer"]["primary_contact"]["contact_email"], "mine@nordlicht.example.de");
    assert_eq!(h.applied_updates("cus_demo_0002"), 2);

    // The draft now shows the merged result and nothing pending.
    h.wait_until("the draft to be rebased", Duration::from_secs(10), |h| {
        let now = h.ok("open_draft", json!({"id": id(&draft)}));
        now["base"]["record"]["business_details"]["website"] == "https://theirs.example.de"
    });
    let rebased = h.ok("open_draft", json!({"id": id(&draft)}));
    assert_eq!(rebased["record"], rebased["base"]["record"]);
}

#[test]
fn production_queue_needs_the_exact_business_name() {
    let Some(h) = harness() else { return };
    h.add_environment("Prod", true);
    h.ok(
        "set_credentials",
        json!({"environment": "Prod", "api_key": kyb_sandbox::DEMO_API_KEY, "api_secret": kyb_sandbox::DEMO_API_SECRET}),
    );
    let draft = h.draft_with("cus_demo_0001", |record| record["primary_contact"]["contact_email"] = json!("kyb@acme-robotics.example.com"));
    assert_eq!(draft["environment"], "Prod");
    let queue = |confirmation: Value| json!({"id": id(&draft), "confirmation": confirmation});
    assert_eq!(h.err("queue_draft", json!({"id": id(&draft)}), "confirmation_required")["environment"], "Prod");
    h.err("queue_draft", queue(json!("acme robotics llc")), "confirmation_required");
    h.err("queue_draft", queue(json!("Acme Robotics LLC ")), "confirmation_required");
    let entry = h.ok("queue_draft", queue(json!("Acme Robotics LLC")));
    assert_eq!(entry["environment"], "Prod");
    h.wait_for_state(&id(&entry), "sent");
    assert_eq!(h.applied_updates("cus_demo_0001"), 1);

    // A draft whose customer was not opened in this session and has no base: the name is
    // fetched from the partner first.
    let record = h.open("cus_demo_0006")["record"].clone();
    let other = Harness::new();
    other.add_environment("Prod", true);
    other.ok(
        "set_credentials",
        json!({"environment": "Prod", "api_key": kyb_sandbox::DEMO_API_KEY, "api_secret": kyb_sandbox::DEMO_API_SECRET}),
    );
    // The second app's Prod points at its own sandbox; nothing of cus_demo_0006 was loaded there.
    let save = json!({"environment": "Prod", "target": {"kind": "update", "customer_id": "cus_demo_0006"}, "record": record});
    let draft = other.ok("save_draft", json!({"draft": save}));
    other.err("queue_draft", json!({"id": id(&draft)}), "confirmation_required");
    other.ok("queue_draft", json!({"id": id(&draft), "confirmation": "Andes Coffee Exporters Ltda."}));
    drop(other);

    // A new customer in production is confirmed with its partner_customer_id.
    let record = h.open("cus_demo_0006")["record"].clone();
    let create = json!({"environment": "Prod", "target": {"kind": "create", "partner_customer_id": "P-PROD-1"}, "record": record});
    let draft = h.ok("save_draft", json!({"draft": create}));
    h.err("queue_draft", json!({"id": id(&draft), "confirmation": "Andes Coffee Exporters Ltda."}), "confirmation_required");
    let entry = h.ok("queue_draft", json!({"id": id(&draft), "confirmation": "P-PROD-1"}));
    h.wait_for_state(&id(&entry), "sent");
}

#[test]
fn the_partners_refusals_come_back_on_the_entry() {
    let Some(h) = harness() else { return };
    // A document the partner never received: rejected with the field, back to the draft.
    let draft = h.draft_with("cus_demo_0001", |record| {
        record["business_details"]["business_identifier_document_list"] = json!(["file_never_uploaded"]);
    });
    let entry = h.ok("queue_draft", json!({"id": id(&draft)}));
    let rejected = h.wait_for_state(&id(&entry), "rejected");
    let problems = rejected["state"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["code"] == "unknown_file" && p["path"] == "business_details.business_identifier_document_list[0]"),
        "{rejected}"
    );
    // A suspended customer: failed with the partner's reason, nothing applied.
    let suspended = h.draft_with("cus_demo_0005", |record| record["business_details"]["website"] = json!("https://harbour.example.sg"));
    let entry = h.ok("queue_draft", json!({"id": id(&suspended)}));
    let failed = h.wait_for_state(&id(&entry), "failed");
    assert_eq!(failed["state"]["error"]["kind"], "conflict", "{failed}");
    assert_eq!(failed["state"]["error"]["status"], 409);
    // A customer the partner does not know (a draft without base is sent as is): failed, 404.
    let record = h.open("cus_demo_0002")["record"].clone();
    let save = json!({"environment": "Sandbox", "target": {"kind": "update", "customer_id": "cus_nope"}, "record": record});
    let unknown = h.ok("save_draft", json!({"draft": save}));
    let entry = h.ok("queue_draft", json!({"id": id(&unknown)}));
    assert_eq!(h.wait_for_state(&id(&entry), "failed")["state"]["error"]["kind"], "not_found");
    let stats = h.state().sandbox().unwrap().stats();
    assert_eq!(stats.total_updates(), 0);
}

#[test]
fn queued_entries_survive_a_restart_and_are_sent_once() {
    let Some(mut h) = harness_with(Options { worker: false, ..Options::default() }) else { return };
    let draft = h.draft_with("cus_demo_0003", |record| record["business_details"]["website"] = json!("https://sakura-trading.example.jp"));
    let entry = h.ok("queue_draft", json!({"id": id(&draft)}));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(h.entry(&id(&entry))["state"]["state"], "queued", "no worker: nothing sent");
    assert_eq!(h.applied_updates("cus_demo_0003"), 0);

    h.restart(Options::default());
    assert_eq!(h.ok("list_drafts", json!({}))["drafts"][0]["id"], draft["id"]);
    h.wait_for_state(&id(&entry), "sent");
    assert_eq!(h.applied_updates("cus_demo_0003"), 1);
    h.restart(Options::default());
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(h.entry(&id(&entry))["state"]["state"], "sent");
    assert_eq!(h.applied_updates("cus_demo_0003"), 1, "a restart sends nothing again");
}

#[test]
fn an_unreachable_environment_is_offline_and_its_entries_wait() {
    let Some(h) = harness() else { return };
    let record = h.open("cus_demo_0001")["record"].clone();
    // An environment on a loopback port nothing listens on, with credentials (demo ones).
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    h.ok(
        "save_environment",
        json!({"environment": {"name": "Other", "base_url": format!("http://127.0.0.1:{port}"), "colour": "#123456", "is_production": false}}),
    );
    h.ok("select_environment", json!({"name": "Other"}));
    h.ok(
        "set_credentials",
        json!({"environment": "Other", "api_key": kyb_sandbox::DEMO_API_KEY, "api_secret": kyb_sandbox::DEMO_API_SECRET}),
    );
    h.wait_until("the indicator to say offline", Duration::from_secs(10), |h| {
        let status = h.ok("outbox_status", json!({}));
        status["environment"] == "Other" && status["online"] == false && status["checked_at"].is_string()
    });
    // A draft queued there (no base: nothing to fetch first) waits for the network without
    // using up attempts: nothing is tried while the partner does not answer the probe.
    let save = json!({"environment": "Other", "target": {"kind": "update", "customer_id": "cus_demo_0001"}, "record": record});
    let draft = h.ok("save_draft", json!({"draft": save}));
    let entry = h.ok("queue_draft", json!({"id": id(&draft)}));
    std::thread::sleep(Duration::from_millis(1_500)); // 15 worker rounds
    let waiting = h.entry(&id(&entry));
    assert_eq!(waiting["state"]["state"], "queued", "{waiting}");
    assert_eq!(waiting["attempts"], 0, "attempts were used up while offline: {waiting}");
    assert_eq!(h.ok("outbox_status", json!({}))["online"], false);

    // The partner comes up on that port: the entry goes by itself, applied once there.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut config = kyb_sandbox::SandboxConfig::new(data.path().to_path_buf());
    config.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    config.seed_demo_customers = true;
    let partner = runtime.block_on(kyb_sandbox::start(config)).expect("a sandbox on the freed port");
    h.wait_until("the entry to be sent once the partner answers", Duration::from_secs(10), |h| h.entry(&id(&entry))["state"]["state"] == "sent");
    h.wait_until("the indicator to say online", Duration::from_secs(10), |h| h.ok("outbox_status", json!({}))["online"] == true);
    assert_eq!(partner.stats().updates_for("cus_demo_0001"), 1);
    runtime.block_on(partner.shutdown());

    // Back on the sandbox: online there.
    h.ok("select_environment", json!({"name": "Sandbox"}));
    h.wait_until("the indicator to say online", Duration::from_secs(10), |h| {
        let status = h.ok("outbox_status", json!({}));
        status["environment"] == "Sandbox" && status["online"] == true && status["checked_at"].is_string()
    });
}

#[test]
fn the_same_portable_file_queued_twice_is_applied_once() {
    let Some(h) = harness() else { return };
    let draft = h.draft_with("cus_demo_0006", |record| record["business_details"]["website"] = json!("https://andes.example.org"));
    let exported = h.ok("export_draft", json!({"id": id(&draft)}));
    let text = std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap();
    let file_key = serde_json::from_str::<Value>(&text).unwrap()["idempotency_key"].clone();
    h.ok("delete_draft", json!({"id": id(&draft)}));

    let report = h.ok("import_draft", json!({"file_name": exported["file_name"], "text": text}));
    assert_eq!(report["idempotency_key"], file_key);
    let first = h.ok("queue_draft", json!({"id": id(&report["draft"])}));
    assert_eq!(first["idempotency_key"], file_key, "queued with the file's key");
    h.wait_for_state(&id(&first), "sent");
    assert_eq!(h.applied_updates("cus_demo_0006"), 1);

    // The same file again (a colleague, another machine): one intent, not applied again.
    let report = h.ok("import_draft", json!({"file_name": exported["file_name"], "text": text}));
    let second = h.ok("queue_draft", json!({"id": id(&report["draft"])}));
    assert_ne!(second["id"], first["id"]);
    assert_eq!(second["idempotency_key"], file_key);
    h.wait_for_state(&id(&second), "sent");
    let stats = h.state().sandbox().unwrap().stats();
    assert_eq!(stats.updates_for("cus_demo_0006"), 1, "applied once");
    assert!(stats.idempotent_replays >= 1);

    // Changed after the import: a new intent with a new key.
    let report = h.ok("import_draft", json!({"file_name": exported["file_name"], "text": text}));
    let mut save = json!({"id": report["draft"]["id"], "environment": "Sandbox", "target": report["draft"]["target"], "record": report["draft"]["record"]});
    save["record"]["business_details"]["website"] = json!("https://andes.example.net");
    h.ok("save_draft", json!({"draft": save}));
    let third = h.ok("queue_draft", json!({"id": id(&report["draft"])}));
    assert_ne!(third["idempotency_key"], file_key);
}
