//! The sandbox's HTTP API, driven with raw requests.

use crate::common::*;
use kyb_core::model::{CreateCustomerRequest, CustomerStatus};

#[tokio::test]
async fn missing_or_wrong_credentials_are_401() {
    let sandbox = Sandbox::start().await;
    let url = sandbox.url(&format!("/api/customers/detail?customer_id={ACME}"));
    let cases = [
        (None, None),
        (Some("sandbox-key"), None),
        (None, Some("sandbox-secret")),
        (Some("wrong-key"), Some("sandbox-secret")),
        (Some("sandbox-key"), Some("wrong-secret")),
        (Some("sandbox-key-longer"), Some("sandbox-secret")),
    ];
    for (key, secret) in cases {
        let mut request = sandbox.http.get(&url);
        if let Some(key) = key {
            request = request.header("X-API-Key", key);
        }
        if let Some(secret) = secret {
            request = request.header("X-API-Secret", secret);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{key:?} {secret:?}");
        let body = json(response).await;
        assert_eq!(body["code"], "unauthorized");
        assert!(!body["message"].as_str().unwrap().contains("sandbox-secret"));
    }
    // The control endpoints need the same credentials.
    assert_eq!(sandbox.http.get(sandbox.url("/__sandbox/stats")).send().await.unwrap().status(), 401);
    assert_eq!(sandbox.get(&format!("/api/customers/detail?customer_id={ACME}")).await.status(), 200);
}

#[tokio::test]
async fn detail_by_customer_id_and_by_partner_id() {
    let sandbox = Sandbox::start().await;
    let by_id = json(sandbox.get(&format!("/api/customers/detail?customer_id={ACME}")).await).await;
    assert_eq!(by_id["partner_customer_id"], "P-1001");
    assert_eq!(by_id["status"], "Succeeded");
    // Amounts stay exact decimals on the wire.
    let raw = sandbox.get("/api/customers/detail?partner_customer_id=P-1001").await.text().await.unwrap();
    assert!(raw.contains("\"estimated_monthly_revenue_amount\":185000.00"), "{raw}");

    let both = sandbox.get(&format!("/api/customers/detail?customer_id={ACME}&partner_customer_id=P-1001")).await;
    assert_eq!(both.status(), 400);
    let neither = sandbox.get("/api/customers/detail").await;
    assert_eq!(neither.status(), 400);
    assert_eq!(fields(&json(neither).await), ["customer_id"]);
}

#[tokio::test]
async fn unknown_customers_and_routes_are_404() {
    let sandbox = Sandbox::start().await;
    for path in ["/api/customers/detail?customer_id=cus_nope", "/api/customers/detail?partner_customer_id=NOPE"] {
        let response = sandbox.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(json(response).await["code"], "not_found");
    }
    let body = to_json(&demo_sections(ACME));
    let response = sandbox.post_json("/api/customers/cus_nope/update", &body).await;
    assert_eq!(response.status(), 404);
    assert_eq!(json(response).await["code"], "not_found");
    assert_eq!(sandbox.get("/api/nothing/here").await.status(), 404);
}

#[tokio::test]
async fn update_field_errors_name_their_paths() {
    let sandbox = Sandbox::start().await;
    let mut sections = demo_sections(ACME);
    sections.registration_address = None;
    let person = &mut sections.business_person_list.as_mut().unwrap()[1];
    person.identification.as_mut().unwrap().id_document_front_file_id = Some("file_does_not_exist".into());
    sections.business_details.as_mut().unwrap().business_identifier_document_list = Some(vec!["file_gone".into()]);

    let response = sandbox.post_json(&format!("/api/customers/{ACME}/update"), &to_json(&sections)).await;
    assert_eq!(response.status(), 400);
    let body = json(response).await;
    assert_eq!(body["code"], "validation_failed");
    let fields = fields(&body);
    for expected in [
        "registration_address",
        "business_person_list[1].identification.id_document_front_file_id",
        "business_details.business_identifier_document_list[0]",
    ] {
        assert!(fields.iter().any(|f| f == expected), "{expected} missing from {fields:?}");
    }
    let unknown = body["errors"].as_array().unwrap().iter().filter(|e| e["code"] == "unknown_file").count();
    assert_eq!(unknown, 2);
    // Nothing was applied.
    assert_eq!(sandbox.handle.stats().updates_for(ACME), 0);
    assert_eq!(sandbox.customer(ACME).await.status, CustomerStatus::Succeeded);
}

#[tokio::test]
async fn unknown_fields_and_bad_json_are_400() {
    let sandbox = Sandbox::start().await;
    let path = format!("/api/customers/{ACME}/update");
    let response = sandbox.post_json(&path, r#"{"business_details":{"business_nam":"X"}}"#).await;
    assert_eq!(response.status(), 400);
    let body = json(response).await;
    assert_eq!(body["code"], "unknown_field");
    assert_eq!(fields(&body), ["business_details.business_nam"]);

    let response = sandbox.post_json(&path, r#"{"account_usage":{"estimated_monthly_revenue_amount":"lots"}}"#).await;
    assert_eq!(response.status(), 400);
    assert_eq!(fields(&json(response).await), ["account_usage.estimated_monthly_revenue_amount"]);

    let response = sandbox.post_json(&path, "{\"business_details\": ").await;
    assert_eq!(response.status(), 400);
    assert_eq!(json(response).await["code"], "invalid_json");

    let huge = format!("{{\"x\":\"{}\"}}", "a".repeat(kyb_sandbox::MAX_JSON_BYTES + 1));
    assert_eq!(sandbox.post_json(&path, &huge).await.status(), 413);
}

#[tokio::test]
async fn create_then_duplicate_partner_id_is_409() {
    let sandbox = Sandbox::start().await;
    let body = CreateCustomerRequest::from_sections(Some("NEW-0100".into()), demo_sections(ACME));
    let response = sandbox.post_json("/api/customers/create", &to_json(&body)).await;
    assert_eq!(response.status(), 200);
    let created = json(response).await;
    assert_eq!(created["status"], "Processing");
    assert_eq!(created["partner_customer_id"], "NEW-0100");
    let customer_id = created["customer_id"].as_str().unwrap().to_owned();
    assert!(customer_id.starts_with("cus_"));
    assert!(created["created_at"].is_string());
    assert_eq!(sandbox.customer(&customer_id).await.partner_customer_id.as_deref(), Some("NEW-0100"));

    let again = sandbox.post_json("/api/customers/create", &to_json(&body)).await;
    assert_eq!(again.status(), 409);
    let conflict = json(again).await;
    assert_eq!(conflict["code"], "duplicate_partner_customer_id");
    assert_eq!(fields(&conflict), ["partner_customer_id"]);
    // A demo customer's partner id is taken too.
    let demo = CreateCustomerRequest::from_sections(Some("P-1001".into()), demo_sections(ACME));
    assert_eq!(sandbox.post_json("/api/customers/create", &to_json(&demo)).await.status(), 409);

    let missing = CreateCustomerRequest::from_sections(None, demo_sections(ACME));
    let response = sandbox.post_json("/api/customers/create", &to_json(&missing)).await;
    assert_eq!(response.status(), 400);
    assert!(fields(&json(response).await).contains(&"partner_customer_id".to_owned()));
    assert_eq!(sandbox.handle.stats().creates_for("NEW-0100"), 1);
    assert_eq!(sandbox.handle.stats().total_creates(), 1);
}

#[tokio::test]
async fn upload_checks_file_type_and_size() {
    let sandbox = Sandbox::start().await;
    let pdf = kyb_sandbox::demo::document_pdf("Invoice 1", &[]);

    let response = sandbox.upload("main page", pdf.clone()).await;
    assert_eq!(response.status(), 400);
    let body = json(response).await;
    assert_eq!(body["code"], "invalid_file_type");
    assert_eq!(fields(&body), ["fileType"]);
    assert!(body["message"].as_str().unwrap().contains("fileType"));

    let no_type = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(pdf.clone()).file_name("a.pdf"));
    let response = sandbox.authed(sandbox.http.post(sandbox.url("/api/files/upload")).multipart(no_type)).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(fields(&json(response).await), ["fileType"]);

    let not_multipart = sandbox.post_json("/api/files/upload", "{}").await;
    assert_eq!(not_multipart.status(), 400);

    let too_big = sandbox.upload("Invoice", vec![b'x'; kyb_sandbox::MAX_FILE_BYTES + 1]).await;
    assert_eq!(too_big.status(), 413);
    assert_eq!(json(too_big).await["code"], "file_too_large");

    for label in ["Invoice", "Contract", "Business Registration", "Article of Association", "Main page", "Back page"] {
        let response = sandbox.upload(label, pdf.clone()).await;
        assert_eq!(response.status(), 200, "{label}");
        let file_id = json(response).await["file_id"].as_str().unwrap().to_owned();
        assert!(file_id.starts_with("file_"));
        let stored = sandbox.get(&format!("/__sandbox/files/{file_id}")).await;
        assert_eq!(stored.bytes().await.unwrap().to_vec(), pdf);
    }
    assert_eq!(sandbox.handle.stats().uploads, 6);
}

#[tokio::test]
async fn uploaded_files_can_be_referenced() {
    let sandbox = Sandbox::start().await;
    let file_id = json(sandbox.upload("Main page", kyb_sandbox::demo::id_card_png(1, false)).await).await["file_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut sections = demo_sections(ACME);
    sections.business_person_list.as_mut().unwrap()[0].identification.as_mut().unwrap().id_document_front_file_id =
        Some(file_id.clone());
    let response = sandbox.post_json(&format!("/api/customers/{ACME}/update"), &to_json(&sections)).await;
    assert_eq!(response.status(), 200);
    let customer = sandbox.customer(ACME).await;
    let person = &customer.business_person_list.unwrap()[0];
    assert_eq!(person.identification.as_ref().unwrap().id_document_front_file_id.as_deref(), Some(file_id.as_str()));
}

#[tokio::test]
async fn update_settles_to_succeeded_or_failed() {
    let sandbox = Sandbox::start().await;
    let response = sandbox.post_json(&format!("/api/customers/{ACME}/update"), &to_json(&demo_sections(ACME))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(json(response).await["status"], "Processing");
    assert_eq!(sandbox.customer(ACME).await.status, CustomerStatus::Processing);
    assert_eq!(wait_settled(&sandbox, ACME).await.status, CustomerStatus::Succeeded);

    let andes = "cus_demo_0006";
    let mut sections = demo_sections(andes);
    sections.business_person_list.as_mut().unwrap()[1].identification.as_mut().unwrap().id_number = Some("REJECT0042".into());
    let response = sandbox.post_json(&format!("/api/customers/{andes}/update"), &to_json(&sections)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(wait_settled(&sandbox, andes).await.status, CustomerStatus::Failed);

    let nord = "cus_demo_0002";
    let mut sections = demo_sections(nord);
    sections.business_details.as_mut().unwrap().business_name_english = Some("Rejected Logistics GmbH".into());
    assert_eq!(sandbox.post_json(&format!("/api/customers/{nord}/update"), &to_json(&sections)).await.status(), 200);
    assert_eq!(wait_settled(&sandbox, nord).await.status, CustomerStatus::Failed);
    assert_eq!(sandbox.handle.stats().total_updates(), 3);
}

#[tokio::test]
async fn suspended_customers_refuse_updates() {
    let sandbox = Sandbox::start().await;
    let harbour = "cus_demo_0005";
    assert_eq!(sandbox.customer(harbour).await.status, CustomerStatus::Suspended);
    let response = sandbox.post_json(&format!("/api/customers/{harbour}/update"), &to_json(&demo_sections(harbour))).await;
    assert_eq!(response.status(), 409);
    assert_eq!(json(response).await["code"], "customer_suspended");
}

#[tokio::test]
async fn idempotency_key_applies_once() {
    let sandbox = Sandbox::start().await;
    let path = format!("/api/customers/{ACME}/update");
    let body = to_json(&demo_sections(ACME));
    let first = sandbox.post_json_with_key(&path, &body, "key-1").await;
    assert_eq!(first.status(), 200);
    let first = first.text().await.unwrap();
    let second = sandbox.post_json_with_key(&path, &body, "key-1").await;
    assert_eq!(second.status(), 200);
    assert_eq!(second.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(second.text().await.unwrap(), first);
    assert_eq!(sandbox.handle.stats().updates_for(ACME), 1);
    assert_eq!(sandbox.handle.stats().idempotent_replays, 1);

    // The same key for a different request is a client bug: refused, not applied.
    let other = to_json(&demo_sections("cus_demo_0006"));
    let reused = sandbox.post_json_with_key("/api/customers/cus_demo_0006/update", &other, "key-1").await;
    assert_eq!(reused.status(), 409);
    assert_eq!(json(reused).await["code"], "idempotency_key_reused");

    // A new key applies again; so does a create, once.
    assert_eq!(sandbox.post_json_with_key(&path, &body, "key-2").await.status(), 200);
    assert_eq!(sandbox.handle.stats().updates_for(ACME), 2);
    let create = to_json(&CreateCustomerRequest::from_sections(Some("IDEM-1".into()), demo_sections(ACME)));
    let a = json(sandbox.post_json_with_key("/api/customers/create", &create, "create-1").await).await;
    let b = json(sandbox.post_json_with_key("/api/customers/create", &create, "create-1").await).await;
    assert_eq!(a["customer_id"], b["customer_id"]);
    assert_eq!(sandbox.handle.stats().creates_for("IDEM-1"), 1);

    let stats = json(sandbox.get("/__sandbox/stats").await).await;
    assert_eq!(stats["updates"][ACME], 2);
    assert_eq!(stats["creates"]["IDEM-1"], 1);
}
