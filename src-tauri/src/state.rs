//! The app's state: environments, the built-in sandbox, one partner client per environment.
//!
//! Secrets: the built-in Sandbox uses the sandbox's public demo key and secret (never stored);
//! every other environment's key and secret are read from the OS keychain when its client is
//! first needed and live only inside that [`PartnerClient`]. Nothing here returns or logs them.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use kyb_core::client::{ClientConfig, CustomerLookup, PartnerClient};
use kyb_core::credentials::{ApiCredentials, CredentialStore, CredentialsError};
use kyb_core::environments::{Environment, EnvironmentFile, EnvironmentView, Environments, SANDBOX_NAME};
use kyb_core::model::{Customer, UpdateCustomerRequest};
use kyb_core::recent::{RecentCustomer, RecentFile};
use kyb_core::reference::{reference_data, ReferenceData};
use kyb_sandbox::{SandboxConfig, SandboxHandle, DEMO_API_KEY, DEMO_API_SECRET};
use serde::Serialize;
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::error::CommandError;

/// Environment variable: a fixed port for the built-in sandbox (tests, demos); a free one otherwise.
pub const SANDBOX_PORT_ENV: &str = "KYB_DESK_SANDBOX_PORT";

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LoadedCustomer {
    pub customer: Customer,
    pub record: UpdateCustomerRequest,
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
}

impl StateConfig {
    /// The defaults for these folders: the OS keychain under `kyb-desk`, settling after 2 s, and
    /// the sandbox port from `KYB_DESK_SANDBOX_PORT` (a free port when unset or invalid).
    pub fn new(config_dir: PathBuf, data_dir: PathBuf) -> Self {
        let sandbox_port = match std::env::var(SANDBOX_PORT_ENV) {
            Ok(text) => text.trim().parse().unwrap_or_else(|_| {
                tracing::warn!(value = %text, "{SANDBOX_PORT_ENV} is not a port number; using a free port");
                0
            }),
            Err(_) => 0,
        };
        Self {
            config_dir,
            data_dir,
            credentials: CredentialStore::default(),
            sandbox_port,
            sandbox_settle_after: Duration::from_secs(2),
        }
    }
}

/// Managed by Tauri; every command borrows it.
pub struct AppState {
    environment_file: EnvironmentFile,
    recent: RecentFile,
    credentials: CredentialStore,
    sandbox: Result<SandboxHandle, String>,
    reference: ReferenceData,
    inner: Mutex<Inner>,
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
    pub async fn start(config: StateConfig) -> Result<Self, CommandError> {
        let environment_file = EnvironmentFile::in_dir(&config.config_dir);
        let environments = environment_file.load_or_set_aside()?;
        let mut sandbox_config = SandboxConfig::new(config.data_dir.join("sandbox"));
        sandbox_config.bind = SocketAddr::from((Ipv4Addr::LOCALHOST, config.sandbox_port));
        sandbox_config.settle_after = config.sandbox_settle_after;
        sandbox_config.seed_demo_customers = true;
        let sandbox = kyb_sandbox::start(sandbox_config).await.map_err(|err| {
            tracing::error!(error = %err, "the built-in sandbox could not start");
            err.to_string()
        });
        if let Ok(handle) = &sandbox {
            tracing::info!(url = %handle.base_url(), "built-in sandbox running");
        }
        Ok(Self {
            environment_file,
            recent: RecentFile::in_dir(&config.data_dir),
            credentials: config.credentials,
            sandbox,
            reference: reference_data(),
            inner: Mutex::new(Inner { environments, clients: HashMap::new(), loaded_names: HashMap::new() }),
        })
    }

    /// The built-in sandbox, when it is running.
    pub fn sandbox(&self) -> Option<&SandboxHandle> {
        self.sandbox.as_ref().ok()
    }

    pub fn reference(&self) -> &ReferenceData {
        &self.reference
    }

    fn sandbox_environment(&self) -> Environment {
        Environment::sandbox(self.sandbox.as_ref().map(|s| format!("{}/", s.base_url())).unwrap_or_default())
    }

    /// The environment called `name` (the built-in one included).
    async fn environment(&self, name: &str) -> Option<Environment> {
        if name == SANDBOX_NAME {
            return Some(self.sandbox_environment());
        }
        self.inner.lock().await.environments.get(name).cloned()
    }

    /// The active environment.
    pub async fn active_environment(&self) -> Environment {
        let name = self.inner.lock().await.environments.active_name().to_owned();
        self.environment(&name).await.unwrap_or_else(|| self.sandbox_environment())
    }

    /// The page's view of everything.
    pub async fn session(&self) -> Result<Session, CommandError> {
        let (stored, active) = {
            let inner = self.inner.lock().await;
            (inner.environments.environments.clone(), inner.environments.active_name().to_owned())
        };
        let mut environments = vec![self.sandbox_environment().view(true)];
        for environment in stored {
            let has = self.has_credentials(&environment.name).await;
            environments.push(environment.view(has));
        }
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

    pub async fn select_environment(&self, name: &str) -> Result<(), CommandError> {
        let mut inner = self.inner.lock().await;
        let mut next = inner.environments.clone();
        next.select(name).map_err(|_| unknown_environment(name))?;
        self.environment_file.save(&next)?;
        inner.environments = next;
        Ok(())
    }

    pub async fn save_environment(&self, input: kyb_core::environments::EnvironmentInput) -> Result<(), CommandError> {
        let mut inner = self.inner.lock().await;
        let mut next = inner.environments.clone();
        let (stored, _previous) = next.upsert(input)?;
        self.environment_file.save(&next)?;
        inner.environments = next;
        inner.clients.remove(&stored.name);
        tracing::info!(environment = %stored.name, url = %stored.base_url, production = stored.is_production, "environment saved");
        Ok(())
    }

    /// Remove a stored environment, its keychain entry and its recent customers.
    pub async fn delete_environment(&self, name: &str) -> Result<(), CommandError> {
        if name == SANDBOX_NAME {
            return Err(CommandError::invalid_input("name", format!("the built-in {SANDBOX_NAME} environment cannot be deleted")));
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
    pub async fn set_credentials(&self, environment: &str, credentials: ApiCredentials) -> Result<(), CommandError> {
        self.stored_environment(environment).await?;
        let store = self.credentials.clone();
        let name = environment.to_owned();
        blocking(move || store.save(&name, &credentials)).await??;
        self.inner.lock().await.clients.remove(environment);
        tracing::info!(environment = %environment, "credentials stored in the keychain");
        Ok(())
    }

    pub async fn clear_credentials(&self, environment: &str) -> Result<(), CommandError> {
        self.stored_environment(environment).await?;
        let store = self.credentials.clone();
        let name = environment.to_owned();
        blocking(move || store.delete(&name)).await??;
        self.inner.lock().await.clients.remove(environment);
        tracing::info!(environment = %environment, "credentials removed from the keychain");
        Ok(())
    }

    /// A stored (not built-in) environment, or `invalid_input` on `environment`.
    async fn stored_environment(&self, name: &str) -> Result<Environment, CommandError> {
        if name == SANDBOX_NAME {
            return Err(CommandError::invalid_input(
                "environment",
                format!("the built-in {SANDBOX_NAME} uses the sandbox's demo key and secret; nothing is stored for it"),
            ));
        }
        self.inner
            .lock()
            .await
            .environments
            .get(name)
            .cloned()
            .ok_or_else(|| CommandError::invalid_input("environment", format!("there is no environment named {name:?}")))
    }

    /// The active environment and its client (built from the keychain on first use).
    pub async fn active_client(&self) -> Result<(Environment, PartnerClient), CommandError> {
        let environment = self.active_environment().await;
        if let Some(client) = self.inner.lock().await.clients.get(&environment.name) {
            return Ok((environment, client.clone()));
        }
        let credentials = if environment.is_built_in() {
            if let Err(reason) = &self.sandbox {
                return Err(CommandError::Client(kyb_core::client::ClientError::Network {
                    detail: format!("the built-in sandbox is not running ({reason})"),
                }));
            }
            ApiCredentials { api_key: DEMO_API_KEY.to_owned(), api_secret: DEMO_API_SECRET.to_owned() }
        } else {
            let store = self.credentials.clone();
            let name = environment.name.clone();
            blocking(move || store.load(&name)).await?.map_err(|err| match err {
                CredentialsError::NotFound { environment } => CommandError::CredentialsMissing { environment },
                other => other.into(),
            })?
        };
        let base_url = kyb_core::client::parse_base_url(&environment.base_url)?;
        let client = PartnerClient::new(ClientConfig::new(base_url, credentials))?;
        self.inner.lock().await.clients.insert(environment.name.clone(), client.clone());
        Ok((environment, client))
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

    /// The English business name a production submit must be confirmed with: as last loaded,
    /// or fetched now when the customer was not opened in this session. A record without a
    /// name is confirmed with its customer id.
    pub async fn confirmation_text(
        &self,
        environment: &str,
        client: &PartnerClient,
        customer_id: &str,
    ) -> Result<String, CommandError> {
        let key = (environment.to_owned(), customer_id.to_owned());
        let known = self.inner.lock().await.loaded_names.get(&key).cloned();
        let name = match known {
            Some(name) => name,
            None => {
                let customer = client.get_customer(&CustomerLookup::CustomerId(customer_id.to_owned())).await?;
                self.remember(environment, &customer, false).await;
                customer.business_details.and_then(|d| d.business_name_english)
            }
        };
        Ok(name.unwrap_or_else(|| customer_id.to_owned()))
    }

    /// Stop the sandbox (on exit).
    pub async fn shutdown(self) {
        if let Ok(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

fn unknown_environment(name: &str) -> CommandError {
    CommandError::invalid_input("name", format!("there is no environment named {name:?}"))
}

/// Run a keychain call off the async workers (the Secret Service calls block).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|err| CommandError::Internal(format!("a background task failed: {err}")))
}
