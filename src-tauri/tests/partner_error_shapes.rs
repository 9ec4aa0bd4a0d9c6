//! A partner refusal in each error shape its page allows reaches the page as the outbox entry's
//! problems, with the field named where the answer names one (so the editor can mark it), and
//! its message where it does not. The shapes are written by the sandbox exactly
//! (`reject_next` with `shape`), whatever its personality.

use serde_json::{json, Value};

use kyb_sandbox::ErrorShape;

use crate::common::Harness;

const FIELD: &str = "business_details.website";
const MESSAGE: &str = "the website does not match the registry";

/// Queue a change of `cus_demo_0002` that the sandbox refuses in `shape`; the rejected entry.
fn rejected_in(shape: ErrorShape) -> Option<Value> {
    let h = Harness::new();
    if !h.keychain() {
        h.err("list_drafts", json!({}), "keychain_unavailable");
        return None;
    }
    let draft = h.draft_with("cus_demo_0002", |record| {
        record["business_details"]["website"] = json!("https://nordlicht-registry.example.de");
    });
    h.state().sandbox().expect("sandbox runs").faults().reject_next_shaped(1, FIELD, "registry_mismatch", MESSAGE, shape);
    let entry = h.ok("queue_draft", json!({"id": draft["id"]}));
    let rejected = h.wait_for_state(entry["id"].as_str().unwrap(), "rejected");
    assert_eq!(h.applied_updates("cus_demo_0002"), 0, "a refused change is not applied");
    Some(rejected["state"]["problems"].clone())
}

#[test]
fn a_field_list_names_the_field() {
    let Some(problems) = rejected_in(ErrorShape::FieldList) else { return };
    assert_eq!(problems, json!([{"path": FIELD, "code": "registry_mismatch", "message": MESSAGE}]));
}

#[test]
fn a_json_pointer_source_names_the_field_as_a_record_path() {
    let Some(problems) = rejected_in(ErrorShape::Source) else { return };
    assert_eq!(problems, json!([{"path": FIELD, "code": "registry_mismatch", "message": MESSAGE}]));
}

#[test]
fn a_nested_error_without_a_field_keeps_its_message() {
    let Some(problems) = rejected_in(ErrorShape::Nested) else { return };
    let problems = problems.as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].get("path").is_none(), "{problems:?}");
    assert!(problems[0]["message"].as_str().unwrap().contains(MESSAGE), "{problems:?}");
}

#[test]
fn plain_text_is_the_message_and_never_markup() {
    let Some(problems) = rejected_in(ErrorShape::PlainText) else { return };
    let problems = problems.as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].get("path").is_none(), "{problems:?}");
    let message = problems[0]["message"].as_str().unwrap();
    assert!(message.contains(MESSAGE) && !message.contains('<'), "{message}");
}
