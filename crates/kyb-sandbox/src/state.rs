//! What every handler shares.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use kyb_core::credentials::ApiCredentials;
use kyb_core::partner_profile::PartnerProfile;
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
    /// The partner profile requests are validated with (the app changes it when the built-in
    /// environment's profile changes).
    pub partner_profile: PartnerProfileSlot,
}

/// The sandbox's current partner profile, replaceable while it runs.
#[derive(Clone)]
pub struct PartnerProfileSlot(Arc<std::sync::RwLock<Arc<PartnerProfile>>>);

impl PartnerProfileSlot {
    pub fn new(profile: Arc<PartnerProfile>) -> Self {
        Self(Arc::new(std::sync::RwLock::new(profile)))
    }

    pub fn get(&self) -> Arc<PartnerProfile> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn set(&self, profile: Arc<PartnerProfile>) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = profile;
    }

    /// A validation context for today with the current profile.
    pub fn validation_context(&self) -> kyb_core::validation::ValidationContext {
        kyb_core::validation::ValidationContext::now_with(self.get())
    }
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
