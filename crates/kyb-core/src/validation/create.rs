//! The one field a create body adds: `partner_customer_id`.

use super::limits::TEXT_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::text::{check_text, present};

const LABEL: &str = "Partner customer ID";

/// Required; any single-line text (the partner's page shows it as `<string>`).
pub(crate) fn partner_customer_id(report: &mut Report, path: &FieldPath, id: Option<&String>) {
    let Some(id) = present(report, path, LABEL, id, true) else {
        return;
    };
    check_text(report, path, LABEL, id, TEXT_MAX, false);
}
