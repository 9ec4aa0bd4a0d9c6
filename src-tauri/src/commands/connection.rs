//! "Test connection" in Settings (adapter over `kyb_app::use_cases::connection`).

use kyb_app::use_cases::connection::{self, ConnectionTest};

use super::{AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn test_connection(state: Shared<'_>, environment: String) -> Result<ConnectionTest, AppError> {
    connection::test_connection(&state, &environment).await
}
