//! Parsing JSON into the model, with errors that name the field.
//!
//! Files (drafts, CLI input) are parsed strictly: a field the model does not know is an error,
//! because it is almost always a typo that would otherwise be dropped silently. Server responses
//! are parsed leniently: a partner adding a field must not break the app.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// What went wrong while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseErrorKind {
    /// Not JSON at all, or cut short.
    Syntax,
    /// A field the model does not have (strict parsing only).
    UnknownField,
    /// A known field with a value of the wrong type or format.
    InvalidValue,
}

/// A parse failure, with the path of the field at fault (empty for the document itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub path: String,
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl ParseError {
    fn describe(&self) -> String {
        match (self.kind, self.path.is_empty()) {
            (ParseErrorKind::UnknownField, _) => format!("unknown field `{}`", self.path),
            (_, true) => format!("line {} column {}: {}", self.line, self.column, self.message),
            (_, false) => format!("`{}`: {}", self.path, self.message),
        }
    }
}

/// Parse `json`, refusing any field the model does not know.
pub fn parse_strict<T: DeserializeOwned>(json: &str) -> Result<T, ParseError> {
    let mut unknown: Option<String> = None;
    let value = parse_with(json, |path| {
        if unknown.is_none() {
            unknown = Some(path);
        }
    })?;
    match unknown {
        Some(path) => Err(ParseError {
            kind: ParseErrorKind::UnknownField,
            message: format!("unknown field `{path}`"),
            path,
            line: 0,
            column: 0,
        }),
        None => Ok(value),
    }
}

/// Parse `json`, ignoring fields the model does not know (for server responses).
pub fn parse_lenient<T: DeserializeOwned>(json: &str) -> Result<T, ParseError> {
    parse_with(json, |_| {})
}

fn parse_with<T: DeserializeOwned>(json: &str, mut on_ignored: impl FnMut(String)) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let mut callback = |path: serde_ignored::Path<'_>| on_ignored(render_ignored_path(&path));
    let ignoring = serde_ignored::Deserializer::new(&mut de, &mut callback);
    let value: T = serde_path_to_error::deserialize(ignoring).map_err(|err| {
        let path = render_error_path(err.path());
        let inner = err.into_inner();
        ParseError {
            kind: if inner.is_syntax() || inner.is_eof() { ParseErrorKind::Syntax } else { ParseErrorKind::InvalidValue },
            message: strip_position(&inner.to_string()),
            path,
            line: inner.line(),
            column: inner.column(),
        }
    })?;
    de.end().map_err(|inner| ParseError {
        kind: ParseErrorKind::Syntax,
        message: strip_position(&inner.to_string()),
        path: String::new(),
        line: inner.line(),
        column: inner.column(),
    })?;
    Ok(value)
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// `a.b[1].c` from serde_path_to_error's path (which writes `a.b[1].c` already, `.` when empty).
fn render_error_path(path: &serde_path_to_error::Path) -> String {
    let rendered = path.to_string();
    if rendered == "." {
        String::new()
    } else {
        rendered
    }
}

/// `a.b[1].c` from serde_ignored's path.
fn render_ignored_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", render_ignored_path(parent)),
        Path::Map { parent, key } => {
            let key = key.as_str();
            let parent = render_ignored_path(parent);
            if parent.is_empty() {
                key.to_owned()
            } else {
                format!("{parent}.{key}")
            }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => {
            render_ignored_path(parent)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UpdateCustomerRequest;

    #[test]
    fn strict_names_the_unknown_field_with_its_path() {
        let err = parse_strict::<UpdateCustomerRequest>(
            r#"{"business_person_list":[{},{"basic_info":{"first_nam":"A"}}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::UnknownField);
        assert_eq!(err.path, "business_person_list[1].basic_info.first_nam");
    }

    #[test]
    fn lenient_ignores_unknown_fields() {
        let parsed = parse_lenient::<UpdateCustomerRequest>(r#"{"primary_contact":{"fax":"1"}}"#).unwrap();
        assert!(parsed.primary_contact.is_some());
    }

    #[test]
    fn wrong_type_names_the_field() {
        let err = parse_strict::<UpdateCustomerRequest>(
            r#"{"account_usage":{"estimated_monthly_revenue_amount":"lots"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::InvalidValue);
        assert_eq!(err.path, "account_usage.estimated_monthly_revenue_amount");
    }

    #[test]
    fn bad_date_names_the_field() {
        let err = parse_strict::<UpdateCustomerRequest>(
            r#"{"business_details":{"business_identifier_start_date":"07/11/2023"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.path, "business_details.business_identifier_start_date");
    }

    #[test]
    fn syntax_error_reports_position() {
        let err = parse_strict::<UpdateCustomerRequest>("{\n \"business_details\": ").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Syntax);
        assert_eq!(err.line, 2);
    }

    #[test]
    fn trailing_garbage_is_a_syntax_error() {
        let err = parse_strict::<UpdateCustomerRequest>("{} x").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Syntax);
    }
}
