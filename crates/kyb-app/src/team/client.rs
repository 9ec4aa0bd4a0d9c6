//! Calls to the team server with the signed-in person's access token. The typed endpoints are in
//! `api.rs`; this file sends a request and reads the server's answer or its refusal.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use kyb_core::team_wire::TeamRefusalKind;

use super::sign_in::{access_token, SignedInPerson};
use super::{TeamConnection, TeamError, TokenStore};

#[derive(Clone)]
pub struct TeamClient {
    pub(super) server_url: String,
    token: String,
    pub(super) http: reqwest::Client,
}

/// The server's `{kind, message, field?}` (and `current_version` for a stale change).
#[derive(Deserialize)]
struct Refusal {
    kind: TeamRefusalKind,
    message: String,
    field: Option<String>,
    current_version: Option<i64>,
}

impl TeamClient {
    pub(super) fn with_token(connection: &TeamConnection, token: String) -> Self {
        Self { server_url: connection.server_url.clone(), token, http: reqwest::Client::new() }
    }

    /// A client with an access token got elsewhere (tests sign in through the demo provider).
    #[cfg(feature = "test-support")]
    pub fn with_access_token(connection: &TeamConnection, token: String) -> Self {
        Self::with_token(connection, token)
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
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        let (_, bytes) = self.send(request).await?;
        self.read_json(&bytes)
    }

    /// A request to `path` of the server with the access token.
    pub(super) fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.server_url)).bearer_auth(&self.token)
    }

    pub(super) fn unreachable(&self, detail: String) -> TeamError {
        TeamError::Unreachable { url: self.server_url.clone(), detail }
    }

    pub(super) fn read_json<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, TeamError> {
        serde_json::from_slice(bytes).map_err(|err| self.unreachable(format!("an unreadable answer: {err}")))
    }

    /// Send `request`: the headers and body of a successful answer, else the server's refusal.
    pub(super) async fn send(&self, request: RequestBuilder) -> Result<(HeaderMap, Bytes), TeamError> {
        let response = request.send().await.map_err(|err| self.unreachable(err.to_string()))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(|err| self.unreachable(err.to_string()))?;
        if status.is_success() {
            return Ok((headers, bytes));
        }
        Err(refusal(status, &bytes))
    }
}

fn refusal(status: StatusCode, bytes: &[u8]) -> TeamError {
    match serde_json::from_slice::<Refusal>(bytes) {
        Ok(Refusal { kind: TeamRefusalKind::Stale, current_version: Some(current_version), .. }) if status == StatusCode::CONFLICT => {
            TeamError::Stale { current_version }
        }
        Ok(refusal) => TeamError::Refused { status: status.as_u16(), kind: refusal.kind, message: refusal.message, field: refusal.field },
        Err(_) => TeamError::Refused {
            status: status.as_u16(),
            kind: TeamRefusalKind::Unexpected,
            message: format!("the server answered {status}"),
            field: None,
        },
    }
}
