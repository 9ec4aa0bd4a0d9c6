//! The desktop's team sign-in through the browser (authorization code with PKCE on a loopback
//! redirect) against the real demo OpenID Connect provider, a real team server on PostgreSQL
//! and the real keychain; the browser is the provider test helper's form-filling client.

use std::time::Duration;

use kyb_app::team::{BrowserSignIn, TeamClient, TeamConnection, TeamError, TokenStore};
use kyb_server::identity::OidcSettings;
use kyb_server::testing::{DemoProvider, TestDatabase, CLIENT_ID};

/// A query parameter of `url`.
fn param(url: &str, name: &str) -> String {
    let url = reqwest::Url::parse(url).unwrap();
    let value = url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    value.unwrap_or_else(|| panic!("no {name} in {url}"))
}

/// A connection to the provider alone, for sign-ins refused before the team server is asked.
fn provider_only(provider: &DemoProvider) -> TeamConnection {
    TeamConnection {
        server_url: "http://127.0.0.1:9".into(),
        issuer: provider.issuer.clone(),
        client_id: CLIENT_ID.into(),
        server_key: String::new(),
    }
}

fn sign_in_failure(outcome: Result<kyb_app::team::SignedInPerson, TeamError>) -> String {
    match outcome {
        Err(TeamError::SignIn(message)) => message,
        other => panic!("expected a refused sign-in, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_sign_in_ignores_stray_requests_keeps_the_refresh_token_in_the_keychain_and_signs_the_client_in() {
    let service = format!("kyb-app-browser-sign-in-{}", std::process::id());
    if !kyb_app::testing::keychain_available(&service) {
        return;
    }
    let Some(db) = TestDatabase::fresh().await else { return };
    let Some(provider) = DemoProvider::start() else { return };
    let mut config = db.server_config();
    config.oidc = Some(OidcSettings::new(provider.issuer.clone()));
    let server = kyb_server::start(config).await.unwrap();
    let connection = TeamConnection::discover(&server.base_url()).await.unwrap();
    let tokens = TokenStore::new(&service);

    let sign_in = BrowserSignIn::start(&connection).await.unwrap();
    let url = sign_in.authorize_url();
    assert!(url.starts_with(&format!("{}/", provider.issuer)), "{url}");
    let redirect_uri = param(&url, "redirect_uri");
    assert!(redirect_uri.starts_with("http://127.0.0.1:") && redirect_uri.ends_with("/callback"), "{redirect_uri}");
    assert_eq!(param(&url, "response_type"), "code");
    assert_eq!(param(&url, "code_challenge_method"), "S256");
    assert_eq!(param(&url, "code_challenge").len(), 43, "a SHA-256 challenge, base64url");
    assert_eq!(param(&url, "scope"), "openid profile offline_access kyb");
    assert_ne!(param(&url, "state"), param(&url, "nonce"));

    let waiting = {
        let tokens = tokens.clone();
        tokio::spawn(async move { sign_in.finish(&tokens, Duration::from_secs(60)).await })
    };
    // Anything but the one GET /callback: 404, and the sign-in keeps waiting.
    let origin = redirect_uri.trim_end_matches("/callback");
    let http = reqwest::Client::new();
    for (method, path) in [
        (reqwest::Method::GET, "/"),
        (reqwest::Method::GET, "/favicon.ico"),
        (reqwest::Method::POST, "/callback"),
        (reqwest::Method::GET, "/callback/x"),
    ] {
        let answer = http.request(method.clone(), format!("{origin}{path}")).send().await.unwrap();
        assert_eq!(answer.status(), 404, "{method} {path}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!waiting.is_finished(), "a stray request ended the wait");

    provider.complete_browser_sign_in(&url, "rita").await.unwrap();
    let rita = waiting.await.unwrap().unwrap();
    assert_eq!((rita.subject.as_str(), rita.name.as_str(), rita.roles.clone()), ("rita", "Rita Reviewer", vec!["reviewer".to_owned()]));
    assert!(!tokens.load(&connection.server_url).unwrap().is_empty(), "the refresh token is in the keychain");
    // A later session renews from the keychain alone.
    let client = TeamClient::signed_in(&connection, &tokens).await.unwrap();
    assert_eq!(client.me().await.unwrap(), rita);
    assert!(http.get(&redirect_uri).send().await.is_err(), "the listener stops after the sign-in");

    tokens.delete(&connection.server_url).unwrap();
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_that_does_not_carry_the_sign_ins_state_is_refused_and_the_browser_is_told() {
    let Some(provider) = DemoProvider::start() else { return };
    let connection = provider_only(&provider);
    let sign_in = BrowserSignIn::start(&connection).await.unwrap();
    let redirect_uri = param(&sign_in.authorize_url(), "redirect_uri");
    let tokens = TokenStore::new("kyb-app-browser-sign-in-never-used");
    let waiting = tokio::spawn(async move { sign_in.finish(&tokens, Duration::from_secs(60)).await });

    let forged = reqwest::get(format!("{redirect_uri}?code=stolen&state=forged&iss={}", provider.issuer)).await.unwrap();
    assert_eq!(forged.status(), 400);
    let page = forged.text().await.unwrap();
    assert!(page.starts_with("KYB Desk could not sign you in") && page.contains("state does not match"), "{page}");
    let message = sign_in_failure(waiting.await.unwrap());
    assert!(message.contains("does not belong to this sign-in"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_declined_at_the_provider_is_refused_with_a_clear_message() {
    let Some(provider) = DemoProvider::start() else { return };
    let connection = provider_only(&provider);
    let sign_in = BrowserSignIn::start(&connection).await.unwrap();
    let url = sign_in.authorize_url();
    let tokens = TokenStore::new("kyb-app-browser-sign-in-never-used");
    let waiting = tokio::spawn(async move { sign_in.finish(&tokens, Duration::from_secs(60)).await });

    let (status, page) = provider.decline_browser_sign_in(&url).await.unwrap();
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("declined"), "{page}");
    let message = sign_in_failure(waiting.await.unwrap());
    assert!(message.contains("declined at the identity provider"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_that_never_comes_back_ends_the_wait_with_a_clear_message() {
    let Some(provider) = DemoProvider::start() else { return };
    let sign_in = BrowserSignIn::start(&provider_only(&provider)).await.unwrap();
    let redirect_uri = param(&sign_in.authorize_url(), "redirect_uri");
    let message = sign_in_failure(sign_in.finish(&TokenStore::new("kyb-app-browser-sign-in-never-used"), Duration::from_secs(2)).await);
    assert!(message.contains("did not come back") && message.contains("2 seconds"), "{message}");
    assert!(reqwest::get(&redirect_uri).await.is_err(), "the listener stops");
}
