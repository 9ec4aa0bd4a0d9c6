//! Speed goal: a submit through `PartnerClient` should take at most 1.1x the time of the
//! same request sent by curl to the same local sandbox.
//!
//! `cargo bench -p kyb-tests --bench submit_vs_curl` (release profile; no criterion, plain
//! `Instant` and curl's own `-w '%{time_total}'`). Starts an in-process sandbox with the demo
//! customers on 127.0.0.1:0 and sends the same `POST /api/customers/cus_demo_0002/update`
//! (same method, URL, credential headers, body bytes, no Idempotency-Key) three ways:
//!
//! 1. the client: `update_customer` on one `PartnerClient` (its pooled keep-alive connection is
//!    reused), wall time per call including body serialization and response parsing;
//! 2. curl, one process per request: a fresh TCP connection every time (process start-up is not
//!    counted: the figure is curl's `time_total`);
//! 3. curl, one process for all requests (`-K config` with N `url =` entries): one keep-alive
//!    connection reused, `time_total` per transfer.
//!
//! The fair comparison for the client is (3): both reuse one connection. (2) additionally pays a
//! TCP handshake per request, so it flatters the client.
//!
//! Environment: `SUBMIT_BENCH_N` (default 200), `SUBMIT_BENCH_WARMUP` (default 20).

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use kyb_core::client::{ClientConfig, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::validation::{check_update, ValidationContext};
use kyb_sandbox::{SandboxConfig, DEMO_API_KEY, DEMO_API_SECRET};

const CUSTOMER: &str = "cus_demo_0002";
const TARGET_RATIO: f64 = 1.1;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Summary {
    median: f64,
    p90: f64,
    min: f64,
    mean: f64,
}

/// Milliseconds.
fn summarize(mut samples: Vec<f64>) -> Summary {
    assert!(!samples.is_empty());
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Summary { median: at(0.5), p90: at(0.9), min: samples[0], mean: samples.iter().sum::<f64>() / samples.len() as f64 }
}

fn show(label: &str, s: &Summary) {
    println!("{label:<48} median {:.3} ms  p90 {:.3} ms  min {:.3} ms  mean {:.3} ms", s.median, s.p90, s.min, s.mean);
}

fn curl_args(body_path: &str) -> Vec<String> {
    vec![
        "-s".into(),
        "-X".into(),
        "POST".into(),
        "-H".into(),
        "Content-Type: application/json".into(),
        "-H".into(),
        format!("X-API-Key: {DEMO_API_KEY}"),
        "-H".into(),
        format!("X-API-Secret: {DEMO_API_SECRET}"),
        "--data-binary".into(),
        format!("@{body_path}"),
    ]
}

/// One curl process per request; returns curl's `time_total` in ms.
fn curl_one(url: &str, body_path: &str) -> f64 {
    let out = Command::new("curl")
        .args(curl_args(body_path))
        .args(["-o", "/dev/null", "-w", "%{http_code} %{time_total}", url])
        .output()
        .expect("run curl");
    assert!(out.status.success(), "curl failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let (code, total) = text.trim().split_once(' ').expect("curl -w output");
    assert_eq!(code, "200", "curl got HTTP {code}");
    total.parse::<f64>().expect("time_total") * 1000.0
}

/// One curl process, `count` transfers over one kept-alive connection; `time_total` per transfer
/// in ms, plus how many new connections curl opened (`num_connects` summed).
fn curl_many(url: &str, body_path: &str, count: usize, dir: &std::path::Path) -> (Vec<f64>, u64) {
    let config_path = dir.join(format!("curl-{count}.conf"));
    let mut config = std::fs::File::create(&config_path).unwrap();
    for _ in 0..count {
        writeln!(config, "url = \"{url}\"\noutput = \"/dev/null\"").unwrap();
    }
    drop(config);
    let out = Command::new("curl")
        .args(curl_args(body_path))
        .args(["-w", "%{http_code} %{time_total} %{num_connects}\\n", "-K"])
        .arg(&config_path)
        .output()
        .expect("run curl");
    assert!(out.status.success(), "curl failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut times = Vec::with_capacity(count);
    let mut connects = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut parts = line.split_whitespace();
        let code = parts.next().unwrap();
        assert_eq!(code, "200", "curl got HTTP {code}");
        times.push(parts.next().unwrap().parse::<f64>().unwrap() * 1000.0);
        connects += parts.next().unwrap().parse::<u64>().unwrap();
    }
    assert_eq!(times.len(), count);
    (times, connects)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument from `cargo bench -- <filter>` is ignored.
    let n = env_count("SUBMIT_BENCH_N", 200);
    let warmup = env_count("SUBMIT_BENCH_WARMUP", 20);

    match Command::new("curl").arg("--version").output() {
        Ok(out) if out.status.success() => {
            println!("{}", String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("curl"));
        }
        _ => {
            eprintln!("curl not found on PATH: cannot compare; skipping");
            return;
        }
    }

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sandbox = rt
        .block_on(kyb_sandbox::start(SandboxConfig {
            seed_demo_customers: true,
            settle_after: Duration::from_millis(200),
            ..SandboxConfig::for_tests(dir.path().join("sandbox"))
        }))
        .expect("start sandbox");
    let base_url = sandbox.base_url();

    // The body exactly as the client sends it: the demo customer's editable sections, validated,
    // serialized with serde_json::to_vec (PartnerClient::json_request).
    let customer = kyb_sandbox::demo::customers().unwrap().into_iter().find(|c| c.customer_id == CUSTOMER).unwrap();
    let body = check_update(customer.sections(), &ValidationContext::now()).unwrap_or_else(|issues| panic!("{issues:#?}"));
    let json = serde_json::to_vec(body.get()).unwrap();
    let body_path = dir.path().join("update.json");
    std::fs::write(&body_path, &json).unwrap();
    let body_path = body_path.to_str().unwrap().to_owned();

    let client = PartnerClient::new(ClientConfig::new(
        base_url.parse().unwrap(),
        ApiCredentials { api_key: DEMO_API_KEY.into(), api_secret: DEMO_API_SECRET.into() },
    ))
    .unwrap();
    let url = format!("{}/api/customers/{CUSTOMER}/update", base_url.trim_end_matches('/'));
    println!("POST {url}  body {} bytes  N={n} (after {warmup} warm-up)", json.len());

    // Client: one PartnerClient, pooled connection, wall time per call.
    let client_ms: Vec<f64> = rt.block_on(async {
        for _ in 0..warmup {
            client.update_customer(CUSTOMER, &body, None).await.expect("warm-up update");
        }
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let start = Instant::now();
            let updated = client.update_customer(CUSTOMER, &body, None).await;
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            updated.expect("update");
        }
        times
    });

    // curl, one process (one new TCP connection) per request.
    for _ in 0..warmup {
        curl_one(&url, &body_path);
    }
    let curl_fresh: Vec<f64> = (0..n).map(|_| curl_one(&url, &body_path)).collect();

    // curl, one process, N transfers on one keep-alive connection (warm-up transfers dropped).
    let (mut curl_reuse, connects) = curl_many(&url, &body_path, warmup + n, dir.path());
    let curl_reuse: Vec<f64> = curl_reuse.drain(warmup..).collect();

    // Client again, to see drift (the sandbox's store grows its history as updates are applied).
    let client_again: Vec<f64> = rt.block_on(async {
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let start = Instant::now();
            let updated = client.update_customer(CUSTOMER, &body, None).await;
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            updated.expect("update");
        }
        times
    });

    let client_s = summarize(client_ms);
    let client2_s = summarize(client_again);
    let fresh_s = summarize(curl_fresh);
    let reuse_s = summarize(curl_reuse);
    println!();
    show("client (PartnerClient::update_customer)", &client_s);
    show("client, second run (after the curl runs)", &client2_s);
    show("curl, one process per request (new conn each)", &fresh_s);
    show(&format!("curl, one connection, N transfers ({connects} connect)"), &reuse_s);
    println!();
    let fair = client_s.median / reuse_s.median;
    println!(
        "client median {:.3} ms, curl (one connection, N transfers) median {:.3} ms, ratio {:.2}x  [fair comparison: both keep-alive]",
        client_s.median, reuse_s.median, fair
    );
    println!(
        "client median {:.3} ms, curl (one process per request) median {:.3} ms, ratio {:.2}x  [curl pays a TCP connect per request]",
        client_s.median, fresh_s.median, client_s.median / fresh_s.median
    );
    println!(
        "p90 ratios: vs one connection {:.2}x, vs one process per request {:.2}x",
        client_s.p90 / reuse_s.p90,
        client_s.p90 / fresh_s.p90
    );
    println!(
        "target <= {TARGET_RATIO:.1}x (median, fair comparison): {}",
        if fair <= TARGET_RATIO { "MET" } else { "NOT MET" }
    );
    drop(sandbox);
}
