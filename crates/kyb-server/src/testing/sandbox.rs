//! The partner sandbox a test's team server sends to: on a free loopback port, its six demo
//! customers, settling after 200 ms, with the given credentials.

use std::path::Path;
use std::time::Duration;

use kyb_core::credentials::ApiCredentials;
use kyb_sandbox::{SandboxConfig, SandboxHandle};

pub async fn partner_sandbox(data_dir: &Path, api_key: &str, api_secret: &str) -> SandboxHandle {
    kyb_sandbox::start(SandboxConfig {
        bind: "127.0.0.1:0".parse().expect("address"),
        data_dir: data_dir.to_path_buf(),
        credentials: ApiCredentials { api_key: api_key.to_owned(), api_secret: api_secret.to_owned() },
        settle_after: Duration::from_millis(200),
        seed_demo_customers: true,
        personality: kyb_sandbox::Personality::Default,
        partner_profile: kyb_core::partner_profile::PartnerProfile::shared_built_in(),
    })
    .await
    .expect("the partner sandbox starts")
}
