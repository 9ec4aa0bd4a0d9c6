//! Which `fileType`s each document slot of a record takes: business documents are a registration
//! or the articles of association, an ID's front is its "Main page" and its back its "Back page".
//! KYB Desk's policy (the partner's pages list the six labels but not where each one goes). The
//! validation of a record applies it where the type of an uploaded file is known
//! ([`crate::validation::validate_document_types`]), and the desktop's upload control offers
//! only these types ([`document_slots`], served with the reference data).

use serde::Serialize;
use ts_rs::TS;

use crate::model::FileType;
use crate::review::DocumentKind;

/// What a business document slot takes.
const BUSINESS_DOCUMENT_TYPES: &[FileType] = &[FileType::BusinessRegistration, FileType::ArticleOfAssociation];
/// What an ID's front slot takes.
const ID_FRONT_TYPES: &[FileType] = &[FileType::MainPage];
/// What an ID's back slot takes.
const ID_BACK_TYPES: &[FileType] = &[FileType::BackPage];

const BUSINESS_LIST: &str = "business_details.business_identifier_document_list";
const PERSON_LIST: &str = "business_person_list";
const FRONT_FIELD: &str = "identification.id_document_front_file_id";
const BACK_FIELD: &str = "identification.id_document_back_file_id";

/// The `fileType`s a slot of this kind takes.
pub fn allowed_for_kind(kind: DocumentKind) -> &'static [FileType] {
    match kind {
        DocumentKind::BusinessRegistration => BUSINESS_DOCUMENT_TYPES,
        DocumentKind::IdFront => ID_FRONT_TYPES,
        DocumentKind::IdBack => ID_BACK_TYPES,
    }
}

/// The kind of document slot at `path` (`business_details.business_identifier_document_list[0]`,
/// `business_person_list[1].identification.id_document_front_file_id`), `None` when `path` is
/// not a document slot.
pub fn slot_kind(path: &str) -> Option<DocumentKind> {
    if let Some(rest) = path.strip_prefix(BUSINESS_LIST) {
        return index_then(rest, "").map(|()| DocumentKind::BusinessRegistration);
    }
    let rest = path.strip_prefix(PERSON_LIST)?;
    if index_then(rest, &format!(".{FRONT_FIELD}")).is_some() {
        return Some(DocumentKind::IdFront);
    }
    index_then(rest, &format!(".{BACK_FIELD}")).map(|()| DocumentKind::IdBack)
}

/// The `fileType`s the slot at `path` takes; `None` when `path` is not a document slot.
pub fn allowed_file_types(path: &str) -> Option<&'static [FileType]> {
    slot_kind(path).map(allowed_for_kind)
}

/// `text` is `[<digits>]` followed by exactly `tail`.
fn index_then(text: &str, tail: &str) -> Option<()> {
    let (index, rest) = text.strip_prefix('[')?.split_once(']')?;
    (!index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) && rest == tail).then_some(())
}

/// One kind of slot and what it takes, for the desktop's upload control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DocumentSlotTypes {
    pub kind: DocumentKind,
    /// The slot's path with `[*]` for any index, e.g.
    /// `business_person_list[*].identification.id_document_front_file_id`.
    pub path_pattern: String,
    /// In the order the control offers them (the first is the default).
    pub file_types: Vec<FileType>,
}

/// Every kind of document slot with the types it takes.
pub fn document_slots() -> Vec<DocumentSlotTypes> {
    let slot = |kind, path_pattern: String| DocumentSlotTypes {
        kind,
        path_pattern,
        file_types: allowed_for_kind(kind).to_vec(),
    };
    vec![
        slot(DocumentKind::BusinessRegistration, format!("{BUSINESS_LIST}[*]")),
        slot(DocumentKind::IdFront, format!("{PERSON_LIST}[*].{FRONT_FIELD}")),
        slot(DocumentKind::IdBack, format!("{PERSON_LIST}[*].{BACK_FIELD}")),
    ]
}

/// "Business Registration or Article of Association".
pub fn describe_types(types: &[FileType]) -> String {
    let labels: Vec<String> = types.iter().map(|t| format!("\u{201c}{}\u{201d}", t.label())).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_slot_takes_its_types() {
        let business = "business_details.business_identifier_document_list[0]";
        assert_eq!(allowed_file_types(business), Some(BUSINESS_DOCUMENT_TYPES));
        assert_eq!(
            allowed_file_types("business_details.business_identifier_document_list[12]"),
            Some(&[FileType::BusinessRegistration, FileType::ArticleOfAssociation][..])
        );
        let front = "business_person_list[3].identification.id_document_front_file_id";
        let back = "business_person_list[0].identification.id_document_back_file_id";
        assert_eq!(allowed_file_types(front), Some(&[FileType::MainPage][..]));
        assert_eq!(allowed_file_types(back), Some(&[FileType::BackPage][..]));
        for types in [BUSINESS_DOCUMENT_TYPES, ID_FRONT_TYPES, ID_BACK_TYPES] {
            assert!(!types.contains(&FileType::Invoice) && !types.contains(&FileType::Contract));
        }
    }

    #[test]
    fn paths_next_to_a_slot_are_not_slots() {
        for path in [
            "business_details.business_identifier_document_list",
            "business_details.business_identifier_document_list[]",
            "business_details.business_identifier_document_list[x]",
            "business_details.business_identifier_document_list[-1]",
            "business_details.business_identifier_document_list[0].x",
            "business_details.business_identifier_document_list[0",
            "business_person_list[0].identification.id_document_front_file_id.x",
            "business_person_list[0].identification.id_number",
            "business_person_list.identification.id_document_back_file_id",
            "business_person_list[a].identification.id_document_back_file_id",
            "xbusiness_person_list[0].identification.id_document_back_file_id",
            "",
        ] {
            assert_eq!(allowed_file_types(path), None, "{path}");
        }
    }

    #[test]
    fn served_patterns_name_the_same_slots() {
        let slots = document_slots();
        assert_eq!(slots.len(), 3);
        for slot in slots {
            let example = slot.path_pattern.replace("[*]", "[7]");
            assert_eq!(slot_kind(&example), Some(slot.kind), "{example}");
            assert_eq!(allowed_file_types(&example), Some(slot.file_types.as_slice()));
        }
    }

    #[test]
    fn types_read_as_a_list() {
        assert_eq!(describe_types(ID_FRONT_TYPES), "\u{201c}Main page\u{201d}");
        assert_eq!(
            describe_types(BUSINESS_DOCUMENT_TYPES),
            "\u{201c}Business Registration\u{201d} or \u{201c}Article of Association\u{201d}"
        );
    }
}
