//! Every answer the published partner page allows, from the built-in sandbox's strict
//! personality: people without `basic_info`, a status beyond the four, and the worker's bounded
//! following of such a status.

use std::time::Duration;

use kyb_app::use_cases::{drafts, outbox};
use kyb_app::ErrorKind;
use kyb_core::model::CustomerStatus;
use kyb_core::outbox::OutboxState;
use kyb_sandbox::Personality;
use serde_json::Value;

use crate::common::{expect_err, in_child_process, json_of, wait_until, Options, TestApp, AMOUNT};

/// The strict demo customer whose status is beyond the four.
const UNDER_REVIEW_CUSTOMER: &str = "cus_demo_0006";

async fn strict_app(follow_unknown_status_for: Duration) -> TestApp {
    TestApp::with_config(Options::default(), |config| {
        config.sandbox_personality = Personality::Strict;
        config.follow_unknown_status_for = follow_unknown_status_for;
    })
    .await
}

fn assert_opens_with_missing_parts(loaded: &kyb_app::state::LoadedCustomer) {
    assert_eq!(
        loaded.customer.status,
        CustomerStatus::Other("Under Review".into())
    );
    let people = loaded
        .customer
        .business_person_list
        .as_deref()
        .expect("people are listed");
    assert!(
        people.iter().all(|p| p.basic_info.is_none()),
        "the strict partner leaves basic_info out"
    );
    let missing: Vec<(&str, bool)> = loaded
        .missing_parts
        .iter()
        .map(|p| (p.path.as_str(), p.required))
        .collect();
    let expected: Vec<String> = (0..people.len())
        .map(|i| format!("business_person_list[{i}].basic_info"))
        .collect();
    assert_eq!(
        missing,
        expected
            .iter()
            .map(|p| (p.as_str(), true))
            .collect::<Vec<_>>()
    );
    assert_eq!(loaded.missing_parts[0].label, "Person 1: basic information");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_without_basic_info_and_with_an_unknown_status_opens_naming_what_is_missing() {
    let app = strict_app(Duration::from_secs(60)).await;
    let loaded = app.open(UNDER_REVIEW_CUSTOMER).await;
    assert_opens_with_missing_parts(&loaded);
    // The page gets the status as the partner wrote it.
    assert_eq!(json_of(&loaded)["customer"]["status"], "Under Review");
    assert_eq!(
        json_of(&loaded)["missing_parts"][0]["path"],
        "business_person_list[0].basic_info"
    );
}

/// The environment variable selects the built-in sandbox's personality (its own process: it
/// changes the environment).
#[tokio::test(flavor = "multi_thread")]
async fn the_environment_variable_makes_the_built_in_sandbox_strict() {
    let test = "partner_answers::the_environment_variable_makes_the_built_in_sandbox_strict";
    if !in_child_process(
        test,
        &[(kyb_app::state::SANDBOX_PERSONALITY_ENV, "strict")],
        &[],
    ) {
        return;
    }
    let app = TestApp::new().await;
    assert_opens_with_missing_parts(&app.open(UNDER_REVIEW_CUSTOMER).await);
}

/// The full record of a demo customer as the page types it (amounts as text): the strict
/// partner does not return people's basic_info, so the officer fills it in again.
fn full_record(customer_id: &str, business_name_english: &str) -> Value {
    let customer = kyb_sandbox::demo::customers()
        .unwrap()
        .into_iter()
        .find(|c| c.customer_id == customer_id)
        .unwrap();
    let mut record = json_of(&customer.sections());
    record["business_details"]["business_name_english"] = Value::from(business_name_english);
    if let Some(amount) = record["account_usage"].get(AMOUNT).cloned() {
        record["account_usage"][AMOUNT] = Value::from(amount.to_string());
    }
    record
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_follows_an_unknown_status_for_a_bounded_time_then_asks_the_partner() {
    let app = strict_app(Duration::from_millis(800)).await;
    if !app.keychain() {
        expect_err(
            outbox::outbox_status(&app.state).await,
            ErrorKind::KeychainUnavailable,
        );
        return;
    }
    let state = &app.state;
    let loaded = app.open("cus_demo_0001").await;
    // Named so the strict partner settles it to "Under Review".
    let record = full_record("cus_demo_0001", "Acme Robotics Under Review LLC");
    let draft = drafts::save_draft(state, app.update_save(&loaded, &record).await)
        .await
        .expect("draft saved");
    let entry = outbox::queue_draft(state, &draft.id, None)
        .await
        .expect("queued");

    let sent = app.wait_for_state(&entry.id, "sent").await;
    assert!(
        sent.state.awaits_partner() || sent.state.asks_partner(),
        "{:?}",
        sent.state
    );
    wait_until("the partner's unknown status to arrive", Duration::from_secs(20), || async {
        matches!(&app.entry(&entry.id).await.state, OutboxState::Sent { customer, .. } if customer.status.as_str() == "Under Review")
    })
    .await;
    wait_until(
        "the worker to stop following it",
        Duration::from_secs(20),
        || async { app.entry(&entry.id).await.state.asks_partner() },
    )
    .await;
    let stopped = app.entry(&entry.id).await;
    assert!(!stopped.state.awaits_partner());
    let OutboxState::Sent {
        customer,
        stopped_following_at: Some(at),
        ..
    } = &stopped.state
    else {
        panic!("{:?}", stopped.state)
    };
    assert_eq!(customer.status.as_str(), "Under Review");
    assert!(*at >= stopped.updated_at - chrono::Duration::seconds(1));
    // Once stopped, it stays as it is: no more refreshes change it.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(app.entry(&entry.id).await, stopped);
    // The draft shows the partner's status as written, and the library its entry that asks.
    wait_until(
        "the draft to show the partner's status",
        Duration::from_secs(20),
        || async {
            drafts::open_draft(state, &draft.id)
                .await
                .ok()
                .and_then(|d| d.base)
                .and_then(|b| b.status)
                .as_deref()
                == Some("Under Review")
        },
    )
    .await;
    // The answer left the people's basic_info out; the draft keeps what the officer sent.
    let rebased = drafts::open_draft(state, &draft.id).await.unwrap();
    assert!(
        rebased.record["business_person_list"][0]["basic_info"]["first_name_english"].is_string(),
        "{}",
        rebased.record
    );
    assert!(rebased.base.unwrap().record["business_person_list"][0]
        .get("basic_info")
        .is_none());
    let library = drafts::list_drafts(state).await.unwrap();
    let item = library
        .drafts
        .iter()
        .find(|d| d.summary.id == draft.id)
        .expect("the draft is listed");
    assert!(item
        .outbox
        .as_ref()
        .expect("its latest entry")
        .state
        .asks_partner());
}
