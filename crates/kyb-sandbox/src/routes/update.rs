//! `POST /api/customers/{customer_id}/update`

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kyb_core::model::{CustomerStatus, UpdateCustomerRequest};
use kyb_core::validation::validate_update;

use super::{body, checks, idempotency};
use crate::error::ApiError;
use crate::personality::outcome_for;
use crate::state::AppState;

/// Sections present in the body replace the stored ones (absent optional sections are kept);
/// the record goes back to `Processing` and settles after `settle_after`.
pub async fn update_customer(
    State(state): State<AppState>,
    customer_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    payload: Result<Bytes, BytesRejection>,
) -> Response {
    match update(state, customer_id, headers, payload).await {
        Ok(response) | Err(response) => response,
    }
}

async fn update(
    state: AppState,
    customer_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    payload: Result<Bytes, BytesRejection>,
) -> Result<Response, Response> {
    let Path(customer_id) = customer_id.map_err(|rejection| {
        ApiError::field("invalid_value", "customer_id", rejection.body_text()).into_response()
    })?;
    let key = idempotency::key(&headers).map_err(IntoResponse::into_response)?;
    let text = body::text(payload).map_err(IntoResponse::into_response)?;
    let fingerprint = idempotency::fingerprint("POST", &format!("/api/customers/{customer_id}/update"), &text);

    let mut store = state.store.lock().await;
    if let Some(replayed) = key.as_deref().and_then(|k| idempotency::replay(&store, k, &fingerprint)) {
        return Ok(replayed);
    }
    let Some(existing) = store.customers.get(&customer_id) else {
        return Err(ApiError::not_found(format!("no customer has the customer_id {customer_id:?}")).into_response());
    };
    if existing.customer.status == CustomerStatus::Suspended {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "customer_suspended",
            "this customer is Suspended; the partner does not accept updates for it",
        )
        .into_response());
    }
    let request: UpdateCustomerRequest = body::parse(&text).map_err(IntoResponse::into_response)?;
    let issues = validate_update(&request, &state.partner_profile.validation_context());
    let errors = checks::field_errors(&request, &store, issues);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors).into_response());
    }

    let settle_after = chrono::Duration::from_std(state.settle_after).unwrap_or(chrono::Duration::MAX);
    let Some(stored) = store.customers.get_mut(&customer_id) else {
        return Err(ApiError::not_found("the customer disappeared").into_response());
    };
    let customer = &mut stored.customer;
    let UpdateCustomerRequest { business_details, registration_address, account_usage, primary_contact, business_person_list } =
        request;
    customer.business_details = business_details.or(customer.business_details.take());
    customer.registration_address = registration_address.or(customer.registration_address.take());
    customer.account_usage = account_usage.or(customer.account_usage.take());
    customer.primary_contact = primary_contact.or(customer.primary_contact.take());
    customer.business_person_list = business_person_list.or(customer.business_person_list.take());
    customer.status = CustomerStatus::Processing;
    stored.outcome = Some(outcome_for(state.personality, &stored.customer));
    stored.settles_at = Some(Utc::now().checked_add_signed(settle_after).unwrap_or(chrono::DateTime::<Utc>::MAX_UTC));
    let answer = serde_json::to_string(&stored.customer).map_err(|err| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("cannot encode the customer: {err}"))
            .into_response()
    })?;
    store.with_stats(|s| *s.updates.entry(customer_id.clone()).or_default() += 1);
    idempotency::remember(&mut store, key, fingerprint, StatusCode::OK, &answer);
    store.save().await.map_err(|err| ApiError::storage(&err).into_response())?;
    tracing::info!(customer_id = %customer_id, "update applied");
    Ok(idempotency::json_response(StatusCode::OK, answer))
}
