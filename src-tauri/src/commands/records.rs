//! Validation and diff of the page's records (no network).

use kyb_core::diff::{diff_update, FieldChange};
use kyb_core::validation::{parse_update_value, validate_update_value, Issue, ValidationContext};
use serde_json::Value;

use crate::error::CommandError;

/// Every problem with the record (empty when valid): values that cannot be read
/// (`invalid_format`), unknown fields, and every validation rule.
#[tauri::command(rename_all = "snake_case")]
pub async fn validate_record(record: Value) -> Result<Vec<Issue>, CommandError> {
    Ok(validate_update_value(&record, &ValidationContext::now()))
}

/// What changes from `base` to `edited`, field by field (unchanged fields left out). A record
/// with a value that cannot be read is `invalid_record` with those issues.
#[tauri::command(rename_all = "snake_case")]
pub async fn diff_record(base: Value, edited: Value) -> Result<Vec<FieldChange>, CommandError> {
    let base = parse_update_value(&base).map_err(|issues| CommandError::InvalidRecord { issues })?;
    let edited = parse_update_value(&edited).map_err(|issues| CommandError::InvalidRecord { issues })?;
    Ok(diff_update(&base, &edited))
}
