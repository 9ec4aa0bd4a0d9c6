//! Checking a profile file: every problem at once, each with the JSON path where it is.
//!
//! The file is first walked as plain JSON (so one wrong type does not hide the next problem),
//! then read with serde into [`ProfileDocument`]; a value passes only when both agree.

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use super::format::{ProfileDocument, FORMAT_NAME, FORMAT_VERSION};
use super::{Enumeration, PartnerProfile};
use crate::validation::limits::{LengthBound, TEXT_MAX};
use crate::validation::tables::fold;

/// Longest profile name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// One problem in a profile file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProfileProblem {
    /// Where, as a JSON path from the top of the file (`enumerations.role_type.values[2]`);
    /// empty for the file as a whole.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ProfileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Read and check a profile file's text.
pub fn check_profile_json(text: &str) -> Result<PartnerProfile, Vec<ProfileProblem>> {
    let value: Value = serde_json::from_str(text).map_err(|err| {
        vec![ProfileProblem {
            path: String::new(),
            message: format!("not JSON: {err}"),
        }]
    })?;
    check_profile_value(&value)
}

/// Check a profile already read as JSON.
pub fn check_profile_value(value: &Value) -> Result<PartnerProfile, Vec<ProfileProblem>> {
    let mut problems = Problems::default();
    check_root(&mut problems, value);
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    // The walk above and serde's reading must agree; a disagreement is still a report, never a panic.
    match serde_json::from_value::<ProfileDocument>(value.clone()) {
        Ok(document) => Ok(PartnerProfile::from_checked(document)),
        Err(err) => Err(vec![ProfileProblem {
            path: String::new(),
            message: err.to_string(),
        }]),
    }
}

#[derive(Default)]
struct Problems(Vec<ProfileProblem>);

impl Problems {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(ProfileProblem {
            path: path.to_owned(),
            message: message.into(),
        });
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The object at `path`, or a problem; unknown keys are reported here.
fn object<'a>(
    problems: &mut Problems,
    path: &str,
    value: &'a Value,
    keys: &[&str],
) -> Option<&'a Map<String, Value>> {
    let Value::Object(map) = value else {
        problems.push(path, format!("must be an object, not {}", type_name(value)));
        return None;
    };
    for key in map.keys() {
        if !keys.contains(&key.as_str()) {
            problems.push(
                &join(path, key),
                format!("unknown key (known here: {})", keys.join(", ")),
            );
        }
    }
    Some(map)
}

fn required<'a>(
    problems: &mut Problems,
    map: &'a Map<String, Value>,
    path: &str,
    key: &str,
) -> Option<&'a Value> {
    let found = map.get(key);
    if found.is_none() {
        problems.push(&join(path, key), "is missing");
    }
    found
}

/// A whole number in `min..=max`.
fn integer(problems: &mut Problems, path: &str, value: &Value, min: u64, max: u64) -> Option<u64> {
    let Some(number) = value.as_u64() else {
        let detail = if value.is_number() {
            "a whole number not below 0".to_owned()
        } else {
            type_name(value).to_owned()
        };
        problems.push(
            path,
            format!("must be a whole number from {min} to {max}, not {detail}"),
        );
        return None;
    };
    if !(min..=max).contains(&number) {
        problems.push(
            path,
            format!("{number} is out of range: must be from {min} to {max}"),
        );
        return None;
    }
    Some(number)
}

/// A one-line text: not blank, no control characters, no spaces around it, at most `max`.
fn text<'a>(problems: &mut Problems, path: &str, value: &'a Value, max: usize) -> Option<&'a str> {
    let Value::String(text) = value else {
        problems.push(path, format!("must be text, not {}", type_name(value)));
        return None;
    };
    let mut ok = true;
    if text.trim().is_empty() {
        problems.push(path, "is blank");
        return None;
    }
    if text.trim() != text {
        problems.push(path, format!("{text:?} has spaces at its start or end"));
        ok = false;
    }
    if text.chars().any(char::is_control) {
        problems.push(
            path,
            format!("{text:?} has a control character (a line break, a tab, …)"),
        );
        ok = false;
    }
    let count = text.chars().count();
    if count > max {
        problems.push(path, format!("is {count} characters long; at most {max}"));
        ok = false;
    }
    ok.then_some(text.as_str())
}

fn check_root(problems: &mut Problems, value: &Value) {
    let Some(map) = object(
        problems,
        "",
        value,
        &[
            "format",
            "version",
            "name",
            "revision",
            "enumerations",
            "bounds",
        ],
    ) else {
        return;
    };
    if let Some(format) = required(problems, map, "", "format") {
        match format {
            Value::String(text) if text == FORMAT_NAME => {}
            other => problems.push(
                "format",
                format!(
                    "must be {FORMAT_NAME:?}: this is not a KYB Desk partner profile ({other})"
                ),
            ),
        }
    }
    if let Some(version) = required(problems, map, "", "version") {
        match version.as_u64() {
            Some(v) if v == u64::from(FORMAT_VERSION) => {}
            Some(v) => problems.push(
                "version",
                format!("unknown version {v}: this KYB Desk reads version {FORMAT_VERSION} of the profile format"),
            ),
            None => problems.push("version", format!("must be the whole number {FORMAT_VERSION}, not {}", type_name(version))),
        }
    }
    if let Some(name) = required(problems, map, "", "name") {
        text(problems, "name", name, MAX_NAME_CHARS);
    }
    if let Some(revision) = required(problems, map, "", "revision") {
        integer(problems, "revision", revision, 1, u64::from(u32::MAX));
    }
    if let Some(enumerations) = map.get("enumerations") {
        check_enumerations(problems, enumerations);
    }
    if let Some(bounds) = map.get("bounds") {
        check_bounds(problems, bounds);
    }
}

fn check_enumerations(problems: &mut Problems, value: &Value) {
    let keys: Vec<&str> = Enumeration::ALL.iter().map(|field| field.key()).collect();
    let Some(map) = object(problems, "enumerations", value, &keys) else {
        return;
    };
    for field in Enumeration::ALL {
        let Some(list) = map.get(field.key()) else {
            continue;
        };
        let path = join("enumerations", field.key());
        let is_roles = field == Enumeration::RoleType;
        let allowed: &[&str] = if is_roles {
            &["values", "closed", "representative_roles"]
        } else {
            &["values", "closed"]
        };
        let Some(list) = object(problems, &path, list, allowed) else {
            continue;
        };
        if let Some(closed) = list.get("closed") {
            if !closed.is_boolean() {
                problems.push(
                    &join(&path, "closed"),
                    format!("must be true or false, not {}", type_name(closed)),
                );
            }
        }
        let values = required(problems, list, &path, "values")
            .and_then(|v| check_values(problems, &join(&path, "values"), v));
        if is_roles {
            if let Some(roles) = required(problems, list, &path, "representative_roles") {
                let roles_path = join(&path, "representative_roles");
                if let (Some(roles), Some(values)) =
                    (check_values(problems, &roles_path, roles), values)
                {
                    for (index, role) in roles.iter().enumerate() {
                        if !values.contains(role) {
                            problems.push(
                                &format!("{roles_path}[{index}]"),
                                format!("{role:?} is not one of the role types in enumerations.role_type.values"),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// A non-empty list of distinct labels (none equal to another ignoring case, spaces and
/// punctuation: validation's near-miss rule could not tell them apart). Every label is checked;
/// the list comes back only when all are good.
fn check_values<'a>(problems: &mut Problems, path: &str, value: &'a Value) -> Option<Vec<&'a str>> {
    let Value::Array(items) = value else {
        problems.push(
            path,
            format!("must be a list of text, not {}", type_name(value)),
        );
        return None;
    };
    if items.is_empty() {
        problems.push(path, "is empty: a list needs at least one value");
        return None;
    }
    let before = problems.0.len();
    let mut seen: Vec<(String, usize, &str)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{index}]");
        let Some(label) = text(problems, &item_path, item, TEXT_MAX) else {
            continue;
        };
        let key = fold(label);
        if key.is_empty() {
            problems.push(&item_path, format!("{label:?} has no letter or digit"));
            continue;
        }
        match seen.iter().find(|(k, _, _)| *k == key) {
            Some((_, first, other)) if *other == label => {
                problems.push(&item_path, format!("{label:?} is a duplicate of {path}[{first}]"))
            }
            Some((_, first, other)) => problems.push(
                &item_path,
                format!("{label:?} is a near-duplicate of {path}[{first}] ({other:?}): they differ only in case, spaces or punctuation"),
            ),
            None => seen.push((key, index, label)),
        }
    }
    (problems.0.len() == before).then(|| seen.into_iter().map(|(_, _, label)| label).collect())
}

fn check_bounds(problems: &mut Problems, value: &Value) {
    let keys: Vec<&str> = LengthBound::ALL.iter().map(|b| b.key()).collect();
    let Some(map) = object(problems, "bounds", value, &keys) else {
        return;
    };
    for bound in LengthBound::ALL {
        if let Some(limit) = map.get(bound.key()) {
            integer(
                problems,
                &join("bounds", bound.key()),
                limit,
                1,
                bound.kyb_desk_cap() as u64,
            );
        }
    }
}
