//! The outbox: queue a draft for sending, follow it, retry, cancel, resolve a lost-update
//! conflict. The background worker ([`crate::worker`]) does the sending.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kyb_core::audit::AuditEvent;
use kyb_core::drafts::{validate_draft, DraftTarget};
use kyb_core::field_path::text_at;
use kyb_core::review::{approval_state, check_submittable, ApprovalState};
use kyb_core::merge::Choice;
use kyb_core::outbox::{OutboxEntry, OutboxState};
use kyb_core::validation::ValidationContext;
use serde::Serialize;
use ts_rs::TS;

use super::{draft_id, entry_id};
use crate::error::{draft_error, outbox_error, AppError};
use crate::state::{blocking, AppState};

/// What `outbox_status` answers (the page polls it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OutboxStatus {
    /// Whether the active environment answered its last check (probe every 5 s, and every send).
    pub online: bool,
    /// When that was; absent before the first check of this environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub checked_at: Option<DateTime<Utc>>,
    /// Why it is offline, or what went wrong although it answers (`network`/`timeout`: no
    /// answer; `unauthorized`/`credentials_missing`: credentials refused or missing; `server`:
    /// the partner's server failed), from the last probe or send.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<kyb_core::outbox::AttemptError>,
    /// The active environment.
    pub environment: String,
    /// Its outbox entries, oldest first: every entry still to send or being followed, and the
    /// newest [`LISTED_SETTLED`] sent entries whose customer has settled.
    pub entries: Vec<OutboxEntry>,
    /// Older settled sent entries left out of `entries` (they stay on disk for
    /// `SENT_DAYS` days; the audit trail keeps every submission).
    pub settled_not_listed: u32,
}

use crate::state::LISTED_SETTLED;

/// Keep every open entry and the newest `LISTED_SETTLED` settled ones (order kept); returns the
/// kept entries and how many settled ones were left out.
pub fn bounded(mut entries: Vec<OutboxEntry>) -> (Vec<OutboxEntry>, u32) {
    let settled = |e: &OutboxEntry| matches!(&e.state, OutboxState::Sent { customer, .. } if customer.status.is_settled());
    let mut settled_times: Vec<_> = entries.iter().filter(|e| settled(e)).map(|e| e.updated_at).collect();
    let Some(excess) = settled_times.len().checked_sub(LISTED_SETTLED).filter(|n| *n > 0) else {
        return (entries, 0);
    };
    settled_times.sort();
    // Settled entries older than the newest LISTED_SETTLED are left out (ties are kept).
    let cutoff = settled_times[excess];
    let before = entries.len();
    entries.retain(|e| !settled(e) || e.updated_at >= cutoff);
    let left_out = u32::try_from(before - entries.len()).unwrap_or(u32::MAX);
    (entries, left_out)
}

/// An entry as the page gets it: without the outbox's own bookkeeping (`resolved_against`,
/// not part of the `OutboxEntry` binding).
pub fn for_page(mut entry: OutboxEntry) -> OutboxEntry {
    entry.resolved_against = None;
    entry
}

/// Queue the draft as it is saved now. Refused when it does not validate (`invalid_record`).
/// A draft imported in this session and not changed since is sent with its file's idempotency
/// key (the same file queued twice, or on two machines, is applied once).
/// Needs a chosen profile (`no_profile`); in an environment that requires approval, a valid
/// approval of exactly this change by another profile (`approval_required`).
/// In a production environment `confirmation` must be the customer's English business name
/// exactly as loaded (the `customer_id` when the record has none), or for a new customer its
/// `partner_customer_id`.
pub async fn queue_draft(
    state: &AppState,
    id: &str,
    confirmation: Option<&str>,
) -> Result<OutboxEntry, AppError> {
    let id = draft_id(id)?;
    let home = state.drafts()?.clone();
    let store = home.store.clone();
    let loaded = id.clone();
    let draft = blocking(move || store.load(&loaded).map_err(|err| draft_error(Some(&loaded), err))).await??;
    if state.team.links.get(&draft.id).is_some() {
        // The desktop holds no partner credentials for a team environment: the server sends.
        return Err(AppError::invalid_input("id", "a team draft is sent by the team server: use Submit through the team"));
    }
    let issues = super::documents::document_type_issues(state, &draft).await?;
    if !issues.is_empty() {
        return Err(AppError::InvalidRecord { issues });
    }
    let environment = state.environment(&draft.environment).await.ok_or_else(|| {
        AppError::invalid_input("id", format!("the draft's environment {:?} no longer exists", draft.environment))
    })?;
    if environment.is_production {
        let expected = match &draft.target {
            DraftTarget::Update { customer_id } => {
                let from_base =
                    draft.base.as_ref().map(|base| text_at(&base.record, "business_details.business_name_english"));
                state.confirmation_text(&environment, customer_id, from_base).await?
            }
            DraftTarget::Create { partner_customer_id } => partner_customer_id.clone(),
        };
        if confirmation != Some(expected.as_str()) {
            return Err(AppError::ConfirmationRequired { host: environment.host(), environment: environment.name });
        }
    }
    // A draft imported from a portable file in this session, still as imported: the file's key.
    let file_key = {
        let imported = state.imported_keys.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        imported.get(&draft.id).filter(|(_, record)| *record == draft.record).map(|(key, _)| key.clone())
    };
    // Four-eyes: an environment that requires approval takes only a change approved, exactly as
    // it is now, by someone who did not prepare it.
    let profile = state.require_profile()?;
    check_submittable(&draft, environment.requires_approval)?;
    let approval = match approval_state(&draft) {
        ApprovalState::Valid { approval } => Some(approval),
        ApprovalState::None | ApprovalState::Void { .. } => None,
    };
    // The environment's partner profile (closed lists, bounds): the outbox's own check before
    // queueing and sending applies only KYB Desk's built-in lists.
    let ctx = ValidationContext::now_with(super::partner_profile::environment_profile(state, &environment.name).await);
    let issues = validate_draft(&draft.target, &draft.record, &ctx);
    if !issues.is_empty() {
        return Err(AppError::InvalidRecord { issues });
    }
    let changes = super::review::changes_of(&draft);
    let outbox = home.outbox.clone();
    let by = profile.clone();
    let (plan, draft) = blocking(move || {
        outbox
            .plan_enqueue(&draft, file_key.as_deref(), &by, approval)
            .map(|plan| (plan, draft))
            .map_err(|err| outbox_error(None, err))
    })
    .await??;
    // Fail closed: the queueing is in the trail before the entry exists (the worker sends only
    // entries whose queueing it finds there).
    let event = AuditEvent::SubmissionQueued {
        outbox_entry: plan.entry.id.clone(),
        changes,
        approval_hash: plan.entry.approval.as_ref().map(|a| a.diff_hash.clone()),
    };
    let outbox = home.outbox.clone();
    let entry = crate::audit_trail::record_then(&home, crate::audit_trail::about_draft(&draft, &profile, event), move || {
        outbox.commit_enqueue(plan).map_err(|err| outbox_error(None, err))
    })
    .await?;
    state.worker.audited_queueing(&entry.id);
    tracing::info!(draft = %id, entry = %entry.id, environment = %entry.environment, "draft queued");
    state.worker.wake();
    Ok(for_page(entry))
}

/// The active environment's outbox and whether it is reachable.
pub async fn outbox_status(state: &AppState) -> Result<OutboxStatus, AppError> {
    let environment = state.active_environment().await.name;
    let outbox = state.drafts()?.outbox.clone();
    let all = blocking(move || outbox.entries().map_err(|err| outbox_error(None, err))).await??;
    let (kept, settled_not_listed) = bounded(all.into_iter().filter(|entry| entry.environment == environment).collect());
    let entries = kept.into_iter().map(for_page).collect();
    let connectivity = state.worker.connectivity(&environment);
    Ok(OutboxStatus {
        online: connectivity.online,
        checked_at: connectivity.checked_at,
        problem: connectivity.problem,
        environment,
        entries,
        settled_not_listed,
    })
}

/// Send a failed or waiting entry again now (same idempotency key: never applied twice).
pub async fn retry_outbox_entry(state: &AppState, id: &str) -> Result<OutboxEntry, AppError> {
    let id = entry_id(id)?;
    let outbox = state.drafts()?.outbox.clone();
    let entry = blocking(move || outbox.retry_now(&id).map_err(|err| outbox_error(Some(&id), err))).await??;
    tracing::info!(entry = %entry.id, "outbox entry retried");
    state.worker.wake();
    Ok(for_page(entry))
}

/// Take an entry out of the outbox (not while it is being sent, nor once sent: `outbox_busy`).
pub async fn cancel_outbox_entry(state: &AppState, id: &str) -> Result<(), AppError> {
    let id = entry_id(id)?;
    let outbox = state.drafts()?.outbox.clone();
    let cancelled = id.clone();
    blocking(move || outbox.cancel(&cancelled).map_err(|err| outbox_error(Some(&cancelled), err))).await??;
    tracing::info!(entry = %id, "outbox entry cancelled");
    Ok(())
}

/// Decide every conflicting field of an entry in `conflict` (`choices`: path → "mine" |
/// "theirs"); the entry is queued again with the resolved record.
pub async fn resolve_conflict(state: &AppState, id: &str, choices: BTreeMap<String, Choice>) -> Result<OutboxEntry, AppError> {
    let id = entry_id(id)?;
    let profile = state.require_profile()?;
    let home = state.drafts()?.clone();
    let outbox = home.outbox.clone();
    let entry =
        blocking(move || outbox.resolve_conflict(&id, &choices).map_err(|err| outbox_error(Some(&id), err))).await??;
    tracing::info!(entry = %entry.id, "conflict resolved");
    // What goes to the partner now, against its current record: the trail shows the choices.
    if let (Some(theirs), Some(resolved)) = (&entry.resolved_against, &entry.prepared) {
        let event = AuditEvent::SubmissionQueued {
            outbox_entry: entry.id.clone(),
            changes: kyb_core::diff::diff_values(theirs, resolved),
            approval_hash: entry.approval.as_ref().map(|a| a.diff_hash.clone()),
        };
        let new = kyb_core::audit::NewAuditEntry {
            at: chrono::Utc::now(),
            actor: profile,
            environment: entry.environment.clone(),
            customer: crate::audit_trail::customer_label(&entry.target),
            draft_id: Some(entry.draft_id.clone()),
            event,
        };
        crate::audit_trail::append(&home, new).await?;
    }
    state.worker.wake();
    Ok(for_page(entry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use serde_json::{json, Value};

    fn entry(n: i64, state: Value) -> OutboxEntry {
        let at = Utc::now() - Duration::minutes(1000 - n);
        serde_json::from_value(json!({
            "id": format!("o-{n}"), "sequence": n, "draft_id": "u-1", "environment": "Sandbox",
            "target": {"kind": "update", "customer_id": "cus_1"}, "record": {},
            "idempotency_key": format!("k-{n}"), "state": state, "attempts": 0,
            "queued_at": at, "updated_at": at,
        }))
        .expect("test entry")
    }

    fn sent(n: i64, status: &str) -> OutboxEntry {
        entry(n, json!({"state": "sent", "sent_at": Utc::now(), "customer": {"customer_id": "cus_1", "status": status}}))
    }

    #[test]
    fn keeps_open_entries_and_the_newest_settled_ones() {
        let mut all: Vec<OutboxEntry> = (0..120).map(|n| sent(n, "Succeeded")).collect();
        all.insert(3, entry(500, json!({"state": "queued"})));
        all.push(sent(600, "Processing"));
        let (kept, left_out) = bounded(all);
        assert_eq!(left_out as usize, 120 - LISTED_SETTLED);
        assert_eq!(kept.len(), LISTED_SETTLED + 2);
        assert!(kept.iter().any(|e| e.id == "o-500"), "queued entries are always listed");
        assert!(kept.iter().any(|e| e.id == "o-600"), "a sent entry still being followed is listed");
        let oldest_listed = format!("o-{}", 120 - LISTED_SETTLED);
        let newest_left_out = format!("o-{}", 119 - LISTED_SETTLED);
        assert!(kept.iter().any(|e| e.id == "o-119") && kept.iter().any(|e| e.id == oldest_listed), "the newest settled ones stay");
        assert!(!kept.iter().any(|e| e.id == newest_left_out), "older settled ones are left out");
        let order: Vec<u64> = kept.iter().map(|e| e.sequence).filter(|s| *s < 500).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "order is kept");
    }

    #[test]
    fn a_short_outbox_is_untouched() {
        let all: Vec<OutboxEntry> = (0..LISTED_SETTLED as i64).map(|n| sent(n, "Failed")).collect();
        let (kept, left_out) = bounded(all.clone());
        assert_eq!((kept, left_out), (all, 0));
    }
}
