//! `kyb sandbox`: the partner-API sandbox until Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kyb_core::credentials::ApiCredentials;
use kyb_core::partner_profile::PartnerProfile;
use kyb_sandbox::{Personality, SandboxConfig};

use crate::error::CliError;

pub const ENV_SANDBOX_KEY: &str = "KYB_SANDBOX_API_KEY";
pub const ENV_SANDBOX_SECRET: &str = "KYB_SANDBOX_API_SECRET";

pub async fn run(
    port: u16,
    data_dir: Option<PathBuf>,
    settle_after_ms: u64,
    personality: Personality,
    partner_profile: Arc<PartnerProfile>,
) -> Result<u8, CliError> {
    let data_dir = data_dir.unwrap_or_else(default_data_dir);
    let credentials = ApiCredentials {
        api_key: std::env::var(ENV_SANDBOX_KEY).unwrap_or_else(|_| kyb_sandbox::DEMO_API_KEY.to_owned()),
        api_secret: std::env::var(ENV_SANDBOX_SECRET).unwrap_or_else(|_| kyb_sandbox::DEMO_API_SECRET.to_owned()),
    };
    let config = SandboxConfig {
        bind: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        data_dir: data_dir.clone(),
        credentials,
        settle_after: Duration::from_millis(settle_after_ms),
        seed_demo_customers: true,
        personality,
        partner_profile,
    };
    let handle = kyb_sandbox::start(config)
        .await
        .map_err(|err| CliError::Usage(format!("cannot start the sandbox: {err}")))?;
    eprintln!(
        "sandbox ({personality}, partner profile {}) listening on {} (data in {}); Ctrl-C to stop",
        handle.partner_profile().label(),
        handle.base_url(),
        data_dir.display()
    );
    tokio::signal::ctrl_c().await?;
    handle.shutdown().await;
    Ok(0)
}

fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("kyb-desk").join("sandbox")
}
