//! The server over HTTP: migrations at start, health, and a checkpoint a desktop can verify.

use serde_json::{json, Value};

use kyb_server::checkpoint::Checkpoint;
use kyb_server::testing::TestDatabase;

#[tokio::test]
async fn starts_answers_health_and_serves_a_verifiable_checkpoint() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let config = db.server_config();
    let trusted = kyb_server::checkpoint::signing_key(&config.signing_key).verifying_key().to_bytes();
    let server = kyb_server::start(config).await.unwrap();
    let http = reqwest::Client::new();

    let health: Value = http.get(format!("{}/health", server.base_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(health, json!({"status": "ok", "database": "ok"}));

    let empty = http.get(format!("{}/api/audit/checkpoint", server.base_url())).send().await.unwrap();
    assert_eq!(empty.status(), 404);
    let body: Value = empty.json().await.unwrap();
    assert_eq!(body["kind"], "not_found");

    kyb_server::audit::record(&server.pool, "olivia", "draft_saved", &json!({})).await.unwrap();
    let checkpoint: Checkpoint = http.get(format!("{}/api/audit/checkpoint", server.base_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(checkpoint.seq, 1);
    checkpoint.verify(&trusted).unwrap();
    server.shutdown().await;
}
