// The bodies of the fuzz targets, shared word for word by the fuzz binaries
// (fuzz/fuzz_targets/*.rs) and the corpus replay test (crates/kyb-core/tests/fuzz_corpus.rs),
// both of which `include!` this file. Plain Rust: no nightly feature, no fuzzing crate.

/// "Today" for validation, fixed so a replayed input behaves as it did while fuzzing.
fn fuzz_validation_context() -> kyb_core::validation::ValidationContext {
    kyb_core::validation::ValidationContext::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("a real date"))
}

/// Bytes → UTF-8 (exact, no lossy repair) → the strict and lenient parsers for every body the
/// model knows → validation. Must not panic; a body that validates must also survive a JSON
/// round trip unchanged and still validate.
pub fn parse_validate(data: &[u8]) {
    use kyb_core::model::{parse_lenient, parse_strict, CreateCustomerRequest, Customer, FileUploadResponse, UpdateCustomerRequest};
    use kyb_core::validation::{check_create, check_update, parse_update_value, validate_create, validate_update, validate_update_value};

    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ctx = fuzz_validation_context();

    for parsed in [parse_strict::<UpdateCustomerRequest>(text), parse_lenient::<UpdateCustomerRequest>(text)] {
        let request = match parsed {
            Ok(request) => request,
            Err(err) => {
                let _ = (err.to_string(), &err.path, &err.message);
                continue;
            }
        };
        let issues = validate_update(&request, &ctx);
        for issue in &issues {
            let _ = (issue.code.as_str(), issue.path.len(), issue.message.len());
        }
        if let Ok(valid) = check_update(request, &ctx) {
            let json = serde_json::to_string(valid.get()).expect("a valid update body serializes");
            let back: UpdateCustomerRequest = parse_strict(&json).expect("a valid update body parses back strictly");
            assert_eq!(&back, valid.get(), "a valid update body changed in a JSON round trip: {json}");
            assert!(validate_update(&back, &ctx).is_empty(), "a valid update body stopped validating after a round trip: {json}");
        }
    }

    for parsed in [parse_strict::<CreateCustomerRequest>(text), parse_lenient::<CreateCustomerRequest>(text)] {
        let Ok(request) = parsed else {
            continue;
        };
        let issues = validate_create(&request, &ctx);
        for issue in &issues {
            let _ = (issue.code.as_str(), issue.path.len(), issue.message.len());
        }
        if let Ok(valid) = check_create(request, &ctx) {
            let json = serde_json::to_string(valid.get()).expect("a valid create body serializes");
            let back: CreateCustomerRequest = parse_strict(&json).expect("a valid create body parses back strictly");
            assert_eq!(&back, valid.get(), "a valid create body changed in a JSON round trip: {json}");
        }
    }

    if let Ok(customer) = parse_strict::<Customer>(text) {
        let json = serde_json::to_string(&customer).expect("a parsed customer serializes");
        let _ = parse_lenient::<Customer>(&json);
    }
    let _ = parse_lenient::<Customer>(text);
    let _ = parse_lenient::<FileUploadResponse>(text);

    // The desktop app validates the editor's raw JSON value as the user types.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = validate_update_value(&value, &ctx);
        if let Ok(request) = parse_update_value(&value) {
            let _ = validate_update(&request, &ctx);
        }
    }
}

/// Statuses the first input byte picks from (byte % len); the next "bit" (byte / len, odd)
/// picks the endpoint: the customer detail (a `Customer`) or a file upload (a `FileUploadResponse`).
pub const FUZZ_STATUSES: [u16; 16] = [200, 201, 202, 301, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 504];

const FUZZ_API_KEY: &str = "fuzz-key-7Qx3";
const FUZZ_API_SECRET: &str = "fuzz-secret-9Zp1";

/// A loopback HTTP/1.1 server answering every request with the current input, and a client
/// (the real `PartnerClient`, keep-alive connection pool and all) pointed at it.
struct FuzzHarness {
    runtime: tokio::runtime::Runtime,
    client: kyb_core::client::PartnerClient,
    answer: std::sync::Arc<std::sync::Mutex<(u16, Vec<u8>)>>,
}

fn fuzz_harness() -> &'static FuzzHarness {
    static HARNESS: std::sync::OnceLock<FuzzHarness> = std::sync::OnceLock::new();
    HARNESS.get_or_init(|| {
        let answer = std::sync::Arc::new(std::sync::Mutex::new((200u16, Vec::new())));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let served = answer.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let served = served.clone();
                std::thread::spawn(move || fuzz_serve_connection(stream, &served));
            }
        });
        let base_url = kyb_core::client::parse_base_url(&format!("http://127.0.0.1:{port}/")).expect("loopback base URL");
        let credentials = kyb_core::credentials::ApiCredentials { api_key: FUZZ_API_KEY.to_owned(), api_secret: FUZZ_API_SECRET.to_owned() };
        let mut config = kyb_core::client::ClientConfig::new(base_url, credentials);
        config.timeout = std::time::Duration::from_secs(20);
        let client = kyb_core::client::PartnerClient::new(config).expect("client for the loopback server");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
        FuzzHarness { runtime, client, answer }
    })
}

/// Serve one keep-alive connection: read each request in full (head, then a Content-Length or
/// chunked body), answer with the current status and body. Returns when the client closes.
fn fuzz_serve_connection(stream: std::net::TcpStream, answer: &std::sync::Mutex<(u16, Vec<u8>)>) {
    use std::io::{BufRead, Read, Write};
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = std::io::BufReader::new(stream);
    loop {
        let mut content_length = 0usize;
        let mut chunked = false;
        let mut line = String::new();
        let mut saw_request_line = false;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                if saw_request_line {
                    break;
                }
                continue;
            }
            saw_request_line = true;
            let lower = trimmed.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                content_length = value.trim().parse().unwrap_or(0);
            } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        if chunked {
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
                if size == 0 {
                    // Trailer lines up to the empty one.
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let mut chunk = vec![0u8; size + 2];
                if reader.read_exact(&mut chunk).is_err() {
                    return;
                }
            }
        } else if content_length > 0 {
            let mut body = vec![0u8; content_length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
        }
        let response = {
            let (status, body) = &*answer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut response = format!(
                "HTTP/1.1 {status} Fuzz\r\nContent-Type: application/json\r\nRetry-After: 3\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend_from_slice(body);
            response
        };
        if writer.write_all(&response).is_err() {
            return;
        }
    }
}

/// First byte → status (and endpoint), the rest → the response body; the real client reads it.
/// Must not panic, must give a typed result, and no error may carry either credential.
pub fn client_response(data: &[u8]) {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let status = FUZZ_STATUSES[first as usize % FUZZ_STATUSES.len()];
    let upload = (first as usize / FUZZ_STATUSES.len()) % 2 == 1;
    let harness = fuzz_harness();
    *harness.answer.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = (status, body.to_vec());

    let outcome: Result<String, kyb_core::client::ClientError> = harness.runtime.block_on(async {
        if upload {
            let answer = harness
                .client
                .upload_file_labelled("fuzz.pdf", b"%PDF-1.4 fuzz".to_vec(), "Invoice")
                .await?;
            Ok(format!("{answer:?}"))
        } else {
            let lookup = kyb_core::client::CustomerLookup::CustomerId("cus_fuzz".to_owned());
            let customer = harness.client.get_customer(&lookup).await?;
            Ok(serde_json::to_string(&customer).expect("a parsed customer serializes"))
        }
    });
    match outcome {
        Ok(_) => assert!((200..300).contains(&status), "HTTP {status} was taken for a success"),
        Err(err) => {
            let shown = format!("{err} | {err:?} | {} | {:?} | {:?} | {}", err.kind(), err.field(), err.status(), err.is_retryable());
            for secret in [FUZZ_API_KEY, FUZZ_API_SECRET] {
                assert!(!shown.contains(secret), "a credential leaked into a client error: {shown}");
            }
            // A connection problem with the loopback server would make the run meaningless.
            assert!(
                !matches!(err, kyb_core::client::ClientError::Network { .. } | kyb_core::client::ClientError::Timeout { .. }),
                "the loopback server did not answer: {shown}"
            );
        }
    }
}
