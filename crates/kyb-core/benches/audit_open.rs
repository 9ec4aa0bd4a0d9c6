//! Opening the audit trail with 10,000 entries (`AuditLog::open`, which the app does at start-up):
//! median, min and max of repeated opens of the same log, page cache warm.
//!
//! `cargo bench -p kyb-core --bench audit_open` (a plain timing loop, like the drafts bench).
//! The key is `SealingKey::generate()`, not the keychain. The log goes to a temporary folder
//! under `KYB_BENCH_DIR` (default: the system temporary folder) and is written through the real
//! `append` (each line and head fsynced), so setting up takes a while.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use kyb_core::audit::{AuditEvent, AuditLog, NewAuditEntry};
use kyb_core::sealed::SealingKey;

const ENTRIES: usize = 10_000;
const RUNS: usize = 30;

fn main() {
    // `cargo test --benches` runs this quickly on a small log; `cargo bench` passes `--bench`.
    if std::env::args().any(|arg| arg == "--list") {
        return;
    }
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let (entries, runs) = if quick { (50, 3) } else { (ENTRIES, RUNS) };
    let parent = std::env::var_os("KYB_BENCH_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let temp = tempfile::tempdir_in(parent).expect("a temporary folder");
    let key = Arc::new(SealingKey::generate());

    let started = Instant::now();
    let log = AuditLog::open(temp.path(), key.clone()).expect("the log opens");
    for n in 0..entries {
        log.append(NewAuditEntry {
            at: Utc::now(),
            actor: "Alice Example".into(),
            environment: "Sandbox".into(),
            customer: format!("cus_{}", n % 97),
            draft_id: Some(format!("draft-{n}")),
            event: AuditEvent::StatusChanged { from: Some("Processing".into()), to: "Succeeded".into() },
        })
        .expect("the entry is appended");
    }
    drop(log);
    let setup = started.elapsed();

    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(AuditLog::open(temp.path(), key.clone()).expect("the log opens"));
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "audit log open, {entries} entries: median {:.3} ms ({runs} runs, min {:.3} ms, max {:.3} ms; setup {:.1} s)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        setup.as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
