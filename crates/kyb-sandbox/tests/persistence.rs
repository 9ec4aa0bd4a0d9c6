//! Data survives a restart on the same data folder; demo data is seeded only once.

use crate::common::*;
use kyb_core::model::{CreateCustomerRequest, CustomerStatus};

#[tokio::test]
async fn customers_files_idempotency_and_stats_survive_a_restart() {
    let sandbox = Sandbox::start().await;
    let demo_count = std::fs::read_dir(sandbox.dir.path().join("files")).unwrap().count();
    let png = kyb_sandbox::demo::id_card_png(3, true);
    let file_id = json(sandbox.upload("Back page", png.clone()).await).await["file_id"].as_str().unwrap().to_owned();
    let create = to_json(&CreateCustomerRequest::from_sections(Some("PERSIST-1".into()), demo_sections(ACME)));
    let created = json(sandbox.post_json_with_key("/api/customers/create", &create, "persist-key").await).await;
    let customer_id = created["customer_id"].as_str().unwrap().to_owned();
    let stats_before = sandbox.handle.stats();

    // Restart while the new customer is still Processing.
    let sandbox = sandbox.restart().await;
    assert_eq!(sandbox.customer(&customer_id).await.partner_customer_id.as_deref(), Some("PERSIST-1"));
    assert_eq!(wait_settled(&sandbox, &customer_id).await.status, CustomerStatus::Succeeded);
    let stored = sandbox.get(&format!("/__sandbox/files/{file_id}")).await;
    assert_eq!(stored.bytes().await.unwrap().to_vec(), png);
    assert_eq!(sandbox.handle.stats(), stats_before);

    // The idempotency record survived: the same create is answered, not applied.
    let again = json(sandbox.post_json_with_key("/api/customers/create", &create, "persist-key").await).await;
    assert_eq!(again["customer_id"], customer_id.as_str());
    assert_eq!(sandbox.handle.stats().creates_for("PERSIST-1"), 1);

    // Demo data was not seeded a second time, and the settled status was persisted.
    assert_eq!(std::fs::read_dir(sandbox.dir.path().join("files")).unwrap().count(), demo_count + 1);
    let sandbox = sandbox.restart().await;
    assert_eq!(sandbox.customer(&customer_id).await.status, CustomerStatus::Succeeded);
    let leftovers = std::fs::read_dir(sandbox.dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).count();
    assert_eq!(leftovers, 0);
}

#[tokio::test]
async fn a_damaged_store_is_an_error_not_a_wipe() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("state.json"), "{ not json").unwrap();
    let err = kyb_sandbox::start(config(dir.path())).await.unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
}

#[tokio::test]
async fn demo_processing_customer_settles() {
    let sandbox = Sandbox::start().await;
    assert_eq!(wait_settled(&sandbox, "cus_demo_0003").await.status, CustomerStatus::Succeeded);
    assert_eq!(sandbox.customer("cus_demo_0004").await.status, CustomerStatus::Failed);
}
