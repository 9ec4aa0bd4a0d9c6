//! Which documents a record references, where, and which fields each one supports.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

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
}
