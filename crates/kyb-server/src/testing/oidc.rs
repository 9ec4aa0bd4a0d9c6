//! The demo OpenID Connect provider (`scripts/oidc/provider.mjs`, oidc-provider from npm)
//! started for a test, and a person signing in through its real pages: the device
//! authorization grant and the desktop's browser sign-in (authorization code with PKCE on a
//! loopback redirect), with a small form-filling "browser" playing the person (it submits each
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
        play_the_person(&authorization.verification_uri_complete, user, Until::DeviceSignedIn).await?;
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
        play_the_person(verification_uri_complete, user, Until::DeviceSignedIn).await.map(|_| ())
    }

    /// Play `user` in the browser for the desktop's sign-in (`BrowserSignIn::authorize_url`):
    /// through the provider's sign-in and consent pages, then to the app's loopback redirect.
    /// An error when the app's page there says the sign-in failed (with that page's text).
    pub async fn complete_browser_sign_in(&self, authorize_url: &str, user: &str) -> Result<(), String> {
        play_browser_sign_in(authorize_url, user).await
    }

    /// Decline the desktop's sign-in on the provider's first page (its "Cancel" link), so the
    /// provider redirects to the app with `error=access_denied`. The app's page there, as
    /// `(HTTP status, text)`.
    pub async fn decline_browser_sign_in(&self, authorize_url: &str) -> Result<(u16, String), String> {
        let browser = browser()?;
        let page = browser.get(authorize_url).send().await.map_err(|e| e.to_string())?;
        let url = page.url().clone();
        let html = page.text().await.map_err(|e| e.to_string())?;
        let cancel = links(&html)
            .into_iter()
            .find(|link| link.ends_with("/abort"))
            .ok_or_else(|| format!("no cancel link on {url}: {}", html.chars().take(300).collect::<String>()))?;
        let answer = browser.get(url.join(&cancel).map_err(|e| e.to_string())?).send().await.map_err(|e| e.to_string())?;
        let status = answer.status().as_u16();
        Ok((status, answer.text().await.map_err(|e| e.to_string())?))
    }
}

/// `complete_browser_sign_in` without a `DemoProvider` at hand (the `kyb-demo-browser` program
/// the end-to-end tests give the desktop as its browser).
pub async fn play_browser_sign_in(authorize_url: &str, user: &str) -> Result<(), String> {
    let start = reqwest::Url::parse(authorize_url).map_err(|e| format!("{authorize_url}: {e}"))?;
    let redirect_uri = start
        .query_pairs()
        .find(|(name, _)| name == "redirect_uri")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| format!("no redirect_uri in {authorize_url}"))?;
    let (status, text) = play_the_person(authorize_url, user, Until::Redirected(redirect_uri)).await?;
    if status == 200 {
        Ok(())
    } else {
        Err(format!("the app answered {status}: {text}"))
    }
}

impl Drop for DemoProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// When the person's part is over.
enum Until {
    /// The provider's page says the device sign-in succeeded.
    DeviceSignedIn,
    /// The provider sent the browser to this redirect URI (the app's loopback listener).
    Redirected(String),
}

/// The form-filling browser: cookies kept, redirects followed (also the provider's final one to
/// the app's loopback listener), and time for the app to complete the sign-in before it answers.
fn browser() -> Result<reqwest::Client, String> {
    reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(30)).build().map_err(|e| e.to_string())
}

/// Open `start`, then submit each page's form (sign-in: `login` and `password` set to `user`)
/// until `until`; the last page's HTTP status and text.
async fn play_the_person(start: &str, user: &str, until: Until) -> Result<(u16, String), String> {
    let browser = browser()?;
    let mut page = browser.get(start).send().await.map_err(|e| e.to_string())?;
    for _ in 0..8 {
        let url = page.url().clone();
        let status = page.status().as_u16();
        let arrived = matches!(&until, Until::Redirected(redirect_uri) if url.as_str().starts_with(redirect_uri.as_str()));
        let html = page.text().await.map_err(|e| e.to_string())?;
        if arrived || (matches!(until, Until::DeviceSignedIn) && html.contains("Sign-in Success")) {
            return Ok((status, html));
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

/// Every link's target on a page (the provider's own pages: double-quoted attributes).
fn links(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .filter_map(|tag| attribute(&format!(" {}", &tag[..tag.find('>').unwrap_or(tag.len())]), "href"))
        .map(|href| html_unescape(&href))
        .collect()
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
