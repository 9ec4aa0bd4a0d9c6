//! The audit trail, as the page shows and exports it (issue 5).

use chrono::Utc;
use kyb_core::audit::{AuditEntry, AuditFilter, ChainReport};
use serde::Serialize;
use serde_json::Value;
use tauri::State;
use ts_rs::TS;

use super::argument;
use super::drafts::{write_export, ExportedDraft};
use crate::error::CommandError;
use crate::state::{blocking, AppState};

/// What `audit_log` answers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditView {
    /// The matching entries, newest first.
    pub entries: Vec<AuditEntry>,
    /// The check of the whole chain (not only the shown entries).
    pub chain: ChainReport,
    /// Every customer in the trail (for the filter), sorted.
    pub customers: Vec<String>,
}

/// The entries matching `filter` (`{}` for all), the chain check, and the customers to filter by.
#[tauri::command(rename_all = "snake_case")]
pub async fn audit_log(state: State<'_, AppState>, filter: Value) -> Result<AuditView, CommandError> {
    let filter: AuditFilter = argument("filter", filter)?;
    let audit = state.drafts()?.audit.clone();
    blocking(move || -> Result<AuditView, CommandError> {
        let chain = audit.verify()?;
        let customers = audit.customers(None)?;
        let mut entries = audit.entries(&filter)?;
        entries.reverse();
        Ok(AuditView { entries, chain, customers })
    })
    .await?
}

/// Write the entries matching `filter` with the chain check as JSON into the export folder.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_audit(state: State<'_, AppState>, filter: Value) -> Result<ExportedDraft, CommandError> {
    let filter: AuditFilter = argument("filter", filter)?;
    let profile = state.require_profile()?;
    let audit = state.drafts()?.audit.clone();
    let folders = state.exports.clone();
    let exported = blocking(move || -> Result<ExportedDraft, CommandError> {
        let now = Utc::now();
        let export = audit.export(&filter, &profile)?;
        let mut text = serde_json::to_string_pretty(&export)
            .map_err(|err| CommandError::Internal(format!("cannot write the audit trail as JSON: {err}")))?;
        text.push('\n');
        let stem = format!("kyb-audit-{}", now.format("%Y%m%d-%H%M%S"));
        let (path, file_name) = write_export(&folders, &stem, text.as_bytes())?;
        Ok(ExportedDraft { path: path.to_string_lossy().into_owned(), file_name })
    })
    .await??;
    tracing::info!(file = %exported.file_name, "audit trail exported");
    Ok(exported)
}
