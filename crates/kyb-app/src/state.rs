//! The app's state: environments, the built-in sandbox, one partner client per environment, and
//! the sealed drafts and outbox with the background worker's shared signals.
//!
//! Secrets: the built-in Sandbox uses the sandbox's public demo key and secret (never stored);
//! every other environment's key and secret are read from the OS keychain when its client is
//! first needed and live only inside that [`PartnerClient`]. Nothing here returns or logs them.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use kyb_core::client::{ClientConfig, CustomerLookup, PartnerClient};
use kyb_core::clock::SharedClock;
use kyb_core::credentials::{ApiCredentials, CredentialStore, CredentialsError};
use kyb_core::drafts::{Draft, DraftStore};
use kyb_core::files::{DataLock, LockError};
use kyb_core::environments::{
    is_built_in_name, Environment, EnvironmentFile, EnvironmentView, Environments, SANDBOX_FOUR_EYES_NAME, SANDBOX_NAME,
};
use kyb_core::model::{Customer, MissingPart, UpdateCustomerRequest};
use kyb_core::audit::AuditLog;
use kyb_core::outbox::{Outbox, RetryPolicy};
use kyb_core::profiles::ProfileFile;
use kyb_core::vault::{CopyOrigin, DocumentVault};
use kyb_core::sealed::KeychainKeyStore;
use kyb_core::recent::{RecentCustomer, RecentFile};
use kyb_core::reference::{reference_data, ReferenceData};
use kyb_sandbox::{Personality, SandboxConfig, SandboxHandle, DEMO_API_KEY, DEMO_API_SECRET};
use serde::Serialize;
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::error::AppError;
use crate::exports::ExportFolders;
use crate::worker::WorkerShared;
use crate::workspace::WorkspaceFile;

/// Environment variable: a fixed port for the built-in sandbox (tests, demos); a free one otherwise.
pub const SANDBOX_PORT_ENV: &str = "KYB_DESK_SANDBOX_PORT";

/// Environment variable: how the built-in sandbox answers, `default` or `strict` (exactly as the
/// published partner page shows; see `kyb_sandbox::Personality`). Unset or unknown: `default`.
pub const SANDBOX_PERSONALITY_ENV: &str = "KYB_DESK_SANDBOX_PERSONALITY";

/// How long the worker follows a sent customer whose status this version does not know, after
/// the status last changed, before it stops asking and the officer is told to ask the partner.
pub const FOLLOW_UNKNOWN_STATUS_FOR: Duration = Duration::from_secs(15 * 60);

/// Environment variable: the folder `export_draft` writes to (else Downloads, else the data folder).
pub const EXPORT_DIR_ENV: &str = "KYB_DESK_EXPORT_DIR";

/// What the page gets from `get_session` and every command that changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Session {
    /// The built-in Sandbox first, then the stored environments in the order they were added.
    pub environments: Vec<EnvironmentView>,
    /// Name of the active environment (the one customer commands talk to).
    pub active: String,
    /// Customers recently opened in the active environment, newest first.
    pub recent: Vec<RecentCustomer>,
}

/// A customer as opened: the full record and its editable part (what the form starts from).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LoadedCustomer {
    pub customer: Customer,
    pub record: UpdateCustomerRequest,
    /// When the partner answered: the `fetched_at` of the `DraftBase` the page saves with a new
    /// draft (`{record, partner_customer_id, status, fetched_at}`).
    pub fetched_at: DateTime<Utc>,
    /// The parts the partner's answer did not contain (sections, a person's basic information):
    /// the editor names them, and validation asks for the required fields before a submit.
    pub missing_parts: Vec<MissingPart>,
    /// The draft for this customer in the active environment, when there is one (the editor
    /// resumes it instead of `record`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub draft: Option<Draft>,
}

/// Where the state lives and how the sandbox starts.
#[derive(Debug, Clone)]
pub struct StateConfig {
    /// Holds `environments.json`.
    pub config_dir: PathBuf,
    /// Holds `recent.json` and the sandbox's data (`sandbox/`).
    pub data_dir: PathBuf,
    pub credentials: CredentialStore,
    /// 0 picks a free loopback port.
    pub sandbox_port: u16,
    pub sandbox_settle_after: Duration,
    /// `KYB_DESK_SANDBOX_PERSONALITY`: how the built-in sandbox answers.
    pub sandbox_personality: Personality,
    /// Where the drafts' sealing key lives (service `kyb-desk-drafts`; tests use a unique one).
    pub drafts_key: KeychainKeyStore,
    /// `KYB_DESK_EXPORT_DIR`: where exported drafts go, when set.
    pub export_dir: Option<PathBuf>,
    /// The user's Downloads folder (the app fills it from the OS); `$HOME/Downloads` when unset.
    pub downloads_dir: Option<PathBuf>,
    /// The outbox's retry schedule.
    pub retry_policy: RetryPolicy,
    /// How often the background worker looks for due outbox entries (it also wakes at once
    /// after `queue_draft`, `retry_outbox_entry` and `resolve_conflict`).
    pub worker_interval: Duration,
    /// How often the worker probes the active environment for the online indicator.
    pub probe_interval: Duration,
    /// How long a sent customer with a status this version does not know is followed after its
    /// status last changed ([`FOLLOW_UNKNOWN_STATUS_FOR`]).
    pub follow_unknown_status_for: Duration,
    /// The time the drafts store and the outbox stamp and schedule with (the system clock; a
    /// fixed one in tests).
    pub clock: SharedClock,
    /// How long to wait for another KYB Desk process (the app, the CLI) to let go of the data
    /// folder before refusing to start.
    pub data_lock_wait: Duration,
    /// Where the team sign-in's refresh token is kept (the keychain service of the credentials,
    /// with a `-team` suffix).
    pub team_tokens: crate::team::TokenStore,
}

impl StateConfig {
    /// The defaults for these folders: the OS keychain under `kyb-desk` (or `KYB_DESK_KEYCHAIN_SERVICE`,
    /// see [`crate::user_config`]), settling after 2 s, and
    /// the sandbox port from `KYB_DESK_SANDBOX_PORT` (a free port when unset or invalid).
    pub fn new(config_dir: PathBuf, data_dir: PathBuf) -> Self {
        let sandbox_port = match std::env::var(SANDBOX_PORT_ENV) {
            Ok(text) => text.trim().parse().unwrap_or_else(|_| {
                tracing::warn!(value = %text, "{SANDBOX_PORT_ENV} is not a port number; using a free port");
                0
            }),
            Err(_) => 0,
        };
        let sandbox_personality = match std::env::var(SANDBOX_PERSONALITY_ENV) {
            Ok(text) => text.parse().unwrap_or_else(|err| {
                tracing::warn!(error = %err, "{SANDBOX_PERSONALITY_ENV}: using the default personality");
                Personality::Default
            }),
            Err(_) => Personality::Default,
        };
        let export_dir = std::env::var_os(EXPORT_DIR_ENV).filter(|dir| !dir.is_empty()).map(PathBuf::from);
        let (credentials, drafts_key) = crate::user_config::keychain_stores();
        Self {
            config_dir,
            data_dir,
            credentials,
            sandbox_port,
            sandbox_settle_after: Duration::from_secs(2),
            sandbox_personality,
            drafts_key,
            export_dir,
            downloads_dir: None,
            retry_policy: RetryPolicy::default(),
            worker_interval: Duration::from_secs(2),
            probe_interval: Duration::from_secs(5),
            follow_unknown_status_for: FOLLOW_UNKNOWN_STATUS_FOR,
            clock: kyb_core::clock::system(),
            data_lock_wait: Duration::from_secs(5),
            team_tokens: crate::user_config::team_token_store(),
        }
    }
}

/// Everything the use cases work on; the desktop shell and the CLI each hold one.
pub struct AppState {
    /// Held for the life of the state: no other KYB Desk process writes these stores meanwhile.
    data_lock: std::sync::Mutex<Option<DataLock>>,
    environment_file: EnvironmentFile,
    recent: RecentFile,
    credentials: CredentialStore,
    sandbox: Result<SandboxHandle, String>,
    reference: ReferenceData,
    inner: Mutex<Inner>,
    /// Drafts and outbox, or why they are unavailable (no keychain for the sealing key).
    drafts: Result<DraftsHome, String>,
    /// Held around every read-modify-write of a draft (page saves, imports, the worker's rebase
    /// after a send), so none of them overwrites another's write.
    pub(crate) draft_writes: Mutex<()>,
    pub(crate) workspace: WorkspaceFile,
    pub(crate) exports: ExportFolders,
    /// Portable files imported in this session: draft id → (the file's idempotency key, the
    /// record as imported). `queue_draft` sends with the file's key while the record is unchanged,
    /// so the same file queued twice, or on two machines, is applied once.
    pub(crate) imported_keys: std::sync::Mutex<HashMap<String, (String, serde_json::Value)>>,
    pub(crate) worker: WorkerShared,
    /// The named local profiles, and the one chosen at start (who acts).
    pub(crate) profiles: ProfileFile,
    pub(crate) active_profile: std::sync::Mutex<Option<String>>,
    /// Documents being received in chunks from the page (encrypted scratch files; a start removes leftovers).
    pub(crate) staged_uploads: crate::use_cases::documents::StagedUploads,
    /// Removed at a normal exit; `last_run_crashed` is what it said at start.
    exit_marker: crate::clean_exit::ExitMarker,
    last_run_crashed: bool,
    /// Team mode: the server this desktop is connected to (if any), the sign-in, and the links
    /// between local drafts and team drafts.
    pub team: crate::team::desk::TeamDesk,
}

/// The sealed drafts store and the outbox (both under the data folder, sealed with one key).
#[derive(Clone)]
pub struct DraftsHome {
    pub store: DraftStore,
    pub outbox: Outbox,
    /// Local copies of documents, sealed with the same key.
    pub vault: DocumentVault,
    /// The hash-chained audit trail, sealed with the same key.
    pub audit: AuditLog,
}

struct Inner {
    environments: Environments,
    /// Built on first use; dropped when the environment or its credentials change.
    clients: HashMap<String, PartnerClient>,
    /// `business_name_english` of each customer as last loaded, per (environment, customer_id):
    /// what a production submit must be confirmed with.
    loaded_names: HashMap<(String, String), Option<String>>,
}

impl AppState {
    /// Load the environments and start the built-in sandbox. A sandbox that cannot start (port
    /// taken) does not stop the app: the Sandbox environment then answers `network` errors.
    pub async fn start(config: StateConfig) -> Result<Self, AppError> {
        // Before anything under the data folder is read or written.
        let (dir, wait) = (config.data_dir.clone(), config.data_lock_wait);
        let data_lock = blocking(move || DataLock::acquire(&dir, wait)).await?.map_err(|err| match err {
            LockError::Held { .. } => AppError::DataFolderInUse { message: err.to_string() },
            LockError::Io { .. } => AppError::Internal(err.to_string()),
        })?;
        let exit_marker = crate::clean_exit::ExitMarker::in_dir(&config.data_dir);
        let last_run_crashed = exit_marker.begin();
        let drafts = open_drafts(&config).await;
        let environment_file = EnvironmentFile::in_dir(&config.config_dir);
        let environments = environment_file.load_or_set_aside()?;
        let mut sandbox_config = SandboxConfig::new(config.data_dir.join("sandbox"));
        sandbox_config.bind = SocketAddr::from((Ipv4Addr::LOCALHOST, config.sandbox_port));
        sandbox_config.settle_after = config.sandbox_settle_after;
        sandbox_config.seed_demo_customers = true;
        sandbox_config.personality = config.sandbox_personality;
        sandbox_config.partner_profile = crate::use_cases::partner_profile::stored_profile(&environments, SANDBOX_NAME);
        let sandbox = kyb_sandbox::start(sandbox_config).await.map_err(|err| {
            tracing::error!(error = %err, "the built-in sandbox could not start");
            err.to_string()
        });
        if let Ok(handle) = &sandbox {
            tracing::info!(url = %handle.base_url(), "built-in sandbox running");
            if let Ok(home) = &drafts {
                keep_demo_copies(home.vault.clone());
            }
        }
        Ok(Self {
            data_lock: std::sync::Mutex::new(Some(data_lock)),
            environment_file,
            recent: RecentFile::in_dir(&config.data_dir),
            credentials: config.credentials,
            sandbox,
            reference: reference_data(),
            inner: Mutex::new(Inner { environments, clients: HashMap::new(), loaded_names: HashMap::new() }),
            drafts,
            draft_writes: Mutex::new(()),
            workspace: WorkspaceFile::in_dir(&config.data_dir),
            imported_keys: std::sync::Mutex::new(HashMap::new()),
            exports: ExportFolders::for_user(config.export_dir, config.downloads_dir),
            worker: WorkerShared::new(config.worker_interval, config.probe_interval, config.follow_unknown_status_for),
            profiles: ProfileFile::new(&config.config_dir),
            active_profile: std::sync::Mutex::new(None),
            staged_uploads: crate::use_cases::documents::StagedUploads::in_dir(&config.data_dir),
            exit_marker,
            last_run_crashed,
            team: crate::team::desk::TeamDesk::new(config.config_dir.clone(), &config.data_dir, config.team_tokens.clone()),
        })
    }

    /// The drafts store and outbox, or `keychain_unavailable` (drafts are never kept unsealed).
    pub fn drafts(&self) -> Result<&DraftsHome, AppError> {
        self.drafts.as_ref().map_err(|reason| AppError::DraftsUnavailable { reason: reason.clone() })
    }

    /// The profile chosen at start, if any.
    pub fn profile(&self) -> Option<String> {
        self.active_profile.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// The profile chosen at start, or `no_profile`.
    pub fn require_profile(&self) -> Result<String, AppError> {
        self.profile().ok_or(AppError::NoProfile)
    }

    pub(crate) fn set_profile(&self, name: String) {
        *self.active_profile.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(name);
    }

    /// Whether the last run of the app on this data folder ended without a normal exit (crash,
    /// kill, power loss): only then did reopening the open draft recover unsaved work.
    pub fn last_run_crashed(&self) -> bool {
        self.last_run_crashed
    }

    /// The background worker's signals (wake, stop, connectivity).
    pub fn worker(&self) -> &WorkerShared {
        &self.worker
    }

    /// Whether drafts can be kept (the sealing key is in the keychain).
    pub fn drafts_available(&self) -> bool {
        self.drafts.is_ok()
    }

    /// The built-in sandbox, when it is running.
    pub fn sandbox(&self) -> Option<&SandboxHandle> {
        self.sandbox.as_ref().ok()
    }

    pub fn reference(&self) -> &ReferenceData {
        &self.reference
    }

    fn sandbox_url(&self) -> String {
        self.sandbox.as_ref().map(|s| format!("{}/", s.base_url())).unwrap_or_default()
    }

    fn sandbox_environment(&self) -> Environment {
        Environment::sandbox(self.sandbox_url())
    }

    /// The built-in sandbox that requires approval (four-eyes with no set-up).
    fn four_eyes_environment(&self) -> Environment {
        Environment::sandbox_four_eyes(self.sandbox_url())
    }

    /// The environment called `name` (the built-in ones included).
    pub async fn environment(&self, name: &str) -> Option<Environment> {
        if name == SANDBOX_NAME {
            return Some(self.sandbox_environment());
        }
        if name == SANDBOX_FOUR_EYES_NAME {
            return Some(self.four_eyes_environment());
        }
        if crate::team::desk::server_environment_name(name).is_some() {
            return self.team.environment(name).await;
        }
        self.inner.lock().await.environments.get(name).cloned()
    }

    /// The active environment.
    pub async fn active_environment(&self) -> Environment {
        let name = self.inner.lock().await.environments.active_name().to_owned();
        self.environment(&name).await.unwrap_or_else(|| self.sandbox_environment())
    }

    /// A copy of the stored environments (with their partner profiles).
    pub(crate) async fn environments_snapshot(&self) -> Environments {
        self.inner.lock().await.environments.clone()
    }

    /// Change the stored environments and save the file, as one step (nothing changes when the
    /// file cannot be written).
    pub(crate) async fn update_environments(&self, change: impl FnOnce(&mut Environments)) -> Result<(), AppError> {
        let mut inner = self.inner.lock().await;
        let mut next = inner.environments.clone();
        change(&mut next);
        self.environment_file.save(&next)?;
        inner.environments = next;
        Ok(())
    }

    /// The page's view of everything.
    pub async fn session(&self) -> Result<Session, AppError> {
        let (stored, active) = {
            let inner = self.inner.lock().await;
            (inner.environments.environments.clone(), inner.environments.active_name().to_owned())
        };
        let mut environments = vec![self.sandbox_environment().view(true), self.four_eyes_environment().view(true)];
        for environment in stored {
            let has = self.has_credentials(&environment.name).await;
            environments.push(environment.view(has));
        }
        // The connected team's environments (their credentials are the server's).
        for team in self.team.environments().await {
            if let Some(environment) = self.team.environment(&team.name).await {
                environments.push(environment.view(false));
            }
        }
        let active = if environments.iter().any(|e| e.name == active) { active } else { SANDBOX_NAME.to_owned() };
        let recent = self.recent.for_environment(&active);
        Ok(Session { environments, active, recent })
    }

    /// Whether the keychain holds credentials for `name` (false when the keychain cannot be
    /// reached: the session must still load; commands that need them say why).
    async fn has_credentials(&self, name: &str) -> bool {
        let store = self.credentials.clone();
        let name = name.to_owned();
        match blocking(move || store.exists(&name)).await {
            Ok(Ok(exists)) => exists,
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "cannot check the keychain");
                false
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot check the keychain");
                false
            }
        }
    }

    pub async fn select_environment(&self, name: &str) -> Result<(), AppError> {
        let team = match crate::team::desk::server_environment_name(name) {
            Some(_) => Some(self.team.environment(name).await.ok_or_else(|| unknown_environment(name))?),
            None => None,
        };
        let mut inner = self.inner.lock().await;
        let mut next = inner.environments.clone();
        match team {
            Some(_) => next.select_team(name),
            None => next.select(name),
        }
        .map_err(|_| unknown_environment(name))?;
        self.environment_file.save(&next)?;
        inner.environments = next;
        // Probe the newly active environment now (the online indicator).
        self.worker.wake();
        Ok(())
    }

    pub async fn save_environment(&self, input: kyb_core::environments::EnvironmentInput) -> Result<(), AppError> {
        let mut inner = self.inner.lock().await;
        let mut next = inner.environments.clone();
        let (stored, previous) = next.upsert(input)?;
        self.environment_file.save(&next)?;
        inner.environments = next;
        inner.clients.remove(&stored.name);
        drop(inner);
        // Credentials belong to the URL they were given for: another URL asks for them again,
        // so a key and secret are never sent to a host they were not meant for.
        if previous.is_some_and(|old| old.base_url != stored.base_url) {
            let store = self.credentials.clone();
            let name = stored.name.clone();
            match blocking(move || store.delete(&name)).await? {
                Ok(()) | Err(CredentialsError::NotFound { .. }) => {
                    tracing::info!(environment = %stored.name, "URL changed: its credentials were removed from the keychain")
                }
                // Without a keychain nothing can have been stored.
                Err(CredentialsError::KeychainUnavailable { .. }) => {}
                Err(err) => {
                    return Err(AppError::invalid_input(
                        "base_url",
                        format!("the URL was changed, but the credentials stored for the old URL could not be removed ({err}); remove them in Settings before using this environment"),
                    ))
                }
            }
        }
        tracing::info!(environment = %stored.name, url = %stored.base_url, production = stored.is_production, "environment saved");
        Ok(())
    }

    /// Remove a stored environment, its keychain entry and its recent customers.
    pub async fn delete_environment(&self, name: &str) -> Result<(), AppError> {
        if is_built_in_name(name) {
            return Err(AppError::invalid_input("name", format!("the built-in {name} environment cannot be deleted")));
        }
        {
            let mut inner = self.inner.lock().await;
            let mut next = inner.environments.clone();
            next.remove(name).map_err(|_| unknown_environment(name))?;
            self.environment_file.save(&next)?;
            inner.environments = next;
            inner.clients.remove(name);
            inner.loaded_names.retain(|(environment, _), _| environment != name);
        }
        let store = self.credentials.clone();
        let owned = name.to_owned();
        match blocking(move || store.delete(&owned)).await? {
            Ok(()) => {}
            // The entry stays in the keychain (the only place secrets are ever kept).
            Err(err) => tracing::warn!(environment = %name, error = %err, "could not remove the keychain entry"),
        }
        if let Err(err) = self.recent.forget_environment(name) {
            tracing::warn!(error = %err, "could not update the recent-customers file");
        }
        tracing::info!(environment = %name, "environment deleted");
        Ok(())
    }

    /// Store a key and secret in the keychain (write-only).
    pub async fn set_credentials(&self, environment: &str, credentials: ApiCredentials) -> Result<(), AppError> {
        self.stored_environment(environment).await?;
        let store = self.credentials.clone();
        let name = environment.to_owned();
        blocking(move || store.save(&name, &credentials)).await??;
        self.inner.lock().await.clients.remove(environment);
        tracing::info!(environment = %environment, "credentials stored in the keychain");
        Ok(())
    }

    pub async fn clear_credentials(&self, environment: &str) -> Result<(), AppError> {
        self.stored_environment(environment).await?;
        let store = self.credentials.clone();
        let name = environment.to_owned();
        blocking(move || store.delete(&name)).await??;
        self.inner.lock().await.clients.remove(environment);
        tracing::info!(environment = %environment, "credentials removed from the keychain");
        Ok(())
    }

    /// A stored (not built-in) environment, or `invalid_input` on `environment`.
    async fn stored_environment(&self, name: &str) -> Result<Environment, AppError> {
        if is_built_in_name(name) {
            return Err(AppError::invalid_input(
                "environment",
                format!("the built-in {name} uses the sandbox's demo key and secret; nothing is stored for it"),
            ));
        }
        self.inner
            .lock()
            .await
            .environments
            .get(name)
            .cloned()
            .ok_or_else(|| AppError::invalid_input("environment", format!("there is no environment named {name:?}")))
    }

    /// The active environment and its client (built from the keychain on first use).
    pub async fn active_client(&self) -> Result<(Environment, PartnerClient), AppError> {
        let environment = self.active_environment().await;
        let client = self.client_for(&environment).await?;
        Ok((environment, client))
    }

    /// The client of `environment`: the built-in sandbox with its public demo key and secret,
    /// any other with its key and secret from the keychain (built on first use, then cached).
    pub async fn client_for(&self, environment: &Environment) -> Result<PartnerClient, AppError> {
        if let Some(client) = self.inner.lock().await.clients.get(&environment.name) {
            return Ok(client.clone());
        }
        if crate::team::desk::server_environment_name(&environment.name).is_some() {
            return Err(AppError::invalid_input(
                "environment",
                format!("{} is a team environment: only the team server talks to the partner", environment.name),
            ));
        }
        let credentials = if environment.is_built_in() {
            if let Err(reason) = &self.sandbox {
                return Err(AppError::Client(kyb_core::client::ClientError::Network {
                    detail: format!("the built-in sandbox is not running ({reason})"),
                }));
            }
            ApiCredentials { api_key: DEMO_API_KEY.to_owned(), api_secret: DEMO_API_SECRET.to_owned() }
        } else {
            let store = self.credentials.clone();
            let name = environment.name.clone();
            blocking(move || store.load(&name)).await?.map_err(|err| match err {
                CredentialsError::NotFound { environment } => AppError::CredentialsMissing { environment },
                other => other.into(),
            })?
        };
        let base_url = kyb_core::client::parse_base_url(&environment.base_url)?;
        let client = PartnerClient::new(ClientConfig::new(base_url, credentials))?;
        self.inner.lock().await.clients.insert(environment.name.clone(), client.clone());
        Ok(client)
    }

    /// A client for `PartnerClient::probe` only (which sends no credentials): the cached one, or
    /// one with placeholder credentials when the environment has none stored yet.
    pub async fn probe_client(&self, environment: &Environment) -> Result<PartnerClient, AppError> {
        if let Some(client) = self.inner.lock().await.clients.get(&environment.name) {
            return Ok(client.clone());
        }
        if environment.is_built_in() {
            return self.client_for(environment).await;
        }
        let base_url = kyb_core::client::parse_base_url(&environment.base_url)?;
        let placeholder = ApiCredentials { api_key: "probe".to_owned(), api_secret: "probe".to_owned() };
        Ok(PartnerClient::new(ClientConfig::new(base_url, placeholder))?)
    }

    /// Remember what the user saw (for production confirmation) and, for opens, the recent list.
    pub async fn remember(&self, environment: &str, customer: &Customer, opened: bool) {
        let name = customer.business_details.as_ref().and_then(|d| d.business_name_english.clone());
        self.inner
            .lock()
            .await
            .loaded_names
            .insert((environment.to_owned(), customer.customer_id.clone()), name.clone());
        if opened {
            let entry = RecentCustomer {
                environment: environment.to_owned(),
                customer_id: customer.customer_id.clone(),
                partner_customer_id: customer.partner_customer_id.clone(),
                business_name_english: name,
                opened_at: Utc::now(),
            };
            if let Err(err) = self.recent.record(entry) {
                tracing::warn!(error = %err, "could not update the recent-customers file");
            }
        }
    }

    /// The English business name a production submit must be confirmed with: as last loaded in
    /// this session, else `known` (e.g. the draft's base, what the officer started from), else
    /// fetched from the partner now. A record without a name is confirmed with its customer id.
    pub async fn confirmation_text(
        &self,
        environment: &Environment,
        customer_id: &str,
        known: Option<Option<String>>,
    ) -> Result<String, AppError> {
        let key = (environment.name.clone(), customer_id.to_owned());
        let loaded = self.inner.lock().await.loaded_names.get(&key).cloned();
        let name = match loaded.or(known) {
            Some(name) => name,
            None => {
                let client = self.client_for(environment).await?;
                let customer = client.get_customer(&CustomerLookup::CustomerId(customer_id.to_owned())).await?;
                self.remember(&environment.name, &customer, false).await;
                customer.business_details.and_then(|d| d.business_name_english)
            }
        };
        Ok(name.unwrap_or_else(|| customer_id.to_owned()))
    }

    /// Let go of the data folder (after the worker stopped): another process may use it now.
    /// Nothing may be written through this state afterwards; the shell calls it last, on exit.
    pub fn release_data_folder(&self) {
        self.exit_marker.end();
        self.data_lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
    }

    /// Stop the worker and the sandbox (on exit).
    pub async fn shutdown(self) {
        self.exit_marker.end();
        self.worker.stop_and_wait(Duration::from_secs(5)).await;
        if let Ok(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// Load (or create) the sealing key from the keychain off the async workers, then open the
/// drafts store and the outbox. No keychain: `Err(reason)`; the app runs without drafts.
async fn open_drafts(config: &StateConfig) -> Result<DraftsHome, String> {
    let keys = config.drafts_key.clone();
    let key = match blocking(move || keys.load_or_create()).await {
        Ok(Ok(key)) => Arc::new(key),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "drafts are unavailable: no sealing key");
            return Err(err.to_string());
        }
        Err(err) => return Err(err.to_string()),
    };
    let store = DraftStore::open_with_clock(&config.data_dir, key.clone(), config.clock.clone()).map_err(|err| {
        tracing::error!(error = %err, "the drafts folder cannot be opened");
        err.to_string()
    })?;
    let outbox = Outbox::open_with_clock(&config.data_dir, key.clone(), config.retry_policy, config.clock.clone()).map_err(|err| {
        tracing::error!(error = %err, "the outbox folder cannot be opened");
        err.to_string()
    })?;
    let vault = DocumentVault::open(&config.data_dir, key.clone()).map_err(|err| {
        tracing::error!(error = %err, "the documents folder cannot be opened");
        err.to_string()
    })?;
    let audit = AuditLog::open(&config.data_dir, key).map_err(|err| {
        tracing::error!(error = %err, "the audit log cannot be opened");
        err.to_string()
    })?;
    match store.purge_trash(chrono::Duration::days(TRASH_DAYS)) {
        Ok(0) => {}
        Ok(purged) => tracing::info!(purged, "old deleted drafts purged from the trash"),
        Err(err) => tracing::warn!(error = %err, "could not purge the drafts trash"),
    }
    match outbox.purge_sent(chrono::Duration::days(SENT_DAYS)) {
        Ok(0) => {}
        Ok(purged) => tracing::info!(purged, "old sent outbox entries removed"),
        Err(err) => tracing::warn!(error = %err, "could not remove old sent outbox entries"),
    }
    tracing::info!("drafts and outbox ready");
    Ok(DraftsHome { store, outbox, vault, audit })
}

/// The customer whose demo documents have no local copy: they were "uploaded from another
/// machine", so the Sandbox shows a reviewer the no-copy case (attach the file you have).
pub const DEMO_CUSTOMER_WITHOUT_COPIES: &str = "cus_demo_0001";

/// Keep local copies of the built-in Sandbox's demo documents, as if this app had uploaded them,
/// so the document viewer has something to show. In the background: start-up does not wait.
fn keep_demo_copies(vault: DocumentVault) {
    tokio::task::spawn_blocking(move || {
        let documents = match kyb_sandbox::demo::documents() {
            Ok(documents) => documents,
            Err(err) => return tracing::warn!(error = %err, "no demo documents"),
        };
        let mut kept = 0;
        // Both built-in environments talk to the same sandbox, so both have the demo copies.
        for (customer_id, file_id, file_name, bytes) in documents {
            for environment in [SANDBOX_NAME, SANDBOX_FOUR_EYES_NAME] {
                if customer_id == DEMO_CUSTOMER_WITHOUT_COPIES || matches!(vault.info(environment, &file_id), Ok(Some(_))) {
                    continue;
                }
                match vault.put(environment, &file_id, &file_name, &bytes, CopyOrigin::Uploaded, "Sandbox demo") {
                    Ok(_) => kept += 1,
                    Err(err) => return tracing::warn!(error = %err, "could not keep the demo documents"),
                }
            }
        }
        if kept > 0 {
            tracing::info!(kept, "local copies of the demo documents kept");
        }
    });
}

/// Deleted drafts stay restorable this long.
pub const TRASH_DAYS: i64 = 30;

/// Sent entries whose customer has settled stay in the outbox (and the library) this long.
pub const SENT_DAYS: i64 = 30;

/// Sent-and-settled outbox entries kept in the working set and listed by `outbox_status`; the
/// worker archives older ones after each pass. The page polls `outbox_status` every second
/// while something is in flight, and every pass read every entry: both grew with each
/// submission of the day (the 500-cycle soak run, docs/e2e.md). Each listed entry is ~10 KB of
/// JSON (record, base, prepared body, the partner's answer): with 50, a poll answer was ~480 KB
/// and a submission's `sent` showed ~1.1 s late; with 10, after ~60 ms (docs/e2e.md, "Soak").
pub const LISTED_SETTLED: usize = 10;

fn unknown_environment(name: &str) -> AppError {
    AppError::invalid_input("name", format!("there is no environment named {name:?}"))
}

/// Run a keychain or file call off the async workers (the Secret Service calls block).
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|err| AppError::Internal(format!("a background task failed: {err}")))
}
