//! Where a person's KYB Desk lives: the desktop app's folders (those Tauri's path resolver gives
//! its bundle identifier) and its keychain entries. The desktop shell and the `kyb` command both
//! start from here, so the command works on the app's environments, drafts, outbox and audit
//! trail.

use std::path::PathBuf;

use kyb_core::credentials::CredentialStore;
use kyb_core::sealed::KeychainKeyStore;

use crate::state::StateConfig;

/// The desktop app's bundle identifier (`identifier` in src-tauri/tauri.conf.json; a test
/// checks they agree). Its config and data folders are named after it.
pub const APP_IDENTIFIER: &str = "com.kybdesk.desktop";

/// Environment variable, for tests and isolated set-ups: the keychain service the environments'
/// credentials are stored under (`kyb-desk` when unset); the drafts' sealing key is under the
/// same name followed by `-drafts`. The desktop app and the `kyb` command both honour it.
pub const KEYCHAIN_SERVICE_ENV: &str = "KYB_DESK_KEYCHAIN_SERVICE";

/// The (config, data) folders Tauri's path resolver gives `identifier` on this machine:
/// `<config dir>/<identifier>` and `<data dir>/<identifier>`; `None` when the OS has no such
/// folders (no home).
pub fn folders_for(identifier: &str) -> Option<(PathBuf, PathBuf)> {
    Some((dirs::config_dir()?.join(identifier), dirs::data_dir()?.join(identifier)))
}

/// The desktop app's (config, data) folders for this user.
pub fn user_folders() -> Option<(PathBuf, PathBuf)> {
    folders_for(APP_IDENTIFIER)
}

/// The credentials store and the drafts' key store: the default keychain services, or those
/// named by [`KEYCHAIN_SERVICE_ENV`].
pub fn keychain_stores() -> (CredentialStore, KeychainKeyStore) {
    match configured_keychain_service() {
        Some(service) => {
            (CredentialStore::with_service(service.clone()), KeychainKeyStore::with_service(format!("{service}-drafts")))
        }
        None => (CredentialStore::default(), KeychainKeyStore::default()),
    }
}

/// The team sign-in's token store, under the same keychain service as the credentials.
pub fn team_token_store() -> crate::team::TokenStore {
    let service = configured_keychain_service().unwrap_or_else(|| kyb_core::credentials::KEYCHAIN_SERVICE.to_owned());
    crate::team::TokenStore::new(&service)
}

/// The keychain service named by [`KEYCHAIN_SERVICE_ENV`], if any.
fn configured_keychain_service() -> Option<String> {
    std::env::var(KEYCHAIN_SERVICE_ENV).ok().map(|name| name.trim().to_owned()).filter(|name| !name.is_empty())
}

impl StateConfig {
    /// The desktop app's own configuration for this user (its folders, keychain and defaults);
    /// `None` when the OS has no config or data folder.
    pub fn for_user() -> Option<Self> {
        let (config_dir, data_dir) = user_folders()?;
        Some(Self::new(config_dir, data_dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_the_desktop_apps() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src-tauri/tauri.conf.json");
        let text = std::fs::read_to_string(path).expect("tauri.conf.json is readable");
        let conf: serde_json::Value = serde_json::from_str(&text).expect("tauri.conf.json is JSON");
        assert_eq!(conf["identifier"], APP_IDENTIFIER);
    }

    #[test]
    fn the_folders_are_named_after_the_identifier() {
        let (config, data) = folders_for("com.example.test").expect("the test machine has a home folder");
        assert_eq!(config, dirs::config_dir().unwrap().join("com.example.test"));
        assert_eq!(data, dirs::data_dir().unwrap().join("com.example.test"));
        assert_eq!(user_folders().map(|(c, _)| c.ends_with(APP_IDENTIFIER)), Some(true));
    }
}
