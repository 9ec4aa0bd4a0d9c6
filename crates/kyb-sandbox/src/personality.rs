//! How the sandbox answers: `default` (helpful: every field back, errors that list each field,
//! `Idempotency-Key` honoured) or `strict` (exactly what the published partner page shows).
//!
//! Strict, for testing the app against the partner as published:
//! - customer answers (detail, update, create) leave out every person's `basic_info`, as the
//!   page's response example does (the sandbox still keeps it);
//! - errors are `{"code", "message", "source"}`, `source` being the path of the field at fault
//!   (the first one), instead of `{"code", "message", "errors": [...]}`;
//! - `Idempotency-Key` is ignored (the page does not mention it): a repeated create with the
//!   same `partner_customer_id` is refused with 409;
//! - demo customer `cus_demo_0006` has the status "Under Review", and a record whose
//!   `business_name_english` contains "Under Review" settles to it: a status beyond the page's four.

use std::fmt;
use std::str::FromStr;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::Response;
use kyb_core::model::{Customer, CustomerStatus};
use serde_json::{json, Value};

use crate::routes::idempotency;
use crate::error_shape::ShapeChosen;

/// Which partner the sandbox plays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Personality {
    #[default]
    Default,
    Strict,
}

impl Personality {
    pub const ALL: [Personality; 2] = [Personality::Default, Personality::Strict];

    pub fn name(self) -> &'static str {
        match self {
            Personality::Default => "default",
            Personality::Strict => "strict",
        }
    }
}

impl fmt::Display for Personality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A personality name that is not `default` or `strict`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sandbox personality {given:?} is not one of: default, strict")]
pub struct UnknownPersonality {
    pub given: String,
}

impl FromStr for Personality {
    type Err = UnknownPersonality;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        Personality::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownPersonality { given: text.to_owned() })
    }
}

/// The demo customer whose status is beyond the four in the strict personality.
pub const STRICT_REVIEW_CUSTOMER: &str = "cus_demo_0006";
/// The status beyond the four that the strict personality answers.
pub const UNDER_REVIEW: &str = "Under Review";

/// The status a processed record settles to, with the strict personality's extra one.
pub fn outcome_for(personality: Personality, customer: &Customer) -> CustomerStatus {
    let name = customer.business_details.as_ref().and_then(|d| d.business_name_english.as_deref()).unwrap_or("");
    if personality == Personality::Strict && name.to_lowercase().contains(&UNDER_REVIEW.to_lowercase()) {
        return CustomerStatus::Other(UNDER_REVIEW.to_owned());
    }
    crate::settle::outcome_for(customer)
}

/// The strict personality around the partner endpoints: drops `Idempotency-Key`, answers
/// customers without `basic_info`, and gives errors the `{code, message, source}` shape.
pub async fn strict(State(personality): State<Personality>, mut request: Request, next: Next) -> Response {
    if personality != Personality::Strict {
        return next.run(request).await;
    }
    request.headers_mut().remove(idempotency::HEADER);
    let customer_answer = request.uri().path().starts_with("/api/customers/");
    let response = next.run(request).await;
    if response.extensions().get::<ShapeChosen>().is_some() {
        return response;
    }
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json || !(status.is_client_error() || status.is_server_error() || (status.is_success() && customer_answer)) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_JSON_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if status.is_success() {
        without_basic_info(&mut value);
    } else {
        value = strict_error(value);
    }
    let text = value.to_string();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(text))
}

fn without_basic_info(customer: &mut Value) {
    if let Some(people) = customer.get_mut("business_person_list").and_then(Value::as_array_mut) {
        for person in people.iter_mut().filter_map(Value::as_object_mut) {
            person.remove("basic_info");
        }
    }
}

/// `{code, message, errors: [{code, message, field}, ...]}` → `{code, message, source}` about the
/// first field (no `source` when no field is at fault).
fn strict_error(error: Value) -> Value {
    let first = error.get("errors").and_then(Value::as_array).and_then(|errors| errors.first()).cloned();
    match first {
        Some(field) => json!({
            "code": field.get("code").cloned().unwrap_or(Value::Null),
            "message": field.get("message").cloned().unwrap_or(Value::Null),
            "source": field.get("field").cloned().unwrap_or(Value::Null),
        }),
        None => json!({
            "code": error.get("code").cloned().unwrap_or(Value::Null),
            "message": error.get("message").cloned().unwrap_or(Value::Null),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case_and_others_are_refused() {
        assert_eq!("strict".parse::<Personality>().unwrap(), Personality::Strict);
        assert_eq!(" Default ".parse::<Personality>().unwrap(), Personality::Default);
        assert_eq!("lenient".parse::<Personality>().unwrap_err().given, "lenient");
    }

    #[test]
    fn an_error_about_fields_becomes_one_about_the_first_source() {
        let strict = strict_error(
            json!({"code": "validation_failed", "message": "the record has 2 problem(s)", "errors": [
                {"code": "required", "message": "a name is required", "field": "business_details.business_name_english"},
                {"code": "required", "message": "a city is required", "field": "registration_address.registration_address_city"},
            ]}),
        );
        assert_eq!(
            strict,
            json!({"code": "required", "message": "a name is required", "source": "business_details.business_name_english"})
        );
        assert_eq!(
            strict_error(json!({"code": "not_found", "message": "no"})),
            json!({"code": "not_found", "message": "no"})
        );
    }
}
