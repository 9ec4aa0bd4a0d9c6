//! Values on their way to the page (and records as drafts keep them): amounts become strings.
//!
//! The model serializes amounts as exact JSON numbers (that is what the partner API takes), but a
//! JSON number in the page would be a JS `number` and could be rounded. [`ForPage`] serializes a value
//! as usual and then turns every `…_amount` number into its exact decimal text, so `99.99` reaches
//! the page as `"99.99"`. The partner client never sees this wrapper. In the other direction the
//! model already accepts a string or a number for an amount.

use serde::{Serialize, Serializer};
use serde_json::Value;

/// `T`, serialized for the page (amounts as strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForPage<T>(pub T);

impl<T: Serialize> Serialize for ForPage<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = serde_json::to_value(&self.0).map_err(serde::ser::Error::custom)?;
        amounts_to_strings(&mut value);
        value.serialize(serializer)
    }
}

/// Every number under a key ending in `_amount` becomes a string with the same decimal text.
pub fn amounts_to_strings(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key.ends_with("_amount") {
                    if let Value::Number(number) = child {
                        *child = Value::String(number.to_string());
                        continue;
                    }
                }
                amounts_to_strings(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(amounts_to_strings),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use kyb_core::model::{parse_strict, Customer, UpdateCustomerRequest};
    use serde_json::json;

    use super::*;

    #[test]
    fn amounts_reach_the_page_as_exact_strings_and_the_partner_as_numbers() {
        let record: UpdateCustomerRequest = parse_strict(
            r#"{"account_usage":{"estimated_monthly_revenue_amount":99.99,"estimated_monthly_revenue_currency":"USD"}}"#,
        )
        .unwrap();
        let page = serde_json::to_string(&ForPage(&record)).unwrap();
        assert!(page.contains(r#""estimated_monthly_revenue_amount":"99.99""#), "{page}");
        // The same record, serialized for the partner, keeps the exact JSON number.
        let partner = serde_json::to_string(&record).unwrap();
        assert!(partner.contains(r#""estimated_monthly_revenue_amount":99.99"#), "{partner}");

        // Large and many-digit values keep every digit.
        let big: UpdateCustomerRequest =
            parse_strict(r#"{"account_usage":{"estimated_monthly_revenue_amount":12345678901234.10}}"#).unwrap();
        let page = serde_json::to_value(ForPage(&big)).unwrap();
        assert_eq!(page["account_usage"]["estimated_monthly_revenue_amount"], "12345678901234.10");
    }

    #[test]
    fn nothing_else_changes_and_no_number_is_left_in_a_customer() {
        for customer in kyb_sandbox::demo::customers().unwrap() {
            let page = serde_json::to_value(ForPage(&customer)).unwrap();
            assert!(!contains_number(&page), "{page}");
            // The page's form round-trips into the same customer.
            let back: Customer = serde_json::from_value(page).unwrap();
            assert_eq!(back, customer);
        }
        let mut value: Value = serde_json::from_str(r#"{"a": [{"x_amount": 1.50, "n": 2}], "other": "1"}"#).unwrap();
        amounts_to_strings(&mut value);
        assert_eq!(value, json!({"a": [{"x_amount": "1.50", "n": 2}], "other": "1"}));
    }

    fn contains_number(value: &Value) -> bool {
        match value {
            Value::Number(_) => true,
            Value::Array(items) => items.iter().any(contains_number),
            Value::Object(map) => map.values().any(contains_number),
            _ => false,
        }
    }
}
