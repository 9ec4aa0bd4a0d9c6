//! Uploaded-file IDs and the business document list.

use std::collections::HashMap;

use super::limits::{FILE_ID, MAX_DOCUMENTS};
use super::path::FieldPath;
use super::report::Report;
use super::text::{check_length, describe_char, is_blank, quoted};
use super::IssueCode;

/// A file ID as returned by the upload endpoint: 1-128 characters, no whitespace or control
/// characters. A blank ID is `required` (it points at nothing).
pub(crate) fn check_file_id(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), id: &str) {
    if is_blank(id) {
        report.push(
            path,
            IssueCode::Required,
            format!("{label} is empty; upload the file and use the file ID it returns."),
        );
        return;
    }
    check_length(report, path, label, id, FILE_ID);
    if let Some(bad) = id.chars().find(|c| c.is_whitespace() || c.is_control()) {
        report.push(
            path,
            IssueCode::InvalidCharacters,
            format!(
                "{label} {} contains {}; file IDs have no spaces or control characters.",
                quoted(id),
                char_name(bad)
            ),
        );
    }
}

fn char_name(c: char) -> String {
    if c == ' ' {
        "a space".to_owned()
    } else {
        format!("the character {}", describe_char(c))
    }
}

/// At most [`MAX_DOCUMENTS`] valid file IDs, each once. A duplicate is reported on its second
/// (and later) occurrence.
pub(crate) fn check_document_list(report: &mut Report, path: &FieldPath, ids: &[String]) {
    if ids.len() > MAX_DOCUMENTS {
        report.push(
            path,
            IssueCode::TooManyDocuments,
            format!(
                "Business documents: {} files given; attach at most {MAX_DOCUMENTS}.",
                ids.len()
            ),
        );
    }
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
