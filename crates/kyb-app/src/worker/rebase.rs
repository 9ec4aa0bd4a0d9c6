//! Keeping drafts in step with what was sent.
//!
//! When a draft's latest outbox entry is `Sent`, the draft is **rebased** on the partner's answer:
//! `base` becomes the customer's editable part as the partner returned it (amounts as strings),
//! with its `status` and `fetched_at` = the entry's `sent_at`; `record` becomes that same record
//! when the officer typed nothing after queueing, else a three-way merge of their later edits
//! (base = what was queued, theirs = the answer, mine = the draft) so only those later edits show
//! as pending. `revision` goes up by one so an open editor can tell (it reloads with
//! `open_draft`). It is idempotent: a draft whose `base.fetched_at` is already the `sent_at`
//! only follows the status (Processing → Succeeded); a newer base is left alone.
//!
//! A part the officer sent that the answer leaves out (the published partner answers people
//! without `basic_info`) stays in `record` as it was sent, so the draft does not lose it; `base`
//! is the answer as it came.
//!
//! A sent **create** draft becomes the update draft of the customer it created (same record,
//! the new customer's `customer_id`), and the create draft goes to the trash; the workspace
//! follows when it was the open draft.

use chrono::{DateTime, Utc};
use kyb_core::drafts::{update_draft_id, Draft, DraftBase, DraftError, DraftTarget};
use kyb_core::model::Customer;
use kyb_core::outbox::{latest_by_draft, OutboxEntry, OutboxState};
use kyb_core::validation::{validate_update_value, ValidationContext};
use serde_json::Value;

use crate::page_values::amounts_to_strings;
use crate::state::{blocking, AppState, DraftsHome};
use crate::workspace::WorkspaceFile;

/// Rebase every draft of `environment` (all environments when `None`) whose latest entry was sent.
pub(crate) async fn rebase_sent(state: &AppState, home: &DraftsHome, environment: Option<&str>) {
    let outbox = home.outbox.clone();
    let entries = match blocking(move || outbox.entries()).await {
        Ok(Ok(entries)) => entries,
        Ok(Err(err)) => return tracing::warn!(error = %err, "cannot list the outbox"),
        Err(err) => return tracing::warn!(error = %err, "cannot list the outbox"),
    };
    let latest = latest_by_draft(entries.into_iter().filter(|e| environment.is_none_or(|env| e.environment == env)));
    for entry in latest.into_values() {
        if !matches!(entry.state, OutboxState::Sent { .. }) {
            continue;
        }
        let _writing = state.draft_writes.lock().await;
        let store = home.store.clone();
        let workspace = state.workspace.clone();
        let entry_id = entry.id.clone();
        let draft_id = entry.draft_id.clone();
        match blocking(move || rebase_one(&store, &workspace, &entry)).await {
            Ok(Ok(Rebased::Unchanged)) => {}
            Ok(Ok(Rebased::Updated { revision })) => {
                tracing::info!(draft = %draft_id, entry = %entry_id, revision, "draft rebased on what was sent")
            }
            Ok(Ok(Rebased::Converted { new_id })) => {
                tracing::info!(draft = %draft_id, new_draft = %new_id, entry = %entry_id, "create draft became the new customer's update draft");
            }
            Ok(Err(err)) => tracing::warn!(draft = %draft_id, entry = %entry_id, error = %err, "cannot rebase the draft"),
            Err(err) => tracing::warn!(draft = %draft_id, error = %err, "cannot rebase the draft"),
        }
    }
}

enum Rebased {
    Unchanged,
    Updated { revision: u64 },
    Converted { new_id: String },
}

fn rebase_one(store: &kyb_core::drafts::DraftStore, workspace: &WorkspaceFile, entry: &OutboxEntry) -> Result<Rebased, DraftError> {
    let OutboxState::Sent { customer, sent_at, .. } = &entry.state else { return Ok(Rebased::Unchanged) };
    let mut draft = match store.load(&entry.draft_id) {
        Ok(draft) => draft,
        Err(DraftError::NotFound { .. }) => return Ok(Rebased::Unchanged),
        Err(err) => return Err(err),
    };
    let status = status_text(customer);
    match &draft.target {
        DraftTarget::Update { .. } => {
            match draft.base.as_mut() {
                Some(base) if base.fetched_at > *sent_at => return Ok(Rebased::Unchanged),
                Some(base) if base.fetched_at == *sent_at => {
                    if base.status.as_deref() == status.as_deref() {
                        return Ok(Rebased::Unchanged);
                    }
                    base.status = status;
                }
                _ => {
                    let (base, record) = rebased(&draft, entry, customer, *sent_at);
                    draft.base = Some(base);
                    draft.record = record;
                }
            }
            // The change was submitted: its preparers and approval are spent; the document
            // decisions still describe the same documents, so they stay.
            draft.review.editors.clear();
            draft.review.approval = None;
            draft.revision += 1;
            draft.updated_at = Utc::now();
            draft.issue_count = issue_count(&draft.record);
            store.put(&draft)?;
            Ok(Rebased::Updated { revision: draft.revision })
        }
        DraftTarget::Create { .. } => {
            let new_id = update_draft_id(&draft.environment, &customer.customer_id);
            match store.load(&new_id) {
                // Converted before (the trash move did not happen) or opened since: keep it.
                Ok(_) => {}
                Err(DraftError::NotFound { .. }) => {
                    let (base, record) = rebased(&draft, entry, customer, *sent_at);
                    let now = Utc::now();
                    let converted = Draft {
                        id: new_id.clone(),
                        environment: draft.environment.clone(),
                        target: DraftTarget::Update { customer_id: customer.customer_id.clone() },
                        base: Some(base),
                        issue_count: issue_count(&record),
                        record,
                        revision: draft.revision + 1,
                        created_at: draft.created_at,
                        updated_at: now,
                        review: kyb_core::review::Review {
                            decisions: draft.review.decisions.clone(),
                            matches: draft.review.matches.clone(),
                            ..Default::default()
                        },
                    };
                    store.put(&converted)?;
                }
                Err(err) => return Err(err),
            }
            // The open draft follows before the old one goes, so a restart in between, or a page
            // asking for the open draft meanwhile, finds one of the two.
            let mut open = workspace.load();
            if open.open_draft.as_deref() == Some(draft.id.as_str()) {
                open.open_draft = Some(new_id.clone());
                if let Err(err) = workspace.save(&open) {
                    tracing::warn!(error = %err, "cannot update workspace.json");
                }
            }
            store.delete(&draft.id)?;
            Ok(Rebased::Converted { new_id })
        }
    }
}

/// The new base (the partner's answer) and record (see the module docs).
fn rebased(draft: &Draft, entry: &OutboxEntry, customer: &Customer, sent_at: DateTime<Utc>) -> (DraftBase, Value) {
    let mut server = serde_json::to_value(customer.sections()).unwrap_or(Value::Null);
    amounts_to_strings(&mut server);
    let answered = with_parts_the_answer_left_out(&server, &entry.record);
    let record = if draft.record == entry.record {
        answered
    } else {
        let outcome = kyb_core::merge::merge3(&entry.record, &answered, &draft.record);
        if outcome.conflicts.is_empty() {
            outcome.merged
        } else {
            // Edited after queueing on fields the answer also changed: keep what was typed.
            draft.record.clone()
        }
    };
    let base = DraftBase {
        record: server,
        partner_customer_id: customer.partner_customer_id.clone(),
        status: status_text(customer),
        fetched_at: sent_at,
    };
    (base, record)
}

/// `answer` with the sections, and per person the parts, that `sent` had and `answer` lacks.
fn with_parts_the_answer_left_out(answer: &Value, sent: &Value) -> Value {
    let mut filled = answer.clone();
    let (Some(filled_sections), Some(sent_sections)) = (filled.as_object_mut(), sent.as_object()) else {
        return filled;
    };
    for (section, value) in sent_sections {
        match filled_sections.get_mut(section) {
            None => {
                filled_sections.insert(section.clone(), value.clone());
            }
            Some(Value::Array(people)) if section == "business_person_list" => {
                let sent_people = value.as_array().map(Vec::as_slice).unwrap_or_default();
                for (person, sent_person) in people.iter_mut().zip(sent_people) {
                    let (Some(parts), Some(sent_parts)) = (person.as_object_mut(), sent_person.as_object()) else { continue };
                    for (part, value) in sent_parts {
                        parts.entry(part.clone()).or_insert_with(|| value.clone());
                    }
                }
            }
            Some(_) => {}
        }
    }
    filled
}

fn status_text(customer: &Customer) -> Option<String> {
    Some(customer.status.to_string())
}

fn issue_count(record: &Value) -> u32 {
    u32::try_from(validate_update_value(record, &ValidationContext::now()).len()).unwrap_or(u32::MAX)
}
