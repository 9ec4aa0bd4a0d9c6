//! The audit trail, as the page shows and exports it.

use std::collections::BTreeMap;

use chrono::Utc;
use kyb_core::field_labels::path_label;
use kyb_core::audit::{event_type_labels, AuditEntry, AuditFilter, ChainReport};
use kyb_core::review::Labelled;
use serde::Serialize;
use ts_rs::TS;

use crate::exports::{write_export, ExportedDraft};
use crate::error::AppError;
use crate::state::{blocking, AppState};

/// What `audit_log` answers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditView {
    /// The matching entries, newest first.
    pub entries: Vec<AuditEntry>,
    /// Each entry's event in one sentence, in the order of `entries` (the page shows these words
    /// rather than keeping its own).
    pub summaries: Vec<String>,
    /// The check of the whole chain (not only the shown entries).
    pub chain: ChainReport,
    /// Every customer in the trail (for the filter), sorted.
    pub customers: Vec<String>,
    /// Every event type with its name for people, in the order the filter lists them.
    pub event_types: Vec<Labelled<String>>,
    /// The officer's name of each field path the shown entries' changes name ("Person 2 › ID
    /// number"; entries keep paths, the page shows these words).
    pub field_labels: BTreeMap<String, String>,
}

/// The entries matching `filter` (`{}` for all), the chain check, and the customers to filter by.
pub async fn audit_log(state: &AppState, filter: AuditFilter) -> Result<AuditView, AppError> {
    let audit = state.drafts()?.audit.clone();
    blocking(move || -> Result<AuditView, AppError> {
        let chain = audit.verify()?;
        let customers = audit.customers(None)?;
        let mut entries = audit.entries(&filter)?;
        entries.reverse();
        let summaries = entries.iter().map(|entry| entry.event.summary()).collect();
        let field_labels = entries
            .iter()
            .flat_map(|entry| entry.event.changes())
            .map(|change| (change.path.clone(), path_label(&change.path, None)))
            .collect();
        Ok(AuditView { entries, summaries, chain, customers, event_types: event_type_labels(), field_labels })
    })
    .await?
}

/// Write the entries matching `filter` with the chain check as JSON into the export folder.
pub async fn export_audit(state: &AppState, filter: AuditFilter) -> Result<ExportedDraft, AppError> {
    let profile = state.require_profile()?;
    let audit = state.drafts()?.audit.clone();
    let folders = state.exports.clone();
    let exported = blocking(move || -> Result<ExportedDraft, AppError> {
        let now = Utc::now();
        let export = audit.export(&filter, &profile)?;
        let mut text = serde_json::to_string_pretty(&export)
            .map_err(|err| AppError::Internal(format!("cannot write the audit trail as JSON: {err}")))?;
        text.push('\n');
        let stem = format!("kyb-audit-{}", now.format("%Y%m%d-%H%M%S"));
        let (path, file_name) = write_export(&folders, &stem, text.as_bytes())?;
        Ok(ExportedDraft::new(&path, file_name))
    })
    .await??;
    tracing::info!(file = %exported.file_name, "audit trail exported");
    Ok(exported)
}
