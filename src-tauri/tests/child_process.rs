//! A test that must change the process's environment runs in a child process of this test
//! binary, so the variables cannot leak into tests running alongside it.

/// `true` in the child (run the body). In the parent: runs `test` alone in a child process with
/// `set` and without `remove`, checks it passed, and returns `false`.
pub fn in_child_process(test: &str, set: &[(&str, &str)], remove: &[&str]) -> bool {
    const CHILD: &str = "KYB_DESK_TEST_CHILD";
    if std::env::var(CHILD).as_deref() == Ok(test) {
        return true;
    }
    let mut command = std::process::Command::new(std::env::current_exe().expect("test binary"));
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, test);
    for (name, value) in set {
        command.env(name, value);
    }
    for name in remove {
        command.env_remove(name);
    }
    let output = command.output().expect("test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{test} failed in its own process:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("1 passed"),
        "{test} did not run in its own process:\n{stdout}"
    );
    false
}
