//! `kyb drafts validate|submit` end to end (the set-up: [`crate::desk`]): portable draft files
//! through the desktop app's outbox and audit trail.

use std::path::Path;

use chrono::Utc;
use kyb_app::use_cases::audit;
use kyb_core::audit::{AuditEvent, AuditFilter};
use kyb_core::client::CustomerLookup;
use kyb_core::drafts::{
    into_draft, to_pretty_json, DraftBase, DraftTarget, PortableDraft, PORTABLE_FORMAT, PORTABLE_VERSION,
};
use kyb_core::drafts::file_change_hash;
use kyb_core::review::{approve, diff_hash, referenced_documents, Approval, Decision, DocumentDecision, IdentifierMatch};
use kyb_core::team_approval::SignedApproval;
use kyb_server::config::KeyBytes;
use serde_json::Value;

use crate::desk::{edited, json, record_of, stderr, stdout, Desk, ACME, GUARDED, NORD, PARTNER, PREPARER, REVIEWER};

/// A portable draft file as the desktop app exports it from `environment`.
fn portable(environment: &str, target: DraftTarget, base: Option<&Value>, record: Value) -> PortableDraft {
    PortableDraft {
        format: PORTABLE_FORMAT.into(),
        version: PORTABLE_VERSION,
        exported_at: Utc::now(),
        environment: environment.into(),
        target,
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        base: base.map(|record| DraftBase { record: record.clone(), partner_customer_id: None, status: None, fetched_at: Utc::now() }),
        record,
        review: Default::default(),
        signed_approvals: Vec::new(),
        team_checkpoint: None,
    }
}

/// A file exported from [`PARTNER`], written into `dir`.
pub(crate) fn draft_file(dir: &Path, name: &str, target: DraftTarget, base: Option<&Value>, record: Value) -> String {
    write_file(dir, name, &portable(PARTNER, target, base, record))
}

fn write_file(dir: &Path, name: &str, file: &PortableDraft) -> String {
    let path = dir.join(name);
    std::fs::write(&path, to_pretty_json(file).unwrap()).unwrap();
    path.display().to_string()
}

/// `file` prepared by [`PREPARER`] and approved by [`REVIEWER`] on a solo desktop, as it would
/// export it: every referenced document verified and every identifier number confirmed first.
/// The approval is a plain one, written in the file: it never counts when the file comes in.
fn approved(mut file: PortableDraft) -> PortableDraft {
    let (mut draft, _) = into_draft(file.clone(), &file.environment, &[]);
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

/// `file` prepared by [`PREPARER`] and approved by [`REVIEWER`] through the team server whose
/// signing key is `server`: the approval signed, of exactly the file's change.
fn signed(server: &KeyBytes, mut file: PortableDraft) -> PortableDraft {
    file.review.editors = vec![PREPARER.into()];
    let key = kyb_server::checkpoint::signing_key(server);
    let change = file_change_hash(&file);
    file.signed_approvals.push(SignedApproval::sign(&key, &uuid::Uuid::new_v4().to_string(), 3, &change, REVIEWER, Utc::now()));
    file
}

/// The public half of a team server's signing key, hex: what a machine trusts.
fn public_key(server: &KeyBytes) -> String {
    kyb_server::checkpoint::signing_key(server).verifying_key().to_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The hand-edited file of the attack: a colleague named as preparer, an approval by the person
/// who edited it written in, its hash recomputed as the app computes it.
fn hand_approved(mut file: PortableDraft, editor: &str, colleague: &str) -> PortableDraft {
    let (mut draft, _) = into_draft(file.clone(), &file.environment, &[]);
    draft.review.editors = vec![colleague.into()];
    let approval = Approval {
        approver: editor.into(),
        preparers: vec![colleague.into()],
        diff_hash: diff_hash(&draft),
        environment: file.environment.clone(),
        approved_at: Utc::now(),
    };
    file.review.editors = vec![colleague.into()];
    file.review.approval = Some(approval);
    file
}

pub(crate) fn update(customer_id: &str) -> DraftTarget {
    DraftTarget::Update { customer_id: customer_id.into() }
}

const WEB: &str = "business_details.website";

#[tokio::test(flavor = "multi_thread")]
async fn validate_reports_each_file_and_whether_its_approval_holds() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let base = record_of(&api, ACME).await;
    let nord = record_of(&api, NORD).await;
    let good = draft_file(dir, "good.json", update(ACME), Some(&base), edited(&base, &[("primary_contact.contact_email", "kyc@acme.example.com")]));
    let bad = draft_file(dir, "bad.json", update(ACME), Some(&base), edited(&base, &[("primary_contact.contact_email", "not-an-email")]));
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\n  \"format\": \"kyb-desk-draft\",\n  \"version\": 1,\n  \"oops\": true\n}\n").unwrap();
    let broken = broken.display().to_string();

    // No state, no profile: validate is pure.
    let output = desk.kyb_with(&["drafts", "validate", &good, &bad, &broken, "/no/such/draft.json"], &[]).await;
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains(&format!("✓ {good}: valid draft (update {ACME})")), "{text}");
    assert!(text.contains("primary_contact.contact_email"), "{text}");
    assert!(text.contains("line 4, column"), "unreadable file names line and column: {text}");
    assert!(text.contains("cannot read the file"), "{text}");
    assert!(text.contains("4 file(s) checked"), "{text}");

    let output = desk.kyb(&["drafts", "validate", "--json", &good, &bad, &broken]).await;
    let report = json(&output);
    assert_eq!(report[0]["outcome"], "valid");
    assert_eq!(report[1]["outcome"], "invalid");
    assert_eq!(report[1]["issues"][0]["path"], "primary_contact.contact_email");
    assert_eq!(report[2]["outcome"], "unreadable");
    assert_eq!(report[2]["error"]["line"], 4);

    // The approval lines: only an approval signed by a trusted team server, unchanged, of exactly
    // the file's change counts.
    let server = KeyBytes::random();
    let trust = public_key(&server);
    let genuine = signed(&server, portable(PARTNER, update(NORD), Some(&nord), edited(&nord, &[(WEB, "https://approved.example.com")])));
    let genuine_file = write_file(dir, "signed.json", &genuine);
    let mut edited_after = signed(&server, portable(PARTNER, update(ACME), Some(&base), edited(&base, &[(WEB, "https://before.example.com")])));
    edited_after.record = edited(&edited_after.record, &[(WEB, "https://after.example.com")]);
    let void = write_file(dir, "edited-after.json", &edited_after);
    let output = desk.kyb(&["drafts", "validate", "--trust-key", &trust, &genuine_file, &good]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains(&format!("    approved by {REVIEWER} on ")) && text.contains("for exactly these changes (signed by the team server)"), "{text}");
    let report = json(&desk.kyb(&["drafts", "validate", "--json", "--trust-key", &trust, &genuine_file, &void, &good]).await);
    assert_eq!(report[0]["approvals"][0]["state"], "valid", "{report:#?}");
    assert_eq!(report[0]["approvals"][0]["signed"], true);
    assert_eq!((report[1]["approvals"][0]["state"].as_str(), report[1]["approvals"][0]["problem"].as_str()), (Some("refused"), Some("other_change")));
    assert!(report[2].get("approvals").is_none(), "{report:#?}");

    // One byte of the signed record flipped, a signature forged, a key not trusted, a plain one.
    let mut flipped = genuine.clone();
    flipped.signed_approvals[0].approved_by = "Rita Reviewes".into();
    let flipped = write_file(dir, "flipped.json", &flipped);
    let mut forged = genuine.clone();
    let last = forged.signed_approvals[0].signature.pop().unwrap();
    forged.signed_approvals[0].signature.push(if last == '0' { '1' } else { '0' });
    let forged = write_file(dir, "forged.json", &forged);
    let plain = write_file(dir, "hand-edited.json", &hand_approved(portable(PARTNER, update(ACME), Some(&base), edited(&base, &[(WEB, "https://mine.example.com")])), PREPARER, REVIEWER));
    let output = desk.kyb(&["drafts", "validate", "--trust-key", &trust, &flipped, &forged, &plain]).await;
    assert_eq!(output.status.code(), Some(1), "a refused approval is refused: {}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains(&format!("    approval by Rita Reviewes on {} refused: signature does not verify", Utc::now().format("%Y-%m-%d"))), "{text}");
    assert_eq!(text.matches("refused: signature does not verify").count(), 2, "{text}");
    assert!(text.contains(&format!("    approval by {PREPARER} on {} refused: not signed by the team server", Utc::now().format("%Y-%m-%d"))), "{text}");
    let output = desk.kyb(&["drafts", "validate", &genuine_file]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("refused: signed by a key this machine does not trust"), "{}", stdout(&output));
    let output = desk.kyb(&["drafts", "validate", "--trust-key", "not-a-key", &genuine_file]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));

    assert_eq!(desk.server.stats().total_updates(), 0, "validate sends nothing");
    assert!(desk.outbox().await.is_empty(), "validate queues nothing");
    desk.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_goes_through_the_apps_outbox_and_audit_trail() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let acme = record_of(&api, ACME).await;
    let nord = record_of(&api, NORD).await;
    let file = draft_file(dir, "acme.json", update(ACME), Some(&acme), edited(&acme, &[(WEB, "https://audited.example.com")]));
    let invalid = draft_file(dir, "invalid.json", update(NORD), Some(&nord), edited(&nord, &[(WEB, "http://insecure.example")]));

    // No --environment: the app's active one.
    let output = desk.kyb(&["drafts", "submit", "--json", &file, &invalid]).await;
    assert_eq!(output.status.code(), Some(1), "the invalid file needs a person: {}", stderr(&output));
    let report = json(&output);
    assert_eq!(report[0]["outcome"], "sent", "{report:#?}");
    assert_eq!(report[0]["environment"], PARTNER);
    assert_eq!(report[1]["outcome"], "invalid");
    assert_eq!(report[1]["issues"][0]["path"], WEB);
    assert!(report[1].get("outbox_entry").is_none(), "an invalid file is not queued");
    let entry_id = report[0]["outbox_entry"].as_str().expect("the outbox entry is named").to_owned();
    assert_eq!(record_of(&api, ACME).await["business_details"]["website"], "https://audited.example.com");
    assert_eq!(desk.server.stats().updates_for(ACME), 1);

    // The app, opened after the command, shows what it did: the entry sent, and the trail.
    let state = desk.open().await;
    let entries = state.drafts().unwrap().outbox.entries().unwrap();
    let entry = entries.iter().find(|e| e.id == entry_id).expect("the entry is in the app's outbox");
    assert_eq!(entry.queued_by.as_deref(), Some(PREPARER));
    assert!(matches!(entry.state, kyb_core::outbox::OutboxState::Sent { .. }), "{entry:?}");
    let trail = audit::audit_log(&state, AuditFilter::default()).await.unwrap();
    assert!(trail.chain.intact, "{:?}", trail.chain);
    let queued = trail
        .entries
        .iter()
        .find(|e| matches!(&e.event, AuditEvent::SubmissionQueued { outbox_entry, .. } if outbox_entry == &entry_id))
        .expect("SubmissionQueued in the trail");
    assert_eq!((queued.actor.as_str(), queued.environment.as_str(), queued.customer.as_str()), (PREPARER, PARTNER, ACME));
    let sent = trail
        .entries
        .iter()
        .find(|e| matches!(&e.event, AuditEvent::SubmissionSent { outbox_entry, .. } if outbox_entry == &entry_id))
        .expect("SubmissionSent in the trail (written by the worker's pass)");
    assert!(sent.seq > queued.seq, "queued before sent");
    assert_eq!(sent.environment, PARTNER);
    state.shutdown().await;

    // Human report.
    let again = draft_file(dir, "again.json", update(NORD), Some(&nord), edited(&nord, &[(WEB, "https://human.example.com")]));
    let output = desk.kyb(&["drafts", "submit", "--environment", PARTNER, &again]).await;
    assert_eq!(output.status.code(), Some(0), "{}\n{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    assert!(text.contains(&format!("✓ {again} (update {NORD}) [outbox entry o-")) && text.contains("sent, customer"), "{text}");
    assert!(text.contains("1 file(s) submitted: 1 sent"), "{text}");
    desk.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environment_that_requires_approval_refuses_a_file_without_one() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let acme = record_of(&api, ACME).await;
    let nord = record_of(&api, NORD).await;
    let unapproved = write_file(dir, "unapproved.json", &portable(GUARDED, update(ACME), Some(&acme), edited(&acme, &[(WEB, "https://plain.example.com")])));
    // Approved on a solo desktop and exported: a plain approval in a file does not count.
    let solo = write_file(dir, "solo.json", &approved(portable(GUARDED, update(NORD), Some(&nord), edited(&nord, &[(WEB, "https://solo.example.com")]))));
    // Edited by hand: a colleague named as preparer, an approval written in, its hash recomputed.
    let hand = write_file(dir, "hand-edited.json", &hand_approved(portable(GUARDED, update(ACME), Some(&acme), edited(&acme, &[(WEB, "https://mine.example.com")])), PREPARER, REVIEWER));

    let output = desk.kyb(&["drafts", "submit", "--environment", GUARDED, &unapproved, &solo, &hand]).await;
    assert_eq!(output.status.code(), Some(1), "{}\n{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    let refused = format!("✗ {unapproved} (update {ACME}): not queued: \"{GUARDED}\" requires an approval by another profile");
    assert!(text.contains(&refused), "{text}");
    assert!(text.contains("3 file(s) submitted: 3 not approved"), "{text}");
    assert!(text.contains(&format!("The approval by {PREPARER} in the file was not kept: not signed by the team server.")), "{text}");
    assert!(desk.outbox().await.is_empty(), "nothing queued");
    assert_eq!(desk.server.stats().total_updates(), 0, "nothing reached the partner");

    // Signed by the team server this machine is connected to, for exactly this change: sent.
    let server = KeyBytes::random();
    let connection = kyb_app::team::TeamConnection {
        server_url: "http://127.0.0.1:9".into(),
        issuer: "http://127.0.0.1:9/unused".into(),
        client_id: "kyb-desk".into(),
        server_key: public_key(&server),
    };
    connection.save(&desk.config_dir()).unwrap();
    let good = write_file(dir, "approved.json", &signed(&server, portable(GUARDED, update(NORD), Some(&nord), edited(&nord, &[(WEB, "https://approved.example.com")]))));
    // The same, signed by another server's key: refused.
    let other = write_file(dir, "other-server.json", &signed(&KeyBytes::random(), portable(GUARDED, update(ACME), Some(&acme), edited(&acme, &[(WEB, "https://other.example.com")]))));
    let output = desk.kyb(&["drafts", "submit", "--json", "--environment", GUARDED, &good, &other, &hand]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json(&output);
    let outcomes: Vec<&str> = report.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["sent", "not_approved", "not_approved"], "{report:#?}");
    assert_eq!(report[0]["approvals"][0]["state"], "valid");
    assert_eq!(report[1]["approvals"][0]["problem"], "untrusted_key");
    assert_eq!(report[2]["approvals"][0]["problem"], "not_signed");
    let stats = desk.server.stats();
    assert_eq!((stats.updates_for(NORD), stats.updates_for(ACME)), (1, 0));
    let outbox = desk.outbox().await;
    assert_eq!(outbox.len(), 1, "only the signed file was queued: {outbox:#?}");
    assert_eq!(outbox[0].approval.as_ref().map(|a| a.approver.as_str()), Some(REVIEWER));
    desk.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_file_submitted_twice_is_applied_once() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let base = record_of(&api, ACME).await;
    let file = draft_file(dir, "once.json", update(ACME), Some(&base), edited(&base, &[(WEB, "https://once.example.com")]));
    let create = draft_file(dir, "new.json", DraftTarget::Create { partner_customer_id: "P-ONCE-1".into() }, None, base.clone());

    let first = desk.kyb(&["drafts", "submit", "--wait", &file, &create]).await;
    assert_eq!(first.status.code(), Some(0), "{}\n{}", stdout(&first), stderr(&first));
    assert!(stdout(&first).contains("is Succeeded"), "--wait follows the status: {}", stdout(&first));
    let second = desk.kyb(&["drafts", "submit", "--json", &file, &create]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stdout(&second));
    let report = json(&second);
    assert!(report.iter().all(|r| r["outcome"] == "sent"), "{report:#?}");

    let stats = desk.server.stats();
    assert_eq!(stats.updates_for(ACME), 1, "the same file is one intent");
    assert_eq!(stats.creates_for("P-ONCE-1"), 1);
    assert_eq!(stats.idempotent_replays, 2);
    let created = api.get_customer(&CustomerLookup::PartnerCustomerId("P-ONCE-1".into())).await.unwrap();
    assert_eq!(report[1]["customer"]["customer_id"], created.customer_id.as_str());
    desk.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn conflicts_refusals_and_failures_are_reported_per_file() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let acme = record_of(&api, ACME).await;
    let nord = record_of(&api, NORD).await;

    // Someone changes Acme's email and website after the drafts were exported.
    let theirs = edited(&acme, &[("primary_contact.contact_email", "theirs@acme.example.com"), (WEB, "https://theirs.example.com")]);
    let body = kyb_core::validation::check_update(serde_json::from_value(theirs).unwrap(), &kyb_core::validation::ValidationContext::now()).unwrap();
    api.update_customer(ACME, &body, None).await.unwrap();
    let conflicting = draft_file(dir, "conflict.json", update(ACME), Some(&acme), edited(&acme, &[("primary_contact.contact_email", "mine@acme.example.com")]));
    let merging = draft_file(dir, "merge.json", update(NORD), Some(&nord), edited(&nord, &[("primary_contact.contact_phone", "+12125550111")]));

    // A 503 on the first partner call (the lost-update fetch) is retried by the outbox.
    desk.server.faults().fail_next(1, 503);
    let output = desk.kyb(&["drafts", "submit", "--json", &merging, &conflicting]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json(&output);
    let outcomes: Vec<&str> = report.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["sent", "conflict"], "{report:#?}");
    assert_eq!(report[1]["conflicts"][0]["path"], "primary_contact.contact_email");
    assert_eq!(report[1]["conflicts"][0]["theirs"], "theirs@acme.example.com");
    assert_eq!(report[1]["conflicts"][0]["mine"], "mine@acme.example.com");
    assert!(report[1]["outbox_entry"].as_str().is_some_and(|id| id.starts_with("o-")), "{report:#?}");
    let stats = desk.server.stats();
    assert_eq!(stats.updates_for(NORD), 1, "sent after the retry");
    assert_eq!(stats.updates_for(ACME), 1, "only theirs: the conflicting file waits for a person");

    // A 500 is not retried: failed, exit 3, nothing applied.
    let nord = record_of(&api, NORD).await;
    let failing = draft_file(dir, "fail.json", update(NORD), Some(&nord), edited(&nord, &[(WEB, "https://fail.example.com")]));
    desk.server.faults().fail_next(1, 500);
    let output = desk.kyb(&["drafts", "submit", &failing]).await;
    assert_eq!(output.status.code(), Some(3), "{}\n{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains(&format!("✗ {failing} (update {NORD}) [outbox entry o-")), "{}", stdout(&output));
    assert!(stdout(&output).contains("not sent"), "{}", stdout(&output));
    assert_eq!(desk.server.stats().updates_for(NORD), 1, "only the merging file's update");
    desk.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_needs_an_existing_profile_and_a_free_data_folder() {
    let desk = Desk::new().await;
    let (dir, api) = (desk.path(), desk.client());
    let acme = record_of(&api, ACME).await;
    let file = draft_file(dir, "acme.json", update(ACME), Some(&acme), edited(&acme, &[(WEB, "https://who.example.com")]));

    let output = desk.kyb_with(&["drafts", "submit", &file], &[("KYB_PROFILE", "Nobody Known")]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stderr(&output).contains("there is no profile named \"Nobody Known\""), "{}", stderr(&output));
    assert!(stderr(&output).contains(PREPARER), "the known profiles are listed: {}", stderr(&output));
    // Without a profile at all, clap says what is missing.
    let output = desk.kyb_with(&["drafts", "submit", &file], &[]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--profile"), "{}", stderr(&output));

    // While the app holds the data folder, the command refuses (it never shares the outbox).
    let app = desk.open().await;
    let output = desk.kyb(&["drafts", "submit", &file]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stderr(&output).contains("another KYB Desk process"), "{}", stderr(&output));
    app.shutdown().await;
    assert!(desk.outbox().await.is_empty(), "nothing queued");
    assert_eq!(desk.server.stats().total_updates(), 0);
    desk.server.shutdown().await;
}
