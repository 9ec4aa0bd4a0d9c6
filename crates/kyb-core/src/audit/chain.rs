//! The hash chain: `hash = SHA-256(prev_hash ‖ canonical JSON of the entry without hash)`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::AuditEntry;

/// `prev_hash` of the first entry: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What is wrong at one place of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChainProblemKind {
    /// The entry's content does not match its hash (edited).
    Edited,
    /// The entry does not link to the one before it (an entry removed or inserted before it).
    BrokenLink,
    /// Sequence numbers go backwards or repeat (reordered).
    OutOfOrder,
    /// A sequence number is missing (removed).
    Missing,
    /// A line could not be opened or parsed.
    Unreadable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChainProblem {
    /// The line (1-based) where it was found.
    #[ts(type = "number")]
    pub line: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub seq: Option<u64>,
    pub kind: ChainProblemKind,
    pub message: String,
}

/// The result of checking a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChainReport {
    pub intact: bool,
    #[ts(type = "number")]
    pub entries: u64,
    /// The last entry's hash (the head), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub head: Option<String>,
    pub problems: Vec<ChainProblem>,
}

/// The hash `entry` must have (its own `hash` field ignored).
pub fn entry_hash(entry: &AuditEntry) -> String {
    let _ = entry;
    todo!("issue 5 helper")
}

/// Check `entries` in file order: seq 1, 2, 3… without gaps, each `prev_hash` the previous
/// `hash` (the first [`GENESIS_HASH`]), each `hash` = [`entry_hash`].
pub fn verify_chain(entries: &[AuditEntry]) -> ChainReport {
    let _ = entries;
    todo!("issue 5 helper")
}
