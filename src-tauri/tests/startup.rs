//! Start-up: `KYB_DESK_SANDBOX_PORT` fixes the built-in sandbox's port, and a sandbox that cannot
//! start leaves the app usable (the Sandbox environment then reports `network`).
//! The test sets a process environment variable, so it runs in its own process.

use std::net::TcpListener;
use std::time::Duration;

use kyb_core::credentials::CredentialStore;
use kyb_core::sealed::KeychainKeyStore;
use kyb_app::state::{AppState, StateConfig, SANDBOX_PORT_ENV};
use kyb_app::ErrorKind;

#[test]
fn sandbox_port_from_the_environment_and_a_busy_port() {
    if !crate::child_process::in_child_process("startup::sandbox_port_from_the_environment_and_a_busy_port", &[], &[]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    std::env::set_var(SANDBOX_PORT_ENV, port.to_string());
    let mut config = StateConfig::new(dir.path().join("config"), dir.path().join("data"));
    assert_eq!(config.sandbox_port, port);
    config.credentials = CredentialStore::with_service(format!("kyb-desk-startup-test-{}", std::process::id()));
    // Never the user's own drafts key (the default service) in a test.
    let drafts_key = KeychainKeyStore::with_service(format!("kyb-desk-startup-test-{}-drafts", std::process::id()));
    config.drafts_key = drafts_key.clone();
    config.sandbox_settle_after = Duration::from_millis(100);
    let state = tauri::async_runtime::block_on(AppState::start(config.clone())).unwrap();
    assert_eq!(state.sandbox().unwrap().local_addr().port(), port);
    assert!(state.sandbox().unwrap().data_dir().starts_with(dir.path().join("data")));

    // The same data folder while the first one runs: refused (one process per data folder).
    let mut same_folder = config.clone();
    same_folder.data_lock_wait = Duration::ZERO;
    let refused = tauri::async_runtime::block_on(AppState::start(same_folder)).err().expect("data folder in use");
    assert_eq!(refused.kind(), ErrorKind::DataFolderInUse);
    assert!(refused.to_string().contains(&std::process::id().to_string()), "names the holder: {refused}");

    // Same port again (another data folder) while the first one runs: the second app still
    // starts, without a sandbox.
    let mut other_folder = config;
    other_folder.data_dir = dir.path().join("data-2");
    let second = tauri::async_runtime::block_on(AppState::start(other_folder)).unwrap();
    assert!(second.sandbox().is_none());
    let err = tauri::async_runtime::block_on(second.active_client()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    let session = tauri::async_runtime::block_on(second.session()).unwrap();
    assert_eq!(session.environments[0].name, "Sandbox");

    std::env::set_var(SANDBOX_PORT_ENV, "not-a-port");
    assert_eq!(StateConfig::new(dir.path().into(), dir.path().into()).sandbox_port, 0);
    std::env::remove_var(SANDBOX_PORT_ENV);
    assert_eq!(StateConfig::new(dir.path().into(), dir.path().into()).sandbox_port, 0);
    tauri::async_runtime::block_on(state.shutdown());
    let _ = drafts_key.delete();
}
