//! The worker sends only entries whose queueing is in the audit trail. Queueing writes the trail
//! first ([`crate::audit_trail::record_then`]), so an entry without it was not queued through
//! the app (a hand-made or restored file, a trail rolled back): it is stopped as `failed`,
//! never sent.

use std::collections::HashSet;

use kyb_core::audit::{AuditEvent, AuditFilter};
use kyb_core::error::ErrorKind;
use kyb_core::outbox::{AttemptError, OutboxEntry, OutboxState};

use super::lock;
use crate::state::{blocking, AppState, DraftsHome};

/// Entry ids whose `submission_queued` entry was seen in the trail (or just written).
#[derive(Debug, Default)]
pub struct AuditedQueueings {
    ids: HashSet<String>,
}

impl AuditedQueueings {
    pub fn insert(&mut self, id: &str) {
        self.ids.insert(id.to_owned());
    }

    fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }
}

/// Why an entry is stopped.
pub const NOT_IN_TRAIL: &str =
    "its queueing is not in the audit trail, so KYB Desk does not send it; open the draft and queue it again";

/// Stop every due entry whose queueing the trail does not show. The trail is read (once) only
/// when a due entry is not known yet: after a start, or for an entry queued elsewhere.
pub async fn refuse_unaudited(state: &AppState, home: &DraftsHome, entries: &[OutboxEntry]) {
    let due: Vec<&OutboxEntry> = entries
        .iter()
        .filter(|e| matches!(e.state, OutboxState::Queued | OutboxState::Sending | OutboxState::WaitingRetry { .. }))
        .collect();
    let unknown = |known: &AuditedQueueings| due.iter().any(|e| !known.contains(&e.id));
    if !unknown(&lock(&state.worker.audited)) {
        return;
    }
    let audit = home.audit.clone();
    let filter = AuditFilter { types: vec!["submission_queued".to_owned()], ..AuditFilter::default() };
    let queued = match blocking(move || audit.entries(&filter)).await {
        Ok(Ok(queued)) => queued,
        Ok(Err(err)) => return tracing::error!(error = %err, "cannot read the audit trail; nothing is sent"),
        Err(err) => return tracing::error!(error = %err, "cannot read the audit trail; nothing is sent"),
    };
    let missing: Vec<String> = {
        let mut known = lock(&state.worker.audited);
        for entry in queued {
            if let AuditEvent::SubmissionQueued { outbox_entry, .. } = entry.event {
                known.insert(&outbox_entry);
            }
        }
        due.iter().filter(|e| !known.contains(&e.id)).map(|e| e.id.clone()).collect()
    };
    for id in missing {
        let outbox = home.outbox.clone();
        let error = AttemptError { kind: ErrorKind::Internal, message: NOT_IN_TRAIL.to_owned(), status: None };
        match blocking(move || outbox.refuse(&id, error)).await {
            Ok(Ok(entry)) => tracing::warn!(entry = %entry.id, "outbox entry not sent: its queueing is not in the audit trail"),
            Ok(Err(err)) => tracing::warn!(error = %err, "could not stop an outbox entry missing from the audit trail"),
            Err(err) => tracing::warn!(error = %err, "could not stop an outbox entry missing from the audit trail"),
        }
    }
}
