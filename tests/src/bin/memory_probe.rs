//! Memory probe: what kind of work the web process keeps memory for (the soak's growth
//! was in the web process while its DOM and JS heap stayed flat). One launch, then phases of one
//! kind of operation each, run in the page in batches (few WebDriver round trips); after each
//! phase the app's tree is sampled (Pss_Anon per process) after idling, and with
//! `KYB_PROBE_GC=1` after enough JS allocation for a garbage collection first (DOM that only
//! unreachable wrappers keep is then freed, so what is left is really kept). Prints KiB kept per
//! operation; fails only when an operation did not run. Diagnostic, run by hand inside
//! scripts/e2e.sh's session:
//!
//!   KYB_PROBE_GC=1 KYB_PROBE_PHASES="form_text_inputs text_inputs clone" \
//!     KYB_E2E_TOOL=memory_probe KYB_E2E_SKIP_BUILD=1 bash scripts/e2e.sh
//!
//! Phases: `ipc` / `ipc_big` (the app's IPC, `get_session` / `reference_data`), `webdriver`
//! (empty WebDriver scripts), `timer` (the control), `clone` (a copy of the editor's DOM
//! attached, painted and removed), `<markup>` (e.g. `text_inputs`, `form_text_inputs`: one kind
//! of element, as many as the editor has; see `markup`), `html_detached:<markup>` (never
//! attached), `inform:<markup>` (inside a form that stays), `strip=<attrs>` (the editor copy
//! without those attributes). `KYB_PROBE_N` (default 2000) operations per phase, a tenth of that
//! for the DOM phases. Finding (WebKitGTK 2.50.6): a `<form>` with controls that was in the
//! document and is removed keeps about 2.5 KiB per control (`form_text_inputs` ≈ 120–135 KiB per
//! op, `text_inputs` ≈ 3); IPC, WebDriver and timers keep nothing measurable.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use kyb_tests::e2e::{app_pid, ensure, process_tree, read_stat, tid, tool_exit, try_run, Desk, Options, Res};
use serde_json::Value;

/// Runs `count` operations of `kind` one after another in the page; resolves with how many
/// succeeded and the first error.
const BATCH_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const [kind, count, html] = arguments;
const op = {
  ipc: () => window.__TAURI_INTERNALS__.invoke('get_session'),
  ipc_big: () => window.__TAURI_INTERNALS__.invoke('reference_data'),
  timer: () => new Promise((r) => setTimeout(r, 0)),
  // A copy of the editor's DOM (saved by the harness) attached, laid out, painted and removed.
  clone: () => new Promise((r) => {
    const c = window.__editorCopy.cloneNode(true);
    document.body.appendChild(c);
    void c.offsetHeight;
    requestAnimationFrame(() => setTimeout(() => { c.remove(); r(); }, 0));
  }),
  // Markup given by the harness, attached, laid out, painted and removed.
  html: () => new Promise((r) => {
    const c = document.createElement('div');
    c.innerHTML = html;
    document.body.appendChild(c);
    void c.offsetHeight;
    requestAnimationFrame(() => setTimeout(() => { c.remove(); r(); }, 0));
  }),
  html_detached: () => new Promise((r) => {
    const c = document.createElement('div');
    c.innerHTML = html;
    setTimeout(r, 0);
  }),
  html_nopaint: () => new Promise((r) => {
    const c = document.createElement('div');
    c.innerHTML = html;
    document.body.appendChild(c);
    c.remove();
    setTimeout(r, 0);
  }),
  html_hidden: () => new Promise((r) => {
    const c = document.createElement('div');
    c.style.display = 'none';
    c.innerHTML = html;
    document.body.appendChild(c);
    void c.offsetHeight;
    requestAnimationFrame(() => setTimeout(() => { c.remove(); r(); }, 0));
  }),
  // The editor copy without the attributes named in `html` ('*': all but `type`).
  strip: () => new Promise((r) => {
    if (window.__strippedFor !== html) {
      const t = window.__editorCopy.cloneNode(true);
      const names = html.split(',');
      for (const e of [t, ...t.querySelectorAll('*')]) {
        for (const a of [...e.attributes]) {
          if (a.name === 'type') continue;
          if (names.includes('*') || names.includes(a.name) || names.some((n) => n.endsWith('*') && a.name.startsWith(n.slice(0, -1)))) e.removeAttribute(a.name);
        }
      }
      window.__stripped = t;
      window.__strippedFor = html;
    }
    const c = window.__stripped.cloneNode(true);
    document.body.appendChild(c);
    void c.offsetHeight;
    requestAnimationFrame(() => setTimeout(() => { c.remove(); r(); }, 0));
  }),
  // The markup inside one form that stays in the document.
  inform: () => new Promise((r) => {
    let f = document.getElementById('probe-form');
    if (!f) { f = document.createElement('form'); f.id = 'probe-form'; document.body.appendChild(f); }
    const c = document.createElement('div');
    c.innerHTML = html;
    f.appendChild(c);
    void c.offsetHeight;
    requestAnimationFrame(() => setTimeout(() => { c.remove(); r(); }, 0));
  }),
  clone_nofile: () => new Promise((r) => {
    const c = window.__editorCopyNoFile.cloneNode(true);
    document.body.appendChild(c);
    void c.offsetHeight;
    requestAnimationFrame(() => setTimeout(() => { c.remove(); r(); }, 0));
  }),
}[kind];
let ok = 0;
let error = null;
// One watchdog for the batch (a timer per operation would keep each result alive until it fires).
const watchdog = setTimeout(() => done({ ok, error: `${kind} #${ok} took over 20 s` }), 20000);
(async () => {
  for (let i = 0; i < count; i++) {
    try { await op(); ok++; } catch (e) { error = String(e && e.message || e); break; }
  }
  clearTimeout(watchdog);
  done({ ok, error });
})();
"#;

/// Markup for the `html` phases: one kind of element, as many as the editor has.
fn markup(phase: &str) -> Option<String> {
    let (one, times) = match phase {
        "text_inputs" => ("<label>Name <input type=\"text\" value=\"x\"></label>", 50),
        "date_inputs" => ("<label>Date <input type=\"date\"></label>", 8),
        "file_inputs" => ("<input type=\"file\">", 6),
        "buttons" => ("<button type=\"button\">Go</button>", 33),
        "divs" => ("<div><span>text</span> <p>more text</p></div>", 100),
        "fieldsets" => ("<fieldset><legend>Legend</legend><ul><li>item</li></ul></fieldset>", 14),
        "textarea" => ("<textarea>text</textarea>", 1),
        "form_text_inputs" => ("<form><label>Name <input type=\"text\" value=\"x\"></label></form>", 1),
        "form_date_inputs" => ("<form><label>Date <input type=\"date\"></label></form>", 1),
        "roleform_text_inputs" => ("<div role=\"form\"><label>Name <input type=\"text\" value=\"x\"></label></div>", 1),
        "form_buttons" => ("<form><button type=\"button\">Go</button></form>", 1),
        _ => return None,
    };
    // A form holding the repeated controls.
    if let Some(inner) = one.strip_prefix("<div role=\"form\">").and_then(|r| r.strip_suffix("</div>")) {
        return Some(format!("<div role=\"form\">{}</div>", inner.repeat(50)));
    }
    if let Some(inner) = one.strip_prefix("<form>").and_then(|r| r.strip_suffix("</form>")) {
        let times = match phase { "form_text_inputs" => 50, "form_date_inputs" => 8, _ => 33 };
        return Some(format!("<form>{}</form>", inner.repeat(times)));
    }
    Some(one.repeat(times))
}

fn rollup_kib(pid: u32, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(':')).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn process_name(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .and_then(|c| c.split(|b| *b == 0).next().map(|a| String::from_utf8_lossy(a).into_owned()))
        .map(|a| a.rsplit('/').next().unwrap_or("").to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| read_stat(pid).map(|s| s.comm).unwrap_or_default())
}

/// Pss_Anon per process name, in KiB, after a full garbage collection of the page's JS heap
/// (`$vm.gc()`, exposed by `JSC_useDollarVM=1`) and `idle`.
async fn sample(d: &Desk, pid: u32, idle: Duration) -> BTreeMap<String, u64> {
    // Enough JS allocation for the collector to run (and free the DOM that only unreachable
    // wrappers keep), when `KYB_PROBE_GC=1`.
    if std::env::var("KYB_PROBE_GC").is_ok_and(|v| v == "1") {
        let gc = d.js(
            "const before = (window.__probeRefs || []).length; let junk = []; for (let i = 0; i < 128; i++) { junk.push(new Array(262144).fill(i)); if (junk.length > 4) junk.shift(); } return before",
            vec![],
        )
        .await;
        eprintln!("probe gc: {gc:?}");
    }
    tokio::time::sleep(idle).await;
    let mut out = BTreeMap::new();
    for p in process_tree(pid) {
        if let Some(k) = rollup_kib(p.pid, "Pss_Anon") {
            *out.entry(process_name(p.pid)).or_insert(0) += k;
        }
    }
    out
}

async fn batch(d: &Desk, kind: &str, n: u64) -> Res {
    batch_html(d, kind, n, "").await
}

async fn batch_html(d: &Desk, kind: &str, n: u64, html: &str) -> Res {
    let mut left = n;
    while left > 0 {
        let chunk = left.min(250);
        eprintln!("probe batch {kind} x{chunk}");
        let out = d.c.execute_async(BATCH_SCRIPT, vec![Value::from(kind), Value::from(chunk), Value::from(html)]).await?;
        ensure!(out.get("ok").and_then(Value::as_u64) == Some(chunk), "{kind}: {out}");
        left -= chunk;
    }
    Ok(())
}

// A single-threaded runtime, as `#[tokio::test]` gave the tool when it was a test: the figures
// stay comparable with earlier runs.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let n: u64 = std::env::var("KYB_PROBE_N").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let idle = Duration::from_secs(5);
    let outcome = try_run("memory_probe", Options { env: vec![("JSC_useDollarVM".into(), "1".into())], ..Options::default() }, move |d| async move {
        let pid = app_pid(d.driver_pid).ok_or("no kyb-desk process under the driver")?;
        d.wait_screen("open").await?;
        // Warm-up: every kind once in quantity, so first-use caches are filled before measuring.
        for kind in ["ipc", "ipc_big", "timer"] {
            batch(&d, kind, 200).await?;
        }
        let sizes = d.js("return Promise.all([window.__TAURI_INTERNALS__.invoke('get_session'), window.__TAURI_INTERNALS__.invoke('reference_data')]).then((r) => r.map((x) => JSON.stringify(x).length))", vec![]).await?;
        println!("probe response sizes (JSON chars): get_session, reference_data = {sizes}");
        // Open a customer through the UI, keep a copy of the editor's DOM, close it again.
        d.fill("open-customer-input", "cus_demo_0001").await?;
        d.click("open-customer-button").await?;
        d.wait_css(&tid("editor-form"), Duration::from_secs(20)).await?;
        let census = d
            .js(
                "const f = document.querySelector('[data-testid=editor-form]'); window.__editorCopy = f.cloneNode(true);                  const n = f.cloneNode(true); n.querySelectorAll('input[type=file]').forEach((e) => e.remove()); window.__editorCopyNoFile = n;                  const tags = {}; for (const e of f.querySelectorAll('*')) { const k = e.tagName.toLowerCase() + (e.type ? ':' + e.type : ''); tags[k] = (tags[k] || 0) + 1; } return tags",
                vec![],
            )
            .await?;
        println!("probe editor census: {census}");
        let attrs = d.js("const f = document.querySelector('[data-testid=editor-form]'); const a = {}; for (const e of f.querySelectorAll('*')) for (const x of e.attributes) a[x.name] = (a[x.name] || 0) + 1; return a", vec![]).await?;
        println!("probe editor attributes: {attrs}");
        d.click("close-customer").await?;
        d.wait_screen("open").await?;
        batch(&d, "clone", 20).await?;
        let mut prev = sample(&d, pid, idle).await;
        println!("== memory probe: {n} operations per phase; Pss_Anon KiB per process, after {}s idle", idle.as_secs());
        println!("start {prev:?}");
        for phase in std::env::var("KYB_PROBE_PHASES").unwrap_or_else(|_| "ipc ipc_big webdriver timer clone clone_nofile".into()).split_whitespace() {
            if let Some(attrs) = phase.strip_prefix("strip=") {
                batch_html(&d, "strip", n / 10, attrs).await?;
            } else if let Some((kind, markup)) = phase.split_once(':').and_then(|(k, m)| Some((k, markup(m)?))) {
                batch_html(&d, kind, n / 10, &markup).await?;
            } else if let Some(markup) = markup(phase) {
                batch_html(&d, "html", n / 10, &markup).await?;
            } else if phase == "webdriver" {
                for _ in 0..n {
                    d.c.execute_async("arguments[arguments.length - 1](1)", vec![]).await?;
                }
            } else {
                batch(&d, phase, if phase.starts_with("clone") { n / 10 } else { n }).await?;
            }
            let now = sample(&d, pid, idle).await;
            let per_op: Vec<String> = now
                .iter()
                .map(|(k, v)| format!("{k} {:+.2} KiB/op", (*v as f64 - *prev.get(k).unwrap_or(&0) as f64) / if phase.starts_with("clone") || phase.starts_with("html") || phase.starts_with("strip") || markup(phase).is_some() { n / 10 } else { n } as f64))
                .collect();
            println!("probe_phase {phase:>9}: {}  (now {now:?})", per_op.join(", "));
            prev = now;
        }
        Ok(())
    })
    .await;
    tool_exit(outcome)
}
