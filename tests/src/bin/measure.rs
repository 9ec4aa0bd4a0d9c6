//! Launch-to-interactive time and idle memory of the real app (scripts/measure.sh; definitions in
//! docs/e2e.md). Each run launches the release app under tauri-driver twice on the same folders:
//! the first launch ever, then the same app started again. A script in the page answers "Who is
//! working?", opens `cus_demo_0001` the moment the Open screen is usable (no think time) or
//! takes the draft the app reopened, then reports page-clock timestamps; the process start comes
//! from `/proc/<pid>/stat`. Once the editor is painted, the same script makes one keystroke that
//! invalidates the contact email and times the field's inline error.
//! After that the app idles, then the PSS of its whole process tree is summed from
//! `/proc/<pid>/smaps_rollup`.
//!
//! `KYB_MEASURE_RUNS` (default 10), `KYB_MEASURE_IDLE_SECS` (default 5), `KYB_MEASURE_LABEL`
//! (printed with the figures; scripts/measure.sh runs once with the app's rendering choice and
//! once with `KYB_DESK_RENDERING=webkit`). Runs inside scripts/e2e.sh's session:
//! `KYB_E2E_TOOL=measure bash scripts/e2e.sh`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kyb_tests::e2e::{app_pid, ensure, launch, process_tree, pss_kib, read_stat, Options, Res};
use serde_json::Value;

/// Runs in the page right after the session starts: answers the start screen's "Who is working?"
/// (profile_ready), waits (MutationObserver + a 5 ms poll) for the Open screen's input and
/// button, opens the customer at once, waits for the editor's first
/// form control to exist and be enabled, then for the next frame to be painted. Then, after
/// `SETTLE_MS`, the keystroke in the contact email (key_input → key_error_dom →
/// key_error_painted). Timestamps are epoch milliseconds
/// (`performance.timeOrigin + performance.now()`; WebKit gives whole milliseconds).
const PAGE_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const customerId = arguments[0];
const emailId = arguments[1];
const settleMs = arguments[2];
const now = () => performance.timeOrigin + performance.now();
const out = { script_start: now(), time_origin: performance.timeOrigin };
const nav = performance.getEntriesByType('navigation')[0];
if (nav) out.dom_content_loaded = performance.timeOrigin + nav.domContentLoadedEventEnd;
const when = (pred, then) => {
  let fired = false;
  const fire = () => { if (fired || !pred()) return; fired = true; mo.disconnect(); clearInterval(iv); then(); };
  const mo = new MutationObserver(fire);
  mo.observe(document, { subtree: true, childList: true, attributes: true });
  const iv = setInterval(fire, 5);
  fire();
};
const q = (sel) => document.querySelector(sel);
const openInput = () => q('[data-testid=open-customer-input]');
const openButton = () => q('[data-testid=open-customer-button]');
const firstEditorControl = () => q('[data-testid=editor-form] input, [data-testid=editor-form] select, [data-testid=editor-form] textarea');
const profileContinue = () => q('[data-testid=profile-continue]');
// The editor restored from the last session's draft, with a profile chosen.
const editorEnabled = () => firstEditorControl() && !firstEditorControl().disabled && q('[data-testid=profile-pill]');
// The Open screen can be up before the app knows whether a profile is active (then opening sends
// it to the chooser): usable means enabled *and* a profile shown in the header.
const openReady = () => openInput() && openButton() && !openInput().disabled && !openButton().disabled && q('[data-testid=profile-pill]');
// The start screen asks who is working (local profiles): answer it as a person would, then go on.
const chooseProfile = (then) => when(() => openReady() || profileContinue(), () => {
  if (openReady()) return then();
  out.profile_ready = now();
  const answer = () => {
    const name = q('[data-testid=profile-name]');
    const listed = q('[data-testid=profile-option]');
    if (listed) listed.click();
    else {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(name, 'Measure');
      name.dispatchEvent(new Event('input', { bubbles: true }));
    }
    setTimeout(() => { if (profileContinue()) profileContinue().click(); }, 0);
  };
  answer();
  when(() => openReady() || editorEnabled(), then);
  // The chooser can be re-rendered from scratch while its list loads, dropping what was typed:
  // answer again while it is still there (a person would see the empty box and type again).
  const again = setInterval(() => {
    if (openReady() || !profileContinue()) return clearInterval(again);
    const box = q('[data-testid=profile-name]');
    if (!profileContinue().disabled && (q('[data-testid=profile-option]') || (box && box.value === ''))) answer();
  }, 250);
});
// Keystroke to inline error: a keystroke in the contact email makes it invalid. The UI
// validates every edit at once (ui/src/state/store.ts: validate_record over IPC, signals, Preact
// render). The inline error is caught by a MutationObserver the moment it is in the DOM with
// text; then the next frame. A record restored from a draft may already hold the invalid email
// of an earlier run: it is first made valid again (and that error gone) before the keystroke.
const keystroke = (finish) => {
  const field = q(`[data-testid=${emailId}]`);
  const errorSel = `[data-testid=${emailId}-error]`;
  if (!field) { out.keystroke_error = 'no email field'; return finish(out); }
  const setValue = (v) => Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(field, v);
  const shown = () => { const e = q(errorSel); return e && e.textContent.trim() !== ''; };
  if (shown()) {
    field.focus();
    setValue('measure@example.com');
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'm' }));
    return when(() => !shown(), () => setTimeout(() => keystroke(finish), settleMs));
  }
  let finished = false;
  const end = () => {
    if (finished) return;
    finished = true;
    mo.disconnect();
    finish(out);
  };
  const mo = new MutationObserver(() => {
    if (out.key_error_dom !== undefined || !shown()) return;
    out.key_error_dom = now();
    out.key_error_text = q(errorSel).textContent.trim();
    requestAnimationFrame(() => setTimeout(() => { out.key_error_painted = now(); end(); }, 0));
  });
  mo.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  setTimeout(() => { if (out.key_error_dom === undefined) { out.keystroke_error = 'no inline error within 5 s'; end(); } }, 5000);
  // The validate_record call of this keystroke: when it left the page and when its answer was
  // in. Tauri's IPC is a fetch of ipc://localhost/<command> (its invoke is not writable, and
  // WebKit does not list ipc:// requests in resource timing), so the page's fetch is wrapped.
  const fetch0 = window.fetch;
  window.fetch = function (input, ...rest) {
    const sent = now();
    const answer = fetch0.call(this, input, ...rest);
    if (String(input).includes('validate_record') && out.key_ipc_sent === undefined) {
      out.key_ipc_sent = sent;
      answer.then((r) => r.clone().arrayBuffer()).then(() => { out.key_ipc_answered = now(); }, () => {});
    }
    return answer;
  };
  field.focus();
  const key = { key: 'l', code: 'KeyL', bubbles: true, cancelable: true };
  field.dispatchEvent(new KeyboardEvent('keydown', key));
  setValue('not-an-email');
  out.key_input = now();
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'l' }));
  out.key_input_handled = now();
  field.dispatchEvent(new KeyboardEvent('keyup', key));
};
// A clearer failure than WebDriver's script timeout: where the page got stuck.
setTimeout(() => {
  const app = q('[data-testid=app]');
  const name = q('[data-testid=profile-name]');
  out.stuck = `screen=${app && app.dataset.screen} profile-name=${name && JSON.stringify(name.value)} ` +
    `continue disabled=${profileContinue() && profileContinue().disabled} ` +
    `error=${JSON.stringify((q('[data-testid=profile-name-error]') || q('[data-testid=profile-error]') || {}).textContent)} ` +
    `marks=${JSON.stringify(out)}`;
  done(out);
}, 25000);
const editorUp = () => {
  out.editor_enabled = now();
  requestAnimationFrame(() => setTimeout(() => {
    out.editor_painted = now();
    const paint = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
    if (paint) out.first_contentful_paint = performance.timeOrigin + paint.startTime;
    // Let the validation of the freshly loaded record finish, as a person would be reading.
    setTimeout(() => keystroke(done), settleMs);
  }, 0));
};
chooseProfile(() => when(() => openReady() || editorEnabled(), () => {
  // A returning launch reopens the draft that was open when the app last closed.
  if (editorEnabled()) { out.restored = 1; return editorUp(); }
  out.open_ready = now();
  const input = openInput();
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, customerId);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  // Let Preact re-render with the typed value before the click reads it.
  setTimeout(() => {
    out.open_click = now();
    openButton().click();
    when(editorEnabled, editorUp);
  }, 0);
}));
"#;

/// The field typed into for the keystroke figures (its inline error is `<id>-error`).
const EMAIL_FIELD: &str = "fld-primary_contact-contact_email";
/// Pause after the editor is painted before the keystroke (the load's own validation finishes).
const SETTLE_MS: u64 = 500;

fn epoch_ms_now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0
}

/// Epoch milliseconds at which process `pid` started (10 ms resolution: clock ticks).
fn process_start_epoch_ms(pid: u32) -> Res<f64> {
    let ticks = read_stat(pid).ok_or("no /proc stat for the app")?.starttime as f64;
    let hz: f64 = String::from_utf8(std::process::Command::new("getconf").arg("CLK_TCK").output()?.stdout)?.trim().parse()?;
    let uptime_s: f64 = std::fs::read_to_string("/proc/uptime")?.split_whitespace().next().ok_or("uptime")?.parse()?;
    let boot_ms = epoch_ms_now() - uptime_s * 1000.0;
    Ok(boot_ms + ticks / hz * 1000.0)
}

/// The executable name of a process (comm is cut at 15 characters: WebKitWebProces).
fn process_name(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .and_then(|c| c.split(|b| *b == 0).next().map(|a| String::from_utf8_lossy(a).into_owned()))
        .map(|a| a.rsplit('/').next().unwrap_or("").to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| read_stat(pid).map(|s| s.comm).unwrap_or_default())
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("Rss:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()))
        .unwrap_or(0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

struct Sample {
    /// Milliseconds after the process started.
    marks: BTreeMap<&'static str, f64>,
    pss_kib_by_process: BTreeMap<String, u64>,
    rss_kib_total: u64,
    /// The editor came up with the last session's draft (no Open screen).
    restored: bool,
}

/// One launch on the XDG folders under `root` (fresh the first time, the same app restarted the
/// second time): the page script's marks, then the memory after `idle`.
async fn one_launch(name: &str, root: &std::path::Path, idle: Duration, close_after: bool) -> Res<Sample> {
    let opts = Options { no_settle: true, xdg_root: Some(root.to_path_buf()), ..Options::default() };
    let running = launch(name, &opts).await?;
    let d = running.desk.clone();
    let result = async {
        let pid = app_pid(d.driver_pid).ok_or("no kyb-desk process under the driver")?;
        let start = process_start_epoch_ms(pid)?;
        let args = vec![Value::from("cus_demo_0001"), Value::from(EMAIL_FIELD), Value::from(SETTLE_MS)];
        eprintln!("[{name}] page script started");
        let out: Value = tokio::time::timeout(Duration::from_secs(45), d.c.execute_async(PAGE_SCRIPT, args))
            .await
            .map_err(|_| "the page script did not answer within 45 s")??;
        eprintln!("[{name}] page script answered");
        if let Some(e) = out.get("stuck").and_then(Value::as_str) {
            return Err(format!("the page script got stuck: {e}").into());
        }
        if let Some(e) = out.get("keystroke_error").and_then(Value::as_str) {
            return Err(format!("keystroke measurement: {e}").into());
        }
        let mut marks = BTreeMap::new();
        for key in [
            "time_origin",
            "dom_content_loaded",
            "first_contentful_paint",
            "script_start",
            "profile_ready",
            "open_ready",
            "open_click",
            "editor_enabled",
            "editor_painted",
            "key_input",
            "key_input_handled",
            "key_ipc_sent",
            "key_ipc_answered",
            "key_error_dom",
            "key_error_painted",
        ] {
            if let Some(t) = out.get(key).and_then(Value::as_f64) {
                marks.insert(key, t - start);
            }
        }
        let shown = d.text("customer-id").await?;
        ensure!(shown == "cus_demo_0001", "the editor shows {shown:?}");

        eprintln!("[{name}] idle");
        tokio::time::sleep(idle).await;
        let mut pss = BTreeMap::new();
        let mut rss = 0;
        for p in process_tree(pid) {
            let Some(k) = pss_kib(p.pid) else { continue };
            *pss.entry(process_name(p.pid)).or_insert(0) += k;
            rss += rss_kib(p.pid);
        }
        if close_after {
            // Closed, so the next launch starts on the Open screen rather than reopening this
            // draft (the restore races the page script's own open).
            d.click("close-customer").await?;
            d.wait_screen("open").await?;
        }
        Ok(Sample { marks, pss_kib_by_process: pss, rss_kib_total: rss, restored: out.get("restored").is_some() })
    }
    .await;
    if result.is_err() {
        eprintln!("{}", d.failure_report().await);
    }
    running.shutdown().await;
    result
}

/// The first launch ever on fresh folders, then the same app started again (what a returning
/// user sees: the profile is listed; the customer opens with the draft the first launch left).
async fn one_run(i: usize, idle: Duration) -> Res<(Sample, Sample)> {
    let root = tempfile::Builder::new().prefix(&format!("kyb-measure-{i}-")).tempdir()?;
    let first = one_launch(&format!("measure_{i}_first"), root.path(), idle, true).await?;
    let returning = one_launch(&format!("measure_{i}_returning"), root.path(), idle, false).await?;
    Ok((first, returning))
}

fn describe(kind: &str, i: usize, s: &Sample) {
    let pss: u64 = s.pss_kib_by_process.values().sum();
    let m = |k: &str| s.marks.get(k).copied().unwrap_or(f64::NAN);
    eprintln!(
        "run {i} ({kind}): launch→editor enabled {:.0} ms (profile chooser {:.0} ms, open screen usable {:.0} ms, open→enabled {:.0} ms{}), painted {:.0} ms; \
         keystroke→error {:.1} ms DOM / {:.1} ms painted; PSS {:.1} MiB {:?}",
        m("editor_enabled"),
        m("profile_ready"),
        m("open_ready"),
        m("editor_enabled") - m("open_click"),
        if s.restored { ", draft restored" } else { "" },
        m("editor_painted"),
        m("key_error_dom") - m("key_input"),
        m("key_error_painted") - m("key_input"),
        pss as f64 / 1024.0,
        s.pss_kib_by_process.iter().map(|(k, v)| format!("{k}={:.1}", *v as f64 / 1024.0)).collect::<Vec<_>>()
    );
}

fn summary(label: &str, kind: &str, samples: &[Sample], idle: Duration) {
    let runs = samples.len();
    let med = |f: &dyn Fn(&Sample) -> Option<f64>| median(samples.iter().filter_map(f).collect());
    let mark = |k: &'static str| med(&|s: &Sample| s.marks.get(k).copied());
    let span = |a: &'static str, b: &'static str| med(&|s: &Sample| Some(s.marks.get(b)? - s.marks.get(a)?));
    let mib = |kib: f64| kib / 1024.0;
    let mut names: Vec<String> = samples.iter().flat_map(|s| s.pss_kib_by_process.keys().cloned()).collect();
    names.sort();
    names.dedup();
    let restored = samples.iter().filter(|s| s.restored).count();

    println!("== KYB Desk measurements [{label}, {kind} launch] (median of {runs} runs; ms after the kyb-desk process started)");
    println!("launch_to_interactive_ms {:.0}   (editor's first input enabled{})", mark("editor_enabled"), if restored > 0 { format!("; the last draft reopened in {restored} of {runs}") } else { String::new() });
    println!("launch_to_interactive_painted_ms {:.0}   (first frame after that)", mark("editor_painted"));
    println!("  webview navigation start {:.0}", mark("time_origin"));
    println!("  DOMContentLoaded {:.0}", mark("dom_content_loaded"));
    println!("  first contentful paint {:.0}", mark("first_contentful_paint"));
    println!("  profile chooser seen (\"Who is working?\", answered at once) {:.0}", mark("profile_ready"));
    println!("  open screen usable (seen by the page script; an upper bound) {:.0}", mark("open_ready"));
    println!("  open click → editor input enabled {:.0}", span("open_click", "editor_enabled"));
    println!("keystroke_to_error_dom_ms {:.1}   (input event → the field's inline error in the DOM: validate_record over IPC + render)", span("key_input", "key_error_dom"));
    println!("keystroke_to_error_painted_ms {:.1}   (→ next frame)", span("key_input", "key_error_painted"));
    println!("  input event handled (synchronous part of the keystroke) {:.2}", span("key_input", "key_input_handled"));
    println!("  input event → validate_record sent {:.1}", span("key_input", "key_ipc_sent"));
    println!("  validate_record round trip (IPC + Rust validation) {:.1}", span("key_ipc_sent", "key_ipc_answered"));
    println!("  answer → inline error in the DOM (signals + Preact render) {:.1}", span("key_ipc_answered", "key_error_dom"));
    println!(
        "idle_pss_mib {:.1}   (whole tree after {}s idle with cus_demo_0001 open)",
        mib(med(&|s: &Sample| Some(s.pss_kib_by_process.values().sum::<u64>() as f64))),
        idle.as_secs()
    );
    for n in &names {
        println!("  {n} {:.1}", mib(med(&|s: &Sample| s.pss_kib_by_process.get(n).map(|v| *v as f64))));
    }
    println!("idle_rss_sum_mib {:.1}   (for comparison; counts shared pages once per process)", mib(med(&|s: &Sample| Some(s.rss_kib_total as f64))));
}

// A single-threaded runtime, as `#[tokio::test]` gave the tool when it was a test: the figures
// stay comparable with earlier runs.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let runs: usize = std::env::var("KYB_MEASURE_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let idle = Duration::from_secs(std::env::var("KYB_MEASURE_IDLE_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(5));
    let label = std::env::var("KYB_MEASURE_LABEL").unwrap_or_else(|_| "default".into());
    let mut first = vec![];
    let mut returning = vec![];
    for i in 0..runs {
        let (f, r) = match one_run(i, idle).await {
            Ok(samples) => samples,
            Err(e) => {
                eprintln!("run {i}: {e}");
                return ExitCode::FAILURE;
            }
        };
        describe("first", i, &f);
        describe("returning", i, &r);
        first.push(f);
        returning.push(r);
    }
    summary(&label, "first", &first, idle);
    summary(&label, "returning", &returning, idle);
    ExitCode::SUCCESS
}
