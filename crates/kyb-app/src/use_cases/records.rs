//! Validation and diff of the page's records (no network).

use kyb_core::diff::{diff_update, FieldChange};
use kyb_core::validation::{parse_update_value, validate_update_value, Issue, ValidationContext};
use serde_json::Value;

use crate::error::AppError;

/// Every problem with the record (empty when valid): values that cannot be read
/// (`invalid_format`), unknown fields, and every validation rule.
pub fn validate_record(record: &Value) -> Vec<Issue> {
    validate_update_value(record, &ValidationContext::now())
}

/// What changes from `base` to `edited`, field by field (unchanged fields left out). A record
/// with a value that cannot be read is `invalid_record` with those issues.
pub fn diff_record(base: &Value, edited: &Value) -> Result<Vec<FieldChange>, AppError> {
    let base = parse_update_value(base).map_err(|issues| AppError::InvalidRecord { issues })?;
    let edited = parse_update_value(edited).map_err(|issues| AppError::InvalidRecord { issues })?;
    Ok(diff_update(&base, &edited))
}
