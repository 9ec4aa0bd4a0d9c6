//! Credentials against a real keychain backend (Secret Service via gnome-keyring under
//! `dbus-run-session`, as `scripts/test.sh` sets up).

use kyb_core::credentials::{ApiCredentials, CredentialStore, CredentialsError};

/// A store under a unique service name, or `None` when no keychain is reachable and the run
/// does not demand one (plain `cargo test` outside scripts/test.sh).
fn store() -> Option<CredentialStore> {
    let store = CredentialStore::with_service(format!("kyb-desk-test-{}", std::process::id()));
    match store.exists("probe") {
        Ok(_) => Some(store),
        Err(CredentialsError::KeychainUnavailable { reason }) => {
            assert!(
                std::env::var_os("KYB_REQUIRE_KEYRING").is_none(),
                "a real keychain is required here but unavailable: {reason}"
            );
            eprintln!("skipping: no keychain ({reason}); run scripts/test.sh for the real one");
            None
        }
        Err(other) => panic!("unexpected keychain error: {other}"),
    }
}

#[test]
fn save_load_replace_delete_round_trip() {
    let Some(store) = store() else { return };
    let env = "round-trip";
    let first = ApiCredentials { api_key: "key-1".into(), api_secret: "s3cret-1".into() };
    store.save(env, &first).unwrap();
    assert_eq!(store.load(env).unwrap(), first);

    let second = ApiCredentials { api_key: "key-2".into(), api_secret: "s3cret-2".into() };
    store.save(env, &second).unwrap();
    assert_eq!(store.load(env).unwrap(), second, "saving again replaces");

    store.delete(env).unwrap();
    assert!(matches!(store.load(env), Err(CredentialsError::NotFound { .. })));
    store.delete(env).expect("deleting twice is not an error");
}

#[test]
fn environments_are_kept_apart() {
    let Some(store) = store() else { return };
    let a = ApiCredentials { api_key: "a".into(), api_secret: "secret-a".into() };
    let b = ApiCredentials { api_key: "b".into(), api_secret: "secret-b".into() };
    store.save("env-a", &a).unwrap();
    store.save("env-b", &b).unwrap();
    assert_eq!(store.load("env-a").unwrap(), a);
    assert_eq!(store.load("env-b").unwrap(), b);
    store.delete("env-a").unwrap();
    store.delete("env-b").unwrap();
}

#[test]
fn debug_output_never_shows_the_secret() {
    let credentials = ApiCredentials { api_key: "canary-key-91".into(), api_secret: "canary-secret-42".into() };
    let shown = format!("{credentials:?}");
    assert!(!shown.contains("canary-secret-42") && !shown.contains("canary-key-91"), "{shown}");
}
