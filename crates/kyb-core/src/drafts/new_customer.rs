//! The one check of a new customer's `partner_customer_id` (part of a create draft's target, not
//! of its record): the create rules' issues for that field alone. The drafts store, the outbox
//! and the app's editor ask here.

use crate::model::CreateCustomerRequest;
use crate::validation::{validate_create, Issue, ValidationContext};

/// Path of the field in a create body and in issues.
pub const PARTNER_CUSTOMER_ID_PATH: &str = "partner_customer_id";

/// Every problem with `partner_customer_id` for a new customer (none: it can be sent).
pub fn partner_customer_id_issues(partner_customer_id: &str, ctx: &ValidationContext) -> Vec<Issue> {
    // The create rules on a body with empty sections: only this field's issues are kept (the
    // sections are checked on the record as typed).
    let body =
        CreateCustomerRequest { partner_customer_id: Some(partner_customer_id.to_owned()), ..Default::default() };
    validate_create(&body, ctx).into_iter().filter(|issue| issue.path == PARTNER_CUSTOMER_ID_PATH).collect()
}
