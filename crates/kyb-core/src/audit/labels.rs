//! Plain-language labels of review values, shared by the case report and the audit trail's
//! event summaries (and by the desktop layer, which shows the same words).

use crate::review::{Decision, DecisionReason, DocumentKind, ItemState};

/// "Verified", "Needs re-upload", "Rejected".
pub fn decision_label(decision: Decision) -> &'static str {
    match decision {
        Decision::Verified => "Verified",
        Decision::NeedsReupload => "Needs re-upload",
        Decision::Rejected => "Rejected",
    }
}

/// The serde name of a decision (`verified`, `needs_reupload`, `rejected`).
pub fn decision_code(decision: Decision) -> &'static str {
    match decision {
        Decision::Verified => "verified",
        Decision::NeedsReupload => "needs_reupload",
        Decision::Rejected => "rejected",
    }
}

/// "Illegible", "Details do not match the record", ….
pub fn reason_label(reason: DecisionReason) -> &'static str {
    reason.label()
}

/// The labels of `reasons`, joined with ", " (empty for none).
pub fn reasons_label(reasons: &[DecisionReason]) -> String {
    reasons.iter().map(|r| reason_label(*r)).collect::<Vec<_>>().join(", ")
}

/// "Business registration document", "ID front", "ID back".
pub fn document_kind_label(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::BusinessRegistration => "Business registration document",
        DocumentKind::IdFront => "ID front",
        DocumentKind::IdBack => "ID back",
    }
}

/// "Done", "To do", "Failed".
pub fn item_state_label(state: ItemState) -> &'static str {
    match state {
        ItemState::Done => "Done",
        ItemState::Missing => "To do",
        ItemState::Failed => "Failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_serde_names() {
        for decision in [Decision::Verified, Decision::NeedsReupload, Decision::Rejected] {
            assert_eq!(serde_json::to_value(decision).unwrap(), decision_code(decision));
        }
        assert_eq!(reasons_label(&[DecisionReason::Illegible, DecisionReason::Other]), "Illegible, Other");
        assert_eq!(reason_label(DecisionReason::Incomplete), "Incomplete (pages or sides missing)");
    }
}
