//! Uploaded-file IDs, the business document list, and the type of file in each slot.

use std::collections::HashMap;

use serde_json::Value;

use crate::document_slots::{allowed_for_kind, describe_types};
use crate::model::FileType;
use crate::review::{referenced_documents, DocumentKind, DocumentRef};

use super::limits::TEXT_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::text::{check_text, is_blank, quoted};
use super::{Issue, IssueCode};

/// A file ID as returned by the upload endpoint. The page shows only `<string>`, so any
/// single-line text is accepted; a blank ID is `required` (it points at nothing).
pub(crate) fn check_file_id(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), id: &str) {
    if is_blank(id) {
        report.push(
            path,
            IssueCode::Required,
            format!("{label} is empty; upload the file and use the file ID it returns."),
        );
        return;
    }
    check_text(report, path, label, id, TEXT_MAX, false);
}

/// Valid file IDs, each once (the page sets no count). A duplicate is reported on its second
/// (and later) occurrence.
pub(crate) fn check_document_list(report: &mut Report, path: &FieldPath, ids: &[String]) {
    let mut first_seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        let element = path.index(index);
        let label = BusinessDocument(index);
        check_file_id(report, &element, &label, id);
        if is_blank(id) {
            continue;
        }
        match first_seen.get(id.as_str()) {
            Some(&first) => report.push(
                &element,
                IssueCode::DuplicateDocument,
                format!(
                    "{label} repeats file ID {} (already business document {}); remove the duplicate.",
                    quoted(id),
                    first + 1
                ),
            ),
            None => {
                first_seen.insert(id, index);
            }
        }
    }
}

/// "Business document 1", ... (numbered from 1), written out only when a message needs it.
struct BusinessDocument(usize);

impl std::fmt::Display for BusinessDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Business document {}", self.0 + 1)
    }
}

/// Every document slot of `record` (the page's JSON, possibly invalid: other shapes are
/// skipped) holding a file whose uploaded `fileType` is known (`type_of(file_id)`, e.g. from the
/// local copy) and is not one the slot takes ([`crate::document_slots`]): a `wrong_document_type`
/// issue naming the slot. A file whose type is not known (attached, or uploaded elsewhere) passes.
pub fn validate_document_types(record: &Value, mut type_of: impl FnMut(&str) -> Option<FileType>) -> Vec<Issue> {
    let mut report = Report::default();
    for reference in referenced_documents(record) {
        let Some(file_type) = type_of(&reference.file_id) else { continue };
        let allowed = allowed_for_kind(reference.kind);
        if allowed.contains(&file_type) {
            continue;
        }
        let root = FieldPath::root();
        report.push(
            &root.field(&reference.path),
            IssueCode::WrongDocumentType,
            format!(
                "{} is file {}, uploaded as \u{201c}{}\u{201d}; it takes a file uploaded as {}.",
                slot_label(&reference),
                quoted(&reference.file_id),
                file_type.label(),
                describe_types(allowed)
            ),
        );
    }
    report.into_issues()
}

/// The slot in words: "Business document 2", "Person 1's ID front".
fn slot_label(reference: &DocumentRef) -> String {
    let person = reference.person.map_or(0, |i| u64::from(i) + 1);
    match reference.kind {
        DocumentKind::BusinessRegistration => {
            let index = reference.path.rsplit_once('[').and_then(|(_, i)| i.trim_end_matches(']').parse::<u64>().ok());
            format!("Business document {}", index.map_or(1, |i| i + 1))
        }
        DocumentKind::IdFront => format!("Person {person}'s ID front"),
        DocumentKind::IdBack => format!("Person {person}'s ID back"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record() -> Value {
        json!({
            "business_details": {"business_identifier_document_list": ["f-reg", "f-aoa", "f-invoice", "f-unknown"]},
            "business_person_list": [
                {"identification": {"id_document_front_file_id": "f-main", "id_document_back_file_id": "f-back"}},
                {"identification": {"id_document_front_file_id": "f-back", "id_document_back_file_id": "f-main"}}
            ]
        })
    }

    fn type_of(file_id: &str) -> Option<FileType> {
        match file_id {
            "f-reg" => Some(FileType::BusinessRegistration),
            "f-aoa" => Some(FileType::ArticleOfAssociation),
            "f-invoice" => Some(FileType::Invoice),
            "f-main" => Some(FileType::MainPage),
            "f-back" => Some(FileType::BackPage),
            _ => None,
        }
    }

    #[test]
    fn a_slot_refuses_a_file_of_another_type_and_names_the_slot() {
        let issues = validate_document_types(&record(), type_of);
        let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "business_details.business_identifier_document_list[2]",
                "business_person_list[1].identification.id_document_front_file_id",
                "business_person_list[1].identification.id_document_back_file_id",
            ]
        );
        assert!(issues.iter().all(|i| i.code == IssueCode::WrongDocumentType && i.source == super::super::IssueSource::Policy));
        assert!(issues[0].message.contains("Business document 3") && issues[0].message.contains("Invoice"), "{}", issues[0].message);
        assert!(issues[1].message.contains("Person 2's ID front") && issues[1].message.contains("Main page"), "{}", issues[1].message);
    }

    #[test]
    fn unknown_types_and_odd_shapes_pass() {
        assert!(validate_document_types(&record(), |_| None).is_empty());
        for odd in [json!(null), json!([]), json!({"business_details": []}), json!({"business_person_list": [1, "x"]})] {
            assert!(validate_document_types(&odd, |_| Some(FileType::Invoice)).is_empty(), "{odd}");
        }
    }
}
