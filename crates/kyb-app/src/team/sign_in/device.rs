//! Signing in with the device authorization grant (RFC 8628): the CLI shows a URL and a code,
//! the person signs in in any browser, and the refresh token goes to the keychain.

use openidconnect::core::CoreDeviceAuthorizationResponse;
use openidconnect::{EndpointSet, Scope};

use super::{client, discover, http_client, keep_sign_in, ProviderClient, SignedInPerson, SCOPES};
use crate::team::{TeamConnection, TeamError, TokenStore};

/// A device sign-in under way: show `verification_uri_complete` (or the URI and `user_code`).
pub struct DeviceSignIn {
    connection: TeamConnection,
    details: CoreDeviceAuthorizationResponse,
    http: openidconnect::reqwest::Client,
    client: ProviderClient<EndpointSet>,
}

impl DeviceSignIn {
    pub async fn start(connection: &TeamConnection) -> Result<Self, TeamError> {
        let http = http_client()?;
        let metadata = discover(connection, &http).await?;
        let device_url = metadata.additional_metadata().device_authorization_endpoint.clone().ok_or_else(|| {
            TeamError::SignIn("the identity provider does not offer the device sign-in (no device authorization endpoint)".into())
        })?;
        let client = client(connection, metadata).set_device_authorization_url(device_url);
        let mut request = client.exchange_device_code();
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let details: CoreDeviceAuthorizationResponse =
            request.request_async(&http).await.map_err(|err| TeamError::SignIn(format!("device authorization: {err}")))?;
        Ok(Self { connection: connection.clone(), details, http, client })
    }

    /// The page to open (with the code filled in, when the provider offers it).
    pub fn verification_uri_complete(&self) -> String {
        self.details
            .verification_uri_complete()
            .map(|uri| uri.secret().to_owned())
            .unwrap_or_else(|| self.details.verification_uri().to_string())
    }

    pub fn user_code(&self) -> String {
        self.details.user_code().secret().to_owned()
    }

    /// Wait until the person has signed in (or the code expires); keep the refresh token.
    pub async fn finish(self, tokens: &TokenStore) -> Result<SignedInPerson, TeamError> {
        let token = self
            .client
            .exchange_device_access_token(&self.details)
            .map_err(|err| TeamError::SignIn(err.to_string()))?
            .request_async(&self.http, tokio::time::sleep, None)
            .await
            .map_err(|err| TeamError::SignIn(format!("the sign-in did not complete: {err}")))?;
        keep_sign_in(&self.connection, tokens, &token).await
    }
}
