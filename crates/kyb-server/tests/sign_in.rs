//! People sign in with the (demo) OpenID Connect provider; the server believes only tokens that
//! provider signed for it, and reads their roles from the configured claim.

use serde_json::Value;

use kyb_server::identity::OidcSettings;
use kyb_server::testing::{DemoProvider, TestDatabase};

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_in_person_is_known_with_their_roles_and_nobody_else_is() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let Some(provider) = DemoProvider::start() else { return };
    let mut config = db.server_config();
    config.oidc = Some(OidcSettings::new(provider.issuer.clone()));
    let server = kyb_server::start(config).await.unwrap();
    let http = reqwest::Client::new();
    let me = |token: Option<String>| {
        let mut request = http.get(format!("{}/api/me", server.base_url()));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };

    let rita = provider.device_sign_in("rita").await.unwrap();
    assert!(rita.refresh_token.is_some(), "the desktop keeps a refresh token");
    let answer = me(Some(rita.access_token.clone())).await.unwrap();
    assert_eq!(answer.status(), 200);
    let person: Value = answer.json().await.unwrap();
    assert_eq!(person["subject"], "rita");
    assert_eq!(person["name"], "Rita Reviewer");
    assert_eq!(person["roles"], serde_json::json!(["reviewer"]));

    let nina: Value = me(Some(provider.device_sign_in("nina").await.unwrap().access_token)).await.unwrap().json().await.unwrap();
    assert_eq!(nina["roles"], serde_json::json!([]), "no role claimed, none given");

    // No token, a damaged token, the ID token (another audience): 401 with a reason.
    let missing = me(None).await.unwrap();
    assert_eq!(missing.status(), 401);
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    let mut damaged = rita.access_token.clone();
    damaged.insert(damaged.len() - 5, 'x');
    let damaged = me(Some(damaged)).await.unwrap();
    assert_eq!(damaged.status(), 401);
    let body: Value = damaged.json().await.unwrap();
    assert_eq!(body["kind"], "unauthorized");
    let id_token = me(rita.id_token.clone()).await.unwrap();
    assert_eq!(id_token.status(), 401, "an ID token is not an access token for this server");

    // A token from another provider (another issuer and signing key) is refused.
    drop(provider);
    let Some(other) = DemoProvider::start() else { return };
    let stranger = other.device_sign_in("ada").await.unwrap();
    assert_eq!(me(Some(stranger.access_token)).await.unwrap().status(), 401);
    server.shutdown().await;
}
