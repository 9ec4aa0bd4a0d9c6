//! The printable HTML case report: customer, environment, the diff, each document with its
//! decision, the checklist, the approval, and the customer's audit entries with the chain check.

use askama::Template;
use chrono::{DateTime, Utc};

use super::chain::{ChainProblemKind, ChainReport};
use super::labels;
use super::model::{short_hash, AuditEntry};
use crate::diff::{DiffGroup, DiffView};
use crate::field_labels::{path_label, person_heading};
use crate::review::{ApprovalState, Checklist, DocumentDecision, DocumentRef, ItemState};

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
    /// The changes as the officer reads them ([`crate::diff::diff_view`]): grouped, labelled,
    /// dates as dates.
    pub changes: DiffView,
    /// The record as it is now (names the representatives in document places).
    pub record: serde_json::Value,
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
    let page = CasePage::from(report);
    page.render().expect("the case report template renders into a String")
}

/// What the template shows: every value already in words, escaped by askama on output.
#[derive(Template)]
#[template(path = "case_report.html")]
struct CasePage<'a> {
    title: String,
    environment: &'a str,
    customer: &'a str,
    business_name: Option<&'a str>,
    status: Option<&'a str>,
    approval_code: &'static str,
    approval_text: String,
    preparers: String,
    generated_by: &'a str,
    generated_at: String,
    changes: &'a [DiffGroup],
    documents: Vec<DocumentRow<'a>>,
    checklist_complete: bool,
    checklist: Vec<ChecklistRow<'a>>,
    entries: Vec<EntryRow<'a>>,
    chain_intact: bool,
    chain_text: String,
    chain_problems: Vec<String>,
}

struct DocumentRow<'a> {
    kind: String,
    /// Where the document is, in the form's words ("Person 1 (Ana Lima) › ID front image").
    place: String,
    path: &'a str,
    file_id: &'a str,
    decision_code: &'static str,
    decision: &'static str,
    reasons: String,
    note: &'a str,
    decided_by: &'a str,
    decided_at: String,
    copy_sha256: Option<&'a str>,
}

struct ChecklistRow<'a> {
    id: &'a str,
    label: &'a str,
    state_code: &'static str,
    state: &'static str,
    detail: &'a str,
}

struct EntryRow<'a> {
    seq: u64,
    at: String,
    actor: &'a str,
    kind: &'static str,
    summary: String,
    hash: &'a str,
    hash_prefix: &'a str,
}

fn time(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

impl<'a> From<&'a CaseReport> for CasePage<'a> {
    fn from(report: &'a CaseReport) -> Self {
        let (approval_code, approval_text) = approval_words(&report.approval);
        let documents = report
            .documents
            .iter()
            .map(|doc| {
                let reference = &doc.reference;
                let kind = match reference.person {
                    Some(i) => format!(
                        "{} — {}",
                        labels::document_kind_label(reference.kind),
                        person_heading(Some(&report.record), i as usize)
                    ),
                    None => labels::document_kind_label(reference.kind).to_owned(),
                };
                let decision = doc.decision.as_ref();
                DocumentRow {
                    kind,
                    place: path_label(&reference.path, Some(&report.record)),
                    path: &reference.path,
                    file_id: &reference.file_id,
                    decision_code: decision.map_or("none", |d| labels::decision_code(d.decision)),
                    decision: decision.map_or("No decision", |d| labels::decision_label(d.decision)),
                    reasons: decision.map(|d| labels::reasons_label(&d.reasons)).unwrap_or_default(),
                    note: decision.map_or("", |d| d.note.as_str()),
                    decided_by: decision.map_or("", |d| d.decided_by.as_str()),
                    decided_at: decision.map(|d| time(&d.decided_at)).unwrap_or_default(),
                    copy_sha256: doc.copy_sha256.as_deref(),
                }
            })
            .collect();
        let checklist = report
            .checklist
            .items
            .iter()
            .map(|item| ChecklistRow {
                id: &item.id,
                label: &item.label,
                state_code: match item.state {
                    ItemState::Done => "done",
                    ItemState::Missing => "missing",
                    ItemState::Failed => "failed",
                },
                state: labels::item_state_label(item.state),
                detail: &item.detail,
            })
            .collect();
        let entries = report
            .entries
            .iter()
            .map(|entry| EntryRow {
                seq: entry.seq,
                at: time(&entry.at),
                actor: &entry.actor,
                kind: entry.event.type_name(),
                summary: entry.event.summary(),
                hash: &entry.hash,
                hash_prefix: short_hash(&entry.hash),
            })
            .collect();
        let chain = &report.chain;
        let chain_text = if chain.intact {
            let head = chain.head.as_deref().map_or_else(|| "none".to_owned(), |h| format!("{}…", short_hash(h)));
            format!("Audit chain intact ({} entries, head {head})", chain.entries)
        } else {
            format!(
                "Audit chain BROKEN: {} problem{} in {} readable entries",
                chain.problems.len(),
                if chain.problems.len() == 1 { "" } else { "s" },
                chain.entries
            )
        };
        let chain_problems = chain
            .problems
            .iter()
            .map(|p| {
                let seq = p.seq.map(|s| format!(", entry {s}")).unwrap_or_default();
                format!("{} (line {}{seq}): {}", problem_kind_label(p.kind), p.line, p.message)
            })
            .collect();
        CasePage {
            title: format!("KYB case report — {}", report.customer),
            environment: &report.environment,
            customer: &report.customer,
            business_name: report.business_name.as_deref(),
            status: report.status.as_deref(),
            approval_code,
            approval_text,
            preparers: report.preparers.join(", "),
            generated_by: &report.generated_by,
            generated_at: time(&report.generated_at),
            changes: &report.changes.groups,
            documents,
            checklist_complete: report.checklist.complete,
            checklist,
            entries,
            chain_intact: chain.intact,
            chain_text,
            chain_problems,
        }
    }
}

fn approval_words(state: &ApprovalState) -> (&'static str, String) {
    match state {
        ApprovalState::None => ("none", "Not approved".to_owned()),
        ApprovalState::Valid { approval } => (
            "valid",
            format!(
                "Approved by {} at {} for diff hash {}",
                approval.approver,
                time(&approval.approved_at),
                approval.diff_hash
            ),
        ),
        ApprovalState::Void { approval, current_hash } => (
            "void",
            format!(
                "Void: approved by {} at {} for diff hash {}, but the changes are now {} \
                 (the approval no longer counts)",
                approval.approver,
                time(&approval.approved_at),
                approval.diff_hash,
                current_hash
            ),
        ),
    }
}

fn problem_kind_label(kind: ChainProblemKind) -> &'static str {
    match kind {
        ChainProblemKind::Edited => "Edited",
        ChainProblemKind::BrokenLink => "Broken link",
        ChainProblemKind::OutOfOrder => "Out of order",
        ChainProblemKind::Missing => "Missing",
        ChainProblemKind::Unreadable => "Unreadable",
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::audit::{entry_hash, verify_chain, AuditEvent, ChainProblem, GENESIS_HASH};
    use crate::review::{Approval, ChecklistItem, Decision, DecisionReason, DocumentKind};

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 4, 2, 10, minute, 0).unwrap()
    }

    fn entries(customer: &str) -> Vec<AuditEntry> {
        let events = [
            AuditEvent::DocumentDecided {
                file_id: "file_front".into(),
                path: "business_person_list[0].identification.id_document_front_file_id".into(),
                decision: Decision::Rejected,
                reasons: vec![DecisionReason::SuspectedTampering],
                note: "edges <b>blurred</b>".into(),
            },
            AuditEvent::ApprovalRefused { reason: "Bob prepared this change".into() },
        ];
        let mut out: Vec<AuditEntry> = Vec::new();
        for (i, event) in events.into_iter().enumerate() {
            let mut entry = AuditEntry {
                seq: i as u64 + 1,
                at: at(i as u32),
                actor: "Alice".into(),
                environment: "Sandbox".into(),
                customer: customer.into(),
                draft_id: None,
                event,
                prev_hash: out.last().map_or_else(|| GENESIS_HASH.to_owned(), |e| e.hash.clone()),
                hash: String::new(),
            };
            entry.hash = entry_hash(&entry);
            out.push(entry);
        }
        out
    }

    fn record(business_name: &str) -> serde_json::Value {
        serde_json::json!({
            "business_details": {"business_name_english": business_name, "website": "https://a.example"},
            "business_person_list": [{"basic_info": {"first_name_english": "Ana", "last_name_english": "Lima"},
                                      "identification": {"id_expiration_date": "2031-03-15T00:00:00Z"}}]
        })
    }

    fn report(customer: &str, business_name: &str) -> CaseReport {
        let entries = entries(customer);
        let chain = verify_chain(&entries);
        let decision = |file_id: &str, decision, reasons: Vec<DecisionReason>, note: &str| DocumentDecision {
            file_id: file_id.into(),
            decision,
            reasons,
            note: note.into(),
            decided_by: "Carol".into(),
            decided_at: at(5),
        };
        let reference = |file_id: &str, kind, path: &str, person| DocumentRef {
            file_id: file_id.into(),
            kind,
            path: path.into(),
            person,
            supports: vec![],
        };
        CaseReport {
            environment: "Sandbox".into(),
            customer: customer.into(),
            business_name: Some(business_name.into()),
            status: Some("Processing".into()),
            changes: crate::diff::diff_view(
                &serde_json::json!({
                    "business_details": {"business_name_english": "Old & Co"},
                    "business_person_list": [{"basic_info": {"first_name_english": "Ana", "last_name_english": "Lima"},
                                              "identification": {"id_expiration_date": "2030-01-31T00:00:00Z"}}]
                }),
                &record(business_name),
            ),
            record: record(business_name),
            documents: vec![
                CaseDocument {
                    reference: reference(
                        "file_reg",
                        DocumentKind::BusinessRegistration,
                        "business_details.business_identifier_document_list[0]",
                        None,
                    ),
                    decision: Some(decision("file_reg", Decision::Verified, vec![], "")),
                    copy_sha256: Some("ab".repeat(32)),
                },
                CaseDocument {
                    reference: reference(
                        "file_front",
                        DocumentKind::IdFront,
                        "business_person_list[0].identification.id_document_front_file_id",
                        Some(0),
                    ),
                    decision: Some(decision(
                        "file_front",
                        Decision::Rejected,
                        vec![DecisionReason::DetailsMismatch, DecisionReason::Expired],
                        "name <i>differs</i>",
                    )),
                    copy_sha256: None,
                },
                CaseDocument {
                    reference: reference(
                        "file_back",
                        DocumentKind::IdBack,
                        "business_person_list[0].identification.id_document_back_file_id",
                        Some(0),
                    ),
                    decision: None,
                    copy_sha256: None,
                },
            ],
            checklist: Checklist {
                items: vec![
                    ChecklistItem {
                        id: "documents_decided".into(),
                        label: "Every document has a decision".into(),
                        state: ItemState::Missing,
                        detail: "1 document has no decision".into(),
                        field: None,
                    },
                    ChecklistItem {
                        id: "documents_acceptable".into(),
                        label: "No document is rejected or needs re-upload".into(),
                        state: ItemState::Failed,
                        detail: "file_front is rejected".into(),
                        field: None,
                    },
                ],
                complete: false,
            },
            approval: ApprovalState::Valid {
                approval: Approval {
                    approver: "Dave".into(),
                    preparers: vec!["Bob".into()],
                    diff_hash: "cd".repeat(32),
                    environment: "Sandbox".into(),
                    approved_at: at(7),
                },
            },
            preparers: vec!["Bob".into()],
            entries,
            chain,
            generated_by: "Erin".into(),
            generated_at: at(9),
        }
    }

    /// `html` with character references decoded (what a browser shows; askama writes `&#60;`,
    /// other escapers `&lt;`, both are fine).
    fn shown(html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            rest = &rest[amp..];
            let end = rest.find(';').expect("a character reference ends with ;");
            let name = &rest[1..end];
            let decoded = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let number = name.strip_prefix('#').expect("a numeric reference");
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
                        None => number.parse().unwrap(),
                    };
                    char::from_u32(code).unwrap()
                }
            };
            out.push(decoded);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The attributes of the `<tr>` whose `data-file-id` is `file_id`, and the row's text.
    fn document_row<'h>(html: &'h str, file_id: &str) -> &'h str {
        let start = html.find(&format!("<tr data-file-id=\"{file_id}\"")).expect("the document row");
        let end = start + html[start..].find("</tr>").expect("the row ends");
        &html[start..end]
    }

    #[test]
    fn a_report_is_a_complete_self_contained_page() {
        let html = render_case_report(&report("cus_123", "Acme Ltd"));
        assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..40]);
        assert!(html.contains("<html lang=\"en\">") && html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<title>KYB case report — cus_123</title>"));
        assert!(html.contains("@media print"));
        for id in ["summary", "changes", "documents", "checklist", "audit"] {
            assert!(html.contains(&format!("<section id=\"{id}\">")), "section {id}");
        }
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "no scripts");
        let external = ["src=", "<link", "url(", "@import", "http://"];
        assert!(!external.iter().any(|e| lower.contains(e)), "no external resources");
        assert!(html.trim_end().ends_with("</html>"));
        // Summary: approval, preparers, who generated it.
        assert!(html.contains("data-approval=\"valid\""));
        let approved = format!("Approved by Dave at 2025-04-02 10:07:00 UTC for diff hash {}", "cd".repeat(32));
        assert!(html.contains(&approved));
        assert!(html.contains("<dt>Prepared by</dt><dd>Bob</dd>"));
        assert!(html.contains("<dt>Generated by</dt><dd>Erin</dd>"));
        // Changes: grouped by section and person, by label, before and after, an absent value
        // named, dates as dates.
        assert!(shown(&html).contains("Old & Co") && !html.contains("Old & Co"));
        assert!(html.contains("<span class=\"absent\">(absent)</span>"));
        assert!(html.contains("<th scope=\"rowgroup\" colspan=\"3\">Business details</th>"));
        assert!(html.contains("<th scope=\"rowgroup\" colspan=\"3\">Person 1 (Ana Lima)</th>"));
        assert!(html.contains(">Website</td>") && html.contains(">ID expiry date</td>"));
        assert!(html.contains("<td>2030-01-31</td>") && html.contains("<td>2031-03-15</td>"), "dates as dates");
        assert!(!html.contains("T00:00:00Z"));
        let business = html.find("Business details</th>").unwrap();
        assert!(business < html.find("Person 1 (Ana Lima)</th>").unwrap(), "form order");
        // Checklist states.
        assert!(html.contains("data-item=\"documents_acceptable\" data-state=\"failed\""));
        assert!(html.contains("Not complete."));
        // Audit entries with their hash prefix and summary.
        assert!(html.contains("data-seq=\"2\" data-type=\"approval_refused\""));
        assert!(html.contains("Approval refused: Bob prepared this change"));
        assert!(html.contains(&format!("{}…", short_hash(&report("cus_123", "Acme Ltd").entries[0].hash))));
    }

    #[test]
    fn document_decisions_are_shown_with_their_reasons() {
        let html = render_case_report(&report("cus_123", "Acme Ltd"));
        let rejected = document_row(&html, "file_front");
        assert!(rejected.contains("data-decision=\"rejected\""), "{rejected}");
        assert!(rejected.contains(">Rejected<"));
        assert!(rejected.contains("Details do not match the record, Expired"), "{rejected}");
        assert!(shown(rejected).contains("name <i>differs</i>") && !html.contains("<i>"));
        assert!(rejected.contains("Carol") && rejected.contains("2025-04-02 10:05:00 UTC"));
        assert!(rejected.contains("ID front — Person 1 (Ana Lima)"), "{rejected}");
        assert!(rejected.contains("Person 1 (Ana Lima) › ID front image"), "{rejected}");
        assert!(rejected.contains("no local copy"));

        let verified = document_row(&html, "file_reg");
        assert!(verified.contains("data-decision=\"verified\"") && verified.contains(">Verified<"));
        assert!(verified.contains(&"ab".repeat(32)));
        assert!(verified.contains("Business registration document"));

        let undecided = document_row(&html, "file_back");
        assert!(undecided.contains("data-decision=\"none\"") && undecided.contains("No decision"));
        // The audit entry's decision is in words too.
        assert!(html.contains("Rejected — Suspected tampering"));
    }

    #[test]
    fn every_value_is_escaped() {
        let hostile = "<script>alert(\"x\")</script>";
        let mut report = report(hostile, hostile);
        report.generated_by = "Eve\" onload=\"x".into();
        report.documents[1].reference.file_id = "f\"><script>alert(1)</script>".into();
        report.entries[1].actor = "<img src=x onerror=alert(1)>".into();
        let html = render_case_report(&report);
        assert!(!html.contains("<script>"), "unescaped script tag");
        assert!(!html.contains("<img"), "unescaped image tag");
        assert!(!html.contains("Eve\" onload"), "an attribute could be closed");
        let shown = shown(&html);
        assert!(shown.contains("<title>KYB case report — <script>alert(\"x\")</script></title>"), "still shown");
        assert!(shown.contains("<tr data-file-id=\"f\"><script>alert(1)</script>\" data-decision=\"rejected\">"));
        assert!(shown.contains("Eve\" onload=\"x") && shown.contains("<img src=x onerror=alert(1)>"));
        // Inside attributes, quotes are escaped too: every data-file-id value is one token.
        for attribute in html.split("data-file-id=\"").skip(1) {
            let value = &attribute[..attribute.find('"').unwrap()];
            assert!(!value.contains(['<', '>', '\'']), "{value}");
        }
    }

    #[test]
    fn a_broken_chain_says_so() {
        let mut report = report("cus_123", "Acme Ltd");
        let html = render_case_report(&report);
        assert!(html.contains("data-intact=\"true\""));
        assert!(html.contains("Audit chain intact (2 entries, head "));
        assert!(!html.contains("BROKEN"));

        report.entries[0].actor = "Mallory".into();
        report.chain = verify_chain(&report.entries);
        report.chain.problems.push(ChainProblem {
            line: 3,
            seq: None,
            kind: ChainProblemKind::Unreadable,
            message: "line 3 cannot be read: <garbage>".into(),
        });
        report.chain.intact = false;
        let html = render_case_report(&report);
        assert!(html.contains("data-intact=\"false\""));
        assert!(!html.contains("data-intact=\"true\""));
        assert!(html.contains("Audit chain BROKEN: 2 problems"));
        assert!(html.contains("Edited (line 1, entry 1): entry 1 was changed"));
        assert!(shown(&html).contains("Unreadable (line 3): line 3 cannot be read: <garbage>"));
        assert!(!html.contains("<garbage>"));
    }

    #[test]
    fn void_and_missing_approvals_are_named() {
        let mut report = report("new:p-1", "Acme Ltd");
        let ApprovalState::Valid { approval } = report.approval.clone() else { unreachable!() };
        report.approval = ApprovalState::Void { approval, current_hash: "ef".repeat(32) };
        let html = render_case_report(&report);
        assert!(html.contains("data-approval=\"void\""));
        assert!(html.contains("Void: approved by Dave"));
        assert!(html.contains(&"ef".repeat(32)));
        report.approval = ApprovalState::None;
        report.preparers.clear();
        report.documents.clear();
        report.changes.groups.clear();
        report.entries.clear();
        let html = render_case_report(&report);
        assert!(html.contains("data-approval=\"none\"") && html.contains("Not approved"));
        assert!(html.contains("nobody recorded"));
        assert!(html.contains("The record references no documents."));
        assert!(html.contains("No field changes."));
    }
}
