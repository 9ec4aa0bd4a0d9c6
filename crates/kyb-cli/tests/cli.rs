//! The `kyb` binary end to end: real process, real sandbox on a loopback port; the commands that
//! talk to the partner directly (`get`, `upload`) and the pure ones (`validate`), against both
//! sandbox personalities where the partner answers.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use kyb_core::credentials::ApiCredentials;
use kyb_sandbox::{Personality, SandboxConfig, SandboxHandle};

const CLI: &str = env!("CARGO_BIN_EXE_kyb");

async fn sandbox(data_dir: &Path) -> SandboxHandle {
    sandbox_as(data_dir, Personality::Default).await
}

async fn sandbox_as(data_dir: &Path, personality: Personality) -> SandboxHandle {
    kyb_sandbox::start(SandboxConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.to_path_buf(),
        credentials: ApiCredentials { api_key: "cli-key".into(), api_secret: "cli-secret".into() },
        settle_after: Duration::from_millis(200),
        seed_demo_customers: true,
        personality,
        partner_profile: kyb_core::partner_profile::PartnerProfile::shared_built_in(),
    })
    .await
    .expect("sandbox starts")
}

/// Run `kyb` (blocking, so off the async runtime) against `base_url` with env credentials.
async fn kyb(base_url: &str, args: &[&str]) -> Output {
    let base_url = base_url.to_owned();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(CLI)
            .args(&args)
            .env("KYB_BASE_URL", base_url)
            .env("KYB_API_KEY", "cli-key")
            .env("KYB_API_SECRET", "cli-secret")
            .env_remove("KYB_ENVIRONMENT")
            .output()
            .expect("kyb runs")
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn get_edit_validate_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox(&dir.path().join("sandbox")).await;
    let base = server.base_url();

    let got = kyb(&base, &["get", "--customer-id", "cus_demo_0001", "--sections"]).await;
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let mut record: serde_json::Value = serde_json::from_str(&stdout(&got)).unwrap();
    assert!(record.get("customer_id").is_none(), "--sections prints an update body only");
    record["primary_contact"]["contact_email"] = "compliance@example.org".into();
    let file = write(dir.path(), "record.json", &record.to_string());

    let checked = kyb(&base, &["validate", &file]).await;
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    assert!(stdout(&checked).contains("1 valid"));

    // Submitting goes through the desktop app's outbox (tests/submit.rs): nothing was sent here.
    let fetched = kyb(&base, &["get", "--customer-id", "cus_demo_0001"]).await;
    let fetched: serde_json::Value = serde_json::from_str(&stdout(&fetched)).unwrap();
    assert_eq!(fetched["customer_id"], "cus_demo_0001");
    assert_eq!(server.stats().total_updates(), 0, "get and validate change nothing at the partner");
    server.shutdown().await;
}

/// The partner as published answers people without `basic_info`: the record prints, and
/// validating it names what the officer must fill before it can be sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_strict_answer_prints_and_validation_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox_as(&dir.path().join("sandbox"), Personality::Strict).await;
    let base = server.base_url();
    let got = kyb(&base, &["get", "--customer-id", "cus_demo_0001", "--sections"]).await;
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let record: serde_json::Value = serde_json::from_str(&stdout(&got)).unwrap();
    assert!(record["business_person_list"][0].get("basic_info").is_none(), "{record}");
    let file = write(dir.path(), "record.json", &record.to_string());
    let checked = kyb(&base, &["validate", &file]).await;
    assert_eq!(checked.status.code(), Some(1), "{}", stdout(&checked));
    assert!(stdout(&checked).contains("business_person_list[0].basic_info"), "{}", stdout(&checked));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_reports_every_problem_with_paths_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.json",
        r#"{"business_details":{"business_name_english":"Acme","website":"http://acme.example"},
            "primary_contact":{"contact_email":"not-an-email"}}"#,
    );
    let output = kyb("http://127.0.0.1:9", &["validate", "--json", &bad]).await;
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let paths: Vec<&str> = report[0]["issues"].as_array().unwrap().iter().map(|i| i["path"].as_str().unwrap()).collect();
    for expected in ["registration_address", "business_details.website", "primary_contact.contact_email", "business_details.business_type"] {
        assert!(paths.contains(&expected), "missing {expected} in {paths:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_names_an_unknown_field_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let typo = write(dir.path(), "typo.json", r#"{"business_details":{"busines_name":"Acme"}}"#);
    let output = kyb("http://127.0.0.1:9", &["validate", &typo, "/no/such/file.json"]).await;
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("business_details.busines_name"), "{text}");
    assert!(text.contains("cannot read"), "{text}");
    assert!(text.contains("2 invalid"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_checks_the_type_and_returns_a_file_id() {
    for personality in Personality::ALL {
        upload_as(personality).await;
    }
}

async fn upload_as(personality: Personality) {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox_as(&dir.path().join("sandbox"), personality).await;
    let doc = write(dir.path(), "front.png", "not really a png, but bytes");

    let wrong = kyb(&server.base_url(), &["upload", &doc, "--type", "main page"]).await;
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("fileType"));

    let ok = kyb(&server.base_url(), &["upload", &doc, "--type", "Main page"]).await;
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(!stdout(&ok).trim().is_empty());

    // Over the client's limit: refused on the file's size, before it is read or sent (a sparse
    // file, so the test writes nothing).
    let big = dir.path().join("big.pdf");
    std::fs::File::create(&big).unwrap().set_len(kyb_core::client::MAX_UPLOAD_BYTES as u64 + 1).unwrap();
    let refused = kyb(&server.base_url(), &["upload", big.to_str().unwrap(), "--type", "Invoice"]).await;
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("at most 10485760 bytes"), "{stderr}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_credentials_are_a_clear_error_without_the_secret() {
    for personality in Personality::ALL {
        wrong_credentials_as(personality).await;
    }
}

async fn wrong_credentials_as(personality: Personality) {
    let dir = tempfile::tempdir().unwrap();
    let server = sandbox_as(&dir.path().join("sandbox"), personality).await;
    let output = tokio::task::spawn_blocking({
        let base = server.base_url();
        move || {
            Command::new(CLI)
                .args(["get", "--customer-id", "cus_demo_0001"])
                .env("KYB_BASE_URL", base)
                .env("KYB_API_KEY", "cli-key")
                .env("KYB_API_SECRET", "canary-wrong-secret-7731")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.to_lowercase().contains("credential") || stderr.contains("401"), "{stderr}");
    assert!(!stderr.contains("canary-wrong-secret-7731"));
    server.shutdown().await;
}

#[test]
fn credentials_are_not_accepted_as_arguments() {
    let output = Command::new(CLI).args(["get", "--customer-id", "x", "--api-secret", "s"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
