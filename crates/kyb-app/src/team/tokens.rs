//! The team sign-in's refresh token, in the OS keychain (never in a file): one entry per team
//! server, under the app's keychain service with a `-team` suffix.

use super::TeamError;

#[derive(Debug, Clone)]
pub struct TokenStore {
    service: String,
}

impl TokenStore {
    /// `service`: the app's keychain service (the test suites use their own).
    pub fn new(service: &str) -> Self {
        Self { service: format!("{service}-team") }
    }

    fn entry(&self, server_url: &str) -> Result<keyring::Entry, TeamError> {
        keyring::Entry::new(&self.service, server_url).map_err(|err| TeamError::Keychain(err.to_string()))
    }

    pub fn save(&self, server_url: &str, refresh_token: &str) -> Result<(), TeamError> {
        self.entry(server_url)?.set_password(refresh_token).map_err(|err| TeamError::Keychain(err.to_string()))
    }

    pub fn load(&self, server_url: &str) -> Result<String, TeamError> {
        match self.entry(server_url)?.get_password() {
            Ok(token) => Ok(token),
            Err(keyring::Error::NoEntry) => Err(TeamError::NotSignedIn),
            Err(err) => Err(TeamError::Keychain(err.to_string())),
        }
    }

    pub fn delete(&self, server_url: &str) -> Result<(), TeamError> {
        match self.entry(server_url)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(TeamError::Keychain(err.to_string())),
        }
    }
}
