//! Client settings and the URL policy: https everywhere, plain http only on this machine.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::time::Duration;

use url::{Host, Url};

use super::error::ClientError;
use crate::credentials::ApiCredentials;

/// Whole-request limit (connect, send, wait, read the answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Limit for establishing the connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest response body the client reads; a longer one is an error, never an allocation.
pub const MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;
/// Largest document `upload_file` sends: the partner's upload limit as KYB Desk assumes it
/// (10 MiB). The one owner of that number: the desktop app, the CLI, the local copies and the
/// sandbox all use this constant.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// An upload gets one more second of its timeout per this many bytes.
pub const UPLOAD_BYTES_PER_EXTRA_SECOND: usize = 256 * 1024;

/// The whole-request limit for uploading `size` bytes: the client's `base` timeout plus one
/// second per started 256 KiB (2 Mbit/s), so a 10 MiB scan on a slow line gets 30 s + 40 s
/// instead of failing where a small JSON call would not.
pub fn upload_timeout(base: Duration, size: usize) -> Duration {
    let extra = size.div_ceil(UPLOAD_BYTES_PER_EXTRA_SECOND);
    base.saturating_add(Duration::from_secs(u64::try_from(extra).unwrap_or(u64::MAX)))
}

/// Where the partner API is and how to talk to it.
#[derive(Clone)]
pub struct ClientConfig {
    /// e.g. `https://partner.example/` or `http://127.0.0.1:8083`; a path prefix is kept.
    pub base_url: Url,
    pub credentials: ApiCredentials,
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

impl ClientConfig {
    /// A configuration with the default timeouts.
    pub fn new(base_url: Url, credentials: ApiCredentials) -> Self {
        Self { base_url, credentials, timeout: DEFAULT_TIMEOUT, connect_timeout: DEFAULT_CONNECT_TIMEOUT }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &display_url(&self.base_url))
            .field("credentials", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

/// `scheme://host:port/path` without any user name or password, for messages and logs.
pub(crate) fn display_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// Refuse URLs the client must not send credentials to.
pub(crate) fn check_base_url(url: &Url) -> Result<(), ClientError> {
    let invalid = |reason: &str| Err(ClientError::InvalidUrl { reason: reason.to_owned() });
    if url.cannot_be_a_base() {
        return invalid("the base URL must look like https://host[:port][/path]");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return invalid("the base URL must not contain a user name or password (credentials belong in the keychain)");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return invalid("the base URL must not have a query (?…) or a fragment (#…)");
    }
    let Some(host) = url.host() else {
        return invalid("the base URL has no host");
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_ip(&host) => Ok(()),
        "http" => Err(ClientError::InsecureUrl { host: host.to_string() }),
        other => Err(ClientError::InvalidUrl {
            reason: format!("the base URL scheme must be https (or http to 127.0.0.1 or [::1]), not `{other}`"),
        }),
    }
}

/// Whether `url` names this machine by an IP address (127.0.0.0/8, ::1, ::ffff:127.x.y.z): the
/// only hosts plain http may go to. A name, even `localhost` or `localhost.`, is refused: it is
/// looked up (the trailing-dot form through network DNS), so it may lead to another machine.
pub fn is_loopback_url(url: &Url) -> bool {
    url.host().is_some_and(|host| is_loopback_ip(&host))
}

fn is_loopback_ip(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(_) => false,
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => is_loopback_v6(ip),
    }
}

fn is_loopback_v6(ip: &Ipv6Addr) -> bool {
    IpAddr::V6(*ip).is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<(), ClientError> {
        check_base_url(&Url::parse(url).unwrap())
    }

    #[test]
    fn https_is_always_allowed() {
        assert!(check("https://partner.example.com/").is_ok());
        assert!(check("https://partner.example.com/v1/").is_ok());
    }

    #[test]
    fn plain_http_only_to_loopback_ip_addresses() {
        for ok in ["http://127.0.0.1:8083", "http://127.5.6.7", "http://127.9.9.9/", "http://[::1]:80/", "http://[::ffff:127.0.0.1]/"] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://localhost:1/",
            "http://LOCALHOST/",
            "http://localhost.:8083",
            "http://localhost.localdomain/",
            "http://ip6-localhost/",
            "http://partner.example.com/",
            "http://10.0.0.1/",
            "http://128.0.0.1/",
            "http://0.0.0.0/",
            "http://localhost.evil.com/",
            "http://127.0.0.1.nip.io/",
            "http://[::2]/",
        ] {
            assert!(matches!(check(bad), Err(ClientError::InsecureUrl { .. })), "{bad}");
        }
        // A name is fine over https: the certificate says who answers.
        assert!(check("https://localhost:8443/").is_ok());
    }

    #[test]
    fn odd_urls_are_invalid() {
        for bad in ["ftp://host/", "https://user:pw@host/", "https://host/?a=1", "https://host/#x", "mailto:someone@example.com"] {
            assert!(matches!(check(bad), Err(ClientError::InvalidUrl { .. })), "{bad}");
        }
    }

    #[test]
    fn upload_timeout_grows_one_second_per_started_256_kib() {
        let base = Duration::from_secs(30);
        assert_eq!(upload_timeout(base, 0), base);
        assert_eq!(upload_timeout(base, 1), base + Duration::from_secs(1));
        assert_eq!(upload_timeout(base, UPLOAD_BYTES_PER_EXTRA_SECOND), base + Duration::from_secs(1));
        assert_eq!(upload_timeout(base, UPLOAD_BYTES_PER_EXTRA_SECOND + 1), base + Duration::from_secs(2));
        assert_eq!(upload_timeout(base, MAX_UPLOAD_BYTES), base + Duration::from_secs(40));
        assert_eq!(upload_timeout(Duration::MAX, usize::MAX), Duration::MAX);
    }

    #[test]
    fn shown_url_never_has_a_password() {
        let url = Url::parse("https://user:hunter2@host/x?q=1").unwrap();
        assert_eq!(display_url(&url), "https://host/x");
    }
}
