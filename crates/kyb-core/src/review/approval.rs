//! Four-eyes approval bound to the exact diff.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::checklist::ItemState;
use super::documents::{draft_checklist, CopyHashes};
use super::model::Approval;
use crate::diff::{diff_values, FieldChange};
use crate::drafts::{Draft, DraftTarget};
use crate::profiles::same_person;

/// Why an approval cannot be given, or a submission needs one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    /// The approver prepared (edited) this change.
    #[error(
        "{approver} prepared this change, so {approver} cannot approve it: another profile must review it (four-eyes)"
    )]
    SelfApproval { approver: String },
    /// Nobody is recorded as having prepared the change.
    #[error("no profile is recorded as preparing this change; the preparer must save an edit first")]
    NoPreparer,
    /// The draft changes nothing.
    #[error("this draft changes nothing, so there is nothing to approve")]
    NothingToApprove,
    /// The record does not validate.
    #[error("the record has {count} problem(s); they must be fixed before approval")]
    InvalidRecord { count: u32 },
    /// Checklist items not done (their ids).
    #[error("the review checklist is not complete: {} item(s) still to do (see the checklist)", .items.len())]
    ChecklistIncomplete { items: Vec<String> },
    /// The environment requires approval and there is none valid for this exact diff.
    #[error("{environment:?} requires an approval by another profile for this exact change before it is submitted")]
    ApprovalRequired { environment: String },
}

/// Whether a draft's approval holds for its current diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum ApprovalState {
    /// Never approved (or the approval was voided and removed).
    None,
    /// Approved, and the diff is exactly the one approved.
    Valid { approval: Approval },
    /// Approved, but the diff has changed since (the approval no longer counts).
    Void { approval: Approval, current_hash: String },
}

/// What [`diff_hash`] hashes, in this field order.
#[derive(Serialize)]
struct HashedDiff<'a> {
    environment: &'a str,
    target: &'a DraftTarget,
    changes: Vec<FieldChange>,
}

/// The field changes of `draft`: from its base record (`{}` for a new customer) to its record.
/// Sorted by path, so the hash does not depend on the order of keys in the JSON. What is not
/// sent yet, and what an approval covers.
pub fn pending_changes(draft: &Draft) -> Vec<FieldChange> {
    changes(draft)
}

fn changes(draft: &Draft) -> Vec<FieldChange> {
    let empty = Value::Object(serde_json::Map::new());
    let base = draft.base.as_ref().map_or(&empty, |base| &base.record);
    let mut changes = diff_values(base, &draft.record);
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes
}

/// Hex SHA-256 of the canonical JSON `{"environment", "target", "changes"}` where `changes` is
/// [`crate::diff::diff_values`] from the base record (`{}` for a new customer) to the record.
pub fn diff_hash(draft: &Draft) -> String {
    hash_of(draft, changes(draft))
}

fn hash_of(draft: &Draft, changes: Vec<FieldChange>) -> String {
    let hashed = HashedDiff { environment: &draft.environment, target: &draft.target, changes };
    // Plain strings and a tagged enum: serializing cannot fail.
    let bytes = serde_json::to_vec(&hashed).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

/// The state of `draft.review.approval` against the draft's current diff.
pub fn approval_state(draft: &Draft) -> ApprovalState {
    let Some(approval) = draft.review.approval.clone() else { return ApprovalState::None };
    let current_hash = diff_hash(draft);
    if approval.diff_hash == current_hash && approval.environment == draft.environment {
        ApprovalState::Valid { approval }
    } else {
        ApprovalState::Void { approval, current_hash }
    }
}

/// Whether `name` is one of `editors` ([`same_person`]).
fn is_editor(editors: &[String], name: &str) -> bool {
    editors.iter().any(|editor| same_person(editor, name))
}

/// Bookkeeping of a save by `editor` (`None`: no profile chosen, nothing recorded): when the
/// save is a real change ([`is_real_change`]), `editor` is added to `review.editors` once; and
/// when the diff hash changed, the approval is removed and returned (the caller logs
/// `approval_voided`).
pub fn record_edit(
    draft: &mut Draft,
    previous_record: Option<&serde_json::Value>,
    editor: Option<&str>,
) -> Option<Approval> {
    if is_real_change(draft, previous_record) {
        let editor = editor.map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "));
        if let Some(editor) = editor.filter(|name| !name.is_empty()) {
            if !is_editor(&draft.review.editors, &editor) {
                draft.review.editors.push(editor);
            }
        }
    }
    match approval_state(draft) {
        ApprovalState::Void { .. } => draft.review.approval.take(),
        ApprovalState::None | ApprovalState::Valid { .. } => None,
    }
}

/// Whether saving `draft` (whose stored record was `previous_record`, `None` for its first save)
/// changes something a preparer answers for: the record differs from what was saved before AND
/// from its base (nothing, for a new customer). Opening a customer, viewing a draft or a save of
/// the record as it was never makes anyone a preparer; neither does a difference the diff does
/// not show (`null` for an absent field, `10.50` for `10.5`), since it changes nothing sent.
pub fn is_real_change(draft: &Draft, previous_record: Option<&Value>) -> bool {
    let differs_from_previous = previous_record.is_none_or(|previous| !diff_values(previous, &draft.record).is_empty());
    differs_from_previous && !changes(draft).is_empty()
}

/// Approve `draft` as `approver` on `today`/`now`: refused for a preparer
/// ([`ApprovalError::SelfApproval`]), without preparers, for an empty diff, an invalid record
/// (`draft.issue_count > 0`) or an incomplete checklist. Sets `draft.review.approval` and
/// returns it.
///
/// A blank `approver` (no profile) is refused with [`ApprovalError::ApprovalRequired`].
pub fn approve(
    draft: &mut Draft,
    approver: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Approval, ApprovalError> {
    approve_with_copies(draft, approver, today, now, &CopyHashes::new())
}

/// [`approve`] knowing the hashes of the local document copies, so the checklist's reviewer
/// flags ([`super::document_flags`]) also catch one image used in two places by its content.
pub fn approve_with_copies(
    draft: &mut Draft,
    approver: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
    copies: &CopyHashes,
) -> Result<Approval, ApprovalError> {
    let approver = approver.split_whitespace().collect::<Vec<_>>().join(" ");
    if approver.is_empty() {
        return Err(ApprovalError::ApprovalRequired { environment: draft.environment.clone() });
    }
    if is_editor(&draft.review.editors, &approver) {
        return Err(ApprovalError::SelfApproval { approver });
    }
    if draft.review.editors.is_empty() {
        return Err(ApprovalError::NoPreparer);
    }
    let changes = changes(draft);
    if changes.is_empty() {
        return Err(ApprovalError::NothingToApprove);
    }
    if draft.issue_count > 0 {
        return Err(ApprovalError::InvalidRecord { count: draft.issue_count });
    }
    let list = draft_checklist(draft, copies, today);
    if !list.complete {
        let items = list.items.into_iter().filter(|item| item.state != ItemState::Done).map(|item| item.id).collect();
        return Err(ApprovalError::ChecklistIncomplete { items });
    }
    let approval = Approval {
        approver,
        preparers: draft.review.editors.clone(),
        diff_hash: hash_of(draft, changes),
        environment: draft.environment.clone(),
        approved_at: now,
    };
    draft.review.approval = Some(approval.clone());
    Ok(approval)
}

/// Whether `draft` may be queued: always when `requires_approval` is false; otherwise only with
/// a valid approval whose approver is not among the draft's editors.
pub fn check_submittable(draft: &Draft, requires_approval: bool) -> Result<(), ApprovalError> {
    if !requires_approval {
        return Ok(());
    }
    match approval_state(draft) {
        ApprovalState::Valid { approval }
            if !approval.approver.trim().is_empty() && !is_editor(&draft.review.editors, &approval.approver) =>
        {
            Ok(())
        }
        _ => Err(ApprovalError::ApprovalRequired { environment: draft.environment.clone() }),
    }
}

/// Whether four-eyes lets `draft` be queued now, in the words the submit action shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum SubmitReadiness {
    /// Nothing in four-eyes stops it: no approval is required, or this exact change is approved.
    Ready,
    /// The environment requires an approval this change does not have (yet, or any more).
    WaitingForApproval {
        /// What the submit action reads instead: "Waiting for approval".
        label: String,
        /// Who can give it and what holds it up, in a sentence.
        detail: String,
        /// The profiles who cannot approve it (they prepared it).
        preparers: Vec<String>,
    },
}

/// "Ana", "Ana and Ben", "Ana, Ben and Carla".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// [`SubmitReadiness`] of `draft` where the environment does (or does not) require approval:
/// the same rule as [`check_submittable`], with who can unblock it.
pub fn submit_readiness(draft: &Draft, requires_approval: bool) -> SubmitReadiness {
    if check_submittable(draft, requires_approval).is_ok() {
        return SubmitReadiness::Ready;
    }
    let preparers = draft.review.editors.clone();
    let who = if preparers.is_empty() {
        "a profile other than the one who prepares it".to_owned()
    } else {
        format!("a profile other than {}", join_names(&preparers))
    };
    let detail = match approval_state(draft) {
        ApprovalState::Void { approval, .. } => format!(
            "{}'s approval no longer holds: the change was edited after it. It must be approved again by {who}.",
            approval.approver
        ),
        ApprovalState::None | ApprovalState::Valid { .. } if preparers.is_empty() => format!(
            "{:?} requires an approval. Nobody is recorded as preparing this change yet: once it is edited and saved, it can be approved by {who}.",
            draft.environment
        ),
        ApprovalState::None | ApprovalState::Valid { .. } => {
            format!("{:?} requires an approval of this exact change by {who} (Review documents, then Approve).", draft.environment)
        }
    };
    SubmitReadiness::WaitingForApproval { label: "Waiting for approval".to_owned(), detail, preparers }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::DraftBase;
    use crate::review::test_support::{draft, now, today, APPROVER, PREPARER};
    use serde_json::json;

    fn approved() -> Draft {
        let mut draft = draft();
        approve(&mut draft, APPROVER, today(), now()).unwrap();
        draft
    }

    #[test]
    fn another_profile_approves_exactly_this_diff() {
        let mut draft = draft();
        assert_eq!(approval_state(&draft), ApprovalState::None);
        let approval = approve(&mut draft, "  Ben   Okoro ", today(), now()).unwrap();
        assert_eq!(approval.approver, APPROVER);
        assert_eq!(approval.preparers, [PREPARER]);
        assert_eq!(approval.environment, "Production");
        assert_eq!(approval.approved_at, now());
        assert_eq!(approval.diff_hash, diff_hash(&draft));
        assert_eq!(draft.review.approval.as_ref(), Some(&approval));
        assert_eq!(approval_state(&draft), ApprovalState::Valid { approval });
        assert_eq!(check_submittable(&draft, true), Ok(()));
    }

    #[test]
    fn a_preparer_cannot_approve_their_own_change() {
        for name in [PREPARER, "ana lima", "  ANA   LIMA  ", "Ana\tLima"] {
            let mut draft = draft();
            let err = approve(&mut draft, name, today(), now()).unwrap_err();
            assert!(matches!(err, ApprovalError::SelfApproval { .. }), "{name:?}: {err:?}");
            assert!(err.to_string().contains("another profile"), "{err}");
            assert_eq!(draft.review.approval, None);
        }
        // Four-eyes comes first, even when there would be nothing to approve.
        let mut draft = draft();
        draft.record = draft.base.clone().unwrap().record;
        draft.issue_count = 4;
        let err = approve(&mut draft, PREPARER, today(), now()).unwrap_err();
        assert!(matches!(err, ApprovalError::SelfApproval { .. }), "{err:?}");
        // Nor can an approver who edits afterwards count as the second pair of eyes.
        let mut draft = approved();
        draft.review.editors.push(APPROVER.to_lowercase());
        assert!(matches!(approval_state(&draft), ApprovalState::Valid { .. }));
        let err = check_submittable(&draft, true).unwrap_err();
        assert_eq!(err, ApprovalError::ApprovalRequired { environment: "Production".into() });
    }

    #[test]
    fn approval_refusals_in_order() {
        let mut nobody = draft();
        nobody.review.editors.clear();
        assert_eq!(approve(&mut nobody, APPROVER, today(), now()), Err(ApprovalError::NoPreparer));

        let mut unchanged = draft();
        unchanged.record = unchanged.base.clone().unwrap().record;
        unchanged.issue_count = 2;
        assert_eq!(approve(&mut unchanged, APPROVER, today(), now()), Err(ApprovalError::NothingToApprove));

        let mut invalid = draft();
        invalid.issue_count = 3;
        invalid.review.decisions.clear();
        let err = approve(&mut invalid, APPROVER, today(), now()).unwrap_err();
        assert_eq!(err, ApprovalError::InvalidRecord { count: 3 });
        assert!(err.to_string().contains("3 problem(s)"), "{err}");

        let mut incomplete = draft();
        incomplete.review.decisions.remove("f-back");
        incomplete.record["business_person_list"][0]["identification"]["id_expiration_date"] = json!("2026-06-15");
        let err = approve(&mut incomplete, APPROVER, today(), now()).unwrap_err();
        // The expiry date changed while the ID images stayed the same: flagged too.
        let items = vec!["documents_decided".to_owned(), "id_not_expired:0".to_owned(), "id_images_unchanged:0".to_owned()];
        assert_eq!(err, ApprovalError::ChecklistIncomplete { items });
        assert_eq!(incomplete.review.approval, None);

        let mut blank = draft();
        let err = approve(&mut blank, "   ", today(), now()).unwrap_err();
        assert!(matches!(err, ApprovalError::ApprovalRequired { .. }), "{err:?}");
        assert_eq!(blank.review.approval, None);
    }

    /// A way a draft can change after its approval, and what it is.
    type Change = (&'static str, fn(&mut Draft));

    /// Each way a draft can change after its approval.
    fn changes() -> Vec<Change> {
        vec![
            ("a field value", |d| d.record["business_details"]["business_name_english"] = json!("Acme Trading Plc")),
            ("a document id", |d| {
                d.record["business_person_list"][0]["identification"]["id_document_back_file_id"] = json!("f-back-2")
            }),
            ("a new representative", |d| {
                let eve = json!({"basic_info": {"first_name": "Eve"}});
                d.record["business_person_list"].as_array_mut().unwrap().push(eve)
            }),
            ("a removed field", |d| {
                d.record["business_details"].as_object_mut().unwrap().remove("business_identifier_number");
            }),
            ("the base", |d| {
                let base = d.base.as_mut().unwrap();
                base.record["business_details"]["business_identifier_number"] = json!("99-9999999");
            }),
            ("no base any more", |d| d.base = None),
            ("the environment", |d| d.environment = "Staging".into()),
            ("the target", |d| d.target = DraftTarget::Update { customer_id: "cus_2".into() }),
        ]
    }

    #[test]
    fn any_change_voids_the_approval_and_the_save_removes_it() {
        for (what, change) in changes() {
            let approved = approved();
            let approval = approved.review.approval.clone().unwrap();
            let mut draft = approved.clone();
            change(&mut draft);
            match approval_state(&draft) {
                ApprovalState::Void { approval: void, current_hash } => {
                    assert_eq!(void, approval, "{what}");
                    assert_ne!(current_hash, approval.diff_hash, "{what}");
                    assert_eq!(current_hash, diff_hash(&draft), "{what}");
                }
                other => panic!("{what}: {other:?}"),
            }
            assert_eq!(
                check_submittable(&draft, true),
                Err(ApprovalError::ApprovalRequired { environment: draft.environment.clone() }),
                "{what}"
            );
            let voided = record_edit(&mut draft, Some(&approved.record), Some(PREPARER));
            assert_eq!(voided, Some(approval), "{what}");
            assert_eq!(draft.review.approval, None, "{what}");
            assert_eq!(approval_state(&draft), ApprovalState::None, "{what}");
            assert_eq!(draft.review.editors, [PREPARER], "{what}");
            // A second save of the same record has nothing left to void.
            let same = draft.record.clone();
            assert_eq!(record_edit(&mut draft, Some(&same), Some(PREPARER)), None, "{what}");
        }
    }

    #[test]
    fn a_save_that_changes_nothing_keeps_the_approval() {
        let mut draft = approved();
        let previous = draft.record.clone();
        // `null` and an absent field are the same to the diff, so this is no change.
        draft.record["business_details"]["website"] = json!(null);
        assert_eq!(record_edit(&mut draft, Some(&previous), Some("Carla Souza")), None);
        assert!(matches!(approval_state(&draft), ApprovalState::Valid { .. }));
        assert_eq!(draft.review.editors, [PREPARER]);
        assert_eq!(check_submittable(&draft, true), Ok(()));
        // An approver who then edits voids the approval and becomes a preparer.
        let mut draft = approved();
        let previous = draft.record.clone();
        draft.record["business_details"]["business_name_english"] = json!("Other");
        let voided = record_edit(&mut draft, Some(&previous), Some(APPROVER));
        assert!(voided.is_some());
        assert_eq!(draft.review.editors, [PREPARER, APPROVER]);
    }

    #[test]
    fn record_edit_adds_each_preparer_once_in_order() {
        let mut draft = draft();
        let base = draft.base.clone().unwrap().record;
        assert_eq!(record_edit(&mut draft, Some(&base), None), None);
        assert_eq!(draft.review.editors, [PREPARER]);
        record_edit(&mut draft, Some(&base), Some("  ana   LIMA "));
        record_edit(&mut draft, Some(&base), Some("   "));
        assert_eq!(draft.review.editors, [PREPARER]);
        record_edit(&mut draft, Some(&base), Some(" Carla  Souza "));
        assert_eq!(draft.review.editors, [PREPARER, "Carla Souza"]);
        // The first save of a draft counts as a change when it differs from the base...
        let mut fresh = draft.clone();
        fresh.review.editors.clear();
        record_edit(&mut fresh, None, Some(APPROVER));
        assert_eq!(fresh.review.editors, [APPROVER]);
        // ...and not when it only stores the record as opened (the base, or nothing for a new customer).
        let mut opened = draft.clone();
        opened.review.editors.clear();
        opened.record = base.clone();
        record_edit(&mut opened, None, Some(APPROVER));
        assert!(opened.review.editors.is_empty());
        let mut new_customer = opened.clone();
        new_customer.base = None;
        new_customer.target = DraftTarget::Create { partner_customer_id: String::new() };
        new_customer.record = json!({});
        record_edit(&mut new_customer, None, Some(APPROVER));
        assert!(new_customer.review.editors.is_empty());
        // A change reverted to the base before anyone was recorded records nobody.
        record_edit(&mut opened, Some(&draft.record), Some(APPROVER));
        assert!(opened.review.editors.is_empty());
    }

    #[test]
    fn readiness_says_waiting_for_approval_and_who_can_give_it() {
        let mut draft = draft();
        assert_eq!(submit_readiness(&draft, false), SubmitReadiness::Ready);
        let SubmitReadiness::WaitingForApproval { label, detail, preparers } = submit_readiness(&draft, true) else {
            panic!("not waiting")
        };
        assert_eq!((label.as_str(), preparers.as_slice()), ("Waiting for approval", [PREPARER.to_owned()].as_slice()));
        assert!(detail.contains(&format!("a profile other than {PREPARER}")), "{detail}");
        draft.review.editors.push("Carla Souza".into());
        let SubmitReadiness::WaitingForApproval { detail, .. } = submit_readiness(&draft, true) else { panic!() };
        assert!(detail.contains("other than Ana Lima and Carla Souza"), "{detail}");
        approve(&mut draft, APPROVER, today(), now()).unwrap();
        assert_eq!(submit_readiness(&draft, true), SubmitReadiness::Ready);
        draft.record["business_details"]["business_name_english"] = json!("Acme Trading Plc");
        let SubmitReadiness::WaitingForApproval { detail, .. } = submit_readiness(&draft, true) else { panic!() };
        assert!(detail.starts_with(&format!("{APPROVER}'s approval no longer holds")), "{detail}");
        assert_eq!(join_names(&["A".into(), "B".into(), "C".into()]), "A, B and C");
    }

    #[test]
    fn check_submittable_needs_a_valid_approval_only_where_required() {
        let draft = draft();
        assert_eq!(check_submittable(&draft, false), Ok(()));
        let err = check_submittable(&draft, true).unwrap_err();
        assert_eq!(err, ApprovalError::ApprovalRequired { environment: "Production".into() });
        assert!(err.to_string().contains("\"Production\" requires an approval by another profile"), "{err}");

        let mut approved = approved();
        assert_eq!(check_submittable(&approved, true), Ok(()));
        approved.record["business_details"]["business_identifier_number"] = json!("12-3456780");
        assert!(matches!(approval_state(&approved), ApprovalState::Void { .. }));
        assert!(check_submittable(&approved, true).is_err());
        assert_eq!(check_submittable(&approved, false), Ok(()));
    }

    #[test]
    fn diff_hash_is_hex_sha256_of_environment_target_and_changes() {
        let draft = draft();
        let hash = diff_hash(&draft);
        assert_eq!(hash.len(), 64);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(hash, diff_hash(&draft.clone()));
        // Keys in the struct's order, no whitespace.
        let text = concat!(
            r#"{"environment":"Production","target":{"kind":"update","customer_id":"cus_1"},"#,
            r#""changes":[{"path":"business_details.business_name_english","before":"Acme Ltd","#,
            r#""after":"Acme Trading Ltd"}]}"#,
        );
        assert_eq!(hash, hex::encode(Sha256::digest(text.as_bytes())));
        // A new customer is compared with an empty record; a base of `{}` is the same diff.
        let mut new = draft.clone();
        new.base = None;
        let mut empty = draft.clone();
        empty.base = Some(DraftBase { record: json!({}), partner_customer_id: None, status: None, fetched_at: now() });
        assert_eq!(diff_hash(&new), diff_hash(&empty));
        assert_ne!(diff_hash(&new), hash);
    }
}
