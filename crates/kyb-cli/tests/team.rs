//! `kyb team` against a real team server (PostgreSQL, the demo OIDC provider, the sandbox): sign
//! in with the device grant, push a change, four-eyes through the CLI, submit and wait.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use kyb_server::identity::OidcSettings;
use kyb_server::testing::{DemoProvider, TestDatabase};

const CLI: &str = env!("CARGO_BIN_EXE_kyb");

struct Person {
    config_dir: tempfile::TempDir,
    data_dir: tempfile::TempDir,
    keychain_service: String,
}

impl Person {
    fn new(name: &str) -> Self {
        Self { config_dir: tempfile::tempdir().unwrap(), data_dir: tempfile::tempdir().unwrap(), keychain_service: format!("kyb-cli-team-test-{name}-{}", std::process::id()) }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(CLI);
        command
            .arg("team")
            .arg("--config-dir")
            .arg(self.config_dir.path())
            .arg("--data-dir")
            .arg(self.data_dir.path())
            .args(args)
            .env("KYB_DESK_KEYCHAIN_SERVICE", &self.keychain_service);
        command
    }

    async fn kyb(&self, args: &[&str]) -> (i32, String, String) {
        let mut command = self.command(args);
        let output = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
        (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
    }

    /// `kyb team sign-in`, the browser part played on the provider's pages.
    async fn sign_in(&self, provider: &DemoProvider, user: &str) {
        let mut child = self.command(&["sign-in"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let first = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next().unwrap().unwrap();
            (first, lines)
        })
        .await
        .unwrap();
        let (line, lines) = first;
        let url = line.strip_prefix("Open ").and_then(|rest| rest.split_whitespace().next()).unwrap_or_else(|| panic!("{line}")).to_owned();
        provider.complete_device_sign_in(&url, user).await.unwrap();
        let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        assert!(status.success(), "sign-in failed: {rest:?}");
        assert!(rest.iter().any(|l| l.starts_with("signed in as")), "{rest:?}");
    }
}

impl Drop for Person {
    fn drop(&mut self) {
        let _ = kyb_app::team::TokenStore::new(&self.keychain_service);
        if let Ok(connection) = kyb_app::team::TeamConnection::load(self.config_dir.path()) {
            let _ = kyb_app::team::TokenStore::new(&self.keychain_service).delete(&connection.server_url);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_push_approve_and_submit_through_the_server() {
    if !kyb_app::testing::keychain_available("kyb-cli-team-probe") {
        assert!(std::env::var("KYB_REQUIRE_KEYRING").is_err(), "no keychain");
        return;
    }
    let Some(db) = TestDatabase::fresh().await else { return };
    let Some(provider) = DemoProvider::start() else { return };
    let folder = tempfile::tempdir().unwrap();
    let sandbox = kyb_server::testing::partner_sandbox(&folder.path().join("sandbox"), "k-team", "s-team").await;
    let mut config = db.server_config();
    config.oidc = Some(OidcSettings::new(provider.issuer.clone()));
    config.outbox_interval = Some(Duration::from_millis(100));
    let pool_config = config.clone();
    let server = kyb_server::start(config).await.unwrap();
    let settings = kyb_server::environments::EnvironmentSettings {
        name: "Sandbox".into(),
        base_url: sandbox.base_url(),
        requires_approval: true,
        is_production: false,
    };
    kyb_server::environments::save(&server.pool, "operator:test", &settings).await.unwrap();
    kyb_server::environments::set_credentials(&server.pool, &pool_config.sealing_key, "operator:test", "Sandbox", "k-team", "s-team").await.unwrap();

    let olivia = Person::new("olivia");
    let rita = Person::new("rita");
    for (person, user) in [(&olivia, "olivia"), (&rita, "rita")] {
        let (code, out, err) = person.kyb(&["connect", &server.base_url()]).await;
        assert_eq!(code, 0, "{out}{err}");
        person.sign_in(&provider, user).await;
    }
    let (_, whoami, _) = rita.kyb(&["whoami"]).await;
    assert!(whoami.contains("Rita Reviewer") && whoami.contains("reviewer"), "{whoami}");

    // Olivia pushes a change made from the partner's record.
    let record_file = folder.path().join("record.json");
    let mut record = kyb_core::outbox::editable_record(
        &kyb_sandbox::demo::customers().unwrap().into_iter().find(|c| c.customer_id == "cus_demo_0002").unwrap(),
    );
    record["business_details"]["website"] = json!("https://cli-team.example.com");
    std::fs::write(&record_file, record.to_string()).unwrap();
    let (code, out, err) = olivia.kyb(&["push", "--environment", "Sandbox", "--customer", "cus_demo_0002", record_file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{out}{err}");
    let draft: Value = serde_json::from_str(&out).unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["preparers"], json!(["olivia"]));

    // Unapproved: refused, nothing at the partner. Olivia cannot approve her own change.
    let (code, _, err) = olivia.kyb(&["submit", &id]).await;
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("requires approval"), "{err}");
    let (code, _, err) = olivia.kyb(&["approve", &id]).await;
    assert_eq!(code, 3, "{err}");
    assert_eq!(sandbox.stats().updates_for("cus_demo_0002"), 0);

    // Rita decides every document (approval rests on them), approves (the CLI checks the
    // server's signature), Olivia submits and waits.
    let (code, out, err) = rita.kyb(&["approve", &id]).await;
    assert_eq!(code, 3, "approval before the documents are decided: {out}{err}");
    assert!(err.contains("no decision yet"), "{err}");
    let (code, out, err) = rita.kyb(&["documents", &id]).await;
    assert_eq!(code, 0, "{out}{err}");
    let documents: Value = serde_json::from_str(&out).unwrap();
    let file_ids: Vec<String> = documents.as_array().unwrap().iter().map(|d| d["file_id"].as_str().unwrap().to_owned()).collect();
    assert!(!file_ids.is_empty(), "{out}");
    let (code, _, err) = rita.kyb(&["decide", &id, &file_ids[0], "--decision", "rejected"]).await;
    assert_eq!(code, 3, "a rejection without a reason: {err}");
    assert!(err.contains("reason"), "{err}");
    let (code, _, err) = olivia.kyb(&["decide", &id, &file_ids[0], "--decision", "verified"]).await;
    assert_eq!(code, 3, "the preparer cannot decide: {err}");
    for file_id in &file_ids {
        let (code, out, err) = rita.kyb(&["decide", &id, file_id, "--decision", "verified"]).await;
        assert_eq!(code, 0, "{out}{err}");
    }
    let (code, out, err) = rita.kyb(&["approve", &id]).await;
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = olivia.kyb(&["submit", &id, "--wait"]).await;
    assert_eq!(code, 0, "{out}{err}");
    let entry: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(entry["state"], "sent");
    assert_eq!(sandbox.stats().updates_for("cus_demo_0002"), 1);

    // Signed out: refused until signing in again.
    assert_eq!(olivia.kyb(&["sign-out"]).await.0, 0);
    let (code, _, err) = olivia.kyb(&["whoami"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("not signed in"), "{err}");
    server.shutdown().await;
}
