//! Calls to the team server with the signed-in person's access token.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::sign_in::{access_token, SignedInPerson};
use super::{TeamConnection, TeamError, TokenStore};

pub struct TeamClient {
    server_url: String,
    token: String,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct Refusal {
    kind: String,
    message: String,
    field: Option<String>,
}

impl TeamClient {
    pub(super) fn with_token(connection: &TeamConnection, token: String) -> Self {
        Self { server_url: connection.server_url.clone(), token, http: reqwest::Client::new() }
    }

    /// Signed in with the stored refresh token.
    pub async fn signed_in(connection: &TeamConnection, tokens: &TokenStore) -> Result<Self, TeamError> {
        let token = access_token(connection, tokens).await?;
        Ok(Self::with_token(connection, token))
    }

    pub async fn me(&self) -> Result<SignedInPerson, TeamError> {
        self.call(reqwest::Method::GET, "/api/me", None).await
    }

    /// Any endpoint of the server, as JSON.
    pub async fn call<T: DeserializeOwned>(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Result<T, TeamError> {
        let mut request = self.http.request(method, format!("{}{path}", self.server_url)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|err| TeamError::Unreachable { url: self.server_url.clone(), detail: err.to_string() })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|err| TeamError::Unreachable { url: self.server_url.clone(), detail: err.to_string() })?;
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|err| TeamError::Unreachable { url: self.server_url.clone(), detail: format!("an unreadable answer: {err}") });
        }
        match serde_json::from_slice::<Refusal>(&bytes) {
            Ok(refusal) => Err(TeamError::Refused { status: status.as_u16(), kind: refusal.kind, message: refusal.message, field: refusal.field }),
            Err(_) => Err(TeamError::Refused { status: status.as_u16(), kind: "unexpected".into(), message: format!("the server answered {status}"), field: None }),
        }
    }
}
