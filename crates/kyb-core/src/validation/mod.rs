//! The single source of truth for what a valid record is.
//!
//! Every rule lives in this module (the desktop app, the CLI and the sandbox all call it), and
//! every problem is reported at once as an [`Issue`] with the JSON path of the field at fault,
//! e.g. `business_person_list[1].identification.id_expiration_date`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{CreateCustomerRequest, UpdateCustomerRequest};

/// Machine-readable reason for an [`Issue`]; the UI branches on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    Required,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub path: String,
    pub code: IssueCode,
    pub message: String,
}

/// What validation depends on besides the record itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationContext {
    /// "Today" for expiry and age rules (UTC date); injected so tests are deterministic.
    pub today: NaiveDate,
}

impl ValidationContext {
    pub fn now() -> Self {
        Self { today: chrono::Utc::now().date_naive() }
    }
}

/// A value that passed validation. Only this module can make one, so holding a
/// `Validated<T>` proves the rules were checked (the client only sends these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated<T>(T);

impl<T> Validated<T> {
    pub fn get(&self) -> &T {
        &self.0
    }
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Every problem with an update body (empty when valid).
pub fn validate_update(_request: &UpdateCustomerRequest, _ctx: &ValidationContext) -> Vec<Issue> {
    Vec::new()
}

/// Every problem with a create body: the update rules plus `partner_customer_id`.
pub fn validate_create(_request: &CreateCustomerRequest, _ctx: &ValidationContext) -> Vec<Issue> {
    Vec::new()
}

/// Check an update body, and wrap it as [`Validated`] when it has no issues.
pub fn check_update(
    request: UpdateCustomerRequest,
    ctx: &ValidationContext,
) -> Result<Validated<UpdateCustomerRequest>, Vec<Issue>> {
    let issues = validate_update(&request, ctx);
    if issues.is_empty() {
        Ok(Validated(request))
    } else {
        Err(issues)
    }
}

/// Check a create body, and wrap it as [`Validated`] when it has no issues.
pub fn check_create(
    request: CreateCustomerRequest,
    ctx: &ValidationContext,
) -> Result<Validated<CreateCustomerRequest>, Vec<Issue>> {
    let issues = validate_create(&request, ctx);
    if issues.is_empty() {
        Ok(Validated(request))
    } else {
        Err(issues)
    }
}
