//! The printable HTML case report: customer, environment, the diff, each document with its
//! decision, the checklist, the approval, and the customer's audit entries with the chain check.

use chrono::{DateTime, Utc};

use super::chain::ChainReport;
use super::model::AuditEntry;
use crate::diff::FieldChange;
use crate::review::{ApprovalState, Checklist, DocumentDecision, DocumentRef};

/// One document row of the report.
#[derive(Debug, Clone)]
pub struct CaseDocument {
    pub reference: DocumentRef,
    pub decision: Option<DocumentDecision>,
    /// Whether a local copy exists (and its SHA-256).
    pub copy_sha256: Option<String>,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct CaseReport {
    pub environment: String,
    /// `customer_id` or `new:<partner_customer_id>`.
    pub customer: String,
    pub business_name: Option<String>,
    pub status: Option<String>,
    pub changes: Vec<FieldChange>,
    pub documents: Vec<CaseDocument>,
    pub checklist: Checklist,
    pub approval: ApprovalState,
    pub preparers: Vec<String>,
    pub entries: Vec<AuditEntry>,
    pub chain: ChainReport,
    pub generated_by: String,
    pub generated_at: DateTime<Utc>,
}

/// A self-contained HTML page (inline CSS, print styles, no scripts, every value escaped).
pub fn render_case_report(report: &CaseReport) -> String {
    let _ = report;
    todo!("issue 5 helper")
}
