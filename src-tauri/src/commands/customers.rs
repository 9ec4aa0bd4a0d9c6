//! Customers in the active environment: open, submit an update, refresh the status.

use kyb_core::client::CustomerLookup;
use kyb_core::model::Customer;
use kyb_core::validation::{check_update, parse_update_value, validate_update_value, ValidationContext};
use serde::Deserialize;
use serde_json::Value;
use tauri::State;
use ts_rs::TS;

use super::{argument, required};
use crate::error::CommandError;
use crate::ipc_value::Ipc;
use crate::state::{AppState, LoadedCustomer};

/// Which id `open_customer` looks up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LookupBy {
    CustomerId,
    PartnerCustomerId,
}

/// `open_customer`'s argument.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, rename = "CustomerLookup")]
pub struct CustomerLookupInput {
    pub by: LookupBy,
    pub value: String,
}

/// Load a customer (recorded in the recent list) with the editable part as a form's starting record.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_customer(state: State<'_, AppState>, lookup: Value) -> Result<Ipc<LoadedCustomer>, CommandError> {
    let lookup: CustomerLookupInput = argument("lookup", lookup)?;
    let value = required("value", &lookup.value)?;
    let lookup = match lookup.by {
        LookupBy::CustomerId => CustomerLookup::CustomerId(value),
        LookupBy::PartnerCustomerId => CustomerLookup::PartnerCustomerId(value),
    };
    let (environment, client) = state.active_client().await?;
    let customer = client.get_customer(&lookup).await?;
    let fetched_at = chrono::Utc::now();
    state.remember(&environment.name, &customer, true).await;
    let record = customer.sections();
    let draft = existing_draft(&state, &environment.name, &customer.customer_id).await;
    Ok(Ipc(LoadedCustomer { customer, record, fetched_at, draft }))
}

/// The draft for this customer in `environment`, if any. Opening a customer never fails because
/// of drafts: without a keychain, or with an unreadable draft, the customer opens without one
/// (the library lists unreadable drafts).
async fn existing_draft(state: &AppState, environment: &str, customer_id: &str) -> Option<kyb_core::drafts::Draft> {
    let store = state.drafts().ok()?.store.clone();
    let (environment, customer_id) = (environment.to_owned(), customer_id.to_owned());
    match crate::state::blocking(move || store.find_update(&environment, &customer_id)).await {
        Ok(Ok(draft)) => draft,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "the customer's draft cannot be read");
            None
        }
        Err(err) => {
            tracing::warn!(error = %err, "the customer's draft cannot be read");
            None
        }
    }
}

/// Validate and send an update. In a production environment `confirmation` must be the
/// customer's `business_name_english` exactly as loaded.
#[tauri::command(rename_all = "snake_case")]
pub async fn submit_update(
    state: State<'_, AppState>,
    customer_id: String,
    record: Value,
    confirmation: Option<String>,
) -> Result<Ipc<Customer>, CommandError> {
    let customer_id = required("customer_id", &customer_id)?;
    let ctx = ValidationContext::now();
    let issues = validate_update_value(&record, &ctx);
    if !issues.is_empty() {
        return Err(CommandError::InvalidRecord { issues });
    }
    let record = parse_update_value(&record).map_err(|issues| CommandError::InvalidRecord { issues })?;
    let validated = check_update(record, &ctx).map_err(|issues| CommandError::InvalidRecord { issues })?;
    let (environment, client) = state.active_client().await?;
    if environment.is_production {
        let expected = state.confirmation_text(&environment, &customer_id, None).await?;
        if confirmation.as_deref() != Some(expected.as_str()) {
            return Err(CommandError::ConfirmationRequired { environment: environment.name });
        }
    }
    let customer = client.update_customer(&customer_id, &validated, None).await?;
    tracing::info!(environment = %environment.name, customer_id = %customer.customer_id, status = ?customer.status, "update submitted");
    state.remember(&environment.name, &customer, false).await;
    Ok(Ipc(customer))
}

/// The customer as the partner has it now (the page polls this until the status settles).
#[tauri::command(rename_all = "snake_case")]
pub async fn refresh_customer(state: State<'_, AppState>, customer_id: String) -> Result<Ipc<Customer>, CommandError> {
    let customer_id = required("customer_id", &customer_id)?;
    let (environment, client) = state.active_client().await?;
    let customer = client.get_customer(&CustomerLookup::CustomerId(customer_id)).await?;
    state.remember(&environment.name, &customer, false).await;
    Ok(Ipc(customer))
}
