//! The log file: `<data>/audit/audit.log`, one sealed entry per line, appended and fsynced;
//! `head.sealed` keeps the last seq and hash so a cut-off tail is detected too.
//!
//! A line is `<seq>:<base64 of the sealed entry>`; the seal's associated data is the seq, so a
//! changed number makes the line unreadable, never another entry. The number in the clear lets
//! each line be opened once. Lines written before it was added are the base64 alone: they are
//! opened with the seq they should have (the one after the entry before them, or their line
//! number), at most two tries. Opening the log reads the head and the last line only.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::chain::{entry_hash, verify_lines, ChainProblem, ChainProblemKind, ChainReport, GENESIS_HASH};
use super::model::{AuditEntry, AuditExport, AuditFilter, NewAuditEntry, AUDIT_EXPORT_FORMAT};
use crate::files::{open_private_append, sync_dir};
use crate::sealed::{open, seal, OpenError, SealError, SealedDir, SealingKey};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("cannot write the audit log {}: {source}", .path.display())]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error(transparent)]
    Sealed(#[from] SealError),
}

/// File name of the log inside `<data>/audit/`.
pub const AUDIT_LOG_FILE: &str = "audit.log";
/// Name of the sealed head record (`head.sealed`).
const HEAD_NAME: &str = "head";
/// Between a line's seq and its sealed entry (never in base64).
const SEQ_SEPARATOR: char = ':';
/// How much of the end of the file is read at a time when looking for the last line.
const TAIL_CHUNK: u64 = 4096;

/// The last entry written, as the head record and the in-memory cache keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Head {
    seq: u64,
    hash: String,
}

/// The append-only log. Cheap to clone; appends are serialized inside.
#[derive(Debug, Clone)]
pub struct AuditLog {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    heads: SealedDir,
    key: Arc<SealingKey>,
    tail: Mutex<Tail>,
}

/// Where the next append goes.
#[derive(Debug)]
struct Tail {
    /// The entry the next one links to (none: the log is empty).
    last: Option<Head>,
    /// The file does not end with a newline (a write was cut short): start the next line afresh.
    needs_newline: bool,
    /// An append failed part way: read the file again before the next one.
    stale: bool,
}

/// One line of the file: its entry, or why it cannot be read.
type Line = Result<AuditEntry, String>;

impl AuditLog {
    /// Open (creating, mode 0700) `<root>/audit/` and find the end of the log.
    pub fn open(root: &Path, key: Arc<SealingKey>) -> Result<Self, AuditError> {
        let dir = root.join("audit");
        let heads = SealedDir::create(&dir, key.clone())?;
        let path = dir.join(AUDIT_LOG_FILE);
        let tail = Mutex::new(Tail { last: None, needs_newline: false, stale: true });
        let inner = Inner { path, heads, key, tail };
        let tail = inner.read_tail()?;
        *inner.tail.lock().unwrap_or_else(|e| e.into_inner()) = tail;
        Ok(Self { inner: Arc::new(inner) })
    }

    /// The log file (`<root>/audit/audit.log`).
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Append `entry` after the last one; returns it with `seq`, `prev_hash` and `hash`.
    pub fn append(&self, entry: NewAuditEntry) -> Result<AuditEntry, AuditError> {
        let inner = &self.inner;
        let mut tail = inner.tail.lock().unwrap_or_else(|e| e.into_inner());
        if tail.stale {
            *tail = inner.read_tail()?;
        }
        let (seq, prev_hash) = match &tail.last {
            Some(last) => (last.seq + 1, last.hash.clone()),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let NewAuditEntry { at, actor, environment, customer, draft_id, event } = entry;
        let mut entry =
            AuditEntry { seq, at, actor, environment, customer, draft_id, event, prev_hash, hash: String::new() };
        entry.hash = entry_hash(&entry);

        let json = Zeroizing::new(serde_json::to_vec(&entry).expect("an audit entry always serializes"));
        let sealed = seal(&inner.key, &associated(seq), &json);
        let mut line = String::with_capacity(sealed.len() * 4 / 3 + 6);
        if tail.needs_newline {
            line.push('\n');
        }
        line.push_str(&seq.to_string());
        line.push(SEQ_SEPARATOR);
        BASE64.encode_string(&sealed, &mut line);
        line.push('\n');

        // Until the line and the head are both on disk, the next append reads the file again.
        tail.stale = true;
        inner.write_line(line.as_bytes())?;
        let head = Head { seq, hash: entry.hash.clone() };
        inner.heads.write_json(HEAD_NAME, &head)?;
        *tail = Tail { last: Some(head), needs_newline: false, stale: false };
        Ok(entry)
    }

    /// Every readable entry matching `filter`, in order (unreadable lines are reported by
    /// [`Self::verify`], skipped here).
    pub fn entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AuditError> {
        Ok(self
            .inner
            .read_lines()?
            .into_iter()
            .filter_map(|line| match line {
                Ok(entry) if filter.matches(&entry) => Some(entry),
                _ => None,
            })
            .collect())
    }

    /// Check the whole log (and that it ends at the recorded head).
    pub fn verify(&self) -> Result<ChainReport, AuditError> {
        // The lines and the head are read as one snapshot, never between an append's line and
        // its head (a half-made append would read as a line or an entry missing).
        let _no_append = self.inner.tail.lock().unwrap_or_else(|e| e.into_inner());
        let lines = self.inner.read_lines()?;
        let line_count = lines.len() as u64;
        let mut unreadable = Vec::new();
        let mut unreadable_lines = Vec::new();
        let mut readable = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            let number = index as u64 + 1;
            match line {
                Ok(entry) => readable.push((number, entry)),
                Err(why) => {
                    unreadable_lines.push(number);
                    unreadable.push(ChainProblem {
                        line: number,
                        seq: None,
                        kind: ChainProblemKind::Unreadable,
                        message: format!("line {number} cannot be read: {why}"),
                    });
                }
            }
        }
        let mut report = verify_lines(&readable, &unreadable_lines);
        // Unreadable lines after the last readable entry stand for the entries up to the head.
        let last_readable_line = readable.last().map_or(0, |(line, _)| *line);
        let unreadable_at_end = unreadable_lines.iter().filter(|&&line| line > last_readable_line).count() as u64;
        let mut problems = unreadable;
        problems.append(&mut report.problems);
        problems.sort_by_key(|p| p.line);

        // The end of the file against the head record.
        let after_last = line_count + 1;
        let last = readable.iter().map(|(_, e)| *e).max_by_key(|e| e.seq);
        match self.inner.read_head() {
            Ok(Some(head)) => match last {
                Some(last) if head.seq <= last.seq => {
                    let at_head = readable.iter().find(|(_, e)| e.seq == head.seq);
                    if let Some((line, entry)) = at_head.filter(|(_, e)| e.hash != head.hash) {
                        problems.push(ChainProblem {
                            line: *line,
                            seq: Some(entry.seq),
                            kind: ChainProblemKind::Edited,
                            message: format!(
                                "entry {} is not the one recorded as the head of the log: it was replaced",
                                entry.seq
                            ),
                        });
                    }
                }
                Some(last) if head.seq <= last.seq + unreadable_at_end => {}
                None if head.seq <= unreadable_at_end => {}
                _ => {
                    let (after, last_seq) = match last {
                        Some(last) => (format!("entries after entry {} were", last.seq), last.seq),
                        None => ("every entry was".to_owned(), 0),
                    };
                    problems.push(ChainProblem {
                        line: after_last,
                        seq: Some(last_seq + 1),
                        kind: ChainProblemKind::Missing,
                        message: format!(
                            "the log ends before its recorded head (entry {}): {after} removed",
                            head.seq
                        ),
                    });
                }
            },
            Ok(None) if line_count > 0 => problems.push(ChainProblem {
                line: after_last,
                seq: None,
                kind: ChainProblemKind::Missing,
                message: "the head record (head.sealed) is missing, so entries removed from the end would not show"
                    .to_owned(),
            }),
            Ok(None) => {}
            Err(why) => problems.push(ChainProblem {
                line: after_last,
                seq: None,
                kind: ChainProblemKind::Unreadable,
                message: format!("the head record (head.sealed) cannot be read: {why}"),
            }),
        }
        report.intact = problems.is_empty();
        report.problems = problems;
        Ok(report)
    }

    /// The chain check of the whole log and the entries matching `filter`, as an export file.
    pub fn export(&self, filter: &AuditFilter, by: &str) -> Result<AuditExport, AuditError> {
        let chain = self.verify()?;
        let entries = self.entries(filter)?;
        Ok(AuditExport {
            format: AUDIT_EXPORT_FORMAT.to_owned(),
            version: 1,
            exported_at: Utc::now(),
            exported_by: by.to_owned(),
            filter: filter.clone(),
            chain,
            entries,
        })
    }

    /// Every customer in the readable entries (of `environment`, when given), sorted, once each.
    pub fn customers(&self, environment: Option<&str>) -> Result<Vec<String>, AuditError> {
        let filter = AuditFilter { environment: environment.map(str::to_owned), ..AuditFilter::default() };
        let customers: BTreeSet<String> = self.entries(&filter)?.into_iter().map(|e| e.customer).collect();
        Ok(customers.into_iter().collect())
    }

    /// Every environment in the readable entries, sorted, once each.
    pub fn environments(&self) -> Result<Vec<String>, AuditError> {
        let environments: BTreeSet<String> =
            self.entries(&AuditFilter::default())?.into_iter().map(|e| e.environment).collect();
        Ok(environments.into_iter().collect())
    }
}

impl Inner {
    fn io(&self, source: io::Error) -> AuditError {
        AuditError::Io { path: self.path.clone(), source }
    }

    /// The raw lines of the file (none when it does not exist yet), and whether it ends with a
    /// newline.
    fn read_raw(&self) -> Result<(Vec<u8>, bool), AuditError> {
        match fs::read(&self.path) {
            Ok(bytes) => {
                let complete = bytes.is_empty() || bytes.ends_with(b"\n");
                Ok((bytes, complete))
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok((Vec::new(), true)),
            Err(err) => Err(self.io(err)),
        }
    }

    fn read_lines(&self) -> Result<Vec<Line>, AuditError> {
        let (bytes, _) = self.read_raw()?;
        Ok(self.parse_lines(&bytes))
    }

    /// Every line, each opened once: with the seq it states, or (a line of the older form)
    /// with the seq after the previous line's, then its line number.
    fn parse_lines(&self, bytes: &[u8]) -> Vec<Line> {
        let raw: Vec<&[u8]> = match bytes.strip_suffix(b"\n") {
            Some(body) => body.split(|b| *b == b'\n').collect(),
            None if bytes.is_empty() => Vec::new(),
            None => bytes.split(|b| *b == b'\n').collect(),
        };
        let mut previous_seq = 0;
        let mut lines = Vec::with_capacity(raw.len());
        for (index, text) in raw.into_iter().enumerate() {
            let number = index as u64 + 1;
            let line = self.open_line(text, &[previous_seq + 1, number]);
            // An unreadable line stands for the entry after the previous one.
            previous_seq = match &line {
                Ok(entry) => entry.seq,
                Err(_) => previous_seq + 1,
            };
            lines.push(line);
        }
        lines
    }

    /// Open one line: with the seq it states, or else (an older line) with the `likely` seqs.
    fn open_line(&self, text: &[u8], likely: &[u64]) -> Line {
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.is_empty() {
            return Err("the line is empty".to_owned());
        }
        let (stated, encoded) = match text.iter().position(|b| *b == SEQ_SEPARATOR as u8) {
            Some(at) => {
                let seq = std::str::from_utf8(&text[..at]).ok().and_then(|seq| seq.parse::<u64>().ok());
                let Some(seq) = seq else {
                    return Err("it is not a sealed entry (no entry number before the ':')".to_owned());
                };
                (Some(seq), &text[at + 1..])
            }
            None => (None, text),
        };
        let Ok(sealed) = BASE64.decode(encoded) else {
            return Err("it is not a sealed entry (not base64)".to_owned());
        };
        let mut tried: Vec<u64> = Vec::with_capacity(2);
        let stated = stated.map(|seq| [seq]);
        let candidates: &[u64] = match &stated {
            Some(stated) => stated,
            None => likely,
        };
        for &seq in candidates {
            if tried.contains(&seq) {
                continue;
            }
            tried.push(seq);
            match open_sealed(&self.key, seq, &sealed) {
                Ok(json) => {
                    return match serde_json::from_slice::<AuditEntry>(&json) {
                        Ok(entry) if entry.seq == seq => Ok(entry),
                        Ok(entry) => Err(format!("it was sealed as entry {seq} but says {}", entry.seq)),
                        Err(err) => Err(format!("it opened but is not an audit entry ({err})")),
                    };
                }
                Err(OpenError::WrongKey) => {
                    return Err("it was sealed with a different key (another log)".to_owned());
                }
                Err(OpenError::Corrupt) => {}
            }
        }
        Err("it is damaged or was altered".to_owned())
    }

    /// The head record, when there is one.
    fn read_head(&self) -> Result<Option<Head>, SealError> {
        match self.heads.read_json::<Head>(HEAD_NAME) {
            Ok(head) => Ok(Some(head)),
            Err(SealError::NotFound { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// The last line of the file (its end read backwards, not the whole file) and whether the
    /// file ends with a newline; none when the file is missing or empty.
    fn read_last_line(&self) -> Result<(Option<Vec<u8>>, bool), AuditError> {
        let mut file = match fs::File::open(&self.path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok((None, true)),
            Err(err) => return Err(self.io(err)),
        };
        let len = file.metadata().map_err(|err| self.io(err))?.len();
        if len == 0 {
            return Ok((None, true));
        }
        let mut start = len;
        let mut end_part: Vec<u8> = Vec::new();
        loop {
            let step = TAIL_CHUNK.min(start);
            start -= step;
            let mut chunk = vec![0; step as usize];
            file.seek(SeekFrom::Start(start)).map_err(|err| self.io(err))?;
            file.read_exact(&mut chunk).map_err(|err| self.io(err))?;
            chunk.extend_from_slice(&end_part);
            end_part = chunk;
            let complete = end_part.ends_with(b"\n");
            let body = if complete { &end_part[..end_part.len() - 1] } else { &end_part[..] };
            if let Some(at) = body.iter().rposition(|b| *b == b'\n') {
                return Ok((Some(body[at + 1..].to_vec()), complete));
            }
            if start == 0 {
                return Ok((Some(body.to_vec()), complete));
            }
        }
    }

    /// Where the next append goes: after the head, or after the last line when that is further
    /// on (its head was not written). Only the head and the last line are opened. Without a
    /// readable head (removed or damaged: [`AuditLog::verify`] reports it) the whole file says
    /// where the end is: after the highest readable entry. When entries at the end were removed
    /// or cannot be read, the next entry links to the head, so the gap stays visible.
    fn read_tail(&self) -> Result<Tail, AuditError> {
        let (last_line, complete) = self.read_last_line()?;
        let Ok(Some(head)) = self.read_head() else {
            return self.read_tail_from_every_line();
        };
        let mut last = head;
        if let Some(text) = last_line {
            // An older line states no seq: it is normally the head's entry, or the one after it.
            if let Ok(entry) = self.open_line(&text, &[last.seq, last.seq + 1]) {
                if entry.seq > last.seq {
                    last = Head { seq: entry.seq, hash: entry.hash };
                }
            }
        }
        Ok(Tail { last: Some(last), needs_newline: !complete, stale: false })
    }

    fn read_tail_from_every_line(&self) -> Result<Tail, AuditError> {
        let (bytes, complete) = self.read_raw()?;
        let mut last: Option<Head> = None;
        for entry in self.parse_lines(&bytes).into_iter().flatten() {
            if last.as_ref().is_none_or(|l| entry.seq > l.seq) {
                last = Some(Head { seq: entry.seq, hash: entry.hash });
            }
        }
        Ok(Tail { last, needs_newline: !complete, stale: false })
    }

    /// Append `bytes` to the file (created 0600) and flush it to disk.
    fn write_line(&self, bytes: &[u8]) -> Result<(), AuditError> {
        let created = !self.path.exists();
        let mut file = open_private_append(&self.path).map_err(|err| self.io(err))?;
        file.write_all(bytes).map_err(|err| self.io(err))?;
        file.sync_all().map_err(|err| self.io(err))?;
        if created {
            if let Some(dir) = self.path.parent() {
                sync_dir(dir);
            }
        }
        Ok(())
    }
}

/// The associated data of entry `seq`'s seal.
fn associated(seq: u64) -> Vec<u8> {
    format!("kyb-desk audit {seq}").into_bytes()
}

/// Open one sealed entry as entry `seq` (counted in tests: opening the log must not open every
/// line, and verifying opens each line once).
fn open_sealed(key: &SealingKey, seq: u64, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    #[cfg(test)]
    OPENED.with(|opened| opened.set(opened.get() + 1));
    open(key, &associated(seq), sealed)
}

#[cfg(test)]
thread_local! {
    /// Entries opened on this thread (the head record is read through `SealedDir`, not here).
    static OPENED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::audit::model::AuditEvent;
    use crate::audit::verify_chain;

    fn new_entry(customer: &str, n: u32) -> NewAuditEntry {
        NewAuditEntry {
            at: Utc.with_ymd_and_hms(2025, 5, 1, 8, 0, n).unwrap(),
            actor: "Alice".into(),
            environment: if n % 3 == 0 { "Production".into() } else { "Sandbox".into() },
            customer: customer.into(),
            draft_id: Some(format!("draft-{n}")),
            event: if n % 2 == 0 {
                AuditEvent::StatusChanged { from: Some("Processing".into()), to: "Succeeded".into() }
            } else {
                AuditEvent::ApprovalRefused { reason: format!("refusal {n}") }
            },
        }
    }

    fn setup(count: u32) -> (tempfile::TempDir, Arc<SealingKey>, AuditLog) {
        let temp = tempfile::tempdir().unwrap();
        let key = Arc::new(SealingKey::generate());
        let log = AuditLog::open(temp.path(), key.clone()).unwrap();
        for n in 1..=count {
            log.append(new_entry(if n == 2 { "cus_b" } else { "cus_a" }, n)).unwrap();
        }
        (temp, key, log)
    }

    fn lines(log: &AuditLog) -> Vec<String> {
        fs::read_to_string(log.path()).unwrap().lines().map(str::to_owned).collect()
    }

    fn write_lines(log: &AuditLog, lines: &[String]) {
        let mut text = lines.join("\n");
        text.push('\n');
        fs::write(log.path(), text).unwrap();
    }

    fn kinds(report: &ChainReport) -> Vec<ChainProblemKind> {
        report.problems.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn appends_continue_after_reopening() {
        let (temp, key, log) = setup(3);
        assert_eq!(log.path(), temp.path().join("audit").join("audit.log"));
        let first = log.entries(&AuditFilter::default()).unwrap();
        assert_eq!(first.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(first[0].prev_hash, GENESIS_HASH);
        drop(log);

        let log = AuditLog::open(temp.path(), key.clone()).unwrap();
        let fourth = log.append(new_entry("cus_a", 4)).unwrap();
        assert_eq!(fourth.seq, 4);
        assert_eq!(fourth.prev_hash, first[2].hash);
        assert_eq!(fourth.hash, entry_hash(&fourth));
        let all = log.entries(&AuditFilter::default()).unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(all[3], fourth);
        assert!(verify_chain(&all).intact);
        let report = log.verify().unwrap();
        assert!(report.intact, "{report:?}");
        assert_eq!(report.entries, 4);
        assert_eq!(report.head.as_deref(), Some(fourth.hash.as_str()));

        // Sealed: no customer data in the file; private file and folder.
        let text = fs::read_to_string(log.path()).unwrap();
        assert!(!text.contains("cus_a") && !text.contains("Alice"));
        assert_eq!(text.lines().count(), 4);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(log.path()), 0o600);
            assert_eq!(mode(&temp.path().join("audit").join("head.sealed")), 0o600);
            assert_eq!(mode(&temp.path().join("audit")), 0o700);
        }
    }

    #[test]
    fn an_empty_log_verifies_and_lists_nothing() {
        let (_temp, _key, log) = setup(0);
        let report = log.verify().unwrap();
        assert!(report.intact && report.entries == 0 && report.head.is_none(), "{report:?}");
        assert!(log.entries(&AuditFilter::default()).unwrap().is_empty());
        assert!(log.customers(None).unwrap().is_empty());
    }

    #[test]
    fn clones_append_from_many_threads_without_gaps() {
        let (_temp, _key, log) = setup(0);
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let log = log.clone();
                std::thread::spawn(move || {
                    for n in 0..10 {
                        log.append(new_entry(&format!("cus_{t}"), n)).unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let all = log.entries(&AuditFilter::default()).unwrap();
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=40).collect::<Vec<_>>());
        assert!(log.verify().unwrap().intact);
    }

    #[test]
    fn a_deleted_line_is_found() {
        let (_temp, _key, log) = setup(5);
        let mut all = lines(&log);
        all.remove(2);
        write_lines(&log, &all);
        let report = log.verify().unwrap();
        assert!(!report.intact);
        assert_eq!(kinds(&report), vec![ChainProblemKind::Missing, ChainProblemKind::BrokenLink]);
        assert_eq!(report.problems[0].seq, Some(4));
        assert_eq!(report.problems[0].line, 3);
        // What is left is still listed.
        assert_eq!(log.entries(&AuditFilter::default()).unwrap().len(), 4);
    }

    #[test]
    fn swapped_lines_are_found() {
        let (_temp, _key, log) = setup(5);
        let mut all = lines(&log);
        all.swap(1, 3);
        write_lines(&log, &all);
        let report = log.verify().unwrap();
        assert!(!report.intact);
        assert!(kinds(&report).contains(&ChainProblemKind::OutOfOrder), "{report:?}");
        assert!(kinds(&report).contains(&ChainProblemKind::BrokenLink), "{report:?}");
        assert!(!kinds(&report).contains(&ChainProblemKind::Unreadable), "moved lines still open: {report:?}");
        let seqs: Vec<u64> = log.entries(&AuditFilter::default()).unwrap().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![1, 4, 3, 2, 5]);
    }

    #[test]
    fn a_cut_off_tail_is_found_through_the_head() {
        let (temp, key, log) = setup(4);
        let mut all = lines(&log);
        all.pop();
        write_lines(&log, &all);
        let report = log.verify().unwrap();
        assert!(!report.intact);
        assert_eq!(kinds(&report), vec![ChainProblemKind::Missing]);
        assert!(report.problems[0].message.contains("entries after entry 3 were removed"), "{report:?}");
        assert_eq!(report.problems[0].line, 4);

        // The next entry (even after reopening) links to the head, so the gap stays visible.
        let log = AuditLog::open(temp.path(), key).unwrap();
        let next = log.append(new_entry("cus_a", 9)).unwrap();
        assert_eq!(next.seq, 5);
        let report = log.verify().unwrap();
        assert!(!report.intact);
        assert_eq!(kinds(&report), vec![ChainProblemKind::Missing, ChainProblemKind::BrokenLink]);
    }

    #[test]
    fn a_half_written_last_line_is_unreadable_and_appends_go_on() {
        let (temp, key, log) = setup(3);
        let text = fs::read_to_string(log.path()).unwrap();
        // Cut the last line in half, newline and all (as a crash in mid-write would).
        let cut = text.len() - 40;
        fs::write(log.path(), &text[..cut]).unwrap();
        let report = log.verify().unwrap();
        assert!(!report.intact);
        // One damaged line, one problem: the unreadable line stands for the head's entry.
        assert_eq!(kinds(&report), vec![ChainProblemKind::Unreadable]);
        assert_eq!(report.problems[0].line, 3);
        assert_eq!(report.entries, 2);

        let log = AuditLog::open(temp.path(), key).unwrap();
        let next = log.append(new_entry("cus_a", 4)).unwrap();
        assert_eq!(next.seq, 4, "after the head (entry 3), never reusing its number");
        let all = lines(&log);
        assert_eq!(all.len(), 4, "the new entry is on a line of its own");
        let seqs: Vec<u64> = log.entries(&AuditFilter::default()).unwrap().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![1, 2, 4]);
        let report = log.verify().unwrap();
        assert!(!report.intact);
        assert!(kinds(&report).contains(&ChainProblemKind::Unreadable));
    }

    #[test]
    fn a_garbage_line_is_unreadable() {
        let (_temp, _key, log) = setup(3);
        let mut all = lines(&log);
        all[1] = "bm90IGEgc2VhbGVkIGVudHJ5".into();
        write_lines(&log, &all);
        let report = log.verify().unwrap();
        assert!(!report.intact);
        assert_eq!(kinds(&report), vec![ChainProblemKind::Unreadable], "reported once: {report:?}");
        assert_eq!(report.problems[0].line, 2);
        assert_eq!(report.problems[0].seq, None);

        all[1] = "%%% not even base64 %%%".into();
        write_lines(&log, &all);
        let report = log.verify().unwrap();
        assert_eq!(report.problems[0].kind, ChainProblemKind::Unreadable);
        assert!(report.problems[0].message.contains("not base64"), "{report:?}");

        // One flipped character inside a sealed line.
        let mut all = lines(&log);
        all[1] = lines(&log)[0].clone();
        let mut bytes = all[1].clone().into_bytes();
        bytes[60] = if bytes[60] == b'A' { b'B' } else { b'A' };
        all[1] = String::from_utf8(bytes).unwrap();
        write_lines(&log, &all);
        let report = log.verify().unwrap();
        assert_eq!(report.problems[0].kind, ChainProblemKind::Unreadable);
    }

    fn opened() -> u64 {
        OPENED.with(|opened| opened.replace(0))
    }

    /// Lines as written before they stated their seq: the base64 alone.
    fn without_seqs(lines: &[String]) -> Vec<String> {
        lines.iter().map(|line| line.split_once(SEQ_SEPARATOR).unwrap().1.to_owned()).collect()
    }

    #[test]
    fn opening_reads_the_last_line_only_and_verifying_opens_each_line_once() {
        let (temp, key, log) = setup(50);
        assert!(lines(&log).iter().enumerate().all(|(i, line)| line.starts_with(&format!("{}:", i + 1))));
        opened();
        let log = AuditLog::open(temp.path(), key.clone()).unwrap();
        assert_eq!(opened(), 1, "the head record and the last line, not the whole log");
        assert_eq!(log.append(new_entry("cus_a", 51)).unwrap().seq, 51);
        opened();
        assert!(log.verify().unwrap().intact);
        assert_eq!(opened(), 51);

        // A log written before lines stated their seq opens the same way, at most two tries.
        let older = without_seqs(&lines(&log));
        write_lines(&log, &older);
        opened();
        let log = AuditLog::open(temp.path(), key.clone()).unwrap();
        assert!(opened() <= 2);
        let report = log.verify().unwrap();
        assert!(report.intact, "{report:?}");
        assert_eq!(opened(), 51);
        let next = log.append(new_entry("cus_a", 52)).unwrap();
        assert_eq!(next.seq, 52);
        assert!(lines(&log)[51].starts_with("52:"));
        assert!(log.verify().unwrap().intact, "old and new lines in one log");

        // A damaged line is opened once and reported once, in either form.
        let mut damaged = lines(&log);
        damaged[9] = damaged[10].clone();
        damaged[30] = format!("31:{}", damaged[29].split_once(':').map_or(damaged[29].as_str(), |(_, b)| b));
        write_lines(&log, &damaged);
        opened();
        let report = log.verify().unwrap();
        assert_eq!(opened(), 52);
        let unreadable: Vec<u64> =
            report.problems.iter().filter(|p| p.kind == ChainProblemKind::Unreadable).map(|p| p.line).collect();
        assert_eq!(unreadable, vec![10, 31], "{report:?}");
        assert_eq!(report.problems.len(), 2, "{report:?}");
    }

    #[test]
    fn a_line_from_another_log_is_unreadable() {
        let (_temp, _key, log) = setup(3);
        let (_other_temp, _other_key, other) = setup(3);
        let mut all = lines(&log);
        all[1] = lines(&other)[1].clone();
        write_lines(&log, &all);
        let report = log.verify().unwrap();
        assert!(!report.intact);
        assert_eq!(report.problems[0].kind, ChainProblemKind::Unreadable);
        assert!(report.problems[0].message.contains("different key"), "{report:?}");
        assert_eq!(log.entries(&AuditFilter::default()).unwrap().len(), 2);
    }

    #[test]
    fn a_removed_or_replaced_head_is_reported() {
        let (temp, key, log) = setup(2);
        let head = temp.path().join("audit").join("head.sealed");
        fs::remove_file(&head).unwrap();
        let report = log.verify().unwrap();
        assert_eq!(kinds(&report), vec![ChainProblemKind::Missing]);
        fs::write(&head, b"garbage").unwrap();
        let report = log.verify().unwrap();
        assert_eq!(kinds(&report), vec![ChainProblemKind::Unreadable]);
        // The next append writes a fresh head and the log is whole again.
        let log = AuditLog::open(temp.path(), key).unwrap();
        assert_eq!(log.append(new_entry("cus_a", 3)).unwrap().seq, 3);
        assert!(log.verify().unwrap().intact);
    }

    #[test]
    fn entries_are_filtered_by_customer_environment_and_type() {
        let (_temp, _key, log) = setup(6);
        let seqs = |filter: AuditFilter| -> Vec<u64> { log.entries(&filter).unwrap().iter().map(|e| e.seq).collect() };
        assert_eq!(seqs(AuditFilter::default()), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(seqs(AuditFilter { customer: Some("cus_b".into()), ..Default::default() }), vec![2]);
        assert_eq!(seqs(AuditFilter { customer: Some("cus_".into()), ..Default::default() }), Vec::<u64>::new());
        assert_eq!(seqs(AuditFilter { environment: Some("Production".into()), ..Default::default() }), vec![3, 6]);
        let status = AuditFilter { types: vec!["status_changed".into()], ..Default::default() };
        assert_eq!(seqs(status), vec![2, 4, 6]);
        let both = AuditFilter {
            customer: Some("cus_a".into()),
            types: vec!["status_changed".into(), "approval_refused".into()],
            ..Default::default()
        };
        assert_eq!(seqs(both), vec![1, 3, 4, 5, 6]);
        let combined = AuditFilter {
            customer: Some("cus_a".into()),
            environment: Some("Sandbox".into()),
            types: vec!["status_changed".into()],
        };
        assert_eq!(seqs(combined), vec![4]);
        assert_eq!(log.customers(None).unwrap(), vec!["cus_a", "cus_b"]);
        assert_eq!(log.customers(Some("Production")).unwrap(), vec!["cus_a"]);
        assert_eq!(log.environments().unwrap(), vec!["Production", "Sandbox"]);
    }

    #[test]
    fn an_export_holds_the_chain_check_and_the_filtered_entries() {
        let (_temp, _key, log) = setup(3);
        let filter = AuditFilter { customer: Some("cus_a".into()), ..Default::default() };
        let export = log.export(&filter, "Erin").unwrap();
        assert_eq!(export.format, AUDIT_EXPORT_FORMAT);
        assert_eq!(export.version, 1);
        assert_eq!(export.exported_by, "Erin");
        assert_eq!(export.filter, filter);
        assert!(export.chain.intact && export.chain.entries == 3);
        assert_eq!(export.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 3]);
        let json = serde_json::to_string(&export).unwrap();
        let back: AuditExport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, export);
        assert!(back.entries.iter().all(|e| entry_hash(e) == e.hash));
    }
}
