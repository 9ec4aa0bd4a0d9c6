//! The client against a real sandbox: every endpoint's happy path, against both personalities
//! (the strict one answers exactly as the partner's page shows: people without `basic_info`,
//! `Idempotency-Key` ignored).

use crate::client_common::*;
use kyb_core::client::{parse_file_type, ClientError, CustomerLookup};
use kyb_core::error::ErrorKind;
use kyb_core::model::{CustomerStatus, FileType};
use kyb_sandbox::Personality;

#[tokio::test]
async fn get_by_customer_id_and_by_partner_customer_id() {
    for personality in Personality::ALL {
        get_by_both_ids(personality).await;
    }
}

async fn get_by_both_ids(personality: Personality) {
    let sandbox = Sandbox::start_as(personality).await;
    let client = sandbox.client();
    let by_id = client.get_customer(&CustomerLookup::CustomerId(DEMO.into())).await.unwrap();
    assert_eq!(by_id.customer_id, DEMO);
    assert_eq!(by_id.partner_customer_id.as_deref(), Some(DEMO_PARTNER));
    assert_eq!(by_id.status, CustomerStatus::Succeeded);
    let amount = by_id.account_usage.as_ref().unwrap().estimated_monthly_revenue_amount.unwrap();
    assert_eq!(amount.to_string(), "185000.00");

    let by_partner = client.get_customer(&CustomerLookup::PartnerCustomerId(DEMO_PARTNER.into())).await.unwrap();
    assert_eq!(by_partner, by_id);
    // What the officer edits is what came back (as the page shows it: people without `basic_info`).
    let mut expected = sections(DEMO);
    if personality == Personality::Strict {
        for person in expected.business_person_list.iter_mut().flatten() {
            person.basic_info = None;
        }
    }
    assert_eq!(by_partner.sections(), expected, "{personality}");
}

#[tokio::test]
async fn update_goes_processing_then_succeeded() {
    for personality in Personality::ALL {
        update_settles(personality).await;
    }
}

async fn update_settles(personality: Personality) {
    let sandbox = Sandbox::start_as(personality).await;
    let client = sandbox.client();
    let mut body = sections(DEMO);
    body.primary_contact.as_mut().unwrap().contact_email = Some("kyc-team@acme-robotics.example.com".into());
    let body = kyb_core::validation::check_update(body, &kyb_core::validation::ValidationContext::now()).unwrap();

    let answered = client.update_customer(DEMO, &body, Some("update-1")).await.unwrap();
    assert_eq!(answered.status, CustomerStatus::Processing);
    assert_eq!(answered.primary_contact.unwrap().contact_email.as_deref(), Some("kyc-team@acme-robotics.example.com"));
    // Same key again: our sandbox answers from the record; the partner as published ignores the
    // header and applies it again, which is why the outbox never relies on it.
    client.update_customer(DEMO, &body, Some("update-1")).await.unwrap();
    let applied = if personality == Personality::Strict { 2 } else { 1 };
    assert_eq!(sandbox.handle.stats().updates_for(DEMO), applied, "{personality}");

    let settled = poll_settled(&client, DEMO).await;
    assert_eq!(settled.status, CustomerStatus::Succeeded);
}

#[tokio::test]
async fn create_then_fetch_by_partner_id() {
    for personality in Personality::ALL {
        create_then_fetch(personality).await;
    }
}

async fn create_then_fetch(personality: Personality) {
    let sandbox = Sandbox::start_as(personality).await;
    let client = sandbox.client();
    let created = client.create_customer(&valid_create("CLIENT-0001"), None).await.unwrap();
    assert!(created.customer_id.starts_with("cus_"));
    assert_eq!(created.status, CustomerStatus::Processing);
    let fetched = client.get_customer(&CustomerLookup::PartnerCustomerId("CLIENT-0001".into())).await.unwrap();
    assert_eq!(fetched.customer_id, created.customer_id);

    let again = client.create_customer(&valid_create("CLIENT-0001"), None).await.unwrap_err();
    assert!(
        matches!(&again, ClientError::Conflict { field: Some(f), .. } if f == "partner_customer_id"),
        "{personality}: {again:?}"
    );
    assert_eq!(again.kind(), ErrorKind::Conflict);
    assert!(!again.is_retryable());
    assert_no_secret(&again);
}

#[tokio::test]
async fn upload_returns_a_file_id_usable_in_an_update() {
    for personality in Personality::ALL {
        upload_then_use(personality).await;
    }
}

async fn upload_then_use(personality: Personality) {
    let sandbox = Sandbox::start_as(personality).await;
    let client = sandbox.client();
    let png = kyb_sandbox::demo::id_card_png(11, false);
    let uploaded = client.upload_file("passport-front.png", png, FileType::MainPage).await.unwrap();
    assert!(uploaded.file_id.starts_with("file_"));
    let pdf = kyb_sandbox::demo::document_pdf("Articles", &[]);
    let labelled = client.upload_file_labelled("articles.pdf", pdf, "Article of Association").await.unwrap();
    assert_ne!(labelled.file_id, uploaded.file_id);
    assert_eq!(sandbox.handle.stats().uploads, 2);

    let mut body = sections(DEMO);
    let person = &mut body.business_person_list.as_mut().unwrap()[0];
    person.identification.as_mut().unwrap().id_document_front_file_id = Some(uploaded.file_id.clone());
    body.business_details.as_mut().unwrap().business_identifier_document_list = Some(vec![labelled.file_id.clone()]);
    let body = kyb_core::validation::check_update(body, &kyb_core::validation::ValidationContext::now()).unwrap();
    let answered = client.update_customer(DEMO, &body, None).await.unwrap();
    let person = &answered.business_person_list.unwrap()[0];
    assert_eq!(
        person.identification.as_ref().unwrap().id_document_front_file_id.as_deref(),
        Some(uploaded.file_id.as_str()),
        "{personality}"
    );
}

#[tokio::test]
async fn a_bad_file_type_label_is_refused_before_any_request() {
    // Nothing listens here: any request would fail with a network error instead.
    let client = client_for("http://127.0.0.1:9", canary(), std::time::Duration::from_secs(2));
    let err = client.upload_file_labelled("a.pdf", b"%PDF".to_vec(), "main page").await.unwrap_err();
    assert!(matches!(&err, ClientError::InvalidFileType { given } if given == "main page"), "{err:?}");
    assert_eq!(err.field(), Some("fileType"));
    assert!(err.to_string().contains("fileType"));
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "invalid_input");
    assert_eq!(json["field"], "fileType");
    for label in ["Invoice", "Contract", "Business Registration", "Article of Association", "Main page", "Back page"] {
        assert_eq!(parse_file_type(label).unwrap().label(), label);
    }
}

async fn poll_settled(client: &kyb_core::client::PartnerClient, customer_id: &str) -> kyb_core::model::Customer {
    let started = std::time::Instant::now();
    loop {
        let customer = client.get_customer(&CustomerLookup::CustomerId(customer_id.into())).await.unwrap();
        if customer.status.is_settled() || started.elapsed() > std::time::Duration::from_secs(10) {
            return customer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
