//! Reviewer workflow: the documents a record references, a decision per document, the
//! per-record checklist, and four-eyes approval bound to a hash of the exact diff.
//!
//! Everything a review produces lives in the draft ([`crate::drafts::Draft::review`]), so it is
//! sealed with the draft and travels with an exported draft file. Contract: docs/review-audit.md.

mod approval;
mod checklist;
mod documents;
mod identifiers;
mod model;
mod vocabulary;

pub use approval::{approval_state, approve, approve_with_copies, check_submittable, diff_hash, is_real_change, pending_changes, record_edit, submit_readiness, join_names,
    ApprovalError, ApprovalState, SubmitReadiness,
};
pub use checklist::{checklist, review_blockers, Checklist, ChecklistItem, ItemState, ReviewBlocker};
pub use documents::{document_flags, draft_checklist, referenced_documents, CopyHashes, DocumentKind, DocumentRef};
pub use identifiers::{
    is_confirmable_identifier_path, person_id_number_path, BUSINESS_IDENTIFIER_PATH, CONFIRMABLE_IDENTIFIER_PATTERNS,
};
pub use vocabulary::{needs_reasons, review_vocabulary, Labelled, ReviewVocabulary, DECISIONS};
pub use model::{Approval, Decision, DecisionReason, DocumentDecision, IdentifierMatch, Review, MAX_NOTE_CHARS};

/// A small reviewed draft for the tests of this module and of the drafts store.
#[cfg(test)]
pub(crate) mod test_support {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde_json::{json, Value};

    use super::{referenced_documents, Decision, DocumentDecision, IdentifierMatch};
    use crate::drafts::{update_draft_id, Draft, DraftBase, DraftTarget};

    pub(crate) const PREPARER: &str = "Ana Lima";
    pub(crate) const APPROVER: &str = "Ben Okoro";

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
    }

    pub(crate) fn now() -> DateTime<Utc> {
        "2026-06-15T10:00:00Z".parse().unwrap()
    }

    /// One business document, one representative with both ID sides, valid until 2030.
    pub(crate) fn record() -> Value {
        json!({
            "business_details": {
                "business_name_english": "Acme Trading Ltd",
                "business_identifier_number": "12-3456789",
                "business_identifier_document_list": ["f-reg"],
            },
            "business_person_list": [{
                "basic_info": {"first_name_english": "Ana", "last_name_english": "Lima"},
                "identification": {
                    "id_number": "P1234567",
                    "id_expiration_date": "2030-01-31T00:00:00Z",
                    "id_document_front_file_id": "f-front",
                    "id_document_back_file_id": "f-back",
                },
            }],
        })
    }

    /// An update of `record()` (the base differs in the English name), prepared by
    /// [`PREPARER`], every document verified and every identifier confirmed; valid (0 issues).
    pub(crate) fn draft() -> Draft {
        let mut base = record();
        base["business_details"]["business_name_english"] = json!("Acme Ltd");
        let mut draft = Draft {
            id: update_draft_id("Production", "cus_1"),
            environment: "Production".into(),
            target: DraftTarget::Update { customer_id: "cus_1".into() },
            base: Some(DraftBase { record: base, partner_customer_id: None, status: None, fetched_at: now() }),
            record: record(),
            revision: 3,
            created_at: now(),
            updated_at: now(),
            issue_count: 0,
            review: Default::default(),
        };
        draft.review.editors.push(PREPARER.to_owned());
        confirm_everything(&mut draft);
        draft
    }

    /// Every referenced document verified and every identifier confirmed, by [`APPROVER`].
    pub(crate) fn confirm_everything(draft: &mut Draft) {
        for doc in referenced_documents(&draft.record) {
            draft.review.decisions.insert(doc.file_id.clone(), decision(&doc.file_id, Decision::Verified));
        }
        let mut paths = vec!["business_details.business_identifier_number".to_owned()];
        let persons = draft.record["business_person_list"].as_array().map_or(0, Vec::len);
        paths.extend((0..persons).map(|i| format!("business_person_list[{i}].identification.id_number")));
        for path in paths {
            if let Some(value) = super::checklist::text_at(&draft.record, &path).map(str::to_owned) {
                let confirmed = IdentifierMatch { value, confirmed_by: APPROVER.into(), confirmed_at: now() };
                draft.review.matches.insert(path, confirmed);
            }
        }
    }

    pub(crate) fn decision(file_id: &str, decision: Decision) -> DocumentDecision {
        let reasons = if decision == Decision::Verified { vec![] } else { vec![super::DecisionReason::Illegible] };
        DocumentDecision {
            file_id: file_id.into(),
            decision,
            reasons,
            note: String::new(),
            decided_by: APPROVER.into(),
            decided_at: now(),
        }
    }
}
