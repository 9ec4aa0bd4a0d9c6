//! What each demo customer is for, in a sentence, so a new user of the built-in Sandbox knows
//! which one to open to try what. The ids and names come from `customers.json`; only the purpose
//! is written here.

use serde::Serialize;

use super::customers;
use crate::error::SandboxError;

/// One demo customer and what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoCustomerNote {
    pub customer_id: String,
    pub partner_customer_id: Option<String>,
    pub business_name: Option<String>,
    /// What to try with it.
    pub purpose: &'static str,
}

/// The purpose of each demo customer, by `customer_id`.
const PURPOSES: &[(&str, &str)] = &[
    ("cus_demo_0001", "A complete, valid customer with two people: edit a field and submit."),
    ("cus_demo_0002", "National ID front and back and two company documents: the document review."),
    ("cus_demo_0003", "Japanese names beside English ones; Processing at first, then Succeeded."),
    ("cus_demo_0004", "Failed, with problems to fix: an expired passport, a lowercase country code, an http website."),
    ("cus_demo_0005", "Suspended: the partner refuses updates (409), to see how a refusal looks."),
    ("cus_demo_0006", "Accented names and two people (Under Review with the strict personality)."),
];

/// Every demo customer with its purpose, in `customer_id` order.
pub fn notes() -> Result<Vec<DemoCustomerNote>, SandboxError> {
    Ok(customers()?
        .into_iter()
        .map(|customer| {
            let purpose = PURPOSES
                .iter()
                .find(|(id, _)| *id == customer.customer_id)
                .map_or("A demo customer.", |(_, purpose)| purpose);
            DemoCustomerNote {
                business_name: customer.business_details.as_ref().and_then(|d| d.business_name_english.clone()),
                partner_customer_id: customer.partner_customer_id.clone(),
                customer_id: customer.customer_id,
                purpose,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_customer_has_its_own_purpose() {
        let notes = notes().unwrap();
        assert_eq!(notes.len(), PURPOSES.len());
        for note in &notes {
            assert!(
                PURPOSES.iter().any(|(id, _)| *id == note.customer_id),
                "{} has no purpose written",
                note.customer_id
            );
            assert!(note.business_name.is_some() && note.partner_customer_id.is_some(), "{note:?}");
        }
    }
}
