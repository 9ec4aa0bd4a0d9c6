//! `kyb server`: the team server (crates/kyb-server) until Ctrl-C, its keys, and the operator's
//! setting of an environment on the server's own host (audited as the operator; the partner
//! credentials come from the environment, never from arguments).

use std::path::Path;

use kyb_server::config::KeyBytes;
use kyb_server::environments::{self, EnvironmentSettings};
use kyb_server::ServerConfig;

use crate::error::CliError;

/// Serve until Ctrl-C.
pub async fn run(config: Option<&Path>) -> Result<u8, CliError> {
    let config = ServerConfig::load(config)?;
    if config.oidc.is_none() {
        eprintln!("warning: no [oidc] issuer configured: nobody can sign in (health and checkpoints only)");
    }
    let server = kyb_server::start(config).await?;
    println!("KYB Desk server on {} (health: {}/health); Ctrl-C stops it", server.base_url(), server.base_url());
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(0)
}

/// Print fresh keys for a configuration file.
pub fn keys() -> Result<u8, CliError> {
    println!("sealing_key = \"{}\"", KeyBytes::random().to_base64().as_str());
    println!("signing_key = \"{}\"", KeyBytes::random().to_base64().as_str());
    Ok(0)
}

/// Create or change an environment directly in the server's database, as the operator.
pub async fn set_environment(config: Option<&Path>, settings: EnvironmentSettings) -> Result<u8, CliError> {
    let config = ServerConfig::load(config)?;
    let pool = kyb_server::db::connect(&config).await?;
    let operator = format!("operator:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    environments::save(&pool, &operator, &settings).await?;
    let (key, secret) = (std::env::var("KYB_API_KEY").ok(), std::env::var("KYB_API_SECRET").ok());
    if let (Some(key), Some(secret)) = (key, secret) {
        environments::set_credentials(&pool, &config.sealing_key, &operator, &settings.name, &key, &secret).await?;
        println!("{}: saved, with partner credentials (sealed)", settings.name);
    } else {
        println!("{}: saved (no KYB_API_KEY/KYB_API_SECRET given: credentials unchanged, or dropped if the URL changed)", settings.name);
    }
    pool.close().await;
    Ok(0)
}
