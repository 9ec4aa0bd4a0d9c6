//! The sandbox's own count of what it applied (what exactly-once tests compare against).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Applied writes, persisted with the data (so they survive a restart).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Updates applied, per `customer_id`.
    #[serde(default)]
    pub updates: BTreeMap<String, u64>,
    /// Creates applied, per `partner_customer_id`.
    #[serde(default)]
    pub creates: BTreeMap<String, u64>,
    /// Files stored.
    #[serde(default)]
    pub uploads: u64,
    /// Requests answered from an idempotency record instead of being applied again.
    #[serde(default)]
    pub idempotent_replays: u64,
}

impl Stats {
    pub fn updates_for(&self, customer_id: &str) -> u64 {
        self.updates.get(customer_id).copied().unwrap_or(0)
    }

    pub fn creates_for(&self, partner_customer_id: &str) -> u64 {
        self.creates.get(partner_customer_id).copied().unwrap_or(0)
    }

    pub fn total_updates(&self) -> u64 {
        self.updates.values().sum()
    }

    pub fn total_creates(&self) -> u64 {
        self.creates.values().sum()
    }
}
