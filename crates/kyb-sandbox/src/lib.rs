//! Partner-API sandbox: a real HTTP server that behaves like the partner (same endpoints, JSON
//! names, authentication, validation, asynchronous statuses) for development, demos and tests.
//! The CLI (`kyb sandbox`) and the desktop app start it in-process with [`start`].
//!
//! Endpoints (all need `X-API-Key` and `X-API-Secret`):
//! - `GET  /api/customers/detail?customer_id=…|partner_customer_id=…`
//! - `POST /api/customers/{customer_id}/update`
//! - `POST /api/customers/create`
//! - `POST /api/files/upload` (multipart `file` + `fileType`)
//! - `POST|GET /__sandbox/faults`, `GET /__sandbox/stats`, `GET /__sandbox/files/{file_id}`
//!   (sandbox control, see [`faults`] and [`Stats`])
//!
//! Behaviour worth knowing: bodies are parsed strictly and validated with `kyb_core::validation`;
//! every referenced file id must have been uploaded (`unknown_file`); updates and creates answer
//! `Processing` and settle after `settle_after` (see [`settle`] for the magic values that make a
//! record fail); `Idempotency-Key` makes a write apply once; updates of a Suspended customer are
//! refused with 409 `customer_suspended`. Data persists under `data_dir`. The `strict`
//! [`Personality`] answers exactly as the published partner page shows instead.

mod auth;
mod config;
pub mod demo;
mod error;
pub mod error_shape;
pub mod faults;
mod routes;
pub mod personality;
mod server;
pub mod settle;
mod state;
mod stats;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{SandboxConfig, DEFAULT_PORT, DEMO_API_KEY, DEMO_API_SECRET};
pub use error::SandboxError;
pub use error_shape::ErrorShape;
pub use faults::{FaultSettings, Faults};
pub use personality::{Personality, UnknownPersonality};
pub use routes::{MAX_FILE_BYTES, MAX_JSON_BYTES};
pub use stats::Stats;
pub use store::FileMeta;

/// Open (or create) the data folder, seed the demo data if asked and the store is empty,
/// bind, and serve in the background until [`SandboxHandle::shutdown`] (or the handle is dropped).
pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
    let mut store = store::Store::open(&config.data_dir).await?;
    if config.seed_demo_customers && store.is_empty() {
        demo::seed(&mut store, config.settle_after, config.personality).await?;
    }
    let listener =
        TcpListener::bind(config.bind).await.map_err(|source| SandboxError::Bind { addr: config.bind, source })?;
    let local_addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr: config.bind, source })?;
    let stats = store.stats.clone();
    let faults = Faults::default();
    let partner_profile = state::PartnerProfileSlot::new(config.partner_profile.clone());
    let state = state::AppState {
        store: Arc::new(tokio::sync::Mutex::new(store)),
        credentials: Arc::new(config.credentials.clone()),
        settle_after: config.settle_after,
        faults: faults.clone(),
        personality: config.personality,
        partner_profile: partner_profile.clone(),
    };
    let (shutdown, shutdown_rx) = watch::channel(false);
    let task = tokio::spawn(server::serve(listener, routes::router(state), shutdown_rx));
    tracing::info!(%local_addr, personality = %config.personality, data_dir = %config.data_dir.display(), "sandbox listening");
    Ok(SandboxHandle { local_addr, data_dir: config.data_dir, faults, stats, partner_profile, shutdown, task: Some(task) })
}

/// A running sandbox. Dropping it stops the server too (without waiting).
pub struct SandboxHandle {
    local_addr: SocketAddr,
    data_dir: PathBuf,
    faults: Faults,
    stats: Arc<Mutex<Stats>>,
    partner_profile: state::PartnerProfileSlot,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    /// Validate from now on with `profile` (the app's built-in environment got another one).
    pub fn set_partner_profile(&self, profile: Arc<kyb_core::partner_profile::PartnerProfile>) {
        self.partner_profile.set(profile);
    }

    /// The partner profile the sandbox validates with now.
    pub fn partner_profile(&self) -> Arc<kyb_core::partner_profile::PartnerProfile> {
        self.partner_profile.get()
    }

    /// e.g. `http://127.0.0.1:8083`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// Misbehaviour for the next calls (fail, delay, drop).
    pub fn faults(&self) -> Faults {
        self.faults.clone()
    }

    /// What the sandbox applied so far (persisted: counts survive restarts).
    pub fn stats(&self) -> Stats {
        self.stats.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Stop accepting, let open requests finish (up to 5 s), and return when the server is gone.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            if let Err(err) = task.await {
                tracing::warn!(error = %err, "sandbox server task ended abnormally");
            }
        }
    }
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle").field("local_addr", &self.local_addr).field("data_dir", &self.data_dir).finish()
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
