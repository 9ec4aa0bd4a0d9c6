//! End-to-end canary scan ("Secrets and PII"; docs/e2e.md): the real app is driven
//! through its flows with values unique to this run as the API key and secret, a contact email
//! and an ID number; after the app has quit, every file it (and WebKit) left behind is read as
//! bytes and searched for those values in clear text. Expected: no hit anywhere for the key and
//! secret, and none for the email and ID number outside the built-in sandbox's own data (the
//! partner legitimately holds what the officer submitted).
//!
//! Flow: Settings → add "Canary" pointed at the built-in sandbox → store the canary key and
//! secret through the credentials form (the keychain) → switch to it, open a customer (the
//! sandbox refuses them: `unauthorized`, so the secret really went out in a request) → back to
//! Sandbox → open `cus_demo_0002`, type the canary email and ID number → draft saved → Review →
//! Queue → sent → Audit screen → quit. Run via scripts/e2e.sh (Xvfb, D-Bus, keychain, built app):
//! `KYB_E2E_TESTS=e2e_canary bash scripts/e2e.sh --nocapture` prints the canaries and what was
//! scanned; with `KYB_E2E_CANARY_LIST=1` also every file scanned and its size.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kyb_core::credentials::{ApiCredentials, CredentialStore, CredentialsError};
use kyb_tests::e2e::{ensure, launch, Desk, Options, Res, WAIT};

const ENV: &str = "Canary";
const CUSTOMER: &str = "cus_demo_0002";
const EMAIL_FIELD: &str = "fld-primary_contact-contact_email";
const ID_FIELD: &str = "fld-business_person_list-0-identification-id_number";
/// The app's folder name under the XDG data/config/cache folders.
const APP_DIR: &str = "com.kybdesk.desktop";

/// The values planted this run (random, so a hit can only come from this run).
struct Canaries {
    api_key: String,
    api_secret: String,
    email: String,
    id_number: String,
}

impl Canaries {
    fn new() -> Self {
        let hex = |bytes: usize| -> String { (0..bytes).map(|_| format!("{:02x}", rand::random::<u8>())).collect() };
        // A v4 UUID's shape for the key, its "simple" form (32 hex digits) for the secret.
        let uuid = {
            let h = hex(16);
            format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
        };
        Canaries {
            api_key: format!("canary-key-{uuid}"),
            api_secret: format!("canary-secret-{}", hex(16)),
            email: format!("canary.{}@example.com", hex(4)),
            id_number: format!("CANARY{}", hex(4).to_uppercase()),
        }
    }

    fn credentials(&self) -> ApiCredentials {
        ApiCredentials { api_key: self.api_key.clone(), api_secret: self.api_secret.clone() }
    }
}

/// One byte pattern to look for: what it is, and whether the sandbox's data may hold it.
struct Needle {
    label: String,
    bytes: Vec<u8>,
    allowed_in_sandbox: bool,
}

/// Every canary in clear text (UTF-8, and UTF-16LE as WebKit's storage databases keep strings),
/// plus the base64 of the secret and of `key:secret` (a trivially encoded leak).
fn needles(c: &Canaries) -> Vec<Needle> {
    let mut out = Vec::new();
    let mut add = |label: &str, text: &str, allowed_in_sandbox: bool| {
        out.push(Needle { label: format!("{label} (utf-8)"), bytes: text.as_bytes().to_vec(), allowed_in_sandbox });
        let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        out.push(Needle { label: format!("{label} (utf-16le)"), bytes: utf16, allowed_in_sandbox });
    };
    add("API secret", &c.api_secret, false);
    add("API key", &c.api_key, false);
    add("email", &c.email, true);
    add("ID number", &c.id_number, true);
    add("base64 of the API secret", &base64(c.api_secret.as_bytes()), false);
    add("base64 of key:secret", &base64(format!("{}:{}", c.api_key, c.api_secret).as_bytes()), false);
    out
}

/// Standard base64 with padding (the tests crate has no base64 dependency; this is 10 lines).
fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn forget(env: &str) {
    match CredentialStore::default().delete(env) {
        Ok(()) | Err(CredentialsError::NotFound { .. }) => {}
        Err(e) => panic!("keychain not reachable (run via scripts/e2e.sh): {e}"),
    }
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn canary_secret_email_and_id_number_never_land_in_clear_text_on_disk() {
    forget(ENV);
    let canaries = Canaries::new();
    eprintln!(
        "canaries this run: key {} secret {} email {} id {}",
        canaries.api_key, canaries.api_secret, canaries.email, canaries.id_number
    );
    let root: PathBuf = tempfile::Builder::new().prefix("kyb-e2e-canary-").tempdir().expect("temp folder").keep();
    let outcome = drive(&root, &canaries).await;
    // The keychain must hold exactly the typed credentials: the secret really was stored (and,
    // with the `unauthorized` answer seen above, sent).
    let stored = CredentialStore::default().load(ENV);
    forget(ENV);
    if let Err(e) = outcome {
        panic!("canary FAILED: {e}\n(folders kept for inspection: {})", root.display());
    }
    match stored {
        Ok(s) => {
            assert!(s == canaries.credentials(), "the keychain holds other credentials for {ENV} than the ones typed")
        }
        Err(e) => panic!("the keychain has no entry for {ENV}: {e}"),
    }

    let log = kyb_tests::e2e::artifacts_dir().join("canary.driver.log");
    let report = scan(&root, &log, &needles(&canaries));
    eprintln!("{}", report.summary);
    if !report.hits.is_empty() {
        panic!(
            "canary scan failed: values found in clear text or a control missed ({} lines; folders kept at {}):\n{}",
            report.hits.len(),
            root.display(),
            report.hits.join("\n")
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// Launch on `root`, run the flow, quit the app (the folders stay).
async fn drive(root: &Path, c: &Canaries) -> Res {
    let opts = Options { fixed_sandbox_port: true, xdg_root: Some(root.to_path_buf()), ..Options::default() };
    let running = launch("canary", &opts).await?;
    let outcome = flow(&running.desk, c).await;
    if let Err(e) = &outcome {
        let report = running.desk.failure_report().await;
        let log = running.log_tail(40);
        running.shutdown().await;
        return Err(format!("{e}\n{report}\n--- app/driver log ---\n{log}").into());
    }
    running.shutdown().await;
    outcome
}

async fn switch_env(d: &Desk, env: &str) -> Res {
    let select = d.ready("environment-select").await?;
    select.select_by_value(env).await?;
    d.until(&format!("the switch to {env}"), WAIT, || async {
        Ok((d.el("app").await?.attr("data-env").await?.as_deref() == Some(env)).then_some(()))
    })
    .await
}

async fn flow(d: &Desk, c: &Canaries) -> Res {
    let sandbox = d.sandbox_url.clone().ok_or("no sandbox url")?;

    // Settings: an environment pointed at the built-in sandbox, with the canary credentials.
    d.wait_screen("open").await?;
    d.click("settings-link").await?;
    d.wait_screen("settings").await?;
    d.el("env-row-Sandbox").await?;
    d.click("env-add").await?;
    d.wait_focus("env-name").await?;
    d.fill("env-name", ENV).await?;
    d.fill("env-base-url", &sandbox).await?;
    d.click("env-save").await?;
    d.wait_text(&format!("env-row-{ENV}"), &sandbox).await?;
    d.click(&format!("env-credentials-{ENV}")).await?;
    d.wait_focus("cred-api-key").await?;
    d.fill("cred-api-key", &c.api_key).await?;
    d.fill("cred-api-secret", &c.api_secret).await?;
    d.click("cred-save").await?;
    d.wait_text(&format!("env-has-credentials-{ENV}"), "Yes").await?;
    d.gone("credentials-form").await?;

    // Use them: the sandbox refuses the canary credentials, so the request carried them.
    switch_env(d, ENV).await?;
    d.click("settings-back").await?;
    d.wait_screen("open").await?;
    d.fill("open-customer-input", "cus_demo_0001").await?;
    d.click("open-customer-button").await?;
    let error = d.el("open-error").await?;
    let kind = error.attr("data-kind").await?;
    ensure!(kind.as_deref() == Some("unauthorized"), "error kind {kind:?} with the canary credentials");

    // Back to the Sandbox: the canary email and ID number typed into a real customer.
    switch_env(d, "Sandbox").await?;
    d.wait_screen("open").await?;
    d.fill("open-customer-input", CUSTOMER).await?;
    d.click("open-customer-button").await?;
    d.wait_screen("editor").await?;
    ensure!(d.text("customer-id").await? == CUSTOMER, "the editor shows another customer");
    d.fill(EMAIL_FIELD, &c.email).await?;
    d.fill(ID_FIELD, &c.id_number).await?;
    d.until("the draft to be saved", WAIT, || async {
        Ok((d.el("draft-status").await?.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
    })
    .await?;

    // Review, queue, sent.
    d.click("review-button").await?;
    d.wait_screen("review").await?;
    let diff = d.visible_text().await?;
    ensure!(diff.contains(&c.email) && diff.contains(&c.id_number), "the review does not list both canary values");
    d.click("queue-button").await?;
    d.wait_screen("submission").await?;
    d.until("the entry to be sent", Duration::from_secs(30), || async {
        Ok((d.el("submit-result").await?.attr("data-state").await?.as_deref() == Some("sent")).then_some(()))
    })
    .await?;

    // The audit screen (reads the trail back).
    d.click("audit-nav").await?;
    d.wait_screen("audit").await?;
    d.until("the chain check", WAIT, || async {
        Ok(d.el("chain-status").await?.attr("data-intact").await?.is_some().then_some(()))
    })
    .await?;

    let page = d.visible_text().await?;
    ensure!(!page.contains(&c.api_secret) && !page.contains(&c.api_key), "a credential is shown on the page");
    Ok(())
}

struct ScanReport {
    summary: String,
    hits: Vec<String>,
}

/// Every regular file under `dir` (symlinks not followed), recursively.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() {
            files_under(&e.path(), out);
        } else if t.is_file() {
            out.push(e.path());
        }
    }
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return vec![];
    }
    hay.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i).collect()
}

/// Read every file as bytes and look for every needle. Scanned: the app's XDG folders under
/// `root` (data, config, cache: drafts, outbox, audit, documents, environments.json,
/// profiles.json, workspace.json, WebKit's data and cache folders, the sandbox's data, and any
/// core dump or crash output written there), the test's HOME (WebKit and GTK fall back to it
/// for anything not under XDG), core dumps in the working folder, and the app/driver log (the
/// app's stdout and stderr: the app has no log file of its own).
fn scan(root: &Path, log: &Path, needles: &[Needle]) -> ScanReport {
    // The built-in sandbox's own data: it plays the partner, which legitimately stores the email
    // and ID number the officer submitted. It is still scanned for the credentials: a partner
    // never stores a secret.
    let sandbox_data = root.join("data").join(APP_DIR).join("sandbox");
    assert!(sandbox_data.is_dir(), "no sandbox data at {} (has the layout changed?)", sandbox_data.display());

    let mut files = Vec::new();
    files_under(root, &mut files);
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        // scripts/e2e.sh runs the tests with a throw-away HOME; only scan it when it is one.
        if home.starts_with(std::env::temp_dir()) && !root.starts_with(&home) {
            files_under(&home, &mut files);
        }
    }
    // Core dumps: with the usual `core_pattern` ("core", "core.<pid>") they are written to the
    // crashing process's working folder, which for the app is this test's (tauri-driver and
    // WebKitWebDriver pass theirs on). Anything named like one there is scanned too.
    if let Ok(entries) = std::env::current_dir().and_then(std::fs::read_dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if (name == "core" || name.starts_with("core.")) && e.path().is_file() {
                files.push(e.path());
            }
        }
    }
    ensure_file(log);
    files.push(log.to_path_buf());
    let crash_like: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            name.starts_with("core") || name.contains("crash") || name.ends_with(".dmp")
        })
        .collect();

    // Files and bytes per area, for the summary (proof of what was looked at).
    let areas: Vec<(String, PathBuf)> = vec![
        ("data".into(), root.join("data")),
        ("config".into(), root.join("config")),
        ("cache".into(), root.join("cache")),
        ("HOME".into(), std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default()),
        ("log".into(), log.to_path_buf()),
    ];
    let mut per_area = vec![(0usize, 0u64); areas.len()];
    let mut hits = Vec::new();
    let mut bytes_total = 0u64;
    let mut in_sandbox = 0usize;
    // Positive control: the sandbox (the partner) must hold the submitted email and ID number,
    // which shows the values really went through and that this scan finds what is there.
    let mut control = vec![0usize; needles.len()];
    for path in &files {
        let Ok(data) = std::fs::read(path) else {
            hits.push(format!("UNREADABLE {}", path.display()));
            continue;
        };
        bytes_total += data.len() as u64;
        if std::env::var_os("KYB_E2E_CANARY_LIST").is_some() {
            eprintln!("scanned {:>9} bytes  {}", data.len(), path.display());
        }
        if let Some(i) = areas.iter().position(|(_, a)| path.starts_with(a)) {
            per_area[i].0 += 1;
            per_area[i].1 += data.len() as u64;
        }
        let sandboxed = path.starts_with(&sandbox_data);
        if sandboxed {
            in_sandbox += 1;
        }
        for (i, n) in needles.iter().enumerate() {
            if sandboxed && n.allowed_in_sandbox {
                control[i] += find_all(&data, &n.bytes).len();
                continue;
            }
            for offset in find_all(&data, &n.bytes) {
                hits.push(format!("{} at offset {offset} of {}", n.label, path.display()));
            }
        }
    }
    for (n, count) in needles.iter().zip(&control) {
        if n.allowed_in_sandbox && n.label.ends_with("(utf-8)") && *count == 0 {
            hits.push(format!(
                "CONTROL: the sandbox's data does not hold the submitted {} (was it sent? can the scan see it?)",
                n.label
            ));
        }
    }
    let areas_text: Vec<String> =
        areas.iter().zip(&per_area).map(|((name, _), (n, b))| format!("{name}: {n} files, {b} bytes")).collect();
    let summary = format!(
        "canary scan: {} files, {} bytes [{}] ({} files in the sandbox's data, scanned for credentials only); \
         crash-like files: {:?}; {} needles; sandbox control hits {:?}; {} hits",
        files.len(),
        bytes_total,
        areas_text.join("; "),
        in_sandbox,
        crash_like,
        needles.len(),
        control,
        hits.len()
    );
    ScanReport { summary, hits }
}

fn ensure_file(p: &Path) {
    assert!(p.is_file(), "no app/driver log at {}", p.display());
}

#[test]
fn the_scan_helpers_find_what_they_should() {
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE=");
    assert_eq!(base64(b"M"), "TQ==");
    assert_eq!(base64(b"canary-secret-1"), "Y2FuYXJ5LXNlY3JldC0x");
    assert_eq!(find_all(b"xxabxab", b"ab"), vec![2, 5]);
    assert!(find_all(b"a", b"ab").is_empty());
}
