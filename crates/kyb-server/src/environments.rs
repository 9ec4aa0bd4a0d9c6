//! The team's partner environments and their credentials. Every change is written with its audit
//! entry in one transaction: the change and its record commit together or not at all. The
//! credentials are sealed ([`crate::sealing`]) and only [`credentials_for_sending`] opens them,
//! for the server's own calls to the partner; no answer of the server ever carries them.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgPool, Row};
use zeroize::Zeroizing;

use crate::audit;
use crate::config::KeyBytes;
use crate::error::ServerError;
use crate::sealing::{self, Sealed};

/// What an admin sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentSettings {
    pub name: String,
    pub base_url: String,
    pub requires_approval: bool,
    pub is_production: bool,
}

/// What anyone signed in may see: never the credentials, only whether there are some.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvironmentView {
    #[serde(flatten)]
    pub settings: EnvironmentSettings,
    pub has_credentials: bool,
}

/// The partner credentials, opened for one call; wiped when dropped.
pub struct PartnerCredentials {
    pub api_key: Zeroizing<String>,
    pub api_secret: Zeroizing<String>,
}

impl std::fmt::Debug for PartnerCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PartnerCredentials(<redacted>)")
    }
}

/// Create or change an environment, audited as `actor`.
pub async fn save(pool: &PgPool, actor: &str, settings: &EnvironmentSettings) -> Result<(), ServerError> {
    let name = settings.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServerError::Config("an environment's name must be 1 to 100 characters".into()));
    }
    let mut tx = pool.begin().await?;
    audit::append(&mut tx, actor, "environment_saved", &json!(settings)).await?;
    sqlx::query(
        "INSERT INTO environments (name, base_url, requires_approval, is_production, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET base_url = EXCLUDED.base_url,
             requires_approval = EXCLUDED.requires_approval, is_production = EXCLUDED.is_production,
             updated_at = EXCLUDED.updated_at,
             -- Credentials belong to their URL: a new URL drops them.
             credentials_nonce = CASE WHEN environments.base_url = EXCLUDED.base_url THEN environments.credentials_nonce END,
             credentials_ciphertext = CASE WHEN environments.base_url = EXCLUDED.base_url THEN environments.credentials_ciphertext END",
    )
    .bind(name)
    .bind(&settings.base_url)
    .bind(settings.requires_approval)
    .bind(settings.is_production)
    .bind(Utc::now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Store an environment's partner credentials, sealed; audited without their values.
pub async fn set_credentials(pool: &PgPool, key: &KeyBytes, actor: &str, name: &str, api_key: &str, api_secret: &str) -> Result<(), ServerError> {
    let plaintext = Zeroizing::new(serde_json::to_vec(&json!({"api_key": api_key, "api_secret": api_secret})).unwrap_or_default());
    let sealed = sealing::seal(key, name, &plaintext);
    let mut tx = pool.begin().await?;
    audit::append(&mut tx, actor, "credentials_set", &json!({"environment": name})).await?;
    let changed = sqlx::query("UPDATE environments SET credentials_nonce = $2, credentials_ciphertext = $3, updated_at = $4 WHERE name = $1")
        .bind(name)
        .bind(&sealed.nonce)
        .bind(&sealed.ciphertext)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(ServerError::NotFound(format!("environment {name}")));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn list(pool: &PgPool) -> Result<Vec<EnvironmentView>, ServerError> {
    let rows = sqlx::query(
        "SELECT name, base_url, requires_approval, is_production, credentials_ciphertext IS NOT NULL AS has_credentials
         FROM environments ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(EnvironmentView {
                settings: EnvironmentSettings {
                    name: row.try_get("name")?,
                    base_url: row.try_get("base_url")?,
                    requires_approval: row.try_get("requires_approval")?,
                    is_production: row.try_get("is_production")?,
                },
                has_credentials: row.try_get("has_credentials")?,
            })
        })
        .collect()
}

/// Open an environment's credentials for the server's own call to the partner.
pub async fn credentials_for_sending(pool: &PgPool, key: &KeyBytes, name: &str) -> Result<Option<PartnerCredentials>, ServerError> {
    let row = sqlx::query("SELECT credentials_nonce, credentials_ciphertext FROM environments WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("environment {name}")))?;
    let (Some(nonce), Some(ciphertext)) = (row.try_get::<Option<Vec<u8>>, _>("credentials_nonce")?, row.try_get::<Option<Vec<u8>>, _>("credentials_ciphertext")?)
    else {
        return Ok(None);
    };
    let plaintext = sealing::open(key, name, &Sealed { nonce, ciphertext })?;
    #[derive(Deserialize)]
    struct Stored {
        api_key: String,
        api_secret: String,
    }
    let stored: Stored = serde_json::from_slice(&plaintext).map_err(|_| ServerError::Unsealing(name.to_owned()))?;
    Ok(Some(PartnerCredentials { api_key: Zeroizing::new(stored.api_key), api_secret: Zeroizing::new(stored.api_secret) }))
}
