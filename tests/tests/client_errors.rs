//! Every failure the client maps, produced for real (sandbox faults, a raw TCP server, closed
//! ports), each checked for its variant, its serialized shape and the absence of any secret.

use std::time::{Duration, Instant};

use crate::client_common::*;
use kyb_core::client::{ClientConfig, ClientError, CustomerLookup, PartnerClient, MAX_RESPONSE_BYTES};
use kyb_core::error::ErrorKind;
use kyb_core::model::FileType;

fn demo() -> CustomerLookup {
    CustomerLookup::CustomerId(DEMO.into())
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized() {
    let sandbox = Sandbox::start().await;
    for credentials in [wrong(), kyb_core::credentials::ApiCredentials { api_key: CANARY_KEY.into(), api_secret: WRONG_SECRET.into() }] {
        let err = sandbox.client_with(credentials, Duration::from_secs(5)).get_customer(&demo()).await.unwrap_err();
        assert_eq!(err, ClientError::Unauthorized { status: 401 });
        assert!(!err.is_retryable());
        assert!(err.to_string().contains("API key and secret"));
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn unknown_customer_is_not_found() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let err = client.get_customer(&CustomerLookup::CustomerId("cus_missing".into())).await.unwrap_err();
    assert!(matches!(&err, ClientError::NotFound { resource } if resource.contains("cus_missing")), "{err:?}");
    assert_eq!(serde_json::to_value(&err).unwrap()["kind"], "not_found");
    let err = client.get_customer(&CustomerLookup::PartnerCustomerId("P-404".into())).await.unwrap_err();
    assert!(err.to_string().contains("partner_customer_id \"P-404\""), "{err}");
    let err = client.update_customer("cus_missing", &valid_update(DEMO), None).await.unwrap_err();
    assert!(matches!(err, ClientError::NotFound { .. }));
    assert_no_secret(&err);
}

#[tokio::test]
async fn server_field_errors_are_validation_rejected_with_paths() {
    let sandbox = Sandbox::start().await;
    let mut body = sections(DEMO);
    body.business_person_list.as_mut().unwrap()[0].identification.as_mut().unwrap().id_document_front_file_id =
        Some("file_never_uploaded".into());
    body.business_details.as_mut().unwrap().business_identifier_document_list = Some(vec!["file_nope".into()]);
    let body = kyb_core::validation::check_update(body, &kyb_core::validation::ValidationContext::now()).unwrap();

    let err = sandbox.client().update_customer(DEMO, &body, None).await.unwrap_err();
    let ClientError::ValidationRejected { status, errors, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*status, 400);
    let mut fields: Vec<_> = errors.iter().map(|e| (e.field.clone().unwrap_or_default(), e.code.clone())).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("business_details.business_identifier_document_list[0]".to_owned(), "unknown_file".to_owned()),
            ("business_person_list[0].identification.id_document_front_file_id".to_owned(), "unknown_file".to_owned()),
        ]
    );
    assert!(err.to_string().contains("business_person_list[0].identification.id_document_front_file_id"));
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "rejected");
    assert_eq!(json["status"], 400);
    assert_eq!(json["errors"].as_array().unwrap().len(), 2);
    assert_eq!(json["errors"][0]["code"], "unknown_file");
    assert!(json["errors"][0]["field"].is_string() && json["errors"][0]["message"].is_string());
    assert_eq!(json["retryable"], false);
    assert_no_secret(&err);
}

#[tokio::test]
async fn injected_500_is_server_and_not_retryable() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().fail_next(1, 500);
    let err = sandbox.client().get_customer(&demo()).await.unwrap_err();
    assert!(matches!(err, ClientError::Server { status: 500, .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("HTTP 500"));
    assert_no_secret(&err);

    for status in [502, 503, 504] {
        sandbox.handle.faults().fail_next(1, status);
        let err = sandbox.client().get_customer(&demo()).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert!(err.is_retryable(), "{status}");
    }
    sandbox.handle.faults().fail_next(1, 408);
    let err = sandbox.client().get_customer(&demo()).await.unwrap_err();
    assert!(matches!(err, ClientError::UnexpectedStatus { status: 408, .. }) && err.is_retryable(), "{err:?}");
    assert!(sandbox.client().get_customer(&demo()).await.is_ok());
}

#[tokio::test]
async fn rate_limit_carries_retry_after() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().rate_limit_next(1, Duration::from_secs(4));
    let err = sandbox.client().get_customer(&demo()).await.unwrap_err();
    assert_eq!(err, ClientError::RateLimited { retry_after: Some(Duration::from_secs(4)) });
    assert!(err.is_retryable());
    assert!(err.to_string().contains("retry after 4 s"), "{err}");
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "rate_limited");
    assert_eq!(json["retry_after_secs"], 4);
    assert_no_secret(&err);
}

#[tokio::test]
async fn dropped_connection_is_network() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().drop_next(1);
    let err = sandbox.client().update_customer(DEMO, &valid_update(DEMO), Some("drop-1")).await.unwrap_err();
    assert!(matches!(err, ClientError::Network { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(serde_json::to_value(&err).unwrap()["kind"], "network");
    assert_no_secret(&err);
    assert_eq!(sandbox.handle.stats().updates_for(DEMO), 0, "dropped before handling: nothing applied");
}

#[tokio::test]
async fn refused_connection_is_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = client_for(&format!("http://{addr}"), canary(), Duration::from_secs(5));
    let err = client.get_customer(&demo()).await.unwrap_err();
    let ClientError::Network { detail } = &err else { panic!("{err:?}") };
    assert!(detail.contains("could not connect"), "{detail}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn slow_answer_is_timeout() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().delay_next(1, Duration::from_secs(3));
    let client = sandbox.client_with(canary(), Duration::from_millis(400));
    let started = Instant::now();
    let err = client.get_customer(&demo()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(err, ClientError::Timeout { after: Duration::from_millis(400), connecting: false });
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "the partner API did not answer within 400 ms");
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "timeout");
    assert_eq!(json["timeout_ms"], 400);
    assert_no_secret(&err);
}

#[tokio::test]
async fn plain_http_to_another_host_is_refused() {
    for url in ["http://partner.example.com/", "http://10.1.2.3:8083", "http://[2001:db8::1]/"] {
        let err = PartnerClient::new(ClientConfig::new(url.parse().unwrap(), canary())).unwrap_err();
        assert!(matches!(err, ClientError::InsecureUrl { .. }), "{url}: {err:?}");
        assert_eq!(serde_json::to_value(&err).unwrap()["kind"], "insecure_url");
        assert_no_secret(&err);
    }
    for url in ["http://127.0.0.1:8083", "http://localhost:8083", "http://[::1]:8083", "https://partner.example.com/v2/"] {
        assert!(PartnerClient::new(ClientConfig::new(url.parse().unwrap(), canary())).is_ok(), "{url}");
    }
    let err = PartnerClient::new(ClientConfig::new("https://u:pw@partner.example.com/".parse().unwrap(), canary())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidUrl);
    assert!(!err.to_string().contains("pw"));
}

#[tokio::test]
async fn html_and_wrong_shaped_answers_are_malformed_without_echoing_secrets() {
    // An HTML page that echoes the request (and so the credential headers) back.
    let addr = raw_server(|request| {
        let echoed = request.replace('\r', "");
        http_answer("200 OK", "text/html", &format!("<html><head><title>Login</title></head><body><pre>{echoed}</pre></body></html>"))
    })
    .await;
    let client = client_for(&format!("http://{addr}"), canary(), Duration::from_secs(5));
    let err = client.get_customer(&demo()).await.unwrap_err();
    let ClientError::MalformedResponse { status: 200, detail } = &err else { panic!("{err:?}") };
    assert!(detail.contains("HTML page titled \"Login\""), "{detail}");
    assert_no_secret(&err);

    // JSON of the wrong shape, echoing the secret inside a value.
    let addr = raw_server(|request| {
        let key = request.lines().find(|l| l.to_ascii_lowercase().starts_with("x-api-secret:")).unwrap_or("").to_owned();
        http_answer("200 OK", "application/json", &serde_json::json!({ "customer_id": 5, "status": key }).to_string())
    })
    .await;
    let client = client_for(&format!("http://{addr}"), canary(), Duration::from_secs(5));
    let err = client.get_customer(&demo()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MalformedResponse);
    assert!(err.to_string().contains("customer_id"), "{err}");
    assert_no_secret(&err);

    // A 502 HTML page from a proxy, echoing the headers.
    let addr = raw_server(|request| http_answer("502 Bad Gateway", "text/html", &format!("<h1>Bad gateway</h1>{request}")))
        .await;
    let client = client_for(&format!("http://{addr}"), canary(), Duration::from_secs(5));
    let err = client.upload_file("a.pdf", b"%PDF-1.4".to_vec(), FileType::Invoice).await.unwrap_err();
    assert!(matches!(err, ClientError::Server { status: 502, .. }) && err.is_retryable(), "{err:?}");
    assert!(err.to_string().len() < 400, "{err}");
    assert_no_secret(&err);

    // A 400 whose body is not the API's error format.
    let addr = raw_server(|request| http_answer("400 Bad Request", "text/plain", &format!("bad: {request}"))).await;
    let client = client_for(&format!("http://{addr}"), canary(), Duration::from_secs(5));
    let err = client.create_customer(&valid_create("X-1"), Some("k")).await.unwrap_err();
    assert!(matches!(&err, ClientError::ValidationRejected { errors, .. } if errors.is_empty()), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn oversized_answers_are_refused_not_buffered() {
    // Declared too large.
    let addr = raw_server(|_| {
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{", 64 * 1024 * 1024)
            .into_bytes()
    })
    .await;
    let client = client_for(&format!("http://{addr}"), canary(), Duration::from_secs(10));
    let err = client.get_customer(&demo()).await.unwrap_err();
    assert!(matches!(&err, ClientError::MalformedResponse { detail, .. } if detail.contains("10 MiB")), "{err:?}");

    // Undeclared length, streamed until the connection closes.
    let addr = raw_server(|_| {
        let mut answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[".to_vec();
        answer.extend(std::iter::repeat_n(b' ', MAX_RESPONSE_BYTES + 1024));
        answer
    })
    .await;
    let client = client_for(&format!("http://{addr}"), canary(), Duration::from_secs(10));
    let err = client.get_customer(&demo()).await.unwrap_err();
    assert!(matches!(&err, ClientError::MalformedResponse { detail, .. } if detail.contains("10 MiB")), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn bad_arguments_fail_before_sending() {
    let client = client_for("http://127.0.0.1:9", canary(), Duration::from_secs(2));
    let err = client.get_customer(&CustomerLookup::CustomerId("  ".into())).await.unwrap_err();
    assert_eq!(err.field(), Some("customer_id"));
    let err = client.update_customer("", &valid_update(DEMO), None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = client.update_customer(DEMO, &valid_update(DEMO), Some("bad\nkey")).await.unwrap_err();
    assert_eq!(err.field(), Some("Idempotency-Key"));
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "invalid_input");
    assert_eq!(json["field"], "Idempotency-Key");
}

#[tokio::test]
async fn customer_ids_are_sent_as_one_path_segment() {
    let sandbox = Sandbox::start().await;
    // Would reach another route if the slash were not encoded.
    let err = sandbox.client().update_customer("../detail?customer_id=cus_demo_0001", &valid_update(DEMO), None).await.unwrap_err();
    assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
    assert_eq!(sandbox.handle.stats().total_updates(), 0);
}

#[test]
fn debug_of_client_and_config_hides_credentials() {
    let config = ClientConfig::new("https://partner.example.com/".parse().unwrap(), canary());
    let client = PartnerClient::new(config.clone()).unwrap();
    let shown = format!("{config:?} {client:?}");
    assert!(!shown.contains(CANARY_KEY) && !shown.contains(CANARY_SECRET), "{shown}");
}
