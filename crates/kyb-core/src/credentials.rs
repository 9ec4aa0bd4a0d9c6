//! API key and secret, kept in the OS keychain and nowhere else.
//!
//! Each environment has one keychain entry (service `kyb-desk`, user = environment name) holding
//! `{"api_key": …, "api_secret": …}`. [`ApiCredentials`] never prints its secret: `Debug` redacts it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The OS keychain service the app keeps its secrets under (unless a test names another).
pub const KEYCHAIN_SERVICE: &str = "kyb-desk";

/// The two header values the partner API wants.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiCredentials {
    pub api_key: String,
    pub api_secret: String,
}

impl fmt::Debug for ApiCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiCredentials").field("api_key", &"<redacted>").field("api_secret", &"<redacted>").finish()
    }
}

/// Why the keychain could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("no credentials are stored for environment `{environment}`")]
    NotFound { environment: String },
    #[error("the OS keychain is not available: {reason}")]
    KeychainUnavailable { reason: String },
    #[error("the keychain entry for `{environment}` is damaged; store the credentials again")]
    Corrupt { environment: String },
}

/// The keychain store for API credentials, one entry per environment.
#[derive(Debug, Clone)]
pub struct CredentialStore {
    service: String,
}

impl Default for CredentialStore {
    fn default() -> Self {
        Self { service: KEYCHAIN_SERVICE.to_owned() }
    }
}

impl CredentialStore {
    /// A store under another keychain service name (tests use a unique one).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self { service: service.into() }
    }

    fn entry(&self, environment: &str) -> Result<keyring::Entry, CredentialsError> {
        keyring::Entry::new(&self.service, environment).map_err(unavailable)
    }

    pub fn save(&self, environment: &str, credentials: &ApiCredentials) -> Result<(), CredentialsError> {
        let blob = serde_json::to_string(credentials).expect("two strings always serialize");
        self.entry(environment)?.set_password(&blob).map_err(unavailable)
    }

    pub fn load(&self, environment: &str) -> Result<ApiCredentials, CredentialsError> {
        match self.entry(environment)?.get_password() {
            Ok(blob) => serde_json::from_str(&blob)
                .map_err(|_| CredentialsError::Corrupt { environment: environment.to_owned() }),
            Err(keyring::Error::NoEntry) => Err(CredentialsError::NotFound { environment: environment.to_owned() }),
            Err(other) => Err(unavailable(other)),
        }
    }

    /// Remove an environment's credentials; removing what is not there is not an error.
    pub fn delete(&self, environment: &str) -> Result<(), CredentialsError> {
        match self.entry(environment)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(unavailable(other)),
        }
    }

    pub fn exists(&self, environment: &str) -> Result<bool, CredentialsError> {
        match self.load(environment) {
            Ok(_) => Ok(true),
            Err(CredentialsError::NotFound { .. }) => Ok(false),
            Err(other) => Err(other),
        }
    }
}

fn unavailable(err: keyring::Error) -> CredentialsError {
    // keyring errors never contain the secret itself, only platform messages.
    CredentialsError::KeychainUnavailable { reason: err.to_string() }
}
