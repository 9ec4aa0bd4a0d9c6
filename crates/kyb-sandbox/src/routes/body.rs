//! Reading JSON bodies: size limit, UTF-8, strict parsing with the field path in the error.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use kyb_core::model::{parse_strict, ParseErrorKind};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiFieldError};

/// The body as text, or 413/400.
pub fn text(body: Result<Bytes, BytesRejection>) -> Result<String, ApiError> {
    let bytes = body.map_err(|rejection| {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "body_too_large" } else { "invalid_body" };
        ApiError::new(status, code, rejection.body_text())
    })?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", "the body is not UTF-8 text"))
}

/// Parse strictly: an unknown field is a 400 naming it.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    parse_strict::<T>(text).map_err(|err| {
        let code = match err.kind {
            ParseErrorKind::Syntax => "invalid_json",
            ParseErrorKind::UnknownField => "unknown_field",
            ParseErrorKind::InvalidValue => "invalid_value",
        };
        let message = err.to_string();
        let mut error = ApiError::new(StatusCode::BAD_REQUEST, code, message.clone());
        if !err.path.is_empty() {
            error.errors.push(ApiFieldError { code: code.to_owned(), message, field: err.path });
        }
        error
    })
}
