//! The audit trail (adapters over `kyb_app::use_cases::audit`).

use kyb_app::exports::ExportedDraft;
use kyb_app::use_cases::audit::{self, AuditView};
use serde_json::Value;

use super::{argument, AppError, Shared};

#[tauri::command(rename_all = "snake_case")]
pub async fn audit_log(state: Shared<'_>, filter: Value) -> Result<AuditView, AppError> {
    audit::audit_log(&state, argument("filter", filter)?).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn export_audit(state: Shared<'_>, filter: Value) -> Result<ExportedDraft, AppError> {
    audit::export_audit(&state, argument("filter", filter)?).await
}
