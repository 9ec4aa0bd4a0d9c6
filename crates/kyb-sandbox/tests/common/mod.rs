//! A sandbox on 127.0.0.1:0 with a temporary data folder, and a raw HTTP client for it.

use std::path::Path;
use std::time::Duration;

use kyb_core::model::{Customer, UpdateCustomerRequest};
use kyb_sandbox::{Personality, SandboxConfig, SandboxHandle, DEMO_API_KEY, DEMO_API_SECRET};
use reqwest::{RequestBuilder, Response};
use serde_json::Value;

pub const ACME: &str = "cus_demo_0001";

pub struct Sandbox {
    pub handle: SandboxHandle,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
}

pub fn config(dir: &Path) -> SandboxConfig {
    SandboxConfig { seed_demo_customers: true, settle_after: Duration::from_millis(300), ..SandboxConfig::for_tests(dir) }
}

impl Sandbox {
    /// A fresh sandbox with the demo data.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let handle = kyb_sandbox::start(config(dir.path())).await.unwrap();
        Self { handle, dir, http: reqwest::Client::new() }
    }

    /// A fresh sandbox with the demo data that answers as the published page shows.
    pub async fn start_strict() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = SandboxConfig { personality: Personality::Strict, ..config(dir.path()) };
        let handle = kyb_sandbox::start(config).await.unwrap();
        Self { handle, dir, http: reqwest::Client::new() }
    }

    /// Stop and start again on the same data folder.
    pub async fn restart(self) -> Self {
        let Sandbox { handle, dir, http } = self;
        handle.shutdown().await;
        let handle = kyb_sandbox::start(config(dir.path())).await.unwrap();
        Self { handle, dir, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    /// A request with the right credentials.
    pub fn authed(&self, builder: RequestBuilder) -> RequestBuilder {
        builder.header("X-API-Key", DEMO_API_KEY).header("X-API-Secret", DEMO_API_SECRET)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.authed(self.http.get(self.url(path))).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &str) -> Response {
        self.authed(self.http.post(self.url(path)).header("content-type", "application/json").body(body.to_owned()))
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json_with_key(&self, path: &str, body: &str, key: &str) -> Response {
        self.authed(self.http.post(self.url(path)).header("Idempotency-Key", key).body(body.to_owned()))
            .send()
            .await
            .unwrap()
    }

    pub async fn customer(&self, customer_id: &str) -> Customer {
        let response = self.get(&format!("/api/customers/detail?customer_id={customer_id}")).await;
        assert_eq!(response.status(), 200);
        kyb_core::model::parse_lenient(&response.text().await.unwrap()).unwrap()
    }

    pub async fn upload(&self, file_type: &str, bytes: Vec<u8>) -> Response {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("doc.pdf"))
            .text("fileType", file_type.to_owned());
        self.authed(self.http.post(self.url("/api/files/upload")).multipart(form)).send().await.unwrap()
    }
}

/// The sections of a demo customer: a valid update body whose file ids exist.
pub fn demo_sections(customer_id: &str) -> UpdateCustomerRequest {
    kyb_sandbox::demo::customers().unwrap().into_iter().find(|c| c.customer_id == customer_id).unwrap().sections()
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

pub async fn json(response: Response) -> Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
}

/// The field paths of a 400 answer's `errors`.
pub fn fields(body: &Value) -> Vec<String> {
    body["errors"].as_array().map_or_else(Vec::new, |errors| {
        errors.iter().map(|e| e["field"].as_str().unwrap_or_default().to_owned()).collect()
    })
}

/// Poll the detail endpoint until the status is no longer Processing (or 10 s pass).
pub async fn wait_settled(sandbox: &Sandbox, customer_id: &str) -> Customer {
    let started = std::time::Instant::now();
    loop {
        let customer = sandbox.customer(customer_id).await;
        if customer.status.is_settled() || started.elapsed() > Duration::from_secs(10) {
            return customer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
