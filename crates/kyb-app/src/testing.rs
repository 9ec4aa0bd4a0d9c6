//! Helpers shared by the integration tests of this crate and of the desktop shell (feature
//! `test-support`, enabled only by their dev-dependencies): whether a real keychain is there,
//! every file under a folder as text (for secret canaries), and a test run alone in a child
//! process when it must change the process's environment.

use std::path::Path;

use kyb_core::credentials::{CredentialStore, CredentialsError};

/// Whether a real keychain answers for `service`. Under `scripts/test.sh` (`KYB_REQUIRE_KEYRING`
/// set) its absence fails the test instead.
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

/// A test that must change the process's environment runs in a child process of its test
/// binary, so the variables cannot leak into tests running alongside it. `true` in the child
/// (run the body). In the parent: runs `test` alone in a child process with `set` and without
/// `remove`, checks it passed, and returns `false`.
pub fn in_child_process(test: &str, set: &[(&str, &str)], remove: &[&str]) -> bool {
    const CHILD: &str = "KYB_TEST_CHILD";
    if std::env::var(CHILD).as_deref() == Ok(test) {
        return true;
    }
    let mut command = std::process::Command::new(std::env::current_exe().expect("test binary"));
    command.args(["--exact", test, "--nocapture", "--test-threads=1"]).env(CHILD, test);
    for (name, value) in set {
        command.env(name, value);
    }
    for name in remove {
        command.env_remove(name);
    }
    let output = command.output().expect("test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{test} failed in its own process:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{test} did not run in its own process:\n{stdout}");
    false
}
