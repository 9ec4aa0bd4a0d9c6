//! Start-up facts for the page (adapter over `kyb_app::use_cases::startup`).

use kyb_app::use_cases::startup::{self, StartInfo};

use super::Shared;

#[tauri::command(rename_all = "snake_case")]
pub fn start_info(state: Shared<'_>) -> StartInfo {
    startup::start_info(&state)
}
