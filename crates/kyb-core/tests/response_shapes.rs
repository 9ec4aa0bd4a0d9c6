//! Every answer the published page allows parses: `status` is any string (the page shows the four
//! values as one example text), and any section, or a person's `basic_info`, may be absent.

use serde_json::{json, Value};

use kyb_core::model::{parse_lenient, Customer, CustomerStatus};

/// The page's response example, verbatim.
const PAGE_RESPONSE: &str = include_str!("fixtures/seed_page_response.json");

#[test]
fn the_page_response_example_parses_as_published() {
    let customer: Customer = parse_lenient(PAGE_RESPONSE).expect("the page's own example parses");
    // The example's status is the list of examples as one text: a status this version does not know.
    assert_eq!(customer.status, CustomerStatus::Other("Processing,Succeeded,Failed,Suspended".into()));
    assert!(!customer.status.is_settled());
    assert!(customer.business_details.is_none());
    let people = customer.business_person_list.as_deref().unwrap();
    assert!(people[0].basic_info.is_none());
    let back = serde_json::to_value(&customer).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(PAGE_RESPONSE).unwrap());
}

#[test]
fn missing_parts_name_what_the_page_example_leaves_out() {
    let customer: Customer = parse_lenient(PAGE_RESPONSE).unwrap();
    let missing: Vec<(String, bool)> = customer.missing_parts().into_iter().map(|p| (p.path, p.required)).collect();
    assert_eq!(
        missing,
        [
            ("business_details".to_owned(), true),
            ("registration_address".to_owned(), true),
            ("business_person_list[0].basic_info".to_owned(), true),
        ]
    );
}

#[test]
fn an_unknown_status_round_trips_exactly() {
    for text in ["Under Review", "processing", "", "Pending – manual check"] {
        let answer = json!({"customer_id": "c1", "status": text});
        let customer: Customer = parse_lenient(&answer.to_string()).unwrap();
        assert_eq!(customer.status, CustomerStatus::Other(text.into()));
        assert!(!customer.status.is_known());
        assert!(!customer.status.is_settled());
        assert_eq!(customer.status.to_string(), text);
        assert_eq!(serde_json::to_value(&customer).unwrap(), answer);
    }
}

#[test]
fn the_four_known_statuses_keep_their_meaning() {
    for (text, settled) in [("Processing", false), ("Succeeded", true), ("Failed", true), ("Suspended", true)] {
        let customer: Customer = parse_lenient(&json!({"customer_id": "c1", "status": text}).to_string()).unwrap();
        assert!(customer.status.is_known(), "{text}");
        assert_eq!(customer.status.is_settled(), settled, "{text}");
        assert_eq!(serde_json::to_value(&customer.status).unwrap(), json!(text));
    }
}

#[test]
fn a_detail_answer_with_only_an_id_parses() {
    let customer: Customer = parse_lenient(r#"{"customer_id":"c1"}"#).unwrap();
    assert_eq!(customer.status, CustomerStatus::Other(String::new()));
    assert_eq!(customer.missing_parts().len(), 5);
}

#[test]
fn a_status_that_is_not_text_is_refused_naming_the_field() {
    let err = parse_lenient::<Customer>(r#"{"customer_id":"c1","status":3}"#).unwrap_err();
    assert_eq!(err.path, "status");
}
