//! From a draft's record to what is sent: validated with the single validation module, for the
//! update or the create endpoint, and sent with the entry's idempotency key. Shared by the outbox
//! and the command line's batch submit.

use serde_json::Value;

use crate::client::{ClientError, CustomerLookup, PartnerClient};
use crate::drafts::{partner_customer_id_issues, DraftTarget};
use crate::model::{CreateCustomerRequest, Customer, UpdateCustomerRequest};
use crate::validation::{
    check_create, check_update, parse_update_value, validate_update_value, Issue, Validated,
    ValidationContext,
};

use super::model::EntryProblem;

/// A record ready for its endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendBody {
    Update { customer_id: String, body: Validated<UpdateCustomerRequest> },
    Create(Validated<CreateCustomerRequest>),
}

/// Check `record` (an `UpdateCustomerRequest` as JSON, as drafts keep it) for `target`: for an
/// update the update rules; for a create the create rules, with the target's
/// `partner_customer_id`. Every issue at once when it is not valid.
pub fn check_body(target: &DraftTarget, record: &Value, ctx: &ValidationContext) -> Result<SendBody, Vec<Issue>> {
    match target {
        DraftTarget::Update { customer_id } => {
            let sections = parse_update_value(record).map_err(|_| validate_update_value(record, ctx))?;
            let body = check_update(sections, ctx)?;
            Ok(SendBody::Update { customer_id: customer_id.clone(), body })
        }
        DraftTarget::Create { partner_customer_id } => match parse_update_value(record) {
            Ok(sections) => {
                let request = CreateCustomerRequest::from_sections(Some(partner_customer_id.clone()), sections);
                Ok(SendBody::Create(check_create(request, ctx)?))
            }
            Err(_) => {
                // The record cannot be read as a whole: its own issues, plus the partner id's.
                let mut issues: Vec<Issue> = partner_customer_id_issues(partner_customer_id, ctx);
                issues.extend(validate_update_value(record, ctx));
                Err(issues)
            }
        },
    }
}

/// Send a checked body with `idempotency_key` on the request.
pub async fn send_body(client: &PartnerClient, body: &SendBody, idempotency_key: &str) -> Result<Customer, ClientError> {
    match body {
        SendBody::Update { customer_id, body } => client.update_customer(customer_id, body, Some(idempotency_key)).await,
        SendBody::Create(body) => client.create_customer(body, Some(idempotency_key)).await,
    }
}

/// The editable record of a customer as JSON (what the lost-update check compares).
pub fn editable_record(customer: &Customer) -> Value {
    serde_json::to_value(customer.sections()).unwrap_or(Value::Null)
}

/// The customer as the server has it now, and its editable record.
pub async fn fetch_current(client: &PartnerClient, customer_id: &str) -> Result<(Customer, Value), ClientError> {
    let customer = client.get_customer(&CustomerLookup::CustomerId(customer_id.to_owned())).await?;
    let record = editable_record(&customer);
    Ok((customer, record))
}

/// Validation issues as the problems an entry carries back to its draft.
pub fn problems_from_issues(issues: &[Issue]) -> Vec<EntryProblem> {
    issues
        .iter()
        .map(|issue| EntryProblem {
            path: (!issue.path.is_empty()).then(|| issue.path.clone()),
            code: issue.code.as_str().to_owned(),
            message: issue.message.clone(),
        })
        .collect()
}

/// What the partner refused, as problems with paths when it named fields; `None` when the
/// error is not a refusal of the record (so not something to fix in the draft).
pub fn problems_from_error(err: &ClientError) -> Option<Vec<EntryProblem>> {
    match err {
        ClientError::ValidationRejected { errors, message, .. } => {
            if errors.is_empty() {
                Some(vec![EntryProblem { path: None, code: "rejected".into(), message: message.clone() }])
            } else {
                Some(
                    errors
                        .iter()
                        .map(|e| EntryProblem {
                            path: e.field.clone().filter(|f| !f.is_empty()),
                            code: if e.code.is_empty() { "rejected".into() } else { e.code.clone() },
                            message: e.message.clone(),
                        })
                        .collect(),
                )
            }
        }
        // A 409 about one field (a partner_customer_id already taken) is for the draft to fix.
        ClientError::Conflict { code, message, field: Some(field) } => Some(vec![EntryProblem {
            path: Some(field.clone()),
            code: code.clone().unwrap_or_else(|| "conflict".into()),
            message: message.clone(),
        }]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::IssueCode;
    use chrono::NaiveDate;
    use serde_json::json;

    fn ctx() -> ValidationContext {
        ValidationContext::on(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    }

    #[test]
    fn unreadable_records_report_every_issue_and_creates_check_the_partner_id() {
        let record = json!({"account_usage": {"estimated_monthly_revenue_amount": "12,5"}, "typo": 1});
        let update = check_body(&DraftTarget::Update { customer_id: "cus_1".into() }, &record, &ctx()).unwrap_err();
        assert!(update.iter().any(|i| i.code == IssueCode::InvalidFormat));
        assert!(update.iter().any(|i| i.code == IssueCode::UnknownField && i.path == "typo"));
        let create = check_body(&DraftTarget::Create { partner_customer_id: "bad\nid".into() }, &record, &ctx()).unwrap_err();
        assert_eq!(create[0].path, "partner_customer_id");
        let create = check_body(&DraftTarget::Create { partner_customer_id: String::new() }, &json!({}), &ctx()).unwrap_err();
        assert!(create.iter().any(|i| i.path == "partner_customer_id" && i.code == IssueCode::Required));
        assert!(check_body(&DraftTarget::Update { customer_id: "c".into() }, &json!([1]), &ctx()).is_err());
    }

    #[test]
    fn problems_keep_paths_and_codes() {
        let err = ClientError::ValidationRejected {
            status: 400,
            message: "bad".into(),
            errors: vec![crate::client::FieldError { field: Some("a.b".into()), code: "unknown_file".into(), message: "m".into() }],
        };
        let problems = problems_from_error(&err).unwrap();
        assert_eq!(problems[0].path.as_deref(), Some("a.b"));
        assert_eq!(problems[0].code, "unknown_file");
        assert!(problems_from_error(&ClientError::Server { status: 500, detail: None }).is_none());
        let suspended = ClientError::Conflict { code: Some("customer_suspended".into()), message: "m".into(), field: None };
        assert!(problems_from_error(&suspended).is_none());
    }
}
