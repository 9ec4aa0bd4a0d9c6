//! Drafts on the real disk: autosave latency (p50/p99/max of `DraftStore::save`) and the time
//! to load the drafts library with 10,000 drafts (`DraftStore::list`: first load, and again).
//!
//! `cargo bench -p kyb-core --bench drafts` (a plain timing loop: criterion reports means and
//! medians, the autosave figure that matters is the tail). The key is `SealingKey::generate()`,
//! not the keychain: the keychain is only read once at start-up, never per save. Files go to a
//! temporary folder under `KYB_BENCH_DIR` (default: the system temporary folder); each save is
//! the real atomic write (temporary file, fsync, rename, fsync of the folder).

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use kyb_core::drafts::{update_draft_id, Draft, DraftBase, DraftSave, DraftStore, DraftTarget};
use kyb_core::samples::valid_update;
use kyb_core::sealed::{seal, SealingKey};
use serde_json::Value;

const SAVES: usize = 1000;
const WARM_UP_SAVES: usize = 20;
const LIBRARY_DRAFTS: usize = 10_000;
const LIBRARY_RUNS: usize = 5;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing else we need.
    if std::env::args().any(|arg| arg == "--list") {
        return;
    }
    let parent = std::env::var_os("KYB_BENCH_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let today = Utc::now().date_naive();
    let records: Vec<Value> =
        (0..50).map(|seed| serde_json::to_value(valid_update(seed, today)).expect("sample serializes")).collect();
    kyb_core::validation::warm_up();

    autosave(&parent, &records, if quick { 50 } else { SAVES });
    library(&parent, &records, if quick { 500 } else { LIBRARY_DRAFTS }, if quick { 2 } else { LIBRARY_RUNS });
}

/// One customer's draft saved again and again, as the editor's autosave does.
fn autosave(parent: &std::path::Path, records: &[Value], saves: usize) {
    let temp = tempfile::tempdir_in(parent).expect("temporary folder");
    let store = DraftStore::open(temp.path(), Arc::new(SealingKey::generate())).expect("open store");
    let base = DraftBase { record: records[0].clone(), partner_customer_id: None, status: None, fetched_at: Utc::now() };
    let save = |n: usize| DraftSave {
        id: None,
        environment: "Sandbox".into(),
        target: DraftTarget::Update { customer_id: "cus_bench".into() },
        base: (n == 0).then(|| base.clone()),
        record: records[n % records.len()].clone(),
        editor: None,
    };
    for n in 0..WARM_UP_SAVES {
        store.save(save(n)).expect("save");
    }
    let mut times = Vec::with_capacity(saves);
    for n in 0..saves {
        let input = save(n + 1);
        let started = Instant::now();
        black_box(store.save(input).expect("save"));
        times.push(started.elapsed());
    }
    times.sort();
    let size = std::fs::metadata(store.drafts_dir().join(format!("{}.sealed", update_draft_id("Sandbox", "cus_bench"))))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "autosave (save_draft, {saves} saves): p50 {}, p99 {}, max {} (mean {}; sealed file {:.1} KiB, in {})",
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 99.0)),
        ms(times[times.len() - 1]),
        ms(times.iter().sum::<Duration>() / times.len() as u32),
        size as f64 / 1024.0,
        parent.display()
    );
}

/// `drafts` update drafts (each with its base), then `list()` timed `runs` times on a new store
/// and `runs` times on one that listed them before.
fn library(parent: &std::path::Path, records: &[Value], drafts: usize, runs: usize) {
    let temp = tempfile::tempdir_in(parent).expect("temporary folder");
    let key = Arc::new(SealingKey::generate());
    let store = DraftStore::open(temp.path(), key.clone()).expect("open store");
    // Setup writes the same sealed bytes the store writes, without an fsync per file (10,000
    // fsyncs would only slow the setup down; the reads are what is measured).
    let started = Instant::now();
    let now = Utc::now();
    for n in 0..drafts {
        let customer_id = format!("cus_{n:06}");
        let draft = Draft {
            id: update_draft_id("Sandbox", &customer_id),
            environment: "Sandbox".into(),
            target: DraftTarget::Update { customer_id },
            base: Some(DraftBase {
                record: records[(n + 1) % records.len()].clone(),
                partner_customer_id: Some(format!("partner-{n}")),
                status: Some("Approved".into()),
                fetched_at: now,
            }),
            record: records[n % records.len()].clone(),
            revision: 1 + (n % 40) as u64,
            created_at: now,
            updated_at: now - chrono::Duration::seconds(n as i64),
            issue_count: 0,
            review: Default::default(),
        };
        let json = serde_json::to_vec(&draft).expect("draft serializes");
        let path = store.drafts_dir().join(format!("{}.sealed", draft.id));
        std::fs::write(path, seal(&key, draft.id.as_bytes(), &json)).expect("write draft");
    }
    let setup = started.elapsed();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // First load: a new store each run, as when the app starts (every file opened).
    let mut first = Vec::with_capacity(runs);
    for _ in 0..runs {
        let fresh = DraftStore::open(temp.path(), key.clone()).expect("open store");
        let started = Instant::now();
        let library = fresh.list().expect("list");
        first.push(started.elapsed());
        assert_eq!(library.drafts.len(), drafts);
        assert!(library.unreadable.is_empty());
        black_box(library);
    }
    // Later loads of the same store (files unchanged since: only their stamps are read).
    store.list().expect("list");
    let mut again = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        black_box(store.list().expect("list"));
        again.push(started.elapsed());
    }
    first.sort();
    again.sort();
    println!(
        "drafts library, {} drafts: median {} ({runs} runs, min {}, max {}; every file opened and decrypted on {threads} threads; page cache warm; setup {:.1} s)",
        thousands(drafts),
        ms(first[first.len() / 2]),
        ms(first[0]),
        ms(first[first.len() - 1]),
        setup.as_secs_f64()
    );
    println!(
        "drafts library again, same store, nothing changed: median {} ({runs} runs, min {}, max {})",
        ms(again[again.len() / 2]),
        ms(again[0]),
        ms(again[again.len() - 1]),
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

fn thousands(n: usize) -> String {
    let text = n.to_string();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
