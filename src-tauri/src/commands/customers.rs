//! Opening and finding customers (adapters over `kyb_app::use_cases::{customers, search}`).

use kyb_app::page_values::ForPage;
use kyb_app::state::LoadedCustomer;
use kyb_app::use_cases::{customers, search};
use serde_json::Value;

use super::{argument, AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn open_customer(state: Shared<'_>, lookup: Value) -> Result<ForPage<LoadedCustomer>, AppError> {
    Ok(ForPage(customers::open_customer(&state, argument("lookup", lookup)?).await?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn search_customers(state: Shared<'_>, query: String) -> Result<search::CustomerSearch, AppError> {
    search::search_customers(&state, &query).await
}
