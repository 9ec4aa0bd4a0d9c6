//! The accept loop: one hyper connection task per TCP connection, each of which can be killed
//! by a handler (the "drop the connection" fault) and drains on shutdown.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long open connections get to finish their request after shutdown starts.
const DRAIN_LIMIT: Duration = Duration::from_secs(5);
/// A client that has not sent its request headers by then is disconnected.
const HEADER_READ_LIMIT: Duration = Duration::from_secs(30);

/// Request extension: closes the connection the request arrived on, with no answer.
#[derive(Clone, Debug, Default)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn fire(&self) {
        self.0.notify_one();
    }

    async fn fired(&self) {
        self.0.notified().await;
    }
}

/// Accept connections until `shutdown` changes (or its sender is dropped), then drain.
pub async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tracing::trace!(%peer, "connection accepted");
                    connections.spawn(serve_connection(stream, router.clone(), shutdown.clone()));
                }
                Err(err) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(DRAIN_LIMIT, drain).await.is_err() {
        tracing::warn!("connections still open after {} s; closing them", DRAIN_LIMIT.as_secs());
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
    tracing::info!("sandbox stopped");
}

async fn serve_connection(stream: TcpStream, router: Router, mut shutdown: watch::Receiver<bool>) {
    let kill = ConnectionKill::default();
    let kill_for_requests = kill.clone();
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(kill_for_requests.clone());
        router.clone().oneshot(request)
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_LIMIT)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let mut draining = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
                break;
            }
            () = kill.fired() => {
                // Dropping the connection future closes the socket; the pending answer is never written.
                tracing::debug!("connection closed on purpose (fault)");
                break;
            }
            _ = shutdown.changed(), if !draining => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}
