//! "Bad servers": the sandbox answers like a broken server (malformed JSON, wrong types,
//! a huge body, an HTML error page, a slow drip) and the client must give a clear, specific error
//! each time, within its timeout, without panicking, and work again once the fault is gone.
//! Real HTTP over loopback; the faults are `kyb_sandbox::faults::BadAnswer`.
//! Run with `--nocapture` to see each observed error and timing.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::client_common::*;
use kyb_core::client::{ClientError, CustomerLookup, PartnerClient, MAX_RESPONSE_BYTES};
use kyb_core::error::ErrorKind;
use kyb_core::model::Customer;
use kyb_sandbox::faults::{BadAnswer, HTML_ERROR_PAGE_BODY};

/// Short enough to keep the slow-drip tests quick; long enough that loopback calls never hit it.
const TIMEOUT: Duration = Duration::from_millis(1500);
/// Scheduling slack on top of the client's timeout.
const MARGIN: Duration = Duration::from_millis(1500);
/// Longest a fault answered without any waiting may take (the huge body included).
const QUICK: Duration = Duration::from_secs(3);

fn demo() -> CustomerLookup {
    CustomerLookup::CustomerId(DEMO.into())
}

/// Runs `call`, failing the test (not hanging) if it outlives the client's timeout plus the margin.
async fn timed<T>(what: &str, call: impl Future<Output = Result<T, ClientError>>) -> (ClientError, Duration) {
    let started = Instant::now();
    let outcome = tokio::time::timeout(TIMEOUT + MARGIN, call).await;
    let elapsed = started.elapsed();
    let Ok(result) = outcome else { panic!("{what}: still running after {elapsed:?} (client timeout {TIMEOUT:?})") };
    let Err(err) = result else { panic!("{what}: succeeded against a broken server") };
    eprintln!("{what}: {elapsed:?} kind={} message={err}", err.kind());
    assert_no_secret(&err);
    assert!(err.to_string().chars().count() < 400, "{what}: message too long: {err}");
    (err, elapsed)
}

/// Both calls under test, each against one fresh fault installed by `arm`.
async fn both_calls(client: &PartnerClient, arm: impl Fn()) -> [(ClientError, Duration); 2] {
    arm();
    let get = timed("get_customer", client.get_customer(&demo())).await;
    arm();
    let update = timed("update_customer", client.update_customer(DEMO, &valid_update(DEMO), None)).await;
    [get, update]
}

/// The same client works again: a read, and a write that is applied.
async fn works_again(client: &PartnerClient) {
    let customer: Customer = client.get_customer(&demo()).await.expect("get after the fault");
    assert_eq!(customer.customer_id, DEMO);
    let updated = client.update_customer(DEMO, &valid_update(DEMO), None).await.expect("update after the fault");
    assert_eq!(updated.customer_id, DEMO);
}

#[tokio::test]
async fn malformed_json_is_malformed_response() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    for (err, elapsed) in both_calls(&client, || faults.malformed_json_next(1)).await {
        let ClientError::MalformedResponse { status, detail } = &err else { panic!("{err:?}") };
        assert_eq!(*status, 200);
        assert!(detail.starts_with("the body is not complete JSON"), "{detail}");
        assert!(detail.contains("EOF while parsing"), "{detail}");
        assert!(detail.contains(r#"{\"customer_id\": \"x\","#), "the excerpt shows what came: {detail}");
        assert!(!err.is_retryable());
        assert_eq!(serde_json::to_value(&err).unwrap()["kind"], "malformed_response");
        assert!(elapsed < QUICK, "{elapsed:?}");
    }
    works_again(&client).await;
}

#[tokio::test]
async fn wrong_types_name_the_field() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    for (err, elapsed) in both_calls(&client, || faults.wrong_types_next(1)).await {
        let ClientError::MalformedResponse { status: 200, detail } = &err else { panic!("{err:?}") };
        // The first wrong field in document order is `status` (42 where a status name belongs).
        assert!(detail.starts_with("`status` is wrong"), "{detail}");
        assert!(detail.contains("42"), "{detail}");
        assert!(elapsed < QUICK, "{elapsed:?}");
    }
    works_again(&client).await;
}

#[tokio::test]
async fn huge_chunked_body_is_refused_at_the_size_cap() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    let bytes = 50 * 1024 * 1024;
    assert!(bytes > MAX_RESPONSE_BYTES as u64);
    for (err, elapsed) in both_calls(&client, || faults.huge_body_next(1, bytes)).await {
        let ClientError::MalformedResponse { status: 200, detail } = &err else { panic!("{err:?}") };
        assert!(detail.contains("larger than the 10 MiB the client accepts"), "{detail}");
        // Refused by counting, well before the timeout would have stopped it.
        assert!(elapsed < QUICK && elapsed < TIMEOUT, "{elapsed:?}");
    }
    works_again(&client).await;
}

#[tokio::test]
async fn huge_declared_body_is_refused_before_reading() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    let answer = BadAnswer::HugeBody { bytes: 50 * 1024 * 1024, declare_length: true };
    for (err, elapsed) in both_calls(&client, || faults.bad_answer_next(1, answer)).await {
        let ClientError::MalformedResponse { status: 200, detail } = &err else { panic!("{err:?}") };
        assert!(detail.contains("larger than the 10 MiB"), "{detail}");
        assert!(elapsed < Duration::from_millis(500), "Content-Length alone decides: {elapsed:?}");
    }
    works_again(&client).await;
}

#[tokio::test]
async fn html_502_page_is_a_retryable_server_error() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    for (err, elapsed) in both_calls(&client, || faults.html_error_page_next(1)).await {
        let ClientError::Server { status: 502, detail } = &err else { panic!("{err:?}") };
        assert!(detail.is_some(), "the page is described");
        assert!(err.is_retryable());
        assert!(err.to_string().starts_with("the partner API failed with HTTP 502"), "{err}");
        assert!(elapsed < QUICK, "{elapsed:?}");
    }
    works_again(&client).await;
}

/// An HTML page (here a proxy's, without a `<title>`) is named by its heading, never quoted.
#[tokio::test]
async fn html_502_page_is_not_quoted_whole() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    sandbox.handle.faults().html_error_page_next(1);
    let (err, _) = timed("get_customer", client.get_customer(&demo())).await;
    assert!(!err.to_string().contains(HTML_ERROR_PAGE_BODY), "{err}");
    assert!(!err.to_string().contains("<body>"), "{err}");
    assert!(err.to_string().contains("an HTML page headed \"502 Bad Gateway\""), "{err}");
}

#[tokio::test]
async fn html_page_with_200_is_malformed_response() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    let answer = BadAnswer::HtmlErrorPage { status: 200 };
    for (err, elapsed) in both_calls(&client, || faults.bad_answer_next(1, answer)).await {
        let ClientError::MalformedResponse { status: 200, detail } = &err else { panic!("{err:?}") };
        assert!(detail.contains("not the expected JSON"), "{detail}");
        assert!(!err.is_retryable());
        assert!(elapsed < QUICK, "{elapsed:?}");
    }
    works_again(&client).await;
}

#[tokio::test]
async fn slow_drip_times_out_at_the_client_timeout() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    let drip = || faults.slow_drip_next(1, Duration::from_millis(200));
    for (err, elapsed) in both_calls(&client, drip).await {
        assert_eq!(err, ClientError::Timeout { after: TIMEOUT, connecting: false });
        assert_eq!(err.to_string(), "the partner API did not answer within 1500 ms");
        assert!(err.is_retryable());
        // Headers and the first bytes came at once: the limit is on the whole answer, not per read.
        assert!(elapsed >= TIMEOUT - Duration::from_millis(50), "{elapsed:?}");
        assert!(elapsed < TIMEOUT + MARGIN, "{elapsed:?}");
    }
    works_again(&client).await;
}

#[tokio::test]
async fn pending_faults_cleared_by_reset_leave_the_client_working() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let faults = sandbox.handle.faults();
    faults.malformed_json_next(10);
    timed("get_customer", client.get_customer(&demo())).await;
    timed("get_customer again", client.get_customer(&demo())).await;
    faults.reset();
    assert_eq!(faults.pending(), kyb_sandbox::FaultSettings::default());
    works_again(&client).await;

    // Every kind in turn on the same client, each followed by a good call.
    let answers = [
        BadAnswer::MalformedJson,
        BadAnswer::WrongTypes,
        BadAnswer::HugeBody { bytes: 20 * 1024 * 1024, declare_length: false },
        BadAnswer::HtmlErrorPage { status: 502 },
        BadAnswer::SlowDrip { interval_ms: 200 },
    ];
    for answer in answers {
        faults.bad_answer_next(1, answer);
        let (err, _) = timed(&format!("{answer:?}"), client.get_customer(&demo())).await;
        assert!(matches!(err.kind(), ErrorKind::MalformedResponse | ErrorKind::Server | ErrorKind::Timeout), "{err:?}");
        let customer = client.get_customer(&demo()).await.unwrap_or_else(|e| panic!("after {answer:?}: {e}"));
        assert_eq!(customer.customer_id, DEMO);
    }
}

#[tokio::test]
async fn a_failed_update_was_not_applied() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client_with(canary(), TIMEOUT);
    let before = sandbox.handle.stats();
    sandbox.handle.faults().wrong_types_next(1);
    timed("update_customer", client.update_customer(DEMO, &valid_update(DEMO), None)).await;
    // Bad answers stand in for the handler, like `fail_next`: nothing changed on the server.
    assert_eq!(sandbox.handle.stats(), before);
    assert_eq!(before.updates_for(DEMO), sandbox.handle.stats().updates_for(DEMO));
}
