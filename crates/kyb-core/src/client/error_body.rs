//! Reading an error answer in whatever shape the partner sends it. Its documentation publishes no
//! error format, so every common shape is read:
//!
//! - `{code, message, errors: [{field, code?, message}]}` (what the sandbox sends);
//! - `{code, message, source}` where `source` names the field (`/business_details/website`,
//!   `business_person_list.0.basic_info`, …) or is `{pointer}`;
//! - `{error: {code, message, …}}` and `{error: "code", error_description}`;
//! - `{errors: {field: [message, …]}}`; `detail`/`title` for the message;
//! - a JSON string, or plain text, as the message.
//!
//! Anything else is described by a short excerpt; an HTML page is named, never quoted. All text
//! is scrubbed of the credentials first, then stripped of markup, then shortened.

use serde_json::{Map, Value};

use super::error::FieldError;
use super::scrub::Scrubber;
use super::text::{describe_body, looks_like_html, one_line, strip_tags};

/// Longest server message or code kept.
const MAX_SERVER_TEXT: usize = 300;
/// Most field errors kept from one answer.
const MAX_FIELD_ERRORS: usize = 100;

/// What an error answer said.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ServerError {
    pub code: Option<String>,
    pub message: Option<String>,
    pub errors: Vec<FieldError>,
    /// When nothing could be read: a short description of the body (`"…"`, `an HTML page …`).
    pub excerpt: Option<String>,
}

/// Read an error answer's body (empty: nothing said).
pub(crate) fn read_error_body(body: &[u8], scrubber: &Scrubber) -> ServerError {
    let text = scrubber.scrub(&String::from_utf8_lossy(body));
    if text.trim().is_empty() {
        return ServerError::default();
    }
    let is_text = std::str::from_utf8(body).is_ok();
    let described =
        || ServerError { excerpt: Some(describe_body(&text, is_text, body.len())), ..ServerError::default() };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => {
            let read = read_object(&object, scrubber);
            if read.code.is_none() && read.message.is_none() && read.errors.is_empty() {
                described()
            } else {
                read
            }
        }
        Ok(Value::String(message)) => ServerError { message: clean(&message, scrubber), ..ServerError::default() },
        Ok(_) => described(),
        // Plain text is the message; a page, or bytes that are not text, is described.
        Err(_) if !is_text || looks_like_html(&text) => described(),
        Err(_) => match clean(&text, scrubber) {
            Some(message) => ServerError { message: Some(message), ..ServerError::default() },
            None => described(),
        },
    }
}

fn read_object(object: &Map<String, Value>, scrubber: &Scrubber) -> ServerError {
    let text = |name: &str| object.get(name).and_then(scalar_text).and_then(|t| clean(&t, scrubber));
    let mut read = match object.get("error") {
        Some(Value::Object(inner)) => read_object(inner, scrubber),
        // OAuth style: `error` is the code, `error_description` the message.
        Some(Value::String(code)) if object.contains_key("error_description") => {
            ServerError { code: clean(code, scrubber), ..ServerError::default() }
        }
        Some(Value::String(message)) => ServerError { message: clean(message, scrubber), ..ServerError::default() },
        _ => ServerError::default(),
    };
    read.code = read.code.or_else(|| text("code"));
    read.message = read
        .message
        .or_else(|| text("message"))
        .or_else(|| text("error_description"))
        .or_else(|| text("detail"))
        .or_else(|| text("title"));
    match object.get("errors") {
        Some(Value::Array(items)) => read.errors.extend(items.iter().filter_map(|item| field_error(item, scrubber))),
        Some(Value::Object(by_field)) => read.errors.extend(errors_by_field(by_field, scrubber)),
        _ => {}
    }
    // `{code, message, source}`: the error is about one field.
    if read.errors.is_empty() {
        if let Some(field) = field_of(object, scrubber) {
            read.errors.push(FieldError {
                field: Some(field),
                code: read.code.clone().unwrap_or_default(),
                message: read.message.clone().unwrap_or_default(),
            });
        }
    }
    read.errors.truncate(MAX_FIELD_ERRORS);
    read
}

/// One entry of an `errors` list: an object naming its field, or just a message.
fn field_error(item: &Value, scrubber: &Scrubber) -> Option<FieldError> {
    match item {
        Value::Object(object) => {
            let text = |name: &str| object.get(name).and_then(scalar_text).and_then(|t| clean(&t, scrubber));
            let error = FieldError {
                field: field_of(object, scrubber),
                code: text("code").unwrap_or_default(),
                message: text("message").or_else(|| text("detail")).or_else(|| text("title")).unwrap_or_default(),
            };
            (error.field.is_some() || !error.code.is_empty() || !error.message.is_empty()).then_some(error)
        }
        other => {
            let message = scalar_text(other).and_then(|t| clean(&t, scrubber))?;
            Some(FieldError { field: None, code: String::new(), message })
        }
    }
}

/// `{"errors": {"business_details.website": ["is not a URL"]}}`.
fn errors_by_field(by_field: &Map<String, Value>, scrubber: &Scrubber) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (name, messages) in by_field {
        let field = clean(name, scrubber).map(|f| normalize_field_path(&f));
        let messages: Vec<&Value> = match messages {
            Value::Array(list) => list.iter().collect(),
            one => vec![one],
        };
        for message in messages {
            if let Some(message) = scalar_text(message).and_then(|t| clean(&t, scrubber)) {
                errors.push(FieldError { field: field.clone(), code: String::new(), message });
            }
        }
    }
    errors
}

/// The field an error object names, as a record path.
fn field_of(object: &Map<String, Value>, scrubber: &Scrubber) -> Option<String> {
    let named =
        ["field", "path", "source", "pointer", "parameter"].iter().find_map(|name| match object.get(*name)? {
            Value::String(text) => Some(text.clone()),
            Value::Object(source) => ["pointer", "parameter", "field"]
                .iter()
                .find_map(|inner| source.get(*inner).and_then(Value::as_str).map(str::to_owned)),
            _ => None,
        })?;
    clean(&named, scrubber).map(|field| normalize_field_path(&field))
}

/// The field path a server wrote, in the form the record's paths use
/// (`business_person_list[0].identification.id_number`): a JSON pointer (`/a/0/b`, `#/a/0/b`),
/// dotted indices (`a.0.b`) and a `$.` or `body.` prefix are rewritten. Text that is not a path
/// is kept as it is (the page shows it with the record's general errors).
pub(crate) fn normalize_field_path(raw: &str) -> String {
    let trimmed = raw.trim();
    let segments: Vec<String> = if let Some(pointer) = trimmed.strip_prefix("#/").or_else(|| trimmed.strip_prefix('/'))
    {
        pointer.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
    } else {
        let dotted = trimmed.strip_prefix("$.").or_else(|| trimmed.strip_prefix("body.")).unwrap_or(trimmed);
        dotted.split('.').flat_map(split_brackets).collect()
    };
    let is_index = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let is_name = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let usable =
        segments.first().is_some_and(|first| is_name(first) && !is_index(first)) && segments.iter().all(|s| is_name(s));
    if !usable {
        return trimmed.to_owned();
    }
    let mut path = String::new();
    for segment in &segments {
        if is_index(segment) {
            let digits = segment.trim_start_matches('0');
            path.push_str(&format!("[{}]", if digits.is_empty() { "0" } else { digits }));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment);
        }
    }
    path
}

/// `name[0][1]` → `name`, `0`, `1` (a part without brackets is itself).
fn split_brackets(part: &str) -> Vec<String> {
    let Some(open) = part.find('[') else { return vec![part.to_owned()] };
    let mut segments = vec![part[..open].to_owned()];
    let mut rest = &part[open..];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else { return vec![part.to_owned()] };
        segments.push(inner[..close].to_owned());
        rest = &inner[close + 1..];
    }
    if !rest.is_empty() {
        return vec![part.to_owned()];
    }
    segments
}

/// A string, number or boolean as text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Server text as kept: credentials removed (again: JSON escapes may have hidden them in the raw
/// body), markup removed, on one line, shortened. `None` when nothing is left.
fn clean(text: &str, scrubber: &Scrubber) -> Option<String> {
    let kept = one_line(&strip_tags(&scrubber.scrub(text)), MAX_SERVER_TEXT);
    (!kept.is_empty()).then_some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> ServerError {
        read_error_body(body.as_bytes(), &Scrubber::new("key-AAAA-1111", "secret-BBBB-2222"))
    }

    fn field(path: &str, code: &str, message: &str) -> FieldError {
        FieldError { field: Some(path.into()), code: code.into(), message: message.into() }
    }

    #[test]
    fn every_shape_is_read() {
        let cases: Vec<(&str, Option<&str>, Option<&str>, Vec<FieldError>)> = vec![
            (
                r#"{"code":"validation_failed","message":"1 problem","errors":[{"field":"business_details.website","code":"invalid_url","message":"not a URL"}]}"#,
                Some("validation_failed"),
                Some("1 problem"),
                vec![field("business_details.website", "invalid_url", "not a URL")],
            ),
            (
                r#"{"code":"invalid_url","message":"not a URL","source":"/business_details/website"}"#,
                Some("invalid_url"),
                Some("not a URL"),
                vec![field("business_details.website", "invalid_url", "not a URL")],
            ),
            (
                r#"{"code":"required","message":"missing","source":"business_person_list.1.identification.id_number"}"#,
                Some("required"),
                Some("missing"),
                vec![field("business_person_list[1].identification.id_number", "required", "missing")],
            ),
            (
                r#"{"code":"bad","message":"m","source":{"pointer":"/business_person_list/0/basic_info/birth_date"}}"#,
                Some("bad"),
                Some("m"),
                vec![field("business_person_list[0].basic_info.birth_date", "bad", "m")],
            ),
            (r#"{"error":{"code":"rate","message":"slow down"}}"#, Some("rate"), Some("slow down"), vec![]),
            (
                r#"{"error":{"code":"bad","message":"m","source":"/primary_contact/contact_email"}}"#,
                Some("bad"),
                Some("m"),
                vec![field("primary_contact.contact_email", "bad", "m")],
            ),
            (
                r#"{"error":"invalid_request","error_description":"no body"}"#,
                Some("invalid_request"),
                Some("no body"),
                vec![],
            ),
            (r#"{"error":"something broke"}"#, None, Some("something broke"), vec![]),
            (
                r#"{"title":"Bad Request","detail":"the record is wrong","status":400}"#,
                None,
                Some("the record is wrong"),
                vec![],
            ),
            (
                r#"{"errors":{"business_details.website":["not a URL","too long"]}}"#,
                None,
                None,
                vec![
                    field("business_details.website", "", "not a URL"),
                    field("business_details.website", "", "too long"),
                ],
            ),
            (
                r#"{"message":"m","errors":["first", {"message":"second"}]}"#,
                None,
                Some("m"),
                vec![
                    FieldError { field: None, code: String::new(), message: "first".into() },
                    FieldError { field: None, code: String::new(), message: "second".into() },
                ],
            ),
            (r#""just a string""#, None, Some("just a string"), vec![]),
            ("upstream said no\r\n", None, Some("upstream said no"), vec![]),
            (r#"{"code": 1234, "message": "numeric code"}"#, Some("1234"), Some("numeric code"), vec![]),
        ];
        for (body, code, message, errors) in cases {
            let read = read(body);
            assert_eq!(read.code.as_deref(), code, "{body}");
            assert_eq!(read.message.as_deref(), message, "{body}");
            assert_eq!(read.errors, errors, "{body}");
            assert_eq!(read.excerpt, None, "{body}");
        }
    }

    #[test]
    fn unknown_shapes_are_described_never_quoted_as_markup() {
        let described = |body: &[u8]| {
            read_error_body(body, &Scrubber::new("key-AAAA-1111", "secret-BBBB-2222")).excerpt.unwrap_or_default()
        };
        assert_eq!(read("").excerpt, None);
        assert_eq!(read("  \n").excerpt, None);
        assert_eq!(described(br#"{"unexpected":{"nested":true}}"#), r#""{\"unexpected\":{\"nested\":true}}""#);
        assert_eq!(described(b"[1,2]"), "\"[1,2]\"");
        assert_eq!(
            described(b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
            "an HTML page headed \"502 Bad Gateway\""
        );
        assert_eq!(described(b"<!DOCTYPE html><html><p>x</p></html>"), "an HTML page");
        assert_eq!(described(&[0xff, 0xfe, 0x00, 0x41]), "4 bytes that are not text");
        // Plain text with a tag in it keeps its words, not the tag.
        assert_eq!(read("failed: <script>alert(1)</script> retry").message.as_deref(), Some("failed: alert(1) retry"));
    }

    #[test]
    fn server_text_is_scrubbed_before_it_is_shortened() {
        // The secret straddles the 300-character cut: scrubbing after cutting would keep its start.
        let message = format!("{}secret-BBBB-2222 and more", "x".repeat(290));
        let answer = read(&serde_json::json!({ "code": "c", "message": message }).to_string());
        let kept = answer.message.unwrap();
        assert!(!kept.contains("secret-BB") && !kept.contains("BBBB"), "{kept}");
        assert!(kept.starts_with(&"x".repeat(290)), "{kept}");
        // JSON escapes hide it from a scrub of the raw body; the parsed text is scrubbed again.
        let escaped = read(r#"{"message":"echo \u0073ecret-BBBB-2222 and key\u002dAAAA-1111"}"#);
        assert_eq!(escaped.message.as_deref(), Some("echo [redacted] and [redacted]"));
        let field = read(r#"{"code":"c","message":"m","source":"secret-BBBB-2222"}"#);
        assert_eq!(field.errors[0].field.as_deref(), Some("[redacted]"));
    }

    #[test]
    fn field_paths_are_normalized() {
        for (raw, path) in [
            ("business_person_list[0].identification.id_number", "business_person_list[0].identification.id_number"),
            ("business_person_list.0.identification.id_number", "business_person_list[0].identification.id_number"),
            ("/business_person_list/1/basic_info/birth_date", "business_person_list[1].basic_info.birth_date"),
            ("#/business_details/website", "business_details.website"),
            ("$.business_details.website", "business_details.website"),
            ("body.registration_address.registration_address_city", "registration_address.registration_address_city"),
            (
                "business_details.business_identifier_document_list.2",
                "business_details.business_identifier_document_list[2]",
            ),
            (
                "/business_details/business_identifier_document_list/02",
                "business_details.business_identifier_document_list[2]",
            ),
            (" business_details.website ", "business_details.website"),
            ("grid[1][0]", "grid[1][0]"),
            ("0.a", "0.a"),
            ("some field", "some field"),
            ("a/b", "a/b"),
            ("a[", "a["),
            ("/", "/"),
        ] {
            assert_eq!(normalize_field_path(raw), path, "{raw}");
        }
    }
}
