//! What an outbox entry is: one intent to send one draft, with the idempotency key that makes
//! every attempt of that intent the same request to the partner.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::drafts::{DraftBase, DraftTarget};
use crate::error::ErrorKind;
use crate::merge::FieldConflict;
use crate::review::Approval;
use crate::model::Customer;

/// One problem that sent an entry back to its draft: a validation issue found just before
/// sending, or a field error from the partner (`path` absent when it named no field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntryProblem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub path: Option<String>,
    pub code: String,
    pub message: String,
}

/// The last error an attempt met, as the UI shows it (`kind` as in `CommandError`; a kind this
/// version does not know, stored by a newer one, reads as `internal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttemptError {
    #[serde(deserialize_with = "ErrorKind::deserialize_stored")]
    pub kind: ErrorKind,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<u16>,
}

/// Where an entry is. Retried automatically only from `waiting_retry`; `rejected`, `conflict`
/// and `failed` wait for the officer (and hold back later entries for the same customer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum OutboxState {
    /// Waiting for its turn or for the network.
    Queued,
    /// An attempt is under way. Found at start-up (the app was killed mid-send), it is sent
    /// again with the same idempotency key, which the partner answers without applying twice.
    Sending,
    /// A safe-to-retry failure (connection, timeout, 408, 429, 502, 503, 504); next try then.
    WaitingRetry { next_attempt_at: DateTime<Utc> },
    /// Someone else changed fields this draft also changed; the officer chooses field by field.
    Conflict {
        conflicts: Vec<FieldConflict>,
        /// The server's current record the conflicts were computed against.
        #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
        theirs: Value,
        theirs_fetched_at: DateTime<Utc>,
    },
    /// Invalid before sending, or refused by the partner with field errors (4xx): back to the draft.
    Rejected { problems: Vec<EntryProblem> },
    /// Not safe to retry automatically (auth, 500, 404, 409, gave up after the attempt limit).
    Failed { error: AttemptError },
    /// Applied by the partner; `customer` is its answer (status usually `Processing`).
    Sent {
        customer: Customer,
        sent_at: DateTime<Utc>,
        /// When the outbox stopped asking about a status this version does not know (it did not
        /// change for the follow limit): the officer asks the partner what it means.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        stopped_following_at: Option<DateTime<Utc>>,
    },
}

impl OutboxState {
    /// Sent, and the partner's status is still worth asking about: `Processing`, or a status this
    /// version does not know that the outbox has not given up on yet.
    pub fn awaits_partner(&self) -> bool {
        matches!(self, OutboxState::Sent { customer, stopped_following_at: None, .. } if !customer.status.is_settled())
    }

    /// Sent, with a status this version does not know that the outbox stopped following: only
    /// the partner can say what it means.
    pub fn asks_partner(&self) -> bool {
        matches!(self, OutboxState::Sent { stopped_following_at: Some(_), .. })
    }
}

/// One queued submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxEntry {
    /// `o-<uuid>`; also the file name.
    pub id: String,
    /// Order of queueing across the whole outbox; entries for one target are sent in this order.
    #[ts(type = "number")]
    pub sequence: u64,
    pub draft_id: String,
    pub environment: String,
    pub target: DraftTarget,
    /// What the officer queued (the draft's record at that moment).
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub record: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub base: Option<DraftBase>,
    /// The body of the first attempt once prepared (after the lost-update check); every retry
    /// sends exactly this body with the same key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub prepared: Option<Value>,
    /// Sent as the `Idempotency-Key` header on every attempt of this entry; never changes.
    pub idempotency_key: String,
    pub state: OutboxState,
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_error: Option<AttemptError>,
    pub queued_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Audit trail: the profile that queued it (the actor of its audit entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub queued_by: Option<String>,
    /// Four-eyes: the approval it was queued with (environments that require one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub approval: Option<Approval>,
    // Bookkeeping of the outbox itself, not part of the UI bindings: after a conflict was
    // resolved and before the result is sent, the server record the choices were made against.
    // The next send first checks that nobody changed the customer again since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub resolved_against: Option<Value>,
}
