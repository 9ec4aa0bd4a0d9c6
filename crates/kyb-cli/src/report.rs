//! Human and JSON reports for `kyb validate`.

use std::path::Path;

use kyb_core::model::ParseError;
use kyb_core::validation::Issue;
use serde::Serialize;

/// What validating one file found.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    pub valid: bool,
    /// `update` or `create`, decided by the presence of `partner_customer_id`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<ParseError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_error: Option<String>,
    pub issues: Vec<Issue>,
}

impl FileReport {
    pub fn new(path: &Path, kind: &'static str) -> Self {
        Self { file: path.display().to_string(), valid: false, kind, parse_error: None, read_error: None, issues: Vec::new() }
    }
}

pub fn render_human(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        if report.valid {
            out.push_str(&format!("✓ {}: valid {} body\n", report.file, report.kind));
            continue;
        }
        if let Some(err) = &report.read_error {
            out.push_str(&format!("✗ {}: cannot read: {err}\n", report.file));
        } else if let Some(err) = &report.parse_error {
            out.push_str(&format!("✗ {}: not a valid record file: {err}\n", report.file));
        } else {
            let width = report.issues.iter().map(|i| i.path.len()).max().unwrap_or(0);
            out.push_str(&format!("✗ {}: {} problem(s)\n", report.file, report.issues.len()));
            for issue in &report.issues {
                out.push_str(&format!("    {:width$}  {}\n", issue.path, issue.message, width = width));
            }
        }
    }
    let invalid = reports.iter().filter(|r| !r.valid).count();
    out.push_str(&format!("{} file(s) checked, {} valid, {} invalid\n", reports.len(), reports.len() - invalid, invalid));
    out
}
