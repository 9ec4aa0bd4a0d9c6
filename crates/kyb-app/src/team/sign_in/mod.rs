//! Signing in to the team with the company's OpenID Connect provider, through the
//! `openidconnect` crate: the CLI's device authorization grant (device.rs), the desktop's
//! authorization code flow with PKCE through the system browser and a loopback redirect
//! (browser.rs, loopback.rs), and renewing the access token from the refresh token kept in the
//! keychain. All three use the client built here from the provider's discovery document, which
//! is kept in memory per issuer for the life of the process: a renewal (one per team call) does
//! not fetch it again, while each sign-in, which people start rarely, fetches it afresh.

mod browser;
mod device;
mod loopback;

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreErrorResponseType,
    CoreGenderClaim, CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse, CoreSubjectIdentifierType, CoreTokenIntrospectionResponse,
    CoreTokenResponse,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthType, ClientId, DeviceAuthorizationUrl, EmptyAdditionalClaims, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, OAuth2TokenResponse, ProviderMetadata, RefreshToken, StandardErrorResponse,
};
use serde::{Deserialize, Serialize};

pub use browser::{open_in_browser, BrowserSignIn, BROWSER_PROGRAM_ENV};
pub use device::DeviceSignIn;

use super::{TeamClient, TeamConnection, TeamError, TokenStore};

/// The scopes asked for besides `openid` (which the crate always adds): the person's name, a
/// refresh token, and the server's roles.
const SCOPES: [&str; 3] = ["profile", "offline_access", "kyb"];

/// Who the server says is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SignedInPerson {
    pub subject: String,
    pub name: String,
    pub roles: Vec<String>,
}

/// The device authorization endpoint, which the standard metadata lacks; optional so a provider
/// without the device grant still serves the desktop's browser sign-in.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct DeviceEndpoint {
    #[serde(default)]
    device_authorization_endpoint: Option<DeviceAuthorizationUrl>,
}
impl AdditionalProviderMetadata for DeviceEndpoint {}

type Metadata = ProviderMetadata<
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

/// The provider's client as discovered, with `HasDeviceAuthUrl` set by the device grant only.
type ProviderClient<HasDeviceAuthUrl> = openidconnect::Client<
    EmptyAdditionalClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    CoreTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    HasDeviceAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;
type Client = ProviderClient<EndpointNotSet>;

/// Discovery documents (with the provider's signing keys) by issuer, for this process.
static METADATA: LazyLock<Mutex<HashMap<String, Metadata>>> = LazyLock::new(Default::default);

fn cached_metadata(issuer: &str) -> Option<Metadata> {
    METADATA.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(issuer).cloned()
}

fn forget_metadata(issuer: &str) {
    METADATA.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(issuer);
}

fn http_client() -> Result<openidconnect::reqwest::Client, TeamError> {
    // No redirects: a token endpoint that redirects is not followed (SSRF).
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|err| TeamError::SignIn(err.to_string()))
}

/// The provider's discovery document fetched now (and kept for later renewals).
async fn discover(connection: &TeamConnection, http: &openidconnect::reqwest::Client) -> Result<Metadata, TeamError> {
    let issuer = IssuerUrl::new(connection.issuer.clone()).map_err(|err| TeamError::SignIn(format!("issuer URL: {err}")))?;
    let metadata = Metadata::discover_async(issuer, http)
        .await
        .map_err(|err| TeamError::SignIn(format!("the identity provider's discovery document: {err}")))?;
    METADATA.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(connection.issuer.clone(), metadata.clone());
    Ok(metadata)
}

fn client(connection: &TeamConnection, metadata: Metadata) -> Client {
    // A public (native) client: the client id goes in the request body, there is no secret.
    CoreClient::from_provider_metadata(metadata, ClientId::new(connection.client_id.clone()), None).set_auth_type(AuthType::RequestBody)
}

/// After a sign-in: keep the refresh token in the keychain (nowhere else), then ask the server
/// who it believes signed in.
async fn keep_sign_in(connection: &TeamConnection, tokens: &TokenStore, token: &CoreTokenResponse) -> Result<SignedInPerson, TeamError> {
    let refresh = token.refresh_token().ok_or_else(|| TeamError::SignIn("the provider gave no refresh token".into()))?;
    tokens.save(&connection.server_url, refresh.secret())?;
    TeamClient::with_token(connection, token.access_token().secret().to_owned()).me().await
}

/// A fresh access token from the stored refresh token (which the provider may rotate).
pub(super) async fn access_token(connection: &TeamConnection, tokens: &TokenStore) -> Result<String, TeamError> {
    let refresh = tokens.load(&connection.server_url)?;
    let http = http_client()?;
    let metadata = match cached_metadata(&connection.issuer) {
        Some(metadata) => metadata,
        None => discover(connection, &http).await?,
    };
    let client = client(connection, metadata);
    let answer = client
        .exchange_refresh_token(&RefreshToken::new(refresh))
        .map_err(|err| TeamError::SignIn(err.to_string()))?
        .request_async(&http)
        .await;
    let token = match answer {
        Ok(token) => token,
        // The provider no longer honours the sign-in (expired, revoked, signed out there).
        Err(openidconnect::RequestTokenError::ServerResponse(ref response)) if *response.error() == CoreErrorResponseType::InvalidGrant => {
            return Err(TeamError::NotSignedIn);
        }
        Err(other) => {
            // The provider may have moved its endpoints: the next renewal discovers them again.
            forget_metadata(&connection.issuer);
            return Err(TeamError::SignIn(format!("renewing the sign-in: {other}")));
        }
    };
    if let Some(rotated) = token.refresh_token() {
        tokens.save(&connection.server_url, rotated.secret())?;
    }
    Ok(token.access_token().secret().to_owned())
}
