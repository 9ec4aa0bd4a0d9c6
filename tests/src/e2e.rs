//! Harness for the end-to-end tests (`tests/tests/e2e_*.rs`) and the measuring tools
//! (`src/bin/`: measure, soak, screenshots, ipc_probe, memory_probe): the release app (built with
//! the custom protocol, so it serves the real `ui/dist`) launched by `tauri-driver` +
//! `WebKitWebDriver` and driven over WebDriver with fantoccini.
//!
//! Every launch gets its own `tauri-driver` on free ports, started with fresh temporary
//! `XDG_DATA_HOME` / `XDG_CONFIG_HOME` / `XDG_CACHE_HOME` folders, so each app run starts clean
//! (no environments, no recent customers, a freshly seeded sandbox). `scripts/e2e.sh` provides the
//! rest: Xvfb, a private D-Bus session with an unlocked gnome-keyring, the built app and the
//! driver. A failing flow prints the path of a screenshot and the page's visible text.
//!
//! Paths come from the environment (scripts/e2e.sh sets them):
//! `KYB_DESK_BIN` (the app), `TAURI_DRIVER`, `KYB_NATIVE_DRIVER` (default
//! `/usr/bin/WebKitWebDriver`), `KYB_E2E_ARTIFACTS` (screenshots and logs of failures).

use std::future::Future;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// What flows return: any error becomes a test failure with a screenshot.
pub type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long a wait-for-condition waits by default (2 shared cores: be generous, it only costs
/// time when something is wrong).
pub const WAIT: Duration = Duration::from_secs(20);
/// How often conditions are re-checked.
const POLL: Duration = Duration::from_millis(50);

/// `ensure!(cond, "message {}", x)`: fail the flow (with a screenshot) unless `cond`.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            return Err(format!($($arg)+).into());
        }
    };
}

/// Flows import the macro with the rest of the harness (`use kyb_tests::e2e::{ensure, ...}`).
pub use crate::ensure;

/// Say what was being done when a step failed (WebDriver errors alone rarely do).
pub trait Context<T> {
    fn ctx(self, what: impl std::fmt::Display) -> Res<T>;
}

impl<T, E: std::fmt::Debug> Context<T> for Result<T, E> {
    fn ctx(self, what: impl std::fmt::Display) -> Res<T> {
        self.map_err(|e| format!("{what}: {e:?}").into())
    }
}

/// How to launch the app for one test.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fix the built-in sandbox's port (`KYB_DESK_SANDBOX_PORT`) to a free port chosen here, so
    /// the test knows the sandbox URL (to point another environment at it, or to check the
    /// sandbox's state directly). Otherwise the app picks a port itself.
    pub fixed_sandbox_port: bool,
    /// Extra environment variables for the app (e.g. `GTK_THEME`).
    pub env: Vec<(String, String)>,
    /// Return as soon as the WebDriver session exists, without waiting for the app shell and a
    /// first frame (measurements take their own timestamps in the page).
    pub no_settle: bool,
    /// Run with these XDG folders (`data`, `config`, `cache` inside) instead of fresh temporary
    /// ones, and leave them in place afterwards: a second launch on the same folder is the same
    /// app restarted (drafts, outbox, environments kept).
    pub xdg_root: Option<PathBuf>,
    /// The profile chosen on the start screen ("Who is working?"); [`OFFICER`] when unset.
    /// Ignored with `no_settle` (measurements choose themselves).
    pub profile: Option<String>,
    /// Run the app in its own D-Bus session with its own unlocked keyring, as on another
    /// person's desktop: a second app in the same session would hand over to the first (the
    /// single-instance plugin) and share its keychain.
    pub own_session: bool,
}

/// The profile a test acts as unless told otherwise.
pub const OFFICER: &str = "Olivia Officer";

/// A running app, as the flows see it (cheap to clone).
#[derive(Clone)]
pub struct Desk {
    pub c: Client,
    pub name: String,
    /// `http://127.0.0.1:<port>` of the built-in sandbox when `fixed_sandbox_port` was asked for.
    pub sandbox_url: Option<String>,
    /// Where failure screenshots and logs go.
    pub artifacts: PathBuf,
    /// The tauri-driver process (the app is its grandchild, via WebKitWebDriver).
    pub driver_pid: u32,
    /// The temporary folders the app runs with.
    pub xdg_root: PathBuf,
    /// Where the app writes exported files (`KYB_DESK_EXPORT_DIR`, `exports` in `xdg_root`), so a
    /// test reads an export where the officer would find it.
    pub export_dir: PathBuf,
}

/// What `launch` keeps alive and `shutdown` ends.
pub struct Running {
    pub desk: Desk,
    guard: Guard,
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// The app binary: `$KYB_DESK_BIN`, else `$CARGO_TARGET_DIR/release/kyb-desk`, else the
/// project's default target folder under `$HOME/.cache/kyb-desk`.
pub fn app_binary() -> PathBuf {
    env_path("KYB_DESK_BIN").unwrap_or_else(|| target_dir().join("release/kyb-desk"))
}

/// `$CARGO_TARGET_DIR`, else the project's default target folder under `$HOME/.cache/kyb-desk`.
fn target_dir() -> PathBuf {
    env_path("CARGO_TARGET_DIR").unwrap_or_else(|| {
        let home = env_path("HOME").unwrap_or_else(|| PathBuf::from("/root"));
        home.join(".cache/kyb-desk/target")
    })
}

fn tauri_driver() -> PathBuf {
    env_path("TAURI_DRIVER").unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

fn native_driver() -> PathBuf {
    env_path("KYB_NATIVE_DRIVER").unwrap_or_else(|| PathBuf::from("/usr/bin/WebKitWebDriver"))
}

/// Where failure screenshots and logs go: `$KYB_E2E_ARTIFACTS`, else `e2e-artifacts` in the
/// target folder the app binary is looked up in (scripts/e2e.sh's default too).
pub fn artifacts_dir() -> PathBuf {
    let dir = env_path("KYB_E2E_ARTIFACTS").unwrap_or_else(|| target_dir().join("e2e-artifacts"));
    std::fs::create_dir_all(&dir).expect("create the e2e artifacts folder");
    dir
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

/// `op` (one WebDriver command), or an error naming `what` when the app gives no answer in
/// [`WAIT`]: a step that hangs fails the test with its name instead of blocking it for ever.
pub async fn bounded<T>(what: &str, op: impl Future<Output = T>) -> Res<T> {
    tokio::time::timeout(WAIT, op).await.map_err(|_| format!("{what}: no answer from the app in {WAIT:?}").into())
}

/// Launch the app for test `name` and open a WebDriver session on it.
pub async fn launch(name: &str, opts: &Options) -> Res<Running> {
    let app = app_binary();
    ensure!(app.is_file(), "no app binary at {} (scripts/e2e.sh builds it)", app.display());
    let artifacts = artifacts_dir();
    let (dirs, root) = match &opts.xdg_root {
        Some(root) => (None, root.clone()),
        None => {
            let dirs = tempfile::Builder::new().prefix(&format!("kyb-e2e-{name}-")).tempdir()?;
            let root = dirs.path().to_path_buf();
            (Some(dirs), root)
        }
    };
    for sub in ["data", "config", "cache", "exports"] {
        std::fs::create_dir_all(root.join(sub))?;
    }
    let export_dir = root.join("exports");
    let port = free_port();
    let native_port = free_port();
    let log = artifacts.join(format!("{name}.driver.log"));
    let log_file = std::fs::File::create(&log)?;

    let mut cmd = if opts.own_session {
        let mut cmd = Command::new("dbus-run-session");
        cmd.args([
            "--",
            "bash",
            "-c",
            "echo -n e2e-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec \"$@\"",
            "kyb-e2e-session",
        ])
        .arg(tauri_driver());
        cmd
    } else {
        Command::new(tauri_driver())
    };
    cmd.arg("--port")
        .arg(port.to_string())
        .arg("--native-port")
        .arg(native_port.to_string())
        .arg("--native-driver")
        .arg(native_driver())
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("KYB_DESK_EXPORT_DIR", &export_dir)
        // One locale for every machine: date controls order their segments by it (mm/dd/yyyy).
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        // Its own process group: shutdown ends the driver, WebKitWebDriver and the app together
        // (and only them).
        .process_group(0);
    let mut sandbox_url = None;
    if opts.fixed_sandbox_port {
        let p = free_port();
        cmd.env("KYB_DESK_SANDBOX_PORT", p.to_string());
        sandbox_url = Some(format!("http://127.0.0.1:{p}"));
    }
    for (k, v) in &opts.env {
        cmd.env(k, v);
    }
    let driver = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", tauri_driver().display()))?;
    let driver_pid = driver.id();
    let xdg_root = root;
    // From here on, dropping `guard` (an early error) ends the driver's process group.
    let mut guard = Guard { driver: Some(driver), dirs, log };

    // tauri-driver listens once it has started WebKitWebDriver.
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = guard.driver.as_mut().and_then(|d| d.try_wait().ok().flatten()) {
            return Err(format!("tauri-driver exited with {status}; log: {}", guard.log.display()).into());
        }
        ensure!(Instant::now() < deadline, "tauri-driver did not listen on {port} within {WAIT:?}; log: {}", guard.log.display());
        tokio::time::sleep(POLL).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert("tauri:options".into(), json!({ "application": app }));
    // A request that fails before any answer (the connection dropped while tauri-driver was
    // still starting WebKitWebDriver; seen once in ~100 launches) is tried again; an answer
    // that refuses the session is not.
    let mut attempt = 1;
    let c = loop {
        let session = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match session {
            Ok(c) => break c,
            Err(
                e @ (fantoccini::error::NewSessionError::Lost(_)
                | fantoccini::error::NewSessionError::Failed(_)
                | fantoccini::error::NewSessionError::FailedC(_)),
            ) if attempt < 3 && Instant::now() < deadline => {
                eprintln!("{name}: WebDriver session request failed ({e}); trying again");
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => return Err(format!("WebDriver session did not start: {e}; log: {}", guard.log.display()).into()),
        }
    };
    let desk = Desk { c, name: name.to_string(), sandbox_url, artifacts, driver_pid, xdg_root, export_dir };
    let running = Running { desk, guard };
    if opts.no_settle {
        return Ok(running);
    }
    // The page is up when the app shell has rendered and a first frame has been drawn (under Xvfb
    // WebKit's first frame can come most of a second after the DOM: focus moves the page makes
    // in requestAnimationFrame would otherwise land in the middle of the test's typing).
    let profile = opts.profile.clone().unwrap_or_else(|| OFFICER.to_owned());
    let up = async {
        running.desk.wait_css("[data-testid=app]", WAIT).await?;
        running.desk.next_frame().await?;
        running.desk.choose_profile(&profile).await
    };
    if let Err(e) = up.await {
        let report = running.desk.failure_report().await;
        let log = running.guard.log_tail(40);
        running.shutdown().await;
        return Err(format!("{e}\n{report}\n--- app/driver log ---\n{log}").into());
    }
    Ok(running)
}

/// Owns the driver process group and the temporary folders; dropping it ends both.
struct Guard {
    driver: Option<Child>,
    dirs: Option<tempfile::TempDir>,
    log: PathBuf,
}

impl Guard {
    fn kill_group(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            let group = format!("-{}", driver.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && !group_gone(driver.id()) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
            let _ = driver.wait();
        }
        if let Some(dirs) = self.dirs.take() {
            let _ = dirs.close();
        }
    }

    /// The last lines of the driver's log (WebKitWebDriver's and the app's stderr).
    fn log_tail(&self, lines: usize) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.kill_group();
    }
}

impl Running {
    /// End the session (the app quits), then the driver's whole process group.
    pub async fn shutdown(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.desk.c.clone().close()).await;
        self.guard.kill_group();
    }

    /// The last lines of the driver's log (WebKitWebDriver's and the app's stderr).
    pub fn log_tail(&self, lines: usize) -> String {
        self.guard.log_tail(lines)
    }
}

/// Whether no process of group `pgid` is left.
fn group_gone(pgid: u32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else { return true };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if let Some(stat) = read_stat(pid) {
            if stat.pgrp == pgid && stat.state != 'Z' {
                return false;
            }
        }
    }
    true
}

/// Launch the app, run `flow` against it, and on failure (error or panic) print a screenshot
/// path, the page's visible text and the tail of the app's log, then fail the test.
pub async fn run<F, Fut>(name: &str, opts: Options, flow: F)
where
    F: FnOnce(Desk) -> Fut,
    Fut: Future<Output = Res> + Send + 'static,
{
    if let Err(report) = try_run(name, opts, flow).await {
        panic!("{report}");
    }
}

/// [`run`] for the measuring tools: the failure report comes back as the error, for the tool to
/// print before it exits unsuccessfully.
pub async fn try_run<F, Fut>(name: &str, opts: Options, flow: F) -> Result<(), String>
where
    F: FnOnce(Desk) -> Fut,
    Fut: Future<Output = Res> + Send + 'static,
{
    let running = match launch(name, &opts).await {
        Ok(r) => r,
        Err(e) => return Err(format!("{name}: the app did not start under WebDriver: {e}")),
    };
    let started = Instant::now();
    let outcome = tokio::spawn(flow(running.desk.clone())).await;
    let failure = match outcome {
        Ok(Ok(())) => None,
        // Debug too: a WebDriver error's Display can be empty ("webdriver returned error: ").
        Ok(Err(e)) => Some(format!("{e}\n  ({e:?})")),
        Err(join) if join.is_panic() => {
            let p = join.into_panic();
            Some(
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into()),
            )
        }
        Err(join) => Some(join.to_string()),
    };
    match failure {
        None => {
            eprintln!("{name}: passed in {:.1} s", started.elapsed().as_secs_f64());
            running.shutdown().await;
            Ok(())
        }
        Some(msg) => {
            let report = running.desk.failure_report().await;
            let log = running.log_tail(40);
            running.shutdown().await;
            Err(format!("{name} FAILED: {msg}\n{report}\n--- app/driver log (last lines) ---\n{log}\n"))
        }
    }
}

/// How a measuring tool ends: on failure its report goes to stderr and the exit status is 1.
pub fn tool_exit(outcome: Result<(), String>) -> std::process::ExitCode {
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(report) => {
            eprintln!("{report}");
            std::process::ExitCode::FAILURE
        }
    }
}

impl Desk {
    /// Act as `name`. At start "Who is working?" shows only while no profile was chosen before
    /// (the one chosen last acts again on a later start): when it does not show, the header says
    /// who acts, and another profile is chosen through its Switch button. On the chooser: pick
    /// `name` when it is listed, else type it as a new profile; continue; returns once another
    /// screen shows.
    pub async fn choose_profile(&self, name: &str) -> Res {
        let chooser = self
            .until("the chooser or an active profile", WAIT, || async {
                if self.screen().await? == "profile" {
                    return Ok(Some(true));
                }
                Ok(self.exists("profile-pill").await?.then_some(false))
            })
            .await?;
        if !chooser {
            if self.text("profile-pill").await? == name {
                return Ok(());
            }
            self.click("switch-profile").await?;
        }
        self.wait_screen("profile").await?;
        let listed = self.c.find_all(Locator::Css(&format!("{}[data-name=\"{name}\"]", tid("profile-option")))).await?;
        match listed.first() {
            Some(option) => option.click().await.ctx(format_args!("choose profile {name:?}"))?,
            None => self.fill("profile-name", name).await?,
        }
        self.click("profile-continue").await?;
        self.until("the profile to be chosen", WAIT, || async {
            Ok(Some(self.screen().await?).filter(|screen| screen != "profile"))
        })
        .await?;
        let shown = self.text("profile-pill").await?;
        ensure!(shown.contains(name), "the header shows profile {shown:?}, expected {name:?}");
        Ok(())
    }

    /// Screenshot to `<artifacts>/<name>-failure.png` and the page's visible text.
    pub async fn failure_report(&self) -> String {
        // The page first: without compositing, WebKit never answers a screenshot, and the driver
        // answers nothing after it.
        let text = match tokio::time::timeout(Duration::from_secs(10), self.visible_text()).await {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => format!("(no page text: {e})"),
            Err(_) => "(no page text: timed out)".into(),
        };
        let screen = self.screen().await.unwrap_or_default();
        let shot = self.artifacts.join(format!("{}-failure.png", self.name));
        let shot_line = match tokio::time::timeout(Duration::from_secs(10), self.c.screenshot()).await {
            Ok(Ok(png)) => match std::fs::write(&shot, png) {
                Ok(()) => format!("screenshot: {}", shot.display()),
                Err(e) => format!("screenshot not written: {e}"),
            },
            Ok(Err(e)) => format!("no screenshot: {e}"),
            Err(_) => "no screenshot: timed out".into(),
        };
        format!("{shot_line}\nscreen: {screen}\n--- visible text of the page ---\n{text}\n--- end of page text ---")
    }

    /// `document.body.innerText`: what a person sees.
    pub async fn visible_text(&self) -> Res<String> {
        Ok(self.c.execute("return document.body ? document.body.innerText : ''", vec![]).await?.as_str().unwrap_or("").to_string())
    }

    /// The app's current screen (`data-screen` on the shell).
    pub async fn screen(&self) -> Res<String> {
        let v = self.js("const a = document.querySelector('[data-testid=app]'); return a ? a.getAttribute('data-screen') : null", vec![]).await?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// Resolve after two animation frames, each followed by a task: by then the first frame has
    /// been painted and Preact's effects scheduled before this call (they run after the next
    /// frame, e.g. moving focus to a new screen's heading) have run.
    pub async fn next_frame(&self) -> Res {
        let frames = self.c.execute_async(
            "const done = arguments[arguments.length - 1];
             const frame = (then) => requestAnimationFrame(() => setTimeout(then, 0));
             frame(() => frame(() => done(true)));",
            vec![],
        );
        // Bounded: a page that paints no frame fails here instead of hanging the test.
        tokio::time::timeout(WAIT, frames).await.map_err(|_| format!("no frame was painted in {WAIT:?}"))??;
        Ok(())
    }

    /// The id of the focused element (`""` when none has one).
    pub async fn focused_id(&self) -> Res<String> {
        let v = self.c.execute("return document.activeElement ? document.activeElement.id : ''", vec![]).await?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    /// Wait until the element with DOM id `id` has focus (where the page puts the cursor).
    pub async fn wait_focus(&self, id: &str) -> Res {
        self.until(&format!("focus on #{id}"), WAIT, || async { Ok((self.focused_id().await? == id).then_some(())) }).await
    }

    /// Poll `check` until it returns `Some`, or fail after `timeout` with `what`.
    pub async fn until<T, F, Fut>(&self, what: &str, timeout: Duration, mut check: F) -> Res<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Res<Option<T>>>,
    {
        let deadline = Instant::now() + timeout;
        let mut last_err = String::new();
        loop {
            // Each check is bounded too: a WebDriver command the app never answers (a script
            // waiting on a frame that is not painted) fails the wait instead of hanging the test.
            let left = deadline.saturating_duration_since(Instant::now()).max(POLL);
            match tokio::time::timeout(left, check()).await {
                Ok(Ok(Some(v))) => return Ok(v),
                Ok(Ok(None)) => {}
                Ok(Err(e)) => last_err = format!(" (last error: {e})"),
                Err(_) => last_err = format!(" (the last check got no answer in {left:?})"),
            }
            if Instant::now() >= deadline {
                return Err(format!("timed out after {timeout:?} waiting for {what}{last_err}").into());
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Run a script that returns a value; `Null` when it throws (used by polls).
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        Ok(bounded("a script", self.c.execute(script, args)).await??)
    }

    /// The first element matching `css`, once it exists.
    pub async fn wait_css(&self, css: &str, timeout: Duration) -> Res<Element> {
        let c = self.c.clone();
        self.until(&format!("an element matching `{css}`"), timeout, || {
            let c = c.clone();
            async move {
                match c.find(Locator::Css(css)).await {
                    Ok(e) => Ok(Some(e)),
                    Err(e) if e.is_no_such_element() => Ok(None),
                    Err(e) => Err(e.into()),
                }
            }
        })
        .await
    }

    /// The element with `data-testid="<id>"`, once it exists.
    pub async fn el(&self, testid: &str) -> Res<Element> {
        self.wait_css(&tid(testid), WAIT).await
    }

    /// Whether an element with that test id exists right now.
    pub async fn exists(&self, testid: &str) -> Res<bool> {
        Ok(!self.c.find_all(Locator::Css(&tid(testid))).await?.is_empty())
    }

    /// Wait until no element with that test id exists.
    pub async fn gone(&self, testid: &str) -> Res {
        self.until(&format!("`{testid}` to disappear"), WAIT, || async { Ok((!self.exists(testid).await?).then_some(())) }).await
    }

    /// The element with that test id once it is displayed and enabled.
    pub async fn ready(&self, testid: &str) -> Res<Element> {
        let css = tid(testid);
        self.until(&format!("`{testid}` to be displayed and enabled"), WAIT, || async {
            match self.c.find(Locator::Css(&css)).await {
                Ok(e) => Ok((e.is_displayed().await? && e.is_enabled().await?).then_some(e)),
                Err(e) if e.is_no_such_element() => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// Do `op` on the element with that test id once it is displayed and enabled, scrolled to the
    /// middle of its scroll container first, as a person scrolls to it. WebDriver's own
    /// scroll-into-view can leave it under the sticky header ("element click intercepted"), and
    /// live validation moves the form while the driver acts (the error summary above it grows;
    /// WebKit has no scroll anchoring): such "not interactable" misses are retried after a frame.
    pub async fn interact<T, F, Fut>(&self, testid: &str, what: &str, mut op: F) -> Res<T>
    where
        F: FnMut(Element) -> Fut,
        Fut: Future<Output = Result<T, fantoccini::error::CmdError>>,
    {
        let mut attempt = 0;
        loop {
            let e = self.ready(testid).await?;
            self.scroll_to(&e).await?;
            match bounded(&format!("{what} `{testid}`"), op(e)).await? {
                Ok(v) => return Ok(v),
                Err(err) if attempt < 4 && is_transient(&err) => {
                    attempt += 1;
                    self.next_frame().await?;
                }
                Err(err) => return Err(format!("{what} `{testid}`: {err:?}").into()),
            }
        }
    }

    /// Click the element with that test id (see [`Desk::interact`]).
    pub async fn click(&self, testid: &str) -> Res {
        self.interact(testid, "click on", |e| async move { e.click().await }).await
    }

    /// Scroll an element to the middle of its scroll container.
    pub async fn scroll_to(&self, e: &Element) -> Res {
        self.js("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", vec![serde_json::to_value(e)?]).await?;
        Ok(())
    }

    /// Replace the text of an input: clear it, type `value`, check it took.
    pub async fn fill(&self, testid: &str, value: &str) -> Res {
        // Select what the field holds and type over it, as a person would. (WebDriver's clear()
        // fires no input event, so a re-render of the page in between could put the old value
        // back under the typing.) A value the page changed under the typing is typed again.
        let mut now = String::new();
        for _ in 0..3 {
            let c = self.c.clone();
            self.interact(testid, "type into", |e| {
                let c = c.clone();
                async move {
                    let arg = serde_json::to_value(&e).map_err(|err| {
                        fantoccini::error::CmdError::NotJson(format!("element reference: {err}"))
                    })?;
                    c.execute("arguments[0].focus(); arguments[0].select();", vec![arg]).await?;
                    let keys = if value.is_empty() { fantoccini::key::Key::Backspace.to_string() } else { value.to_owned() };
                    e.send_keys(&keys).await
                }
            })
            .await?;
            now = self.el(testid).await?.prop("value").await?.unwrap_or_default();
            if now == value {
                return Ok(());
            }
            self.next_frame().await?;
        }
        Err(format!("`{testid}` holds {now:?} after typing {value:?}").into())
    }

    /// The visible text of the element with that test id.
    pub async fn text(&self, testid: &str) -> Res<String> {
        let e = self.el(testid).await?;
        Ok(bounded(&format!("the text of `{testid}`"), e.text()).await??)
    }

    /// Wait until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, testid: &str, needle: &str) -> Res<String> {
        self.wait_text_for(testid, needle, WAIT).await
    }

    /// [`Self::wait_text`] with its own time limit (steps that wait on a server or a partner).
    pub async fn wait_text_for(&self, testid: &str, needle: &str, timeout: Duration) -> Res<String> {
        let css = tid(testid);
        self.until(&format!("`{testid}` to contain {needle:?}"), timeout, || async {
            match self.c.find(Locator::Css(&css)).await {
                Ok(e) => {
                    let t = e.text().await?;
                    Ok(t.contains(needle).then_some(t))
                }
                Err(e) if e.is_no_such_element() => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// Wait until the editor says the draft is saved.
    pub async fn wait_saved(&self) -> Res {
        self.until("the draft to be saved", WAIT, || async {
            Ok((self.el("draft-status").await?.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
        })
        .await
    }

    /// `(file_id, decision)` of each document in the document review's list, in order.
    pub async fn document_items(&self) -> Res<Vec<(String, String)>> {
        let v = self
            .js(
                "return [...document.querySelectorAll('[data-testid=doc-item]')].map(i => [i.getAttribute('data-file-id'), i.getAttribute('data-decision')])",
                vec![],
            )
            .await?;
        Ok(v.as_array()
            .map(|a| a.iter().map(|p| (p[0].as_str().unwrap_or_default().to_owned(), p[1].as_str().unwrap_or_default().to_owned())).collect())
            .unwrap_or_default())
    }

    /// Click the document `file_id` in the document review's list.
    pub async fn select_document(&self, file_id: &str) -> Res {
        let item = self.wait_css(&format!("{}[data-file-id=\"{file_id}\"]", tid("doc-item")), WAIT).await?;
        self.scroll_to(&item).await?;
        item.click().await.ctx(format_args!("select document {file_id}"))?;
        self.next_frame().await
    }

    /// Visit each document and tick every "number matches the document" box it shows, then
    /// check none was lost to a re-render (confirmations reload the review).
    pub async fn confirm_every_number(&self, items: &[(String, String)]) -> Res {
        for (file_id, _) in items {
            self.select_document(file_id).await?;
            for b in self.c.find_all(Locator::Css(&tid("confirm-match"))).await? {
                if b.prop("checked").await?.as_deref() != Some("true") {
                    self.scroll_to(&b).await?;
                    b.click().await.ctx("confirm the number matches")?;
                    self.next_frame().await?;
                }
            }
        }
        self.until("every number confirmed", WAIT, || async {
            let v = self.js("return [...document.querySelectorAll('[data-testid=confirm-match]')].every(b => b.checked)", vec![]).await?;
            Ok((v == Value::Bool(true)).then_some(()))
        })
        .await
    }

    /// Wait until the app shows screen `name` (`data-screen`) and has settled on it: on a screen
    /// change the page moves focus to the new heading after the next frame, and typing started
    /// before that would lose its keys to the heading.
    pub async fn wait_screen(&self, name: &str) -> Res {
        self.until(&format!("screen `{name}`"), WAIT, || async { Ok((self.screen().await? == name).then_some(())) }).await?;
        self.next_frame().await
    }

    /// A PNG of the window as WebKit renders it.
    pub async fn screenshot_to(&self, path: &Path) -> Res {
        let png = self.c.screenshot().await?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }
}

/// A miss that a moment later may not be one (layout moved, element re-rendered).
fn is_transient(err: &fantoccini::error::CmdError) -> bool {
    err.is_element_not_interactable()
        || err.is_stale_element_reference()
        || matches!(err, fantoccini::error::CmdError::Standard(w) if w.error == fantoccini::error::ErrorStatus::ElementClickIntercepted)
}

/// CSS selector for a `data-testid`.
pub fn tid(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// Fields of `/proc/<pid>/stat` the harness needs.
#[derive(Debug, Clone)]
pub struct Stat {
    pub pid: u32,
    pub comm: String,
    pub state: char,
    pub ppid: u32,
    pub pgrp: u32,
    /// Clock ticks after boot.
    pub starttime: u64,
}

pub fn read_stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_string();
    let rest: Vec<&str> = text[close + 2..].split_whitespace().collect();
    Some(Stat {
        pid,
        comm,
        state: rest.first()?.chars().next()?,
        ppid: rest.get(1)?.parse().ok()?,
        pgrp: rest.get(2)?.parse().ok()?,
        starttime: rest.get(19)?.parse().ok()?,
    })
}

/// Every live process, by pid.
pub fn all_processes() -> Vec<Stat> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return vec![] };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
        .filter_map(read_stat)
        .collect()
}

/// `root` and all its descendants.
pub fn process_tree(root: u32) -> Vec<Stat> {
    let all = all_processes();
    let mut out: Vec<Stat> = all.iter().filter(|s| s.pid == root).cloned().collect();
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].pid;
        out.extend(all.iter().filter(|s| s.ppid == parent).cloned());
        i += 1;
    }
    out
}

/// The app's process (`kyb-desk`) under the test's driver.
pub fn app_pid(driver_pid: u32) -> Option<u32> {
    process_tree(driver_pid).into_iter().find(|s| s.comm == "kyb-desk").map(|s| s.pid)
}

/// Proportional set size of one process in KiB (`Pss:` of `/proc/<pid>/smaps_rollup`).
pub fn pss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines().find_map(|l| l.strip_prefix("Pss:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A small valid PNG (8×8, opaque) for document uploads, written to `dir/name`.
pub fn write_png(dir: &Path, name: &str) -> PathBuf {
    // 8×8 RGB, one colour; valid signature, chunks and CRCs.
    const PNG: [u8; 74] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4B, 0x6D, 0x29, 0xDC, 0x00, 0x00, 0x00, 0x11, 0x49,
        0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xD0, 0xCA, 0xBF, 0x88, 0x15, 0x31, 0x0C, 0x2D, 0x09, 0x00, 0x33, 0x15, 0x5A,
        0x81, 0x8C, 0x43, 0xB9, 0xE8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let path = dir.join(name);
    std::fs::write(&path, PNG).expect("write the test PNG");
    path
}
