//! The per-record checklist that must be complete before approval.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::model::Review;

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
/// - `documents_decided`: every referenced document (by file id) has a decision;
/// - `documents_acceptable`: none is `needs_reupload` or `rejected` (failed otherwise);
/// - `identifier_matches:business_details.business_identifier_number` and, per representative,
///   `identifier_matches:business_person_list[i].identification.id_number`: confirmed in
///   `review.matches` for the value the record has now (missing when unconfirmed or the value
///   changed since; skipped when the field is blank);
/// - `id_not_expired:<i>`: the representative's `id_expiration_date` is after `today` (failed
///   when on or before; missing when blank or unreadable).
pub fn checklist(record: &Value, review: &Review, today: NaiveDate) -> Checklist {
    let _ = (record, review, today);
    todo!("issue 5 helper")
}
