//! The reviewer workflow: documents beside the fields they support, a decision per
//! document, identifier confirmations, four-eyes approval, and the printable case report.
//! Every action needs a chosen profile and is written to the audit trail before it returns.

use std::collections::BTreeMap;

use chrono::Utc;
use kyb_core::audit::{render_case_report, AuditEvent, AuditFilter, CaseDocument, CaseReport};
use kyb_core::diff::{diff_values, diff_view, FieldChange};
use kyb_core::drafts::Draft;
use kyb_core::field_path::text_at;
use kyb_core::profiles::same_person;
use kyb_core::outbox::{latest_for_draft, OutboxEntry};
use kyb_core::review::{
    approval_state, diff_hash, is_confirmable_identifier_path, needs_reasons, referenced_documents,
    review_blockers, submit_readiness, ApprovalState, Checklist, Decision, DecisionReason, DocumentDecision,
    DocumentRef, IdentifierMatch, ReviewBlocker, SubmitReadiness, MAX_NOTE_CHARS,
};
use kyb_core::review::{approve_with_copies, draft_checklist, CopyHashes};
use kyb_core::vault::{DocumentCopy, DocumentVault};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::draft_id;
use crate::exports::{write_export_as, ExportedDraft};
use crate::audit_trail::{self, about_draft, customer_label};
use crate::error::{draft_error, AppError, AppErrorBody};
use crate::state::{blocking, AppState, DraftsHome};


/// One referenced document with its local copy (when this machine has one) and its decision.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewDocument {
    pub reference: DocumentRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub copy: Option<DocumentCopy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub decision: Option<DocumentDecision>,
}

/// What `review_status` (and every review action) answers about one draft.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewView {
    pub draft_id: String,
    pub environment: String,
    /// `customer_id`, or `new:<partner_customer_id>`.
    pub customer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub business_name: Option<String>,
    /// Whether the draft's environment blocks queueing without an approval.
    pub requires_approval: bool,
    /// The profile acting now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub profile: Option<String>,
    #[ts(type = "number")]
    pub revision: u64,
    /// The draft's record (for the values of the fields each document supports).
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub record: Value,
    /// In form order: business documents, then each representative's ID front and back.
    pub documents: Vec<ReviewDocument>,
    pub checklist: Checklist,
    /// Field path → who confirmed its value matches the document (still valid or not: the
    /// checklist says).
    pub matches: BTreeMap<String, IdentifierMatch>,
    pub approval: ApprovalState,
    /// Who prepared the change.
    pub editors: Vec<String>,
    /// What would be submitted: every field, base → draft.
    pub changes: Vec<FieldChange>,
    pub diff_hash: String,
    /// Why the active profile cannot approve now; absent when it can.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub approve_blocker: Option<AppErrorBody>,
    /// The draft's own state (unsent changes, approval, readiness), apart from its last submission.
    pub state: DraftState,
}

/// Where a draft stands, apart from how its last submission went: what the editor and Review
/// changes show ("12 unsent changes", "Waiting for approval", "Last submission: …").
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DraftState {
    /// Fields the draft changes from its base, not sent yet.
    pub pending_changes: u32,
    /// The draft's state in words: "12 unsent changes", "3 unsent changes, approved, not sent",
    /// "No unsent changes".
    pub summary: String,
    /// Whether four-eyes lets it be queued, and if not who can unblock it.
    pub readiness: SubmitReadiness,
    /// What the record must still hold before its review can be completed (the checklist's rule),
    /// where the environment requires approval; empty elsewhere. The editor lists them as problems.
    pub blockers: Vec<ReviewBlocker>,
    /// Whether the active profile may give the approval this change waits for.
    pub needs_my_review: bool,
    /// The draft's newest outbox entry (its last submission), when it was ever queued.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_submission: Option<OutboxEntry>,
}

/// The draft's state in words, from its count of unsent changes and its approval.
pub fn draft_state_summary(pending_changes: u32, approval: &ApprovalState, requires_approval: bool) -> String {
    if pending_changes == 0 {
        return "No unsent changes".to_owned();
    }
    let count = if pending_changes == 1 { "1 unsent change".to_owned() } else { format!("{pending_changes} unsent changes") };
    match approval {
        ApprovalState::Valid { .. } => format!("{count}, approved, not sent"),
        ApprovalState::Void { .. } if requires_approval => format!("{count}, approval void: waiting for a new approval"),
        ApprovalState::None | ApprovalState::Void { .. } if requires_approval => format!("{count}, waiting for approval"),
        ApprovalState::None | ApprovalState::Void { .. } => count,
    }
}

/// Whether `profile` may give the approval a change waits for: the environment requires one,
/// the draft changes something, someone prepared it, it is not approved as it is, and `profile`
/// is not among its preparers (four-eyes). The "Needs review" list holds exactly these.
pub fn needs_review_by(
    profile: Option<&str>,
    pending_changes: u32,
    preparers: &[String],
    approval: &ApprovalState,
    requires_approval: bool,
) -> bool {
    let Some(profile) = profile.filter(|name| !name.trim().is_empty()) else { return false };
    requires_approval
        && pending_changes > 0
        && !preparers.is_empty()
        && !matches!(approval, ApprovalState::Valid { .. })
        && !preparers.iter().any(|name| same_person(name, profile))
}

/// The review of draft `id`.
pub async fn review_status(state: &AppState, id: &str) -> Result<ReviewView, AppError> {
    let id = draft_id(id)?;
    let home = state.drafts()?.clone();
    let draft = load(&home, &id).await?;
    Ok(review_view(state, &home, draft).await?)
}

/// Record the active profile's decision on document `file_id` of draft `id`. `decision` is
/// `verified`, `needs_reupload` or `rejected`; the last two need at least one reason; reason
/// `other` needs a note. Refused for a preparer of the change (`self_approval`).
pub async fn decide_document(
    state: &AppState,
    id: &str,
    file_id: &str,
    decision: Decision,
    mut reasons: Vec<DecisionReason>,
    note: &str,
) -> Result<ReviewView, AppError> {
    let id = draft_id(id)?;
    reasons.sort();
    reasons.dedup();
    if let Some(link) = state.team.links.get(&id) {
        return super::team::review::decide(state, &id, &link, file_id, decision, &reasons, note).await;
    }
    let profile = state.require_profile()?;
    let note = note.trim().to_owned();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid_input("note", format!("the note is longer than {MAX_NOTE_CHARS} characters")));
    }
    if !needs_reasons(decision) {
        reasons.clear();
    } else if reasons.is_empty() {
        return Err(AppError::invalid_input("reasons", "choose at least one reason for this decision"));
    }
    if reasons.contains(&DecisionReason::Other) && note.is_empty() {
        return Err(AppError::invalid_input("note", "describe the reason in the note (reason \"Other\" was chosen)"));
    }
    let home = state.drafts()?.clone();
    let _writing = state.draft_writes.lock().await;
    let mut draft = load(&home, &id).await?;
    let reference = referenced_documents(&draft.record)
        .into_iter()
        .find(|r| r.file_id == file_id.trim())
        .ok_or_else(|| AppError::invalid_input("file_id", format!("this draft does not reference file {file_id:?}")))?;
    refuse_preparer(&draft, &profile)?;
    let decided = DocumentDecision {
        file_id: reference.file_id.clone(),
        decision,
        reasons: reasons.clone(),
        note: note.clone(),
        decided_by: profile.clone(),
        decided_at: Utc::now(),
    };
    draft.review.decisions.insert(reference.file_id.clone(), decided);
    let event = AuditEvent::DocumentDecided { file_id: reference.file_id, path: reference.path, decision, reasons, note };
    let draft = record_and_put(&home, draft, &profile, event).await?;
    Ok(review_view(state, &home, draft).await?)
}

/// Confirm (or withdraw) that the value at `path` matches its document: `path` is
/// `business_details.business_identifier_number` or
/// `business_person_list[i].identification.id_number`. Refused for a preparer.
pub async fn confirm_identifier(
    state: &AppState,
    id: &str,
    path: &str,
    confirmed: bool,
) -> Result<ReviewView, AppError> {
    let id = draft_id(id)?;
    let profile = state.require_profile()?;
    let path = path.trim().to_owned();
    if !is_confirmable_identifier_path(&path) {
        return Err(AppError::invalid_input("path", format!("{path:?} is not an identifier number field")));
    }
    let home = state.drafts()?.clone();
    let _writing = state.draft_writes.lock().await;
    let mut draft = load(&home, &id).await?;
    refuse_preparer(&draft, &profile)?;
    let value = text_at(&draft.record, &path).unwrap_or_default();
    if confirmed {
        if value.is_empty() {
            return Err(AppError::invalid_input(path, "this field is empty, so there is nothing to confirm"));
        }
        let confirmation = IdentifierMatch { value: value.clone(), confirmed_by: profile.clone(), confirmed_at: Utc::now() };
        draft.review.matches.insert(path.clone(), confirmation);
    } else {
        draft.review.matches.remove(&path);
    }
    let event = AuditEvent::IdentifierConfirmed { path, value, confirmed };
    let draft = record_and_put(&home, draft, &profile, event).await?;
    Ok(review_view(state, &home, draft).await?)
}

/// Approve draft `id` as the active profile, bound to the hash of its exact diff. Refused for a
/// preparer (`self_approval`), with the checklist incomplete (`checklist_incomplete`), or with
/// nothing valid to approve (`approval_refused`); a refusal is recorded in the trail too.
pub async fn approve_draft(state: &AppState, id: &str) -> Result<ReviewView, AppError> {
    let id = draft_id(id)?;
    if let Some(link) = state.team.links.get(&id) {
        return super::team::review::approve(state, &id, &link).await;
    }
    let profile = state.require_profile()?;
    let home = state.drafts()?.clone();
    let _writing = state.draft_writes.lock().await;
    let mut draft = load(&home, &id).await?;
    let now = Utc::now();
    let copies = {
        let (vault, draft) = (home.vault.clone(), draft.clone());
        blocking(move || copy_hashes(&vault, &draft)).await??
    };
    match approve_with_copies(&mut draft, &profile, now.date_naive(), now, &copies) {
        Ok(approval) => {
            let changes = changes_of(&draft);
            let event =
                AuditEvent::ApprovalGranted { diff_hash: approval.diff_hash.clone(), preparers: approval.preparers, changes };
            let draft = record_and_put(&home, draft, &profile, event).await?;
            tracing::info!(draft = %id, "draft approved");
            Ok(review_view(state, &home, draft).await?)
        }
        Err(refusal) => {
            let event = AuditEvent::ApprovalRefused { reason: refusal.to_string() };
            audit_trail::append(&home, about_draft(&draft, &profile, event)).await?;
            Err(refusal.into())
        }
    }
}

/// Write the printable HTML case report of draft `id` (customer, diff, documents with their
/// decisions, checklist, approval, and the customer's audit entries with the chain check) into
/// the export folder.
pub async fn export_case_report(state: &AppState, id: &str) -> Result<ExportedDraft, AppError> {
    let id = draft_id(id)?;
    let profile = state.require_profile()?;
    let home = state.drafts()?.clone();
    let draft = load(&home, &id).await?;
    let folders = state.exports.clone();
    let exported = blocking(move || -> Result<ExportedDraft, AppError> {
        let customer = customer_label(&draft.target);
        let filter = AuditFilter {
            customer: Some(customer.clone()),
            environment: Some(draft.environment.clone()),
            ..AuditFilter::default()
        };
        let entries = home.audit.entries(&filter)?;
        let chain = home.audit.verify()?;
        let mut documents = Vec::new();
        let copies = copy_hashes(&home.vault, &draft)?;
        for reference in referenced_documents(&draft.record) {
            let copy = home.vault.info(&draft.environment, &reference.file_id)?;
            documents.push(CaseDocument {
                decision: draft.review.decisions.get(&reference.file_id).cloned(),
                copy_sha256: copy.map(|c| c.sha256),
                reference,
            });
        }
        let now = Utc::now();
        let report = CaseReport {
            environment: draft.environment.clone(),
            business_name: business_name(&draft),
            status: draft.base.as_ref().and_then(|b| b.status.clone()),
            changes: diff_view(draft.base.as_ref().map_or(&Value::Object(Default::default()), |b| &b.record), &draft.record),
            record: draft.record.clone(),
            documents,
            checklist: draft_checklist(&draft, &copies, now.date_naive()),
            approval: approval_state(&draft),
            preparers: draft.review.editors.clone(),
            entries,
            chain,
            generated_by: profile,
            generated_at: now,
            customer: customer.clone(),
        };
        let html = render_case_report(&report);
        let stem = format!("kyb-case-report-{}-{}", file_safe(&customer), now.format("%Y%m%d-%H%M%S"));
        let (path, file_name) = write_export_as(&folders, &stem, "html", html.as_bytes())?;
        Ok(ExportedDraft::new(&path, file_name))
    })
    .await??;
    tracing::info!(file = %exported.file_name, "case report exported");
    Ok(exported)
}

async fn load(home: &DraftsHome, id: &str) -> Result<Draft, AppError> {
    let store = home.store.clone();
    let id = id.to_owned();
    blocking(move || store.load(&id).map_err(|err| draft_error(Some(&id), err))).await?
}

/// Record the action in the trail, then write the draft (fail closed: see
/// [`audit_trail::record_then`]).
async fn record_and_put(home: &DraftsHome, draft: Draft, actor: &str, event: AuditEvent) -> Result<Draft, AppError> {
    let store = home.store.clone();
    let entry = about_draft(&draft, actor, event);
    audit_trail::record_then(home, entry, move || store.put(&draft).map(|()| draft).map_err(|err| draft_error(None, err))).await
}

/// Four-eyes: whoever prepared the change does not review its documents.
fn refuse_preparer(draft: &Draft, profile: &str) -> Result<(), AppError> {
    if draft.review.editors.iter().any(|name| same_person(name, profile)) {
        return Err(AppError::SelfReview { profile: profile.to_owned() });
    }
    Ok(())
}

pub async fn review_view(state: &AppState, home: &DraftsHome, draft: Draft) -> Result<ReviewView, AppError> {
    let requires_approval = state.environment(&draft.environment).await.is_some_and(|e| e.requires_approval);
    let profile = state.profile();
    let vault = home.vault.clone();
    let outbox = home.outbox.clone();
    blocking(move || -> Result<ReviewView, AppError> {
        let now = Utc::now();
        let entries = outbox.entries().map_err(|err| crate::error::outbox_error(None, err))?;
        let last_submission = latest_for_draft(entries, &draft.id).map(super::outbox::for_page);
        let pending_changes = u32::try_from(changes_of(&draft).len()).unwrap_or(u32::MAX);
        let approval = approval_state(&draft);
        let state = DraftState {
            pending_changes,
            summary: draft_state_summary(pending_changes, &approval, requires_approval),
            readiness: submit_readiness(&draft, requires_approval),
            blockers: if requires_approval { review_blockers(&draft.record) } else { Vec::new() },
            needs_my_review: needs_review_by(
                profile.as_deref(),
                pending_changes,
                &draft.review.editors,
                &approval,
                requires_approval,
            ),
            last_submission,
        };
        let mut documents = Vec::new();
        for reference in referenced_documents(&draft.record) {
            let copy = vault.info(&draft.environment, &reference.file_id)?;
            let decision = draft.review.decisions.get(&reference.file_id).cloned();
            documents.push(ReviewDocument { reference, copy, decision });
        }
        let copies = copy_hashes(&vault, &draft)?;
        let approve_blocker = match &profile {
            None => Some(AppError::NoProfile.body()),
            Some(name) => {
                let mut trial = draft.clone();
                approve_with_copies(&mut trial, name, now.date_naive(), now, &copies)
                    .err()
                    .map(|err| AppError::from(err).body())
            }
        };
        Ok(ReviewView {
            draft_id: draft.id.clone(),
            environment: draft.environment.clone(),
            customer: customer_label(&draft.target),
            business_name: business_name(&draft),
            requires_approval,
            profile,
            revision: draft.revision,
            documents,
            checklist: draft_checklist(&draft, &copies, now.date_naive()),
            matches: draft.review.matches.clone(),
            approval,
            editors: draft.review.editors.clone(),
            changes: changes_of(&draft),
            diff_hash: diff_hash(&draft),
            approve_blocker,
            state,
            record: draft.record,
        })
    })
    .await?
}

/// Every field, base (nothing for a new customer) → draft.
pub fn changes_of(draft: &Draft) -> Vec<FieldChange> {
    let empty = Value::Object(Default::default());
    diff_values(draft.base.as_ref().map_or(&empty, |b| &b.record), &draft.record)
}

/// `file_id` → SHA-256 of the local copy of each document `draft` references (for the reviewer
/// flag on one image used in two places).
fn copy_hashes(vault: &DocumentVault, draft: &Draft) -> Result<CopyHashes, AppError> {
    let mut hashes = CopyHashes::new();
    for reference in referenced_documents(&draft.record) {
        if let Some(copy) = vault.info(&draft.environment, &reference.file_id)? {
            hashes.insert(reference.file_id, copy.sha256);
        }
    }
    Ok(hashes)
}

fn business_name(draft: &Draft) -> Option<String> {
    text_at(&draft.record, "business_details.business_name_english").filter(|name| !name.is_empty())
}

/// A customer label as part of a file name.
fn file_safe(text: &str) -> String {
    let safe: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).take(64).collect();
    if safe.is_empty() { "customer".to_owned() } else { safe }
}
