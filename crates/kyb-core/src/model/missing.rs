//! Which parts of a customer the partner's answer did not return.
//!
//! The published response example lists people without `basic_info`, and no response field is
//! marked required, so any section may be absent from a detail or update answer. The editor opens
//! such a customer and names the parts here; validation then asks for the required fields before
//! a submit that sends them.

use serde::Serialize;
use ts_rs::TS;

use super::customer::Customer;

/// One part of the record the partner's answer did not contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MissingPart {
    /// The field path of the part, as validation names it (`business_person_list[0].basic_info`).
    pub path: String,
    /// The part, for people ("Person 1: basic information").
    pub label: String,
    /// Whether a submit needs it filled in (the API requires it, or validation does).
    pub required: bool,
}

impl Customer {
    /// The sections (and, per person, the parts) absent from this answer, in form order.
    pub fn missing_parts(&self) -> Vec<MissingPart> {
        let mut missing = Vec::new();
        let mut absent = |present: bool, path: String, label: String, required: bool| {
            if !present {
                missing.push(MissingPart { path, label, required });
            }
        };
        absent(self.business_details.is_some(), "business_details".into(), "Company details".into(), true);
        absent(self.registration_address.is_some(), "registration_address".into(), "Registration address".into(), true);
        absent(self.account_usage.is_some(), "account_usage".into(), "Account usage".into(), false);
        absent(self.primary_contact.is_some(), "primary_contact".into(), "Primary contact".into(), false);
        match &self.business_person_list {
            None => absent(false, "business_person_list".into(), "Legal representatives".into(), false),
            Some(people) => {
                for (index, person) in people.iter().enumerate() {
                    let path = format!("business_person_list[{index}]");
                    let who = format!("Person {}", index + 1);
                    absent(
                        person.basic_info.is_some(),
                        format!("{path}.basic_info"),
                        format!("{who}: basic information"),
                        true,
                    );
                    absent(
                        person.residential_address.is_some(),
                        format!("{path}.residential_address"),
                        format!("{who}: home address"),
                        false,
                    );
                    absent(
                        person.identification.is_some(),
                        format!("{path}.identification"),
                        format!("{who}: identity document"),
                        true,
                    );
                }
            }
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{parse_lenient, Customer};

    #[test]
    fn a_complete_answer_misses_nothing_and_an_empty_one_misses_every_section() {
        let empty: Customer = parse_lenient(r#"{"customer_id":"c","status":"Processing"}"#).unwrap();
        let paths: Vec<String> = empty.missing_parts().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            ["business_details", "registration_address", "account_usage", "primary_contact", "business_person_list"]
        );
    }

    #[test]
    fn people_without_basic_info_are_named_by_position() {
        let customer: Customer = parse_lenient(
            r#"{"customer_id":"c","status":"Processing","business_details":{},"registration_address":{},
                "account_usage":{},"primary_contact":{},
                "business_person_list":[{"identification":{},"residential_address":{}},{"basic_info":{},"identification":{}}]}"#,
        )
        .unwrap();
        let missing = customer.missing_parts();
        assert_eq!(missing.len(), 2);
        assert_eq!(missing[0].path, "business_person_list[0].basic_info");
        assert_eq!(missing[0].label, "Person 1: basic information");
        assert!(missing[0].required);
        assert_eq!(missing[1].path, "business_person_list[1].residential_address");
        assert!(!missing[1].required);
    }
}
