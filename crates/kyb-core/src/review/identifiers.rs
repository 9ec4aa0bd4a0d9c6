//! Which fields a reviewer confirms against a document ("the number on the registration
//! document is the one in the record"): the business identifier number and each
//! representative's ID number. The checklist asks for these, and only these can be confirmed.

/// The business identifier number.
pub const BUSINESS_IDENTIFIER_PATH: &str = "business_details.business_identifier_number";

/// The confirmable paths as patterns for the UI; `[*]` is any representative's index.
pub const CONFIRMABLE_IDENTIFIER_PATTERNS: &[&str] =
    &[BUSINESS_IDENTIFIER_PATH, "business_person_list[*].identification.id_number"];

/// Representatives past this index are not confirmable (the partner allows far fewer).
const MAX_INDEX_DIGITS: usize = 3;

/// Representative `index`'s ID number path (`business_person_list[1].identification.id_number`).
pub fn person_id_number_path(index: usize) -> String {
    format!("business_person_list[{index}].identification.id_number")
}

/// Whether `path` names a field a reviewer can confirm against a document.
pub fn is_confirmable_identifier_path(path: &str) -> bool {
    if path == BUSINESS_IDENTIFIER_PATH {
        return true;
    }
    path.strip_prefix("business_person_list[")
        .and_then(|rest| rest.strip_suffix("].identification.id_number"))
        .is_some_and(|index| {
            !index.is_empty() && index.len() <= MAX_INDEX_DIGITS && index.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_business_number_and_representatives_id_numbers_are_confirmable() {
        assert!(is_confirmable_identifier_path(BUSINESS_IDENTIFIER_PATH));
        assert!(is_confirmable_identifier_path(&person_id_number_path(0)));
        assert!(is_confirmable_identifier_path("business_person_list[12].identification.id_number"));
        for not in [
            "business_details.business_name_english",
            "business_person_list[].identification.id_number",
            "business_person_list[x].identification.id_number",
            "business_person_list[1000].identification.id_number",
            "business_person_list[1].identification.id_type",
            "business_person_list[1].identification.id_number.x",
            "",
        ] {
            assert!(!is_confirmable_identifier_path(not), "{not}");
        }
        // Every pattern, with an index filled in, is confirmable.
        for pattern in CONFIRMABLE_IDENTIFIER_PATTERNS {
            assert!(is_confirmable_identifier_path(&pattern.replace("[*]", "[3]")), "{pattern}");
        }
    }
}
