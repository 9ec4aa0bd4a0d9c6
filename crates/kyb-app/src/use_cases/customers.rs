//! Customers in the active environment: open one (with its draft, if any). Updates are never
//! sent from here: every submission goes through the outbox (`outbox::queue_draft`).

use kyb_core::client::CustomerLookup;
use serde::Deserialize;
use ts_rs::TS;

use super::required;
use crate::error::AppError;
use crate::state::{blocking, AppState, LoadedCustomer};

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
pub async fn open_customer(state: &AppState, lookup: CustomerLookupInput) -> Result<LoadedCustomer, AppError> {
    let environment = state.active_environment().await.name;
    open_customer_in(state, lookup, &environment).await
}

/// [`open_customer`] in the environment called `environment` instead of the active one (the
/// `kyb submit` command's `--environment`); `invalid_input` on `environment` when there is none.
pub async fn open_customer_in(
    state: &AppState,
    lookup: CustomerLookupInput,
    environment: &str,
) -> Result<LoadedCustomer, AppError> {
    let value = required("value", &lookup.value)?;
    if crate::team::desk::server_environment_name(environment).is_some() {
        return open_team_customer(state, lookup.by, &value, environment).await;
    }
    let lookup = match lookup.by {
        LookupBy::CustomerId => CustomerLookup::CustomerId(value),
        LookupBy::PartnerCustomerId => CustomerLookup::PartnerCustomerId(value),
    };
    let environment = state.environment(environment).await.ok_or_else(|| {
        AppError::invalid_input("environment", format!("there is no environment named {environment:?}"))
    })?;
    let client = state.client_for(&environment).await?;
    let customer = client.get_customer(&lookup).await?;
    let fetched_at = chrono::Utc::now();
    state.remember(&environment.name, &customer, true).await;
    let record = customer.sections();
    let missing_parts = customer.missing_parts();
    let draft = existing_draft(state, &environment.name, &customer.customer_id).await;
    Ok(LoadedCustomer { customer, record, fetched_at, missing_parts, draft })
}

/// The draft for this customer in `environment`, if any. Opening a customer never fails because
/// of drafts: without a keychain, or with an unreadable draft, the customer opens without one
/// (the library lists unreadable drafts).
async fn existing_draft(state: &AppState, environment: &str, customer_id: &str) -> Option<kyb_core::drafts::Draft> {
    let store = state.drafts().ok()?.store.clone();
    let (environment, customer_id) = (environment.to_owned(), customer_id.to_owned());
    match blocking(move || store.find_update(&environment, &customer_id)).await {
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

/// A customer opened in a team environment: the team server asks the partner, and the editor
/// resumes the customer's team draft (joined, or started from the partner's record).
async fn open_team_customer(state: &AppState, by: LookupBy, value: &str, environment: &str) -> Result<LoadedCustomer, AppError> {
    if by != LookupBy::CustomerId {
        return Err(AppError::invalid_input("value", "in a team environment, open a customer by its customer_id"));
    }
    let (found, draft) = super::team::drafts::open_team_customer(state, environment, value).await?;
    let customer = found.customer;
    state.remember(environment, &customer, true).await;
    Ok(LoadedCustomer {
        record: customer.sections(),
        missing_parts: customer.missing_parts(),
        fetched_at: chrono::Utc::now(),
        draft: Some(draft),
        customer,
    })
}
