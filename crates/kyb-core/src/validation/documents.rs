//! Uploaded-file IDs and the business document list.

use std::collections::HashMap;

use super::limits::TEXT_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::text::{check_text, is_blank, quoted};
use super::IssueCode;

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
