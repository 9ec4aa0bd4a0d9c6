//! The per-record checklist that must be complete before approval.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::field_path::value_at;

use super::documents::{referenced_documents, DocumentKind, DocumentRef, ID_FRONT_FIELD};
use super::identifiers::{person_id_number_path, BUSINESS_IDENTIFIER_PATH};
use super::model::{Decision, Review};

/// Where one checklist item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemState {
    Done,
    /// Still to do (no decision yet, not confirmed yet).
    Missing,
    /// Checked and wrong (a document rejected, an ID expired).
    Failed,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChecklistItem {
    /// Stable id: `documents_decided`, `documents_acceptable`,
    /// `identifier_matches:<path>`, `id_not_expired:<person index>`.
    pub id: String,
    /// Plain-language label ("Representative 2: ID number matches the document").
    pub label: String,
    pub state: ItemState,
    /// What is missing or wrong, in words.
    pub detail: String,
    /// The field to jump to, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

/// The checklist: complete when every item is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Checklist {
    pub items: Vec<ChecklistItem>,
    pub complete: bool,
}

/// The checklist of `record` given `review`, on `today`:
/// - first what the record must hold before it can be reviewed ([`review_blockers`]):
///   `registration_document`, `representative`, and per representative `id_document:<i>`;
/// - `documents_decided`: every referenced document (by file id) has a decision (missing when
///   there is none: a review with nothing to look at is not done);
/// - `documents_acceptable`: none is `needs_reupload` or `rejected` (failed otherwise);
/// - `identifier_matches:business_details.business_identifier_number` and, per representative,
///   `identifier_matches:business_person_list[i].identification.id_number`: confirmed in
///   `review.matches` for the value the record has now (missing when unconfirmed or the value
///   changed since; skipped when the field is blank);
/// - `id_not_expired:<i>`: the representative's `id_expiration_date` is after `today` (failed
///   when on or before; missing when blank or unreadable).
pub fn checklist(record: &Value, review: &Review, today: NaiveDate) -> Checklist {
    let documents = referenced_documents(record);
    let requirements = requirements(record);
    let mut items: Vec<ChecklistItem> =
        requirements.iter().filter(|r| r.person.is_none()).map(Requirement::item).collect();
    items.push(documents_decided(&documents, review));
    items.push(documents_acceptable(&documents, review));
    if let Some(item) = identifier_matches(
        record,
        review,
        BUSINESS_IDENTIFIER_PATH,
        "Business identifier number matches the registration document".to_owned(),
        "the registration document",
    ) {
        items.push(item);
    }
    let persons = record.get("business_person_list").and_then(Value::as_array);
    for (i, person) in persons.into_iter().flatten().enumerate() {
        let who = format!("Representative {}", i + 1);
        let path = person_id_number_path(i);
        items.extend(requirements.iter().filter(|r| r.person == Some(i)).map(Requirement::item));
        let label = format!("{who}: ID number matches the ID document");
        if let Some(item) = identifier_matches(record, review, &path, label, "the ID document") {
            items.push(item);
        }
        items.push(id_not_expired(person, i, &who, today));
    }
    let complete = items.iter().all(|item| item.state == ItemState::Done);
    Checklist { items, complete }
}

/// Something the record must hold before a reviewer can complete the checklist (a document to
/// look at, a person to check). One rule for two places: the checklist lists each one as an
/// item, and the editor lists the unmet ones as problems ([`review_blockers`]), so a change that
/// the review would stop is stopped where it can be fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewBlocker {
    /// The checklist item's id: `registration_document`, `representative`, `id_document:<i>`.
    pub id: String,
    /// Where to add what is missing, as a field path (the editor jumps there).
    pub path: String,
    /// What to add, in words ("A registration document is needed: …").
    pub message: String,
}

struct Requirement {
    blocker: ReviewBlocker,
    label: String,
    /// The representative it is about (listed with that person's items).
    person: Option<usize>,
    met: bool,
    done: String,
}

impl Requirement {
    fn item(&self) -> ChecklistItem {
        let (state, detail) = if self.met {
            (ItemState::Done, self.done.clone())
        } else {
            (ItemState::Missing, self.blocker.message.clone())
        };
        ChecklistItem {
            id: self.blocker.id.clone(),
            label: self.label.clone(),
            state,
            detail,
            field: Some(self.blocker.path.clone()),
        }
    }
}

const REGISTRATION_DOCUMENTS_PATH: &str = "business_details.business_identifier_document_list";
const REPRESENTATIVES_PATH: &str = "business_person_list";

/// Every requirement of the review on `record`, met or not: a business registration document
/// (the identifier number is confirmed against it), at least one legal representative, and the
/// ID document (its front, the main page) of each representative. The back of an ID is not
/// required: a passport has none.
fn requirements(record: &Value) -> Vec<Requirement> {
    let documents = referenced_documents(record);
    let has = |kind: DocumentKind, person: Option<u32>| documents.iter().any(|d| d.kind == kind && d.person == person);
    let mut out = vec![Requirement {
        blocker: ReviewBlocker {
            id: "registration_document".to_owned(),
            path: REGISTRATION_DOCUMENTS_PATH.to_owned(),
            message: "A registration document is needed: upload the company register extract (or certificate of \
                      incorporation) under Business details, so a reviewer can check the business against it."
                .to_owned(),
        },
        label: "A registration document is attached".to_owned(),
        person: None,
        met: has(DocumentKind::BusinessRegistration, None),
        done: "At least one registration document is attached.".to_owned(),
    }];
    let persons = record.get(REPRESENTATIVES_PATH).and_then(Value::as_array).map_or(0, Vec::len);
    out.push(Requirement {
        blocker: ReviewBlocker {
            id: "representative".to_owned(),
            path: REPRESENTATIVES_PATH.to_owned(),
            message: "A legal representative is needed: add one under Legal representatives, with their ID \
                      document, so a reviewer can check who acts for the business."
                .to_owned(),
        },
        label: "A legal representative is listed".to_owned(),
        person: None,
        met: persons > 0,
        done: plural(persons, "legal representative is listed.", "legal representatives are listed."),
    });
    for i in 0..persons {
        let who = format!("Representative {}", i + 1);
        let person = Some(u32::try_from(i).unwrap_or(u32::MAX));
        out.push(Requirement {
            blocker: ReviewBlocker {
                id: format!("id_document:{i}"),
                path: format!("business_person_list[{i}].identification.{ID_FRONT_FIELD}"),
                message: format!(
                    "{who} needs ID images: upload the ID document (the front, or a passport's main page; the back \
                     too when the ID has one), so a reviewer can check the ID details against it."
                ),
            },
            label: format!("{who}: ID document attached"),
            person: Some(i),
            met: has(DocumentKind::IdFront, person),
            done: "The ID document is attached.".to_owned(),
        });
    }
    out
}

/// What the record still needs before its review can be completed (the unmet requirements of
/// the checklist, in checklist order): the editor shows these as problems where an approval is
/// required, with the field to jump to.
pub fn review_blockers(record: &Value) -> Vec<ReviewBlocker> {
    let requirements = requirements(record);
    let (general, personal): (Vec<_>, Vec<_>) = requirements.into_iter().partition(|r| r.person.is_none());
    general.into_iter().chain(personal).filter(|r| !r.met).map(|r| r.blocker).collect()
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn documents_decided(documents: &[DocumentRef], review: &Review) -> ChecklistItem {
    let label = "Every document has a decision".to_owned();
    let id = "documents_decided".to_owned();
    if documents.is_empty() {
        let detail = "No documents yet: add them in the editor (see the items above), then decide each one.".to_owned();
        return ChecklistItem { id, label, state: ItemState::Missing, detail, field: None };
    }
    let undecided: Vec<&DocumentRef> =
        documents.iter().filter(|doc| !review.decisions.contains_key(&doc.file_id)).collect();
    match undecided.first() {
        None => ChecklistItem {
            id,
            label,
            state: ItemState::Done,
            detail: format!("All {} have a decision.", plural(documents.len(), "document", "documents")),
            field: None,
        },
        Some(first) => ChecklistItem {
            id,
            label,
            state: ItemState::Missing,
            detail: format!(
                "{} of {} {} no decision yet.",
                undecided.len(),
                plural(documents.len(), "document", "documents"),
                if undecided.len() == 1 { "has" } else { "have" }
            ),
            field: Some(first.path.clone()),
        },
    }
}

fn documents_acceptable(documents: &[DocumentRef], review: &Review) -> ChecklistItem {
    let label = "No document is rejected or needs re-upload".to_owned();
    let id = "documents_acceptable".to_owned();
    if documents.is_empty() {
        let detail = "No documents referenced".to_owned();
        return ChecklistItem { id, label, state: ItemState::Done, detail, field: None };
    }
    let mut rejected = 0;
    let mut reupload = 0;
    let mut first = None;
    for doc in documents {
        let decision = review.decisions.get(&doc.file_id).map(|d| d.decision);
        match decision {
            Some(Decision::Rejected) => rejected += 1,
            Some(Decision::NeedsReupload) => reupload += 1,
            Some(Decision::Verified) | None => continue,
        }
        first.get_or_insert_with(|| doc.path.clone());
    }
    if first.is_none() {
        let detail = "None of the documents decided so far is rejected or needs re-upload.".to_owned();
        return ChecklistItem { id, label, state: ItemState::Done, detail, field: None };
    }
    let mut parts = Vec::new();
    if rejected > 0 {
        parts.push(format!("{} rejected", plural(rejected, "document", "documents")));
    }
    if reupload > 0 {
        let verb = if reupload == 1 { "needs" } else { "need" };
        parts.push(format!("{} {verb} re-upload", plural(reupload, "document", "documents")));
    }
    let detail = format!("{}; replace the file or change the decision.", parts.join(", "));
    ChecklistItem { id, label, state: ItemState::Failed, detail, field: first }
}

/// The trimmed text at `path` when it is a non-blank string.
pub(super) fn text_at<'a>(record: &'a Value, path: &str) -> Option<&'a str> {
    Some(value_at(record, path)?.as_str()?.trim()).filter(|text| !text.is_empty())
}

fn identifier_matches(
    record: &Value,
    review: &Review,
    path: &str,
    label: String,
    document: &str,
) -> Option<ChecklistItem> {
    let current = text_at(record, path)?;
    let (state, detail) = match review.matches.get(path) {
        Some(confirmed) if confirmed.value.trim() == current => (
            ItemState::Done,
            format!("Confirmed by {} on {}.", confirmed.confirmed_by, confirmed.confirmed_at.format("%Y-%m-%d")),
        ),
        Some(confirmed) => (
            ItemState::Missing,
            format!(
                "{} confirmed {:?}, but the value is now {current:?}; compare it with {document} again.",
                confirmed.confirmed_by, confirmed.value
            ),
        ),
        None => (ItemState::Missing, format!("Not confirmed yet: compare {current:?} with {document}.")),
    };
    Some(ChecklistItem { id: format!("identifier_matches:{path}"), label, state, detail, field: Some(path.to_owned()) })
}

fn id_not_expired(person: &Value, i: usize, who: &str, today: NaiveDate) -> ChecklistItem {
    let field = format!("business_person_list[{i}].identification.id_expiration_date");
    let value = person.get("identification").and_then(|id| id.get("id_expiration_date"));
    let no_date = || (ItemState::Missing, "The ID has no expiration date yet.".to_owned());
    let (state, detail) = match value {
        None | Some(Value::Null) => no_date(),
        Some(Value::String(raw)) if raw.trim().is_empty() => no_date(),
        Some(Value::String(raw)) => match calendar_date(raw) {
            Some(expiry) if expiry > today => (ItemState::Done, format!("Valid until {expiry}.")),
            Some(expiry) if expiry == today => {
                (ItemState::Failed, format!("The ID expires today ({expiry}); it must be valid after today."))
            }
            Some(expiry) => (ItemState::Failed, format!("The ID expired on {expiry} (today is {today}).")),
            None => (ItemState::Missing, format!("The expiration date {:?} cannot be read as a date.", raw.trim())),
        },
        Some(other) => (ItemState::Missing, format!("The expiration date {other} cannot be read as a date.")),
    };
    ChecklistItem {
        id: format!("id_not_expired:{i}"),
        label: format!("{who}: ID is not expired"),
        state,
        detail,
        field: Some(field),
    }
}

/// The UTC calendar date of an RFC 3339 timestamp (as the model stores dates; compared by UTC
/// day like the validation module), or of a `YYYY-MM-DD` date as typed.
pub(crate) fn calendar_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(timestamp) = DateTime::parse_from_rfc3339(text) {
        return Some(timestamp.with_timezone(&Utc).date_naive());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::test_support::{decision, draft, now, record, today, APPROVER};
    use crate::review::IdentifierMatch;
    use serde_json::json;

    fn item<'a>(list: &'a Checklist, id: &str) -> &'a ChecklistItem {
        list.items.iter().find(|item| item.id == id).unwrap_or_else(|| panic!("no item {id} in {list:#?}"))
    }

    const FRONT: &str = "business_person_list[0].identification.id_document_front_file_id";
    const EXPIRY: &str = "business_person_list[0].identification.id_expiration_date";
    const ID_NUMBER: &str = "business_person_list[0].identification.id_number";
    const BUSINESS_NUMBER: &str = "business_details.business_identifier_number";

    #[test]
    fn a_fully_reviewed_record_is_complete_with_labels_in_plain_english() {
        let draft = draft();
        let list = checklist(&draft.record, &draft.review, today());
        assert!(list.complete, "{list:#?}");
        let ids: Vec<&str> = list.items.iter().map(|item| item.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "registration_document",
                "representative",
                "documents_decided",
                "documents_acceptable",
                "identifier_matches:business_details.business_identifier_number",
                "id_document:0",
                "identifier_matches:business_person_list[0].identification.id_number",
                "id_not_expired:0",
            ]
        );
        let labels: Vec<&str> = list.items.iter().map(|item| item.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "A registration document is attached",
                "A legal representative is listed",
                "Every document has a decision",
                "No document is rejected or needs re-upload",
                "Business identifier number matches the registration document",
                "Representative 1: ID document attached",
                "Representative 1: ID number matches the ID document",
                "Representative 1: ID is not expired",
            ]
        );
        assert!(list.items.iter().all(|item| item.state == ItemState::Done));
        assert_eq!(item(&list, "documents_decided").detail, "All 3 documents have a decision.");
        assert_eq!(item(&list, "id_not_expired:0").detail, "Valid until 2030-01-31.");
        assert!(item(&list, &format!("identifier_matches:{ID_NUMBER}")).detail.contains(APPROVER));
    }

    #[test]
    fn an_undecided_document_is_missing_and_points_at_the_first_one() {
        let mut draft = draft();
        draft.review.decisions.remove("f-front");
        draft.review.decisions.remove("f-back");
        let list = checklist(&draft.record, &draft.review, today());
        assert!(!list.complete);
        let decided = item(&list, "documents_decided");
        assert_eq!(decided.state, ItemState::Missing);
        assert_eq!(decided.field.as_deref(), Some(FRONT));
        assert_eq!(decided.detail, "2 of 3 documents have no decision yet.");
        // Nothing decided is bad, so acceptability holds so far.
        assert_eq!(item(&list, "documents_acceptable").state, ItemState::Done);
    }

    #[test]
    fn a_rejected_or_reupload_document_fails() {
        for (bad, word) in [(Decision::Rejected, "rejected"), (Decision::NeedsReupload, "needs re-upload")] {
            let mut draft = draft();
            draft.review.decisions.insert("f-front".into(), decision("f-front", bad));
            let list = checklist(&draft.record, &draft.review, today());
            assert!(!list.complete);
            let acceptable = item(&list, "documents_acceptable");
            assert_eq!(acceptable.state, ItemState::Failed, "{bad:?}");
            assert_eq!(acceptable.field.as_deref(), Some(FRONT));
            assert!(acceptable.detail.starts_with(&format!("1 document {word}")), "{}", acceptable.detail);
            assert_eq!(item(&list, "documents_decided").state, ItemState::Done);
        }
    }

    #[test]
    fn an_expired_id_or_one_expiring_today_fails() {
        let cases = [
            (json!("2026-06-14T00:00:00Z"), ItemState::Failed, "expired on 2026-06-14"),
            (json!("2026-06-15T00:00:00Z"), ItemState::Failed, "expires today"),
            (json!("2026-06-15"), ItemState::Failed, "expires today"),
            // The UTC day counts, whatever the offset it was typed with.
            (json!("2026-06-16T01:00:00+02:00"), ItemState::Failed, "expires today"),
            (json!("2026-06-16T00:00:00Z"), ItemState::Done, "Valid until 2026-06-16"),
            (json!("2026-06-16"), ItemState::Done, "Valid until 2026-06-16"),
            (json!(""), ItemState::Missing, "no expiration date"),
            (json!(null), ItemState::Missing, "no expiration date"),
            (json!("next year"), ItemState::Missing, "cannot be read"),
            (json!(20300101), ItemState::Missing, "cannot be read"),
        ];
        for (expiry, state, detail) in cases {
            let mut draft = draft();
            draft.record["business_person_list"][0]["identification"]["id_expiration_date"] = expiry.clone();
            let list = checklist(&draft.record, &draft.review, today());
            let not_expired = item(&list, "id_not_expired:0");
            assert_eq!(not_expired.state, state, "{expiry}");
            assert!(not_expired.detail.contains(detail), "{expiry}: {}", not_expired.detail);
            assert_eq!(not_expired.field.as_deref(), Some(EXPIRY));
            assert_eq!(list.complete, state == ItemState::Done);
        }
        let mut draft = draft();
        draft.record["business_person_list"][0]["identification"].as_object_mut().unwrap().remove("id_expiration_date");
        let list = checklist(&draft.record, &draft.review, today());
        assert_eq!(item(&list, "id_not_expired:0").state, ItemState::Missing);
    }

    #[test]
    fn a_confirmed_match_no_longer_holds_once_the_value_changes() {
        let mut draft = draft();
        let id = format!("identifier_matches:{ID_NUMBER}");
        // Surrounding spaces do not change the value.
        draft.record["business_person_list"][0]["identification"]["id_number"] = json!(" P1234567 ");
        assert_eq!(item(&checklist(&draft.record, &draft.review, today()), &id).state, ItemState::Done);

        draft.record["business_person_list"][0]["identification"]["id_number"] = json!("P7654321");
        let list = checklist(&draft.record, &draft.review, today());
        let matches = item(&list, &id);
        assert_eq!(matches.state, ItemState::Missing);
        assert_eq!(matches.field.as_deref(), Some(ID_NUMBER));
        assert!(matches.detail.contains("P1234567") && matches.detail.contains("P7654321"), "{}", matches.detail);
        assert!(!list.complete);

        draft.review.matches.remove(BUSINESS_NUMBER);
        let list = checklist(&draft.record, &draft.review, today());
        let business = item(&list, &format!("identifier_matches:{BUSINESS_NUMBER}"));
        assert_eq!(business.state, ItemState::Missing);
        assert!(business.detail.starts_with("Not confirmed yet"), "{}", business.detail);

        // Confirmed again for the new value: done.
        let confirmed =
            IdentifierMatch { value: "P7654321".into(), confirmed_by: APPROVER.into(), confirmed_at: now() };
        draft.review.matches.insert(ID_NUMBER.into(), confirmed);
        assert_eq!(item(&checklist(&draft.record, &draft.review, today()), &id).state, ItemState::Done);
    }

    #[test]
    fn blank_identifiers_are_skipped_and_labels_count_from_one() {
        let mut record = record();
        record["business_details"]["business_identifier_number"] = json!("  ");
        let second = json!({"identification": {"id_number": "X9", "id_expiration_date": "2027-01-01"}});
        record["business_person_list"].as_array_mut().unwrap().push(second);
        let mut draft = draft();
        draft.record = record;
        let list = checklist(&draft.record, &draft.review, today());
        assert!(!list.items.iter().any(|item| item.id.contains(BUSINESS_NUMBER)), "{list:#?}");
        let second = item(&list, "identifier_matches:business_person_list[1].identification.id_number");
        assert_eq!(second.label, "Representative 2: ID number matches the ID document");
        assert_eq!(second.state, ItemState::Missing);
        let expiry = item(&list, "id_not_expired:1");
        assert_eq!((expiry.label.as_str(), expiry.state), ("Representative 2: ID is not expired", ItemState::Done));
    }

    #[test]
    fn no_documents_is_not_done_and_says_what_to_add() {
        let review = Review::default();
        for record in [json!({}), json!({"business_details": {"business_identifier_document_list": []}}), json!(null)] {
            let list = checklist(&record, &review, today());
            assert_eq!(item(&list, "documents_decided").state, ItemState::Missing);
            assert!(item(&list, "documents_decided").detail.contains("add them in the editor"));
            let registration = item(&list, "registration_document");
            assert_eq!(registration.state, ItemState::Missing);
            assert!(registration.detail.starts_with("A registration document is needed"), "{}", registration.detail);
            assert_eq!(registration.field.as_deref(), Some("business_details.business_identifier_document_list"));
            assert_eq!(item(&list, "representative").state, ItemState::Missing);
            assert!(!list.complete, "{list:#?}");
            // The editor is told the same, from the same rule, in checklist order.
            let blockers: Vec<String> = review_blockers(&record).into_iter().map(|b| b.id).collect();
            assert_eq!(blockers, ["registration_document", "representative"]);
        }
        // A representative without any identification needs ID images and has their expiry checked.
        let record = json!({"business_person_list": [null]});
        let list = checklist(&record, &review, today());
        assert_eq!(item(&list, "id_not_expired:0").state, ItemState::Missing);
        assert_eq!(item(&list, "representative").state, ItemState::Done);
        let id_document = item(&list, "id_document:0");
        assert_eq!((id_document.state, id_document.field.as_deref()), (ItemState::Missing, Some(FRONT)));
        let blockers: Vec<String> = review_blockers(&record).into_iter().map(|b| b.message).collect();
        assert_eq!(blockers.len(), 2, "{blockers:?}");
        assert!(blockers[1].starts_with("Representative 1 needs ID images"), "{blockers:?}");
        assert!(!list.complete);
    }

    #[test]
    fn every_blocker_is_a_checklist_item_left_to_do_and_a_complete_record_has_none() {
        let draft = draft();
        assert!(review_blockers(&draft.record).is_empty());
        let mut record = draft.record.clone();
        record["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!("");
        let list = checklist(&record, &draft.review, today());
        for blocker in review_blockers(&record) {
            let listed = item(&list, &blocker.id);
            assert_eq!((listed.state, listed.field.as_deref()), (ItemState::Missing, Some(blocker.path.as_str())));
            assert_eq!(listed.detail, blocker.message);
        }
        assert_eq!(review_blockers(&record).len(), 1);
    }
}
