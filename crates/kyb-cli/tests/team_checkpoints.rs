//! `kyb team` keeps the team server's signed audit checkpoints and refuses a server whose trail
//! was rolled back or rewritten since (real PostgreSQL; the owner plays the restore from an old
//! copy by disabling the triggers, as someone with the database's keys could).

use std::process::Command;

use serde_json::{json, Value};

use kyb_app::team::{CheckpointKeeper, TeamConnection};
use kyb_server::identity::OidcSettings;
use kyb_server::testing::TestDatabase;

const CLI: &str = env!("CARGO_BIN_EXE_kyb");

/// One machine: its own config and data folders, connected to `connection`'s server.
struct Machine {
    config_dir: tempfile::TempDir,
    data_dir: tempfile::TempDir,
}

impl Machine {
    fn connected(connection: &TeamConnection) -> Self {
        let machine = Self { config_dir: tempfile::tempdir().unwrap(), data_dir: tempfile::tempdir().unwrap() };
        connection.save(machine.config_dir.path()).unwrap();
        machine
    }

    async fn kyb(&self, args: &[&str]) -> (i32, String, String) {
        let mut command = Command::new(CLI);
        command
            .arg("team")
            .arg("--config-dir")
            .arg(self.config_dir.path())
            .arg("--data-dir")
            .arg(self.data_dir.path())
            .args(args)
            .env("KYB_DESK_KEYCHAIN_SERVICE", format!("kyb-cli-checkpoint-test-{}", std::process::id()));
        let output = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
        (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
    }

    /// `kyb team checkpoint`, which must succeed: its report.
    async fn checkpoint(&self) -> Value {
        let (code, out, err) = self.kyb(&["checkpoint"]).await;
        assert_eq!(code, 0, "{out}{err}");
        serde_json::from_str(&out).unwrap()
    }

    fn kept_file(&self, connection: &TeamConnection) -> std::path::PathBuf {
        CheckpointKeeper::in_dir(self.data_dir.path()).path(connection)
    }
}

async fn append(server: &kyb_server::ServerHandle, count: usize, actor: &str) {
    for n in 0..count {
        kyb_server::audit::record(&server.pool, actor, "draft_saved", &json!({"n": n, "by": actor})).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_machine_that_kept_a_checkpoint_refuses_a_rolled_back_or_rewritten_trail() {
    let Some(db) = TestDatabase::fresh().await else { return };
    let mut config = db.server_config();
    // Nobody signs in here; the server only has to name a provider for `kyb team connect`.
    config.oidc = Some(OidcSettings::new("http://127.0.0.1:9/unused"));
    let server_key = hex_key(&config.signing_key);
    let server = kyb_server::start(config).await.unwrap();
    let connection = TeamConnection {
        server_url: server.base_url(),
        issuer: "http://127.0.0.1:9/unused".into(),
        client_id: "kyb-desk".into(),
        server_key: server_key.clone(),
    };

    // An empty trail: nothing to keep yet.
    let early = Machine::connected(&connection);
    assert_eq!(early.checkpoint().await["status"]["state"], "empty_trail");

    // A machine that never kept one accepts the server's head as it is: the limit of a fresh
    // machine (it cannot see what happened before it first looked).
    append(&server, 5, "olivia").await;
    let report = early.checkpoint().await;
    assert_eq!(report["status"]["state"], "first_seen", "{report:#}");
    assert_eq!(report["status"]["head"]["seq"], 5);
    assert_eq!(report["kept"], Value::Null);

    // The trail grows: the kept entry still has its hash, the newer head is kept.
    append(&server, 2, "rita").await;
    let report = early.checkpoint().await;
    assert_eq!(report["status"]["state"], "holds", "{report:#}");
    assert_eq!((report["kept"]["seq"].as_i64(), report["server"]["seq"].as_i64()), (Some(5), Some(7)));
    let kept_file = early.kept_file(&connection);
    let kept_at_7 = std::fs::read_to_string(&kept_file).unwrap();
    assert!(kept_at_7.contains("\"seq\": 7"), "{kept_at_7}");

    // Restored from a copy taken at entry 4 (the server's own stored checkpoints with it).
    db.execute_as_owner(&[
        "ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only",
        "DELETE FROM audit_checkpoints WHERE seq > 4",
        "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
        "DELETE FROM audit_entries WHERE seq > 4",
    ])
    .await
    .unwrap();
    let (code, out, err) = early.kyb(&["checkpoint"]).await;
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("ends at entry 4, but this desktop saw it reach entry 7: its history was rolled back"), "{err}");
    // A command that talks to the server checks too, after its call.
    let (code, _, err) = early.kyb(&["connect", &server.base_url()]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rolled back"), "{err}");
    // A refused call too (nobody is signed in here): the broken trail is what is reported.
    let (code, _, err) = early.kyb(&["whoami"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(std::fs::read_to_string(&kept_file).unwrap(), kept_at_7, "the evidence is kept, not overwritten");

    // Rewritten: new entries appended after the restore reach past 7, but entry 7 is another.
    append(&server, 4, "mallory").await;
    let (code, _, err) = early.kyb(&["checkpoint"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("entry 7 of the server's audit trail is not the one signed earlier: its history was rewritten"), "{err}");
    assert_eq!(std::fs::read_to_string(&kept_file).unwrap(), kept_at_7);

    // A machine connecting only now accepts the rewritten trail: nothing told it otherwise.
    let newcomer = Machine::connected(&connection);
    assert_eq!(newcomer.checkpoint().await["status"]["state"], "first_seen");

    // Its kept file changed by hand (a later entry claimed): reported, not trusted, not replaced.
    let newcomer_file = newcomer.kept_file(&connection);
    let genuine = std::fs::read_to_string(&newcomer_file).unwrap();
    let edited = genuine.replacen("\"seq\": 8", "\"seq\": 80", 1);
    assert_ne!(edited, genuine);
    std::fs::write(&newcomer_file, &edited).unwrap();
    let (code, _, err) = newcomer.kyb(&["checkpoint"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("was changed or damaged") && err.contains("signature does not verify"), "{err}");
    std::fs::write(&newcomer_file, "{ not json").unwrap();
    let (code, _, err) = newcomer.kyb(&["checkpoint"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("was changed or damaged"), "{err}");
    assert_eq!(std::fs::read_to_string(&newcomer_file).unwrap(), "{ not json");

    // A server answering with another key than the one kept at connect.
    let mut impostor = connection.clone();
    impostor.server_key = "ab".repeat(32);
    let elsewhere = Machine::connected(&impostor);
    let (code, _, err) = elsewhere.kyb(&["checkpoint"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("signed by another key than the team server's"), "{err}");
    server.shutdown().await;
}

fn hex_key(seed: &kyb_server::config::KeyBytes) -> String {
    let key = kyb_server::checkpoint::signing_key(seed).verifying_key().to_bytes();
    key.iter().map(|b| format!("{b:02x}")).collect()
}
