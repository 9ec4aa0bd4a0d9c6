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
    // A name is looked up (`localhost.` through network DNS) and may lead elsewhere: only
    // loopback addresses take plain http.
    for url in ["http://localhost:8083", "http://localhost.:8083", "http://LocalHost/", "http://sandbox.local:8083"] {
        let err = PartnerClient::new(ClientConfig::new(url.parse().unwrap(), canary())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InsecureUrl, "{url}: {err:?}");
        assert!(err.to_string().contains("127.0.0.1"), "{err}");
    }
    for url in ["http://127.0.0.1:8083", "http://127.5.6.7", "http://[::1]:8083", "https://partner.example.com/v2/"] {
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

/// A client for a raw server on `addr`, with the canary credentials.
fn raw_client(addr: std::net::SocketAddr) -> PartnerClient {
    client_for(&format!("http://{addr}"), canary(), Duration::from_secs(5))
}

/// The value of the request header `name` as the server received it.
fn header_in(request: &str, name: &str) -> String {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    request
        .lines()
        .find_map(|line| line.to_ascii_lowercase().starts_with(&prefix).then(|| line[prefix.len()..].trim().to_owned()))
        .unwrap_or_default()
}

/// Not even 8 characters in a row of the key or the secret (a cut secret would leave its start).
fn assert_no_part_of_a_secret(err: &ClientError) {
    assert_no_secret(err);
    let shown = format!("{err} | {err:?} | {}", serde_json::to_string(err).unwrap());
    for secret in [CANARY_KEY, CANARY_SECRET] {
        for part in secret.as_bytes().windows(8) {
            let part = std::str::from_utf8(part).unwrap();
            assert!(!shown.contains(part), "{part:?} of a credential in: {shown}");
        }
    }
}

fn json_answer(status: &str, body: serde_json::Value) -> Vec<u8> {
    http_answer(status, "application/json", &body.to_string())
}

/// The partner publishes no error format: every common shape is read, and a field it names is
/// mapped to the record path the page marks.
#[tokio::test]
async fn every_error_shape_is_read_with_its_field_path() {
    let rejected = |err: &ClientError| match err {
        ClientError::ValidationRejected { message, errors, .. } => (message.clone(), errors.clone()),
        other => panic!("{other:?}"),
    };
    let field_error = |field: &str, code: &str, message: &str| kyb_core::client::FieldError {
        field: Some(field.into()),
        code: code.into(),
        message: message.into(),
    };

    // `{code, message, source}` with a JSON pointer.
    let addr = raw_server(|_| {
        json_answer(
            "422 Unprocessable Entity",
            serde_json::json!({"code": "invalid_url", "message": "website is not a URL", "source": "/business_details/website"}),
        )
    })
    .await;
    let err = raw_client(addr).update_customer(DEMO, &valid_update(DEMO), None).await.unwrap_err();
    let (message, errors) = rejected(&err);
    assert_eq!(message, "website is not a URL");
    assert_eq!(errors, [field_error("business_details.website", "invalid_url", "website is not a URL")]);
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!((json["kind"].as_str(), json["field"].as_str()), (Some("rejected"), Some("business_details.website")));
    assert_eq!(json["errors"][0]["field"], "business_details.website");

    // `{code, message, source}` with a dotted path and a numeric index.
    let addr = raw_server(|_| {
        json_answer(
            "400 Bad Request",
            serde_json::json!({"code": "expired", "message": "the ID has expired", "source": "business_person_list.0.identification.id_expiration_date"}),
        )
    })
    .await;
    let err = raw_client(addr).update_customer(DEMO, &valid_update(DEMO), None).await.unwrap_err();
    assert_eq!(
        rejected(&err).1,
        [field_error("business_person_list[0].identification.id_expiration_date", "expired", "the ID has expired")]
    );

    // `{error: {code, message}}`: a rejection, a conflict and a server failure.
    let addr = raw_server(|_| {
        json_answer(
            "400 Bad Request",
            serde_json::json!({"error": {"code": "invalid_request", "message": "the body is incomplete"}}),
        )
    })
    .await;
    let err = raw_client(addr).create_customer(&valid_create("P-SHAPE-1"), None).await.unwrap_err();
    assert_eq!(rejected(&err), ("the body is incomplete".to_owned(), vec![]));
    let addr = raw_server(|_| {
        json_answer(
            "409 Conflict",
            serde_json::json!({"error": {"code": "duplicate", "message": "already taken", "source": "/partner_customer_id"}}),
        )
    })
    .await;
    let err = raw_client(addr).create_customer(&valid_create("P-SHAPE-2"), None).await.unwrap_err();
    assert_eq!(
        err,
        ClientError::Conflict {
            code: Some("duplicate".into()),
            message: "already taken".into(),
            field: Some("partner_customer_id".into())
        }
    );
    let addr = raw_server(|_| {
        json_answer(
            "503 Service Unavailable",
            serde_json::json!({"error": {"code": "maintenance", "message": "back at 10:00"}}),
        )
    })
    .await;
    let err = raw_client(addr).get_customer(&demo()).await.unwrap_err();
    assert_eq!(err, ClientError::Server { status: 503, detail: Some("back at 10:00".into()) });
    assert!(err.is_retryable());

    // Plain text is the message.
    let addr = raw_server(|_| http_answer("400 Bad Request", "text/plain", "customer record incomplete\n")).await;
    let err = raw_client(addr).update_customer(DEMO, &valid_update(DEMO), None).await.unwrap_err();
    assert_eq!(rejected(&err), ("customer record incomplete".to_owned(), vec![]));

    // An unknown shape: the status and a short excerpt.
    let addr = raw_server(|_| json_answer("400 Bad Request", serde_json::json!({"unexpected": {"shape": true}}))).await;
    let err = raw_client(addr).update_customer(DEMO, &valid_update(DEMO), None).await.unwrap_err();
    let (message, errors) = rejected(&err);
    assert!(message.starts_with("the partner answered HTTP 400 with \"{"), "{message}");
    assert!(message.contains("unexpected") && errors.is_empty(), "{message}");

    // An HTML page is named, never quoted: no markup, no script.
    for (status, answer) in [
        (
            502,
            raw_server(|_| {
                http_answer(
                    "502 Bad Gateway",
                    "text/html",
                    "<html><body><script>alert(1)</script><p>upstream</p></body></html>",
                )
            })
            .await,
        ),
        (
            400,
            raw_server(|_| {
                http_answer("400 Bad Request", "text/html", "<!DOCTYPE html><html><body><b>bad</b></body></html>")
            })
            .await,
        ),
    ] {
        let err = raw_client(answer).get_customer(&demo()).await.unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(&format!("HTTP {status}")) && shown.contains("an HTML page"), "{shown}");
        assert!(!shown.contains('<') && !shown.contains("alert") && !shown.contains("bad</b>"), "{shown}");
    }
}

/// Text the server echoes the credentials in is scrubbed before it is cut to length or escaped,
/// so not even the start of a cut credential is kept; a refusal of the credentials quotes nothing.
#[tokio::test]
async fn echoed_credentials_are_scrubbed_before_the_text_is_cut() {
    let answers: [fn(&str) -> Vec<u8>; 7] = [
        // The secret straddles the 300 characters a server message keeps.
        |request| {
            let message = format!("{}{} rest", "x".repeat(292), header_in(request, "X-API-Secret"));
            json_answer("400 Bad Request", serde_json::json!({"code": "bad", "message": message}))
        },
        // The key straddles the cut of a plain-text 500.
        |request| {
            http_answer(
                "500 Internal Server Error",
                "text/plain",
                &format!("{}{}", "y".repeat(296), header_in(request, "X-API-Key")),
            )
        },
        // The secret straddles the 160 characters an excerpt of an unknown shape keeps.
        |request| {
            let body =
                serde_json::json!([format!("{}{}", "z".repeat(150), header_in(request, "X-API-Secret"))]).to_string();
            http_answer("400 Bad Request", "application/json", &body)
        },
        // The key straddles the cut of a message nested as `{error: {message}}`.
        |request| {
            let message = format!("{}{}", "w".repeat(295), header_in(request, "X-API-Key"));
            json_answer("409 Conflict", serde_json::json!({"error": {"code": "dup", "message": message}}))
        },
        // JSON escapes that hide the secret from a scrub of the raw body.
        |request| {
            let escaped: String =
                header_in(request, "X-API-Secret").chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
            http_answer(
                "422 Unprocessable Entity",
                "application/json",
                &format!(r#"{{"code":"c","message":"got {escaped}","source":"{escaped}"}}"#),
            )
        },
        // The secret in a field path and an error code.
        |request| {
            let secret = header_in(request, "X-API-Secret");
            json_answer(
                "400 Bad Request",
                serde_json::json!({"errors": [{"field": format!("/{secret}/x"), "code": secret, "message": "m"}]}),
            )
        },
        // An HTML page echoing the headers, with the secret in its title.
        |request| {
            let title = format!("{} {}", "t".repeat(70), header_in(request, "X-API-Secret"));
            http_answer(
                "502 Bad Gateway",
                "text/html",
                &format!("<html><title>{title}</title><body>{request}</body></html>"),
            )
        },
    ];
    for answer in answers {
        let addr = raw_server(answer).await;
        let err = raw_client(addr).update_customer(DEMO, &valid_update(DEMO), None).await.unwrap_err();
        assert!(err.status().is_some(), "{err:?}");
        assert_no_part_of_a_secret(&err);
    }

    // 401 and 403 quote nothing the server wrote.
    for answer in [
        (|request: &str| {
            http_answer("401 Unauthorized", "text/plain", &format!("server-words: bad key {}", header_in(request, "X-API-Key")))
        }) as fn(&str) -> Vec<u8>,
        |request| {
            json_answer(
                "403 Forbidden",
                serde_json::json!({"message": format!("server-words: secret {}", header_in(request, "X-API-Secret"))}),
            )
        },
    ] {
        let addr = raw_server(answer).await;
        let err = raw_client(addr).get_customer(&demo()).await.unwrap_err();
        assert!(matches!(err, ClientError::Unauthorized { .. }), "{err:?}");
        assert!(!serde_json::to_string(&err).unwrap().contains("server-words"), "{err}");
        assert_no_part_of_a_secret(&err);
    }
}

/// A `Retry-After` given as a date hours away is read as the time left; the outbox, not the
/// client, decides not to wait that long.
#[tokio::test]
async fn retry_after_as_a_distant_date_is_the_time_left() {
    let addr = raw_server(|_| {
        let when = (chrono::Utc::now() + chrono::Duration::hours(10)).format("%a, %d %b %Y %H:%M:%S GMT");
        format!(
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: {when}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .into_bytes()
    })
    .await;
    let err = raw_client(addr).get_customer(&demo()).await.unwrap_err();
    let ClientError::RateLimited { retry_after: Some(after) } = err else { panic!("{err:?}") };
    assert!(after > Duration::from_secs(9 * 3600) && after <= Duration::from_secs(10 * 3600), "{after:?}");
}

/// The sandbox playing the partner exactly as published answers field errors as
/// `{code, message, source}`: the client still names the field as a record path.
#[tokio::test]
async fn the_strict_sandboxs_source_errors_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let config = kyb_sandbox::SandboxConfig {
        credentials: canary(),
        seed_demo_customers: true,
        personality: kyb_sandbox::Personality::Strict,
        ..kyb_sandbox::SandboxConfig::for_tests(dir.path())
    };
    let sandbox = kyb_sandbox::start(config).await.unwrap();
    let client = client_for(&sandbox.base_url(), canary(), Duration::from_secs(10));
    let mut body = sections(DEMO);
    body.business_person_list.as_mut().unwrap()[0].identification.as_mut().unwrap().id_document_front_file_id =
        Some("file_never_uploaded".into());
    let body = kyb_core::validation::check_update(body, &kyb_core::validation::ValidationContext::now()).unwrap();

    let err = client.update_customer(DEMO, &body, None).await.unwrap_err();
    let ClientError::ValidationRejected { errors, .. } = &err else { panic!("{err:?}") };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field.as_deref(), Some("business_person_list[0].identification.id_document_front_file_id"));
    assert_eq!(errors[0].code, "unknown_file");
    assert_eq!(err.field(), Some("business_person_list[0].identification.id_document_front_file_id"));
    assert_no_secret(&err);
}
