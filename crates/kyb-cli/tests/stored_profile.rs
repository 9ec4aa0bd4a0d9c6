//! `kyb submit` and `kyb drafts submit` without `--partner-profile` validate with the profile the
//! app keeps for the environment they submit to (chosen in Settings): a value outside its closed
//! list is refused before anything is queued, naming the profile; another environment keeps the
//! built-in one. A `--partner-profile` flag changes the file's own check only: queueing applies
//! the environment's profile whatever the flag.

use kyb_app::use_cases::partner_profile::import_partner_profile;
use kyb_app::use_cases::profiles;
use kyb_core::partner_profile::PartnerProfile;
use serde_json::Value;

use crate::desk::{record_of, stderr, stdout, Desk, ACME, GUARDED, PARTNER, PREPARER};
use crate::drafts_batch::{draft_file, update};

const ACME_PROFILE: &str = r#"{
  "format": "kyb-desk-partner-profile", "version": 1, "name": "ACME", "revision": 3,
  "enumerations": {"business_type": {"values": ["Limited Liability Company", "Corporation"], "closed": true}}
}"#;

const REFUSED: &str = "is not in the partner's list of business types (profile ACME v3)";
const INVALID: &str = "the record is invalid (1 problem(s))";

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn said(output: &std::process::Output) -> String {
    format!("{}\n{}", stdout(output), stderr(output))
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_validates_with_the_environments_stored_profile() {
    let desk = Desk::new().await;
    let dir = desk.path();
    let state = desk.open().await;
    profiles::choose_profile(&state, PREPARER).await.unwrap();
    assert!(import_partner_profile(&state, PARTNER, ACME_PROFILE).await.unwrap().accepted);
    state.shutdown().await;

    let base = record_of(&desk.client(), ACME).await;
    let mut trust = base.clone();
    trust["business_details"]["business_type"] = Value::from("Trust");
    let file = write(dir, "trust.json", &serde_json::to_string_pretty(&trust).unwrap());

    // PARTNER is the app's active environment: its profile applies (the one problem).
    let output = desk.kyb(&["submit", &file, "--customer", ACME]).await;
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    assert!(said(&output).contains(INVALID), "{}", said(&output));
    let output = desk.kyb(&["submit", &file, "--customer", ACME, "--environment", PARTNER]).await;
    assert!(said(&output).contains(INVALID), "{}", said(&output));

    let draft = draft_file(dir, "trust-draft.json", update(ACME), Some(&base), trust.clone());
    let output = desk.kyb(&["drafts", "submit", &draft]).await;
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    assert!(said(&output).contains(REFUSED), "{}", said(&output));
    assert!(desk.outbox().await.is_empty(), "nothing queued");

    // GUARDED keeps the built-in profile (open lists): the file passes validation and meets
    // that environment's own rule instead (it requires an approval).
    let output = desk.kyb(&["submit", &file, "--customer", ACME, "--environment", GUARDED]).await;
    assert!(!said(&output).contains(INVALID), "{}", said(&output));

    // A flag replaces the profile of the file's own check, not the environment's: queueing
    // still applies the profile Settings chose, so the record stays a draft, unsent.
    let built_in = serde_json::to_string_pretty(PartnerProfile::built_in().document()).unwrap();
    let built_in = write(dir, "built-in.json", &built_in);
    let output = desk.kyb(&["submit", &file, "--customer", ACME, "--partner-profile", &built_in]).await;
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    assert!(!said(&output).contains(INVALID) && said(&output).contains(REFUSED), "{}", said(&output));
    assert!(desk.outbox().await.is_empty(), "nothing queued");
    desk.server.shutdown().await;
}
