//! The `Authorization: Bearer` extractor: a handler that takes [`SignedIn`] runs only for a
//! person the identity provider vouches for; everyone else gets 401 `{kind, message}`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kyb_core::team_wire::TeamRefusalKind;
use serde_json::json;

use crate::http::Shared;
use crate::identity::{Person, TokenRejected};

/// The person behind the request.
pub struct SignedIn(pub Person);

/// Why a request was not let in.
pub struct NotSignedIn(TokenRejected);

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        let (status, kind) = match self.0 {
            TokenRejected::ProviderUnreachable => (StatusCode::SERVICE_UNAVAILABLE, TeamRefusalKind::IdentityProviderUnreachable),
            TokenRejected::Missing | TokenRejected::Expired | TokenRejected::Invalid(_) => (StatusCode::UNAUTHORIZED, TeamRefusalKind::Unauthorized),
        };
        let mut response = (status, Json(json!({"kind": kind, "message": self.0.to_string()}))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl FromRequestParts<Arc<Shared>> for SignedIn {
    type Rejection = NotSignedIn;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Self::Rejection> {
        let Some(verifier) = &shared.verifier else {
            return Err(NotSignedIn(TokenRejected::Invalid("this server has no identity provider configured".into())));
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(NotSignedIn(TokenRejected::Missing))?;
        let person = verifier.verify(token).await.map_err(NotSignedIn)?;
        shared.people.saw(&shared.pool, &person).await;
        Ok(SignedIn(person))
    }
}
