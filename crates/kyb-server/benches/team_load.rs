//! Load on the team server: simulated desktops (default 50) each prepare, push, get approved and
//! submit new customers against one, then two, server instances on one PostgreSQL, with the
//! partner sandbox behind them. Prints throughput and p50/p99 latency per operation, and checks
//! with the sandbox's own counts that every change was applied exactly once.
//!
//!   bash scripts/measure-team.sh            (KYB_LOAD_DESKTOPS, KYB_LOAD_ROUNDS to change the size)

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use kyb_server::identity::OidcSettings;
use kyb_server::testing::{DemoProvider, TestDatabase};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

#[tokio::main]
async fn main() {
    let desktops = env_number("KYB_LOAD_DESKTOPS", 50);
    let rounds = env_number("KYB_LOAD_ROUNDS", 4);
    for instances in [1usize, 2] {
        run(instances, desktops, rounds).await;
    }
}

async fn run(instances: usize, desktops: usize, rounds: usize) {
    let db = TestDatabase::fresh().await.expect("KYB_TEST_DATABASE_URL (run through scripts/measure-team.sh)");
    let provider = DemoProvider::start().expect("the demo OIDC provider (cd scripts/oidc && npm ci)");
    let folder = tempfile::tempdir().unwrap();
    let sandbox = kyb_server::testing::partner_sandbox(&folder.path().join("sandbox"), "load-key", "load-secret").await;
    let mut config = db.server_config();
    config.oidc = Some(OidcSettings::new(provider.issuer.clone()));
    config.outbox_interval = Some(Duration::from_millis(50));
    let sealing_key = config.sealing_key.clone();
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(kyb_server::start(config.clone()).await.unwrap());
    }
    let settings = kyb_server::environments::EnvironmentSettings {
        name: "Load".into(),
        base_url: sandbox.base_url(),
        requires_approval: true,
        is_production: false,
    };
    kyb_server::environments::save(&servers[0].pool, "operator:load", &settings).await.unwrap();
    kyb_server::environments::set_credentials(&servers[0].pool, &sealing_key, "operator:load", "Load", "load-key", "load-secret").await.unwrap();
    let officer = provider.device_sign_in("olivia").await.unwrap().access_token;
    let reviewer = provider.device_sign_in("rita").await.unwrap().access_token;
    let urls: Vec<String> = servers.iter().map(|s| s.base_url()).collect();
    let record = kyb_core::outbox::editable_record(
        &kyb_sandbox::demo::customers().unwrap().into_iter().find(|c| c.customer_id == "cus_demo_0001").unwrap(),
    );

    let started = Instant::now();
    let mut tasks = Vec::new();
    for desktop in 0..desktops {
        let (url, officer, reviewer, record) = (urls[desktop % urls.len()].clone(), officer.clone(), reviewer.clone(), record.clone());
        tasks.push(tokio::spawn(async move { simulate(desktop, rounds, &url, &officer, &reviewer, &record).await }));
    }
    let mut timings: Vec<(&'static str, Duration)> = Vec::new();
    let mut entries = Vec::new();
    for task in tasks {
        let (times, mine) = task.await.unwrap();
        timings.extend(times);
        entries.extend(mine);
    }
    let http = reqwest::Client::new();
    let mut sent_at = Instant::now();
    for (partner_id, entry) in &entries {
        loop {
            let url = format!("{}/api/outbox/{entry}", urls[0]);
            let answer: Value = http.get(url).bearer_auth(&officer).send().await.unwrap().json().await.unwrap();
            if answer["state"] == "sent" {
                break;
            }
            assert!(answer["state"] == "queued" || answer["state"] == "sending", "{partner_id}: {answer}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        sent_at = Instant::now();
    }
    let elapsed = sent_at.duration_since(started);
    let stats = sandbox.stats();
    let applied_once = entries.iter().filter(|(pid, _)| stats.creates_for(pid) == 1).count();

    println!("== {instances} instance(s), {desktops} desktops x {rounds} rounds: {} changes", entries.len());
    println!("all sent after {:.2} s: {:.1} changes/s end to end", elapsed.as_secs_f64(), entries.len() as f64 / elapsed.as_secs_f64());
    println!("applied exactly once (sandbox's count): {applied_once} of {}; creates at the sandbox: {}", entries.len(), stats.total_creates());
    println!("| operation | calls | p50 | p99 |");
    println!("| --- | --- | --- | --- |");
    for operation in ["create", "push", "decide documents", "approve", "submit"] {
        let mut times: Vec<Duration> = timings.iter().filter(|(op, _)| *op == operation).map(|(_, t)| *t).collect();
        times.sort_unstable();
        println!(
            "| {operation} | {} | {:.1} ms | {:.1} ms |",
            times.len(),
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            percentile(&times, 0.99).as_secs_f64() * 1000.0
        );
    }
    assert_eq!(applied_once, entries.len(), "every change applied exactly once");
    for server in servers {
        server.shutdown().await;
    }
}

/// One desktop: `rounds` new customers, each created, edited, approved by the reviewer and submitted.
async fn simulate(desktop: usize, rounds: usize, url: &str, officer: &str, reviewer: &str, record: &Value) -> (Vec<(&'static str, Duration)>, Vec<(String, String)>) {
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    let mut entries = Vec::new();
    for round in 0..rounds {
        let partner_id = format!("LOAD-{desktop:03}-{round:02}");
        let mut mine = record.clone();
        mine["business_details"]["business_name_english"] = json!(format!("Load {desktop} {round} Ltd"));
        let call = |method: reqwest::Method, path: String, token: &str, body: Value| {
            http.request(method, format!("{url}{path}")).bearer_auth(token).json(&body).send()
        };
        let at = Instant::now();
        let new = json!({"environment": "Load", "target": {"kind": "create", "partner_customer_id": partner_id}, "base_record": {}, "record": mine, "idempotency_key": format!("load-{desktop}-{round}-create")});
        let draft: Value = call(reqwest::Method::POST, "/api/drafts".into(), officer, new).await.unwrap().json().await.unwrap();
        times.push(("create", at.elapsed()));
        let id = draft["id"].as_str().unwrap_or_else(|| panic!("{draft}")).to_owned();

        mine["primary_contact"]["contact_email"] = json!(format!("load{desktop}.{round}@example.com"));
        let at = Instant::now();
        let push = json!({"base_version": draft["version"], "record": mine, "idempotency_key": format!("load-{desktop}-{round}-push")});
        let draft: Value = call(reqwest::Method::PUT, format!("/api/drafts/{id}"), officer, push).await.unwrap().json().await.unwrap();
        times.push(("push", at.elapsed()));

        // The reviewer decides every document the record references (approval rests on them).
        let at = Instant::now();
        let documents: Vec<Value> = http.get(format!("{url}/api/drafts/{id}/documents")).bearer_auth(reviewer).send().await.unwrap().json().await.unwrap();
        for document in &documents {
            let file_id = document["file_id"].as_str().unwrap_or_default();
            let decided = call(reqwest::Method::PUT, format!("/api/drafts/{id}/documents/{file_id}/decision"), reviewer, json!({"decision": "verified"})).await.unwrap();
            assert!(decided.status().is_success(), "deciding {file_id}: {}", decided.status());
        }
        times.push(("decide documents", at.elapsed()));

        let at = Instant::now();
        let approve = json!({"version": draft["version"], "change_hash": draft["change_hash"]});
        let approved: Value = call(reqwest::Method::POST, format!("/api/drafts/{id}/approve"), reviewer, approve).await.unwrap().json().await.unwrap();
        times.push(("approve", at.elapsed()));
        assert_eq!(approved["approved_by"], json!(["rita"]), "{approved}");

        let at = Instant::now();
        let entry: Value =
            call(reqwest::Method::POST, format!("/api/drafts/{id}/submit"), officer, json!({"version": draft["version"]})).await.unwrap().json().await.unwrap();
        times.push(("submit", at.elapsed()));
        entries.push((partner_id, entry["outbox_id"].as_str().unwrap_or_else(|| panic!("{entry}")).to_owned()));
    }
    (times, entries)
}
