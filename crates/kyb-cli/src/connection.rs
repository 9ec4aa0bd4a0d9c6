//! Building a client from the environment: base URL and credentials, never from arguments.

use std::time::Duration;

use kyb_core::client::{ClientConfig, PartnerClient};
use kyb_core::credentials::{ApiCredentials, CredentialStore, CredentialsError};

use crate::cli::TargetArgs;
use crate::error::CliError;

pub const ENV_API_KEY: &str = "KYB_API_KEY";
pub const ENV_API_SECRET: &str = "KYB_API_SECRET";

/// The client for `target`, with credentials from the environment, else the keychain, else
/// (only for a loopback URL, i.e. the local sandbox) the sandbox's public demo credentials.
pub fn client_for(target: &TargetArgs) -> Result<PartnerClient, CliError> {
    let credentials = resolve_credentials(target)?;
    let base_url = target
        .base_url
        .parse()
        .map_err(|err| CliError::Usage(format!("KYB_BASE_URL / --base-url {:?} is not a URL: {err}", target.base_url)))?;
    let config = ClientConfig { timeout: Duration::from_secs(30), ..ClientConfig::new(base_url, credentials) };
    Ok(PartnerClient::new(config)?)
}

fn resolve_credentials(target: &TargetArgs) -> Result<ApiCredentials, CliError> {
    match (std::env::var(ENV_API_KEY), std::env::var(ENV_API_SECRET)) {
        (Ok(api_key), Ok(api_secret)) => return Ok(ApiCredentials { api_key, api_secret }),
        (Ok(_), Err(_)) | (Err(_), Ok(_)) => {
            return Err(CliError::Usage(format!("set both {ENV_API_KEY} and {ENV_API_SECRET}, or neither")))
        }
        _ => {}
    }
    match CredentialStore::default().load(&target.environment) {
        Ok(credentials) => Ok(credentials),
        Err(CredentialsError::NotFound { .. } | CredentialsError::KeychainUnavailable { .. })
            if is_loopback(&target.base_url) =>
        {
            tracing::info!("no stored credentials; using the sandbox demo credentials");
            Ok(ApiCredentials {
                api_key: kyb_sandbox::DEMO_API_KEY.to_owned(),
                api_secret: kyb_sandbox::DEMO_API_SECRET.to_owned(),
            })
        }
        Err(err) => Err(CliError::Usage(format!(
            "{err}; store them with `kyb credentials set {}` or set {ENV_API_KEY} and {ENV_API_SECRET}",
            target.environment
        ))),
    }
}

/// The sandbox's demo credentials are only ever offered to a loopback address (the client's own
/// rule for plain http), never to a name that is looked up.
fn is_loopback(base_url: &str) -> bool {
    url::Url::parse(base_url).is_ok_and(|url| kyb_core::client::is_loopback_url(&url))
}
