//! Every way a call to the partner API can fail, as data the UI can branch on.
//!
//! No message ever contains the API key or secret: the client never puts them in one, and text
//! that comes from the server (excerpts, server messages) is scrubbed of them (`scrub`) before it
//! is shortened, escaped or kept.

use std::fmt;
use std::time::Duration;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use ts_rs::TS;

use crate::error::ErrorKind;

/// One problem the server found with one field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// JSON path of the field, e.g. `business_person_list[0].identification.id_number`
    /// (absent when the server did not say).
    #[serde(default, alias = "path", skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {} ({})", self.message, self.code),
            None => write!(f, "{} ({})", self.message, self.code),
        }
    }
}

/// Why a partner-API call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The connection could not be made, or broke before a complete answer arrived.
    #[error("cannot reach the partner API: {detail}")]
    Network { detail: String },
    /// No complete answer within the configured time.
    #[error("{}", timeout_message(*.connecting, *.after))]
    Timeout { after: Duration, connecting: bool },
    /// 401 or 403: the key and secret were refused.
    #[error("{}", unauthorized_message(*.status))]
    Unauthorized { status: u16 },
    /// 404: the customer (or endpoint) does not exist.
    #[error("the partner API has no {resource}")]
    NotFound { resource: String },
    /// 400 or 422: the server refused the record, with its field errors.
    #[error("{}", rejection_message(.message, .errors))]
    ValidationRejected { status: u16, message: String, errors: Vec<FieldError> },
    /// 409: the request conflicts with the server's state (duplicate partner id, suspended customer, …).
    #[error("the partner API refused the request as conflicting: {message}")]
    Conflict { code: Option<String>, message: String, field: Option<String> },
    /// 429: too many requests.
    #[error("{}", rate_limited_message(*.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// 5xx: the server failed.
    #[error("the partner API failed with HTTP {status}{}", suffix(.detail))]
    Server { status: u16, detail: Option<String> },
    /// Any other status the client does not expect (3xx, 405, 408, 413, …).
    #[error("the partner API answered HTTP {status}{}", suffix(.message))]
    UnexpectedStatus { status: u16, code: Option<String>, message: Option<String> },
    /// A success status with a body that is not what the API documents.
    #[error("the partner API sent an answer that could not be understood (HTTP {status}): {detail}")]
    MalformedResponse { status: u16, detail: String },
    /// Plain http to anything but a loopback IP address (a host name, even `localhost`, is looked up
    /// and may lead elsewhere).
    #[error("refusing to send credentials over plain http to {host}; use https (plain http is only allowed to 127.0.0.1 or [::1], written as addresses, not as localhost)")]
    InsecureUrl { host: String },
    #[error("invalid partner API URL: {reason}")]
    InvalidUrl { reason: String },
    /// A `fileType` that is not one of the six documented labels.
    #[error("fileType {given:?} is not one of: Invoice, Contract, Business Registration, Article of Association, Main page, Back page")]
    InvalidFileType { given: String },
    /// An argument that cannot be sent (empty customer id, header-unsafe idempotency key, …).
    #[error("invalid {field}: {message}")]
    InvalidInput { field: String, message: String },
    /// The key or the secret is empty or cannot be sent as an HTTP header (never shows the value).
    #[error("the stored {which} {problem}")]
    InvalidCredentials { which: String, problem: String },
    /// The HTTP client itself could not be set up (TLS initialisation).
    #[error("cannot set up the HTTP client: {detail}")]
    ClientSetup { detail: String },
}

fn timeout_message(connecting: bool, after: Duration) -> String {
    if connecting {
        format!("could not connect to the partner API within {}", human(after))
    } else {
        format!("the partner API did not answer within {}", human(after))
    }
}

fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn unauthorized_message(status: u16) -> String {
    if status == 403 {
        "the partner API refused access (HTTP 403): these credentials are not allowed to do this".to_owned()
    } else {
        format!("the partner API refused the API key and secret (HTTP {status}); check the credentials stored for this environment")
    }
}

fn rejection_message(message: &str, errors: &[FieldError]) -> String {
    let mut text = format!("the partner API rejected the record: {message}");
    if !errors.is_empty() {
        let shown: Vec<String> = errors.iter().take(5).map(FieldError::to_string).collect();
        text.push_str(&format!(" [{}]", shown.join("; ")));
        if errors.len() > 5 {
            text.push_str(&format!(" and {} more", errors.len() - 5));
        }
    }
    text
}

fn rate_limited_message(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(after) => format!("the partner API is limiting the request rate (HTTP 429); retry after {}", human(after)),
        None => "the partner API is limiting the request rate (HTTP 429); retry later".to_owned(),
    }
}

fn suffix(detail: &Option<String>) -> String {
    detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
}

impl ClientError {
    /// The kind of failure (the `kind` of the serialized form, as the app's errors name it).
    pub fn kind(&self) -> ErrorKind {
        match self {
            ClientError::Network { .. } => ErrorKind::Network,
            ClientError::Timeout { .. } => ErrorKind::Timeout,
            ClientError::Unauthorized { .. } => ErrorKind::Unauthorized,
            ClientError::NotFound { .. } => ErrorKind::NotFound,
            ClientError::ValidationRejected { .. } => ErrorKind::Rejected,
            ClientError::Conflict { .. } => ErrorKind::Conflict,
            ClientError::RateLimited { .. } => ErrorKind::RateLimited,
            ClientError::Server { .. } => ErrorKind::Server,
            ClientError::UnexpectedStatus { .. } => ErrorKind::UnexpectedStatus,
            ClientError::MalformedResponse { .. } => ErrorKind::MalformedResponse,
            ClientError::InsecureUrl { .. } => ErrorKind::InsecureUrl,
            ClientError::InvalidUrl { .. } => ErrorKind::InvalidUrl,
            ClientError::InvalidFileType { .. } | ClientError::InvalidInput { .. } => ErrorKind::InvalidInput,
            // A stored key or secret that cannot be sent: the fix is to store them again.
            ClientError::InvalidCredentials { .. } => ErrorKind::CredentialsMissing,
            ClientError::ClientSetup { .. } => ErrorKind::Internal,
        }
    }

    /// The request field at fault, when there is exactly one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ClientError::InvalidFileType { .. } => Some("fileType"),
            ClientError::InvalidInput { field, .. } => Some(field),
            ClientError::Conflict { field, .. } => field.as_deref(),
            ClientError::ValidationRejected { errors, .. } if errors.len() == 1 => errors[0].field.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status the server answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Unauthorized { status }
            | ClientError::ValidationRejected { status, .. }
            | ClientError::Server { status, .. }
            | ClientError::UnexpectedStatus { status, .. }
            | ClientError::MalformedResponse { status, .. } => Some(*status),
            ClientError::NotFound { .. } => Some(404),
            ClientError::Conflict { .. } => Some(409),
            ClientError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Whether sending the same request again later may succeed: network failures, timeouts,
    /// 408, 429, 502, 503 and 504 ([`ErrorKind::is_retryable`]). Everything else needs a change first.
    pub fn is_retryable(&self) -> bool {
        self.kind().is_retryable(self.status())
    }
}

/// `{"kind": "...", "message": "...", "field": ..., ...extra data of the variant}`.
impl Serialize for ClientError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", &self.kind())?;
        map.serialize_entry("message", &self.to_string())?;
        if let Some(field) = self.field() {
            map.serialize_entry("field", field)?;
        }
        if let Some(status) = self.status() {
            map.serialize_entry("status", &status)?;
        }
        map.serialize_entry("retryable", &self.is_retryable())?;
        match self {
            ClientError::ValidationRejected { errors, .. } => map.serialize_entry("errors", errors)?,
            ClientError::RateLimited { retry_after: Some(after) } => {
                map.serialize_entry("retry_after_secs", &after.as_secs())?
            }
            ClientError::Timeout { after, connecting } => {
                map.serialize_entry("timeout_ms", &(after.as_millis() as u64))?;
                map.serialize_entry("connecting", connecting)?;
            }
            ClientError::Conflict { code: Some(code), .. } | ClientError::UnexpectedStatus { code: Some(code), .. } => {
                map.serialize_entry("code", code)?
            }
            ClientError::InsecureUrl { host } => map.serialize_entry("host", host)?,
            _ => {}
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_kind_message_and_data() {
        let err = ClientError::ValidationRejected {
            status: 400,
            message: "1 problem".into(),
            errors: vec![FieldError { field: Some("a.b".into()), code: "unknown_file".into(), message: "no such file".into() }],
        };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["kind"], "rejected");
        assert_eq!(json["field"], "a.b");
        assert_eq!(json["status"], 400);
        assert_eq!(json["errors"][0]["code"], "unknown_file");
        assert!(json["message"].as_str().unwrap().contains("a.b: no such file"));

        let json = serde_json::to_value(ClientError::RateLimited { retry_after: Some(Duration::from_secs(7)) }).unwrap();
        assert_eq!(json["retry_after_secs"], 7);
        assert_eq!(json["retryable"], true);
    }

    #[test]
    fn retryable_statuses() {
        let server = |status| ClientError::Server { status, detail: None };
        assert!(server(502).is_retryable() && server(503).is_retryable() && server(504).is_retryable());
        assert!(!server(500).is_retryable() && !server(501).is_retryable());
        assert!(ClientError::UnexpectedStatus { status: 408, code: None, message: None }.is_retryable());
        assert!(!ClientError::NotFound { resource: "x".into() }.is_retryable());
    }
}
