//! Answers of the real back end, recorded for the page's dev mock (ui/src/dev/recorded): a review
//! scenario driven through IPC (reference data, session, a record with problems, an officer's
//! draft and her refused decision, a refused profile name, a reviewer's attached copy, refusals,
//! decisions, confirmations and approval, the audit trail, the officer's edit voiding the
//! approval, her queueing, and the trail after someone edited the audit file), and a Settings
//! scenario (partner profiles, Test connection), each written as `(command, args, answer)` JSON.
//! Values that change between runs (times, random ids, hashes, ports, folders) become fixed
//! placeholders, so a file only changes when an answer does; scripts/test.sh fails when the
//! committed files differ from the ones the tests write, as it does for the TypeScript bindings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use crate::common::{png_bytes, Harness, Options, OFFICER};

const REVIEWER: &str = "Rita Reviewer";
const CUSTOMER: &str = "cus_demo_0001";

/// The calls made, in order, with what the page received.
struct Recorder<'a> {
    h: &'a Harness,
    calls: Vec<Value>,
}

impl Recorder<'_> {
    fn call(&mut self, command: &str, args: Value) -> Result<Value, Value> {
        let answer = match command {
            // A document goes as the raw body with its name and type in headers, as ipc.ts sends
            // it; the recording keeps the arguments readable.
            "upload_document" => {
                let text = |name: &str| args[name].as_str().unwrap_or_default().to_owned();
                let bytes: Vec<u8> = serde_json::from_value(args["bytes"].clone()).unwrap_or_default();
                self.h.upload(&text("file_name"), &text("file_type"), bytes)
            }
            "attach_document_copy" => {
                let text = |name: &str| args[name].as_str().unwrap_or_default().to_owned();
                let bytes: Vec<u8> = serde_json::from_value(args["bytes"].clone()).unwrap_or_default();
                self.h.attach(&text("id"), &text("file_id"), &text("file_name"), bytes)
            }
            _ => self.h.invoke(command, args.clone()),
        };
        let recorded = match &answer {
            Ok(value) => json!({"ok": value}),
            Err(error) => json!({"error": error}),
        };
        self.calls.push(json!({"command": command, "args": args, "answer": recorded}));
        answer
    }

    fn ok(&mut self, command: &str, args: Value) -> Value {
        self.call(command, args.clone()).unwrap_or_else(|err| panic!("{command} {args} failed: {err}"))
    }

    fn err(&mut self, command: &str, args: Value, kind: &str) -> Value {
        match self.call(command, args.clone()) {
            Ok(answer) => panic!("{command} {args} succeeded ({answer}); expected {kind}"),
            Err(err) => {
                assert_eq!(err["kind"], kind, "{command} {args}: {err}");
                err
            }
        }
    }
}

#[test]
fn the_review_scenario_is_recorded_for_the_dev_mock() {
    // No worker: the queued change stays queued, so the trail does not depend on timing.
    let h = Harness::with(Options { worker: false, profile: Some(OFFICER) });
    if !h.keychain() {
        return;
    }
    let started = Utc::now();
    let mut r = Recorder { h: &h, calls: Vec::new() };

    r.ok("get_session", json!({}));
    r.ok("reference_data", json!({}));
    r.ok("get_profiles", json!({}));

    // The officer opens a customer; a record with problems as validation words them.
    let loaded = r.ok("open_customer", json!({"lookup": {"by": "customer_id", "value": CUSTOMER}}));
    let mut broken = loaded["record"].clone();
    broken["business_details"]["business_name_english"] = json!("");
    broken["business_details"]["registration_address"]["country_code"] = json!("gb");
    let issues = r.ok("validate_record", json!({"record": broken}));
    assert!(issues.as_array().is_some_and(|list| list.len() >= 2), "{issues}");

    // The officer's change: a new website and the first representative's ID back.
    let upload = json!({"file_name": "id-back.png", "file_type": "Back page", "bytes": png_bytes()});
    let back = r.ok("upload_document", upload)["file_id"].clone();
    let mut record = loaded["record"].clone();
    record["business_details"]["website"] = json!("https://www.example.com");
    record["business_person_list"][0]["identification"]["id_document_back_file_id"] = back;
    let draft = r.ok("save_draft", json!({"draft": h.update_save(&loaded, &record)}));
    let id = draft["id"].as_str().expect("draft id").to_owned();
    let view = r.ok("review_status", json!({"id": id}));
    let documents: Vec<Value> = view["documents"].as_array().expect("documents").clone();
    let first = documents[0]["reference"]["file_id"].clone();
    let verify = |file_id: &Value| json!({"id": id, "file_id": file_id, "decision": "verified", "reasons": [], "note": ""});
    r.err("decide_document", verify(&first), "self_approval");

    // A name the profile chooser refuses.
    r.err("choose_profile", json!({"name": "x".repeat(70)}), "invalid_input");

    // The reviewer: she attaches her copy of the business document, refusals the page shows,
    // then every document verified and every number confirmed.
    r.ok("choose_profile", json!({"name": REVIEWER}));
    r.ok("review_status", json!({"id": id}));
    let letter = json!({"id": id, "file_id": first, "file_name": "ein-letter.pdf", "bytes": b"%PDF-1.4\n%%EOF\n".to_vec()});
    r.ok("attach_document_copy", letter);
    r.ok("review_status", json!({"id": id}));
    r.err("approve_draft", json!({"id": id}), "checklist_incomplete");
    let no_reason = json!({"id": id, "file_id": first, "decision": "rejected", "reasons": [], "note": ""});
    r.err("decide_document", no_reason, "invalid_input");
    let other = json!({"id": id, "file_id": first, "decision": "needs_reupload", "reasons": ["other"], "note": ""});
    r.err("decide_document", other, "invalid_input");
    let expired = json!({"id": id, "file_id": first, "decision": "rejected", "reasons": ["expired"], "note": "Expired in March"});
    r.ok("decide_document", expired);
    let front = documents[1]["reference"]["file_id"].clone();
    let expired_id = json!({"id": id, "file_id": front, "decision": "rejected", "reasons": ["expired"], "note": ""});
    r.ok("decide_document", expired_id);
    let mut view = Value::Null;
    for doc in &documents {
        view = r.ok("decide_document", verify(&doc["reference"]["file_id"]));
    }
    let items = view["checklist"]["items"].as_array().expect("checklist").clone();
    for item in items {
        if let Some(path) = item["id"].as_str().and_then(|i| i.strip_prefix("identifier_matches:")) {
            view = r.ok("confirm_identifier", json!({"id": id, "path": path, "confirmed": true}));
        }
    }
    assert_eq!(view["checklist"]["complete"], true, "{view}");
    assert_eq!(r.ok("approve_draft", json!({"id": id}))["approval"]["state"], "valid");

    // The trail: everything, one customer, one event type.
    let trail = r.ok("audit_log", json!({"filter": {}}));
    assert_eq!(trail["chain"]["intact"], true, "{trail}");
    r.ok("audit_log", json!({"filter": {"customer": CUSTOMER}}));
    r.ok("audit_log", json!({"filter": {"types": ["document_decided"]}}));
    r.ok("audit_log", json!({"filter": {"types": ["approval_granted"]}}));

    // The officer edits the approved change: the approval is withdrawn; she queues it (the Sandbox
    // does not require approval) and the trail lists the queued change.
    r.ok("choose_profile", json!({"name": OFFICER}));
    let stored = r.ok("review_status", json!({"id": id}));
    let mut edited = stored["record"].clone();
    edited["business_details"]["website"] = json!("https://acme.example.com");
    let mut save = h.update_save(&loaded, &edited);
    save["id"] = json!(id);
    r.ok("save_draft", json!({"draft": save}));
    assert_eq!(r.ok("review_status", json!({"id": id}))["approval"]["state"], "none");
    r.ok("queue_draft", json!({"id": id}));
    r.ok("audit_log", json!({"filter": {"types": ["submission_queued"]}}));
    r.ok("audit_log", json!({"filter": {}}));

    // Someone deletes a line of the audit file (its lines are sealed): the chain check names it.
    let log = h.dir.path().join("data/audit/audit.log");
    let text = std::fs::read_to_string(&log).expect("audit file");
    let kept: Vec<&str> = text.lines().enumerate().filter(|(n, _)| *n != 2).map(|(_, line)| line).collect();
    std::fs::write(&log, kept.join("\n") + "\n").expect("audit file edited");
    assert_eq!(r.ok("audit_log", json!({"filter": {}}))["chain"]["intact"], false);

    write_recording(&h, started, r.calls, "review.json");
}

/// Settings for the dev mock: the Sandbox's partner profile (a file refused with its report, one
/// accepted, back to the built-in one), a production environment's, and Test connection
/// answered in each way the page words (accepted, no credentials, unreachable).
#[test]
fn the_settings_scenario_is_recorded_for_the_dev_mock() {
    let h = Harness::with(Options { worker: false, profile: Some(OFFICER) });
    if !h.keychain() {
        return;
    }
    let started = Utc::now();
    let mut r = Recorder { h: &h, calls: Vec::new() };
    let sandbox = json!({"environment": "Sandbox"});

    assert_eq!(r.ok("partner_profile", sandbox.clone())["built_in"], true);
    let refused = r.ok("import_partner_profile", json!({"environment": "Sandbox", "text": REFUSED_PROFILE}));
    assert!(refused["problems"].as_array().is_some_and(|p| p.len() >= 3), "{refused}");
    r.ok("import_partner_profile", json!({"environment": "Sandbox", "text": "this is not JSON"}));
    let accepted = r.ok("import_partner_profile", json!({"environment": "Sandbox", "text": ACCEPTED_PROFILE}));
    assert_eq!(accepted["accepted"], true, "{accepted}");
    assert_eq!(r.ok("reset_partner_profile", sandbox.clone())["built_in"], true);
    assert_eq!(r.ok("test_connection", sandbox)["outcome"], "credentials_accepted");

    let production = json!({"name": "Production", "base_url": "https://partner.example.com", "colour": "#c81e1e", "is_production": true});
    // Set-up the page's mock does itself: not recorded.
    h.ok("save_environment", json!({"environment": production}));
    r.ok("partner_profile", json!({"environment": "Production"}));
    assert_eq!(r.ok("test_connection", json!({"environment": "Production"}))["outcome"], "no_credentials");
    // Nothing listens on the discard port: the connection is refused at once.
    let staging = json!({"name": "Staging", "base_url": "http://127.0.0.1:9", "colour": "#2563eb", "is_production": false});
    h.ok("save_environment", json!({"environment": staging}));
    h.ok("set_credentials", json!({"environment": "Staging", "api_key": "key", "api_secret": "secret"}));
    r.ok("partner_profile", json!({"environment": "Staging"}));
    assert_eq!(r.ok("test_connection", json!({"environment": "Staging"}))["outcome"], "unreachable");
    r.err("test_connection", json!({"environment": "Nowhere"}), "invalid_input");

    write_recording(&h, started, r.calls, "settings.json");
}

/// Finding a customer for the dev mock: the built-in Sandbox's demo customers (an empty query),
/// a name matching a demo customer and a recently opened one, an exact partner customer id, a
/// query nothing matches (the answer says where it looked), whether the last run crashed, and
/// "Open folder" refused for a file the app did not export.
#[test]
fn the_search_scenario_is_recorded_for_the_dev_mock() {
    let h = Harness::with(Options { worker: false, profile: Some(OFFICER) });
    let started = Utc::now();
    let mut r = Recorder { h: &h, calls: Vec::new() };
    r.ok("start_info", json!({}));
    let all = r.ok("search_customers", json!({"query": ""}));
    assert_eq!(all["demo_customers"].as_array().map(Vec::len), Some(6), "{all}");
    // Set-up: a customer opened, so it is found as recent too (not recorded).
    h.open("cus_demo_0002");
    let by_name = r.ok("search_customers", json!({"query": "nord"}));
    assert_eq!(by_name["matches"][0]["customer_id"], "cus_demo_0002", "{by_name}");
    r.ok("search_customers", json!({"query": "a"}));
    r.ok("search_customers", json!({"query": "P-1004"}));
    let none = r.ok("search_customers", json!({"query": "Zebra Holdings"}));
    assert_eq!(none["matches"], json!([]), "{none}");
    r.err("reveal_export", json!({"path": "/etc/passwd"}), "invalid_input");
    write_recording(&h, started, r.calls, "search.json");
}

/// A profile file with several problems (the import report lists each with its JSON path).
const REFUSED_PROFILE: &str = r#"{
  "format": "kyb-desk-partner-profile",
  "version": 1,
  "name": "ACME",
  "revision": 0,
  "colour": "red",
  "enumerations": {
    "role_type": {"values": ["Director", "director"], "closed": true, "representative_roles": ["Owner"]}
  }
}
"#;

/// A partner's profile with a closed business-type list.
const ACCEPTED_PROFILE: &str = r#"{
  "format": "kyb-desk-partner-profile",
  "version": 1,
  "name": "ACME",
  "revision": 3,
  "enumerations": {
    "business_type": {"values": ["Limited Liability Company", "Corporation"], "closed": true},
    "id_type": {"values": ["Passport", "National ID Card"], "closed": true}
  }
}
"#;

/// `calls` with their volatile values replaced, written to ui/src/dev/recorded/`file` when they
/// differ from what is there.
fn write_recording(h: &Harness, started: DateTime<Utc>, calls: Vec<Value>, file: &str) {
    let mut transcript = json!({
        "about": "Answers of the real back end (src-tauri/tests/recorded_answers.rs), replayed by the dev mock; regenerated by the tests, do not edit",
        "calls": calls,
    });
    Placeholders::new(h, started).apply(&mut transcript);
    let mut text = serde_json::to_string_pretty(&transcript).expect("JSON");
    text.push('\n');
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/dev/recorded");
    std::fs::create_dir_all(&dir).expect("recorded folder");
    let path = dir.join(file);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).expect("recorded answers written");
    }
}

/// Fixed stand-ins for what differs between runs, each distinct value keeping its own stand-in
/// (by first appearance; times in their order), so the answers still refer to one another.
struct Placeholders {
    /// Whole substrings replaced: the sandbox's port and the temporary folder.
    fixed: Vec<(String, String)>,
    started: DateTime<Utc>,
    times: BTreeMap<DateTime<Utc>, String>,
    ids: BTreeMap<String, String>,
}

impl Placeholders {
    fn new(h: &Harness, started: DateTime<Utc>) -> Self {
        let host = h.sandbox_url().trim_start_matches("http://").trim_end_matches('/').to_owned();
        let folder = h.dir.path().to_string_lossy().into_owned();
        Self {
            fixed: vec![(host, "127.0.0.1:8083".into()), (folder, "/home/officer/kyb-desk".into())],
            started,
            times: BTreeMap::new(),
            ids: BTreeMap::new(),
        }
    }

    fn apply(mut self, transcript: &mut Value) {
        // First every volatile value is collected (times sorted), then every string rewritten.
        let mut seen = Vec::new();
        each_string(transcript, &mut |s| seen.push(s.to_owned()));
        let base = DateTime::parse_from_rfc3339("2025-03-14T09:00:00Z").expect("base time").with_timezone(&Utc);
        let mut times: Vec<DateTime<Utc>> = seen.iter().filter_map(|s| self.volatile_time(s)).collect();
        times.sort();
        times.dedup();
        for (n, time) in times.into_iter().enumerate() {
            let stand_in = base + Duration::seconds(n as i64);
            self.times.insert(time, stand_in.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
        for s in &seen {
            for token in hex_tokens(s) {
                let n = self.ids.len() + 1;
                self.ids.entry(token.clone()).or_insert_with(|| stand_in_id(&token, n));
            }
        }
        // A hash is also shown by its first 12 digits.
        let short: Vec<(String, String)> = self
            .ids
            .iter()
            .filter(|(id, _)| id.len() == 64)
            .map(|(id, stand_in)| (id[..12].to_owned(), stand_in[..12].to_owned()))
            .collect();
        self.ids.extend(short);
        rewrite_strings(transcript, &mut |s| self.rewrite(s));
    }

    fn volatile_time(&self, s: &str) -> Option<DateTime<Utc>> {
        let time = DateTime::parse_from_rfc3339(s).ok()?.with_timezone(&Utc);
        (time >= self.started - Duration::hours(1) && time <= Utc::now() + Duration::hours(1)).then_some(time)
    }

    fn rewrite(&self, s: &str) -> String {
        if let Some(stand_in) = self.volatile_time(s).and_then(|t| self.times.get(&t)) {
            return stand_in.clone();
        }
        let mut text = s.to_owned();
        for (from, to) in &self.fixed {
            text = text.replace(from.as_str(), to);
        }
        // One pass, longest id first (a hash before its 12-digit prefix), so a stand-in is never
        // rewritten again.
        let mut ids: Vec<(&String, &String)> = self.ids.iter().collect();
        ids.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(c) = rest.chars().next() {
            match ids.iter().find(|(id, _)| rest.starts_with(id.as_str())) {
                Some((id, stand_in)) => {
                    out.push_str(stand_in);
                    rest = &rest[id.len()..];
                }
                None => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        out
    }
}

/// Random ids and hashes in `s`: runs of 32 (a simple UUID) or 64 (SHA-256) lowercase hex
/// digits, and hyphenated UUIDs.
fn hex_tokens(s: &str) -> Vec<String> {
    let is_hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    let mut tokens = Vec::new();
    for run in s.split(|c: char| !(is_hex(c) || c == '-')) {
        for part in run.split('-') {
            // All zeros is the chain's fixed genesis hash, not a random value.
            if (part.len() == 32 || part.len() == 64) && part.chars().any(|c| c != '0') {
                tokens.push(part.to_owned());
            }
        }
        let groups: Vec<usize> = run.split('-').map(str::len).collect();
        if let Some(at) = groups.windows(5).position(|w| w == [8, 4, 4, 4, 12]) {
            let parts: Vec<&str> = run.split('-').collect();
            tokens.push(parts[at..at + 5].join("-"));
        }
    }
    tokens
}

/// The `n`th id of its shape: `00…0n` for a UUID, `nnn…` for a hash (its prefix stays distinct).
fn stand_in_id(token: &str, n: usize) -> String {
    if token.len() == 64 {
        format!("{n:x}").repeat(64).chars().take(64).collect()
    } else if token.len() == 36 {
        let digits = format!("{n:032x}");
        format!("{}-{}-{}-{}-{}", &digits[..8], &digits[8..12], &digits[12..16], &digits[16..20], &digits[20..])
    } else {
        format!("{n:032x}")
    }
}

fn each_string(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|v| each_string(v, f)),
        Value::Object(map) => {
            for (key, v) in map {
                f(key);
                each_string(v, f);
            }
        }
        _ => {}
    }
}

fn rewrite_strings(value: &mut Value, f: &mut impl FnMut(&str) -> String) {
    match value {
        Value::String(s) => *s = f(s),
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_strings(v, f)),
        Value::Object(map) => {
            let old = std::mem::take(map);
            let mut new = Map::new();
            for (key, mut v) in old {
                rewrite_strings(&mut v, f);
                new.insert(f(&key), v);
            }
            *map = new;
        }
        _ => {}
    }
}
