//! The draft the crash test's writer process saves (`src/bin/draft_writer.rs`) and the test
//! (`tests/tests/drafts_crash.rs`) checks: where it lives and what each revision holds.

use chrono::NaiveDate;
use kyb_core::samples::valid_update;
use serde_json::{json, Value};

pub const ENVIRONMENT: &str = "Crash test";
pub const CUSTOMER_ID: &str = "cus_crash_test";

/// How many different realistic records the writer cycles through.
pub const SAMPLES: u64 = 4;

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
