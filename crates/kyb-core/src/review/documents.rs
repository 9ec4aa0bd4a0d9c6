//! Which documents a record references, where, and which fields each one supports; and the
//! reviewer flags about them: ID details changed while the ID images stayed the same, and one
//! image used in two places.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::checklist::{calendar_date, Checklist, ChecklistItem, ItemState};
use crate::audit::short_hash;
use crate::drafts::Draft;
use crate::field_labels::{path_label, person_heading};

/// What a referenced document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentKind {
    /// An item of `business_details.business_identifier_document_list`.
    BusinessRegistration,
    /// `business_person_list[i].identification.id_document_front_file_id`.
    IdFront,
    /// `business_person_list[i].identification.id_document_back_file_id`.
    IdBack,
}

/// One document reference in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentRef {
    pub file_id: String,
    pub kind: DocumentKind,
    /// Where the id is: `business_details.business_identifier_document_list[0]`,
    /// `business_person_list[1].identification.id_document_front_file_id`.
    pub path: String,
    /// The representative's index for ID documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub person: Option<u32>,
    /// The fields a reviewer checks against this document, as field paths, in form order
    /// (business: name, identifier type/number/country, start/expiry dates; ID: names, birth
    /// date, nationality, id type/number/issuing country/issue/expiration dates).
    pub supports: Vec<String>,
}

/// Every non-blank file id of `record` (`UpdateCustomerRequest` JSON as typed, possibly
/// invalid: wrong shapes are skipped, never a panic), in form order: business documents, then
/// per representative front then back.
pub fn referenced_documents(record: &Value) -> Vec<DocumentRef> {
    let mut out = Vec::new();
    let business = record.get("business_details");
    let list = business.and_then(|b| b.get("business_identifier_document_list")).and_then(Value::as_array);
    for (i, item) in list.into_iter().flatten().enumerate() {
        if let Some(file_id) = file_id(Some(item)) {
            out.push(DocumentRef {
                file_id,
                kind: DocumentKind::BusinessRegistration,
                path: format!("business_details.business_identifier_document_list[{i}]"),
                person: None,
                supports: BUSINESS_SUPPORTS.iter().map(|field| format!("business_details.{field}")).collect(),
            });
        }
    }
    let persons = record.get("business_person_list").and_then(Value::as_array);
    for (i, person) in persons.into_iter().flatten().enumerate() {
        let identification = person.get("identification");
        let sides = [(ID_FRONT_FIELD, DocumentKind::IdFront), (ID_BACK_FIELD, DocumentKind::IdBack)];
        for (field, kind) in sides {
            let Some(file_id) = file_id(identification.and_then(|id| id.get(field))) else { continue };
            out.push(DocumentRef {
                file_id,
                kind,
                path: format!("business_person_list[{i}].identification.{field}"),
                person: Some(u32::try_from(i).unwrap_or(u32::MAX)),
                supports: person_supports(i),
            });
        }
    }
    out
}

/// `business_person_list[i].identification` fields holding the two sides of the ID.
pub(crate) const ID_FRONT_FIELD: &str = "id_document_front_file_id";
pub(crate) const ID_BACK_FIELD: &str = "id_document_back_file_id";

/// `business_details` fields a business registration document supports, in form order.
const BUSINESS_SUPPORTS: [&str; 7] = [
    "business_name_english",
    "business_name",
    "business_identifier_type",
    "business_identifier_number",
    "business_identifier_country_code",
    "business_identifier_start_date",
    "business_identifier_expiry_date",
];

/// `basic_info` fields an ID document supports, in form order.
const BASIC_INFO_SUPPORTS: [&str; 6] =
    ["first_name_english", "last_name_english", "first_name", "last_name", "birth_date", "nationality"];

/// `identification` fields an ID document supports, in form order.
const IDENTIFICATION_SUPPORTS: [&str; 5] =
    ["id_type", "id_number", "id_issuing_country_code", "id_issue_date", "id_expiration_date"];

fn person_supports(i: usize) -> Vec<String> {
    let basic = BASIC_INFO_SUPPORTS.iter().map(|field| format!("business_person_list[{i}].basic_info.{field}"));
    let id = IDENTIFICATION_SUPPORTS.iter().map(|field| format!("business_person_list[{i}].identification.{field}"));
    basic.chain(id).collect()
}

/// `file_id` → hex SHA-256 of the local copy, for the documents this machine holds a copy of.
pub type CopyHashes = BTreeMap<String, String>;

/// The ID details that an ID image shows: when one of them changes, the image should too.
const ID_DETAIL_FIELDS: [(&str, &str); 4] = [
    ("id_type", "ID type"),
    ("id_number", "ID number"),
    ("id_issue_date", "ID issue date"),
    ("id_expiration_date", "ID expiry date"),
];

/// The reviewer flags of a record against its base record (none for a new customer), as
/// checklist items that block approval until fixed (both are failed, never to-do: the officer
/// fixes the record, the reviewer cannot tick them away):
/// - `id_images_unchanged:<i>`: representative `i` has the same ID images (front and back file
///   ids) as a representative of the base record, but a different ID type, number, issue or
///   expiry date: the images cannot show the new details;
/// - `same_image:<path>`: one image (by the SHA-256 of its local copy, or the same file id) is
///   referenced in two places (two people, or two slots of one person or of the business), named
///   by both places.
pub fn document_flags(base: Option<&Value>, record: &Value, copies: &CopyHashes) -> Vec<ChecklistItem> {
    let mut flags = base.map(|base| id_images_unchanged(base, record)).unwrap_or_default();
    flags.extend(same_images(record, copies));
    flags
}

/// [`super::checklist`] of `draft` with its [`document_flags`] after the other items.
pub fn draft_checklist(draft: &Draft, copies: &CopyHashes, today: chrono::NaiveDate) -> Checklist {
    let mut list = super::checklist(&draft.record, &draft.review, today);
    list.items.extend(document_flags(draft.base.as_ref().map(|b| &b.record), &draft.record, copies));
    list.complete = list.items.iter().all(|item| item.state == ItemState::Done);
    list
}

fn id_images_unchanged(base: &Value, record: &Value) -> Vec<ChecklistItem> {
    let persons = |r: &Value| r.get("business_person_list").and_then(Value::as_array).cloned().unwrap_or_default();
    let images = |p: &Value| {
        let id = p.get("identification");
        (file_id(id.and_then(|i| i.get(ID_FRONT_FIELD))), file_id(id.and_then(|i| i.get(ID_BACK_FIELD))))
    };
    let before = persons(base);
    let mut out = Vec::new();
    for (i, person) in persons(record).iter().enumerate() {
        let now = images(person);
        if now == (None, None) {
            continue;
        }
        let Some(old) = before.iter().find(|old| images(old) == now) else { continue };
        let detail = |p: &Value, key: &str| {
            let text = p.get("identification")?.get(key)?.as_str()?.trim().to_owned();
            (!text.is_empty()).then_some(text)
        };
        let changed: Vec<String> = ID_DETAIL_FIELDS
            .iter()
            .filter_map(|(key, label)| {
                let (was, is) = (detail(old, key), detail(person, key));
                let same = match (&was, &is) {
                    (Some(a), Some(b)) if key.ends_with("_date") => {
                        calendar_date(a).is_some() && calendar_date(a) == calendar_date(b) || a == b
                    }
                    _ => was == is,
                };
                let shown = |v: &Option<String>| match v {
                    Some(v) if key.ends_with("_date") => calendar_date(v).map_or_else(|| v.clone(), |d| d.to_string()),
                    Some(v) => v.clone(),
                    None => "(empty)".to_owned(),
                };
                (!same).then(|| format!("{label} {} → {}", shown(&was), shown(&is)))
            })
            .collect();
        if changed.is_empty() {
            continue;
        }
        let who = person_heading(Some(record), i);
        out.push(ChecklistItem {
            id: format!("id_images_unchanged:{i}"),
            label: format!("{who}: ID details changed but the ID images are the same as before"),
            state: ItemState::Failed,
            detail: format!(
                "{} changed, but the ID front and back are the files the record had before, so they cannot show \
                 the new details: upload images of the current ID, or change the details back.",
                changed.join("; ")
            ),
            field: Some(format!("business_person_list[{i}].identification.{ID_FRONT_FIELD}")),
        });
    }
    out
}

fn same_images(record: &Value, copies: &CopyHashes) -> Vec<ChecklistItem> {
    // Same content: the copy's hash when this machine has one, else the file id itself.
    let mut by_content: Vec<(String, Vec<DocumentRef>)> = Vec::new();
    for doc in referenced_documents(record) {
        let key = copies.get(&doc.file_id).map_or_else(|| format!("file:{}", doc.file_id), |sha| format!("sha:{sha}"));
        match by_content.iter_mut().find(|(k, _)| *k == key) {
            Some((_, docs)) => docs.push(doc),
            None => by_content.push((key, vec![doc])),
        }
    }
    by_content
        .into_iter()
        .filter(|(_, docs)| docs.len() > 1)
        .map(|(key, docs)| {
            let places: Vec<String> = docs.iter().map(|d| path_label(&d.path, Some(record))).collect();
            let how = match key.strip_prefix("sha:") {
                Some(sha) => format!("the same image (SHA-256 {}…)", short_hash(sha)),
                None => format!("the same file ({})", docs[0].file_id),
            };
            let (last, first) = places.split_last().map_or((String::new(), &[][..]), |(l, f)| (l.clone(), f));
            let named = format!("{} and {last}", first.join(", "));
            ChecklistItem {
                id: format!("same_image:{}", docs[0].path),
                label: format!("The same image is used for {named}"),
                state: ItemState::Failed,
                detail: format!("{named} hold {how}; each place needs its own document: replace the wrong one."),
                field: docs.get(1).map(|d| d.path.clone()),
            }
        })
        .collect()
}

/// A file id: a string that is not blank (trimmed).
fn file_id(value: Option<&Value>) -> Option<String> {
    let text = value?.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn business_documents_then_front_and_back_per_person_in_form_order() {
        let record = json!({
            "business_details": {"business_identifier_document_list": ["f-reg-1", "  ", "f-reg-2"]},
            "business_person_list": [
                {"identification": {"id_document_front_file_id": "f-a-front", "id_document_back_file_id": "f-a-back"}},
                {"identification": {"id_document_back_file_id": " f-b-back "}},
            ],
        });
        let docs = referenced_documents(&record);
        let summary: Vec<(&str, DocumentKind, &str, Option<u32>)> =
            docs.iter().map(|d| (d.file_id.as_str(), d.kind, d.path.as_str(), d.person)).collect();
        let list = "business_details.business_identifier_document_list";
        let (front, back) = ("identification.id_document_front_file_id", "identification.id_document_back_file_id");
        let expected = [
            ("f-reg-1", DocumentKind::BusinessRegistration, format!("{list}[0]"), None),
            ("f-reg-2", DocumentKind::BusinessRegistration, format!("{list}[2]"), None),
            ("f-a-front", DocumentKind::IdFront, format!("business_person_list[0].{front}"), Some(0)),
            ("f-a-back", DocumentKind::IdBack, format!("business_person_list[0].{back}"), Some(0)),
            ("f-b-back", DocumentKind::IdBack, format!("business_person_list[1].{back}"), Some(1)),
        ];
        let expected: Vec<(&str, DocumentKind, &str, Option<u32>)> =
            expected.iter().map(|(id, kind, path, person)| (*id, *kind, path.as_str(), *person)).collect();
        assert_eq!(summary, expected);
        assert_eq!(docs[0].supports.len(), 7);
        assert_eq!(docs[0].supports[3], "business_details.business_identifier_number");
        assert_eq!(docs[4].supports[0], "business_person_list[1].basic_info.first_name_english");
        assert!(docs[4].supports.contains(&"business_person_list[1].identification.id_expiration_date".to_owned()));
        assert_eq!(docs[4].supports.len(), 11);
    }

    #[test]
    fn wrong_shapes_are_skipped() {
        for record in [
            json!(null),
            json!([1, 2, 3]),
            json!("text"),
            json!({"business_details": null, "business_person_list": null}),
            json!({"business_details": [1, 2], "business_person_list": [1, 2, null, "x", []]}),
            json!({"business_details": {"business_identifier_document_list": [1, 2.5, null, true, {"a": 1}, []]}}),
            json!({"business_details": {"business_identifier_document_list": "f-1"}}),
            json!({"business_person_list": [{"identification": null}, {"identification": [1]},
                {"identification": {"id_document_front_file_id": 7, "id_document_back_file_id": ""}}]}),
            json!({"business_person_list": {"0": {"identification": {"id_document_front_file_id": "f"}}}}),
        ] {
            assert!(referenced_documents(&record).is_empty(), "{record}");
        }
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "[a-z ]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            let keys = prop_oneof![
                Just("business_details".to_owned()),
                Just("business_identifier_document_list".to_owned()),
                Just("business_person_list".to_owned()),
                Just("identification".to_owned()),
                Just(ID_FRONT_FIELD.to_owned()),
                Just(ID_BACK_FIELD.to_owned()),
                "[a-z]{1,4}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(keys, inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics_and_every_id_is_a_non_blank_string(record in arbitrary_json()) {
            for doc in referenced_documents(&record) {
                prop_assert!(!doc.file_id.trim().is_empty());
                prop_assert_eq!(doc.person.is_some(), doc.kind != DocumentKind::BusinessRegistration);
            }
        }
    }

    fn ana_and_jane(front_b: &str) -> Value {
        json!({"business_person_list": [
            {"basic_info": {"first_name_english": "Ana", "last_name_english": "Lima"},
             "identification": {"id_number": "P1", "id_expiration_date": "2030-01-31T00:00:00Z",
                                "id_document_front_file_id": "f-a-front", "id_document_back_file_id": "f-a-back"}},
            {"basic_info": {"first_name_english": "Jane", "last_name_english": "Doe"},
             "identification": {"id_document_front_file_id": front_b}},
        ]})
    }

    #[test]
    fn an_id_date_changed_with_the_old_images_is_flagged() {
        let base = ana_and_jane("f-j-front");
        let mut record = base.clone();
        record["business_person_list"][0]["identification"]["id_expiration_date"] = json!("2031-03-15T00:00:00Z");
        let flags = document_flags(Some(&base), &record, &CopyHashes::new());
        assert_eq!(flags.len(), 1, "{flags:#?}");
        let flag = &flags[0];
        assert_eq!(flag.id, "id_images_unchanged:0");
        assert_eq!(flag.label, "Person 1 (Ana Lima): ID details changed but the ID images are the same as before");
        assert_eq!(flag.state, ItemState::Failed);
        assert!(flag.detail.starts_with("ID expiry date 2030-01-31 → 2031-03-15 changed"), "{}", flag.detail);
        assert_eq!(flag.field.as_deref(), Some("business_person_list[0].identification.id_document_front_file_id"));

        // A new front image clears it; so does the same date written another way.
        let mut uploaded = record.clone();
        uploaded["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!("f-a-front-2");
        assert!(document_flags(Some(&base), &uploaded, &CopyHashes::new()).is_empty());
        let mut same_day = base.clone();
        same_day["business_person_list"][0]["identification"]["id_expiration_date"] = json!("2030-01-31");
        assert!(document_flags(Some(&base), &same_day, &CopyHashes::new()).is_empty());
        // A moved person is found by their images; a new customer has no base.
        let mut moved = record.clone();
        moved["business_person_list"].as_array_mut().unwrap().reverse();
        let flags = document_flags(Some(&base), &moved, &CopyHashes::new());
        assert_eq!(flags[0].id, "id_images_unchanged:1");
        assert!(document_flags(None, &record, &CopyHashes::new()).is_empty());
        // The ID number changing counts too.
        let mut number = base.clone();
        number["business_person_list"][0]["identification"]["id_number"] = json!("P2");
        let flags = document_flags(Some(&base), &number, &CopyHashes::new());
        assert!(flags[0].detail.starts_with("ID number P1 → P2"), "{}", flags[0].detail);
    }

    #[test]
    fn one_image_in_two_places_is_flagged_naming_both() {
        let record = ana_and_jane("f-j-front");
        assert!(document_flags(None, &record, &CopyHashes::new()).is_empty());
        let sha = "ab".repeat(32);
        let copies: CopyHashes = [
            ("f-a-front".to_owned(), sha.clone()),
            ("f-j-front".to_owned(), sha.clone()),
            ("f-a-back".to_owned(), "cd".repeat(32)),
        ]
        .into_iter()
        .collect();
        let flags = document_flags(Some(&record), &record, &copies);
        assert_eq!(flags.len(), 1, "{flags:#?}");
        assert_eq!(flags[0].id, "same_image:business_person_list[0].identification.id_document_front_file_id");
        assert_eq!(
            flags[0].label,
            "The same image is used for Person 1 (Ana Lima) › ID front image and Person 2 (Jane Doe) › ID front image"
        );
        assert!(flags[0].detail.contains("SHA-256 abababababab…"), "{}", flags[0].detail);
        assert_eq!(flags[0].field.as_deref(), Some("business_person_list[1].identification.id_document_front_file_id"));
        // The same file id in two slots of one person, without a local copy.
        let same_file = ana_and_jane("f-a-back");
        let flags = document_flags(None, &same_file, &CopyHashes::new());
        assert_eq!(flags.len(), 1);
        assert!(flags[0].detail.contains("the same file (f-a-back)"), "{}", flags[0].detail);
        assert!(flags[0]
            .label
            .contains("Person 1 (Ana Lima) › ID back image and Person 2 (Jane Doe) › ID front image"));
    }

    #[test]
    fn the_draft_checklist_is_incomplete_with_a_flag() {
        let mut draft = crate::review::test_support::draft();
        let today = crate::review::test_support::today();
        assert!(draft_checklist(&draft, &CopyHashes::new(), today).complete);
        let copies: CopyHashes =
            [("f-front".to_owned(), "11".repeat(32)), ("f-back".to_owned(), "11".repeat(32))].into_iter().collect();
        let list = draft_checklist(&draft, &copies, today);
        assert!(!list.complete);
        assert!(list.items.iter().any(|i| i.id.starts_with("same_image:") && i.state == ItemState::Failed));
        draft.record["business_person_list"][0]["identification"]["id_issue_date"] = json!("2020-01-31T00:00:00Z");
        let list = draft_checklist(&draft, &CopyHashes::new(), today);
        assert!(list.items.iter().any(|i| i.id == "id_images_unchanged:0"), "{list:#?}");
        assert!(!list.complete);
    }
}
