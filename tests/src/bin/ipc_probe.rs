//! IPC latency probe (speed goal: keystroke → inline error): how long one `validate_record` round
//! trip takes in the real app, idle and right after the page changed what is on screen. One
//! launch, the editor open on `cus_demo_0001`, then phases of `KYB_PROBE_N` (default 40) calls
//! each, timed in the page with `performance.now()`; prints median and 90th percentile per
//! phase. Fails only when a call goes unanswered. Diagnostic, run by hand inside scripts/e2e.sh's
//! session:
//!
//!   KYB_E2E_TOOL=ipc_probe KYB_E2E_SKIP_BUILD=1 bash scripts/e2e.sh
//!
//! Phases: `back_to_back` (one call after another), `idle` (each after 100 ms of quiet),
//! `after_repaint` (each right after a visible text change in the page, as a keystroke makes),
//! `after_keystroke` (each right after a real edit of the contact email, so the app's own
//! validation and render run too). `KYB_PROBE_PHASES` picks phases in order; the pseudo-phase
//! `use_post_message` makes one custom-protocol fetch fail, after which Tauri sends all IPC
//! through `window.ipc.postMessage` and answers by evaluating script in the page.

use std::process::ExitCode;

use kyb_tests::e2e::{ensure, tool_exit, try_run, Options, WAIT};
use serde_json::Value;

const PROBE_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const [phase, count] = arguments;
const invoke = window.__TAURI_INTERNALS__.invoke;
const record = window.__probeRecord || {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const field = document.getElementById('fld-primary_contact-contact_email');
const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
const banner = document.createElement('div');
banner.style.cssText = 'position:fixed;top:0;left:0;font-size:20px;background:#ff0';
document.body.appendChild(banner);
(async () => {
  if (phase === 'use_post_message') {
    // Tauri falls back to its postMessage IPC for good once a custom-protocol fetch fails.
    const fetch0 = window.fetch;
    window.fetch = (input, init) => String(input).startsWith('ipc:') ? Promise.reject(new TypeError('probe: ipc fetch refused')) : fetch0(input, init);
    await invoke('validate_record', { record });
    window.fetch = fetch0;
    banner.remove();
    return done([]);
  }
  const times = [];
  for (let i = 0; i < count; i++) {
    if (phase === 'idle') await sleep(100);
    if (phase === 'after_repaint') { await sleep(100); banner.textContent = 'probe ' + i; }
    if (phase === 'after_keystroke') {
      await sleep(100);
      setter.call(field, 'probe-' + i + '@example.com');
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    const t0 = performance.now();
    await invoke('validate_record', { record });
    times.push(performance.now() - t0);
  }
  banner.remove();
  done(times);
})().catch((e) => done({ error: String(e) }));
"#;

// A single-threaded runtime, as `#[tokio::test]` gave the tool when it was a test: the figures
// stay comparable with earlier runs.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let outcome = try_run("ipc_probe", Options::default(), |d| async move {
        d.wait_screen("open").await?;
        d.fill("open-customer-input", "cus_demo_0001").await?;
        d.click("open-customer-button").await?;
        d.wait_screen("editor").await?;
        d.wait_css("#fld-primary_contact-contact_email", WAIT).await?;
        d.next_frame().await?;
        let count: u64 = std::env::var("KYB_PROBE_N").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
        let phases = std::env::var("KYB_PROBE_PHASES").unwrap_or_else(|_| "back_to_back idle after_repaint after_keystroke".into());
        for phase in phases.split_whitespace() {
            if phase == "use_post_message" {
                d.c.execute_async(PROBE_SCRIPT, vec![Value::from(phase), Value::from(1)]).await?;
                println!("ipc_probe (from here on: Tauri's postMessage IPC instead of the ipc:// custom protocol)");
                continue;
            }
            let script = d.c.execute_async(PROBE_SCRIPT, vec![Value::from(phase), Value::from(count)]);
            let answer = tokio::time::timeout(std::time::Duration::from_secs(60), script)
                .await
                .map_err(|_| format!("{phase}: no answer within 60 s"))??;
            let Some(list) = answer.as_array() else { return Err(format!("{phase}: {answer}").into()) };
            let mut ms: Vec<f64> = list.iter().filter_map(Value::as_f64).collect();
            ensure!(ms.len() as u64 == count, "{phase}: {} of {count} calls answered", ms.len());
            ms.sort_by(f64::total_cmp);
            let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
            println!("ipc_probe {phase:<16} median {:5.1} ms   p90 {:5.1} ms   max {:5.1} ms", at(0.5), at(0.9), at(1.0));
        }
        Ok(())
    })
    .await;
    tool_exit(outcome)
}
