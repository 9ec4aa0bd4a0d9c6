//! `--partner-profile` / `KYB_PARTNER_PROFILE` and `kyb partner-profile`: the real binary, and a
//! sandbox started by `kyb sandbox --partner-profile` on a loopback port, which then refuses
//! values outside the profile's closed list as the partner would.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use kyb_core::client::{parse_base_url, ClientConfig, ClientError, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::model::UpdateCustomerRequest;
use kyb_core::validation::{check_update, ValidationContext};

const CLI: &str = env!("CARGO_BIN_EXE_kyb");

const ACME: &str = r#"{
  "format": "kyb-desk-partner-profile", "version": 1, "name": "ACME", "revision": 3,
  "enumerations": {"business_type": {"values": ["Limited Liability Company", "Corporation"], "closed": true}}
}"#;

/// Kills the sandbox process when the test ends, however it ends.
struct SandboxProcess(Child);

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `kyb sandbox --partner-profile FILE` on a free port, once it answers.
async fn sandbox_with_profile(dir: &Path, profile: &str) -> (SandboxProcess, String) {
    let port = free_port();
    let child = Command::new(CLI)
        .args([
            "sandbox",
            "--port",
            &port.to_string(),
            "--settle-after-ms",
            "200",
            "--partner-profile",
            profile,
        ])
        .arg("--data-dir")
        .arg(dir.join("sandbox"))
        .env_remove("KYB_PARTNER_PROFILE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kyb sandbox starts");
    let process = SandboxProcess(child);
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (process, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the sandbox did not listen on {port}");
}

async fn kyb(base_url: &str, args: &[&str], partner_profile_env: Option<&str>) -> Output {
    let base_url = base_url.to_owned();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let env = partner_profile_env.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(CLI);
        command
            .args(&args)
            .env("KYB_BASE_URL", base_url)
            .env("KYB_API_KEY", kyb_sandbox::DEMO_API_KEY)
            .env("KYB_API_SECRET", kyb_sandbox::DEMO_API_SECRET)
            .env_remove("KYB_ENVIRONMENT")
            .env_remove("KYB_PARTNER_PROFILE");
        if let Some(path) = env {
            command.env("KYB_PARTNER_PROFILE", path);
        }
        command.output().expect("kyb runs")
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
async fn a_closed_list_is_enforced_by_the_flag_the_variable_and_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let profile = write(dir.path(), "acme.json", ACME);
    let (_sandbox, base) = sandbox_with_profile(dir.path(), &profile).await;

    let got = kyb(
        &base,
        &["get", "--customer-id", "cus_demo_0001", "--sections"],
        None,
    )
    .await;
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let mut record: serde_json::Value = serde_json::from_str(&stdout(&got)).unwrap();
    record["business_details"]["business_type"] = "Trust".into();
    let file = write(dir.path(), "record.json", &record.to_string());

    // The built-in profile's lists are open: "Trust" passes.
    let open = kyb(&base, &["validate", &file], None).await;
    assert_eq!(open.status.code(), Some(0), "{}", stdout(&open));

    let refusal = "is not in the partner's list of business types (profile ACME v3)";
    let flagged = kyb(
        &base,
        &["validate", "--partner-profile", &profile, &file],
        None,
    )
    .await;
    assert_eq!(flagged.status.code(), Some(1), "{}", stdout(&flagged));
    assert!(stdout(&flagged).contains(refusal), "{}", stdout(&flagged));
    let from_env = kyb(&base, &["validate", "--json", &file], Some(&profile)).await;
    assert_eq!(from_env.status.code(), Some(1), "{}", stdout(&from_env));
    let report: serde_json::Value = serde_json::from_str(&stdout(&from_env)).unwrap();
    assert_eq!(report[0]["issues"][0]["code"], "not_in_list", "{report}");
    assert_eq!(report[0]["issues"][0]["source"], "partner", "{report}");
    assert_eq!(
        report[0]["issues"][0]["path"], "business_details.business_type",
        "{report}"
    );

    // The sandbox started with the profile refuses the same value, naming the field.
    let body: UpdateCustomerRequest = serde_json::from_value(record).unwrap();
    let body =
        check_update(body, &ValidationContext::now()).expect("valid under the built-in profile");
    let client = PartnerClient::new(ClientConfig::new(
        parse_base_url(&format!("{base}/")).unwrap(),
        ApiCredentials {
            api_key: kyb_sandbox::DEMO_API_KEY.into(),
            api_secret: kyb_sandbox::DEMO_API_SECRET.into(),
        },
    ))
    .unwrap();
    match client.update_customer("cus_demo_0001", &body, None).await {
        Err(ClientError::ValidationRejected { errors, .. }) => {
            let field = errors
                .iter()
                .find(|e| e.field.as_deref() == Some("business_details.business_type"));
            let field = field.unwrap_or_else(|| panic!("{errors:?}"));
            assert!(field.message.contains(refusal), "{field:?}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn check_lists_every_problem_and_show_prints_a_valid_template() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.json",
        r#"{"format": "kyb-desk-partner-profile", "version": 2, "name": "ACME", "revision": 0,
            "enumerations": {"role_type": {"values": ["Director", "director"], "representative_roles": ["Director"]}}}"#,
    );
    let checked = kyb(
        "http://127.0.0.1:9",
        &["partner-profile", "check", &bad],
        None,
    )
    .await;
    assert_eq!(checked.status.code(), Some(2), "{}", stdout(&checked));
    let text = stdout(&checked);
    for place in [
        "version: unknown version 2",
        "revision: 0 is out of range",
        "enumerations.role_type.values[1]:",
    ] {
        assert!(text.contains(place), "{place} missing in {text}");
    }

    // A bad profile given to a validating command is a usage error (exit 2) naming the problems.
    let record = write(dir.path(), "record.json", "{}");
    let refused = kyb(
        "http://127.0.0.1:9",
        &["validate", "--partner-profile", &bad, &record],
        None,
    )
    .await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("version: unknown version 2"));

    let shown = kyb("http://127.0.0.1:9", &["partner-profile", "show"], None).await;
    assert!(shown.status.success());
    let template = write(dir.path(), "template.json", &stdout(&shown));
    let ok = kyb(
        "http://127.0.0.1:9",
        &["partner-profile", "check", &template],
        None,
    )
    .await;
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(
        stdout(&ok).contains("partner profile KYB Desk built-in v1 is valid (closed lists: none)"),
        "{}",
        stdout(&ok)
    );
}
