//! A real app state over a real in-process sandbox on a free loopback port, with temporary config
//! and data folders, its own keychain services and a fast outbox worker, driven by calling the
//! use cases directly (as the desktop shell's commands, the CLI and the server do).

use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use kyb_app::state::LoadedCustomer;
use kyb_app::use_cases::customers::{CustomerLookupInput, LookupBy};
use kyb_app::use_cases::{drafts, outbox, profiles, session};
use kyb_app::{AppError, AppState, ErrorKind, StateConfig};
use kyb_core::credentials::CredentialStore;
use kyb_core::drafts::{Draft, DraftBase, DraftSave, DraftTarget};
use kyb_core::environments::EnvironmentInput;
use kyb_core::outbox::{OutboxEntry, OutboxState};
use kyb_core::sealed::KeychainKeyStore;
use serde_json::Value;

pub const AMOUNT: &str = "estimated_monthly_revenue_amount";

/// The profile an app acts as unless told otherwise.
pub const OFFICER: &str = "Olivia Officer";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// How a test app starts.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Start the outbox worker (as the app does).
    pub worker: bool,
    /// The profile chosen at start (as the officer does in the app), if any.
    pub profile: Option<&'static str>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            worker: true,
            profile: Some(OFFICER),
        }
    }
}

pub struct TestApp {
    pub state: Arc<AppState>,
    pub dir: tempfile::TempDir,
    pub keychain_service: String,
    /// States replaced by `restart`, kept idle until the test ends (as a stopped app's would be).
    retired: Vec<Arc<AppState>>,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with(Options::default()).await
    }

    pub async fn with(options: Options) -> Self {
        Self::with_config(options, |_| {}).await
    }

    /// [`Self::with`], with `adjust` applied to the test configuration first (another sandbox
    /// personality, a shorter follow limit).
    pub async fn with_config(options: Options, adjust: impl FnOnce(&mut StateConfig)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let keychain_service = format!(
            "kyb-app-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut config = Self::config(dir.path(), &keychain_service);
        adjust(&mut config);
        let state = Self::start_with(config, options).await;
        Self {
            state,
            dir,
            keychain_service,
            retired: Vec::new(),
        }
    }

    /// The configuration every test app uses on `dir`: its own keychain services (credentials and
    /// the drafts' sealing key), a fast-settling sandbox, a fast worker, exports into `dir/exports`.
    pub fn config(dir: &Path, keychain_service: &str) -> StateConfig {
        let mut config = StateConfig::new(dir.join("config"), dir.join("data"));
        config.credentials = CredentialStore::with_service(keychain_service);
        config.drafts_key = KeychainKeyStore::with_service(format!("{keychain_service}-drafts"));
        config.team_tokens = kyb_app::team::TokenStore::new(keychain_service);
        config.sandbox_port = 0;
        config.sandbox_settle_after = Duration::from_millis(300);
        config.export_dir = Some(dir.join("exports"));
        config.downloads_dir = None;
        config.worker_interval = Duration::from_millis(100);
        config.probe_interval = Duration::from_millis(300);
        config.retry_policy.base = Duration::from_millis(50);
        config.retry_policy.max_delay = Duration::from_millis(200);
        config
    }

    async fn start(dir: &Path, keychain_service: &str, options: Options) -> Arc<AppState> {
        Self::start_with(Self::config(dir, keychain_service), options).await
    }

    async fn start_with(config: StateConfig, options: Options) -> Arc<AppState> {
        let state = Arc::new(
            AppState::start(config)
                .await
                .expect("state starts"),
        );
        if options.worker {
            kyb_app::worker::spawn(state.clone(), &tokio::runtime::Handle::current());
        }
        if let Some(name) = options.profile {
            profiles::choose_profile(&state, name)
                .await
                .expect("profile chosen");
        }
        state
    }

    /// Stop this app's worker and start a new state on the same folders and keychain services, as
    /// a restart of the app would (the old state is left idle).
    pub async fn restart(&mut self, options: Options) {
        self.state
            .worker()
            .stop_and_wait(Duration::from_secs(10))
            .await;
        // As the app does on exit: the new state takes the data folder over.
        self.state.release_data_folder();
        let state = Self::start(self.dir.path(), &self.keychain_service, options).await;
        let old = std::mem::replace(&mut self.state, state);
        self.retired.push(old);
    }

    /// Whether a real keychain is reachable (required under scripts/test.sh: KYB_REQUIRE_KEYRING).
    pub fn keychain(&self) -> bool {
        keychain_available(&self.keychain_service)
    }

    pub fn sandbox_url(&self) -> String {
        self.state.sandbox().expect("sandbox runs").base_url()
    }

    /// The built-in sandbox's count of applied updates for `customer_id`.
    pub fn applied_updates(&self, customer_id: &str) -> u64 {
        self.state
            .sandbox()
            .expect("sandbox runs")
            .stats()
            .updates_for(customer_id)
    }

    /// A demo customer of the active environment, as the editor opens it.
    pub async fn open(&self, customer_id: &str) -> LoadedCustomer {
        let lookup = CustomerLookupInput {
            by: LookupBy::CustomerId,
            value: customer_id.to_owned(),
        };
        kyb_app::use_cases::customers::open_customer(&self.state, lookup)
            .await
            .unwrap_or_else(|err| panic!("open {customer_id}: {err}"))
    }

    /// The editable record of `customer_id` as the page types it (amounts as strings).
    pub async fn record(&self, customer_id: &str) -> Value {
        page_record(&self.open(customer_id).await)
    }

    /// A `DraftSave` for an update of the loaded customer in the active environment, with `record`
    /// as typed and the loaded customer as its base.
    pub async fn update_save(&self, loaded: &LoadedCustomer, record: &Value) -> DraftSave {
        let environment = session::get_session(&self.state)
            .await
            .expect("session")
            .active;
        DraftSave {
            id: None,
            environment,
            target: DraftTarget::Update {
                customer_id: loaded.customer.customer_id.clone(),
            },
            base: Some(DraftBase {
                record: page_record(loaded),
                partner_customer_id: loaded.customer.partner_customer_id.clone(),
                status: Some(
                    json_of(&loaded.customer.status)
                        .as_str()
                        .expect("status text")
                        .to_owned(),
                ),
                fetched_at: loaded.fetched_at,
            }),
            record: record.clone(),
            editor: None,
        }
    }

    /// Open `customer_id`, apply `edit` to its record and save it as a draft; the stored draft.
    pub async fn draft_with(&self, customer_id: &str, edit: impl FnOnce(&mut Value)) -> Draft {
        let loaded = self.open(customer_id).await;
        let mut record = page_record(&loaded);
        edit(&mut record);
        let save = self.update_save(&loaded, &record).await;
        drafts::save_draft(&self.state, save)
            .await
            .expect("draft saved")
    }

    /// The active environment's outbox entry `id`, as `outbox_status` lists it.
    pub async fn entry(&self, id: &str) -> OutboxEntry {
        let status = outbox::outbox_status(&self.state)
            .await
            .expect("outbox status");
        status
            .entries
            .into_iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("no entry {id}"))
    }

    /// Wait until entry `id` is in `state` (e.g. "sent"); the entry then.
    pub async fn wait_for_state(&self, id: &str, state: &str) -> OutboxEntry {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let entry = self.entry(id).await;
            if state_name(&entry.state) == state {
                return entry;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "entry {id} never became {state}: {entry:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Save an environment pointed at this app's sandbox and make it active. It does not require
    /// four-eyes approval (review.rs covers environments that do).
    pub async fn add_environment(&self, name: &str, production: bool) -> kyb_app::state::Session {
        let input = EnvironmentInput {
            name: name.to_owned(),
            base_url: self.sandbox_url(),
            colour: "#c62828".to_owned(),
            is_production: production,
            requires_approval: Some(false),
        };
        session::save_environment(&self.state, input)
            .await
            .expect("environment saved");
        session::select_environment(&self.state, name)
            .await
            .expect("environment selected")
    }

    /// Store the sandbox's demo credentials for `environment`.
    pub async fn demo_credentials(&self, environment: &str) {
        session::set_credentials(
            &self.state,
            environment,
            kyb_sandbox::DEMO_API_KEY,
            kyb_sandbox::DEMO_API_SECRET,
        )
        .await
        .expect("credentials stored");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Leave nothing in the test keychain.
        if keychain_available(&self.keychain_service) {
            let store = CredentialStore::with_service(&self.keychain_service);
            for name in ["Wrong", "Prod", "Staging", "Canary", "Other"] {
                let _ = store.delete(name);
            }
            let _ = KeychainKeyStore::with_service(format!("{}-drafts", self.keychain_service))
                .delete();
        }
    }
}

/// Poll `check` every 50 ms until it holds (up to `limit`); panics naming `what` otherwise.
pub async fn wait_until<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + limit;
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The editable record of a loaded customer as the page types it: amounts as exact strings.
pub fn page_record(loaded: &LoadedCustomer) -> Value {
    serde_json::to_value(kyb_app::page_values::ForPage(&loaded.record)).expect("record as JSON")
}

/// Any serializable value as JSON, to look into nested partner records.
pub fn json_of<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializable")
}

/// The name of an outbox state, as the page sees it (`queued`, `sent`, ...).
pub fn state_name(state: &OutboxState) -> &'static str {
    state.name()
}

/// The error of a call that must fail, checking its kind and that it explains itself.
#[track_caller]
pub fn expect_err<T: std::fmt::Debug>(result: Result<T, AppError>, kind: ErrorKind) -> AppError {
    match result {
        Ok(answer) => panic!("succeeded ({answer:?}); expected {kind:?}"),
        Err(err) => {
            assert_eq!(err.kind(), kind, "{err:?}");
            assert!(!err.to_string().is_empty(), "{err:?}");
            err
        }
    }
}

/// The `invalid_input` error of a call that must fail on argument `field`.
#[track_caller]
pub fn expect_invalid<T: std::fmt::Debug>(result: Result<T, AppError>, field: &str) -> AppError {
    let err = expect_err(result, ErrorKind::InvalidInput);
    assert_eq!(err.body().field.as_deref(), Some(field), "{err:?}");
    err
}

/// A small real PNG (1×1, RGBA), as a reviewer's viewer would show it.
pub fn png_bytes() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

pub use kyb_app::testing::{all_text_under, in_child_process, keychain_available};
