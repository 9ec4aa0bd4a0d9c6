//! `kyb drafts validate|submit` end to end: the real binary, portable draft files, a real sandbox
//! on a loopback port, and the sandbox's own count of what it applied.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use chrono::Utc;
use kyb_core::client::{ClientConfig, CustomerLookup, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::drafts::{
    into_draft, to_pretty_json, DraftBase, DraftTarget, PortableDraft, PORTABLE_FORMAT, PORTABLE_VERSION,
};
use kyb_core::review::{approve, referenced_documents, Decision, DocumentDecision, IdentifierMatch};
use kyb_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_kyb");
const KEY: &str = "batch-key";
const SECRET: &str = "batch-secret";
const ACME: &str = "cus_demo_0001";
const NORD: &str = "cus_demo_0002";
const PREPARER: &str = "Olivia Officer";
const REVIEWER: &str = "Rita Reviewer";

async fn sandbox(data_dir: &Path) -> SandboxHandle {
    kyb_sandbox::start(SandboxConfig {
        credentials: ApiCredentials { api_key: KEY.into(), api_secret: SECRET.into() },
        settle_after: Duration::from_millis(200),
        seed_demo_customers: true,
        ..SandboxConfig::for_tests(data_dir)
    })
    .await
    .expect("sandbox starts")
}

fn client(server: &SandboxHandle) -> PartnerClient {
    let credentials = ApiCredentials { api_key: KEY.into(), api_secret: SECRET.into() };
    PartnerClient::new(ClientConfig::new(server.base_url().parse().unwrap(), credentials)).unwrap()
}

/// Run `kyb` (blocking, so off the async runtime) with env credentials.
async fn kyb(base_url: &str, args: &[&str]) -> Output {
    kyb_with(base_url, args, &[]).await
}

/// [`kyb`] with more environment variables.
async fn kyb_with(base_url: &str, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let base_url = base_url.to_owned();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(CLI)
            .args(&args)
            .env("KYB_BASE_URL", base_url)
            .env("KYB_API_KEY", KEY)
            .env("KYB_API_SECRET", SECRET)
            .env_remove("KYB_ENVIRONMENT")
            .env_remove("KYB_REQUIRE_APPROVAL")
            .envs(vars)
            .output()
            .expect("kyb runs")
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> Vec<Value> {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|err| panic!("{err}: {}", stdout(output)))
}

async fn record_of(client: &PartnerClient, customer_id: &str) -> Value {
    kyb_core::outbox::fetch_current(client, customer_id).await.unwrap().1
}

fn edited(base: &Value, changes: &[(&str, &str)]) -> Value {
    let mut record = base.clone();
    for (path, value) in changes {
        let mut at = &mut record;
        for key in path.split('.') {
            at = &mut at[key];
        }
        *at = Value::String((*value).to_owned());
    }
    record
}

/// A portable draft file as the desktop app exports it.
fn draft_file(dir: &Path, name: &str, target: DraftTarget, base: Option<&Value>, record: Value) -> String {
    write_file(dir, name, &portable(target, base, record))
}

fn portable(target: DraftTarget, base: Option<&Value>, record: Value) -> PortableDraft {
    PortableDraft {
        format: PORTABLE_FORMAT.into(),
        version: PORTABLE_VERSION,
        exported_at: Utc::now(),
        environment: "Sandbox".into(),
        target,
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        base: base.map(|record| DraftBase { record: record.clone(), partner_customer_id: None, status: None, fetched_at: Utc::now() }),
        record,
        review: Default::default(),
    }
}

fn write_file(dir: &Path, name: &str, file: &PortableDraft) -> String {
    let path = dir.join(name);
    std::fs::write(&path, to_pretty_json(file).unwrap()).unwrap();
    path.display().to_string()
}

/// `file` prepared by [`PREPARER`] and approved by [`REVIEWER`], as the desktop app would export
/// it: every referenced document verified and every identifier number confirmed first.
fn approved(mut file: PortableDraft) -> PortableDraft {
    let (mut draft, _) = into_draft(file.clone(), &file.environment);
    let now = Utc::now();
    draft.review.editors = vec![PREPARER.into()];
    for doc in referenced_documents(&draft.record) {
        let decision = DocumentDecision {
            file_id: doc.file_id.clone(),
            decision: Decision::Verified,
            reasons: vec![],
            note: String::new(),
            decided_by: REVIEWER.into(),
            decided_at: now,
        };
        draft.review.decisions.insert(doc.file_id, decision);
    }
    let persons = draft.record["business_person_list"].as_array().map_or(0, Vec::len);
    let mut paths = vec!["business_details.business_identifier_number".to_owned()];
    paths.extend((0..persons).map(|i| format!("business_person_list[{i}].identification.id_number")));
    for path in paths {
        let pointer = format!("/{}", path.replace(['.', '['], "/").replace(']', ""));
        let value = draft.record.pointer(&pointer).and_then(Value::as_str).filter(|v| !v.trim().is_empty());
        if let Some(value) = value.map(str::to_owned) {
            let confirmed = IdentifierMatch { value, confirmed_by: REVIEWER.into(), confirmed_at: now };
            draft.review.matches.insert(path, confirmed);
        }
    }
    approve(&mut draft, REVIEWER, now.date_naive(), now).expect("the file can be approved");
    file.review = draft.review;
    file
}

fn update(customer_id: &str) -> DraftTarget {
    DraftTarget::Update { customer_id: customer_id.into() }
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_reports_each_file_with_paths_and_positions() {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox(&dir.path().join("sandbox")).await;
    let base = record_of(&client(&server), ACME).await;
    let good = draft_file(dir.path(), "good.json", update(ACME), Some(&base), edited(&base, &[("primary_contact.contact_email", "kyc@acme.example.com")]));
    let bad = draft_file(dir.path(), "bad.json", update(ACME), Some(&base), edited(&base, &[("primary_contact.contact_email", "not-an-email")]));
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"format\": \"kyb-desk-draft\",\n  \"version\": 1,\n  \"oops\": true\n}\n").unwrap();
    let broken = broken.display().to_string();

    let output = kyb(&server.base_url(), &["drafts", "validate", &good, &bad, &broken, "/no/such/draft.json"]).await;
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains(&format!("✓ {good}: valid draft (update {ACME})")), "{text}");
    assert!(text.contains("primary_contact.contact_email"), "{text}");
    assert!(text.contains("line 4, column"), "unreadable file names line and column: {text}");
    assert!(text.contains("cannot read the file"), "{text}");
    assert!(text.contains("4 file(s) checked"), "{text}");

    let output = kyb(&server.base_url(), &["drafts", "validate", "--json", &good, &bad, &broken]).await;
    let report = json(&output);
    assert_eq!(report[0]["outcome"], "valid");
    assert_eq!(report[1]["outcome"], "invalid");
    assert_eq!(report[1]["issues"][0]["path"], "primary_contact.contact_email");
    assert_eq!(report[2]["outcome"], "unreadable");
    assert_eq!(report[2]["error"]["line"], 4);
    let only_good = kyb(&server.base_url(), &["drafts", "validate", &good]).await;
    assert_eq!(only_good.status.code(), Some(0), "{}", stdout(&only_good));
    assert_eq!(server.stats().total_updates(), 0, "validate sends nothing");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_sends_valid_files_skips_invalid_and_conflicting_ones() {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox(&dir.path().join("sandbox")).await;
    let api = client(&server);
    let acme = record_of(&api, ACME).await;
    let nord = record_of(&api, NORD).await;

    // Someone changes Acme's email and website after the drafts were exported.
    let theirs = edited(&acme, &[("primary_contact.contact_email", "theirs@acme.example.com"), ("business_details.website", "https://theirs.example.com")]);
    let body = kyb_core::validation::check_update(serde_json::from_value(theirs).unwrap(), &kyb_core::validation::ValidationContext::now()).unwrap();
    api.update_customer(ACME, &body, None).await.unwrap();

    let conflicting = draft_file(dir.path(), "conflict.json", update(ACME), Some(&acme), edited(&acme, &[("primary_contact.contact_email", "mine@acme.example.com")]));
    let merging = draft_file(dir.path(), "merge.json", update(ACME), Some(&acme), edited(&acme, &[("primary_contact.contact_phone", "+12125550111")]));
    let nord_file = draft_file(dir.path(), "nord.json", update(NORD), Some(&nord), edited(&nord, &[("primary_contact.contact_email", "kyc@nordlicht.example.de")]));
    let invalid = draft_file(dir.path(), "invalid.json", update(NORD), Some(&nord), edited(&nord, &[("business_details.website", "http://insecure.example")]));
    let create = draft_file(dir.path(), "create.json", DraftTarget::Create { partner_customer_id: "P-BATCH-1".into() }, None, nord.clone());

    let output = kyb(&server.base_url(), &["drafts", "submit", "--json", &conflicting, &merging, &nord_file, &invalid, &create]).await;
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    let outcomes: Vec<&str> = report.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["conflict", "sent", "sent", "invalid", "sent"]);
    assert_eq!(report[0]["conflicts"][0]["path"], "primary_contact.contact_email");
    assert_eq!(report[0]["conflicts"][0]["theirs"], "theirs@acme.example.com");
    assert_eq!(report[0]["conflicts"][0]["mine"], "mine@acme.example.com");
    assert_eq!(report[0]["conflicts"][0]["base"], acme["primary_contact"]["contact_email"]);
    assert_eq!(report[0]["taken_from_theirs"][0], "business_details.website");
    assert_eq!(report[3]["issues"][0]["path"], "business_details.website");

    let now = record_of(&api, ACME).await;
    assert_eq!(now["primary_contact"]["contact_phone"], "+12125550111", "the merging file was sent");
    assert_eq!(now["primary_contact"]["contact_email"], "theirs@acme.example.com", "the conflicting one was not");
    assert_eq!(now["business_details"]["website"], "https://theirs.example.com", "their change kept");
    let stats = server.stats();
    assert_eq!(stats.updates_for(ACME), 2, "theirs and the merging file");
    assert_eq!(stats.updates_for(NORD), 1);
    assert_eq!(stats.creates_for("P-BATCH-1"), 1);

    // Human report of the same kind of batch.
    let output = kyb(&server.base_url(), &["drafts", "submit", &conflicting]).await;
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("theirs: theirs@acme.example.com") && text.contains("mine:   mine@acme.example.com"), "{text}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_file_submitted_twice_is_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox(&dir.path().join("sandbox")).await;
    let api = client(&server);
    let base = record_of(&api, ACME).await;
    let file = draft_file(dir.path(), "once.json", update(ACME), Some(&base), edited(&base, &[("business_details.website", "https://once.example.com")]));
    let create = draft_file(dir.path(), "new.json", DraftTarget::Create { partner_customer_id: "P-ONCE-1".into() }, None, base.clone());

    let first = kyb(&server.base_url(), &["drafts", "submit", "--wait", &file, &create]).await;
    assert_eq!(first.status.code(), Some(0), "{}\n{}", stdout(&first), String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("is Succeeded"), "--wait follows the status: {}", stdout(&first));
    let second = kyb(&server.base_url(), &["drafts", "submit", "--json", &file, &create]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stdout(&second));
    let report = json(&second);
    assert!(report.iter().all(|r| r["outcome"] == "sent"), "{report:#?}");

    let stats = server.stats();
    assert_eq!(stats.updates_for(ACME), 1, "the same file is one intent");
    assert_eq!(stats.creates_for("P-ONCE-1"), 1);
    assert_eq!(stats.idempotent_replays, 2);
    let created = api.get_customer(&CustomerLookup::PartnerCustomerId("P-ONCE-1".into())).await.unwrap();
    assert_eq!(report[1]["customer"]["customer_id"], created.customer_id.as_str());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_retries_what_is_safe_and_reports_what_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox(&dir.path().join("sandbox")).await;
    let api = client(&server);
    let base = record_of(&api, ACME).await;
    let file = draft_file(dir.path(), "retry.json", update(ACME), Some(&base), edited(&base, &[("business_details.website", "https://retry.example.com")]));

    // A 503 on the lost-update fetch: retried.
    server.faults().fail_next(1, 503);
    let output = kyb(&server.base_url(), &["drafts", "submit", &file]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(server.stats().updates_for(ACME), 1);

    // A create whose answer is lost after it was applied: retried with the same key, applied once.
    let create = draft_file(dir.path(), "lost.json", DraftTarget::Create { partner_customer_id: "P-LOST-1".into() }, None, base.clone());
    server.faults().drop_next_after_apply(1);
    let output = kyb(&server.base_url(), &["drafts", "submit", &create]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(server.stats().creates_for("P-LOST-1"), 1);
    assert_eq!(server.stats().idempotent_replays, 1);

    // A 500 is not retried: exit 3, nothing applied.
    let base = record_of(&api, NORD).await;
    let failing = draft_file(dir.path(), "fail.json", update(NORD), Some(&base), edited(&base, &[("business_details.website", "https://fail.example.com")]));
    server.faults().fail_next(1, 500);
    let output = kyb(&server.base_url(), &["drafts", "submit", &failing]).await;
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    assert!(stdout(&output).contains("not sent"), "{}", stdout(&output));
    assert_eq!(server.stats().updates_for(NORD), 0);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn require_approval_sends_only_files_approved_for_exactly_their_changes() {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox(&dir.path().join("sandbox")).await;
    let api = client(&server);
    let acme = record_of(&api, ACME).await;
    let nord = record_of(&api, NORD).await;
    let web = "business_details.website";

    let plain = edited(&acme, &[(web, "https://plain.example.com")]);
    let unapproved = draft_file(dir.path(), "unapproved.json", update(ACME), Some(&acme), plain);
    let good = approved(portable(update(NORD), Some(&nord), edited(&nord, &[(web, "https://approved.example.com")])));
    assert!(good.review.approval.is_some());
    let good_path = write_file(dir.path(), "approved.json", &good);
    // Approved, then the record was edited in the file: the approval no longer holds.
    let before = edited(&acme, &[(web, "https://before.example.com")]);
    let mut edited_after = approved(portable(update(ACME), Some(&acme), before));
    edited_after.record = edited(&edited_after.record, &[(web, "https://after.example.com")]);
    let void = write_file(dir.path(), "void.json", &edited_after);

    // Without an approval: refused, and nothing is applied at the partner.
    let output = kyb(&server.base_url(), &["drafts", "submit", "--require-approval", &unapproved]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stdout(&output);
    let refused =
        format!("✗ {unapproved} (update {ACME}): not sent: \"Sandbox\" requires an approval by another profile");
    assert!(text.contains(&refused), "{text}");
    assert!(text.contains("1 file(s) submitted: 1 not approved"), "{text}");
    assert_eq!(server.stats().total_updates(), 0, "nothing applied");

    // Validate says whether each approval holds (and the JSON only adds `approval`).
    let output = kyb(&server.base_url(), &["drafts", "validate", &good_path, &void, &unapproved]).await;
    assert_eq!(output.status.code(), Some(0), "an approval does not make a file invalid: {}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains(&format!("    approved by {REVIEWER} on ")), "{text}");
    assert!(text.contains("for exactly these changes"), "{text}");
    assert!(text.contains(&format!("    approval by {REVIEWER} on ")), "{text}");
    assert!(text.contains("no longer holds (void): the file's changes are not the ones approved"), "{text}");
    let output = kyb(&server.base_url(), &["drafts", "validate", "--json", &good_path, &void, &unapproved]).await;
    let report = json(&output);
    assert!(report.iter().all(|r| r["outcome"] == "valid"), "{report:#?}");
    assert_eq!(report[0]["approval"]["state"], "valid");
    assert_eq!(report[0]["approval"]["approval"]["approver"], REVIEWER);
    assert_eq!(report[0]["approval"]["approval"]["preparers"][0], PREPARER);
    assert_eq!(report[1]["approval"]["state"], "void");
    assert!(report[1]["approval"]["reason"].as_str().unwrap().contains("not the ones approved"), "{report:#?}");
    assert!(report[2].get("approval").is_none(), "{report:#?}");

    // The batch, with the flag from the environment: only the approved file is sent.
    let all = ["drafts", "submit", "--json", &unapproved, &good_path, &void];
    let output = kyb_with(&server.base_url(), &all, &[("KYB_REQUIRE_APPROVAL", "1")]).await;
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    let outcomes: Vec<&str> = report.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["not_approved", "sent", "not_approved"]);
    assert!(report[0]["message"].as_str().unwrap().contains("requires an approval"), "{report:#?}");
    assert!(report[0].get("approval").is_none(), "{report:#?}");
    assert_eq!(report[1]["approval"]["state"], "valid");
    assert_eq!(report[2]["approval"]["state"], "void");
    let stats = server.stats();
    assert_eq!(stats.updates_for(NORD), 1, "the approved file was sent");
    assert_eq!(stats.updates_for(ACME), 0, "neither the unapproved nor the voided file was");
    assert_eq!(record_of(&api, NORD).await["business_details"]["website"], "https://approved.example.com");

    // KYB_REQUIRE_APPROVAL=false leaves the check off (the files are sent as before).
    let off = [("KYB_REQUIRE_APPROVAL", "false")];
    let output = kyb_with(&server.base_url(), &["drafts", "submit", &void], &off).await;
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(server.stats().updates_for(ACME), 1);
    server.shutdown().await;
}
