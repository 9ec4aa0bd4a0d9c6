//! Crash safety of draft saves: a writer process saves one draft revision after revision and is
//! killed with SIGKILL at a random moment, 200 times. After every kill the draft on disk must
//! open (real keychain key, real sealed file) and hold exactly the last revision the writer
//! reported, or the one it was writing — never a mix, never nothing.
//!
//! Runs against the real keychain (Secret Service under `dbus-run-session`, as scripts/test.sh
//! sets up); without one it is skipped, unless `KYB_REQUIRE_KEYRING` is set.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kyb_core::drafts::{update_draft_id, DraftError, DraftStore};
use kyb_core::sealed::{KeychainKeyStore, SealError, SealingKey};
use kyb_tests::crash_draft;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ROUNDS: usize = 200;

/// The key under a unique service name, or `None` when no keychain is reachable and the run does
/// not demand one.
fn keychain_key(store: &KeychainKeyStore) -> Option<SealingKey> {
    match store.load_or_create() {
        Ok(key) => Some(key),
        Err(SealError::KeychainUnavailable { reason }) => {
            assert!(
                std::env::var_os("KYB_REQUIRE_KEYRING").is_none(),
                "a real keychain is required here but unavailable: {reason}"
            );
            eprintln!("skipping: no keychain ({reason}); run scripts/test.sh for the real one");
            None
        }
        Err(other) => panic!("unexpected keychain error: {other}"),
    }
}

/// Deletes the test's keychain entry however the test ends.
struct DeleteKey(KeychainKeyStore);

impl Drop for DeleteKey {
    fn drop(&mut self) {
        let _ = self.0.delete();
    }
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_damaged_draft() {
    let service = format!("kyb-desk-test-drafts-crash-{}", std::process::id());
    let keychain = KeychainKeyStore::with_service(service.as_str());
    let Some(key) = keychain_key(&keychain) else { return };
    let _cleanup = DeleteKey(keychain.clone());
    let key = Arc::new(key);
    let temp = tempfile::tempdir().unwrap();
    let id = update_draft_id(crash_draft::ENVIRONMENT, crash_draft::CUSTOMER_ID);
    let seed: u64 = match std::env::var("KYB_CRASH_SEED") {
        Ok(text) => text.parse().expect("KYB_CRASH_SEED is a number"),
        Err(_) => rand::random(),
    };
    eprintln!("drafts_crash: seed {seed} (set KYB_CRASH_SEED to repeat)");
    let mut rng = StdRng::seed_from_u64(seed);

    let (mut at_previous, mut at_new, mut saves_seen, mut mid_write) = (0usize, 0usize, 0u64, 0usize);
    let temporaries = || {
        std::fs::read_dir(temp.path().join("drafts"))
            .map(|entries| entries.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).count())
            .unwrap_or(0)
    };
    let mut on_disk = 0u64;
    let started = Instant::now();
    for round in 1..=ROUNDS {
        let temporaries_before = temporaries();
        let mut child = Command::new(env!("CARGO_BIN_EXE_draft_writer"))
            .arg(temp.path())
            .arg(&service)
            .arg(on_disk.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start draft_writer");
        let stdout = child.stdout.take().expect("piped stdout");
        // Lines arrive on a channel: `ready` once the key is loaded, then `saved <n>`.
        let (lines, events) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let first = events.recv_timeout(Duration::from_secs(20));
        if first.as_deref() != Ok("ready") {
            let _ = child.kill();
            let _ = child.wait();
            let mut stderr = String::new();
            let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr);
            panic!("round {round}: the writer did not start ({first:?}): {stderr}");
        }
        // Kill at a random moment of the save loop.
        std::thread::sleep(Duration::from_millis(rng.random_range(1..=40)));
        if let Ok(Some(status)) = child.try_wait() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            panic!("round {round}: the writer stopped by itself ({status}): {stderr}");
        }
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().expect("reap the writer");
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "round {round}: the writer ended with {status}, not by SIGKILL");
        }
        reader.join().expect("stdout reader");
        let mut last: Option<u64> = None;
        for line in events.try_iter() {
            let revision = line.strip_prefix("saved ").and_then(|n| n.parse().ok());
            last = Some(revision.unwrap_or_else(|| panic!("round {round}: unexpected writer output {line:?}")));
        }
        let last_printed = last.unwrap_or(on_disk);
        // A temporary file left behind: the kill caught a write before its rename.
        mid_write += usize::from(temporaries() > temporaries_before);
        saves_seen += last_printed - on_disk;

        let store = DraftStore::open(temp.path(), key.clone()).expect("open the store");
        let revision = match store.load(&id) {
            Ok(draft) => {
                assert_eq!(
                    draft.record,
                    crash_draft::record_for(draft.revision),
                    "round {round}: revision {} holds another revision's record",
                    draft.revision
                );
                draft.revision
            }
            Err(DraftError::NotFound { .. }) if last_printed == 0 => 0,
            Err(err) => panic!("round {round}: the draft does not open after SIGKILL: {err}"),
        };
        assert!(
            revision == last_printed || revision == last_printed + 1,
            "round {round}: revision {revision} on disk, but the writer had reported {last_printed}"
        );
        if revision == last_printed {
            at_previous += 1;
        } else {
            at_new += 1;
        }
        // Temporary files of the killed write are never listed; nothing was set aside.
        let library = store.list().expect("list");
        assert!(library.unreadable.is_empty(), "round {round}: {:?}", library.unreadable);
        assert_eq!(library.drafts.len(), usize::from(revision > 0), "round {round}: {:?}", library.drafts);
        on_disk = revision;
    }
    let summary = format!(
        "{ROUNDS} kills: {} intact ({at_previous} at previous version, {at_new} at new version); \
         {mid_write} kills caught a write before its rename; {saves_seen} completed saves reported, final revision {on_disk}, {:.1} s",
        at_previous + at_new,
        started.elapsed().as_secs_f64()
    );
    println!("{summary}");
    eprintln!("{summary}");
    assert!(on_disk > 0, "the writer never completed a save in {ROUNDS} rounds");
}
