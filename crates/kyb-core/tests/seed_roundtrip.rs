//! The seed's own examples parse into the model and serialize back to the same JSON.

use rust_decimal::Decimal;
use serde_json::Value;

use kyb_core::model::{parse_lenient, parse_strict, Customer, CustomerStatus, UpdateCustomerRequest};

const REQUEST: &str = include_str!("fixtures/seed_update_request.json");
const RESPONSE: &str = include_str!("fixtures/seed_update_response.json");

fn value(json: &str) -> Value {
    serde_json::from_str(json).expect("fixture is JSON")
}

#[test]
fn seed_request_round_trips_to_the_identical_json() {
    let request: UpdateCustomerRequest = parse_strict(REQUEST).expect("the seed request parses strictly");
    let back = serde_json::to_value(&request).unwrap();
    assert_eq!(back, value(REQUEST));
    // And through text, the way the client sends it.
    let again: UpdateCustomerRequest = parse_strict(&serde_json::to_string(&request).unwrap()).unwrap();
    assert_eq!(again, request);
}

#[test]
fn seed_response_round_trips_to_the_identical_json() {
    let customer: Customer = parse_lenient(RESPONSE).expect("the seed response parses");
    assert_eq!(customer.status, CustomerStatus::Processing);
    let back = serde_json::to_value(&customer).unwrap();
    assert_eq!(back, value(RESPONSE));
}

#[test]
fn amounts_survive_exactly() {
    let request: UpdateCustomerRequest = parse_strict(REQUEST).unwrap();
    let amount = request
        .account_usage
        .as_ref()
        .unwrap()
        .estimated_monthly_revenue_amount
        .unwrap();
    assert_eq!(amount, Decimal::new(9999, 2));
    assert_eq!(amount.to_string(), "99.99");
    let text = serde_json::to_string(&request).unwrap();
    assert!(text.contains("\"estimated_monthly_revenue_amount\":99.99"), "{text}");

    let customer: Customer = parse_lenient(RESPONSE).unwrap();
    let amount = customer
        .account_usage
        .as_ref()
        .unwrap()
        .estimated_monthly_revenue_amount
        .unwrap();
    assert_eq!(amount.to_string(), "123");

    // Amounts an f64 would blur keep every digit.
    for exact in ["0.1", "0.01", "99.99", "1234567890123.45", "100000000000000.01"] {
        let json = REQUEST.replace("99.99", exact);
        let request: UpdateCustomerRequest = parse_strict(&json).unwrap();
        let amount = request
            .account_usage
            .as_ref()
            .unwrap()
            .estimated_monthly_revenue_amount
            .unwrap();
        assert_eq!(amount.to_string(), exact);
        assert_eq!(serde_json::to_value(&request).unwrap(), value(&json));
    }
}

#[test]
fn field_names_are_exactly_the_seeds() {
    fn keys(value: &Value, prefix: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    out.push(path.clone());
                    keys(v, &path, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, &format!("{prefix}[]"), out)),
            _ => {}
        }
    }
    let request: UpdateCustomerRequest = parse_strict(REQUEST).unwrap();
    let (mut ours, mut seed) = (Vec::new(), Vec::new());
    keys(&serde_json::to_value(&request).unwrap(), "", &mut ours);
    keys(&value(REQUEST), "", &mut seed);
    ours.sort();
    seed.sort();
    assert_eq!(ours, seed);
    assert_eq!(seed.len(), 50, "5 sections and 45 fields");
}
