//! The test set-up shared by the submission tests: the real `kyb` binary, a real sandbox on a
//! loopback port (and its own count of what it applied), and the desktop app's state in temporary
//! folders with the real keychain (a D-Bus session, as scripts/test.sh runs them): the
//! environments, credentials and profiles are set up through the app's use cases, and what a
//! command did is read back the same way (outbox, audit trail).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use kyb_app::use_cases::{profiles, session};
use kyb_app::{AppState, StateConfig};
use kyb_core::client::{ClientConfig, PartnerClient};
use kyb_core::credentials::{ApiCredentials, CredentialStore};
use kyb_core::environments::EnvironmentInput;
use kyb_core::outbox::OutboxEntry;
use kyb_core::sealed::KeychainKeyStore;
use kyb_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::Value;

pub(crate) const CLI: &str = env!("CARGO_BIN_EXE_kyb");
pub(crate) const KEY: &str = "batch-key";
pub(crate) const SECRET: &str = "batch-secret";
pub(crate) const ACME: &str = "cus_demo_0001";
pub(crate) const NORD: &str = "cus_demo_0002";
pub(crate) const PREPARER: &str = "Olivia Officer";
pub(crate) const REVIEWER: &str = "Rita Reviewer";
/// An app environment on the test's sandbox, without four-eyes; the app's active one.
pub(crate) const PARTNER: &str = "Partner";
/// An app environment on the same sandbox that requires a four-eyes approval.
pub(crate) const GUARDED: &str = "Guarded";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The test's sandbox and a desktop app's folders and keychain services.
pub(crate) struct Desk {
    pub(crate) server: SandboxHandle,
    dir: tempfile::TempDir,
    keychain_service: String,
    _keychain: KeychainCleanup,
}

/// Leaves nothing in the test keychain: the environments' credentials and the drafts' key.
struct KeychainCleanup(String);

impl Drop for KeychainCleanup {
    fn drop(&mut self) {
        let store = CredentialStore::with_service(&self.0);
        for name in [PARTNER, GUARDED] {
            let _ = store.delete(name);
        }
        let _ = KeychainKeyStore::with_service(format!("{}-drafts", self.0)).delete();
    }
}

impl Desk {
    /// A sandbox, and an app state with [`PARTNER`] (active) and [`GUARDED`] pointed at it, their
    /// credentials in the keychain, and the profiles [`PREPARER`] and [`REVIEWER`].
    pub(crate) async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let server = kyb_sandbox::start(SandboxConfig {
            credentials: ApiCredentials { api_key: KEY.into(), api_secret: SECRET.into() },
            settle_after: Duration::from_millis(200),
            seed_demo_customers: true,
            ..SandboxConfig::for_tests(dir.path().join("partner"))
        })
        .await
        .expect("sandbox starts");
        let keychain_service = format!("kyb-cli-test-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let desk = Self { server, dir, _keychain: KeychainCleanup(keychain_service.clone()), keychain_service };
        let state = desk.open().await;
        let url = desk.server.base_url();
        for (name, requires_approval) in [(GUARDED, true), (PARTNER, false)] {
            let input = EnvironmentInput {
                name: name.into(),
                base_url: url.clone(),
                colour: "#2e7d32".into(),
                is_production: false,
                requires_approval: Some(requires_approval),
            };
            session::save_environment(&state, input).await.expect("environment saved");
            session::set_credentials(&state, name, KEY, SECRET).await.expect("credentials stored in the keychain");
        }
        session::select_environment(&state, PARTNER).await.unwrap();
        profiles::choose_profile(&state, REVIEWER).await.unwrap();
        profiles::choose_profile(&state, PREPARER).await.unwrap();
        state.shutdown().await;
        desk
    }

    pub(crate) fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub(crate) fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The app's state on these folders, as the desktop app opens it (holding the data folder).
    pub(crate) async fn open(&self) -> AppState {
        let mut config = StateConfig::new(self.config_dir(), self.data_dir());
        config.credentials = CredentialStore::with_service(&self.keychain_service);
        config.drafts_key = KeychainKeyStore::with_service(format!("{}-drafts", self.keychain_service));
        let state = AppState::start(config).await.expect("the app's state opens");
        assert!(state.drafts_available(), "a keychain is needed: run in a D-Bus session with gnome-keyring (scripts/test.sh)");
        state
    }

    /// Every outbox entry of the app, read after the command.
    pub(crate) async fn outbox(&self) -> Vec<OutboxEntry> {
        let state = self.open().await;
        let entries = state.drafts().unwrap().outbox.entries().unwrap();
        state.shutdown().await;
        entries
    }

    /// Run `kyb` (blocking, so off the async runtime) on these folders as [`PREPARER`].
    pub(crate) async fn kyb(&self, args: &[&str]) -> Output {
        self.kyb_with(args, &[("KYB_PROFILE", PREPARER)]).await
    }

    pub(crate) async fn kyb_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (config_dir, data_dir, service) = (self.config_dir(), self.data_dir(), self.keychain_service.clone());
        tokio::task::spawn_blocking(move || {
            Command::new(CLI)
                .args(&args)
                .env("KYB_DESK_CONFIG_DIR", config_dir)
                .env("KYB_DESK_DATA_DIR", data_dir)
                .env("KYB_DESK_KEYCHAIN_SERVICE", service)
                .env_remove("KYB_PROFILE")
                .env_remove("KYB_DESK_SANDBOX_PORT")
                .env_remove("KYB_BASE_URL")
                .env_remove("KYB_API_KEY")
                .env_remove("KYB_API_SECRET")
                .envs(vars)
                .output()
                .expect("kyb runs")
        })
        .await
        .unwrap()
    }

    pub(crate) fn client(&self) -> PartnerClient {
        let credentials = ApiCredentials { api_key: KEY.into(), api_secret: SECRET.into() };
        PartnerClient::new(ClientConfig::new(self.server.base_url().parse().unwrap(), credentials)).unwrap()
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub(crate) fn json(output: &Output) -> Vec<Value> {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|err| panic!("{err}: {}\n{}", stdout(output), stderr(output)))
}

pub(crate) async fn record_of(client: &PartnerClient, customer_id: &str) -> Value {
    kyb_core::outbox::fetch_current(client, customer_id).await.unwrap().1
}

pub(crate) fn edited(base: &Value, changes: &[(&str, &str)]) -> Value {
    let mut record = base.clone();
    for (path, value) in changes {
        let mut at = &mut record;
        for key in path.split('.') {
            at = &mut at[key];
        }
        *at = Value::String((*value).to_owned());
    }
    record
}

