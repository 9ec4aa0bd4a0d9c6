//! The reviewer workflow through the IPC layer (issue 5), against the real in-process sandbox and
//! a real keychain: profiles, documents and local copies, decisions, four-eyes approval bound to
//! the diff, an environment that requires approval, approval travelling in an exported file,
//! the hash-chained audit trail (and tampering with it), the case report.

mod common;

use std::time::Duration;

use common::{Harness, Options, OFFICER};
use kyb_app::state::DEMO_CUSTOMER_WITHOUT_COPIES;
use serde_json::{json, Value};

const REVIEWER: &str = "Rita Reviewer";

fn harness_with(options: Options) -> Option<Harness> {
    let h = Harness::with(options);
    if h.keychain() {
        Some(h)
    } else {
        h.err("review_status", json!({"id": "u-00000000000000000000000000000000"}), "keychain_unavailable");
        None
    }
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

fn act_as(h: &Harness, name: &str) {
    let view = h.ok("choose_profile", json!({"name": name}));
    assert_eq!(view["active"], name);
}

/// An environment on this harness's sandbox that requires approval (not production, so no typed
/// confirmation), with the sandbox's demo credentials, made active.
fn approval_environment(h: &Harness) {
    let url = h.sandbox_url();
    h.ok(
        "save_environment",
        json!({"environment": {"name": "Other", "base_url": url, "colour": "#2e7d32", "is_production": false, "requires_approval": true}}),
    );
    h.ok(
        "set_credentials",
        json!({"environment": "Other", "api_key": kyb_sandbox::DEMO_API_KEY, "api_secret": kyb_sandbox::DEMO_API_SECRET}),
    );
    h.ok("select_environment", json!({"name": "Other"}));
}

/// Decide every document Verified and confirm every identifier number, as the active profile.
fn review_everything(h: &Harness, draft_id: &str) -> Value {
    let view = h.ok("review_status", json!({"id": draft_id}));
    for doc in view["documents"].as_array().unwrap() {
        h.ok(
            "decide_document",
            json!({"id": draft_id, "file_id": doc["reference"]["file_id"], "decision": "verified", "reasons": [], "note": ""}),
        );
    }
    let mut view = h.ok("review_status", json!({"id": draft_id}));
    for item in view["checklist"]["items"].as_array().unwrap().clone() {
        if let Some(path) = item["id"].as_str().unwrap().strip_prefix("identifier_matches:") {
            view = h.ok("confirm_identifier", json!({"id": draft_id, "path": path, "confirmed": true}));
        }
    }
    view
}

fn audit(h: &Harness, filter: Value) -> Value {
    h.ok("audit_log", json!({"filter": filter}))
}

fn event_types(view: &Value) -> Vec<String> {
    // Oldest first, for reading the story.
    let mut types: Vec<String> =
        view["entries"].as_array().unwrap().iter().map(|e| e["event"]["type"].as_str().unwrap().to_owned()).collect();
    types.reverse();
    types
}

#[test]
fn profiles_are_chosen_created_and_validated() {
    let Some(h) = harness_with(Options { profile: None, ..Options::default() }) else { return };
    let view = h.ok("get_profiles", json!({}));
    assert!(view.get("active").is_none(), "{view}");
    // Nothing is queued or approved by nobody.
    let draft = h.draft_with("cus_demo_0002", |r| r["business_details"]["website"] = json!("https://n.example.de"));
    h.err("queue_draft", json!({"id": id(&draft)}), "no_profile");
    h.err("approve_draft", json!({"id": id(&draft)}), "no_profile");

    let err = h.err("choose_profile", json!({"name": "   "}), "invalid_input");
    assert_eq!(err["field"], "name");
    h.err("choose_profile", json!({"name": "x".repeat(65)}), "invalid_input");
    h.err("choose_profile", json!({"name": "Ana\u{7}"}), "invalid_input");

    act_as(&h, "Ana Lima");
    let view = h.ok("choose_profile", json!({"name": "  ana   LIMA "}));
    assert_eq!(view["active"], "Ana Lima", "an existing profile keeps its spelling: {view}");
    assert_eq!(view["profiles"].as_array().unwrap().len(), 1);
    act_as(&h, REVIEWER);
    let view = h.ok("get_profiles", json!({}));
    assert_eq!(view["last"], REVIEWER);
    assert_eq!(view["profiles"].as_array().unwrap().len(), 2);
}

#[test]
fn preparer_and_reviewer_four_eyes_from_edit_to_sent_with_an_intact_trail() {
    let Some(h) = harness_with(Options::default()) else { return };
    approval_environment(&h);

    // The officer prepares a change, with a newly uploaded ID front for the representative.
    let loaded = h.open("cus_demo_0002");
    let uploaded = h.ok(
        "upload_document",
        json!({"file_name": "vogel-front.png", "file_type": "Main page", "bytes": common::png_bytes()}),
    );
    let new_front = uploaded["file_id"].as_str().unwrap().to_owned();
    let mut record = loaded["record"].clone();
    record["business_details"]["website"] = json!("https://nordlicht.example.de");
    record["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!(new_front);
    let draft = h.ok("save_draft", json!({"draft": h.update_save(&loaded, &record)}));
    assert_eq!(draft["review"]["editors"], json!([OFFICER]));
    let draft_id = id(&draft);

    // The uploaded file has a local copy; the others of this customer are demo copies (or none yet).
    let view = h.ok("review_status", json!({"id": draft_id}));
    let docs = view["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4, "two company documents, ID front and back: {view}");
    let front = docs.iter().find(|d| d["reference"]["file_id"] == new_front.as_str()).unwrap();
    assert_eq!(front["reference"]["kind"], "id_front");
    assert_eq!(front["reference"]["person"], 0);
    assert_eq!(front["copy"]["origin"], "uploaded");
    assert_eq!(front["copy"]["preview"], "image");
    assert_eq!(front["copy"]["added_by"], OFFICER);
    assert!(front["reference"]["supports"].as_array().unwrap().contains(&json!("business_person_list[0].identification.id_number")));
    let bytes = h.invoke_raw("read_document_copy", json!({"id": draft_id, "file_id": new_front}));
    assert_eq!(bytes, common::png_bytes());

    // Four-eyes: the preparer can neither decide nor approve; the environment refuses the queue.
    h.err(
        "decide_document",
        json!({"id": draft_id, "file_id": new_front, "decision": "verified", "reasons": [], "note": ""}),
        "self_approval",
    );
    h.err("approve_draft", json!({"id": draft_id}), "self_approval");
    let refused = h.err("queue_draft", json!({"id": draft_id}), "approval_required");
    assert_eq!(refused["environment"], "Other");

    // The reviewer decides: a rejection needs a reason, "other" a note.
    act_as(&h, REVIEWER);
    let err = h.err(
        "decide_document",
        json!({"id": draft_id, "file_id": new_front, "decision": "rejected", "reasons": [], "note": ""}),
        "invalid_input",
    );
    assert_eq!(err["field"], "reasons");
    let err = h.err(
        "decide_document",
        json!({"id": draft_id, "file_id": new_front, "decision": "needs_reupload", "reasons": ["other"], "note": " "}),
        "invalid_input",
    );
    assert_eq!(err["field"], "note");
    let err = h.err(
        "decide_document",
        json!({"id": draft_id, "file_id": "file_not_in_this_record", "decision": "verified", "reasons": [], "note": ""}),
        "invalid_input",
    );
    assert_eq!(err["field"], "file_id");
    let view = h.ok(
        "decide_document",
        json!({"id": draft_id, "file_id": new_front, "decision": "needs_reupload", "reasons": ["illegible"], "note": "glare over the number"}),
    );
    let blocker = &view["approve_blocker"];
    assert_eq!(blocker["kind"], "checklist_incomplete", "{view}");
    h.err("approve_draft", json!({"id": draft_id}), "checklist_incomplete");

    // Every document verified and every number confirmed: the checklist is complete.
    let view = review_everything(&h, &draft_id);
    assert_eq!(view["checklist"]["complete"], true, "{}", view["checklist"]);
    assert!(view.get("approve_blocker").is_none(), "{view}");
    let approved = h.ok("approve_draft", json!({"id": draft_id}));
    assert_eq!(approved["approval"]["state"], "valid");
    assert_eq!(approved["approval"]["approval"]["approver"], REVIEWER);
    assert_eq!(approved["approval"]["approval"]["diff_hash"], approved["diff_hash"]);

    // Any change voids the approval; the trail says so; a new approval is needed.
    act_as(&h, OFFICER);
    let mut changed = record.clone();
    changed["business_details"]["website"] = json!("https://nordlicht.example.com");
    let saved = h.ok("save_draft", json!({"draft": h.update_save(&loaded, &changed)}));
    assert!(saved["review"].get("approval").is_none(), "{saved}");
    assert_eq!(h.ok("review_status", json!({"id": draft_id}))["approval"]["state"], "none");
    h.err("queue_draft", json!({"id": draft_id}), "approval_required");
    act_as(&h, REVIEWER);
    h.ok("approve_draft", json!({"id": draft_id}));

    // Queued by the preparer with the approval; sent once; the status settles.
    act_as(&h, OFFICER);
    let entry = h.ok("queue_draft", json!({"id": draft_id}));
    assert_eq!(entry["queued_by"], OFFICER);
    assert_eq!(entry["approval"]["approver"], REVIEWER);
    h.wait_for_state(&id(&entry), "sent");
    h.wait_until("the status to settle in the trail", Duration::from_secs(20), |h| {
        event_types(&audit(h, json!({"customer": "cus_demo_0002"}))).contains(&"status_changed".to_owned())
    });

    let trail = audit(&h, json!({"customer": "cus_demo_0002"}));
    assert_eq!(trail["chain"]["intact"], true, "{}", trail["chain"]);
    let types = event_types(&trail);
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
        assert!(types.contains(&expected.to_owned()), "{expected} in {types:?}");
    }
    let queued = trail["entries"].as_array().unwrap().iter().find(|e| e["event"]["type"] == "submission_queued").unwrap();
    assert_eq!(queued["actor"], OFFICER);
    assert_eq!(queued["environment"], "Other");
    let website = queued["event"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "business_details.website")
        .expect("field old → new");
    assert_eq!(website["before"], "https://nordlicht-logistik.example.com");
    assert_eq!(website["after"], "https://nordlicht.example.com");
    let sent = trail["entries"].as_array().unwrap().iter().find(|e| e["event"]["type"] == "submission_sent").unwrap();
    assert_eq!(sent["event"]["status"], "Processing", "the server's answer: {sent}");
    let filtered = audit(&h, json!({"customer": "cus_demo_0002", "types": ["document_decided"]}));
    assert!(filtered["entries"].as_array().unwrap().iter().all(|e| e["event"]["type"] == "document_decided"));
    assert!(trail["customers"].as_array().unwrap().contains(&json!("cus_demo_0002")));

    // The case report holds the decisions; the JSON export the entries and the chain check.
    let report = h.ok("export_case_report", json!({"id": draft_id}));
    let html = std::fs::read_to_string(report["path"].as_str().unwrap()).unwrap();
    assert!(report["file_name"].as_str().unwrap().ends_with(".html"));
    assert!(html.contains(&format!("data-file-id=\"{new_front}\"")), "{html}");
    assert!(html.contains("data-decision=\"verified\""));
    assert!(html.contains(REVIEWER));
    assert!(html.contains("data-intact=\"true\""));
    let exported = h.ok("export_audit", json!({"filter": {"customer": "cus_demo_0002"}}));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap()).unwrap();
    assert_eq!(json["format"], "kyb-desk-audit");
    assert_eq!(json["chain"]["intact"], true);
    assert_eq!(json["entries"].as_array().unwrap().len(), trail["entries"].as_array().unwrap().len());
}

#[test]
fn a_document_without_a_local_copy_can_be_attached() {
    let Some(h) = harness_with(Options::default()) else { return };
    let draft = h.draft_with(DEMO_CUSTOMER_WITHOUT_COPIES, |r| r["business_details"]["website"] = json!("https://acme.example.org"));
    let draft_id = id(&draft);
    let view = h.ok("review_status", json!({"id": draft_id}));
    let doc = view["documents"].as_array().unwrap().iter().find(|d| d["reference"]["kind"] == "business_registration").unwrap().clone();
    assert!(doc.get("copy").is_none(), "{doc}");
    let file_id = doc["reference"]["file_id"].as_str().unwrap();
    h.err("read_document_copy", json!({"id": draft_id, "file_id": file_id}), "document_copy_missing");
    let pdf = b"%PDF-1.4\n% kyb-attach-canary\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    act_as(&h, REVIEWER);
    let copy = h.ok("attach_document_copy", json!({"id": draft_id, "file_id": file_id, "file_name": "/home/r/scan.pdf", "bytes": pdf}));
    assert_eq!(copy["origin"], "attached");
    assert_eq!(copy["preview"], "pdf");
    assert_eq!(copy["file_name"], "scan.pdf", "never a path of this machine");
    assert_eq!(h.invoke_raw("read_document_copy", json!({"id": draft_id, "file_id": file_id})), pdf);
    h.err(
        "attach_document_copy",
        json!({"id": draft_id, "file_id": "file_unrelated", "file_name": "a.pdf", "bytes": [1, 2]}),
        "invalid_input",
    );
    let trail = audit(&h, json!({"customer": DEMO_CUSTOMER_WITHOUT_COPIES, "types": ["document_attached"]}));
    assert_eq!(trail["entries"][0]["actor"], REVIEWER);
    // The copy is sealed: its bytes appear nowhere in the data folder in the clear.
    assert!(!common::all_text_under(h.dir.path()).contains("kyb-attach-canary"));
}

#[test]
fn an_approval_travels_with_an_exported_draft_to_another_machine() {
    let Some(preparer) = harness_with(Options::default()) else { return };
    let draft = preparer.draft_with("cus_demo_0006", |r| r["business_details"]["website"] = json!("https://andes.example.com"));
    let exported = preparer.ok("export_draft", json!({"id": id(&draft)}));
    let text = std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap();

    // The reviewer's machine: imports, reviews, approves, exports back.
    let Some(reviewer) = harness_with(Options { profile: Some(REVIEWER), ..Options::default() }) else { return };
    let imported = reviewer.ok("import_draft", json!({"file_name": "d.json", "text": text}));
    let reviewer_draft = id(&imported["draft"]);
    assert_eq!(imported["draft"]["review"]["editors"], json!([OFFICER]), "the preparer travels with the file");
    review_everything(&reviewer, &reviewer_draft);
    reviewer.ok("approve_draft", json!({"id": reviewer_draft}));
    let back = reviewer.ok("export_draft", json!({"id": reviewer_draft}));
    let text = std::fs::read_to_string(back["path"].as_str().unwrap()).unwrap();
    assert!(text.contains(REVIEWER), "the approval is in the file");

    // Back on the preparer's machine, in an environment that requires approval.
    approval_environment(&preparer);
    let returned = preparer.ok("import_draft", json!({"file_name": "approved.json", "text": text}));
    // Imported into "Other" while the approval was for "Sandbox": the approval does not hold.
    assert!(returned["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("not kept")), "{returned}");
    assert!(returned["draft"]["review"].get("approval").is_none(), "{returned}");

    // Into the same environment name it was approved for, it holds, and the queue accepts it.
    preparer.ok("select_environment", json!({"name": "Sandbox"}));
    let returned = preparer.ok("import_draft", json!({"file_name": "approved.json", "text": text}));
    assert_eq!(returned["draft"]["review"]["approval"]["approver"], REVIEWER, "{returned}");
    assert!(returned["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains(REVIEWER)), "{returned}");
    let status = preparer.ok("review_status", json!({"id": id(&returned["draft"])}));
    assert_eq!(status["approval"]["state"], "valid");

    // A file whose change was edited after approval carries a void approval: dropped.
    let mut forged: Value = serde_json::from_str(&text).unwrap();
    forged["record"]["business_details"]["website"] = json!("https://evil.example.com");
    let forged = preparer.ok("import_draft", json!({"file_name": "edited.json", "text": forged.to_string()}));
    assert!(forged["draft"]["review"].get("approval").is_none(), "{forged}");
}

#[test]
fn tampering_with_the_audit_log_is_detected() {
    let Some(mut h) = harness_with(Options::default()) else { return };
    let draft = h.draft_with("cus_demo_0003", |r| r["business_details"]["website"] = json!("https://sakura.example.jp"));
    act_as(&h, REVIEWER);
    review_everything(&h, &id(&draft));
    let trail = audit(&h, json!({}));
    assert_eq!(trail["chain"]["intact"], true);
    let count = trail["chain"]["entries"].as_u64().unwrap();
    assert!(count >= 3, "{trail}");

    // Remove the second line while the app is stopped, then look again.
    h.restart(Options::default());
    let log = h.dir.path().join("data/audit/audit.log");
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let without: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, l)| *l).collect();
    std::fs::write(&log, without.join("\n") + "\n").unwrap();
    let trail = audit(&h, json!({}));
    assert_eq!(trail["chain"]["intact"], false, "{}", trail["chain"]);
    assert!(!trail["chain"]["problems"].as_array().unwrap().is_empty());

    // Swap two lines back in reverse order.
    let mut swapped: Vec<&str> = lines.clone();
    swapped.swap(0, 2);
    std::fs::write(&log, swapped.join("\n") + "\n").unwrap();
    assert_eq!(audit(&h, json!({}))["chain"]["intact"], false);
}
