//! The strict personality: answers exactly as the published partner page shows.

use std::time::{Duration, Instant};

use kyb_core::model::{CreateCustomerRequest, Customer, CustomerStatus};
use serde_json::{json, Value};

use crate::common::{demo_sections, json, to_json, Sandbox, ACME};

/// A create body from a demo customer's sections, under a new partner id and company name.
fn create_body(partner_customer_id: &str, name: &str) -> String {
    let mut sections = demo_sections(ACME);
    if let Some(details) = sections.business_details.as_mut() {
        details.business_name_english = Some(name.to_owned());
    }
    to_json(&CreateCustomerRequest::from_sections(Some(partner_customer_id.to_owned()), sections))
}

fn has_basic_info(answer: &Value) -> bool {
    answer["business_person_list"].as_array().is_some_and(|people| people.iter().any(|p| p.get("basic_info").is_some()))
}

#[tokio::test]
async fn detail_answers_leave_out_every_persons_basic_info() {
    let sandbox = Sandbox::start_strict().await;
    let answer = json(sandbox.get(&format!("/api/customers/detail?customer_id={ACME}")).await).await;
    let people = answer["business_person_list"].as_array().expect("people are listed");
    assert!(!people.is_empty());
    assert!(!has_basic_info(&answer), "{answer}");
    assert!(people.iter().all(|p| p.get("identification").is_some()));
}

#[tokio::test]
async fn update_answers_leave_out_basic_info_and_the_record_keeps_it() {
    let sandbox = Sandbox::start_strict().await;
    let response = sandbox.post_json(&format!("/api/customers/{ACME}/update"), &to_json(&demo_sections(ACME))).await;
    assert_eq!(response.status(), 200);
    let answer = json(response).await;
    assert_eq!(answer["status"], "Processing");
    assert!(!has_basic_info(&answer), "{answer}");
    // The same update again validates: the partner kept the people's basic information.
    let again = sandbox.post_json(&format!("/api/customers/{ACME}/update"), &to_json(&demo_sections(ACME))).await;
    assert_eq!(again.status(), 200);
}

#[tokio::test]
async fn a_demo_customer_has_a_status_beyond_the_four() {
    let sandbox = Sandbox::start_strict().await;
    let customer = sandbox.customer("cus_demo_0006").await;
    assert_eq!(customer.status, CustomerStatus::Other("Under Review".into()));
    assert!(!customer.status.is_settled());
}

#[tokio::test]
async fn a_record_named_under_review_settles_to_that_status() {
    let sandbox = Sandbox::start_strict().await;
    let response =
        sandbox.post_json("/api/customers/create", &create_body("P-REVIEW-1", "Under Review Holdings Ltd")).await;
    assert_eq!(response.status(), 200);
    let created: Customer = kyb_core::model::parse_lenient(&response.text().await.unwrap()).unwrap();
    let started = Instant::now();
    let settled = loop {
        let customer = sandbox.customer(&created.customer_id).await;
        if customer.status != CustomerStatus::Processing || started.elapsed() > Duration::from_secs(10) {
            break customer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(settled.status.as_str(), "Under Review");
}

#[tokio::test]
async fn errors_name_one_source_instead_of_listing_fields() {
    let sandbox = Sandbox::start_strict().await;
    let mut sections = demo_sections(ACME);
    sections.business_details.as_mut().unwrap().business_name_english = None;
    let response = sandbox.post_json(&format!("/api/customers/{ACME}/update"), &to_json(&sections)).await;
    assert_eq!(response.status(), 400);
    let body = json(response).await;
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "message", "source"], "{body}");
    assert_eq!(body["source"], "business_details.business_name_english");
    assert_eq!(body["code"], "required");

    let missing = json(sandbox.get("/api/customers/detail?customer_id=cus_nobody").await).await;
    assert_eq!(missing, json!({"code": "not_found", "message": missing["message"].clone()}));
}

#[tokio::test]
async fn idempotency_key_is_ignored_so_a_repeated_create_is_a_409_on_partner_customer_id() {
    let sandbox = Sandbox::start_strict().await;
    let body = create_body("P-STRICT-1", "Strict Partner Test Ltd");
    let first = sandbox.post_json_with_key("/api/customers/create", &body, "key-1").await;
    assert_eq!(first.status(), 200);
    let repeat = sandbox.post_json_with_key("/api/customers/create", &body, "key-1").await;
    assert_eq!(repeat.status(), 409);
    assert!(repeat.headers().get("idempotent-replayed").is_none());
    let body = json(repeat).await;
    assert_eq!(body["code"], "duplicate_partner_customer_id");
    assert_eq!(body["source"], "partner_customer_id");
    assert!(body.get("errors").is_none());
    assert_eq!(sandbox.handle.stats().idempotent_replays, 0);
}

#[tokio::test]
async fn the_default_personality_still_lists_fields_and_returns_basic_info() {
    let sandbox = Sandbox::start().await;
    let answer = json(sandbox.get(&format!("/api/customers/detail?customer_id={ACME}")).await).await;
    assert!(has_basic_info(&answer));
    let mut sections = demo_sections(ACME);
    sections.business_details.as_mut().unwrap().business_name_english = None;
    let body = json(sandbox.post_json(&format!("/api/customers/{ACME}/update"), &to_json(&sections)).await).await;
    assert!(body["errors"].is_array() && body.get("source").is_none(), "{body}");
}
