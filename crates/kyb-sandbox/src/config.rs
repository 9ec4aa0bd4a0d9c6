//! How a sandbox is started.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kyb_core::credentials::ApiCredentials;
use kyb_core::partner_profile::PartnerProfile;

use crate::personality::Personality;

/// Public demo key: the sandbox is a local development server, not a secret store.
pub const DEMO_API_KEY: &str = "sandbox-key";
/// Public demo secret.
pub const DEMO_API_SECRET: &str = "sandbox-secret";
/// Port of the partner API page's example URL.
pub const DEFAULT_PORT: u16 = 8083;

/// Everything [`crate::start`] needs.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Address to listen on; port 0 picks a free one (tests).
    pub bind: SocketAddr,
    /// Where customers, uploaded files and idempotency records are kept.
    pub data_dir: PathBuf,
    /// The only key and secret accepted.
    pub credentials: ApiCredentials,
    /// How long a submitted record stays `Processing`.
    pub settle_after: Duration,
    /// Seed the demo customers (and their documents) when the store is empty.
    pub seed_demo_customers: bool,
    /// How the sandbox answers (see [`Personality`]); `default` unless asked.
    pub personality: Personality,
    /// The partner profile the sandbox validates with: values outside its closed lists are
    /// refused (in the personality's error shape). The built-in profile unless asked.
    pub partner_profile: Arc<PartnerProfile>,
}

impl SandboxConfig {
    /// Defaults (127.0.0.1:8083, demo credentials, 3 s settling, demo data) with this data folder.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT)),
            data_dir: data_dir.into(),
            credentials: ApiCredentials { api_key: DEMO_API_KEY.to_owned(), api_secret: DEMO_API_SECRET.to_owned() },
            settle_after: Duration::from_secs(3),
            seed_demo_customers: true,
            personality: Personality::Default,
            partner_profile: PartnerProfile::shared_built_in(),
        }
    }

    /// For tests: a free loopback port, no demo data.
    pub fn for_tests(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            seed_demo_customers: false,
            settle_after: Duration::from_millis(200),
            ..Self::new(data_dir)
        }
    }
}
