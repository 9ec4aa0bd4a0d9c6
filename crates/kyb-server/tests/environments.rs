//! Partner credentials are sealed in the database, open only with the server's key, are
//! dropped when an environment's URL changes, and every change is in the audit trail.

use sqlx::postgres::PgPoolOptions;
use sqlx::Row;

use kyb_server::audit;
use kyb_server::config::KeyBytes;
use kyb_server::environments::{self, EnvironmentSettings};
use kyb_server::testing::TestDatabase;

fn production(url: &str) -> EnvironmentSettings {
    EnvironmentSettings { name: "Production".into(), base_url: url.into(), requires_approval: true, is_production: true }
}

#[tokio::test]
async fn credentials_are_sealed_at_rest_and_never_listed() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let pool = PgPoolOptions::new().connect(&db.server_url).await.unwrap();
    let key = KeyBytes::random();
    environments::save(&pool, "ada-admin", &production("https://partner.example")).await.unwrap();
    environments::set_credentials(&pool, &key, "ada-admin", "Production", "key-canary-81", "secret-canary-81").await.unwrap();

    // Nothing in any row of any table holds the secret in clear.
    let dump: String = sqlx::query("SELECT string_agg(t::text, '|') AS all FROM (SELECT e::text AS t FROM environments e UNION ALL SELECT a::text FROM audit_entries a) rows")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("all");
    assert!(!dump.contains("secret-canary-81") && !dump.contains("key-canary-81"), "{dump}");

    let listed = environments::list(&pool).await.unwrap();
    assert!(listed[0].has_credentials);
    assert!(!serde_json::to_string(&listed).unwrap().contains("canary"));

    let opened = environments::credentials_for_sending(&pool, &key, "Production").await.unwrap().unwrap();
    assert_eq!((opened.api_key.as_str(), opened.api_secret.as_str()), ("key-canary-81", "secret-canary-81"));
    assert!(!format!("{opened:?}").contains("canary"));
    assert!(environments::credentials_for_sending(&pool, &KeyBytes::random(), "Production").await.is_err(), "another key");

    // A new URL drops them: credentials belong to the URL they were given for.
    environments::save(&pool, "ada-admin", &production("https://elsewhere.example")).await.unwrap();
    assert!(environments::credentials_for_sending(&pool, &key, "Production").await.unwrap().is_none());

    let trail = audit::entries_from(&pool, 1).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["environment_saved", "credentials_set", "environment_saved"]);
    assert!(trail.iter().all(|e| e.actor == "ada-admin"));
}

#[tokio::test]
async fn a_change_that_fails_leaves_no_audit_entry_and_vice_versa() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let pool = PgPoolOptions::new().connect(&db.server_url).await.unwrap();
    let err = environments::set_credentials(&pool, &KeyBytes::random(), "ada-admin", "Nowhere", "k", "s").await.unwrap_err();
    assert!(err.to_string().contains("Nowhere"), "{err}");
    assert_eq!(audit::verify(&pool).await.unwrap().entries, 0, "the entry rolled back with the change");
}
