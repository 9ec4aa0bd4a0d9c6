//! HTTP client for the partner API.
//!
//! [`PartnerClient`] sends only [`crate::validation::Validated`] bodies, always with the
//! `X-API-Key` / `X-API-Secret` headers, over https (plain http only to this machine's loopback
//! addresses), and maps every failure to a [`ClientError`] the UI can branch on (`kind`) and show (`message`).
//!
//! - [`config`]: settings and the URL policy.
//! - [`error`]: [`ClientError`] and [`FieldError`].
//! - `requests`: one method per endpoint.
//! - `response`: status and body mapping, bounded reads.
//! - `error_body`: the partner's error answers in every shape, field paths normalized.
//! - `scrub`: the credentials removed from server text; `text`: server text made one short line.

mod config;
mod error;
mod error_body;
mod requests;
mod response;
mod scrub;
mod text;

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

pub use config::{
    is_loopback_url, upload_timeout, ClientConfig, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES,
    MAX_UPLOAD_BYTES, UPLOAD_BYTES_PER_EXTRA_SECOND,
};
pub use error::{ClientError, FieldError};
pub use requests::{check_upload_size, parse_file_type, CustomerLookup};

use config::{check_base_url, display_url};
use scrub::Scrubber;

/// A client for one partner-API environment. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct PartnerClient {
    http: reqwest::Client,
    base_url: Url,
    api_key: HeaderValue,
    api_secret: HeaderValue,
    scrubber: Scrubber,
    timeout: Duration,
    connect_timeout: Duration,
}

impl PartnerClient {
    /// Check the configuration and build the client (no network access yet).
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        check_base_url(&config.base_url)?;
        let api_key = header_value("API key", &config.credentials.api_key)?;
        let api_secret = header_value("API secret", &config.credentials.api_secret)?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            // A redirect would carry the custom credential headers to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kyb-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| ClientError::ClientSetup { detail: err.to_string() })?;
        Ok(Self {
            http,
            base_url: config.base_url,
            api_key,
            api_secret,
            scrubber: Scrubber::new(&config.credentials.api_key, &config.credentials.api_secret),
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
}

/// Parse a base URL typed by a person and apply the URL policy (https, or http to `127.0.0.1` or
/// `[::1]` written as addresses; no user name, password, query or fragment). Surrounding spaces
/// are ignored.
pub fn parse_base_url(text: &str) -> Result<Url, ClientError> {
    let url = Url::parse(text.trim())
        .map_err(|err| ClientError::InvalidUrl { reason: format!("the base URL is not a URL ({err}); use https://host[:port][/path]") })?;
    check_base_url(&url)?;
    Ok(url)
}

/// Check that a key or secret can be sent as a header value, without keeping it.
pub fn check_credential_value(which: &str, value: &str) -> Result<(), ClientError> {
    header_value(which, value).map(|_| ())
}

fn header_value(which: &str, value: &str) -> Result<HeaderValue, ClientError> {
    let invalid = |problem: &str| ClientError::InvalidCredentials { which: which.to_owned(), problem: problem.to_owned() };
    if value.trim().is_empty() {
        return Err(invalid("is empty"));
    }
    let mut header = HeaderValue::from_str(value)
        .map_err(|_| invalid("contains characters that cannot be sent in an HTTP header (line breaks or control characters)"))?;
    header.set_sensitive(true);
    Ok(header)
}

impl fmt::Debug for PartnerClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartnerClient")
            .field("base_url", &display_url(&self.base_url))
            .field("credentials", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}
