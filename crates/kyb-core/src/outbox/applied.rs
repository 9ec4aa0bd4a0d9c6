//! Exactly once without the partner's help. The partner documents no idempotency header, so a
//! body that may have left (the connection dropped, the request timed out, the server failed,
//! the app was killed mid-send, or an officer retries a failed entry) is never simply sent again:
//! - a create is first looked up by its `partner_customer_id`; a customer that already holds
//!   everything the body sets is adopted as the outcome (nothing is sent);
//! - an update is checked against the customer as the partner has it now (the lost-update check
//!   runs again), and when the partner already holds every value the body sets, nothing is sent.
//!
//! A partner that honours `Idempotency-Key` makes the resend harmless anyway; these checks make
//! it safe with one that does not.

use serde_json::Value;

use crate::client::{ClientError, CustomerLookup, PartnerClient};
use crate::model::Customer;

use super::body::SendBody;

/// What the partner's record says about a body that may have been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Every changed value the partner shows is there (a request is applied whole): applied.
    Yes,
    /// A changed value the partner shows differs: not applied.
    No,
    /// The partner shows none of the changed values (people's `basic_info` is not in its
    /// answers): it cannot be told.
    Unknown,
}

/// Whether `customer` holds what `body` changes from `base` (`None`: a new customer, every
/// value is a change).
pub fn holds(customer: &Customer, body: &SendBody, base: Option<&Value>) -> Held {
    let theirs = serde_json::to_value(customer.sections()).unwrap_or(Value::Null);
    let mine = match body {
        SendBody::Update { body, .. } => serde_json::to_value(body.get()),
        SendBody::Create(body) => serde_json::to_value(body.get().sections()),
    }
    .unwrap_or(Value::Null);
    // The base in the same form as the body (drafts keep amounts as text).
    let base = base
        .and_then(|base| crate::validation::parse_update_value(base).ok())
        .and_then(|sections| serde_json::to_value(sections).ok())
        .unwrap_or(Value::Null);
    let mut tally = Tally::default();
    compare(&theirs, &mine, &base, &mut tally);
    match tally {
        Tally { differs: true, .. } => Held::No,
        Tally { shown: true, .. } => Held::Yes,
        Tally { changed: false, .. } => Held::Yes,
        _ => Held::Unknown,
    }
}

#[derive(Debug, Default)]
struct Tally {
    changed: bool,
    shown: bool,
    differs: bool,
}

/// Walk the values `mine` sets; for each one that differs from `base`, note whether the partner
/// shows it, and whether what it shows differs.
fn compare(theirs: &Value, mine: &Value, base: &Value, tally: &mut Tally) {
    match mine {
        Value::Null => {}
        Value::Object(fields) => {
            for (key, value) in fields {
                compare(field(theirs, key), value, field(base, key), tally);
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                compare(item(theirs, index), value, item(base, index), tally);
            }
        }
        leaf if leaf == base => {}
        leaf => {
            tally.changed = true;
            match theirs {
                Value::Null => {}
                shown if shown == leaf => tally.shown = true,
                _ => tally.differs = true,
            }
        }
    }
}

fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    value.get(key).unwrap_or(&Value::Null)
}

fn item(value: &Value, index: usize) -> &Value {
    value.get(index).unwrap_or(&Value::Null)
}

/// The customer created with `partner_customer_id`, if the partner has one.
pub async fn find_created(client: &PartnerClient, partner_customer_id: &str) -> Result<Option<Customer>, ClientError> {
    match client.get_customer(&CustomerLookup::PartnerCustomerId(partner_customer_id.to_owned())).await {
        Ok(customer) => Ok(Some(customer)),
        Err(ClientError::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::{compare, Tally};

    fn tally(theirs: Value, mine: Value, base: Value) -> (bool, bool, bool) {
        let mut t = Tally::default();
        compare(&theirs, &mine, &base, &mut t);
        (t.changed, t.shown, t.differs)
    }

    #[test]
    fn only_changed_values_count_and_hidden_ones_are_unknown() {
        let base = json!({"a": {"b": 1, "c": "x"}, "people": [{"id": "1"}]});
        // Changed and shown.
        assert_eq!(tally(json!({"a": {"b": 2, "c": "x"}}), json!({"a": {"b": 2, "c": "x"}}), base.clone()), (true, true, false));
        // Changed, the partner shows the old value: not applied.
        assert_eq!(tally(json!({"a": {"b": 1}}), json!({"a": {"b": 2}}), base.clone()), (true, false, true));
        // Changed, the partner does not show it (hidden): unknown.
        assert_eq!(tally(json!({"people": [{}]}), json!({"people": [{"id": "1", "info": {"name": "王"}}]}), base.clone()), (true, false, false));
        // Unchanged values do not count, even when the partner shows something else.
        assert_eq!(tally(json!({"a": {"c": "y"}}), json!({"a": {"c": "x"}}), base), (false, false, false));
    }
}
