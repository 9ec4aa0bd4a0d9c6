//! Validation and diff of the page's records (no network).

use kyb_core::diff::{diff_update, FieldChange};
use kyb_core::drafts::partner_customer_id_issues;
use kyb_core::validation::{parse_update_value, validate_update_value, Issue, ValidationContext};
use serde_json::Value;

use crate::error::AppError;

/// Every problem with the record (empty when valid): values that cannot be read
/// (`invalid_format`), unknown fields, and every validation rule; for a new customer
/// (`partner_customer_id` given), that id's problems too.
/// With the built-in partner profile; the page's records go through
/// [`super::partner_profile::validate_record`] (the active environment's profile).
pub fn validate_record(record: &Value, partner_customer_id: Option<&str>) -> Vec<Issue> {
    validate_record_with(record, partner_customer_id, &ValidationContext::now())
}

/// [`validate_record`] with `ctx` (its day and partner profile).
pub fn validate_record_with(record: &Value, partner_customer_id: Option<&str>, ctx: &ValidationContext) -> Vec<Issue> {
    let mut issues = partner_customer_id.map(|id| partner_customer_id_issues(id, ctx)).unwrap_or_default();
    issues.extend(validate_update_value(record, ctx));
    issues
}

/// What changes from `base` to `edited`, field by field (unchanged fields left out). A record
/// with a value that cannot be read is `invalid_record` with those issues.
pub fn diff_record(base: &Value, edited: &Value) -> Result<Vec<FieldChange>, AppError> {
    let base = parse_update_value(base).map_err(|issues| AppError::InvalidRecord { issues })?;
    let edited = parse_update_value(edited).map_err(|issues| AppError::InvalidRecord { issues })?;
    Ok(diff_update(&base, &edited))
}

/// The diff as the Review changes screen shows it ([`kyb_core::diff::diff_view`]: form order,
/// grouped by section and representative, labelled, dates as dates), with the name and media
/// type of each file it shows that the app holds a copy of in the active environment. A record
/// with a value that cannot be read is `invalid_record` with those issues.
pub async fn diff_view(
    state: &crate::state::AppState,
    base: &Value,
    edited: &Value,
) -> Result<kyb_core::diff::DiffView, AppError> {
    let base = parse_update_value(base).map_err(|issues| AppError::InvalidRecord { issues })?;
    let edited = parse_update_value(edited).map_err(|issues| AppError::InvalidRecord { issues })?;
    let mut view = kyb_core::diff::diff_view_update(&base, &edited);
    let file_ids = view.file_ids();
    // Without drafts (no keychain) there are no local copies: files are shown by their ids.
    let Ok(home) = state.drafts() else { return Ok(view) };
    if file_ids.is_empty() {
        return Ok(view);
    }
    let (vault, environment) = (home.vault.clone(), state.active_environment().await.name);
    view.files = crate::state::blocking(move || {
        file_ids
            .iter()
            .filter_map(|file_id| vault.info(&environment, file_id).ok().flatten())
            .map(|copy| kyb_core::diff::DiffFile {
                file_id: copy.file_id,
                file_name: copy.file_name,
                media_type: copy.media_type,
            })
            .collect()
    })
    .await?;
    Ok(view)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::validate_record;

    #[test]
    fn a_new_customers_id_is_checked_with_its_record() {
        let record = json!({});
        let blank = validate_record(&record, Some("  "));
        assert!(blank.iter().any(|issue| issue.path == "partner_customer_id"), "{blank:?}");
        let given = validate_record(&record, Some("P-2001"));
        assert!(!given.iter().any(|issue| issue.path == "partner_customer_id"), "{given:?}");
        assert!(!validate_record(&record, None).iter().any(|issue| issue.path == "partner_customer_id"));
    }
}
