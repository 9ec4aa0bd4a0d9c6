//! The one field a create body adds: `partner_customer_id`.

use super::limits::PARTNER_CUSTOMER_ID;
use super::path::FieldPath;
use super::report::Report;
use super::text::{check_length, present, quoted};
use super::IssueCode;

const LABEL: &str = "Partner customer ID";

/// Required, 1-64 characters of `A-Z a-z 0-9 . _ -`.
pub(crate) fn partner_customer_id(report: &mut Report, path: &FieldPath, id: Option<&String>) {
    let Some(id) = present(report, path, LABEL, id, true) else {
        return;
    };
    check_length(report, path, LABEL, id, PARTNER_CUSTOMER_ID);
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        report.push(
            path,
            IssueCode::InvalidCharacters,
            format!(
                "{LABEL} {} may contain only letters A-Z, digits, dots, underscores and hyphens.",
                quoted(id)
            ),
        );
    }
}
