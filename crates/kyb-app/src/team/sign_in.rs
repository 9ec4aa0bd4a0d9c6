//! Signing in with the device authorization grant (RFC 8628), through the `openidconnect`
//! crate: the CLI shows a URL and a code, the person signs in in any browser, and the refresh
//! token goes to the keychain. (The desktop's authorization code flow with PKCE on a loopback
//! redirect uses the same client and token store.)

use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreDeviceAuthorizationResponse,
    CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode,
    CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthType, ClientId, DeviceAuthorizationUrl, IssuerUrl, OAuth2TokenResponse, ProviderMetadata,
    RefreshToken, Scope,
};
use serde::{Deserialize, Serialize};

use super::{TeamConnection, TeamError, TokenStore};

#[derive(Clone, Debug, Deserialize, Serialize)]
struct DeviceEndpoint {
    device_authorization_endpoint: DeviceAuthorizationUrl,
}
impl AdditionalProviderMetadata for DeviceEndpoint {}
type DeviceProviderMetadata = ProviderMetadata<
    DeviceEndpoint,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The scopes asked for: identity, a refresh token, and the server's roles.
const SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "kyb"];

/// Who the server says is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SignedInPerson {
    pub subject: String,
    pub name: String,
    pub roles: Vec<String>,
}

/// A device sign-in under way: show `verification_uri_complete` (or the URI and `user_code`).
pub struct DeviceSignIn {
    connection: TeamConnection,
    details: CoreDeviceAuthorizationResponse,
    http: openidconnect::reqwest::Client,
    client: DeviceClient,
}

type DeviceClient = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    CoreAuthDisplay,
    openidconnect::core::CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn http_client() -> Result<openidconnect::reqwest::Client, TeamError> {
    // No redirects: a token endpoint that redirects is not followed (SSRF).
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|err| TeamError::SignIn(err.to_string()))
}

async fn device_client(connection: &TeamConnection, http: &openidconnect::reqwest::Client) -> Result<DeviceClient, TeamError> {
    let issuer = IssuerUrl::new(connection.issuer.clone()).map_err(|err| TeamError::SignIn(format!("issuer URL: {err}")))?;
    let metadata = DeviceProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|err| TeamError::SignIn(format!("the identity provider's discovery document: {err}")))?;
    let device_url = metadata.additional_metadata().device_authorization_endpoint.clone();
    Ok(CoreClient::from_provider_metadata(metadata, ClientId::new(connection.client_id.clone()), None)
        .set_device_authorization_url(device_url)
        .set_auth_type(AuthType::RequestBody))
}

impl DeviceSignIn {
    pub async fn start(connection: &TeamConnection) -> Result<Self, TeamError> {
        let http = http_client()?;
        let client = device_client(connection, &http).await?;
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
        let refresh = token.refresh_token().ok_or_else(|| TeamError::SignIn("the provider gave no refresh token".into()))?;
        tokens.save(&self.connection.server_url, refresh.secret())?;
        let client = super::TeamClient::with_token(&self.connection, token.access_token().secret().to_owned());
        client.me().await
    }
}

/// A fresh access token from the stored refresh token (which the provider may rotate).
pub(super) async fn access_token(connection: &TeamConnection, tokens: &TokenStore) -> Result<String, TeamError> {
    let refresh = tokens.load(&connection.server_url)?;
    let http = http_client()?;
    let client = device_client(connection, &http).await?;
    let token = client
        .exchange_refresh_token(&RefreshToken::new(refresh))
        .map_err(|err| TeamError::SignIn(err.to_string()))?
        .request_async(&http)
        .await
        .map_err(|err| match err {
            // The provider no longer honours the sign-in (expired, revoked, signed out there).
            openidconnect::RequestTokenError::ServerResponse(ref response)
                if *response.error() == openidconnect::core::CoreErrorResponseType::InvalidGrant =>
            {
                TeamError::NotSignedIn
            }
            other => TeamError::SignIn(format!("renewing the sign-in: {other}")),
        })?;
    if let Some(rotated) = token.refresh_token() {
        tokens.save(&connection.server_url, rotated.secret())?;
    }
    Ok(token.access_token().secret().to_owned())
}
