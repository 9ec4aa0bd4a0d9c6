//! What changes between two records, field by field, by JSON path.
//!
//! Both records are serialized with the partner's JSON names and compared leaf by leaf; list
//! elements are compared by position (`business_person_list[1].basic_info.first_name_english`).
//! Values are rendered as text (dates as RFC 3339, amounts as exact decimals). An absent field
//! and `null` are the same; unchanged fields are left out; amounts that differ only in trailing
//! zeros (`10.5` / `10.50`) are unchanged.
//!
//! [`diff_view`] is the same comparison as the officer reads it: in form order, grouped by
//! section and by representative (an added or removed person is one group), every field by its
//! label, dates as dates. [`FieldChange`] stays the exact record of what is sent (approvals
//! hash it); the view is only for people.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::field_labels::{
    display_value, kind_at, label_parts, person_name, place, FieldKind, PERSONS_KEY, PERSON_SECTIONS, SECTIONS,
};
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
            walk(base_items.and_then(|a| a.get(i)), edited_items.and_then(|a| a.get(i)), format!("{path}[{i}]"), out);
        }
        return;
    }
    leaf(base, edited, &path, out);
}

/// What happened to a group of the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GroupChange {
    /// A section or a representative kept, with fields changed.
    Changed,
    /// A representative added: every row is a field of theirs.
    Added,
    /// A representative removed: every row is a field they had.
    Removed,
}

/// One changed field as the officer reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiffRow {
    /// The field's path in the edited record (in the base record for a removed person).
    pub path: String,
    /// Its name inside the group: "ID number", "Residential address › City", "Business
    /// document 2".
    pub label: String,
    pub kind: FieldKind,
    /// The value shown (a date as `2031-03-15`; a file as its `file_id`, named in
    /// [`DiffView::files`]); absent when the field was empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<String>,
}

/// A section, or a representative, with its changed fields in form order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiffGroup {
    /// `business_details`, `business_person_list[1]`, …
    pub key: String,
    /// "Business details", "Person 2 (Jane Doe)", "Person 2 added: Jane Doe", "Person 1 removed:
    /// Ann Lee".
    pub label: String,
    pub change: GroupChange,
    pub rows: Vec<DiffRow>,
}

/// A document a row names by `file_id`, as this machine knows it (the app fills these from its
/// local copies; a file without a copy is not listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiffFile {
    pub file_id: String,
    pub file_name: String,
    pub media_type: String,
}

/// The diff in form order, grouped, for the Review changes screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiffView {
    pub groups: Vec<DiffGroup>,
    /// How many fields change (the rows of every group).
    #[ts(type = "number")]
    pub field_count: u64,
    #[serde(default)]
    pub files: Vec<DiffFile>,
    /// The exact changes by path ([`diff_values`]: by position, values as stored), for what
    /// compares changes rather than shows them (the lost-update check's "only theirs").
    pub changes: Vec<FieldChange>,
}

impl DiffView {
    /// Every `file_id` a row shows, once each, in order.
    pub fn file_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let rows = self.groups.iter().flat_map(|g| &g.rows).filter(|r| r.kind == FieldKind::File);
        for id in rows.flat_map(|r| [&r.before, &r.after]).flatten() {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        ids
    }
}

/// [`diff_update`] as the officer reads it.
pub fn diff_view_update(base: &UpdateCustomerRequest, edited: &UpdateCustomerRequest) -> DiffView {
    let base = serde_json::to_value(base).expect("the model always serializes");
    let edited = serde_json::to_value(edited).expect("the model always serializes");
    diff_view(&base, &edited)
}

/// The changes from `base` to `edited` (records as JSON) in form order: the sections, then each
/// representative of `edited` (matched to the base's by position when unchanged there, else by ID
/// number, else by name, else by position), then the representatives removed; fields the form
/// does not know come last, named by their paths.
pub fn diff_view(base: &Value, edited: &Value) -> DiffView {
    let mut groups = Vec::new();
    for section in &SECTIONS {
        let rows = section_rows(base.get(section.key), edited.get(section.key), section.key, edited);
        if !rows.is_empty() {
            let label = section.label.to_owned();
            groups.push(DiffGroup { key: section.key.to_owned(), label, change: GroupChange::Changed, rows });
        }
    }
    groups.extend(person_groups(base, edited));
    let known = |key: &str| key == PERSONS_KEY || SECTIONS.iter().any(|s| s.key == key);
    let other: Vec<DiffRow> = diff_values(&without(base, &known), &without(edited, &known))
        .into_iter()
        .map(|c| DiffRow {
            label: c.path.clone(),
            path: c.path,
            kind: FieldKind::Text,
            before: c.before,
            after: c.after,
        })
        .collect();
    if !other.is_empty() {
        groups.push(DiffGroup {
            key: "other".into(),
            label: "Other fields".into(),
            change: GroupChange::Changed,
            rows: other,
        });
    }
    let field_count = groups.iter().map(|g| g.rows.len() as u64).sum();
    DiffView { groups, field_count, files: Vec::new(), changes: diff_values(base, edited) }
}

/// `value` without the top-level members `known` accepts.
fn without(value: &Value, known: &dyn Fn(&str) -> bool) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().filter(|(k, _)| !known(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        other => other.clone(),
    }
}

/// The changed fields of one top-level section, in form order.
fn section_rows(base: Option<&Value>, edited: Option<&Value>, section: &str, record: &Value) -> Vec<DiffRow> {
    let null = Value::Null;
    let mut rows: Vec<(usize, usize, DiffRow)> = diff_values(base.unwrap_or(&null), edited.unwrap_or(&null))
        .into_iter()
        .map(|change| {
            let path = format!("{section}.{}", change.path);
            let key = change.path.split(['.', '[']).next().unwrap_or_default();
            let index = change.path.find('[').and_then(|at| change.path[at + 1..].trim_end_matches(']').parse().ok());
            let order = place(&SECTIONS, section, Some(key)).and_then(|p| p.field).map_or(usize::MAX, |(i, _)| i);
            (order, index.unwrap_or(0), row(path, change.before, change.after, Some(record)))
        })
        .collect();
    rows.sort_by_key(|(order, index, _)| (*order, *index));
    rows.into_iter().map(|(_, _, row)| row).collect()
}

fn row(path: String, before: Option<String>, after: Option<String>, record: Option<&Value>) -> DiffRow {
    let kind = kind_at(&path);
    let label = match label_parts(&path, record) {
        Some((_, field)) if !field.is_empty() => field,
        _ => path.clone(),
    };
    let shown = |v: Option<String>| v.map(|v| display_value(kind, &v));
    DiffRow { label, kind, before: shown(before), after: shown(after), path }
}

/// One group per representative whose fields changed, added or removed.
fn person_groups(base: &Value, edited: &Value) -> Vec<DiffGroup> {
    let empty = Vec::new();
    let list = |record: &Value| record.get(PERSONS_KEY).and_then(Value::as_array).unwrap_or(&empty).clone();
    let (before, after) = (list(base), list(edited));
    let matched = match_persons(&before, &after);
    let mut groups = Vec::new();
    for (i, person) in after.iter().enumerate() {
        let prefix = format!("{PERSONS_KEY}[{i}]");
        let name = person_name(Some(person));
        match matched[i] {
            Some(j) => {
                let rows = person_rows(before.get(j), Some(person), &prefix, edited);
                if rows.is_empty() && i == j {
                    continue;
                }
                let mut label = match &name {
                    Some(name) => format!("Person {} ({name})", i + 1),
                    None => format!("Person {}", i + 1),
                };
                if i != j {
                    label.push_str(&format!(", was person {}", j + 1));
                }
                groups.push(DiffGroup { key: prefix, label, change: GroupChange::Changed, rows });
            }
            None => {
                let label = match &name {
                    Some(name) => format!("Person {} added: {name}", i + 1),
                    None => format!("Person {} added", i + 1),
                };
                let rows = person_rows(None, Some(person), &prefix, edited);
                groups.push(DiffGroup { key: prefix, label, change: GroupChange::Added, rows });
            }
        }
    }
    for (j, person) in before.iter().enumerate() {
        if matched.contains(&Some(j)) {
            continue;
        }
        let prefix = format!("{PERSONS_KEY}[{j}]");
        let label = match person_name(Some(person)) {
            Some(name) => format!("Person {} removed: {name}", j + 1),
            None => format!("Person {} removed", j + 1),
        };
        let rows = person_rows(Some(person), None, &prefix, base);
        groups.push(DiffGroup { key: prefix, label, change: GroupChange::Removed, rows });
    }
    groups
}

/// For each edited representative, the base representative it continues (see [`diff_view`]).
fn match_persons(before: &[Value], after: &[Value]) -> Vec<Option<usize>> {
    let mut matched: Vec<Option<usize>> = vec![None; after.len()];
    let mut taken = vec![false; before.len()];
    let id_number = |p: &Value| {
        let id = p.get("identification")?.get("id_number")?.as_str()?.trim().to_owned();
        (!id.is_empty()).then_some(id)
    };
    let name = |p: &Value| person_name(Some(p)).map(|n| n.to_lowercase());
    let keys: [&dyn Fn(&Value, &Value, usize, usize) -> bool; 4] = [
        &|a, b, i, j| i == j && a == b,
        &|a, b, _, _| id_number(a).is_some() && id_number(a) == id_number(b),
        &|a, b, _, _| name(a).is_some() && name(a) == name(b),
        &|_, _, i, j| i == j,
    ];
    for same in keys {
        for (i, person) in after.iter().enumerate() {
            if matched[i].is_some() {
                continue;
            }
            if let Some(j) = (0..before.len()).find(|&j| !taken[j] && same(person, &before[j], i, j)) {
                matched[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    matched
}

/// A representative's changed fields (all of them for an added or removed one), in form order.
fn person_rows(base: Option<&Value>, edited: Option<&Value>, prefix: &str, record: &Value) -> Vec<DiffRow> {
    let null = Value::Null;
    let mut rows: Vec<((usize, usize), DiffRow)> = diff_values(base.unwrap_or(&null), edited.unwrap_or(&null))
        .into_iter()
        .map(|change| {
            let mut parts = change.path.splitn(2, '.');
            let (section, key) = (parts.next().unwrap_or_default(), parts.next());
            let order = place(&PERSON_SECTIONS, section, key)
                .map_or((usize::MAX, usize::MAX), |p| (p.section_index, p.field.map_or(usize::MAX, |(i, _)| i)));
            let path = format!("{prefix}.{}", change.path);
            (order, row(path, change.before, change.after, Some(record)))
        })
        .collect();
    rows.sort_by_key(|(order, _)| *order);
    rows.into_iter().map(|(_, row)| row).collect()
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
        let r = record(
            r#"{"business_details":{"business_name_english":"A"},"account_usage":{"estimated_monthly_revenue_amount":10.5}}"#,
        );
        assert!(diff_update(&r, &r).is_empty());
        let trailing = record(
            r#"{"business_details":{"business_name_english":"A"},"account_usage":{"estimated_monthly_revenue_amount":10.50}}"#,
        );
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
                change(
                    "business_person_list[0].basic_info.birth_date",
                    Some("1980-01-02T00:00:00Z"),
                    Some("1980-01-03T00:00:00Z")
                ),
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

    fn labels(view: &DiffView) -> Vec<(String, Vec<String>)> {
        view.groups.iter().map(|g| (g.label.clone(), g.rows.iter().map(|r| r.label.clone()).collect())).collect()
    }

    #[test]
    fn the_view_is_in_form_order_grouped_and_labelled() {
        let base = serde_json::json!({
            "primary_contact": {"contact_email": "a@b.example"},
            "business_details": {"website": "http://acme.example", "business_name_english": "Acme"},
            "business_person_list": [{"basic_info": {"first_name_english": "Ann", "last_name_english": "Lee"},
                                      "identification": {"id_number": "A1", "id_expiration_date": "2030-01-31T00:00:00Z"}}]
        });
        let edited = serde_json::json!({
            "primary_contact": {"contact_email": "ann@b.example"},
            "business_details": {"website": "https://acme.example", "business_name_english": "Acme Ltd",
                                 "business_identifier_document_list": ["f-reg"]},
            "business_person_list": [{"basic_info": {"first_name_english": "Ann", "last_name_english": "Lee"},
                                      "identification": {"id_number": "A1", "id_expiration_date": "2031-03-15T00:00:00Z"}}]
        });
        let view = diff_view(&base, &edited);
        assert_eq!(
            labels(&view),
            vec![
                (
                    "Business details".to_owned(),
                    vec!["Business name (English)".to_owned(), "Website".into(), "Business document 1".into()]
                ),
                ("Primary contact".to_owned(), vec!["Email".to_owned()]),
                ("Person 1 (Ann Lee)".to_owned(), vec!["ID expiry date".to_owned()]),
            ]
        );
        let expiry = &view.groups[2].rows[0];
        assert_eq!((expiry.before.as_deref(), expiry.after.as_deref()), (Some("2030-01-31"), Some("2031-03-15")));
        assert_eq!(expiry.path, "business_person_list[0].identification.id_expiration_date");
        assert_eq!(view.field_count, 5);
        assert_eq!(view.file_ids(), vec!["f-reg".to_owned()]);
        assert_eq!(view.groups[0].rows[2].kind, FieldKind::File);
    }

    #[test]
    fn an_added_person_is_one_group_and_a_removed_one_too() {
        let ann = serde_json::json!({"basic_info": {"first_name_english": "Ann", "last_name_english": "Lee"},
                                     "identification": {"id_number": "A1"}});
        let bob = serde_json::json!({"basic_info": {"first_name_english": "Bob", "last_name_english": "Ray"}});
        let jane = serde_json::json!({"basic_info": {"first_name_english": "Jane", "last_name_english": "Doe", "birth_date": "1990-05-06T00:00:00Z"},
                                      "identification": {"id_number": "J9", "id_document_front_file_id": "f-j"}});
        // Bob (person 1) removed, Ann moves up, Jane added.
        let base = serde_json::json!({"business_person_list": [bob, ann]});
        let edited = serde_json::json!({"business_person_list": [ann, jane]});
        let view = diff_view(&base, &edited);
        let groups: Vec<(&str, GroupChange, usize)> =
            view.groups.iter().map(|g| (g.label.as_str(), g.change, g.rows.len())).collect();
        assert_eq!(
            groups,
            vec![
                ("Person 1 (Ann Lee), was person 2", GroupChange::Changed, 0),
                ("Person 2 added: Jane Doe", GroupChange::Added, 5),
                ("Person 1 removed: Bob Ray", GroupChange::Removed, 2),
            ]
        );
        let added: Vec<&str> = view.groups[1].rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            added,
            ["First name (English)", "Last name (English)", "Date of birth", "ID number", "ID front image"]
        );
        assert_eq!(view.groups[1].rows[2].after.as_deref(), Some("1990-05-06"));
        assert!(view.groups[2]
            .rows
            .iter()
            .all(|r| r.after.is_none() && r.path.starts_with("business_person_list[0].")));
        assert!(diff_view(&edited, &edited).groups.is_empty());
    }

    #[test]
    fn unknown_fields_come_last_by_path_and_odd_shapes_never_panic() {
        let view = diff_view(
            &serde_json::json!({"extra": 1}),
            &serde_json::json!({"extra": 2, "business_details": {"zzz": "x"}}),
        );
        assert_eq!(
            labels(&view),
            vec![
                ("Business details".to_owned(), vec!["business_details.zzz".to_owned()]),
                ("Other fields".to_owned(), vec!["extra".to_owned()]),
            ]
        );
        for (a, b) in [
            (serde_json::json!(null), serde_json::json!([1])),
            (
                serde_json::json!({"business_person_list": "x"}),
                serde_json::json!({"business_person_list": [null, 3, {"basic_info": 7}]}),
            ),
            (
                serde_json::json!({"business_details": 5}),
                serde_json::json!({"business_details": {"business_identifier_document_list": [[1]]}}),
            ),
        ] {
            let _ = diff_view(&a, &b);
        }
    }
}
