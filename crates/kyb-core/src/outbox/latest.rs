//! The newest outbox entry of a draft: what the drafts library shows next to each draft. One
//! rule for the app and [`super::Outbox::latest_for_draft`]: the highest `sequence` wins.

use std::collections::HashMap;

use super::model::OutboxEntry;

/// The newest entry of every draft that has one, by draft id.
pub fn latest_by_draft(entries: impl IntoIterator<Item = OutboxEntry>) -> HashMap<String, OutboxEntry> {
    let mut latest: HashMap<String, OutboxEntry> = HashMap::new();
    for entry in entries {
        match latest.get(&entry.draft_id) {
            Some(known) if known.sequence > entry.sequence => {}
            _ => {
                latest.insert(entry.draft_id.clone(), entry);
            }
        }
    }
    latest
}

/// The newest entry of `draft_id` among `entries`.
pub fn latest_for_draft(entries: impl IntoIterator<Item = OutboxEntry>, draft_id: &str) -> Option<OutboxEntry> {
    entries.into_iter().filter(|entry| entry.draft_id == draft_id).max_by_key(|entry| entry.sequence)
}
