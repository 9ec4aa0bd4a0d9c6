//! The demo OpenID Connect provider (`scripts/oidc/provider.mjs`, oidc-provider from npm)
//! started for a test, and a person signing in through its real pages: the device
//! authorization grant, with a small form-filling "browser" playing the person (it submits each
//! page's form, giving the login form the user's name).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde::Deserialize;

/// Which resource the server's tokens are for (as the provider script configures it).
pub const RESOURCE: &str = "urn:kyb-desk:server";
pub const CLIENT_ID: &str = "kyb-desk";

/// A running demo provider; stopped when dropped.
pub struct DemoProvider {
    child: Child,
    pub issuer: String,
}

/// What the token endpoint answered.
#[derive(Debug, Clone, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub id_token: Option<String>,
}

impl DemoProvider {
    /// Start it on a free loopback port. `None` (test skipped) when Node.js or the script's
    /// packages are missing, unless `KYB_REQUIRE_OIDC` is set (the test command sets it).
    pub fn start() -> Option<Self> {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/oidc");
        if !folder.join("node_modules/oidc-provider").is_dir() {
            assert!(
                std::env::var("KYB_REQUIRE_OIDC").is_err(),
                "the demo OIDC provider's packages are missing: (cd scripts/oidc && npm ci)"
            );
            eprintln!("skipped: the demo OIDC provider is not installed (cd scripts/oidc && npm ci)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .arg(port.to_string())
            .current_dir(&folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts the demo provider");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let issuer = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(issuer) = line.strip_prefix("oidc-provider listening on ") {
                        break issuer.trim().to_owned();
                    }
                }
                _ => {
                    let _ = child.kill();
                    panic!("the demo OIDC provider stopped before listening");
                }
            }
        };
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Some(Self { child, issuer })
    }

    /// Sign `user` in with the device authorization grant (as `kyb` on a terminal would), the
    /// person's part played through the provider's pages.
    pub async fn device_sign_in(&self, user: &str) -> Result<Tokens, String> {
        let http = reqwest::Client::new();
        #[derive(Deserialize)]
        struct DeviceAuthorization {
            device_code: String,
            verification_uri_complete: String,
        }
        let authorization: DeviceAuthorization = http
            .post(format!("{}/device/auth", self.issuer))
            .form(&[("client_id", CLIENT_ID), ("scope", "openid profile offline_access kyb"), ("resource", RESOURCE)])
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        play_the_person(&authorization.verification_uri_complete, user).await?;
        let answer = http
            .post(format!("{}/token", self.issuer))
            .form(&[
                ("client_id", CLIENT_ID),
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", authorization.device_code.as_str()),
            ])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = answer.status();
        let text = answer.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("token endpoint answered {status}: {text}"));
        }
        serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
    }
}

impl DemoProvider {
    /// Play `user` on the provider's pages for a device sign-in someone else started (the
    /// `kyb team sign-in` command prints `verification_uri_complete`).
    pub async fn complete_device_sign_in(&self, verification_uri_complete: &str, user: &str) -> Result<(), String> {
        play_the_person(verification_uri_complete, user).await
    }
}

impl Drop for DemoProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Open `start`, then submit each page's form (sign-in: `login` and `password` set to `user`)
/// until the provider says the sign-in succeeded.
async fn play_the_person(start: &str, user: &str) -> Result<(), String> {
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let mut page = browser.get(start).send().await.map_err(|e| e.to_string())?;
    for _ in 0..8 {
        let url = page.url().clone();
        let html = page.text().await.map_err(|e| e.to_string())?;
        if html.contains("Sign-in Success") {
            return Ok(());
        }
        let Some(form) = first_form(&html) else {
            return Err(format!("no form on {url}: {}", html.chars().take(300).collect::<String>()));
        };
        let mut fields = form.inputs;
        for (name, value) in fields.iter_mut() {
            if name == "login" || name == "password" {
                *value = user.to_owned();
            }
        }
        let action = url.join(&form.action).map_err(|e| e.to_string())?;
        page = browser.post(action).form(&fields).send().await.map_err(|e| e.to_string())?;
    }
    Err("the sign-in did not finish within 8 pages".into())
}

struct Form {
    action: String,
    inputs: Vec<(String, String)>,
}

/// The first `<form>`'s action and its inputs' names and values (the provider's own pages:
/// double-quoted attributes, no nested forms).
fn first_form(html: &str) -> Option<Form> {
    let start = html.find("<form")?;
    let end = start + html[start..].find("</form>")?;
    let form = &html[start..end];
    let tag_end = form.find('>')?;
    let action = attribute(&form[..tag_end], "action").unwrap_or_default();
    let mut inputs = Vec::new();
    let mut rest = &form[tag_end..];
    while let Some(at) = rest.find("<input") {
        let tag = &rest[at..];
        let close = tag.find('>').unwrap_or(tag.len());
        let tag = &tag[..close];
        if let Some(name) = attribute(tag, "name") {
            inputs.push((name, attribute(tag, "value").unwrap_or_default()));
        }
        rest = &rest[at + close..];
    }
    Some(Form { action: html_unescape(&action), inputs: inputs.into_iter().map(|(n, v)| (n, html_unescape(&v))).collect() })
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_owned())
}

fn html_unescape(text: &str) -> String {
    text.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
}
