//! Turning validation issues into API field errors, plus the rules only the server can check:
//! the required sections, and that every referenced document exists in the file store.

use std::collections::HashSet;

use kyb_core::model::UpdateCustomerRequest;
use kyb_core::validation::Issue;

use crate::error::ApiFieldError;
use crate::store::Store;

/// The field errors of a record: validation issues, then the server-side rules.
pub fn field_errors(sections: &UpdateCustomerRequest, store: &Store, issues: Vec<Issue>) -> Vec<ApiFieldError> {
    let mut errors: Vec<ApiFieldError> = issues.into_iter().map(from_issue).collect();
    for (section, present) in [
        ("business_details", sections.business_details.is_some()),
        ("registration_address", sections.registration_address.is_some()),
    ] {
        if !present && !errors.iter().any(|e| e.field == section) {
            errors.push(ApiFieldError {
                code: "required".into(),
                message: format!("{section} is required"),
                field: section.into(),
            });
        }
    }
    errors.extend(unknown_files(sections, store));
    let mut seen = HashSet::new();
    errors.retain(|e| seen.insert((e.field.clone(), e.code.clone())));
    errors
}

pub fn from_issue(issue: Issue) -> ApiFieldError {
    let code = serde_json::to_value(issue.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "invalid_value".to_owned());
    ApiFieldError { code, message: issue.message, field: issue.path }
}

/// `unknown_file` for each referenced file id the sandbox has not stored (blank ids are left
/// to validation).
fn unknown_files(sections: &UpdateCustomerRequest, store: &Store) -> Vec<ApiFieldError> {
    let mut refs: Vec<(String, &str)> = Vec::new();
    if let Some(list) = sections.business_details.as_ref().and_then(|d| d.business_identifier_document_list.as_ref()) {
        for (i, id) in list.iter().enumerate() {
            refs.push((format!("business_details.business_identifier_document_list[{i}]"), id));
        }
    }
    for (i, person) in sections.business_person_list.iter().flatten().enumerate() {
        if let Some(identification) = &person.identification {
            let base = format!("business_person_list[{i}].identification");
            if let Some(id) = &identification.id_document_front_file_id {
                refs.push((format!("{base}.id_document_front_file_id"), id));
            }
            if let Some(id) = &identification.id_document_back_file_id {
                refs.push((format!("{base}.id_document_back_file_id"), id));
            }
        }
    }
    refs.into_iter()
        .filter(|(_, id)| !id.trim().is_empty() && !store.files.contains_key(*id))
        .map(|(field, id)| ApiFieldError {
            code: "unknown_file".into(),
            message: format!("no uploaded file has the id {id:?}; upload the document first"),
            field,
        })
        .collect()
}
