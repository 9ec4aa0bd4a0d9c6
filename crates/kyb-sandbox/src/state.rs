//! What every handler shares.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use kyb_core::credentials::ApiCredentials;
use tokio::sync::Mutex;

use crate::faults::Faults;
use crate::personality::Personality;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    /// One lock for all data: a change and its write to disk are one step, and a repeated
    /// idempotency key can never be applied twice concurrently.
    pub store: Arc<Mutex<Store>>,
    pub credentials: Arc<ApiCredentials>,
    pub settle_after: Duration,
    pub faults: Faults,
    pub personality: Personality,
}

impl FromRef<AppState> for Personality {
    fn from_ref(state: &AppState) -> Self {
        state.personality
    }
}

impl FromRef<AppState> for Faults {
    fn from_ref(state: &AppState) -> Self {
        state.faults.clone()
    }
}

impl FromRef<AppState> for Arc<ApiCredentials> {
    fn from_ref(state: &AppState) -> Self {
        state.credentials.clone()
    }
}
