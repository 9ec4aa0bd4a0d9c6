//! Three-way merge for the lost-update check: base (what the draft started from), theirs (the
//! server now), mine (the draft). Fields only one side changed are taken from that side; a field
//! both changed to different values is a [`FieldConflict`] for the officer to decide. Nothing is
//! merged silently.
//!
//! Rules (the contract in `docs/drafts-outbox.md`):
//! - Objects merge key by key. Lists whose three versions have the same length merge element by
//!   element; otherwise the whole list is one field.
//! - An absent field and `null` are the same. Amounts compare as decimals (`10.5` = `10.50`, and
//!   a `…_amount` given as the text `"10.50"` equals the number `10.5`); every other value
//!   compares as its text.
//! - A field both sides changed to the same value is not a conflict.
//! - Paths are those of [`crate::diff`] (`business_person_list[1].basic_info.first_name_english`),
//!   and conflict values are rendered as text the same way (a whole object or list as compact JSON).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::diff::{decimal, diff_values, render};

/// A field both sides changed, differently. Values are rendered as text like
/// [`crate::diff::FieldChange`] (absent = the field is empty on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldConflict {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub theirs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mine: Option<String>,
}

/// The officer's choice for one conflicting field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Choice {
    Mine,
    Theirs,
}

/// What [`merge3`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeOutcome {
    /// Mine with every change only they made applied. At a conflicting path it holds mine
    /// (the record is not meant to be sent while `conflicts` is not empty).
    pub merged: Value,
    /// Fields both sides changed differently, in document order.
    pub conflicts: Vec<FieldConflict>,
    /// Paths of the fields taken from theirs (changed only on the server), in document order.
    pub taken_from_theirs: Vec<String>,
}

impl MergeOutcome {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Why [`resolve`] could not produce a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Conflicting fields without a choice.
    #[error("choose mine or theirs for every conflicting field; still open: {}", .paths.join(", "))]
    Unresolved { paths: Vec<String> },
    /// A choice for a field that is not in conflict (the server record changed again, or a typo).
    #[error("`{path}` is not a conflicting field")]
    UnknownPath { path: String },
}

/// Merge `theirs` and `mine`, both changed from `base`.
pub fn merge3(base: &Value, theirs: &Value, mine: &Value) -> MergeOutcome {
    let mut merger = Merger { choices: None, conflicts: Vec::new(), taken: Vec::new() };
    let merged = merger.merge(Some(base), Some(theirs), Some(mine), "", None).unwrap_or(Value::Null);
    MergeOutcome { merged, conflicts: merger.conflicts, taken_from_theirs: merger.taken }
}

/// [`merge3`], with every conflict settled by the officer's `choices` (path → mine or theirs).
/// Every conflicting path needs a choice ([`MergeError::Unresolved`]) and every choice must name
/// a conflicting path ([`MergeError::UnknownPath`]).
pub fn resolve(base: &Value, theirs: &Value, mine: &Value, choices: &BTreeMap<String, Choice>) -> Result<Value, MergeError> {
    let mut merger = Merger { choices: Some(choices), conflicts: Vec::new(), taken: Vec::new() };
    let merged = merger.merge(Some(base), Some(theirs), Some(mine), "", None).unwrap_or(Value::Null);
    let conflicting: BTreeSet<&str> = merger.conflicts.iter().map(|c| c.path.as_str()).collect();
    if let Some(path) = choices.keys().find(|path| !conflicting.contains(path.as_str())) {
        return Err(MergeError::UnknownPath { path: path.clone() });
    }
    let open: Vec<String> = merger.conflicts.iter().filter(|c| !choices.contains_key(&c.path)).map(|c| c.path.clone()).collect();
    if !open.is_empty() {
        return Err(MergeError::Unresolved { paths: open });
    }
    Ok(merged)
}

struct Merger<'a> {
    /// `Some` when resolving: conflicts with a choice take the chosen side.
    choices: Option<&'a BTreeMap<String, Choice>>,
    /// Every conflict met (also the chosen ones, so `resolve` can check the choices).
    conflicts: Vec<FieldConflict>,
    taken: Vec<String>,
}

impl Merger<'_> {
    /// The merged value at `path` (`None` = absent). `key` is the field name, for amounts.
    fn merge(&mut self, base: Option<&Value>, theirs: Option<&Value>, mine: Option<&Value>, path: &str, key: Option<&str>) -> Option<Value> {
        let (base, theirs, mine) = (present(base), present(theirs), present(mine));
        if same(theirs, base, key) || same(theirs, mine, key) {
            // Only mine changed, neither did, or both made the same change.
            return mine.cloned();
        }
        if same(mine, base, key) {
            self.note_taken(base, theirs, path);
            return theirs.cloned();
        }
        // Both changed, differently: look inside when the shapes allow it.
        if let (Some(Value::Object(t)), Some(Value::Object(m))) = (theirs, mine) {
            let b = match base {
                Some(Value::Object(b)) => Some(b),
                _ => None,
            };
            let keys: BTreeSet<&String> = b.into_iter().flat_map(|b| b.keys()).chain(t.keys()).chain(m.keys()).collect();
            let mut merged = Map::new();
            for k in keys {
                let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                if let Some(value) = self.merge(b.and_then(|b| b.get(k)), t.get(k), m.get(k), &child, Some(k)) {
                    merged.insert(k.clone(), value);
                }
            }
            return Some(Value::Object(merged));
        }
        if let (Some(Value::Array(b)), Some(Value::Array(t)), Some(Value::Array(m))) = (base, theirs, mine) {
            if b.len() == t.len() && t.len() == m.len() {
                let items = (0..m.len())
                    .map(|i| self.merge(b.get(i), t.get(i), m.get(i), &format!("{path}[{i}]"), key).unwrap_or(Value::Null))
                    .collect();
                return Some(Value::Array(items));
            }
        }
        self.conflicts.push(FieldConflict { path: path.to_owned(), base: text(base), theirs: text(theirs), mine: text(mine) });
        match self.choices.and_then(|c| c.get(path)) {
            Some(Choice::Theirs) => theirs.cloned(),
            Some(Choice::Mine) | None => mine.cloned(),
        }
    }

    /// Record the leaf paths where theirs differs from base.
    fn note_taken(&mut self, base: Option<&Value>, theirs: Option<&Value>, path: &str) {
        let before = self.taken.len();
        for change in diff_values(base.unwrap_or(&Value::Null), theirs.unwrap_or(&Value::Null)) {
            let rel = change.path;
            self.taken.push(if rel.is_empty() {
                path.to_owned()
            } else if path.is_empty() || rel.starts_with('[') {
                format!("{path}{rel}")
            } else {
                format!("{path}.{rel}")
            });
        }
        if self.taken.len() == before {
            self.taken.push(path.to_owned());
        }
    }
}

fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

/// Equal under the merge rules (absent = null, amounts as decimals).
fn same(a: Option<&Value>, b: Option<&Value>, key: Option<&str>) -> bool {
    match (present(a), present(b)) {
        (None, None) => true,
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().all(|k| same(a.get(k), b.get(k), Some(k)))
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(Some(x), Some(y), key))
        }
        (Some(a), Some(b)) => same_scalar(a, b, key),
        _ => false,
    }
}

fn same_scalar(a: &Value, b: &Value, key: Option<&str>) -> bool {
    let (Some(x), Some(y)) = (render(a), render(b)) else {
        return false; // a container against a scalar
    };
    if x == y && std::mem::discriminant(a) == std::mem::discriminant(b) {
        return true;
    }
    let numeric = |v: &Value| matches!(v, Value::Number(_)) || (matches!(v, Value::String(_)) && key.is_some_and(|k| k.ends_with("_amount")));
    let both_numbers = matches!((a, b), (Value::Number(_), Value::Number(_)));
    let amount = key.is_some_and(|k| k.ends_with("_amount")) && numeric(a) && numeric(b);
    if both_numbers || amount {
        if let (Some(x), Some(y)) = (decimal(x.trim()), decimal(y.trim())) {
            return x == y;
        }
    }
    false
}

/// How a value is shown in a conflict: scalars as [`crate::diff`] renders them, objects and lists
/// as compact JSON, absent as `None`.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        v @ (Value::Object(_) | Value::Array(_)) => serde_json::to_string(v).ok(),
        v => render(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn conflict(path: &str, base: Option<&str>, theirs: Option<&str>, mine: Option<&str>) -> FieldConflict {
        FieldConflict { path: path.into(), base: base.map(Into::into), theirs: theirs.map(Into::into), mine: mine.map(Into::into) }
    }

    fn base() -> Value {
        json!({
            "business_details": {"business_name_english": "Acme", "website": "https://acme.example"},
            "primary_contact": {"contact_email": "a@acme.example", "contact_phone": "+14155550100"},
            "account_usage": {"estimated_monthly_revenue_amount": 10.5, "estimated_monthly_revenue_currency": "USD"},
            "business_person_list": [
                {"basic_info": {"first_name_english": "Ann", "last_name_english": "Lee"}},
                {"basic_info": {"first_name_english": "Bob", "last_name_english": "Ray"}}
            ]
        })
    }

    #[test]
    fn changes_on_different_fields_combine() {
        let b = base();
        let mut theirs = b.clone();
        theirs["business_details"]["website"] = json!("https://acme.example/new");
        theirs["business_person_list"][1]["basic_info"]["last_name_english"] = json!("Roe");
        let mut mine = b.clone();
        mine["business_details"]["business_name_english"] = json!("Acme Ltd");
        mine["business_person_list"][0]["basic_info"]["first_name_english"] = json!("Anne");

        let out = merge3(&b, &theirs, &mine);
        assert!(out.is_clean(), "{:?}", out.conflicts);
        let mut expected = mine.clone();
        expected["business_details"]["website"] = json!("https://acme.example/new");
        expected["business_person_list"][1]["basic_info"]["last_name_english"] = json!("Roe");
        assert_eq!(out.merged, expected);
        assert_eq!(
            out.taken_from_theirs,
            vec!["business_details.website", "business_person_list[1].basic_info.last_name_english"]
        );
    }

    #[test]
    fn the_same_field_changed_differently_is_a_conflict_with_all_three_values() {
        let b = base();
        let mut theirs = b.clone();
        theirs["primary_contact"]["contact_email"] = json!("them@acme.example");
        theirs["business_details"]["website"] = json!("https://them.example");
        let mut mine = b.clone();
        mine["primary_contact"]["contact_email"] = json!("me@acme.example");
        mine["primary_contact"]["contact_phone"] = json!("+14155550199");

        let out = merge3(&b, &theirs, &mine);
        assert_eq!(
            out.conflicts,
            vec![conflict("primary_contact.contact_email", Some("a@acme.example"), Some("them@acme.example"), Some("me@acme.example"))]
        );
        assert_eq!(out.taken_from_theirs, vec!["business_details.website"]);
        // At the conflicting path the merged record holds mine; elsewhere both changes are in.
        assert_eq!(out.merged["primary_contact"]["contact_email"], "me@acme.example");
        assert_eq!(out.merged["primary_contact"]["contact_phone"], "+14155550199");
        assert_eq!(out.merged["business_details"]["website"], "https://them.example");

        let choose = |c: Choice| BTreeMap::from([("primary_contact.contact_email".to_owned(), c)]);
        let theirs_chosen = resolve(&b, &theirs, &mine, &choose(Choice::Theirs)).unwrap();
        assert_eq!(theirs_chosen["primary_contact"]["contact_email"], "them@acme.example");
        assert_eq!(theirs_chosen["primary_contact"]["contact_phone"], "+14155550199");
        assert_eq!(theirs_chosen["business_details"]["website"], "https://them.example");
        let mine_chosen = resolve(&b, &theirs, &mine, &choose(Choice::Mine)).unwrap();
        assert_eq!(mine_chosen, out.merged);
    }

    #[test]
    fn resolve_needs_a_choice_for_every_conflict_and_only_for_conflicts() {
        let b = json!({"a": 1, "b": 1, "c": 1});
        let t = json!({"a": 2, "b": 2, "c": 1});
        let m = json!({"a": 3, "b": 3, "c": 5});
        let err = resolve(&b, &t, &m, &BTreeMap::from([("a".to_owned(), Choice::Mine)])).unwrap_err();
        assert_eq!(err, MergeError::Unresolved { paths: vec!["b".into()] });
        assert!(err.to_string().contains('b'));
        let all = BTreeMap::from([("a".to_owned(), Choice::Mine), ("b".to_owned(), Choice::Theirs), ("c".to_owned(), Choice::Mine)]);
        assert_eq!(resolve(&b, &t, &m, &all).unwrap_err(), MergeError::UnknownPath { path: "c".into() });
        let ok = BTreeMap::from([("a".to_owned(), Choice::Mine), ("b".to_owned(), Choice::Theirs)]);
        assert_eq!(resolve(&b, &t, &m, &ok).unwrap(), json!({"a": 3, "b": 2, "c": 5}));
    }

    #[test]
    fn the_same_change_on_both_sides_is_not_a_conflict() {
        let b = json!({"x": {"y": "old", "z": 1}});
        let t = json!({"x": {"y": "new", "z": 1}});
        let m = json!({"x": {"y": "new", "z": 2}});
        let out = merge3(&b, &t, &m);
        assert!(out.is_clean());
        assert_eq!(out.merged, json!({"x": {"y": "new", "z": 2}}));
        assert!(out.taken_from_theirs.is_empty());
    }

    #[test]
    fn absent_and_null_are_the_same_and_amounts_compare_as_decimals() {
        let b = json!({"s": {"note": null, "estimated_monthly_revenue_amount": 10.5}});
        // Theirs only re-spelled the amount; mine gave it as text with a trailing zero.
        let t = json!({"s": {"estimated_monthly_revenue_amount": 10.50}});
        let m = json!({"s": {"note": "hi", "estimated_monthly_revenue_amount": "10.50"}});
        let out = merge3(&b, &t, &m);
        assert!(out.is_clean(), "{:?}", out.conflicts);
        assert_eq!(out.merged, m);
        assert!(out.taken_from_theirs.is_empty());
        // Outside amounts, text is text: "007" is not 7.
        let out = merge3(&json!({"id": "7"}), &json!({"id": "007"}), &json!({"id": 7}));
        assert_eq!(out.conflicts.len(), 1);
    }

    #[test]
    fn a_field_removed_by_them_and_changed_by_me_is_a_conflict() {
        let b = json!({"p": {"fax": "1"}});
        let t = json!({"p": {}});
        let m = json!({"p": {"fax": "2"}});
        let out = merge3(&b, &t, &m);
        assert_eq!(out.conflicts, vec![conflict("p.fax", Some("1"), None, Some("2"))]);
        // Removed by them, untouched by me: removed.
        let out = merge3(&json!({"p": {"fax": "1", "q": 1}}), &json!({"p": {"q": 1}}), &json!({"p": {"fax": "1", "q": 2}}));
        assert!(out.is_clean());
        assert_eq!(out.merged, json!({"p": {"q": 2}}));
        assert_eq!(out.taken_from_theirs, vec!["p.fax"]);
    }

    #[test]
    fn lists_of_different_lengths_are_one_field() {
        let b = json!({"l": [{"n": "a"}]});
        let t = json!({"l": [{"n": "a"}, {"n": "b"}]});
        let m = json!({"l": [{"n": "z"}]});
        let out = merge3(&b, &t, &m);
        assert_eq!(
            out.conflicts,
            vec![conflict("l", Some(r#"[{"n":"a"}]"#), Some(r#"[{"n":"a"},{"n":"b"}]"#), Some(r#"[{"n":"z"}]"#))]
        );
        let resolved = resolve(&b, &t, &m, &BTreeMap::from([("l".to_owned(), Choice::Theirs)])).unwrap();
        assert_eq!(resolved, t);
        // Only they added an element: taken whole.
        let out = merge3(&b, &t, &b);
        assert!(out.is_clean());
        assert_eq!(out.merged, t);
        assert_eq!(out.taken_from_theirs, vec!["l[1].n"]);
    }

    #[test]
    fn a_section_both_added_merges_field_by_field() {
        let out = merge3(&json!({}), &json!({"s": {"a": 1}}), &json!({"s": {"b": 2}}));
        assert!(out.is_clean());
        assert_eq!(out.merged, json!({"s": {"a": 1, "b": 2}}));
        assert_eq!(out.taken_from_theirs, vec!["s.a"]);
    }

    #[test]
    fn odd_shapes_never_panic() {
        for (b, t, m) in [
            (json!(null), json!([1]), json!({"a": 1})),
            (json!("x"), json!({"a": 1}), json!({"a": 2})),
            (json!([1, 2]), json!([1, 3]), json!([4, 2])),
            (json!(1), json!(2), json!(3)),
        ] {
            let out = merge3(&b, &t, &m);
            let _ = resolve(&b, &t, &m, &BTreeMap::new());
            let _ = out.merged;
        }
        let out = merge3(&json!(1), &json!(2), &json!(3));
        assert_eq!(out.conflicts, vec![conflict("", Some("1"), Some("2"), Some("3"))]);
        let out = merge3(&json!([1, 2]), &json!([1, 3]), &json!([4, 2]));
        assert!(out.is_clean());
        assert_eq!(out.merged, json!([4, 3]));
    }

    /// Objects without `null` members (absent and null are the same).
    fn normalized(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), normalized(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
            other => other.clone(),
        }
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0i64..4).prop_map(|n| json!(n)),
            prop::sample::select(vec!["a", "b", "", "c"]).prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::btree_map(prop::sample::select(vec!["k", "l", "m_amount", "n"]), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn only_mine_changed_gives_mine(b in arb_value(), m in arb_value()) {
            let out = merge3(&b, &b, &m);
            prop_assert!(out.is_clean());
            prop_assert!(out.taken_from_theirs.is_empty());
            prop_assert!(same(Some(&out.merged), Some(&m), None), "{} vs {}", out.merged, m);
        }

        #[test]
        fn only_theirs_changed_gives_theirs(b in arb_value(), t in arb_value()) {
            let out = merge3(&b, &t, &b);
            prop_assert!(out.is_clean());
            prop_assert!(same(Some(&out.merged), Some(&t), None), "{} vs {}", out.merged, t);
        }

        #[test]
        fn the_same_edit_on_both_sides_never_conflicts(b in arb_value(), x in arb_value()) {
            let out = merge3(&b, &x, &x);
            prop_assert!(out.is_clean());
            prop_assert_eq!(normalized(&out.merged), normalized(&x));
        }

        #[test]
        fn conflicts_are_symmetric_and_resolvable(b in arb_value(), t in arb_value(), m in arb_value()) {
            let one = merge3(&b, &t, &m);
            let other = merge3(&b, &m, &t);
            let paths = |o: &MergeOutcome| o.conflicts.iter().map(|c| c.path.clone()).collect::<Vec<_>>();
            prop_assert_eq!(paths(&one), paths(&other));
            if one.is_clean() {
                prop_assert!(same(Some(&one.merged), Some(&other.merged), None));
            }
            // Choosing mine everywhere gives the merged record; theirs everywhere mirrors it.
            let all = |c: Choice| paths(&one).into_iter().map(|p| (p, c)).collect::<BTreeMap<_, _>>();
            prop_assert_eq!(resolve(&b, &t, &m, &all(Choice::Mine)).unwrap(), one.merged.clone());
            let theirs = resolve(&b, &t, &m, &all(Choice::Theirs)).unwrap();
            let mirrored = resolve(&b, &m, &t, &all(Choice::Mine)).unwrap();
            prop_assert!(same(Some(&theirs), Some(&mirrored), None), "{} vs {}", theirs, mirrored);
        }
    }
}
