//! The connection pool and the migrations (embedded in the binary, applied at start).

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::ConnectOptions as _;

use crate::config::ServerConfig;
use crate::error::ServerError;

/// The schema, from `crates/kyb-server/migrations`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Apply the migrations (as the admin role when one is configured), then connect as the
/// server's own role.
pub async fn connect(config: &ServerConfig) -> Result<PgPool, ServerError> {
    let admin_url = config.admin_database_url.as_deref().unwrap_or(&config.database_url);
    let admin = pool(admin_url, 1).await?;
    MIGRATOR.run(&admin).await?;
    admin.close().await;
    pool(&config.database_url, 10).await
}

async fn pool(url: &str, max: u32) -> Result<PgPool, ServerError> {
    let options: PgConnectOptions = url
        .parse()
        .map_err(|_| ServerError::Config(format!("database URL is not a PostgreSQL URL: {}", crate::config::redact_url(url))))?;
    // Statements are logged at debug only: their parameters may be personal data.
    let options = options.log_statements(tracing::log::LevelFilter::Debug);
    Ok(PgPoolOptions::new().max_connections(max).connect_with(options).await?)
}
