//! What the app writes to the audit trail (docs/review-audit.md): the use cases record what a
//! person does (decisions, approvals, queueing, attached copies) *before* it takes effect
//! ([`record_then`]); the worker records what the partner answered ([`record_outbox_changes`]),
//! by comparing the outbox before and after each pass.

use chrono::Utc;
use kyb_core::audit::{AuditEntry, AuditEvent, NewAuditEntry};
use kyb_core::drafts::{Draft, DraftTarget};
use kyb_core::outbox::{OutboxEntry, OutboxState};

use crate::error::AppError;
use crate::state::{blocking, DraftsHome};

/// The actor of entries nobody is recorded for (an entry queued before profiles existed).
pub const APP_ACTOR: &str = "KYB Desk";

/// How a customer is named in the trail: its `customer_id`, or `new:<partner_customer_id>`.
pub fn customer_label(target: &DraftTarget) -> String {
    match target {
        DraftTarget::Update { customer_id } => customer_id.clone(),
        DraftTarget::Create { partner_customer_id } => format!("new:{partner_customer_id}"),
    }
}

/// An entry about `draft`, by `actor`, now.
pub fn about_draft(draft: &Draft, actor: &str, event: AuditEvent) -> NewAuditEntry {
    NewAuditEntry {
        at: Utc::now(),
        actor: actor.to_owned(),
        environment: draft.environment.clone(),
        customer: customer_label(&draft.target),
        draft_id: Some(draft.id.clone()),
        event,
    }
}

/// Append `entry`. A person's action is not done until it is in the trail, so the caller returns
/// this error to the page.
pub async fn append(home: &DraftsHome, entry: NewAuditEntry) -> Result<AuditEntry, AppError> {
    let audit = home.audit.clone();
    let appended = blocking(move || audit.append(entry)).await??;
    tracing::debug!(seq = appended.seq, "audit entry appended");
    Ok(appended)
}

/// A person's action, fail closed: `entry` is appended first and only then is `action` run (off
/// the async workers). When the trail cannot be written, nothing happens and the error says why.
/// When the action then fails, an [`AuditEvent::ActionNotCompleted`] entry follows, so the trail
/// never shows as done what did not happen.
pub async fn record_then<T: Send + 'static>(
    home: &DraftsHome,
    entry: NewAuditEntry,
    action: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let template = entry.clone();
    let recorded = append(home, entry).await?;
    match blocking(action).await.and_then(|result| result) {
        Ok(done) => Ok(done),
        Err(err) => {
            let note = NewAuditEntry {
                at: Utc::now(),
                event: AuditEvent::ActionNotCompleted { seq: recorded.seq, reason: err.to_string() },
                ..template
            };
            if let Err(failed) = append(home, note).await {
                tracing::error!(seq = recorded.seq, error = %failed, "could not record that an action did not take effect");
            }
            Err(err)
        }
    }
}

/// Record what changed in the outbox between `before` and `after` (one environment's pass):
/// an attempt that ended (sent, or why not) and a sent customer whose status moved on.
/// Failures to write are logged, never stop the worker.
pub async fn record_outbox_changes(home: &DraftsHome, before: &[OutboxEntry], after: &[OutboxEntry]) {
    for entry in after {
        let previous = before.iter().find(|old| old.id == entry.id);
        for event in outbox_events(previous, entry) {
            let actor = entry.queued_by.clone().unwrap_or_else(|| APP_ACTOR.to_owned());
            let new = NewAuditEntry {
                at: Utc::now(),
                actor,
                environment: entry.environment.clone(),
                customer: customer_label(&entry.target),
                draft_id: Some(entry.draft_id.clone()),
                event,
            };
            let audit = home.audit.clone();
            match blocking(move || audit.append(new)).await {
                Ok(Ok(_)) => {}
                Ok(Err(err)) => tracing::error!(error = %err, entry = %entry.id, "could not write the audit trail"),
                Err(err) => tracing::error!(error = %err, entry = %entry.id, "could not write the audit trail"),
            }
        }
    }
}

/// The events between two versions of one entry (`previous` absent: not seen before).
pub fn outbox_events(previous: Option<&OutboxEntry>, entry: &OutboxEntry) -> Vec<AuditEvent> {
    let mut events = Vec::new();
    let attempted = previous.is_none_or(|old| old.attempts != entry.attempts || old.state.name() != entry.state.name());
    match &entry.state {
        OutboxState::Sent { customer, .. } => {
            let was_sent = previous.and_then(|old| match &old.state {
                OutboxState::Sent { customer, .. } => Some(format!("{:?}", customer.status)),
                _ => None,
            });
            let status = format!("{:?}", customer.status);
            match was_sent {
                None => events.push(AuditEvent::SubmissionSent {
                    outbox_entry: entry.id.clone(),
                    status,
                    customer_id: Some(customer.customer_id.clone()),
                    partner_customer_id: customer.partner_customer_id.clone(),
                }),
                Some(from) if from != status => events.push(AuditEvent::StatusChanged { from: Some(from), to: status }),
                Some(_) => {}
            }
        }
        OutboxState::Queued | OutboxState::Sending => {}
        other if attempted && previous.is_some() => {
            let (answer, http_status) = match other {
                OutboxState::Rejected { problems } => (
                    problems
                        .iter()
                        .map(|p| match &p.path {
                            Some(path) => format!("{path}: {}", p.message),
                            None => p.message.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    entry.last_error.as_ref().and_then(|e| e.status),
                ),
                OutboxState::Conflict { conflicts, .. } => (
                    format!(
                        "the customer was changed at the partner since this draft started: {}",
                        conflicts.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                    None,
                ),
                _ => match &entry.last_error {
                    Some(error) => (error.message.clone(), error.status),
                    None => (String::new(), None),
                },
            };
            events.push(AuditEvent::SubmissionFailed {
                outbox_entry: entry.id.clone(),
                state: other.name().to_owned(),
                http_status,
                answer,
            });
        }
        _ => {}
    }
    events
}
