//! Saves one draft revision after revision, for the crash test (`tests/tests/drafts_crash.rs`),
//! which kills it with SIGKILL at random moments.
//!
//! `draft_writer <data dir> <keychain service> <start revision>`: loads the sealing key from the
//! OS keychain under that service (it must exist), then saves revision start+1, start+2, ... of
//! the update draft of customer [`CUSTOMER_ID`] in environment [`ENVIRONMENT`], whose record is
//! [`record_for`]`(revision)`. Once the key is loaded and the store open it prints `ready`; after
//! each completed save it prints `saved <revision>`; each line is flushed at once.
//! Any error is printed on stderr with exit status 2.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use kyb_core::drafts::{update_draft_id, DraftSave, DraftStore, DraftTarget};
use kyb_core::samples::valid_update;
use kyb_core::sealed::KeychainKeyStore;
use serde_json::{json, Value};

pub const ENVIRONMENT: &str = "Crash test";
pub const CUSTOMER_ID: &str = "cus_crash_test";

/// How many different realistic records the writer cycles through.
const SAMPLES: u64 = 4;

/// The record saved as `revision`: one of [`SAMPLES`] realistic records, caught half-way through
/// typing the contact phone (so validation stays cheap in a debug build: no phone metadata to
/// load in every new process), plus a filler whose length and letter change with the revision
/// (0 to 24 KiB), so any mix of two versions would be told apart.
pub fn record_for(revision: u64) -> Value {
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let mut record = serde_json::to_value(valid_update(revision % SAMPLES, today)).unwrap_or_else(|_| json!({}));
    let letter = char::from(b'a' + (revision % 26) as u8);
    let filler: String = std::iter::repeat_n(letter, (revision.wrapping_mul(7919) % 24_576) as usize).collect();
    if let Some(contact) = record.get_mut("primary_contact").and_then(Value::as_object_mut) {
        contact.insert("contact_phone".into(), json!("+86 138"));
    }
    if let Some(map) = record.as_object_mut() {
        map.insert("crash_test".into(), json!({ "revision": revision, "filler": filler }));
    }
    record
}

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
            .map_err(|err| err.to_string())?;
        if saved.revision != revision {
            return Err(format!("saved revision {} where {revision} was expected", saved.revision));
        }
        writeln!(stdout, "saved {revision}").and_then(|()| stdout.flush()).map_err(|err| err.to_string())?;
    }
    Ok(())
}

#[allow(dead_code)]
fn main() {
    if let Err(err) = run() {
        eprintln!("draft_writer: {err}");
        std::process::exit(2);
    }
}
