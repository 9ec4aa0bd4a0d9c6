//! Soak: idle memory of the real app over many scripted open → edit → review → submit cycles
//! (speed goal: "idle memory growth over 500 cycles under 10%"; scripts/soak.sh; method in
//! docs/e2e.md). One launch (the harness answers "Who is working?" as Olivia Officer), then
//! `KYB_SOAK_CYCLES` cycles (default 500) against the built-in sandbox. A cycle, all through the
//! UI as a person would do it: on the Open screen type a demo customer id (rotating
//! `cus_demo_0001` … `0003`; `0004` carries planted problems) and click Open; in the editor type a
//! contact email unique to the cycle (`soak-<n>@example.com`); "Review changes"; the diff holds
//! exactly that change; Submit; wait until the outbox entry is `sent`
//! (`submit-result[data-state]`); "Open another customer" back to the Open screen. Each cycle is
//! one script in the page (values set through the native setter + `input` events, real buttons
//! clicked, the next screen awaited with a MutationObserver and a 20 ms poll, then its next
//! painted frame before acting on it), so a cycle costs one WebDriver round trip instead of dozens.
//!
//! Memory: PSS (`/proc/<pid>/smaps_rollup`) summed over the app's whole process tree (kyb-desk,
//! WebKitWebProcess, WebKitNetworkProcess), taken on the Open screen after
//! `KYB_SOAK_IDLE_SECS` (default 5) of idling: at start, at the baseline after
//! `KYB_SOAK_WARMUP` cycles (default 20: WebKit's and the app's caches fill on first use), every
//! 50 cycles and at the end; then once more after `KYB_SOAK_LONG_IDLE_SECS` (default 30; 0 skips
//! it) to see what time releases. Growth = (final − baseline) / baseline. Each sample also notes
//! what the app keeps on disk by then (outbox entries, the in-process sandbox's state, the audit
//! log), which it may keep in memory too. The figures are printed, not asserted; the run fails
//! unless every cycle submitted and at the end the sandbox holds each customer's last email.
//! Runs inside scripts/e2e.sh's session: `KYB_E2E_TOOL=soak bash scripts/e2e.sh`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kyb_tests::e2e::{app_pid, ensure, process_tree, pss_kib, read_stat, tool_exit, try_run, Desk, Options, Res};
use kyb_core::client::{ClientConfig, CustomerLookup, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use serde_json::Value;

const CUSTOMERS: [&str; 3] = ["cus_demo_0001", "cus_demo_0002", "cus_demo_0003"];
const EMAIL_FIELD: &str = "fld-primary_contact-contact_email";
const EMAIL_PATH: &str = "primary_contact.contact_email";
/// The memory-growth goal the figure is compared with.
const GOAL_PCT: f64 = 10.0;
/// Samples every this many cycles (after the baseline).
const SAMPLE_EVERY: usize = 50;
/// A cycle that takes longer than this fails (the WebDriver script timeout is 30 s).
const CYCLE_LIMIT_MS: u64 = 25_000;

/// One cycle, run in the page. Arguments: customer id, email field id, the new email, the diff
/// row's path, the time limit. Resolves with `{ok: true, marks}` back on the Open screen, or
/// `{ok: false, step, detail, screen, text}` where it stopped.
const CYCLE_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const [customerId, fieldId, newEmail, diffPath, limitMs, until] = arguments;
const t0 = performance.now();
const out = { ok: false, marks: {} };
const mark = (k) => { out.marks[k] = Math.round(performance.now() - t0); };
const q = (sel) => document.querySelector(sel);
const tid = (id) => `[data-testid="${id}"]`;
const screen = () => { const a = q(tid('app')); return a ? a.getAttribute('data-screen') : null; };
const enabled = (id) => { const e = q(tid(id)); return e && !e.disabled ? e : null; };
let finished = false;
let guard = null;
const finish = (extra) => {
  if (finished) return;
  finished = true;
  clearTimeout(guard);
  Object.assign(out, extra);
  done(out);
};
const fail = (detail) => finish({
  ok: false, detail, screen: screen(),
  text: (document.body ? document.body.innerText : '').slice(0, 3000),
});
guard = setTimeout(() => fail(`timed out after ${limitMs} ms`), limitMs);
// Run `then(value)` once `pred()` is truthy: checked on every DOM mutation and every 20 ms.
const when = (step, pred, then) => {
  out.step = step;
  let fired = false;
  let mo = null;
  let iv = null;
  const fire = () => {
    if (fired || finished) return;
    let v = null;
    try { v = pred(); } catch (e) { return fail(`${step}: ${e}`); }
    if (!v) return;
    fired = true;
    if (mo) mo.disconnect();
    if (iv) clearInterval(iv);
    try { then(v); } catch (e) { fail(`${step}: ${e && e.stack || e}`); }
  };
  mo = new MutationObserver(fire);
  mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  iv = setInterval(fire, 20);
  fire();
};
// Typing as the browser delivers it: focus, the value through the native setter, `input`.
const type = (input, value) => {
  input.focus();
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, value);
  input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
};
// A tick for Preact to re-render with what was typed before a click reads it.
const tick = (then) => setTimeout(then, 0);
// The next painted frame (+ a task): a person sees each screen before acting on it, and the
// page's own effects (focus moves to a new screen's heading) have run.
const frame = (then) => requestAnimationFrame(() => setTimeout(() => { if (!finished) then(); }, 0));

// A shorter cycle (KYB_SOAK_UNTIL): leave the editor with Close (the draft keeps the edit).
const closeToOpen = () => {
  enabled('close-customer').click();
  when('the Open screen after Close', () => screen() === 'open' && enabled('open-customer-input'), () => frame(() => {
    mark('back');
    finish({ ok: true, sent_state: 'not submitted' });
  }));
};

when('the Open screen', () => screen() === 'open' && enabled('open-customer-input') && enabled('open-customer-button') && q(tid('profile-pill')), () => frame(() => {
  mark('open_ready');
  type(q(tid('open-customer-input')), customerId);
  tick(() => {
    const input = q(tid('open-customer-input'));
    if (!input || input.value !== customerId) return fail(`the customer id input holds ${JSON.stringify(input && input.value)}`);
    enabled('open-customer-button').click();
    mark('open_click');
    when('the editor with the customer', () => {
      if (q(tid('open-error'))) throw new Error(`open failed: ${q(tid('open-error')).textContent}`);
      const shown = q(tid('customer-id'));
      const field = q(tid(fieldId));
      return screen() === 'editor' && shown && shown.textContent.trim() === customerId && field && !field.disabled && field;
    }, () => frame(() => {
      mark('editor');
      // Kept weakly: after closing, nothing should keep an old editor's DOM reachable.
      (window.__soakEditors ||= []).push(new WeakRef(q(tid('editor-form'))));
      if (until === 'editor') return closeToOpen();
      const field = q(tid(fieldId));
      out.old_email = field.value;
      type(field, newEmail);
      when('the typed email to take without errors', () => {
        const f = q(tid(fieldId));
        return f && f.value === newEmail && !q(tid(`${fieldId}-error`)) && !q(tid('error-summary'));
      }, () => tick(() => {
        mark('typed');
        if (until === 'typed') return closeToOpen();
        enabled('review-button').click();
        when('the review with the change', () => {
          if (screen() !== 'review') return false;
          const rows = [...document.querySelectorAll(tid('diff-row'))];
          const row = rows.find((r) => r.getAttribute('data-path') === diffPath);
          if (!row || !row.textContent.includes(newEmail)) return false;
          if (rows.length !== 1) throw new Error(`the diff has ${rows.length} rows: ${rows.map((r) => r.getAttribute('data-path')).join(', ')}`);
          return enabled('queue-button');
        }, () => frame(() => {
          mark('review');
          if (until === 'review') {
            enabled('back-to-edit').click();
            return when('the editor again', () => screen() === 'editor' && enabled('close-customer'), () => frame(closeToOpen));
          }
          enabled('queue-button').click();
          when('the entry to be sent', () => {
            if (screen() === 'conflict') throw new Error('the submission went to the conflict screen');
            const r = q(tid('submit-result'));
            const state = r && r.getAttribute('data-state');
            if (['failed', 'rejected', 'conflict'].includes(state)) throw new Error(`the entry is ${state}: ${r.textContent}`);
            if (q(tid('submit-error'))) throw new Error(`submit refused: ${q(tid('submit-error')).textContent}`);
            return screen() === 'submission' && state === 'sent' && enabled('open-another');
          }, () => frame(() => {
            mark('sent');
            out.sent_state = q(tid('submit-result')).getAttribute('data-state');
            enabled('open-another').click();
            when('the Open screen again', () => screen() === 'open' && enabled('open-customer-input'), () => frame(() => {
              mark('back');
              finish({ ok: true });
            }));
          }));
        }));
      }));
    }));
  });
}));
"#;

/// The executable name of a process (comm is cut at 15 characters: WebKitWebProces).
fn process_name(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .and_then(|c| c.split(|b| *b == 0).next().map(|a| String::from_utf8_lossy(a).into_owned()))
        .map(|a| a.rsplit('/').next().unwrap_or("").to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| read_stat(pid).map(|s| s.comm).unwrap_or_default())
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

struct Sample {
    label: String,
    cycles: usize,
    /// Seconds since the first cycle started.
    at_s: f64,
    pss_kib: BTreeMap<String, u64>,
    /// `Pss_Anon` (heaps, JS heap, …): unlike file-backed pages it does not shrink when another
    /// WebKit app on the machine shares the same libraries.
    anon_kib: BTreeMap<String, u64>,
    dom_nodes: u64,
    /// What the app keeps on disk by then (what it may also keep in memory).
    stored: Stored,
}

/// Sizes of the app's data folder: outbox entries (sent ones are kept), the in-process sandbox's
/// state (customers, idempotency records of every write), the audit log.
#[derive(Default, Clone, Copy)]
struct Stored {
    outbox_files: u64,
    outbox_kib: u64,
    sandbox_state_kib: u64,
    audit_kib: u64,
}

fn stored(xdg_root: &std::path::Path) -> Stored {
    let app = xdg_root.join("data/com.kybdesk.desktop");
    let size = |p: std::path::PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut s = Stored::default();
    if let Ok(dir) = std::fs::read_dir(app.join("outbox")) {
        for e in dir.flatten() {
            s.outbox_files += 1;
            s.outbox_kib += e.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    s.outbox_kib /= 1024;
    s.sandbox_state_kib = size(app.join("sandbox/state.json")) / 1024;
    s.audit_kib = size(app.join("audit/audit.log")) / 1024;
    s
}

impl Sample {
    fn total(&self) -> u64 {
        self.pss_kib.values().sum()
    }

    fn anon(&self) -> u64 {
        self.anon_kib.values().sum()
    }
}

/// A `<key>: <n> kB` line of `/proc/<pid>/smaps_rollup`.
fn rollup_kib(pid: u32, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(':')).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Idle on the Open screen, then PSS per process of the app's tree.
async fn sample(d: &Desk, pid: u32, idle: Duration, label: String, cycles: usize, at_s: f64) -> Res<Sample> {
    tokio::time::sleep(idle).await;
    let mut pss = BTreeMap::new();
    let mut anon = BTreeMap::new();
    for p in process_tree(pid) {
        let Some(k) = pss_kib(p.pid) else { continue };
        *pss.entry(process_name(p.pid)).or_insert(0) += k;
        *anon.entry(process_name(p.pid)).or_insert(0) += rollup_kib(p.pid, "Pss_Anon").unwrap_or(0);
    }
    ensure!(pss.contains_key("kyb-desk"), "no PSS for kyb-desk (pid {pid})");
    let dom_nodes = d.js("return document.getElementsByTagName('*').length", vec![]).await?.as_u64().unwrap_or(0);
    // Closed editors whose DOM is still reachable from JS, after enough allocation for the
    // collector to run (a full collection clears the weak references of unreachable ones).
    let editors = d
        .js(
            "const refs = window.__soakEditors || []; let junk = []; for (let i = 0; i < 64; i++) { junk.push(new Array(262144).fill(i)); if (junk.length > 4) junk.shift(); }              return [refs.filter((r) => { const e = r.deref(); return e && !e.isConnected; }).length, refs.length]",
            vec![],
        )
        .await?;
    eprintln!("soak editors: {editors} (closed editors still reachable from JS, of all editors opened)");
    let s = Sample { label, cycles, at_s, pss_kib: pss, anon_kib: anon, dom_nodes, stored: stored(&d.xdg_root) };
    eprintln!(
        "soak sample {:>9} after {:>4} cycles ({:>6.1} s): PSS {:.1} MiB {} (anon {:.1}); {} DOM elements; stored: {} outbox entries {} KiB, sandbox state {} KiB, audit log {} KiB",
        s.label,
        s.cycles,
        s.at_s,
        mib(s.total()),
        s.pss_kib.iter().map(|(k, v)| format!("{k}={:.1}", mib(*v))).collect::<Vec<_>>().join(" "),
        mib(s.anon()),
        s.dom_nodes,
        s.stored.outbox_files,
        s.stored.outbox_kib,
        s.stored.sandbox_state_kib,
        s.stored.audit_kib
    );
    Ok(s)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

// A single-threaded runtime, as `#[tokio::test]` gave the tool when it was a test: the figures
// stay comparable with earlier runs.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cycles: usize = env_num("KYB_SOAK_CYCLES", 500);
    let idle = Duration::from_secs(env_num("KYB_SOAK_IDLE_SECS", 5));
    let warmup: usize = env_num("KYB_SOAK_WARMUP", 20).min(cycles);
    // Where a cycle stops (to find which part of it costs memory): `sent` (the whole cycle),
    // `review`, `typed` or `editor`; the shorter ones leave the editor with Close.
    let until = std::env::var("KYB_SOAK_UNTIL").unwrap_or_else(|_| "sent".into());
    if !["sent", "review", "typed", "editor"].contains(&until.as_str()) {
        eprintln!("KYB_SOAK_UNTIL={until}: sent, review, typed or editor");
        return ExitCode::FAILURE;
    }
    let submits = until == "sent";
    // The sandbox on a known port: the end checks what the partner holds.
    let opts = Options { fixed_sandbox_port: true, ..Options::default() };
    let outcome = try_run("soak", opts, move |d| async move {
        let pid = app_pid(d.driver_pid).ok_or("no kyb-desk process under the driver")?;
        d.wait_screen("open").await?;
        let mut samples = vec![sample(&d, pid, idle, "start".into(), 0, 0.0).await?];
        let started = Instant::now();
        let mut idle_total = Duration::ZERO;
        let mut cycle_ms: Vec<f64> = Vec::with_capacity(cycles);
        let mut step_ms: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
        let mut last_email: BTreeMap<&str, String> = BTreeMap::new();
        for n in 1..=cycles {
            let customer = CUSTOMERS[(n - 1) % CUSTOMERS.len()];
            let email = format!("soak-{n}@example.com");
            let t = Instant::now();
            let args = vec![
                Value::from(customer),
                Value::from(EMAIL_FIELD),
                Value::from(email.as_str()),
                Value::from(EMAIL_PATH),
                Value::from(CYCLE_LIMIT_MS),
                Value::from(until.as_str()),
            ];
            let out = d.c.execute_async(CYCLE_SCRIPT, args).await.map_err(|e| format!("cycle {n} ({customer}): the page script failed: {e:?}"))?;
            let elapsed = t.elapsed().as_secs_f64() * 1000.0;
            if out.get("ok").and_then(Value::as_bool) != Some(true) {
                let field = |k: &str| out.get(k).map(|v| v.to_string()).unwrap_or_default();
                return Err(format!(
                    "cycle {n} ({customer}, {email}) did not submit: stopped at {} — {} (screen {}, marks {})\n--- page text ---\n{}",
                    field("step"),
                    field("detail"),
                    field("screen"),
                    field("marks"),
                    out.get("text").and_then(Value::as_str).unwrap_or("")
                )
                .into());
            }
            ensure!(!submits || out.get("sent_state").and_then(Value::as_str) == Some("sent"), "cycle {n}: result {out}");
            cycle_ms.push(elapsed);
            let marks = out.get("marks").cloned().unwrap_or_default();
            let m = |k: &str| marks.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
            for (name, a, b) in [
                ("open click → editor painted", "open_click", "editor"),
                ("Review click → review painted", "typed", "review"),
                ("Submit click → `sent` painted", "review", "sent"),
                ("Open another → Open screen painted", "sent", "back"),
            ] {
                step_ms.entry(name).or_default().push(m(b) - m(a));
            }
            if submits {
                last_email.insert(customer, email);
            }
            if n % 10 == 0 {
                eprintln!("soak cycle {n}/{cycles}: {customer} sent in {elapsed:.0} ms; {:.1} s so far", started.elapsed().as_secs_f64());
            }
            let label = if n == warmup {
                Some("baseline")
            } else if n == cycles {
                Some("final")
            } else if n > warmup && n % SAMPLE_EVERY == 0 {
                Some("")
            } else {
                None
            };
            if let Some(label) = label {
                let at = started.elapsed().as_secs_f64();
                let t_idle = Instant::now();
                samples.push(sample(&d, pid, idle, label.to_string(), n, at).await?);
                idle_total += t_idle.elapsed();
            }
        }
        let total = started.elapsed();
        let busy = total - idle_total;
        // One more sample after a long idle: what of the growth is released given time (garbage
        // collection, allocator trimming).
        let long_idle = Duration::from_secs(env_num("KYB_SOAK_LONG_IDLE_SECS", 30));
        if !long_idle.is_zero() {
            let at = started.elapsed().as_secs_f64();
            samples.push(sample(&d, pid, long_idle, format!("+{}s", long_idle.as_secs()), cycles, at).await?);
        }

        // The partner holds each customer's last typed email: the submissions really arrived.
        let sandbox = d.sandbox_url.clone().ok_or("no sandbox url")?;
        let client = PartnerClient::new(ClientConfig::new(
            sandbox.parse()?,
            ApiCredentials { api_key: kyb_sandbox::DEMO_API_KEY.into(), api_secret: kyb_sandbox::DEMO_API_SECRET.into() },
        ))?;
        for (customer, email) in &last_email {
            let stored = client.get_customer(&CustomerLookup::CustomerId((*customer).into())).await?;
            let held = stored.primary_contact.as_ref().and_then(|c| c.contact_email.clone()).unwrap_or_default();
            ensure!(&held == email, "the sandbox holds {held:?} for {customer}, the last cycle typed {email:?}");
        }

        // Report.
        let baseline = samples.iter().find(|s| s.label == "baseline").or_else(|| samples.first()).ok_or("no samples")?;
        let last = samples.iter().rev().find(|s| s.label == "final").ok_or("no final sample")?;
        let settled = samples.last().filter(|s| s.label.starts_with('+'));
        let growth = (last.total() as f64 - baseline.total() as f64) / baseline.total() as f64 * 100.0;
        let mut names: Vec<String> = samples.iter().flat_map(|s| s.pss_kib.keys().cloned()).collect();
        names.sort();
        names.dedup();
        let mut sorted = cycle_ms.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if submits {
            println!("== KYB Desk soak ({cycles} open → edit → review → submit cycles, one launch)");
        } else {
            println!("== KYB Desk soak ({cycles} cycles stopping at `{until}` and closing the editor, one launch)");
        }
        println!(
            "PSS in MiB, whole process tree, after {} s idle on the Open screen; baseline after the {warmup}-cycle warm-up (caches fill on first use)",
            idle.as_secs()
        );
        let header: Vec<String> = names.iter().map(|n| format!("{n:>22}")).collect();
        println!(
            "{:>9} {:>6} {:>8} {:>9} {} {:>10} {:>9} {:>8} {:>10} {:>11} {:>9}",
            "sample", "cycles", "time_s", "total", header.join(" "), "total_anon", "dom_elts", "outbox_n", "outbox_kib", "sandbox_kib", "audit_kib"
        );
        for s in &samples {
            let per: Vec<String> = names.iter().map(|n| format!("{:>22.1}", mib(s.pss_kib.get(n).copied().unwrap_or(0)))).collect();
            println!(
                "{:>9} {:>6} {:>8.1} {:>9.1} {} {:>10.1} {:>9} {:>8} {:>10} {:>11} {:>9}",
                s.label,
                s.cycles,
                s.at_s,
                mib(s.total()),
                per.join(" "),
                mib(s.anon()),
                s.dom_nodes,
                s.stored.outbox_files,
                s.stored.outbox_kib,
                s.stored.sandbox_state_kib,
                s.stored.audit_kib
            );
        }
        println!("soak_baseline_pss_mib {:.1}   (after cycle {})", mib(baseline.total()), baseline.cycles);
        println!("soak_final_pss_mib {:.1}   (after cycle {})", mib(last.total()), last.cycles);
        for n in &names {
            let b = baseline.pss_kib.get(n).copied().unwrap_or(0);
            let f = last.pss_kib.get(n).copied().unwrap_or(0);
            let (ba, fa) = (baseline.anon_kib.get(n).copied().unwrap_or(0), last.anon_kib.get(n).copied().unwrap_or(0));
            println!(
                "  {n} {:.1} → {:.1} ({:+.1} %); anon {:.1} → {:.1}",
                mib(b),
                mib(f),
                (f as f64 - b as f64) / b.max(1) as f64 * 100.0,
                mib(ba),
                mib(fa)
            );
        }
        let span = (last.cycles - baseline.cycles).max(1) as f64;
        println!(
            "soak_growth_pct {growth:.1}   (goal: under {GOAL_PCT:.0} % over 500 cycles; {} this run: {} cycles after the baseline, {:.0} KiB per cycle)",
            if growth < GOAL_PCT { "met" } else { "NOT met" },
            last.cycles - baseline.cycles,
            (last.total() as f64 - baseline.total() as f64) / span
        );
        println!(
            "soak_anon_growth_pct {:.1}   (Pss_Anon only: {:.1} → {:.1} MiB; file-backed PSS also moves when other WebKit apps run)",
            (last.anon() as f64 - baseline.anon() as f64) / baseline.anon().max(1) as f64 * 100.0,
            mib(baseline.anon()),
            mib(last.anon())
        );
        if let Some(s) = settled {
            println!(
                "soak_growth_pct_after_long_idle {:.1}   ({:.1} MiB after {} more idle)",
                (s.total() as f64 - baseline.total() as f64) / baseline.total() as f64 * 100.0,
                mib(s.total()),
                s.label
            );
        }
        println!(
            "soak_cycles_per_minute {:.1}   (cycling time only, {:.0} s; {:.1} with the idle samples, {:.0} s in all)",
            cycles as f64 / busy.as_secs_f64() * 60.0,
            busy.as_secs_f64(),
            cycles as f64 / total.as_secs_f64() * 60.0,
            total.as_secs_f64()
        );
        println!(
            "soak_cycle_ms median {:.0}, p95 {:.0}, max {:.0}; first 10 median {:.0}, last 10 median {:.0}",
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.95),
            sorted.last().copied().unwrap_or(f64::NAN),
            {
                let mut v = cycle_ms[..cycle_ms.len().min(10)].to_vec();
                v.sort_by(|a, b| a.partial_cmp(b).unwrap());
                percentile(&v, 0.5)
            },
            {
                let mut v = cycle_ms[cycle_ms.len().saturating_sub(10)..].to_vec();
                v.sort_by(|a, b| a.partial_cmp(b).unwrap());
                percentile(&v, 0.5)
            }
        );
        for (name, v) in &mut step_ms {
            v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            println!("  {name}: median {:.0} ms, p95 {:.0} ms", percentile(v, 0.5), percentile(v, 0.95));
        }
        if submits {
            println!("soak_cycles_ok {cycles} of {cycles}   (every cycle's entry reached `sent`; the sandbox holds each customer's last email)");
        } else {
            println!("soak_cycles_ok {cycles} of {cycles}   (every cycle reached `{until}` and closed; nothing submitted)");
        }
        Ok(())
    })
    .await;
    tool_exit(outcome)
}
