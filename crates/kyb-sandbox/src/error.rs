//! Errors: why the sandbox could not start, and the JSON error answers of the API.

use std::path::PathBuf;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// Why [`crate::start`] failed.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("cannot use the data folder {}: {source}", path.display())]
    Storage { path: PathBuf, source: std::io::Error },
    #[error("the sandbox data in {} is damaged ({detail}); move it away to start afresh", path.display())]
    CorruptStore { path: PathBuf, detail: String },
    #[error("the built-in demo data is invalid: {0}")]
    Demo(String),
}

/// One problem with one request field, as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiFieldError {
    pub code: String,
    pub message: String,
    pub field: String,
}

/// An error answer: `{"code", "message", "errors"?}` with a status (and maybe `Retry-After`).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub errors: Vec<ApiFieldError>,
    pub retry_after_secs: Option<u64>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[ApiFieldError]>::is_empty")]
    errors: &'a [ApiFieldError],
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { status, code: code.to_owned(), message: message.into(), errors: Vec::new(), retry_after_secs: None }
    }

    /// 400 naming one field.
    pub fn field(code: &str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            errors: vec![ApiFieldError { code: code.to_owned(), message: message.clone(), field: field.to_owned() }],
            ..Self::new(StatusCode::BAD_REQUEST, code, message)
        }
    }

    /// 400 `validation_failed` with every field error.
    pub fn validation(errors: Vec<ApiFieldError>) -> Self {
        let message = format!("the record has {} problem(s)", errors.len());
        Self { errors, ..Self::new(StatusCode::BAD_REQUEST, "validation_failed", message) }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn storage(err: &std::io::Error) -> Self {
        tracing::error!(error = %err, "sandbox storage failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "storage_error", "the sandbox could not write its data folder")
    }

    /// The JSON body text (also what idempotency records keep).
    pub fn body(&self) -> String {
        let body = ErrorBody { code: &self.code, message: &self.message, errors: &self.errors };
        serde_json::to_string(&body).unwrap_or_else(|_| r#"{"code":"internal","message":"error"}"#.to_owned())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { code: &self.code, message: &self.message, errors: &self.errors };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert("retry-after", HeaderValue::from(secs));
        }
        response
    }
}
