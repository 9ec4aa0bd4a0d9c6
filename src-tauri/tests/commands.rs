//! The drafts, outbox and review commands through the IPC layer, as the page calls them: every
//! command of `COMMANDS` answers through IPC, answers carry amounts as strings, raw bytes come
//! back raw, and a structured argument that does not parse is `invalid_input` naming it.
//! What these commands do is tested on the use cases in crates/kyb-app/tests.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use tauri::ipc::InvokeBody;

use crate::common::{invoke_body_from, png_bytes, Harness, OFFICER};

const AMOUNT: &str = "estimated_monthly_revenue_amount";
const REVIEWER: &str = "Rita Reviewer";

/// Calls through IPC, remembering which commands were called.
struct Calls<'a> {
    h: &'a Harness,
    seen: BTreeSet<String>,
}

impl Calls<'_> {
    fn ok(&mut self, cmd: &str, args: Value) -> Value {
        self.seen.insert(cmd.to_owned());
        self.h.ok(cmd, args)
    }

    fn err(&mut self, cmd: &str, args: Value, kind: &str) -> Value {
        self.seen.insert(cmd.to_owned());
        self.h.err(cmd, args, kind)
    }

    fn raw(&mut self, cmd: &str, args: Value) -> Vec<u8> {
        self.seen.insert(cmd.to_owned());
        self.h.invoke_raw(cmd, args)
    }
}

/// Send `bytes` to staged upload `upload_id` in `chunk`-byte pieces through
/// `append_document_chunk` (raw body, id and offset in headers); the last answer.
fn send_chunks(c: &mut Calls<'_>, upload_id: &str, bytes: &[u8], chunk: usize) -> Value {
    c.seen.insert("append_document_chunk".into());
    let mut received = Value::Null;
    for (index, piece) in bytes.chunks(chunk).enumerate() {
        let offset = (index * chunk).to_string();
        let headers = [("kyb-upload-id", upload_id), ("kyb-upload-offset", offset.as_str())];
        received = c.h.invoke_bytes("append_document_chunk", piece.to_vec(), &headers).expect("chunk accepted");
    }
    received
}

/// The chunked path the page takes: an upload and a reviewer's copy, each begun, sent in order
/// and finished; a chunk out of order or over the size refused on its field; a cancel.
fn chunked_upload_and_copy(c: &mut Calls<'_>) {
    let bytes = png_bytes();
    let size = bytes.len();
    let begun = c.ok("begin_document_upload", json!({"file_name": "Überweisung.png", "file_type": "Main page", "size": size}));
    assert_eq!(begun["max_chunk_bytes"], kyb_app::use_cases::documents::MAX_CHUNK_BYTES as u64);
    let upload_id = begun["upload_id"].as_str().unwrap().to_owned();
    let out_of_order = c.h.invoke_bytes("append_document_chunk", bytes[5..].to_vec(), &[("kyb-upload-id", &upload_id), ("kyb-upload-offset", "5")]);
    assert_eq!(out_of_order.unwrap_err()["field"], "offset");
    let json_chunk = invoke_body_from(&c.h.window, "append_document_chunk", InvokeBody::Json(json!([1, 2])), &[("kyb-upload-id", &upload_id), ("kyb-upload-offset", "0")]);
    assert_eq!(json_chunk.unwrap_err()["field"], "bytes");
    assert_eq!(send_chunks(c, &upload_id, &bytes, 10), json!(size));
    let too_much = c.h.invoke_bytes("append_document_chunk", vec![0], &[("kyb-upload-id", &upload_id), ("kyb-upload-offset", &size.to_string())]);
    assert_eq!(too_much.unwrap_err()["field"], "bytes");
    let uploaded = c.ok("finish_document_upload", json!({"upload_id": upload_id}));
    let file_id = uploaded["file_id"].as_str().unwrap();
    let copy = c.h.state().drafts().unwrap().vault.read("Sandbox", file_id).unwrap().expect("a local copy");
    assert_eq!((copy.0.file_name.as_str(), copy.1), ("Überweisung.png", bytes.clone()));
    let big = c.err("begin_document_upload", json!({"file_name": "scan.pdf", "file_type": "Invoice", "size": 60 * 1024 * 1024}), "invalid_input");
    assert_eq!(big["field"], "bytes");
    assert!(big["message"].as_str().unwrap().contains(&(60 * 1024 * 1024).to_string()), "{big}");

    let draft = c.h.draft_with("cus_demo_0001", |record| {
        record["business_details"]["business_identifier_document_list"] = json!([file_id]);
    });
    let id = draft["id"].as_str().unwrap();
    let begun = c.ok("begin_document_copy", json!({"id": id, "file_id": file_id, "file_name": "copy.png", "size": size}));
    let upload_id = begun["upload_id"].as_str().unwrap().to_owned();
    send_chunks(c, &upload_id, &bytes, 1024 * 1024);
    assert_eq!(c.ok("finish_document_copy", json!({"upload_id": upload_id}))["file_name"], "copy.png");

    let begun = c.ok("begin_document_upload", json!({"file_name": "a.png", "file_type": "Invoice", "size": size}));
    let upload_id = begun["upload_id"].as_str().unwrap().to_owned();
    c.ok("cancel_document_upload", json!({"upload_id": upload_id}));
    assert_eq!(c.err("finish_document_upload", json!({"upload_id": upload_id}), "invalid_input")["field"], "upload_id");
}

/// A profile whose closed business-type list leaves out `record`'s business type.
fn closing_profile(record: &Value) -> String {
    let current = record["business_details"]["business_type"].as_str().unwrap_or_default();
    let other = if current == "Corporation" { "Limited Liability Company" } else { "Corporation" };
    json!({
        "format": "kyb-desk-partner-profile", "version": 1, "name": "ACME", "revision": 3,
        "enumerations": {"business_type": {"values": [other], "closed": true}}
    })
    .to_string()
}

/// Settings on the active environment "Other" (the sandbox's URL, demo credentials stored):
/// a refused file answers its problems with their paths; an accepted one closes the pickers'
/// list and `validate_record` follows it; back to the built-in one. Test connection in words
/// (without credentials: checked by the caller once it has cleared them).
fn partner_profile_and_connection(c: &mut Calls<'_>, record: &Value) {
    let other = json!({"environment": "Other"});
    assert_eq!(c.ok("partner_profile", other.clone())["built_in"], true);
    let refused = c.ok(
        "import_partner_profile",
        json!({"environment": "Other", "text": r#"{"format": "kyb-desk-partner-profile", "version": 7, "name": "", "revision": 1}"#}),
    );
    assert_eq!(refused["accepted"], false, "{refused}");
    let paths: Vec<&str> = refused["problems"].as_array().unwrap().iter().filter_map(|p| p["path"].as_str()).collect();
    assert!(paths.contains(&"version") && paths.contains(&"name"), "{refused}");
    assert_eq!(refused["active"]["built_in"], true);
    c.err("import_partner_profile", json!({"environment": "Nowhere", "text": "{}"}), "invalid_input");

    let accepted = c.ok("import_partner_profile", json!({"environment": "Other", "text": closing_profile(record)}));
    assert_eq!((&accepted["accepted"], &accepted["active"]["name"]), (&json!(true), &json!("ACME")), "{accepted}");
    assert_eq!(accepted["active"]["closed_lists"], json!(["business_type"]));
    let reference = c.ok("reference_data", json!({}));
    assert_eq!(reference["partner_profile"]["name"], "ACME");
    assert_eq!(reference["business_types"].as_array().map(Vec::len), Some(1), "{}", reference["business_types"]);
    let issues = c.ok("validate_record", json!({"record": record}));
    let refused_type = issues.as_array().unwrap().iter().find(|i| i["path"] == "business_details.business_type");
    assert_eq!(refused_type.map(|i| (&i["code"], &i["source"])), Some((&json!("not_in_list"), &json!("partner"))), "{issues}");
    assert_eq!(c.ok("partner_profile", other.clone())["revision"], 3);

    assert_eq!(c.ok("reset_partner_profile", other.clone())["built_in"], true);
    assert_eq!(c.ok("reference_data", json!({}))["partner_profile"]["built_in"], true);
    let issues = c.ok("validate_record", json!({"record": record}));
    assert!(!issues.as_array().unwrap().iter().any(|i| i["path"] == "business_details.business_type"), "{issues}");

    let tested = c.ok("test_connection", other.clone());
    assert_eq!(tested["outcome"], "credentials_accepted", "{tested}");
    assert!(tested["message"].as_str().is_some_and(|m| m.starts_with("Connected to")), "{tested}");
}

fn is_text_amount(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.parse::<f64>().is_ok())
}

#[test]
fn every_command_answers_through_ipc() {
    let h = Harness::new();
    if !h.keychain() {
        h.err("list_drafts", json!({}), "keychain_unavailable");
        return;
    }
    let mut calls = Calls {
        h: &h,
        seen: BTreeSet::new(),
    };
    let c = &mut calls;

    assert_eq!(c.ok("get_session", json!({}))["active"], "Sandbox");
    assert!(c.ok("reference_data", json!({}))["countries"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    assert_eq!(c.ok("get_profiles", json!({}))["active"], OFFICER);
    assert_eq!(
        c.ok("choose_profile", json!({"name": OFFICER}))["active"],
        OFFICER
    );

    // Customers and records.
    let loaded = h.open("cus_demo_0002");
    c.seen.insert("open_customer".into());
    let found = c.ok("search_customers", json!({"query": "cus_demo_0002"}));
    assert_eq!(found["matches"][0]["customer_id"], "cus_demo_0002", "{found}");
    assert_eq!(c.ok("start_info", json!({}))["last_run_crashed"], false);
    // Only a file this session exported can be shown in the file manager.
    assert_eq!(c.err("reveal_export", json!({"path": "/etc/passwd"}), "invalid_input")["field"], "path");
    assert!(
        is_text_amount(&loaded["record"]["account_usage"][AMOUNT]),
        "{loaded}"
    );
    assert!(c
        .ok("validate_record", json!({"record": loaded["record"]}))
        .is_array());
    assert_eq!(
        c.ok(
            "diff_record",
            json!({"base": loaded["record"], "edited": loaded["record"]})
        )["changes"],
        json!([])
    );
    // Documents travel as the raw body, the other arguments in headers (as ipc.ts sends them).
    c.seen.insert("upload_document".into());
    let uploaded = h
        .upload("front.png", "Main page", png_bytes())
        .expect("uploaded");
    let file_id = uploaded["file_id"].as_str().unwrap().to_owned();
    chunked_upload_and_copy(c);

    // Drafts: answers carry amounts as strings, the record's and its base's.
    let mut record = loaded["record"].clone();
    record["business_details"]["website"] = json!("https://nordlicht.example.de");
    record["account_usage"][AMOUNT] = json!("99.99");
    record["business_person_list"][0]["identification"]["id_document_front_file_id"] =
        json!(file_id);
    let draft = c.ok(
        "save_draft",
        json!({"draft": h.update_save(&loaded, &record)}),
    );
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["record"]["account_usage"][AMOUNT], "99.99");
    assert!(
        is_text_amount(&draft["base"]["record"]["account_usage"][AMOUNT]),
        "{draft}"
    );
    assert_eq!(c.ok("open_draft", json!({"id": id})), draft);
    assert_eq!(
        c.ok("list_drafts", json!({}))["drafts"][0]["id"],
        id.as_str()
    );
    assert_eq!(c.ok("set_open_draft", json!({"id": id})), Value::Null);
    assert_eq!(c.ok("restore_workspace", json!({})), draft);
    let exported = c.ok("export_draft", json!({"id": id}));
    let text = std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap();
    let report = c.ok(
        "import_draft",
        json!({"file_name": exported["file_name"], "text": text}),
    );
    assert_eq!(report["draft"]["id"], id.as_str());
    assert_eq!(report["draft"]["record"]["account_usage"][AMOUNT], "99.99");

    // Review: the copy comes back as raw bytes; the reviewer decides, confirms and approves.
    let view = c.ok("review_status", json!({"id": id}));
    assert_eq!(
        c.raw("read_document_copy", json!({"id": id, "file_id": file_id})),
        png_bytes()
    );
    c.ok("choose_profile", json!({"name": REVIEWER}));
    for doc in view["documents"].as_array().unwrap() {
        let args = json!({"id": id, "file_id": doc["reference"]["file_id"], "decision": "verified", "reasons": [], "note": ""});
        c.ok("decide_document", args);
    }
    let mut view = c.ok("review_status", json!({"id": id}));
    for item in view["checklist"]["items"].as_array().unwrap().clone() {
        if let Some(path) = item["id"]
            .as_str()
            .unwrap()
            .strip_prefix("identifier_matches:")
        {
            view = c.ok(
                "confirm_identifier",
                json!({"id": id, "path": path, "confirmed": true}),
            );
        }
    }
    assert_eq!(view["checklist"]["complete"], true, "{view}");
    c.seen.insert("attach_document_copy".into());
    let refused = h
        .attach(&id, "file_unrelated", "a.pdf", vec![1, 2])
        .expect_err("a file the draft does not reference");
    assert_eq!(
        (&refused["kind"], &refused["field"]),
        (&json!("invalid_input"), &json!("file_id"))
    );
    assert_eq!(
        c.ok("approve_draft", json!({"id": id}))["approval"]["state"],
        "valid"
    );
    c.ok("choose_profile", json!({"name": OFFICER}));
    assert!(c.ok("export_case_report", json!({"id": id}))["file_name"]
        .as_str()
        .unwrap()
        .ends_with(".html"));

    // Outbox: the entry carries amounts as strings; once sent it is neither retried nor cancelled.
    let entry = c.ok("queue_draft", json!({"id": id}));
    assert_eq!(
        entry["record"]["account_usage"][AMOUNT], "99.99",
        "amounts reach the page as strings"
    );
    let entry_id = entry["id"].as_str().unwrap().to_owned();
    let sent = h.wait_for_state(&entry_id, "sent");
    c.seen.insert("outbox_status".into());
    assert_eq!(sent["state"]["customer"]["account_usage"][AMOUNT], "99.99");
    c.err("retry_outbox_entry", json!({"id": entry_id}), "outbox_busy");
    c.err(
        "cancel_outbox_entry",
        json!({"id": entry_id}),
        "outbox_busy",
    );
    c.err(
        "resolve_conflict",
        json!({"id": entry_id, "choices": {}}),
        "outbox_busy",
    );

    // The audit trail.
    let trail = c.ok(
        "audit_log",
        json!({"filter": {"customer": "cus_demo_0002"}}),
    );
    assert_eq!(trail["chain"]["intact"], true, "{}", trail["chain"]);
    assert!(c.ok("export_audit", json!({"filter": {}}))["file_name"]
        .as_str()
        .unwrap()
        .ends_with(".json"));

    // Trash and undo.
    assert_eq!(c.ok("delete_draft", json!({"id": id})), Value::Null);
    assert_eq!(c.ok("restore_draft", json!({"id": id}))["id"], id.as_str());

    // Environments and credentials.
    let environment = json!({"name": "Other", "base_url": h.sandbox_url(), "colour": "#123456", "is_production": false});
    let other = |session: Value| -> Value {
        session["environments"].as_array().and_then(|e| e.iter().find(|e| e["name"] == "Other").cloned()).unwrap_or(Value::Null)
    };
    assert_eq!(other(c.ok("save_environment", json!({"environment": environment})))["name"], "Other");
    assert_eq!(
        c.ok("select_environment", json!({"name": "Other"}))["active"],
        "Other"
    );
    let credentials = json!({"environment": "Other", "api_key": kyb_sandbox::DEMO_API_KEY, "api_secret": kyb_sandbox::DEMO_API_SECRET});
    assert_eq!(other(c.ok("set_credentials", credentials))["has_credentials"], true);
    partner_profile_and_connection(c, &loaded["record"]);
    assert_eq!(other(c.ok("clear_credentials", json!({"environment": "Other"})))["has_credentials"], false);
    assert_eq!(c.ok("test_connection", json!({"environment": "Other"}))["outcome"], "no_credentials");
    assert_eq!(
        c.ok("delete_environment", json!({"name": "Other"}))["active"],
        "Sandbox"
    );

    team_commands_in_solo_mode(c);

    let every: BTreeSet<String> = kyb_desk_lib::commands::COMMANDS
        .iter()
        .map(|c| c.to_string())
        .collect();
    let missed: Vec<&String> = every.difference(&calls.seen).collect();
    assert!(missed.is_empty(), "not called through IPC: {missed:?}");
    assert_eq!(calls.seen, every, "called something that is not a command");
}

/// Structured arguments are read by the shell, not by Tauri: a bad shape is `invalid_input`
/// naming the argument, before any use case runs (so without a keychain too).
#[test]
fn structured_arguments_that_do_not_parse_name_the_argument() {
    let h = Harness::new();
    let id = kyb_core::drafts::update_draft_id("Sandbox", "cus_demo_0001");
    let cases = [
        ("save_draft", json!({"draft": "text"}), "draft"),
        ("save_draft", json!({"draft": {"record": {}}}), "draft"),
        (
            "resolve_conflict",
            json!({"id": "o-0123456789abcdef", "choices": []}),
            "choices",
        ),
        (
            "resolve_conflict",
            json!({"id": "o-0123456789abcdef", "choices": {"a": "both"}}),
            "choices",
        ),
        (
            "decide_document",
            json!({"id": id, "file_id": "f", "decision": "maybe", "reasons": [], "note": ""}),
            "decision",
        ),
        (
            "decide_document",
            json!({"id": id, "file_id": "f", "decision": "rejected", "reasons": "x", "note": ""}),
            "reasons",
        ),
        ("audit_log", json!({"filter": "everything"}), "filter"),
        ("export_audit", json!({"filter": {"types": "x"}}), "filter"),
        (
            "open_customer",
            json!({"lookup": {"by": "email", "value": "x"}}),
            "lookup",
        ),
        (
            "save_environment",
            json!({"environment": "Prod"}),
            "environment",
        ),
    ];
    for (cmd, args, field) in cases {
        assert_eq!(
            h.err(cmd, args.clone(), "invalid_input")["field"],
            field,
            "{cmd} {args}"
        );
    }
}

/// Documents are the raw IPC body with the other arguments in percent-encoded headers (a
/// non-ASCII file name arrives intact); the old JSON array of numbers, or any JSON body, is
/// `invalid_input` naming `bytes`, and a missing header names its argument.
#[test]
fn documents_travel_as_raw_bodies_and_json_is_refused() {
    let h = Harness::new();
    if !h.keychain() {
        return;
    }
    let uploaded = h
        .upload("Überweisung März.png", "Article of Association", png_bytes())
        .expect("a raw upload works");
    let file_id = uploaded["file_id"].as_str().unwrap().to_owned();
    let copy = h
        .state()
        .drafts()
        .unwrap()
        .vault
        .info("Sandbox", &file_id)
        .unwrap()
        .expect("a local copy");
    assert_eq!(copy.file_name, "Überweisung März.png");
    assert_eq!(
        copy.file_type,
        Some(kyb_core::model::FileType::ArticleOfAssociation)
    );

    let as_numbers = json!({"file_name": "a.png", "file_type": "Main page", "bytes": png_bytes()});
    assert_eq!(
        h.err("upload_document", as_numbers, "invalid_input")["field"],
        "bytes"
    );
    let headers = [("kyb-file-name", "a.png"), ("kyb-file-type", "Main page")];
    let json_body = InvokeBody::Json(json!(png_bytes()));
    let refused = invoke_body_from(&h.window, "upload_document", json_body, &headers).unwrap_err();
    assert_eq!((&refused["kind"], &refused["field"]), (&json!("invalid_input"), &json!("bytes")));
    let missing_type = h
        .invoke_bytes("upload_document", png_bytes(), &[("kyb-file-name", "a.png")])
        .unwrap_err();
    assert_eq!(missing_type["field"], "file_type");
    let wrong_type = h.upload("a.png", "main page", png_bytes()).unwrap_err();
    assert_eq!(wrong_type["field"], "file_type");

    let draft = h.draft_with("cus_demo_0001", |record| {
        record["business_details"]["business_identifier_document_list"] = json!([file_id]);
    });
    let id = draft["id"].as_str().unwrap();
    let attach_json = json!({"id": id, "file_id": file_id, "file_name": "a.png", "bytes": [1, 2]});
    assert_eq!(
        h.err("attach_document_copy", attach_json, "invalid_input")["field"],
        "bytes"
    );
    let attached = h
        .attach(id, &file_id, "replacement.png", png_bytes())
        .expect("a raw attach works");
    assert_eq!(attached["file_name"], "replacement.png");
}

/// Team mode's commands on a desktop that is not connected: each answers through IPC, in solo
/// mode with typed refusals naming what to do (the team flows themselves run against a real team
/// server in kyb-app's tests/team_desktop.rs and the end-to-end tests/tests/e2e_team.rs).
fn team_commands_in_solo_mode(c: &mut Calls<'_>) {
    let status = c.ok("team_status", json!({}));
    assert!(status.get("server_url").is_none() && status["environments"] == json!([]), "solo: {status}");
    let refused = c.err("team_connect", json!({"server_url": "ftp://team.example.com"}), "invalid_input");
    assert_eq!(refused["field"], "server_url");
    c.err("team_sign_in", json!({}), "team_not_connected");
    c.err("team_sign_out", json!({}), "team_not_connected");
    assert!(c.ok("team_disconnect", json!({})).get("server_url").is_none());
    c.err("team_drafts", json!({"queue": "waiting_for_my_review"}), "team_not_connected");
    assert_eq!(c.err("team_drafts", json!({"queue": "everything"}), "invalid_input")["field"], "queue");
    c.err("team_assign_to_me", json!({"team_id": "5d9f6a1e-0000-4000-8000-000000000000"}), "team_not_connected");
    c.err("team_open_draft", json!({"team_id": "5d9f6a1e-0000-4000-8000-000000000000"}), "team_not_connected");
    assert_eq!(c.err("team_start_draft", json!({"environment": "Sandbox", "customer_id": "cus_demo_0001"}), "invalid_input")["field"], "environment");
    let solo_draft = kyb_core::drafts::update_draft_id("Sandbox", "cus_demo_0001");
    for command in ["team_submit", "team_submission", "team_trail", "team_conflict"] {
        assert_eq!(c.err(command, json!({"id": solo_draft}), "invalid_input")["field"], "id", "{command}");
    }
    c.err("team_resolve_conflict", json!({"id": solo_draft, "choices": {}}), "invalid_input");
}
