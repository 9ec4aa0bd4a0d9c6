//! A real app (mock runtime, the app's own context and ACL) over a real in-process sandbox on a
//! free loopback port, with temporary config and data folders, driven through the IPC layer
//! exactly as the page drives it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use kyb_core::credentials::CredentialStore;
use kyb_core::sealed::KeychainKeyStore;
use std::sync::Arc;

use kyb_app::{AppState, StateConfig};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

pub use tauri::test::MockRuntime;

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct Harness {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
    pub keychain_service: String,
}

/// How a harness starts.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Start the outbox worker (as the app does).
    pub worker: bool,
    /// The profile chosen at start (as the officer does in the app), if any.
    pub profile: Option<&'static str>,
}

/// The profile a harness acts as unless told otherwise.
pub const OFFICER: &str = "Olivia Officer";

impl Default for Options {
    fn default() -> Self {
        Self { worker: true, profile: Some(OFFICER) }
    }
}

impl Harness {
    pub fn new() -> Self {
        Self::with(Options::default())
    }

    pub fn with(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let keychain_service =
            format!("kyb-desk-ipc-test-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        Self::start(dir, keychain_service, options)
    }

    /// The configuration every harness uses on `dir`: its own keychain services (credentials and
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

    fn start(dir: tempfile::TempDir, keychain_service: String, options: Options) -> Self {
        let (app, window) = Self::build(dir.path(), &keychain_service, options);
        Self { app, window, dir, keychain_service }
    }

    fn build(dir: &Path, keychain_service: &str, options: Options) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
        let config = Self::config(dir, keychain_service);
        // The sandbox runs on Tauri's runtime, like in the app, so it keeps serving while a test
        // thread waits for a command's answer.
        let state = Arc::new(tauri::async_runtime::block_on(AppState::start(config)).expect("state starts"));
        let app = mock_builder()
            .invoke_handler(kyb_desk_lib::commands::handler())
            .manage(state.clone())
            .build(kyb_desk_lib::context())
            .expect("app builds");
        let window = match app.get_webview_window("main") {
            Some(window) => window,
            None => WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("main window"),
        };
        if options.worker {
            kyb_app::worker::spawn(state, tauri::async_runtime::handle().inner());
        }
        if let Some(name) = options.profile {
            invoke_from(&window, "choose_profile", serde_json::json!({"name": name})).expect("profile chosen");
        }
        (app, window)
    }

    /// Stop this app's worker and start a new app on the same folders and keychain services, as
    /// a restart of the desktop app would (the old state is left idle, then dropped).
    pub fn restart(&mut self, options: Options) {
        tauri::async_runtime::block_on(self.state().worker().stop_and_wait(Duration::from_secs(10)));
        // As the app does on exit: the new app takes the data folder over.
        self.state().release_data_folder();
        let (app, window) = Self::build(self.dir.path(), &self.keychain_service, options);
        let old_window = std::mem::replace(&mut self.window, window);
        let old_app = std::mem::replace(&mut self.app, app);
        drop(old_window);
        drop(old_app);
    }

    pub fn state(&self) -> tauri::State<'_, Arc<AppState>> {
        self.app.state::<Arc<AppState>>()
    }

    /// Wait (up to `limit`) until `check` holds, polling every 50 ms; panics with `what` otherwise.
    pub fn wait_until(&self, what: &str, limit: Duration, mut check: impl FnMut(&Self) -> bool) {
        let deadline = std::time::Instant::now() + limit;
        while !check(self) {
            assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn sandbox_url(&self) -> String {
        self.app.state::<Arc<AppState>>().sandbox().expect("sandbox runs").base_url()
    }

    /// Invoke `cmd` from the main window; `Ok(answer)` or `Err(error)` as the page receives them.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke_from(&self.window, cmd, args)
    }

    /// A command sent as ipc.ts sends documents: `bytes` as the raw body, `headers` (name, value)
    /// percent-encoded as `encodeURIComponent` does.
    pub fn invoke_bytes(&self, cmd: &str, bytes: Vec<u8>, headers: &[(&str, &str)]) -> Result<Value, Value> {
        invoke_body_from(&self.window, cmd, InvokeBody::Raw(bytes), headers)
    }

    /// `upload_document` as the page calls it.
    pub fn upload(&self, file_name: &str, file_type: &str, bytes: Vec<u8>) -> Result<Value, Value> {
        self.invoke_bytes("upload_document", bytes, &[("kyb-file-name", file_name), ("kyb-file-type", file_type)])
    }

    /// `attach_document_copy` as the page calls it.
    pub fn attach(&self, id: &str, file_id: &str, file_name: &str, bytes: Vec<u8>) -> Result<Value, Value> {
        let headers = [("kyb-draft-id", id), ("kyb-file-id", file_id), ("kyb-file-name", file_name)];
        self.invoke_bytes("attach_document_copy", bytes, &headers)
    }

    /// A command answering raw bytes; panics on an error.
    pub fn invoke_raw(&self, cmd: &str, args: Value) -> Vec<u8> {
        invoke_raw_from(&self.window, cmd, args.clone()).unwrap_or_else(|err| panic!("{cmd} {args} failed: {err}"))
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args.clone()).unwrap_or_else(|err| panic!("{cmd} {args} failed: {err}"))
    }

    /// The error of a call that must fail, checking its kind.
    pub fn err(&self, cmd: &str, args: Value, kind: &str) -> Value {
        match self.invoke(cmd, args.clone()) {
            Ok(answer) => panic!("{cmd} {args} succeeded ({answer}); expected {kind}"),
            Err(err) => {
                assert_eq!(err["kind"], kind, "{cmd} {args}: {err}");
                assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{err}");
                err
            }
        }
    }

    /// The editable record of a demo customer, as the page gets it.
    pub fn open(&self, customer_id: &str) -> Value {
        self.ok("open_customer", json!({"lookup": {"by": "customer_id", "value": customer_id}}))
    }

    /// Save an environment pointed at this harness's sandbox and make it active. It does not
    /// require four-eyes approval (tests/review.rs covers environments that do).
    pub fn add_environment(&self, name: &str, production: bool) -> Value {
        let url = self.sandbox_url();
        self.ok(
            "save_environment",
            json!({"environment": {"name": name, "base_url": url, "colour": "#c62828", "is_production": production, "requires_approval": false}}),
        );
        self.ok("select_environment", json!({"name": name}))
    }

    /// Whether a real keychain is reachable (required under scripts/test.sh: KYB_REQUIRE_KEYRING).
    pub fn keychain(&self) -> bool {
        keychain_available(&self.keychain_service)
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Leave nothing in the test keychain.
        if keychain_available(&self.keychain_service) {
            let store = CredentialStore::with_service(&self.keychain_service);
            for name in ["Wrong", "Prod", "Staging", "Canary", "Other"] {
                let _ = store.delete(name);
            }
            let _ = KeychainKeyStore::with_service(format!("{}-drafts", self.keychain_service)).delete();
        }
    }
}

/// A command that answers raw bytes (`tauri::ipc::Response`), such as `read_document_copy`.
pub fn invoke_raw_from(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Vec<u8>, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| match body {
        tauri::ipc::InvokeResponseBody::Raw(bytes) => bytes,
        tauri::ipc::InvokeResponseBody::Json(json) => panic!("{cmd}: expected raw bytes, got JSON {json}"),
    })
}

/// A small real PNG (1×1, RGBA), as a reviewer's viewer would show it.
pub fn png_bytes() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
        0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
        0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

pub fn invoke_from(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("JSON answer"))
}

/// Invoke `cmd` with any body and headers (values percent-encoded here).
pub fn invoke_body_from(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: &[(&str, &str)],
) -> Result<Value, Value> {
    let mut map = tauri::http::HeaderMap::new();
    for (name, value) in headers {
        let encoded = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string();
        map.insert(
            tauri::http::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            tauri::http::HeaderValue::from_str(&encoded).expect("header value"),
        );
    }
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body,
        headers: map,
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("JSON answer"))
}

// ---------------------------------------------------------------------------------- drafts

impl Harness {
    /// `DraftSave` JSON for an update of `customer_id` in the active environment, starting from
    /// `loaded` (an `open_customer` answer) with `record` as typed.
    pub fn update_save(&self, loaded: &Value, record: &Value) -> Value {
        let environment = self.ok("get_session", json!({}))["active"].clone();
        json!({
            "environment": environment,
            "target": {"kind": "update", "customer_id": loaded["customer"]["customer_id"]},
            "base": {
                "record": loaded["record"],
                "partner_customer_id": loaded["customer"]["partner_customer_id"],
                "status": loaded["customer"]["status"],
                "fetched_at": loaded["fetched_at"],
            },
            "record": record,
        })
    }

    /// Open `customer_id`, apply `edit` to its record and save it as a draft; the stored draft.
    pub fn draft_with(&self, customer_id: &str, edit: impl FnOnce(&mut Value)) -> Value {
        let loaded = self.open(customer_id);
        let mut record = loaded["record"].clone();
        edit(&mut record);
        self.ok("save_draft", json!({"draft": self.update_save(&loaded, &record)}))
    }

    /// The active environment's outbox entry `id`, as `outbox_status` shows it.
    pub fn entry(&self, id: &str) -> Value {
        let status = self.ok("outbox_status", json!({}));
        status["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no entry {id} in {status}"))
    }

    /// Wait until entry `id` is in `state` (e.g. "sent"); the entry then.
    pub fn wait_for_state(&self, id: &str, state: &str) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let entry = self.entry(id);
            if entry["state"]["state"] == state {
                return entry;
            }
            assert!(std::time::Instant::now() < deadline, "entry {id} never became {state}: {entry}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The built-in sandbox's count of applied updates for `customer_id`.
    pub fn applied_updates(&self, customer_id: &str) -> u64 {
        self.state().sandbox().expect("sandbox runs").stats().updates_for(customer_id)
    }
}

pub use kyb_app::testing::{all_text_under, keychain_available};
