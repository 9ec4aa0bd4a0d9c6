//! Connecting this desktop to a team server and signing in (authorization code with PKCE,
//! through the system browser and a loopback redirect).

use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
use crate::state::AppState;
use crate::team::desk::{local_environment_name, TeamEnvironmentView, TeamPerson};
use crate::team::{BrowserSignIn, CheckpointStatus, TeamError};

/// How long the desktop waits for the person to finish signing in in the browser.
pub const SIGN_IN_WAIT: Duration = Duration::from_secs(5 * 60);

/// What the page shows about team mode.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamStatus {
    /// The team server's URL; `None` in solo mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub server_url: Option<String>,
    /// Where people sign in (the company's provider).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub signed_in: Option<TeamPerson>,
    /// The team's environments (as last fetched when the server does not answer).
    pub environments: Vec<TeamEnvironmentView>,
    /// Why the server could not be used just now, in words (offline, sign-in expired...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<String>,
    /// Local edits of team drafts not pushed yet, and drafts waiting for a merge.
    pub unpushed: u32,
    pub conflicts: u32,
    /// The team trail checked against the newest signed checkpoint this desktop kept: how far
    /// it was verified, or (`trail_broken`) why it cannot be trusted.
    pub trail: String,
    pub trail_broken: bool,
}

/// Team mode as it stands, asking the server who is signed in and its environments.
pub async fn team_status(state: &AppState) -> Result<TeamStatus, AppError> {
    let Some(connection) = state.team.connection().await else {
        return Ok(TeamStatus {
            server_url: None,
            issuer: None,
            signed_in: None,
            environments: Vec::new(),
            problem: None,
            unpushed: 0,
            conflicts: 0,
            trail: String::new(),
            trail_broken: false,
        });
    };
    let problem = match refresh(state).await {
        Ok(()) => None,
        Err(err) => Some(err.to_string()),
    };
    let (unpushed, conflicts) = super::sync::pending_counts(state).await;
    let (trail, trail_broken) = match state.team.checkpoints.check(&connection).await {
        Ok(checked) => (trail_words(&checked), false),
        Err(err @ (TeamError::TrailBroken { .. } | TeamError::KeptCheckpointDamaged { .. })) => {
            tracing::error!(error = %err, "the team's audit trail does not hold up");
            (err.to_string(), true)
        }
        Err(err) => (format!("The team trail was not checked just now: {err}"), false),
    };
    Ok(TeamStatus {
        server_url: Some(connection.server_url),
        issuer: Some(connection.issuer),
        signed_in: state.team.person().await.map(|p| TeamPerson { name: p.name, roles: p.roles }),
        environments: state.team.environments().await,
        problem,
        unpushed,
        conflicts,
        trail,
        trail_broken,
    })
}

fn trail_words(checked: &CheckpointStatus) -> String {
    match checked {
        CheckpointStatus::EmptyTrail => "The team trail is empty.".to_owned(),
        CheckpointStatus::FirstSeen { head } => format!(
            "Team trail signed by the server up to entry {}; kept on this desktop from now on (earlier history is taken on trust).",
            head.seq
        ),
        CheckpointStatus::Holds { kept, head } => format!(
            "Team trail verified: entry {} is unchanged since this desktop last checked, and the signed trail reaches entry {}.",
            kept.seq, head.seq
        ),
    }
}

/// Ask the server who is signed in and which environments it has.
async fn refresh(state: &AppState) -> Result<(), TeamError> {
    let client = state.team.client().await?;
    let person = client.me().await?;
    state.team.signed_in_as(person).await;
    let environments = client
        .environments()
        .await?
        .into_iter()
        .map(|e| TeamEnvironmentView {
            name: local_environment_name(&e.name),
            server_name: e.name,
            requires_approval: e.requires_approval,
            is_production: e.is_production,
        })
        .collect();
    state.team.set_environments(environments).await;
    Ok(())
}

/// Connect to the team server at `url` (it says where people sign in).
pub async fn connect(state: &AppState, url: &str) -> Result<TeamStatus, AppError> {
    let url = super::super::required("server_url", url)?;
    let parsed = url::Url::parse(&url).map_err(|err| AppError::invalid_input("server_url", format!("{url:?} is not a URL: {err}")))?;
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && loopback) {
        return Err(AppError::invalid_input("server_url", "a team server is reached over https (plain http only on this machine)"));
    }
    state.team.connect(&url).await.map_err(|err| match err {
        TeamError::Unreachable { detail, .. } => AppError::invalid_input("server_url", format!("no KYB Desk team server answers at {url}: {detail}")),
        other => other.into(),
    })?;
    team_status(state).await
}

/// Sign in: open the provider's page in the system browser (`open` does that; the
/// `KYB_DESK_SIGN_IN_BROWSER` override applies first) and wait for its redirect.
pub async fn sign_in(state: &AppState, open: impl FnOnce(&str) -> Result<(), String>) -> Result<TeamStatus, AppError> {
    let connection = state.team.require_connection().await?;
    let sign_in = BrowserSignIn::start(&connection).await?;
    crate::team::open_in_browser(&sign_in.authorize_url(), open)?;
    let person = sign_in.finish(&state.team.tokens, SIGN_IN_WAIT).await?;
    tracing::info!("signed in to the team");
    state.team.signed_in_as(person).await;
    team_status(state).await
}

pub async fn sign_out(state: &AppState) -> Result<TeamStatus, AppError> {
    state.team.sign_out().await?;
    team_status(state).await
}

/// Back to solo mode: the connection and the sign-in are forgotten; local drafts stay.
pub async fn disconnect(state: &AppState) -> Result<TeamStatus, AppError> {
    state.team.disconnect().await?;
    team_status(state).await
}
