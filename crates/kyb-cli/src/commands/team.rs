//! `kyb team`: team mode from a terminal. Connect to a team server, sign in with the device
//! grant (a URL and a code to open in any browser; the refresh token kept in the OS keychain),
//! and prepare, approve and submit drafts through the server, which applies the same policy as
//! for the desktop (four-eyes, roles, audit trail).
//!
//! Every command that talks to the server then checks the server's audit trail against the
//! signed checkpoint this machine kept (`kyb_app::team::CheckpointKeeper`, in the data folder):
//! a rolled-back or rewritten trail, or a checkpoint signed by another key than the one kept at
//! connect, is refused with exit code 2 and the problem named. `kyb team checkpoint` shows the
//! kept checkpoint and the server's.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use kyb_app::team::{CheckpointKeeper, DeviceSignIn, TeamClient, TeamConnection, TeamError, TeamOutboxState, TokenStore};
use kyb_core::drafts::DraftTarget;

use crate::cli::{AppFolders, TeamAction};
use crate::error::CliError;

fn config_dir(folders: &AppFolders) -> Result<PathBuf, CliError> {
    folders
        .config_dir
        .clone()
        .or_else(|| kyb_app::user_config::user_folders().map(|(config, _)| config))
        .ok_or_else(|| CliError::Usage("no config folder: pass --config-dir".into()))
}

fn data_dir(folders: &AppFolders) -> Result<PathBuf, CliError> {
    folders
        .data_dir
        .clone()
        .or_else(|| kyb_app::user_config::user_folders().map(|(_, data)| data))
        .ok_or_else(|| CliError::Usage("no data folder: pass --data-dir".into()))
}

fn tokens() -> TokenStore {
    kyb_app::user_config::team_token_store()
}

fn team(err: TeamError) -> CliError {
    CliError::Team(err)
}

async fn signed_in(dir: &Path) -> Result<(TeamConnection, TeamClient), CliError> {
    let connection = TeamConnection::load(dir).map_err(team)?;
    let client = TeamClient::signed_in(&connection, &tokens()).await.map_err(team)?;
    Ok((connection, client))
}

fn print(value: &Value) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

pub async fn run(folders: &AppFolders, action: TeamAction) -> Result<u8, CliError> {
    let dir = config_dir(folders)?;
    let keeper = CheckpointKeeper::in_dir(&data_dir(folders)?);
    let talks_to_the_server = !matches!(action, TeamAction::SignOut | TeamAction::Checkpoint);
    let outcome = act(&dir, &keeper, action).await;
    if !talks_to_the_server {
        return outcome;
    }
    // After the call, answered or refused: the server's trail must still hold what this machine
    // saw before. A broken trail outweighs the call's own failure; a failed check after a call
    // that succeeded fails the command.
    let checked = match TeamConnection::load(&dir) {
        Ok(connection) => keeper.check(&connection).await.map(|_| ()),
        Err(err) => Err(err),
    };
    match (outcome, checked) {
        (_, Err(err @ (TeamError::TrailBroken { .. } | TeamError::KeptCheckpointDamaged { .. }))) => Err(team(err)),
        (Ok(_), Err(err)) => Err(team(err)),
        (outcome, _) => outcome,
    }
}

async fn act(dir: &Path, keeper: &CheckpointKeeper, action: TeamAction) -> Result<u8, CliError> {
    let dir = dir.to_path_buf();
    match action {
        TeamAction::Connect { url } => {
            let connection = TeamConnection::discover(&url).await.map_err(team)?;
            connection.save(&dir).map_err(team)?;
            println!("connected to {} (sign-in at {}; server key {})", connection.server_url, connection.issuer, connection.server_key);
        }
        TeamAction::SignIn => {
            let connection = TeamConnection::load(&dir).map_err(team)?;
            let sign_in = DeviceSignIn::start(&connection).await.map_err(team)?;
            println!("Open {} and confirm the code {}", sign_in.verification_uri_complete(), sign_in.user_code());
            let person = sign_in.finish(&tokens()).await.map_err(team)?;
            println!("signed in as {} ({}), roles: {}", person.name, person.subject, person.roles.join(", "));
        }
        TeamAction::SignOut => {
            let connection = TeamConnection::load(&dir).map_err(team)?;
            tokens().delete(&connection.server_url).map_err(team)?;
            println!("signed out of {}", connection.server_url);
        }
        TeamAction::Checkpoint => {
            let connection = TeamConnection::load(&dir).map_err(team)?;
            let kept = keeper.kept(&connection).map_err(team)?;
            let server = keeper.server_head(&connection).await.map_err(team)?;
            let status = keeper.check(&connection).await.map_err(team)?;
            print(&json!({
                "server_url": connection.server_url,
                "kept_file": keeper.path(&connection),
                "kept": kept,
                "server": server,
                "status": status,
            }));
        }
        TeamAction::Whoami => {
            let (_, client) = signed_in(&dir).await?;
            let person = client.me().await.map_err(team)?;
            println!("{} ({}), roles: {}", person.name, person.subject, person.roles.join(", "));
        }
        TeamAction::Push { environment, customer, file } => {
            let text = std::fs::read_to_string(&file).map_err(|source| CliError::ReadFile { path: file.clone(), source })?;
            let record: Value = serde_json::from_str(&text).map_err(|err| CliError::Usage(format!("{}: {err}", file.display())))?;
            let (_, client) = signed_in(&dir).await?;
            // The base is the customer as the partner has it now, fetched by the server.
            let current = client.partner_customer(&environment, &customer).await.map_err(team)?;
            let target = DraftTarget::Update { customer_id: customer };
            let key = format!("cli-{}", uuid::Uuid::new_v4());
            let draft = client.create_draft(&environment, &target, &current.record, &record, &key).await.map_err(team)?;
            print(&json!(draft));
        }
        TeamAction::Show { draft } => {
            let (_, client) = signed_in(&dir).await?;
            print(&json!(client.draft(&draft).await.map_err(team)?));
        }
        TeamAction::Documents { draft } => {
            let (_, client) = signed_in(&dir).await?;
            print(&json!(client.documents(&draft).await.map_err(team)?));
        }
        TeamAction::Decide { draft, file_id, decision, reason, note } => {
            let (_, client) = signed_in(&dir).await?;
            let decision: kyb_core::review::Decision = review_word("decision", &decision)?;
            let reason: Option<kyb_core::review::DecisionReason> = reason.as_deref().map(|r| review_word("reason", r)).transpose()?;
            print(&json!(client.decide_document(&draft, &file_id, decision, reason, note.as_deref()).await.map_err(team)?));
        }
        TeamAction::Approve { draft } => {
            let (connection, client) = signed_in(&dir).await?;
            let current = client.draft(&draft).await.map_err(team)?;
            let approved = client.approve(&draft, current.version, &current.change_hash).await.map_err(team)?;
            // Check the server's signature against the key kept at connect time.
            for signed in &approved.approvals {
                signed.verify(&connection.server_key).map_err(|err| CliError::Usage(err.to_string()))?;
            }
            print(&json!(approved));
        }
        TeamAction::Submit { draft, wait } => {
            let (_, client) = signed_in(&dir).await?;
            let current = client.draft(&draft).await.map_err(team)?;
            let mut entry = client.submit(&draft, current.version).await.map_err(team)?;
            let started = std::time::Instant::now();
            while wait && !entry.state.is_settled() && started.elapsed() < Duration::from_secs(120) {
                tokio::time::sleep(Duration::from_millis(300)).await;
                entry = client.outbox_entry(&entry.outbox_id).await.map_err(team)?;
            }
            print(&json!(entry));
            if wait && entry.state != TeamOutboxState::Sent {
                return Ok(crate::error::EXIT_REMOTE);
            }
        }
    }
    Ok(0)
}

/// One of the review vocabulary's words (kyb_core::review), as the command line gives it.
fn review_word<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> Result<T, CliError> {
    serde_json::from_value(json!(text.trim())).map_err(|_| CliError::Usage(format!("--{field} {text:?} is not one of the review's words")))
}
