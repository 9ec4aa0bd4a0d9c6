//! What a draft is: the record as typed (any JSON, even invalid), the server record it started
//! from, and where it goes (an update of a customer or a new customer).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::review::Review;

/// Where a draft is sent: the update endpoint of one customer, or the create endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DraftTarget {
    /// `POST /api/customers/{customer_id}/update`.
    Update { customer_id: String },
    /// `POST /api/customers/create` with this `partner_customer_id` (may be empty while typing;
    /// validation names it).
    Create { partner_customer_id: String },
}

/// The server record a draft started from (for the diff and the lost-update check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftBase {
    /// The editable part of the customer as the server had it (`UpdateCustomerRequest` JSON).
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub record: Value,
    /// The customer's `partner_customer_id` and `status` when fetched (shown, never sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub partner_customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<String>,
    pub fetched_at: DateTime<Utc>,
}

/// One draft: per customer and environment for updates, one per new customer for creates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Draft {
    /// `u-<hash of environment and customer id>` for updates ([`update_draft_id`]), `c-<uuid>`
    /// for new customers. Safe as a file name; reveals nothing about the customer.
    pub id: String,
    pub environment: String,
    pub target: DraftTarget,
    /// `None` for a new customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub base: Option<DraftBase>,
    /// Exactly what the officer typed, as `UpdateCustomerRequest` JSON (amounts as strings);
    /// kept even when it does not parse, so nothing typed is ever lost.
    #[ts(type = "import('./UpdateCustomerRequest').UpdateCustomerRequest")]
    pub record: Value,
    /// Increases by one on every save.
    #[ts(type = "number")]
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Number of validation issues at the last save (0 = valid), for the library.
    pub issue_count: u32,
    /// Review: who prepared it, document decisions, confirmations and the four-eyes approval.
    /// Kept by the store across saves (the page never sends it); travels in exported files.
    #[serde(default, skip_serializing_if = "Review::is_empty")]
    #[ts(as = "Option<Review>", optional)]
    pub review: Review,
}

/// The stable id of the update draft for `customer_id` in `environment`.
pub fn update_draft_id(environment: &str, customer_id: &str) -> String {
    let digest = Sha256::new()
        .chain_update(environment.as_bytes())
        .chain_update([0u8])
        .chain_update(customer_id.as_bytes())
        .finalize();
    format!("u-{}", hex::encode(&digest[..16]))
}

/// A fresh id for a new-customer draft.
pub fn create_draft_id() -> String {
    format!("c-{}", uuid::Uuid::new_v4().simple())
}

/// Whether `id` has the shape of a draft id (checked before it is used in a file name).
pub fn is_draft_id(id: &str) -> bool {
    let hex_part = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    id.strip_prefix("u-").or_else(|| id.strip_prefix("c-")).is_some_and(hex_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_per_customer_and_environment_and_well_formed() {
        let a = update_draft_id("Sandbox", "cus_1");
        assert_eq!(a, update_draft_id("Sandbox", "cus_1"));
        assert_ne!(a, update_draft_id("Production", "cus_1"));
        assert_ne!(a, update_draft_id("Sandbox", "cus_2"));
        assert!(is_draft_id(&a) && is_draft_id(&create_draft_id()));
        assert!(!is_draft_id("../etc/passwd") && !is_draft_id("u-") && !is_draft_id(&a.to_uppercase()));
    }
}
