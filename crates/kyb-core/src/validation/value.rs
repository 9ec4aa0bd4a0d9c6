//! Validation of a record that arrives as JSON from the desktop page.
//!
//! A page can send a value that is not even of its field's type (an amount typed as `12,5`, a
//! date that is not a date) or a field the model does not have. Instead of one parse error for
//! the whole record, each such value becomes an [`Issue`] on its own path (`invalid_format`,
//! `unknown_field`), the value is set aside, and the rest of the record is still validated, so
//! the page can show every problem at once.

use serde_json::Value;

use super::{validate_update, Issue, IssueCode, IssueSource, ValidationContext};
use crate::model::UpdateCustomerRequest;

/// Most values set aside before giving up (a page would have to send a very broken record).
const MAX_FORMAT_ERRORS: usize = 64;

/// Every problem with a page's record: values that cannot be read and unknown fields first,
/// then the rules of [`validate_update`] for everything that could be read. Empty when valid.
pub fn validate_update_value(value: &Value, ctx: &ValidationContext) -> Vec<Issue> {
    let (record, mut issues) = read_update_value(value);
    if let Some(record) = record {
        let unreadable: Vec<String> =
            issues.iter().filter(|i| i.code == IssueCode::InvalidFormat).map(|i| i.path.clone()).collect();
        issues.extend(
            validate_update(&record, ctx)
                .into_iter()
                // A value set aside would otherwise also be reported as missing.
                .filter(|issue| !unreadable.iter().any(|path| is_at_or_below(&issue.path, path))),
        );
    }
    issues
}

/// The record, when every value can be read and every field is known; else the issues.
pub fn parse_update_value(value: &Value) -> Result<UpdateCustomerRequest, Vec<Issue>> {
    match read_update_value(value) {
        (Some(record), issues) if issues.is_empty() => Ok(record),
        (_, issues) => Err(issues),
    }
}

/// The record with unreadable values set aside (absent when even that fails), and the issues
/// for those values and for unknown fields.
fn read_update_value(value: &Value) -> (Option<UpdateCustomerRequest>, Vec<Issue>) {
    if !value.is_object() {
        // serde would read a list as the struct's fields in order: refuse anything but an object.
        return (None, vec![format_issue("", "expected an object")]);
    }
    let mut value = value.clone();
    let mut issues: Vec<Issue> = set_aside_misshapen(&mut value);
    let mut last_path: Option<(String, usize)> = None;
    loop {
        let mut unknown: Vec<String> = Vec::new();
        let mut on_ignored = |path: serde_ignored::Path<'_>| {
            let path = render_ignored(&path);
            if !unknown.contains(&path) {
                unknown.push(path);
            }
        };
        let ignoring = serde_ignored::Deserializer::new(&value, &mut on_ignored);
        let result: Result<UpdateCustomerRequest, _> = serde_path_to_error::deserialize(ignoring);
        let unknown_issues = || {
            unknown.iter().map(|path| Issue {
                path: path.clone(),
                code: IssueCode::UnknownField,
                source: IssueSource::Partner,
                message: format!("`{path}` is not a field of the record (a typo?); it would not be sent."),
            })
        };
        match result {
            Ok(record) => {
                let mut all: Vec<Issue> = unknown_issues().collect();
                all.append(&mut issues);
                // Unreadable values first would hide the order of the fields; keep unknown
                // fields and unreadable values each in the order found.
                return (Some(record), all);
            }
            Err(err) => {
                let path = err.path().to_string();
                let path = if path == "." { String::new() } else { path };
                let detail = err.into_inner().to_string();
                // Retrying the same path means the placeholder did not fit either: try the next.
                let attempt = match &last_path {
                    Some((p, n)) if *p == path => n + 1,
                    _ => 0,
                };
                if attempt == 0 {
                    issues.push(format_issue(&path, &detail));
                }
                let placeholder = match attempt {
                    0 => Some(Value::Null),
                    1 => Some(Value::String(String::new())),
                    2 => Some(Value::Object(Default::default())),
                    _ => None,
                };
                let replaced = placeholder.is_some_and(|p| !path.is_empty() && replace_at(&mut value, &path, p));
                if !replaced || issues.len() > MAX_FORMAT_ERRORS {
                    let mut all: Vec<Issue> = unknown_issues().collect();
                    all.append(&mut issues);
                    return (None, all);
                }
                last_path = Some((path, attempt));
            }
        }
    }
}

/// The sections and a person's parts: JSON objects in the API.
const OBJECT_SECTIONS: [&str; 4] = ["business_details", "registration_address", "account_usage", "primary_contact"];
const PERSON_PARTS: [&str; 3] = ["basic_info", "residential_address", "identification"];

/// Values serde would read without complaint although the API has another type: an array where
/// a section is an object (serde reads an array as the struct's fields in order), and anything
/// but a number or decimal text where the amount is (the exact-decimal reader would report a
/// path inside it). Each is set aside (null) with an `invalid_format` issue on its own path.
fn set_aside_misshapen(value: &mut Value) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut set_aside = |slot: &mut Value, path: String, what: &str| {
        issues.push(format_issue(&path, what));
        *slot = Value::Null;
    };
    for section in OBJECT_SECTIONS {
        if let Some(slot @ Value::Array(_)) = value.get_mut(section) {
            set_aside(slot, section.to_owned(), "invalid type: sequence, expected an object");
        }
    }
    if let Some(Value::Array(people)) = value.get_mut("business_person_list") {
        for (index, person) in people.iter_mut().enumerate() {
            for part in PERSON_PARTS {
                if let Some(slot @ Value::Array(_)) = person.get_mut(part) {
                    let path = format!("business_person_list[{index}].{part}");
                    set_aside(slot, path, "invalid type: sequence, expected an object");
                }
            }
        }
    }
    let amount = value.get_mut("account_usage").and_then(|usage| usage.get_mut("estimated_monthly_revenue_amount"));
    if let Some(slot @ (Value::Array(_) | Value::Object(_) | Value::Bool(_))) = amount {
        set_aside(slot, "account_usage.estimated_monthly_revenue_amount".to_owned(), "expected a number");
    }
    issues
}

fn format_issue(path: &str, detail: &str) -> Issue {
    let field = path.rsplit('.').next().unwrap_or(path);
    let message = if path.is_empty() {
        format!("The record is not a JSON object of sections: {detail}.")
    } else if field.ends_with("_amount") {
        "This is not a number: use digits with a dot for decimals, e.g. 1250.50.".to_owned()
    } else if field.ends_with("_date") {
        "This is not a date: use YYYY-MM-DD (sent as 2023-11-07T00:00:00Z).".to_owned()
    } else {
        format!("This value cannot be read: {detail}.")
    };
    Issue { path: path.to_owned(), code: IssueCode::InvalidFormat, source: IssueSource::Partner, message }
}

/// `path` is `prefix` or a field or element below it.
fn is_at_or_below(path: &str, prefix: &str) -> bool {
    path == prefix
        || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Replace the value at `a.b[1].c` with `replacement`; false when the path does not exist.
fn replace_at(root: &mut Value, path: &str, replacement: Value) -> bool {
    let mut current = root;
    for segment in path.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            match current.get_mut(key) {
                Some(next) => current = next,
                None => return false,
            }
        }
        for index in indices.split('[').skip(1) {
            let Some(index) = index.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()) else {
                return false;
            };
            match current.get_mut(index) {
                Some(next) => current = next,
                None => return false,
            }
        }
    }
    *current = replacement;
    true
}

fn render_ignored(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", render_ignored(parent)),
        Path::Map { parent, key } => {
            let parent = render_ignored(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => {
            render_ignored(parent)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use serde_json::json;

    fn ctx() -> ValidationContext {
        ValidationContext::on(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    }

    #[test]
    fn replace_at_follows_fields_and_indices() {
        let mut v = json!({"a": [{"b": 1}, {"b": [5, 6]}]});
        assert!(replace_at(&mut v, "a[1].b[0]", Value::Null));
        assert_eq!(v, json!({"a": [{"b": 1}, {"b": [null, 6]}]}));
        assert!(!replace_at(&mut v, "a[2].b", Value::Null));
        assert!(!replace_at(&mut v, "x.y", Value::Null));
    }

    #[test]
    fn unreadable_values_become_issues_on_their_paths_and_the_rest_is_still_checked() {
        let value = json!({
            "business_details": {"business_name_english": "Acme", "business_identifier_start_date": "07/11/2023"},
            "account_usage": {"estimated_monthly_revenue_amount": "12,5", "estimated_monthly_revenue_currency": "usd"},
            "primary_contact": {"contact_email": "x@example.com", "fax": "1"},
            "business_person_list": [{"basic_info": {"first_nam": "A", "birth_date": 5}}]
        });
        let issues = validate_update_value(&value, &ctx());
        let find = |path: &str| issues.iter().filter(|i| i.path == path).map(|i| i.code).collect::<Vec<_>>();
        assert_eq!(find("account_usage.estimated_monthly_revenue_amount"), [IssueCode::InvalidFormat]);
        assert_eq!(find("business_details.business_identifier_start_date"), [IssueCode::InvalidFormat]);
        assert_eq!(find("business_person_list[0].basic_info.birth_date"), [IssueCode::InvalidFormat]);
        assert_eq!(find("primary_contact.fax"), [IssueCode::UnknownField]);
        assert_eq!(find("business_person_list[0].basic_info.first_nam"), [IssueCode::UnknownField]);
        // ...and the rules still ran on what could be read.
        assert_eq!(find("account_usage.estimated_monthly_revenue_currency"), [IssueCode::LowercaseCurrency]);
        assert!(issues.iter().any(|i| i.path == "business_details.business_type" && i.code == IssueCode::Required));
        assert!(parse_update_value(&value).is_err());
    }

    #[test]
    fn amounts_as_strings_or_numbers_are_exact() {
        for amount in [json!("99.99"), json!(99.99)] {
            let value = json!({"account_usage": {"estimated_monthly_revenue_amount": amount}});
            let record = parse_update_value(&value).unwrap();
            assert_eq!(
                record.account_usage.unwrap().estimated_monthly_revenue_amount.unwrap().to_string(),
                "99.99"
            );
        }
    }

    #[test]
    fn a_bad_list_element_is_reported_once() {
        let value = json!({"business_details": {"business_identifier_document_list": ["f1", 7, "f3"]}});
        let issues = validate_update_value(&value, &ctx());
        let at: Vec<_> = issues
            .iter()
            .filter(|i| i.path.starts_with("business_details.business_identifier_document_list"))
            .collect();
        assert_eq!(at.len(), 1, "{issues:#?}");
        assert_eq!(at[0].path, "business_details.business_identifier_document_list[1]");
        assert_eq!(at[0].code, IssueCode::InvalidFormat);
    }

    #[test]
    fn a_record_that_is_not_an_object_is_one_issue() {
        let issues = validate_update_value(&json!([1, 2]), &ctx());
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].path, "");
        assert_eq!(issues[0].code, IssueCode::InvalidFormat);
    }
}
