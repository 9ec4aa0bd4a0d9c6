//! Who is calling: the company's OpenID Connect provider signs access tokens (JWTs) for the
//! server's audience; the server checks the signature against the provider's published keys
//! (found through its discovery document), the issuer, the audience and the expiry, and reads
//! the person's roles from a configurable claim. Keys are cached and fetched again when a token
//! names a key the cache does not have (the provider rotated them).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

/// A role in the team: what a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Prepares changes.
    Officer,
    /// Checks documents and approves others' changes.
    Reviewer,
    /// Manages environments, credentials and which need approval.
    Admin,
}

impl Role {
    fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "officer" => Some(Role::Officer),
            "reviewer" => Some(Role::Reviewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A signed-in person, as the token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The provider's stable subject identifier.
    pub subject: String,
    /// The display name, else the subject.
    pub name: String,
    pub roles: BTreeSet<Role>,
}

impl Person {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Where tokens come from and what they must say.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer URL (its discovery document is under it).
    pub issuer: String,
    /// The `aud` the server's tokens carry.
    #[serde(default = "default_audience")]
    pub audience: String,
    /// The claim holding the person's roles: a list of strings (`officer`, `reviewer`, `admin`).
    #[serde(default = "default_roles_claim")]
    pub roles_claim: String,
    /// The public client the desktop and the CLI sign in as.
    #[serde(default = "default_client_id")]
    pub client_id: String,
}

fn default_audience() -> String {
    "urn:kyb-desk:server".to_owned()
}
fn default_roles_claim() -> String {
    "kyb_roles".to_owned()
}
fn default_client_id() -> String {
    "kyb-desk".to_owned()
}

impl OidcSettings {
    pub fn new(issuer: impl Into<String>) -> Self {
        Self { issuer: issuer.into(), audience: default_audience(), roles_claim: default_roles_claim(), client_id: default_client_id() }
    }
}

/// Why a token was not accepted (the text is safe to return: it never quotes the token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRejected {
    #[error("no bearer token: sign in first")]
    Missing,
    #[error("the sign-in has expired: sign in again")]
    Expired,
    #[error("the token is not valid for this server ({0})")]
    Invalid(String),
    #[error("the identity provider cannot be reached to check the token")]
    ProviderUnreachable,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

struct Keys {
    set: JwkSet,
    fetched_at: Instant,
}

/// Checks access tokens; cheap to clone.
#[derive(Clone)]
pub struct TokenVerifier {
    settings: Arc<OidcSettings>,
    http: reqwest::Client,
    keys: Arc<RwLock<Option<Keys>>>,
}

/// Fetch the keys again at most this often when a token names an unknown key.
const REFETCH_AFTER: Duration = Duration::from_secs(30);

impl TokenVerifier {
    pub fn new(settings: OidcSettings) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
        Self { settings: Arc::new(settings), http, keys: Arc::new(RwLock::new(None)) }
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The person a bearer token stands for.
    pub async fn verify(&self, token: &str) -> Result<Person, TokenRejected> {
        let header = decode_header(token).map_err(|_| TokenRejected::Invalid("not a signed token".into()))?;
        let kid = header.kid.ok_or_else(|| TokenRejected::Invalid("the token names no key".into()))?;
        let jwk = match self.cached_key(&kid).await {
            Some(jwk) => jwk,
            None => {
                self.refresh_keys().await?;
                self.cached_key(&kid).await.ok_or_else(|| TokenRejected::Invalid("signed by a key the provider does not publish".into()))?
            }
        };
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| TokenRejected::Invalid("the provider's key is unusable".into()))?;
        let algorithm = jwk
            .common
            .key_algorithm
            .and_then(|alg| alg.to_string().parse().ok())
            .unwrap_or(header.alg);
        if algorithm != header.alg {
            return Err(TokenRejected::Invalid("the token's algorithm is not its key's".into()));
        }
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let data = decode::<serde_json::Value>(token, &key, &validation).map_err(|err| match err.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenRejected::Expired,
            jsonwebtoken::errors::ErrorKind::InvalidAudience => TokenRejected::Invalid("issued for another audience".into()),
            jsonwebtoken::errors::ErrorKind::InvalidIssuer => TokenRejected::Invalid("issued by another provider".into()),
            jsonwebtoken::errors::ErrorKind::InvalidSignature => TokenRejected::Invalid("the signature does not verify".into()),
            _ => TokenRejected::Invalid("its claims are not acceptable".into()),
        })?;
        Ok(self.person(&data.claims))
    }

    fn person(&self, claims: &serde_json::Value) -> Person {
        let subject = claims.get("sub").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let name = claims.get("name").and_then(|v| v.as_str()).filter(|n| !n.trim().is_empty()).unwrap_or(&subject).to_owned();
        let roles = match claims.get(&self.settings.roles_claim) {
            Some(serde_json::Value::Array(items)) => items.iter().filter_map(|v| v.as_str()).filter_map(Role::parse).collect(),
            // Some providers send one role, or space-separated roles, as a string.
            Some(serde_json::Value::String(text)) => text.split([' ', ',']).filter_map(Role::parse).collect(),
            _ => BTreeSet::new(),
        };
        Person { subject, name, roles }
    }

    async fn cached_key(&self, kid: &str) -> Option<jsonwebtoken::jwk::Jwk> {
        self.keys.read().await.as_ref().and_then(|keys| keys.set.find(kid).cloned())
    }

    async fn refresh_keys(&self) -> Result<(), TokenRejected> {
        let mut keys = self.keys.write().await;
        if keys.as_ref().is_some_and(|k| k.fetched_at.elapsed() < REFETCH_AFTER) {
            return Ok(());
        }
        let discovery_url = format!("{}/.well-known/openid-configuration", self.settings.issuer.trim_end_matches('/'));
        let discovery: Discovery = self.get_json(&discovery_url).await?;
        if discovery.issuer != self.settings.issuer {
            tracing::error!(configured = %self.settings.issuer, published = %discovery.issuer, "the provider publishes another issuer");
            return Err(TokenRejected::ProviderUnreachable);
        }
        let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
        *keys = Some(Keys { set, fetched_at: Instant::now() });
        Ok(())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, TokenRejected> {
        let answer = self.http.get(url).send().await.and_then(|r| r.error_for_status());
        match answer {
            Ok(response) => response.json().await.map_err(|err| {
                tracing::error!(%url, error = %err, "the identity provider's answer is unreadable");
                TokenRejected::ProviderUnreachable
            }),
            Err(err) => {
                tracing::error!(%url, error = %err, "the identity provider does not answer");
                Err(TokenRejected::ProviderUnreachable)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_from_a_list_or_a_string_and_unknown_ones_ignored() {
        let verifier = TokenVerifier::new(OidcSettings::new("http://127.0.0.1:1"));
        let person = verifier.person(&serde_json::json!({"sub": "rita", "kyb_roles": ["Reviewer", "auditor", "admin"]}));
        assert_eq!(person.roles, BTreeSet::from([Role::Reviewer, Role::Admin]));
        assert_eq!(person.name, "rita");
        let person = verifier.person(&serde_json::json!({"sub": "o", "name": "Olivia", "kyb_roles": "officer reviewer"}));
        assert_eq!(person.roles, BTreeSet::from([Role::Officer, Role::Reviewer]));
        assert_eq!(person.name, "Olivia");
        assert!(verifier.person(&serde_json::json!({"sub": "n", "kyb_roles": 7})).roles.is_empty());
    }
}
