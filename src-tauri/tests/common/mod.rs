//! A real app (mock runtime, the app's own context and ACL) over a real in-process sandbox on a
//! free loopback port, with temporary config and data folders, driven through the IPC layer
//! exactly as the page drives it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use kyb_core::credentials::{CredentialStore, CredentialsError};
use kyb_desk_lib::state::{AppState, StateConfig};
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

impl Harness {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let keychain_service =
            format!("kyb-desk-ipc-test-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let config = StateConfig {
            config_dir: dir.path().join("config"),
            data_dir: dir.path().join("data"),
            credentials: CredentialStore::with_service(&keychain_service),
            sandbox_port: 0,
            sandbox_settle_after: Duration::from_millis(300),
        };
        // The sandbox runs on Tauri's runtime, like in the app, so it keeps serving while a test
        // thread waits for a command's answer.
        let state = tauri::async_runtime::block_on(AppState::start(config)).expect("state starts");
        let app = mock_builder()
            .invoke_handler(kyb_desk_lib::commands::handler())
            .manage(state)
            .build(kyb_desk_lib::context())
            .expect("app builds");
        let window = match app.get_webview_window("main") {
            Some(window) => window,
            None => WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("main window"),
        };
        Self { app, window, dir, keychain_service }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn sandbox_url(&self) -> String {
        self.app.state::<AppState>().sandbox().expect("sandbox runs").base_url()
    }

    /// Invoke `cmd` from the main window; `Ok(answer)` or `Err(error)` as the page receives them.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke_from(&self.window, cmd, args)
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

    /// Save an environment pointed at this harness's sandbox and make it active.
    pub fn add_environment(&self, name: &str, production: bool) -> Value {
        let url = self.sandbox_url();
        self.ok(
            "save_environment",
            json!({"environment": {"name": name, "base_url": url, "colour": "#c62828", "is_production": production}}),
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
        }
    }
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

pub fn keychain_available(service: &str) -> bool {
    match CredentialStore::with_service(service).exists("probe") {
        Ok(_) => true,
        Err(CredentialsError::KeychainUnavailable { reason }) => {
            assert!(
                std::env::var_os("KYB_REQUIRE_KEYRING").is_none(),
                "a real keychain is required here but unavailable: {reason}"
            );
            eprintln!("no keychain ({reason}); run scripts/test.sh for the real one");
            false
        }
        Err(other) => panic!("unexpected keychain error: {other}"),
    }
}

/// Every file under `dir`, as text (lossy), for secret canaries.
pub fn all_text_under(dir: &Path) -> String {
    let mut text = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else if let Ok(bytes) = std::fs::read(&path) {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}
