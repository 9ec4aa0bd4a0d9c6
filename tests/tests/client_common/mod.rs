//! Shared by the `client_*` tests: a sandbox with canary credentials on 127.0.0.1:0, clients for
//! it, a raw TCP server for answers the sandbox never gives, and the "no secret" check.

use std::net::SocketAddr;
use std::time::Duration;

use kyb_core::client::{ClientConfig, ClientError, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::model::{CreateCustomerRequest, UpdateCustomerRequest};
use kyb_core::validation::{check_create, check_update, Validated, ValidationContext};
use kyb_sandbox::{SandboxConfig, SandboxHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Distinctive values: if they ever appear in an error message, a secret leaked.
pub const CANARY_KEY: &str = "canary-KEY-7f3a9e";
pub const CANARY_SECRET: &str = "canary-SECRET-b21c04";
pub const WRONG_KEY: &str = "wrong-canary-KEY-55d1";
pub const WRONG_SECRET: &str = "wrong-canary-SECRET-90ab";

pub const DEMO: &str = "cus_demo_0001";
pub const DEMO_PARTNER: &str = "P-1001";

pub fn canary() -> ApiCredentials {
    ApiCredentials { api_key: CANARY_KEY.into(), api_secret: CANARY_SECRET.into() }
}

pub fn wrong() -> ApiCredentials {
    ApiCredentials { api_key: WRONG_KEY.into(), api_secret: WRONG_SECRET.into() }
}

pub struct Sandbox {
    pub handle: SandboxHandle,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    /// Demo data, canary credentials, short settling.
    pub async fn start() -> Self {
        Self::start_as(kyb_sandbox::Personality::Default).await
    }

    /// [`Self::start`] playing `personality` (`Strict`: the partner exactly as published).
    pub async fn start_as(personality: kyb_sandbox::Personality) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = SandboxConfig {
            credentials: canary(),
            seed_demo_customers: true,
            settle_after: Duration::from_millis(300),
            personality,
            ..SandboxConfig::for_tests(dir.path())
        };
        Self { handle: kyb_sandbox::start(config).await.unwrap(), _dir: dir }
    }

    pub fn client(&self) -> PartnerClient {
        client_for(&self.handle.base_url(), canary(), Duration::from_secs(10))
    }

    pub fn client_with(&self, credentials: ApiCredentials, timeout: Duration) -> PartnerClient {
        client_for(&self.handle.base_url(), credentials, timeout)
    }
}

pub fn client_for(base_url: &str, credentials: ApiCredentials, timeout: Duration) -> PartnerClient {
    let config = ClientConfig { timeout, ..ClientConfig::new(base_url.parse().unwrap(), credentials) };
    PartnerClient::new(config).unwrap()
}

/// A demo customer's sections, validated (the client only sends validated bodies).
pub fn valid_update(customer_id: &str) -> Validated<UpdateCustomerRequest> {
    check_update(sections(customer_id), &ValidationContext::now()).unwrap_or_else(|issues| panic!("{issues:#?}"))
}

pub fn sections(customer_id: &str) -> UpdateCustomerRequest {
    kyb_sandbox::demo::customers().unwrap().into_iter().find(|c| c.customer_id == customer_id).unwrap().sections()
}

pub fn valid_create(partner_customer_id: &str) -> Validated<CreateCustomerRequest> {
    let body = CreateCustomerRequest::from_sections(Some(partner_customer_id.into()), sections(DEMO));
    check_create(body, &ValidationContext::now()).unwrap_or_else(|issues| panic!("{issues:#?}"))
}

/// Neither the Display nor the Debug form, nor the JSON form, contains any canary value.
pub fn assert_no_secret(err: &ClientError) {
    let shown = format!("{err} | {err:?} | {}", serde_json::to_string(err).unwrap());
    for secret in [CANARY_KEY, CANARY_SECRET, WRONG_KEY, WRONG_SECRET] {
        assert!(!shown.contains(secret), "{secret} leaked in: {shown}");
    }
}

/// A one-shot-per-connection HTTP server that answers every request with `answer(request_text)`
/// (raw bytes, status line included) and closes the connection.
pub async fn raw_server(answer: fn(&str) -> Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let request = read_request(&mut stream).await;
                let _ = stream.write_all(&answer(&request)).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    addr
}

/// Headers and (by Content-Length) body of one request.
async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&data).into_owned()
}

/// An HTTP/1.1 answer with a body.
pub fn http_answer(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
