//! The shapes of an error answer a partner may give (the published page documents none), for a
//! fault that asks for one exactly: an app must read each and map it onto its form.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How a refusal is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorShape {
    /// `{code, message, errors: [{code, message, field}]}` with a dotted path.
    FieldList,
    /// `{code, message, source}` with a JSON pointer (`/business_details/website`).
    Source,
    /// `{error: {code, message}}`, naming no field.
    Nested,
    /// `text/plain`: the message alone.
    PlainText,
}

/// Marks a response whose shape a fault chose, so the personality leaves it as written.
#[derive(Debug, Clone, Copy)]
pub struct ShapeChosen;

/// A 400 refusing `field` with `code` and `message`, written in `shape`.
pub fn refusal(shape: ErrorShape, code: &str, field: &str, message: &str) -> Response {
    let status = StatusCode::BAD_REQUEST;
    let mut response = match shape {
        ErrorShape::FieldList => (
            status,
            Json(json!({"code": code, "message": message, "errors": [{"code": code, "message": message, "field": field}]})),
        )
            .into_response(),
        ErrorShape::Source => {
            (status, Json(json!({"code": code, "message": message, "source": json_pointer(field)}))).into_response()
        }
        ErrorShape::Nested => (status, Json(json!({"error": {"code": code, "message": message}}))).into_response(),
        ErrorShape::PlainText => {
            (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message.to_owned()).into_response()
        }
    };
    response.extensions_mut().insert(ShapeChosen);
    response
}

/// `business_person_list[0].identification.id_type` → `/business_person_list/0/identification/id_type`.
pub fn json_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for segment in path.split('.') {
        let (name, indexes) = segment.split_once('[').map_or((segment, ""), |(n, rest)| (n, rest));
        pointer.push('/');
        pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            pointer.push('/');
            pointer.push_str(index);
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_json_pointers() {
        assert_eq!(json_pointer("business_details.website"), "/business_details/website");
        assert_eq!(
            json_pointer("business_person_list[0].identification.id_type"),
            "/business_person_list/0/identification/id_type"
        );
        assert_eq!(json_pointer("a/b"), "/a~1b");
    }
}
