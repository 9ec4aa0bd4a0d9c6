//! Faults, set programmatically and over HTTP, are consumed per call.

use std::time::{Duration, Instant};

use crate::common::*;

fn detail() -> String {
    format!("/api/customers/detail?customer_id={ACME}")
}

#[tokio::test]
async fn fail_next_then_recover() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().fail_next(2, 503);
    for _ in 0..2 {
        let response = sandbox.get(&detail()).await;
        assert_eq!(response.status(), 503);
        assert_eq!(json(response).await["code"], "injected_fault");
    }
    assert_eq!(sandbox.get(&detail()).await.status(), 200);
}

#[tokio::test]
async fn rate_limit_sends_retry_after() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().rate_limit_next(1, Duration::from_secs(7));
    let response = sandbox.get(&detail()).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers().get("retry-after").unwrap(), "7");
}

#[tokio::test]
async fn faults_over_http() {
    let sandbox = Sandbox::start().await;
    let set = |body: &'static str| {
        let request = sandbox.http.post(sandbox.url("/__sandbox/faults")).body(body);
        sandbox.authed(request).send()
    };
    let response = set(r#"{"fail_next":{"count":1,"status":502},"delay_next":{"count":1,"delay_ms":300}}"#).await.unwrap();
    assert_eq!(response.status(), 200);
    let pending = json(response).await;
    assert_eq!(pending["fail_next"]["count"], 1);

    let started = Instant::now();
    assert_eq!(sandbox.get(&detail()).await.status(), 502);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(sandbox.get(&detail()).await.status(), 200);

    set(r#"{"fail_next":{"count":5,"status":500}}"#).await.unwrap();
    set(r#"{"reset":true}"#).await.unwrap();
    assert_eq!(sandbox.get(&detail()).await.status(), 200);

    assert_eq!(set(r#"{"fail_next":{"count":1,"status":200}}"#).await.unwrap().status(), 400);
    assert_eq!(set(r#"{"explode":true}"#).await.unwrap().status(), 400);
    // The control endpoints themselves are never subject to faults.
    sandbox.handle.faults().fail_next(1, 500);
    assert_eq!(sandbox.get("/__sandbox/stats").await.status(), 200);
    assert_eq!(sandbox.get(&detail()).await.status(), 500);
}

#[tokio::test]
async fn drop_closes_the_connection_without_an_answer() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().drop_next(1);
    let err = sandbox.authed(sandbox.http.get(sandbox.url(&detail()))).send().await.unwrap_err();
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    assert!(!err.is_timeout());
    assert_eq!(sandbox.get(&detail()).await.status(), 200);
}

#[tokio::test]
async fn drop_after_apply_applies_but_loses_the_answer() {
    let sandbox = Sandbox::start().await;
    sandbox.handle.faults().drop_next_after_apply(1);
    let body = to_json(&demo_sections(ACME));
    let path = format!("/api/customers/{ACME}/update");
    let request = sandbox.http.post(sandbox.url(&path)).header("Idempotency-Key", "lost-answer").body(body.clone());
    assert!(sandbox.authed(request).send().await.is_err());
    assert_eq!(sandbox.handle.stats().updates_for(ACME), 1);
    // The retry with the same key gets the kept answer; nothing is applied twice.
    let retry = sandbox.post_json_with_key(&path, &body, "lost-answer").await;
    assert_eq!(retry.status(), 200);
    assert_eq!(sandbox.handle.stats().updates_for(ACME), 1);
}

#[tokio::test]
async fn shutdown_is_prompt_with_idle_connections() {
    let sandbox = Sandbox::start().await;
    assert_eq!(sandbox.get(&detail()).await.status(), 200);
    let started = Instant::now();
    sandbox.handle.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}
