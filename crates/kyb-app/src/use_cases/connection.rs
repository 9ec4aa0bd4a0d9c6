//! "Test connection" in Settings: one harmless authenticated request to an environment, and
//! what its answer means, in words.

use kyb_core::client::{ClientError, CustomerLookup};
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
use crate::state::AppState;

/// A customer id of the partner's shape that no real customer has: asking for it reads nothing
/// and changes nothing, and a 404 proves the request was authenticated.
pub const PROBE_CUSTOMER_ID: &str = "cus_kybdesk_connection_check";

/// What the test found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConnectionOutcome {
    /// The partner answered and accepted the key and secret.
    CredentialsAccepted,
    /// The partner answered 401 or 403.
    CredentialsRefused,
    /// No key and secret are stored for the environment.
    NoCredentials,
    /// No answer: the connection failed or timed out.
    Unreachable,
    /// An answer the test cannot read as either (a server error, a strange status).
    UnexpectedAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConnectionTest {
    pub environment: String,
    pub outcome: ConnectionOutcome,
    /// The outcome in a sentence, for people.
    pub message: String,
}

/// `GET /api/customers/detail?customer_id=<an id nobody has>` with the environment's credentials.
pub async fn test_connection(
    state: &AppState,
    environment: &str,
) -> Result<ConnectionTest, AppError> {
    let name = super::required("environment", environment)?;
    let Some(environment) = state.environment(&name).await else {
        return Err(AppError::invalid_input(
            "environment",
            format!("there is no environment named {name:?}"),
        ));
    };
    let host = environment.host();
    let (outcome, message) = match state.client_for(&environment).await {
        Err(AppError::CredentialsMissing { .. }) => (
            ConnectionOutcome::NoCredentials,
            format!("No API key and secret are stored for {}; set them first.", environment.name),
        ),
        Err(err) => return Err(err),
        Ok(client) => match client.get_customer(&CustomerLookup::CustomerId(PROBE_CUSTOMER_ID.to_owned())).await {
            Ok(_) | Err(ClientError::NotFound { .. }) => (
                ConnectionOutcome::CredentialsAccepted,
                format!("Connected to {host}: the partner answered and accepted the API key and secret."),
            ),
            Err(ClientError::Unauthorized { status }) => (
                ConnectionOutcome::CredentialsRefused,
                format!("{host} answered, but refused the API key and secret (HTTP {status}); store them again."),
            ),
            Err(err) if err.kind().is_offline() => (
                ConnectionOutcome::Unreachable,
                format!("{host} could not be reached: {err}"),
            ),
            Err(err) => (ConnectionOutcome::UnexpectedAnswer, format!("{host} answered unexpectedly: {err}")),
        },
    };
    Ok(ConnectionTest {
        environment: environment.name,
        outcome,
        message,
    })
}
