//! `POST /api/customers/create`: the update body plus `partner_customer_id` (unique).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kyb_core::model::{CreateCustomerRequest, Customer, CustomerStatus};
use kyb_core::validation::validate_create;

use super::{body, checks, idempotency};
use crate::error::{ApiError, ApiFieldError};
use crate::personality::outcome_for;
use crate::state::AppState;
use crate::store::StoredCustomer;

pub async fn create_customer(
    State(state): State<AppState>,
    headers: HeaderMap,
    payload: Result<Bytes, BytesRejection>,
) -> Response {
    match create(state, headers, payload).await {
        Ok(response) | Err(response) => response,
    }
}

async fn create(state: AppState, headers: HeaderMap, payload: Result<Bytes, BytesRejection>) -> Result<Response, Response> {
    let key = idempotency::key(&headers).map_err(IntoResponse::into_response)?;
    let text = body::text(payload).map_err(IntoResponse::into_response)?;
    let fingerprint = idempotency::fingerprint("POST", "/api/customers/create", &text);

    let mut store = state.store.lock().await;
    if let Some(replayed) = key.as_deref().and_then(|k| idempotency::replay(&store, k, &fingerprint)) {
        return Ok(replayed);
    }
    let request: CreateCustomerRequest = body::parse(&text).map_err(IntoResponse::into_response)?;
    let partner_customer_id = request.partner_customer_id.as_deref().map(str::trim).unwrap_or("").to_owned();
    if !partner_customer_id.is_empty() && store.find_by_partner_id(&partner_customer_id).is_some() {
        let message = format!("a customer with partner_customer_id {partner_customer_id:?} already exists");
        let mut error = ApiError::new(StatusCode::CONFLICT, "duplicate_partner_customer_id", message.clone());
        error.errors.push(ApiFieldError {
            code: "duplicate_partner_customer_id".into(),
            message,
            field: "partner_customer_id".into(),
        });
        return Err(error.into_response());
    }
    let issues = validate_create(&request, &state.partner_profile.validation_context());
    let mut errors = checks::field_errors(&request.sections(), &store, issues);
    if partner_customer_id.is_empty() && !errors.iter().any(|e| e.field == "partner_customer_id") {
        errors.insert(
            0,
            ApiFieldError {
                code: "required".into(),
                message: "partner_customer_id is required".into(),
                field: "partner_customer_id".into(),
            },
        );
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors).into_response());
    }

    let now = Utc::now();
    let sections = request.sections();
    let customer = Customer {
        customer_id: format!("cus_{}", uuid::Uuid::new_v4().simple()),
        partner_customer_id: Some(partner_customer_id.clone()),
        status: CustomerStatus::Processing,
        created_at: Some(now),
        business_details: sections.business_details,
        registration_address: sections.registration_address,
        account_usage: sections.account_usage,
        primary_contact: sections.primary_contact,
        business_person_list: sections.business_person_list,
    };
    let settle_after = chrono::Duration::from_std(state.settle_after).unwrap_or(chrono::Duration::MAX);
    let stored = StoredCustomer {
        outcome: Some(outcome_for(state.personality, &customer)),
        settles_at: Some(now.checked_add_signed(settle_after).unwrap_or(chrono::DateTime::<Utc>::MAX_UTC)),
        customer,
    };
    let answer = serde_json::to_string(&stored.customer).map_err(|err| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("cannot encode the customer: {err}"))
            .into_response()
    })?;
    let customer_id = stored.customer.customer_id.clone();
    store.customers.insert(customer_id.clone(), stored);
    store.with_stats(|s| *s.creates.entry(partner_customer_id.clone()).or_default() += 1);
    idempotency::remember(&mut store, key, fingerprint, StatusCode::OK, &answer);
    store.save().await.map_err(|err| ApiError::storage(&err).into_response())?;
    tracing::info!(customer_id = %customer_id, "customer created");
    Ok(idempotency::json_response(StatusCode::OK, answer))
}
