//! The server's configuration: one TOML file, each value overridable by an environment variable
//! (`KYB_SERVER_<KEY>`, e.g. `KYB_SERVER_DATABASE_URL`), so secrets can come from the service
//! manager instead of the file.
//!
//! ```toml
//! bind = "127.0.0.1:8440"
//! database_url = "postgres://kyb_server@db.internal/kyb"   # the server's own role
//! admin_database_url = "postgres://kyb_owner@db.internal/kyb" # optional: runs migrations
//! sealing_key = "<base64 of 32 random bytes>"   # seals partner credentials at rest
//! signing_key = "<base64 of 32 random bytes>"   # Ed25519 seed of audit checkpoints
//!
//! [oidc]                                        # the company's OpenID Connect provider
//! issuer = "https://login.example.com"          # KYB_SERVER_OIDC_ISSUER
//! audience = "urn:kyb-desk:server"              # the `aud` of its access tokens (default)
//! roles_claim = "kyb_roles"                     # the claim listing officer/reviewer/admin (default)
//! client_id = "kyb-desk"                        # the desktop's and the CLI's public client (default)
//! ```

use std::net::SocketAddr;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::error::ServerError;
use crate::identity::OidcSettings;

/// A 32-byte key read from base64; wiped when dropped, never printed.
#[derive(Clone)]
pub struct KeyBytes(Zeroizing<[u8; 32]>);

impl KeyBytes {
    pub fn from_base64(name: &str, text: &str) -> Result<Self, ServerError> {
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text.trim())
                .map_err(|_| ServerError::Config(format!("{name} is not base64")))?,
        );
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| ServerError::Config(format!("{name} must be 32 bytes (it is {})", bytes.len())))?;
        Ok(Self(Zeroizing::new(array)))
    }

    /// A fresh random key (trial setups and tests).
    pub fn random() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::Rng::fill(&mut rand::rng(), &mut key[..]);
        Self(key)
    }

    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(&self.0[..]))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for KeyBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyBytes(<redacted>)")
    }
}

/// Everything the server needs to start.
#[derive(Clone)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    /// The server's own role: may read and append the audit trail, never change it.
    pub database_url: String,
    /// The owner's role, used only to apply migrations at start (else `database_url` applies them).
    pub admin_database_url: Option<String>,
    pub sealing_key: KeyBytes,
    pub signing_key: KeyBytes,
    /// Without it nobody can sign in: only the health and checkpoint endpoints answer.
    pub oidc: Option<OidcSettings>,
    /// How often this instance looks for outbox entries to send; `None`: it sends nothing.
    pub outbox_interval: Option<std::time::Duration>,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("bind", &self.bind)
            .field("database_url", &redact_url(&self.database_url))
            .field("admin_database_url", &self.admin_database_url.as_deref().map(redact_url))
            .field("oidc", &self.oidc)
            .finish_non_exhaustive()
    }
}

/// A database URL without its password, for logs.
pub fn redact_url(url: &str) -> String {
    match url.split_once("://").and_then(|(scheme, rest)| rest.split_once('@').map(|(user, host)| (scheme, user, host))) {
        Some((scheme, user, host)) => {
            let user = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<String>,
    database_url: Option<String>,
    admin_database_url: Option<String>,
    sealing_key: Option<String>,
    signing_key: Option<String>,
    oidc: Option<OidcSettings>,
}

impl ServerConfig {
    /// Read `file` (if given), then let `KYB_SERVER_*` variables override each value.
    pub fn load(file: Option<&Path>) -> Result<Self, ServerError> {
        let from_file = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|err| ServerError::Config(format!("cannot read {}: {err}", path.display())))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|err| ServerError::Config(format!("{}: {}", path.display(), err.message())))?
            }
            None => FileConfig::default(),
        };
        Self::resolve(from_file, |name| std::env::var(name).ok())
    }

    fn resolve(file: FileConfig, env: impl Fn(&str) -> Option<String>) -> Result<Self, ServerError> {
        let pick = |key: &str, from_file: Option<String>| env(&format!("KYB_SERVER_{}", key.to_ascii_uppercase())).or(from_file);
        let required = |key: &str, value: Option<String>| {
            value.ok_or_else(|| {
                ServerError::Config(format!("{key} is not set (in the file or KYB_SERVER_{})", key.to_ascii_uppercase()))
            })
        };
        let oidc = match (env("KYB_SERVER_OIDC_ISSUER"), file.oidc) {
            (Some(issuer), Some(settings)) => Some(OidcSettings { issuer, ..settings }),
            (Some(issuer), None) => Some(OidcSettings::new(issuer)),
            (None, settings) => settings,
        };
        let bind_text = pick("bind", file.bind).unwrap_or_else(|| "127.0.0.1:8440".to_owned());
        let bind = bind_text
            .parse()
            .map_err(|_| ServerError::Config(format!("bind is not an address and port: {bind_text}")))?;
        Ok(Self {
            bind,
            database_url: required("database_url", pick("database_url", file.database_url))?,
            admin_database_url: pick("admin_database_url", file.admin_database_url),
            sealing_key: KeyBytes::from_base64("sealing_key", &required("sealing_key", pick("sealing_key", file.sealing_key))?)?,
            signing_key: KeyBytes::from_base64("signing_key", &required("signing_key", pick("signing_key", file.signing_key))?)?,
            oidc,
            outbox_interval: Some(std::time::Duration::from_secs(1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> String {
        KeyBytes::random().to_base64().to_string()
    }

    #[test]
    fn environment_overrides_the_file_and_missing_values_are_named() {
        let file = FileConfig {
            database_url: Some("postgres://a:pw@h/db".into()),
            sealing_key: Some(key()),
            signing_key: Some(key()),
            ..FileConfig::default()
        };
        let config = ServerConfig::resolve(file, |name| {
            (name == "KYB_SERVER_BIND").then(|| "127.0.0.1:9999".to_owned())
        })
        .unwrap();
        assert_eq!(config.bind.port(), 9999);
        let shown = format!("{config:?}");
        assert!(!shown.contains("pw") && shown.contains("postgres://a@h/db"), "{shown}");

        let missing = ServerConfig::resolve(FileConfig::default(), |_| None).err().unwrap();
        assert!(missing.to_string().contains("KYB_SERVER_DATABASE_URL"), "{missing}");
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(KeyBytes::from_base64("sealing_key", "not base64!").is_err());
        let short = KeyBytes::from_base64("sealing_key", "AAAA").err().unwrap();
        assert!(short.to_string().contains("32 bytes"), "{short}");
        assert!(KeyBytes::from_base64("k", &key()).is_ok());
    }
}
