//! The audit table: append-only through the server's role and even for its owner, one chain
//! across several server instances, and checkpoints that expose a rolled-back history.

use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::Row;

use kyb_server::audit;
use kyb_server::checkpoint::{self, Checkpoint, CheckpointProblem};
use kyb_server::config::KeyBytes;
use kyb_server::testing::TestDatabase;

#[tokio::test]
async fn the_servers_role_can_append_but_never_update_or_delete() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let server = PgPoolOptions::new().connect(&db.server_url).await.unwrap();
    audit::record(&server, "olivia", "draft_saved", &json!({"draft": "d1"})).await.unwrap();

    for statement in ["UPDATE audit_entries SET actor = 'mallory'", "DELETE FROM audit_entries", "TRUNCATE audit_entries"] {
        let err = sqlx::query(statement).execute(&server).await.expect_err(statement);
        let code = err.as_database_error().and_then(|e| e.code()).map(|c| c.to_string());
        // 42501: insufficient_privilege (the role has no such grant).
        assert_eq!(code.as_deref(), Some("42501"), "{statement}: {err}");
    }
    // The owner has every privilege, and the triggers still refuse.
    let owner = PgPoolOptions::new().connect(&db.admin_url).await.unwrap();
    for statement in ["UPDATE audit_entries SET actor = 'mallory'", "DELETE FROM audit_entries", "TRUNCATE audit_entries CASCADE"] {
        let err = sqlx::query(statement).execute(&owner).await.expect_err(statement);
        assert!(err.to_string().contains("append-only"), "{statement}: {err}");
    }
    let report = audit::verify(&server).await.unwrap();
    assert!(report.intact() && report.entries == 1, "{report:?}");
}

#[tokio::test]
async fn an_altered_entry_breaks_the_chain_where_it_was_changed() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let pool = PgPoolOptions::new().connect(&db.server_url).await.unwrap();
    for n in 0..3 {
        audit::record(&pool, "olivia", "draft_saved", &json!({"n": n})).await.unwrap();
    }
    assert!(audit::verify(&pool).await.unwrap().intact());
    // Only someone who can drop the trigger can change a row; the chain still tells.
    let owner = PgPoolOptions::new().connect(&db.admin_url).await.unwrap();
    sqlx::query("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only").execute(&owner).await.unwrap();
    sqlx::query("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2").execute(&owner).await.unwrap();
    let report = audit::verify(&pool).await.unwrap();
    assert_eq!(report.problems, vec![audit::ChainProblem::Altered { seq: 2 }]);
}

#[tokio::test]
async fn two_instances_appending_at_once_keep_one_chain() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let first = PgPoolOptions::new().max_connections(4).connect(&db.server_url).await.unwrap();
    let second = PgPoolOptions::new().max_connections(4).connect(&db.server_url).await.unwrap();
    let mut tasks = Vec::new();
    for n in 0..40 {
        let pool = if n % 2 == 0 { first.clone() } else { second.clone() };
        tasks.push(tokio::spawn(async move { audit::record(&pool, "load", "append", &json!({"n": n})).await.map(|e| e.seq) }));
    }
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.push(task.await.unwrap().unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=40).collect::<Vec<i64>>());
    let report = audit::verify(&first).await.unwrap();
    assert!(report.intact() && report.entries == 40, "{report:?}");
}

#[tokio::test]
async fn a_desktop_holding_a_later_checkpoint_sees_the_rollback() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let pool = PgPoolOptions::new().connect(&db.server_url).await.unwrap();
    let key = checkpoint::signing_key(&KeyBytes::random());
    let trusted = key.verifying_key().to_bytes();
    for n in 0..5 {
        audit::record(&pool, "olivia", "draft_saved", &json!({"n": n})).await.unwrap();
    }
    // The desktop verifies and keeps the checkpoint at entry 5.
    let kept: Checkpoint = checkpoint::sign_head(&pool, &key).await.unwrap().unwrap();
    kept.verify(&trusted).unwrap();
    assert_eq!(kept.seq, 5);

    // The database is restored from a copy taken at entry 3 (here: the owner removes the rows).
    let owner = PgPoolOptions::new().connect(&db.admin_url).await.unwrap();
    sqlx::query("ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only").execute(&owner).await.unwrap();
    sqlx::query("DELETE FROM audit_checkpoints").execute(&owner).await.unwrap();
    sqlx::query("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only").execute(&owner).await.unwrap();
    sqlx::query("DELETE FROM audit_entries WHERE seq > 3").execute(&owner).await.unwrap();
    let rolled_back = audit::verify(&pool).await.unwrap();
    assert!(rolled_back.intact(), "the shorter chain is consistent in itself: {rolled_back:?}");

    let now = checkpoint::sign_head(&pool, &key).await.unwrap().unwrap();
    now.verify(&trusted).unwrap();
    let at_kept = checkpoint::hash_at(&pool, kept.seq).await.unwrap();
    assert_eq!(kept.still_holds(&now, at_kept), Err(CheckpointProblem::RolledBack { kept_seq: 5, server_head: 3 }));

    // Rewritten instead: entry 3 replaced after the desktop kept a checkpoint at 3.
    let kept_at_3 = now;
    sqlx::query("DELETE FROM audit_checkpoints").execute(&owner).await.unwrap();
    sqlx::query("DELETE FROM audit_entries WHERE seq = 3").execute(&owner).await.unwrap();
    audit::record(&pool, "mallory", "draft_saved", &json!({"n": "forged"})).await.unwrap();
    let later = checkpoint::sign_head(&pool, &key).await.unwrap().unwrap();
    let at_3 = checkpoint::hash_at(&pool, 3).await.unwrap();
    assert_eq!(kept_at_3.still_holds(&later, at_3), Err(CheckpointProblem::Rewritten { seq: 3 }));
    let row = sqlx::query("SELECT count(*) AS n FROM audit_entries").fetch_one(&pool).await.unwrap();
    assert_eq!(row.get::<i64, _>("n"), 3);
}
