//! The HTTP surface: the four partner-API endpoints (behind fault injection and authentication)
//! and the sandbox's own control endpoints under `/__sandbox` (authenticated, no faults).

mod admin;
mod body;
mod checks;
mod create;
mod detail;
pub(crate) mod idempotency;
mod update;
mod upload;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

use crate::auth::require_credentials;
use crate::error::ApiError;
use crate::faults;
use crate::state::AppState;

pub use upload::MAX_FILE_BYTES;

/// JSON bodies larger than this are refused with 413.
pub const MAX_JSON_BYTES: usize = 2 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let auth = from_fn_with_state(state.credentials.clone(), require_credentials);
    // On the writes only, innermost: a refused write passes authentication and is shaped by the
    // personality like any other field error.
    let reject = from_fn_with_state(state.faults.clone(), faults::reject);
    let api = Router::new()
        .route("/api/customers/detail", get(detail::get_customer))
        .route("/api/customers/create", post(create::create_customer).layer(reject.clone()))
        .route("/api/customers/{customer_id}/update", post(update::update_customer).layer(reject))
        .route(
            "/api/files/upload",
            post(upload::upload_file).layer(DefaultBodyLimit::max(upload::MAX_UPLOAD_BODY_BYTES)),
        )
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .route_layer(auth.clone())
        // Inside the faults, so a fault's own bad answer is not reshaped.
        .route_layer(from_fn_with_state(state.personality, crate::personality::strict))
        // Added last, so it runs first: faults act like a flaky proxy in front of the API.
        .route_layer(from_fn_with_state(state.faults.clone(), faults::inject));
    let control = Router::new()
        .route("/__sandbox/faults", post(admin::set_faults).get(admin::get_faults))
        .route("/__sandbox/stats", get(admin::stats))
        .route("/__sandbox/files/{file_id}", get(admin::download_file))
        .route_layer(auth);
    api.merge(control)
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint").into_response() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this endpoint does not take that method")
                .into_response()
        })
        .with_state(state)
}
