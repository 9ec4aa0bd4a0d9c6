//! `GET /api/customers/detail?customer_id=…` or `?partner_customer_id=…`

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::idempotency::json_response;
use crate::error::ApiError;
use crate::settle::settle_if_due;
use crate::state::AppState;

pub async fn get_customer(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    match detail(state, query).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn detail(state: AppState, query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Result<Response, ApiError> {
    let Query(params) = query.map_err(|r| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", r.body_text()))?;
    let by_id = params.get("customer_id").map(|s| s.trim()).filter(|s| !s.is_empty());
    let by_partner = params.get("partner_customer_id").map(|s| s.trim()).filter(|s| !s.is_empty());

    let mut store = state.store.lock().await;
    let customer_id = match (by_id, by_partner) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "ambiguous_lookup",
                "partner_customer_id",
                "give customer_id or partner_customer_id, not both",
            ))
        }
        (None, None) => {
            return Err(ApiError::field("required", "customer_id", "give customer_id or partner_customer_id"))
        }
        (Some(id), None) => store
            .customers
            .contains_key(id)
            .then(|| id.to_owned())
            .ok_or_else(|| ApiError::not_found(format!("no customer has the customer_id {id:?}")))?,
        (None, Some(partner)) => store
            .find_by_partner_id(partner)
            .map(|c| c.customer.customer_id.clone())
            .ok_or_else(|| ApiError::not_found(format!("no customer has the partner_customer_id {partner:?}")))?,
    };
    let Some(stored) = store.customers.get_mut(&customer_id) else {
        return Err(ApiError::not_found("the customer disappeared"));
    };
    let settled = settle_if_due(stored, Utc::now());
    let answer = serde_json::to_string(&stored.customer).map_err(|err| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("cannot encode the customer: {err}"))
    })?;
    if settled {
        tracing::info!(customer_id = %customer_id, "record settled");
        store.save().await.map_err(|err| ApiError::storage(&err))?;
    }
    Ok(json_response(StatusCode::OK, answer))
}
