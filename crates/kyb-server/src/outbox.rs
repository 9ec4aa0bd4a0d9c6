//! The server's outbox worker, safe with several instances on one database: an entry is claimed
//! by one instance (`FOR UPDATE SKIP LOCKED`) for a lease; an instance that stops mid-send leaves
//! its claim to expire, and whoever claims the entry next knows the change may have reached the
//! partner. The exactly-once rules are the desktop's (kyb-core): before resending a change whose
//! outcome is unknown, ask the partner whether it already holds it; a create is looked up by its
//! `partner_customer_id`; an update whose customer changed at the partner since the draft began
//! is not sent over the newer data (it waits as a conflict).

use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};
use sqlx::{PgPool, Row};
use uuid::Uuid;

use kyb_core::client::{ClientConfig, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::drafts::DraftTarget;
use kyb_core::outbox::{check_body, fetch_current, find_created, holds, problems_from_error, problems_from_issues, send_body, Held, RetryPolicy, SendBody};
use kyb_core::validation::ValidationContext;

use crate::config::KeyBytes;
use crate::environments;
use crate::error::ServerError;

/// How long a claim lasts: longer than any one send (the client's timeouts are shorter).
const LEASE: Duration = Duration::from_secs(120);

/// One claimed entry.
struct Claimed {
    id: Uuid,
    environment: String,
    target: DraftTarget,
    base_record: Value,
    record: Value,
    attempts: i32,
    outcome_unknown: bool,
}

/// How one attempt ended.
enum Settled {
    Sent { customer_id: String },
    Rejected(Value),
    Conflict(Value),
    Failed(Value),
    Retry { error: Value, after: Duration, outcome_unknown: bool },
}

/// Claim the next due entry (or one whose claim expired) for `instance`, and send it. `Ok(None)`
/// when nothing is due.
pub async fn send_next(pool: &PgPool, sealing_key: &KeyBytes, instance: &str) -> Result<Option<Uuid>, ServerError> {
    let Some(claimed) = claim(pool, instance).await? else { return Ok(None) };
    let settled = attempt(pool, sealing_key, &claimed).await;
    finish(pool, &claimed, instance, settled).await?;
    Ok(Some(claimed.id))
}

/// The instance's worker: send what is due, then wait `interval`; a database error is logged and
/// the loop goes on (the next round retries).
pub async fn run(pool: PgPool, sealing_key: KeyBytes, instance: String, interval: Duration) {
    loop {
        match drain(&pool, &sealing_key, &instance).await {
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "outbox round failed"),
        }
        tokio::time::sleep(interval).await;
    }
}

/// Send until nothing is due (tests and the `drain` of a stopping server).
pub async fn drain(pool: &PgPool, sealing_key: &KeyBytes, instance: &str) -> Result<usize, ServerError> {
    let mut sent = 0;
    while send_next(pool, sealing_key, instance).await?.is_some() {
        sent += 1;
    }
    Ok(sent)
}

async fn claim(pool: &PgPool, instance: &str) -> Result<Option<Claimed>, ServerError> {
    let row = sqlx::query(
        "WITH next AS (
             SELECT id, state FROM outbox
             WHERE (state = 'queued' AND not_before <= now()) OR (state = 'sending' AND claimed_until < now())
             ORDER BY queued_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE outbox o SET state = 'sending', claimed_by = $1, claimed_until = now() + make_interval(secs => $2),
             attempts = o.attempts + 1, outcome_unknown = o.outcome_unknown OR next.state = 'sending'
         FROM next WHERE o.id = next.id
         RETURNING o.id, o.environment, o.target, o.base_record, o.record, o.attempts, o.outcome_unknown",
    )
    .bind(instance)
    .bind(LEASE.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let target: Value = row.try_get("target")?;
    Ok(Some(Claimed {
        id: row.try_get("id")?,
        environment: row.try_get("environment")?,
        target: serde_json::from_value(target).map_err(|_| ServerError::NotFound("a readable outbox target".into()))?,
        base_record: row.try_get("base_record")?,
        record: row.try_get("record")?,
        attempts: row.try_get("attempts")?,
        outcome_unknown: row.try_get("outcome_unknown")?,
    }))
}

async fn attempt(pool: &PgPool, sealing_key: &KeyBytes, entry: &Claimed) -> Settled {
    let client = match client_for(pool, sealing_key, &entry.environment).await {
        Ok(client) => client,
        Err(message) => return Settled::Failed(json!({"kind": "credentials_missing", "message": message})),
    };
    let body = match check_body(&entry.target, &entry.record, &ValidationContext::now()) {
        Ok(body) => body,
        Err(issues) => return Settled::Rejected(json!({"kind": "invalid_input", "problems": problems_from_issues(&issues)})),
    };
    // Before sending: has an earlier attempt already applied it, and is the partner's record
    // still the one the draft started from?
    match (&body, &entry.target) {
        (SendBody::Create(_), DraftTarget::Create { partner_customer_id }) if entry.outcome_unknown => {
            match find_created(&client, partner_customer_id).await {
                Ok(Some(customer)) if holds(&customer, &body, None) != Held::No => {
                    return Settled::Sent { customer_id: customer.customer_id };
                }
                Ok(Some(customer)) => {
                    return Settled::Conflict(json!({"kind": "conflict", "message": format!(
                        "the partner already has customer {} with partner_customer_id {partner_customer_id} and other details", customer.customer_id)}));
                }
                Ok(None) => {}
                Err(err) => return retry_or_fail(&err, entry, true),
            }
        }
        (SendBody::Update { customer_id, .. }, _) => match fetch_current(&client, customer_id).await {
            Ok((customer, current)) => {
                if entry.outcome_unknown && holds(&customer, &body, Some(&entry.base_record)) == Held::Yes {
                    return Settled::Sent { customer_id: customer.customer_id };
                }
                if current != entry.base_record {
                    return Settled::Conflict(json!({"kind": "conflict", "message":
                        "the customer changed at the partner since this draft began: review the differences before sending"}));
                }
            }
            Err(err) => return retry_or_fail(&err, entry, entry.outcome_unknown),
        },
        _ => {}
    }
    match send_body(&client, &body, &entry.id.to_string()).await {
        Ok(customer) => Settled::Sent { customer_id: customer.customer_id },
        Err(err) => match problems_from_error(&err) {
            Some(problems) => Settled::Rejected(json!({"kind": err.kind(), "message": err.to_string(), "problems": problems})),
            // A timeout or a dropped connection may come after the partner applied the change.
            None => retry_or_fail(&err, entry, matches!(err.kind(), kyb_core::error::ErrorKind::Timeout | kyb_core::error::ErrorKind::Network | kyb_core::error::ErrorKind::Server)),
        },
    }
}

fn retry_or_fail(err: &kyb_core::client::ClientError, entry: &Claimed, may_have_left: bool) -> Settled {
    let error = json!({"kind": err.kind(), "message": err.to_string()});
    if !err.is_retryable() {
        return Settled::Failed(error);
    }
    let retry_after = match err {
        kyb_core::client::ClientError::RateLimited { retry_after } => *retry_after,
        _ => None,
    };
    let after = RetryPolicy::default().delay(entry.attempts.max(1) as u32, retry_after);
    Settled::Retry { error, after, outcome_unknown: may_have_left || entry.outcome_unknown }
}

pub(crate) async fn client_for(pool: &PgPool, sealing_key: &KeyBytes, environment: &str) -> Result<PartnerClient, String> {
    let url: String = sqlx::query_scalar("SELECT base_url FROM environments WHERE name = $1")
        .bind(environment)
        .fetch_one(pool)
        .await
        .map_err(|_| format!("environment {environment} is gone"))?;
    let credentials = environments::credentials_for_sending(pool, sealing_key, environment)
        .await
        .map_err(|err| err.to_string())?
        .ok_or_else(|| format!("environment {environment} has no partner credentials: an admin must set them"))?;
    let base_url = kyb_core::client::parse_base_url(&url).map_err(|err| err.to_string())?;
    let config = ClientConfig::new(
        base_url,
        ApiCredentials { api_key: credentials.api_key.to_string(), api_secret: credentials.api_secret.to_string() },
    );
    PartnerClient::new(config).map_err(|err| err.to_string())
}

/// Record how the attempt ended, if this instance still holds the claim.
async fn finish(pool: &PgPool, entry: &Claimed, instance: &str, settled: Settled) -> Result<(), ServerError> {
    let now = Utc::now();
    let (state, customer_id, error, not_before, unknown) = match settled {
        Settled::Sent { customer_id } => ("sent", Some(customer_id), None, now, false),
        Settled::Rejected(error) => ("rejected", None, Some(error), now, false),
        Settled::Conflict(error) => ("conflict", None, Some(error), now, false),
        Settled::Failed(error) => ("failed", None, Some(error), now, entry.outcome_unknown),
        Settled::Retry { error, after, outcome_unknown } => {
            ("queued", None, Some(error), now + chrono::Duration::from_std(after).unwrap_or_default(), outcome_unknown)
        }
    };
    let settled_at = (state != "queued").then_some(now);
    sqlx::query(
        "UPDATE outbox SET state = $3, customer_id = COALESCE($4, customer_id), last_error = $5, not_before = $6,
             outcome_unknown = $7, settled_at = $8, claimed_by = NULL, claimed_until = NULL
         WHERE id = $1 AND claimed_by = $2",
    )
    .bind(entry.id)
    .bind(instance)
    .bind(state)
    .bind(customer_id)
    .bind(error)
    .bind(not_before)
    .bind(unknown)
    .bind(settled_at)
    .execute(pool)
    .await?;
    Ok(())
}
