//! Saves one draft revision after revision, for the crash test (`tests/tests/drafts_crash.rs`),
//! which kills it with SIGKILL at random moments.
//!
//! `draft_writer <data dir> <keychain service> <start revision>`: loads the sealing key from the
//! OS keychain under that service (it must exist), then saves revision start+1, start+2, ... of
//! the update draft of customer [`CUSTOMER_ID`] in environment [`ENVIRONMENT`], whose record is
//! [`record_for`]`(revision)` (shared with the test: `kyb_tests::crash_draft`). Once the key is
//! loaded and the store open it prints `ready`; after each completed save it prints
//! `saved <revision>`; each line is flushed at once.
//! Any error is printed on stderr with exit status 2.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use kyb_core::drafts::{update_draft_id, DraftSave, DraftStore, DraftTarget};
use kyb_core::sealed::KeychainKeyStore;
use kyb_tests::crash_draft::{record_for, CUSTOMER_ID, ENVIRONMENT, SAMPLES};

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, service, start] = args.as_slice() else {
        return Err("usage: draft_writer <data dir> <keychain service> <start revision>".into());
    };
    let start: u64 = start.parse().map_err(|_| format!("start revision {start:?} is not a number"))?;
    let key = KeychainKeyStore::with_service(service.as_str())
        .load()
        .map_err(|err| err.to_string())?
        .ok_or_else(|| format!("no sealing key in the keychain under service {service:?}"))?;
    let store = DraftStore::open(&PathBuf::from(dir), Arc::new(key)).map_err(|err| err.to_string())?;
    let id = update_draft_id(ENVIRONMENT, CUSTOMER_ID);
    // As in the app, where the page's record was validated before it is autosaved: build the
    // validation caches for the records about to be saved, so the kills land in saves rather
    // than in first-time set-up.
    let ctx = kyb_core::validation::ValidationContext::now();
    for revision in start + 1..=start + SAMPLES {
        kyb_core::validation::validate_update_value(&record_for(revision), &ctx);
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "ready").and_then(|()| stdout.flush()).map_err(|err| err.to_string())?;
    for revision in start + 1.. {
        let saved = store
            .save(DraftSave {
                id: Some(id.clone()),
                environment: ENVIRONMENT.into(),
                target: DraftTarget::Update { customer_id: CUSTOMER_ID.into() },
                base: None,
                record: record_for(revision),
                editor: None,
            })
            .map_err(|err| err.to_string())?
            .draft;
        if saved.revision != revision {
            return Err(format!("saved revision {} where {revision} was expected", saved.revision));
        }
        writeln!(stdout, "saved {revision}").and_then(|()| stdout.flush()).map_err(|err| err.to_string())?;
    }
    Ok(())
}

fn main() {
    if let Err(err) = run() {
        eprintln!("draft_writer: {err}");
        std::process::exit(2);
    }
}
