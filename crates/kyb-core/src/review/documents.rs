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
    let _ = record;
    todo!("issue 5 helper")
}
