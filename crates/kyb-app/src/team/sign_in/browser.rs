//! The desktop's sign-in: the authorization code flow with PKCE (S256) through the system
//! browser and a loopback redirect (RFC 8252). `start` listens on 127.0.0.1 at a port the OS
//! chooses and builds the authorization URL; the app opens it with `open_in_browser`; `finish`
//! waits for the provider's redirect to `http://127.0.0.1:{port}/callback`, checks it belongs to
//! this sign-in (state, issuer), exchanges the code with the PKCE verifier, verifies the ID
//! token (signature, audience, nonce, access token hash), keeps the refresh token in the
//! keychain and asks the team server who signed in.
//!
//! `KYB_DESK_SIGN_IN_BROWSER`: when set to a program, `open_in_browser` runs that program with
//! the URL as its one argument instead of the system browser: for people without a desktop
//! browser (a script that prints the URL, a browser of their choice) and for the end-to-end
//! tests, which sign in with the demo provider's form-filling browser (the `kyb-demo-browser`
//! program of kyb-server's `test-support` feature).

use std::net::Ipv4Addr;
use std::process::{Command, Stdio};
use std::time::Duration;

use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AccessTokenHash, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use tokio::net::TcpListener;

use super::loopback::{Loopback, CALLBACK_PATH};
use super::{client, discover, http_client, keep_sign_in, Client, SignedInPerson, SCOPES};
use crate::team::{TeamConnection, TeamError, TokenStore};

/// The environment variable naming a program to open the sign-in page with.
pub const BROWSER_PROGRAM_ENV: &str = "KYB_DESK_SIGN_IN_BROWSER";

/// Open the sign-in page: with the program named by `KYB_DESK_SIGN_IN_BROWSER` if set,
/// otherwise with `system_open` (the desktop passes Tauri's opener).
pub fn open_in_browser(url: &str, system_open: impl FnOnce(&str) -> Result<(), String>) -> Result<(), TeamError> {
    match std::env::var_os(BROWSER_PROGRAM_ENV).filter(|program| !program.is_empty()) {
        Some(program) => {
            let mut child = Command::new(&program).arg(url).stdin(Stdio::null()).spawn().map_err(|err| {
                TeamError::SignIn(format!("cannot start {} (named by {BROWSER_PROGRAM_ENV}): {err}", program.to_string_lossy()))
            })?;
            // Reaped in the background: a browser may run long after the sign-in.
            std::thread::spawn(move || {
                let _ = child.wait();
            });
            Ok(())
        }
        None => system_open(url)
            .map_err(|err| TeamError::SignIn(format!("cannot open the browser ({err}); open this address in a browser: {url}"))),
    }
}

/// A browser sign-in under way: open `authorize_url`, then `finish`.
pub struct BrowserSignIn {
    connection: TeamConnection,
    client: Client,
    http: openidconnect::reqwest::Client,
    listener: TcpListener,
    authorize_url: String,
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

impl BrowserSignIn {
    /// Listen for the redirect and build the authorization URL (the provider's discovery
    /// document fetched afresh).
    pub async fn start(connection: &TeamConnection) -> Result<Self, TeamError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|err| TeamError::SignIn(format!("cannot listen on 127.0.0.1 for the browser's answer: {err}")))?;
        let port = listener
            .local_addr()
            .map_err(|err| TeamError::SignIn(format!("cannot listen on 127.0.0.1 for the browser's answer: {err}")))?
            .port();
        let redirect = RedirectUrl::new(format!("http://127.0.0.1:{port}{CALLBACK_PATH}"))
            .map_err(|err| TeamError::SignIn(format!("the redirect address: {err}")))?;
        let http = http_client()?;
        let client = client(connection, discover(connection, &http).await?).set_redirect_uri(redirect);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge);
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok(Self { connection: connection.clone(), client, http, listener, authorize_url: url.to_string(), state, nonce, verifier })
    }

    /// The provider's sign-in page for this sign-in, to open in the browser.
    pub fn authorize_url(&self) -> String {
        self.authorize_url.clone()
    }

    /// Wait (at most `timeout`) for the browser to come back, then complete the sign-in; the
    /// browser is told the outcome.
    pub async fn finish(self, tokens: &TokenStore, timeout: Duration) -> Result<SignedInPerson, TeamError> {
        let Self { connection, client, http, listener, state, nonce, verifier, .. } = self;
        let mut loopback = Loopback::serve(listener);
        let outcome = match tokio::time::timeout(timeout, loopback.redirect()).await {
            Err(_) => Err(TeamError::SignIn(format!(
                "the browser did not come back from the identity provider within {}; sign in again",
                in_words(timeout)
            ))),
            Ok(None) => Err(TeamError::SignIn("the listener for the browser's answer stopped; sign in again".into())),
            Ok(Some(redirect)) => {
                let signing_in = SigningIn { connection: &connection, client: &client, http: &http, state, nonce, verifier };
                let outcome = signing_in.complete(&redirect.params, tokens).await;
                match &outcome {
                    Ok(person) => {
                        redirect.answer(true, format!("You are signed in to KYB Desk as {}; you can close this tab.", person.name))
                    }
                    Err(err) => redirect.answer(false, format!("KYB Desk could not sign you in: {err}.\nReturn to KYB Desk to try again.")),
                }
                outcome
            }
        };
        loopback.stop().await;
        outcome
    }
}

/// What checking and completing the redirect needs.
struct SigningIn<'a> {
    connection: &'a TeamConnection,
    client: &'a Client,
    http: &'a openidconnect::reqwest::Client,
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

impl SigningIn<'_> {
    async fn complete(self, params: &[(String, String)], tokens: &TokenStore) -> Result<SignedInPerson, TeamError> {
        let code = self.authorization_code(params)?;
        let token = self
            .client
            .exchange_code(code)
            .map_err(|err| TeamError::SignIn(err.to_string()))?
            .set_pkce_verifier(self.verifier)
            .request_async(self.http)
            .await
            .map_err(|err| TeamError::SignIn(format!("the identity provider did not accept the sign-in's code: {err}")))?;
        let id_token = token.id_token().ok_or_else(|| TeamError::SignIn("the identity provider gave no ID token".into()))?;
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &self.nonce)
            .map_err(|err| TeamError::SignIn(format!("the identity provider's ID token is not valid for this sign-in: {err}")))?;
        if let Some(expected) = claims.access_token_hash() {
            let unverifiable = |err: String| TeamError::SignIn(format!("the access token cannot be checked against the ID token: {err}"));
            let alg = id_token.signing_alg().map_err(|err| unverifiable(err.to_string()))?;
            let key = id_token.signing_key(&verifier).map_err(|err| unverifiable(err.to_string()))?;
            let actual = AccessTokenHash::from_token(token.access_token(), alg, key).map_err(|err| unverifiable(err.to_string()))?;
            if actual != *expected {
                return Err(TeamError::SignIn("the access token does not belong to the ID token".into()));
            }
        }
        keep_sign_in(self.connection, tokens, &token).await
    }

    /// The code from the redirect, once it is known to answer this sign-in.
    fn authorization_code(&self, params: &[(String, String)]) -> Result<AuthorizationCode, TeamError> {
        let mut seen = std::collections::HashSet::new();
        if let Some((name, _)) = params.iter().find(|(name, _)| !seen.insert(name.as_str())) {
            return Err(TeamError::SignIn(format!("the browser's answer names `{name}` twice; sign in again")));
        }
        let param = |name: &str| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        // A redirect this sign-in did not start (another tab, another program on this computer).
        if param("state") != Some(self.state.secret().as_str()) {
            return Err(TeamError::SignIn(
                "the browser's answer does not belong to this sign-in (its state does not match); sign in again".into(),
            ));
        }
        // RFC 9207: the provider names itself; an answer from another one is refused.
        if let Some(issuer) = param("iss") {
            if issuer.trim_end_matches('/') != self.connection.issuer.trim_end_matches('/') {
                return Err(TeamError::SignIn(format!("the browser's answer came from another identity provider ({})", shown(issuer))));
            }
        }
        if let Some(error) = param("error") {
            let detail = param("error_description").map(|text| format!(" ({})", shown(text))).unwrap_or_default();
            return Err(TeamError::SignIn(match error {
                "access_denied" => format!("the sign-in was declined at the identity provider{detail}"),
                "login_required" | "consent_required" | "interaction_required" => {
                    format!("the identity provider needs you to sign in there first{detail}")
                }
                other => format!("the identity provider refused the sign-in: {}{detail}", shown(other)),
            }));
        }
        let code = param("code")
            .filter(|code| !code.is_empty())
            .ok_or_else(|| TeamError::SignIn("the browser's answer carries no authorization code; sign in again".into()))?;
        Ok(AuthorizationCode::new(code.to_owned()))
    }
}

/// Provider-supplied text as shown in a message: one line, bounded.
fn shown(text: &str) -> String {
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(200).collect();
    line.trim().to_owned()
}

fn in_words(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0..=1 => "a second".to_owned(),
        2..=119 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds / 60),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    // One test for every case: they change this process's environment in turn.
    #[test]
    fn the_named_program_opens_the_page_instead_of_the_system_browser() {
        let folder = tempfile::tempdir().unwrap();
        let program = folder.path().join("browser.sh");
        let opened = folder.path().join("opened");
        std::fs::write(&program, format!("#!/bin/sh\nprintf '%s|%s' \"$#\" \"$1\" > '{}'\n", opened.display())).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let url = "http://127.0.0.1:1/authorize?state=a&scope=openid%20kyb";
        let system_not_used = |_: &str| -> Result<(), String> { panic!("the system browser was used") };

        std::env::set_var(BROWSER_PROGRAM_ENV, &program);
        open_in_browser(url, system_not_used).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::fs::read_to_string(&opened).map_or(true, |text| text.is_empty()) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(std::fs::read_to_string(&opened).unwrap(), format!("1|{url}"), "the URL as the one argument");

        std::env::set_var(BROWSER_PROGRAM_ENV, folder.path().join("missing"));
        match open_in_browser(url, system_not_used) {
            Err(TeamError::SignIn(message)) => assert!(message.contains(BROWSER_PROGRAM_ENV), "{message}"),
            other => panic!("{other:?}"),
        }

        std::env::remove_var(BROWSER_PROGRAM_ENV);
        let mut system_opened = None;
        open_in_browser(url, |url| {
            system_opened = Some(url.to_owned());
            Ok(())
        })
        .unwrap();
        assert_eq!(system_opened.as_deref(), Some(url));
        match open_in_browser(url, |_| Err("no browser here".into())) {
            Err(TeamError::SignIn(message)) => assert!(message.contains("no browser here") && message.contains(url), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
