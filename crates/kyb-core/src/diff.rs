//! What changes between two records, field by field, by JSON path.
//!
//! Both records are serialized with the partner's JSON names and compared leaf by leaf; list
//! elements are compared by position (`business_person_list[1].basic_info.first_name_english`).
//! Values are rendered as text (dates as RFC 3339, amounts as exact decimals). An absent field
//! and `null` are the same; unchanged fields are left out; amounts that differ only in trailing
//! zeros (`10.5` / `10.50`) are unchanged.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::model::UpdateCustomerRequest;

/// One field whose value differs. `before` is absent for an added value, `after` for a removed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<String>,
}

/// Every field that differs between `base` and `edited`, in document order.
pub fn diff_update(base: &UpdateCustomerRequest, edited: &UpdateCustomerRequest) -> Vec<FieldChange> {
    let base = serde_json::to_value(base).expect("the model always serializes");
    let edited = serde_json::to_value(edited).expect("the model always serializes");
    diff_values(&base, &edited)
}

/// The same comparison on any two JSON values.
pub fn diff_values(base: &Value, edited: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    walk(Some(base), Some(edited), String::new(), &mut changes);
    changes
}

fn walk(base: Option<&Value>, edited: Option<&Value>, path: String, out: &mut Vec<FieldChange>) {
    let is_container = |v: Option<&Value>| matches!(v, Some(Value::Object(_) | Value::Array(_)));
    if is_container(base) || is_container(edited) {
        // A scalar replaced by a container (or the reverse) is a removed leaf plus added leaves.
        leaf(scalar(base), scalar(edited), &path, out);
        let (base_map, edited_map) = (object(base), object(edited));
        if base_map.is_some() || edited_map.is_some() {
            let mut keys: Vec<&String> = edited_map.into_iter().flat_map(|m| m.keys()).collect();
            for key in base_map.into_iter().flat_map(|m| m.keys()) {
                if !edited_map.is_some_and(|m| m.contains_key(key)) {
                    keys.push(key);
                }
            }
            for key in keys {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(base_map.and_then(|m| m.get(key)), edited_map.and_then(|m| m.get(key)), child, out);
            }
        }
        let (base_items, edited_items) = (array(base), array(edited));
        let len = base_items.map_or(0, Vec::len).max(edited_items.map_or(0, Vec::len));
        for i in 0..len {
            walk(
                base_items.and_then(|a| a.get(i)),
                edited_items.and_then(|a| a.get(i)),
                format!("{path}[{i}]"),
                out,
            );
        }
        return;
    }
    leaf(base, edited, &path, out);
}

fn scalar(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !matches!(v, Value::Object(_) | Value::Array(_)))
}

fn object(v: Option<&Value>) -> Option<&serde_json::Map<String, Value>> {
    match v {
        Some(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn array(v: Option<&Value>) -> Option<&Vec<Value>> {
    match v {
        Some(Value::Array(items)) => Some(items),
        _ => None,
    }
}

fn leaf(base: Option<&Value>, edited: Option<&Value>, path: &str, out: &mut Vec<FieldChange>) {
    let before = base.and_then(render);
    let after = edited.and_then(render);
    let same = match (&before, &after) {
        (Some(a), Some(b)) if a == b => true,
        (Some(a), Some(b)) => both_numbers(base, edited) && decimal(a).is_some() && decimal(a) == decimal(b),
        (None, None) => true,
        _ => false,
    };
    if !same {
        out.push(FieldChange { path: path.to_owned(), before, after });
    }
}

fn both_numbers(a: Option<&Value>, b: Option<&Value>) -> bool {
    matches!((a, b), (Some(Value::Number(_)), Some(Value::Number(_))))
}

pub(crate) fn decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text)).ok()
}

/// A scalar as the text shown for it (`None` for `null` and for objects and lists).
pub(crate) fn render(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_strict;

    fn record(json: &str) -> UpdateCustomerRequest {
        parse_strict(json).unwrap()
    }

    fn sorted(mut changes: Vec<FieldChange>) -> Vec<FieldChange> {
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        changes
    }

    fn change(path: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange { path: path.into(), before: before.map(Into::into), after: after.map(Into::into) }
    }

    #[test]
    fn identical_records_have_no_changes() {
        let r = record(r#"{"business_details":{"business_name_english":"A"},"account_usage":{"estimated_monthly_revenue_amount":10.5}}"#);
        assert!(diff_update(&r, &r).is_empty());
        let trailing = record(r#"{"business_details":{"business_name_english":"A"},"account_usage":{"estimated_monthly_revenue_amount":10.50}}"#);
        assert!(diff_update(&r, &trailing).is_empty(), "10.5 and 10.50 are the same amount");
    }

    #[test]
    fn changed_added_and_removed_fields_by_path() {
        let base = record(
            r#"{"business_details":{"business_name_english":"Acme","website":"http://acme.example"},
                "account_usage":{"estimated_monthly_revenue_amount":99.99},
                "business_person_list":[{"basic_info":{"first_name_english":"Ann","birth_date":"1980-01-02T00:00:00Z"}},
                                        {"basic_info":{"first_name_english":"Bob"}}]}"#,
        );
        let edited = record(
            r#"{"business_details":{"business_name_english":"Acme","website":"https://acme.example","business_name":"アクメ"},
                "account_usage":{"estimated_monthly_revenue_amount":"100.00"},
                "business_person_list":[{"basic_info":{"first_name_english":"Ann","birth_date":"1980-01-03T00:00:00Z"}}]}"#,
        );
        assert_eq!(
            sorted(diff_update(&base, &edited)),
            vec![
                change("account_usage.estimated_monthly_revenue_amount", Some("99.99"), Some("100.00")),
                change("business_details.business_name", None, Some("アクメ")),
                change("business_details.website", Some("http://acme.example"), Some("https://acme.example")),
                change("business_person_list[0].basic_info.birth_date", Some("1980-01-02T00:00:00Z"), Some("1980-01-03T00:00:00Z")),
                change("business_person_list[1].basic_info.first_name_english", Some("Bob"), None),
            ]
        );
    }

    #[test]
    fn list_elements_compare_by_position() {
        let base = record(r#"{"business_details":{"business_identifier_document_list":["f1","f2"]}}"#);
        let edited = record(r#"{"business_details":{"business_identifier_document_list":["f1","f3","f4"]}}"#);
        assert_eq!(
            sorted(diff_update(&base, &edited)),
            vec![
                change("business_details.business_identifier_document_list[1]", Some("f2"), Some("f3")),
                change("business_details.business_identifier_document_list[2]", None, Some("f4")),
            ]
        );
    }

    #[test]
    fn empty_string_differs_from_absent() {
        let base = record(r#"{"primary_contact":{}}"#);
        let edited = record(r#"{"primary_contact":{"contact_email":""}}"#);
        assert_eq!(diff_update(&base, &edited), vec![change("primary_contact.contact_email", None, Some(""))]);
    }
}
