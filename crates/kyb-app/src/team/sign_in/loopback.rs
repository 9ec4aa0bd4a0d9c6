//! The loopback listener that receives the browser's redirect at the end of the desktop's
//! sign-in (RFC 8252, section 7.3): on 127.0.0.1 at a port the OS chose, it takes exactly one
//! `GET /callback` and answers the browser with the sign-in's outcome as a small plain page.
//! Anything else (a favicon, a stray tab, a second callback) gets 404 and the wait goes on.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use openidconnect::url::form_urlencoded;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub(super) const CALLBACK_PATH: &str = "/callback";

/// The redirect's query parameters, held until the sign-in decides what the browser shows.
pub(super) struct Redirect {
    pub params: Vec<(String, String)>,
    page: oneshot::Sender<Page>,
}

struct Page {
    signed_in: bool,
    text: String,
}

impl Redirect {
    /// What the browser shows: the outcome, in words for the person at the browser.
    pub fn answer(self, signed_in: bool, text: String) {
        // The browser may have gone; the sign-in's outcome stands either way.
        let _ = self.page.send(Page { signed_in, text });
    }
}

type Waiting = Arc<Mutex<Option<oneshot::Sender<Redirect>>>>;

/// The listener, serving until `stop`.
pub(super) struct Loopback {
    redirect: oneshot::Receiver<Redirect>,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
}

impl Loopback {
    pub fn serve(listener: TcpListener) -> Self {
        let (redirect_tx, redirect) = oneshot::channel();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let waiting: Waiting = Arc::new(Mutex::new(Some(redirect_tx)));
        let app = Router::new().fallback(receive).with_state(waiting);
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop_rx.await;
                })
                .await;
        });
        Self { redirect, stop, server }
    }

    /// The one redirect to /callback (`None` if the listener failed).
    pub async fn redirect(&mut self) -> Option<Redirect> {
        (&mut self.redirect).await.ok()
    }

    /// Stop listening, after the answered page went out.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let mut server = self.server;
        // A browser holding its connection open does not keep the desktop waiting.
        if tokio::time::timeout(Duration::from_secs(3), &mut server).await.is_err() {
            server.abort();
        }
    }
}

async fn receive(State(waiting): State<Waiting>, method: Method, uri: Uri) -> Response {
    if method != Method::GET || uri.path() != CALLBACK_PATH {
        return not_found();
    }
    let Some(sender) = waiting.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() else {
        return not_found();
    };
    let params = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let (page_tx, page_rx) = oneshot::channel();
    let stopped = "KYB Desk is no longer waiting for this sign-in. Return to KYB Desk to sign in again.";
    if sender.send(Redirect { params, page: page_tx }).is_err() {
        return plain(StatusCode::GONE, stopped.to_owned());
    }
    match page_rx.await {
        Ok(Page { signed_in: true, text }) => plain(StatusCode::OK, text),
        Ok(Page { signed_in: false, text }) => plain(StatusCode::BAD_REQUEST, text),
        Err(_) => plain(StatusCode::GONE, stopped.to_owned()),
    }
}

fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "Not found.".to_owned())
}

/// Plain text: nothing from the redirect can become markup in the browser.
fn plain(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store"), (header::CONNECTION, "close")],
        text,
    )
        .into_response()
}
