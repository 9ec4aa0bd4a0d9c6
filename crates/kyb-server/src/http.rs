//! The server's HTTP face (axum). For now: health, the signed audit checkpoint and who the
//! caller is; the team workspace's endpoints (drafts, documents, review, outbox) join here.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ed25519_dalek::SigningKey;
use serde_json::json;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::SignedIn;
use crate::checkpoint;
use crate::identity::TokenVerifier;
use crate::config::{KeyBytes, ServerConfig};
use crate::db;
use crate::error::ServerError;

pub(crate) struct Shared {
    pub(crate) pool: PgPool,
    pub(crate) signing_key: SigningKey,
    pub(crate) sealing_key: KeyBytes,
    pub(crate) verifier: Option<TokenVerifier>,
    /// Whose name and roles this instance refreshed lately.
    pub(crate) people: crate::people::SeenPeople,
}

/// A running server.
pub struct ServerHandle {
    pub addr: SocketAddr,
    pub pool: PgPool,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    worker: Option<JoinHandle<()>>,
}

impl ServerHandle {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop accepting, finish what is in flight, close the pool.
    pub async fn shutdown(mut self) {
        if let Some(worker) = self.worker.take() {
            worker.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
        self.pool.close().await;
    }
}

/// Apply migrations, connect, bind and serve in the background.
pub async fn start(config: ServerConfig) -> Result<ServerHandle, ServerError> {
    let pool = db::connect(&config).await?;
    let shared = Arc::new(Shared {
        pool: pool.clone(),
        signing_key: checkpoint::signing_key(&config.signing_key),
        sealing_key: config.sealing_key.clone(),
        verifier: config.oidc.clone().map(TokenVerifier::new),
        people: Default::default(),
    });
    let app = Router::new()
        .route("/health", get(health))
        .route("/api/audit/checkpoint", get(latest_checkpoint))
        .route("/api/me", get(me))
        .merge(crate::api::routes())
        .with_state(shared.clone());
    let listener = TcpListener::bind(config.bind).await.map_err(|source| ServerError::Bind { addr: config.bind, source })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind { addr: config.bind, source })?;
    let (stop, stopped) = oneshot::channel::<()>();
    let worker = config.outbox_interval.map(|interval| {
        let instance = format!("{}-{}", addr, uuid::Uuid::new_v4().simple());
        tokio::spawn(crate::outbox::run(shared.pool.clone(), shared.sealing_key.clone(), instance, interval))
    });
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(err) = served.await {
            tracing::error!(error = %err, "the server stopped");
        }
    });
    tracing::info!(%addr, "KYB Desk server listening");
    Ok(ServerHandle { addr, pool, stop: Some(stop), task, worker })
}

/// 200 when the database answers, 503 otherwise (for load balancers and the trial script).
async fn health(State(shared): State<Arc<Shared>>) -> Response {
    match sqlx::query("SELECT 1").execute(&shared.pool).await {
        Ok(_) => Json(json!({"status": "ok", "database": "ok"})).into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "health: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable", "database": "unreachable"}))).into_response()
        }
    }
}

/// Who the caller is, as the server sees them (the desktop shows it after sign-in).
async fn me(SignedIn(person): SignedIn) -> Response {
    Json(person).into_response()
}

/// `?at=N`: which entry to sign instead of the head.
#[derive(serde::Deserialize)]
struct CheckpointAt {
    at: Option<i64>,
}

/// The chain's head, signed now; with `?at=N`, entry N as the trail has it now (a desktop that
/// kept a checkpoint at N compares the hashes). 404 `not_found` when the trail is empty or has no
/// entry N: to whoever kept a checkpoint at N, that itself shows a rollback.
async fn latest_checkpoint(State(shared): State<Arc<Shared>>, Query(query): Query<CheckpointAt>) -> Response {
    let signed = match query.at {
        None => checkpoint::sign_head(&shared.pool, &shared.signing_key).await,
        Some(seq) => checkpoint::sign_at(&shared.pool, &shared.signing_key, seq).await,
    };
    match signed {
        Ok(Some(checkpoint)) => Json(checkpoint).into_response(),
        Ok(None) => {
            let head = checkpoint::head_seq(&shared.pool).await.unwrap_or_default();
            let message = match query.at {
                None => "the audit trail is empty".to_owned(),
                Some(seq) => format!("the audit trail has no entry {seq}: it ends at entry {head}"),
            };
            (StatusCode::NOT_FOUND, Json(json!({"kind": kyb_core::team_wire::TeamRefusalKind::NotFound, "message": message, "head": head}))).into_response()
        }
        Err(err) => crate::api::error_response(&err),
    }
}
