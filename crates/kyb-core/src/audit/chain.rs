//! The hash chain: `hash = SHA-256(prev_hash ‖ canonical JSON of the entry without hash)`.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::model::{AuditEntry, AuditEvent};

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

/// The fields that are hashed, in a fixed order (everything but `hash`).
#[derive(Serialize)]
struct Canonical<'a> {
    seq: u64,
    at: &'a DateTime<Utc>,
    actor: &'a str,
    environment: &'a str,
    customer: &'a str,
    draft_id: Option<&'a str>,
    event: &'a AuditEvent,
    prev_hash: &'a str,
}

/// The hash `entry` must have (its own `hash` field ignored).
pub fn entry_hash(entry: &AuditEntry) -> String {
    let canonical = Canonical {
        seq: entry.seq,
        at: &entry.at,
        actor: &entry.actor,
        environment: &entry.environment,
        customer: &entry.customer,
        draft_id: entry.draft_id.as_deref(),
        event: &entry.event,
        prev_hash: &entry.prev_hash,
    };
    // Every map inside an event is a struct or a Vec, so the field order (and the bytes) are fixed.
    let json = serde_json::to_vec(&canonical).expect("an audit entry always serializes");
    let digest = Sha256::new().chain_update(entry.prev_hash.as_bytes()).chain_update(&json).finalize();
    hex::encode(digest)
}

/// Check `entries` in file order: seq 1, 2, 3… without gaps, each `prev_hash` the previous
/// `hash` (the first [`GENESIS_HASH`]), each `hash` = [`entry_hash`].
pub fn verify_chain(entries: &[AuditEntry]) -> ChainReport {
    let lines: Vec<(u64, &AuditEntry)> = entries.iter().enumerate().map(|(i, e)| (i as u64 + 1, e)).collect();
    verify_lines(&lines, &[])
}

/// [`verify_chain`] on entries that come with their line numbers, and the numbers of the lines
/// that could not be read (the log reports those itself). An unreadable line stands for one
/// entry: the entry after it is not reported as missing one before it or as not linking to it,
/// so one damaged line is one problem.
pub(super) fn verify_lines(entries: &[(u64, &AuditEntry)], unreadable_lines: &[u64]) -> ChainReport {
    let present: HashSet<u64> = entries.iter().map(|(_, e)| e.seq).collect();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut problems = Vec::new();
    let mut previous: Option<&AuditEntry> = None;
    let mut previous_line = 0;
    for &(line, entry) in entries {
        let unreadable_between =
            unreadable_lines.iter().filter(|&&unreadable| unreadable > previous_line && unreadable < line).count();
        previous_line = line;
        let problem = |kind, message: String| ChainProblem { line, seq: Some(entry.seq), kind, message };
        let expected = entry_hash(entry);
        if entry.hash != expected {
            problems.push(problem(
                ChainProblemKind::Edited,
                format!("entry {} was changed after it was written: its contents no longer match its hash", entry.seq),
            ));
        }
        let previous_seq = previous.map_or(0, |p| p.seq);
        if entry.seq <= previous_seq {
            let how = if entry.seq == previous_seq { "repeats" } else { "comes after" };
            problems.push(problem(
                ChainProblemKind::OutOfOrder,
                format!("entry {} {how} entry {previous_seq}: entries were reordered or copied", entry.seq),
            ));
        } else if entry.seq > previous_seq + 1 {
            let skipped = previous_seq + 1..entry.seq;
            let absent: Vec<u64> = skipped.clone().filter(|seq| !present.contains(seq)).collect();
            if absent.len() > unreadable_between {
                problems.push(problem(
                    ChainProblemKind::Missing,
                    format!("{} before entry {} removed", describe_seqs(&absent), entry.seq),
                ));
            }
            // Skipped numbers that come later in the file: this entry was moved ahead of them.
            if skipped.into_iter().any(|seq| present.contains(&seq) && !seen.contains(&seq)) {
                problems.push(problem(
                    ChainProblemKind::OutOfOrder,
                    format!("entry {} comes before entries that should precede it: entries were reordered", entry.seq),
                ));
            }
        }
        match previous {
            // The entry before this one is on an unreadable line: the link cannot be checked.
            Some(_) if unreadable_between > 0 => {}
            Some(previous) if entry.prev_hash != previous.hash => problems.push(problem(
                ChainProblemKind::BrokenLink,
                format!(
                    "entry {} does not link to entry {} before it: an entry was removed, inserted or moved",
                    entry.seq, previous.seq
                ),
            )),
            None if unreadable_between == 0 && entry.seq == 1 && entry.prev_hash != GENESIS_HASH => {
                problems.push(problem(
                    ChainProblemKind::BrokenLink,
                    "the first entry does not start the chain: entries before it were removed".to_owned(),
                ))
            }
            _ => {}
        }
        seen.insert(entry.seq);
        previous = Some(entry);
    }
    ChainReport {
        intact: problems.is_empty(),
        entries: entries.len() as u64,
        head: entries.last().map(|(_, e)| e.hash.clone()),
        problems,
    }
}

/// "entry 3 was", "entries 3, 4 were", "entries 3 to 9 were".
fn describe_seqs(seqs: &[u64]) -> String {
    match seqs {
        [one] => format!("entry {one} was"),
        [first, .., last] if (last - first) as usize + 1 == seqs.len() && seqs.len() > 2 => {
            format!("entries {first} to {last} were")
        }
        _ => format!("entries {} were", seqs.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::audit::model::AuditEvent;
    use crate::diff::FieldChange;

    fn chain_of(n: u64) -> Vec<AuditEntry> {
        let mut entries: Vec<AuditEntry> = Vec::new();
        for seq in 1..=n {
            let prev_hash = entries.last().map_or_else(|| GENESIS_HASH.to_owned(), |e| e.hash.clone());
            let mut entry = AuditEntry {
                seq,
                at: Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, seq as u32).unwrap(),
                actor: "Alice".into(),
                environment: "Sandbox".into(),
                customer: format!("cus_{}", seq % 2),
                draft_id: (seq % 2 == 0).then(|| format!("draft-{seq}")),
                event: AuditEvent::SubmissionQueued {
                    outbox_entry: format!("out-{seq}"),
                    changes: vec![FieldChange {
                        path: "business_details.business_name_english".into(),
                        before: Some("Old Ltd".into()),
                        after: Some(format!("New {seq} Ltd")),
                    }],
                    approval_hash: None,
                },
                prev_hash,
                hash: String::new(),
            };
            entry.hash = entry_hash(&entry);
            entries.push(entry);
        }
        entries
    }

    fn kinds(report: &ChainReport) -> Vec<(Option<u64>, ChainProblemKind)> {
        report.problems.iter().map(|p| (p.seq, p.kind)).collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let entries = chain_of(5);
        let report = verify_chain(&entries);
        assert!(report.intact, "{report:?}");
        assert_eq!(report.entries, 5);
        assert_eq!(report.head.as_deref(), Some(entries[4].hash.as_str()));
        assert_eq!(entries[0].prev_hash, GENESIS_HASH);
        assert_eq!(entries[0].hash.len(), 64);
        let empty = verify_chain(&[]);
        assert!(empty.intact && empty.entries == 0 && empty.head.is_none());
    }

    #[test]
    fn the_hash_is_deterministic_and_covers_every_field_but_hash() {
        let entries = chain_of(2);
        let mut entry = entries[1].clone();
        assert_eq!(entry_hash(&entry), entry.hash);
        entry.hash = "anything".into();
        assert_eq!(entry_hash(&entry), entries[1].hash);
        // A round trip through the stored JSON gives the same hash.
        let json = serde_json::to_string(&entries[1]).unwrap();
        let back: AuditEntry = serde_json::from_str(&json).unwrap();
        assert_eq!(entry_hash(&back), entries[1].hash);
        let changes: [fn(&mut AuditEntry); 8] = [
            |e| e.seq += 10,
            |e| e.at += chrono::Duration::nanoseconds(1),
            |e| e.actor.push('x'),
            |e| e.environment.push('x'),
            |e| e.customer.push('x'),
            |e| e.draft_id = None,
            |e| e.prev_hash = GENESIS_HASH.into(),
            |e| e.event = AuditEvent::ApprovalRefused { reason: "x".into() },
        ];
        for change in changes {
            let mut changed = entries[1].clone();
            change(&mut changed);
            assert_ne!(entry_hash(&changed), entries[1].hash, "{changed:?}");
        }
    }

    #[test]
    fn an_edited_entry_is_found_at_its_seq() {
        let mut entries = chain_of(5);
        if let AuditEvent::SubmissionQueued { changes, .. } = &mut entries[2].event {
            changes[0].after = Some("Forged Ltd".into());
        }
        let report = verify_chain(&entries);
        assert!(!report.intact);
        assert_eq!(kinds(&report), vec![(Some(3), ChainProblemKind::Edited)]);
        assert_eq!(report.problems[0].line, 3);
    }

    #[test]
    fn a_removed_entry_is_missing_and_breaks_the_link() {
        let mut entries = chain_of(5);
        entries.remove(2);
        let report = verify_chain(&entries);
        assert!(!report.intact);
        assert_eq!(kinds(&report), vec![(Some(4), ChainProblemKind::Missing), (Some(4), ChainProblemKind::BrokenLink)]);
        assert!(report.problems[0].message.contains("entry 3 was"), "{}", report.problems[0].message);
        assert_eq!(report.entries, 4);

        // The first one removed: the chain no longer starts at 1.
        let mut entries = chain_of(5);
        entries.remove(0);
        let report = verify_chain(&entries);
        assert_eq!(kinds(&report), vec![(Some(2), ChainProblemKind::Missing)]);
    }

    #[test]
    fn swapped_entries_are_out_of_order_and_unlinked() {
        let mut entries = chain_of(5);
        entries.swap(1, 2);
        let report = verify_chain(&entries);
        assert!(!report.intact);
        let found = kinds(&report);
        assert!(found.contains(&(Some(2), ChainProblemKind::OutOfOrder)), "{found:?}");
        assert!(found.contains(&(Some(3), ChainProblemKind::BrokenLink)), "{found:?}");
        assert!(found.contains(&(Some(4), ChainProblemKind::BrokenLink)), "{found:?}");
        // Nothing is missing and nothing was edited: every entry is still there, unchanged.
        assert!(!found.iter().any(|(_, k)| matches!(k, ChainProblemKind::Missing | ChainProblemKind::Edited)));
    }

    #[test]
    fn a_repeated_or_rewritten_first_entry_is_reported() {
        let mut entries = chain_of(3);
        entries.push(entries[2].clone());
        let report = verify_chain(&entries);
        let expected = vec![(Some(3), ChainProblemKind::OutOfOrder), (Some(3), ChainProblemKind::BrokenLink)];
        assert_eq!(kinds(&report), expected);

        let mut entries = chain_of(3);
        entries[0].prev_hash = "1".repeat(64);
        entries[0].hash = entry_hash(&entries[0]);
        let report = verify_chain(&entries);
        let expected = vec![(Some(1), ChainProblemKind::BrokenLink), (Some(2), ChainProblemKind::BrokenLink)];
        assert_eq!(kinds(&report), expected);
    }

    #[test]
    fn problems_serialize_in_snake_case() {
        let mut entries = chain_of(2);
        entries[1].actor = "Mallory".into();
        let json = serde_json::to_value(verify_chain(&entries)).unwrap();
        assert_eq!(json["intact"], false);
        assert_eq!(json["problems"][0]["kind"], "edited");
        assert_eq!(json["problems"][0]["seq"], 2);
    }
}
