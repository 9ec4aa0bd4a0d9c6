//! Demo data: six customers from six countries, with the documents they reference.
//!
//! | customer_id | partner id | company | country | status | notes |
//! |---|---|---|---|---|---|
//! | `cus_demo_0001` | `P-1001` | Acme Robotics LLC | US | Succeeded | two people, passports |
//! | `cus_demo_0002` | `P-1002` | Nordlicht Logistics GmbH | DE | Succeeded | national ID front and back, two company documents |
//! | `cus_demo_0003` | `P-1003` | Sakura Trading Co., Ltd. | JP | Processing → Succeeded | Japanese names next to English ones |
//! | `cus_demo_0004` | `P-1004` | Thames Valley Textiles Ltd | GB | Failed | to fix: expired passport, lowercase `gb`, http website |
//! | `cus_demo_0005` | `P-1005` | Harbour Point Imports Pte. Ltd. | SG | Suspended | updates refused (409) |
//! | `cus_demo_0006` | `P-1006` | Andes Coffee Exporters Ltda. | BR | Succeeded | accents, two people |
//!
//! The strict personality gives `cus_demo_0006` the status "Under Review" instead.
//!
//! Every referenced file id exists in the seeded file store (PNG images of ID cards, PDFs of
//! company documents).

mod descriptions;
mod documents;

use std::time::Duration;

use chrono::Utc;
use kyb_core::model::{parse_strict, Customer, CustomerStatus, FileType};

pub use descriptions::{notes, DemoCustomerNote};
pub use documents::{document_pdf, id_card_png};

use crate::error::SandboxError;
use crate::personality::{Personality, STRICT_REVIEW_CUSTOMER, UNDER_REVIEW};
use crate::settle::outcome_for;
use crate::store::{FileMeta, Store, StoredCustomer};

const CUSTOMERS_JSON: &str = include_str!("customers.json");

/// The demo customers as the API returns them.
pub fn customers() -> Result<Vec<Customer>, SandboxError> {
    parse_strict::<Vec<Customer>>(CUSTOMERS_JSON).map_err(|err| SandboxError::Demo(err.to_string()))
}

/// A document a demo customer references.
struct DemoFile {
    file_id: String,
    file_type: FileType,
    file_name: String,
    bytes: Vec<u8>,
}

/// One demo document: `(customer_id, file_id, file_name, bytes)`. The desktop app keeps local
/// copies of these as if they had been uploaded from it, so its document viewer has something
/// to show in the built-in Sandbox.
pub type DemoDocument = (String, String, String, Vec<u8>);

/// Every document the demo customers reference, generated.
pub fn documents() -> Result<Vec<DemoDocument>, SandboxError> {
    Ok(customers()?
        .iter()
        .flat_map(|customer| {
            files_of(customer).into_iter().map(|file| (customer.customer_id.clone(), file.file_id, file.file_name, file.bytes))
        })
        .collect())
}

/// Put the demo customers and their documents into an empty store.
pub async fn seed(store: &mut Store, settle_after: Duration, personality: Personality) -> Result<(), SandboxError> {
    let now = Utc::now();
    let settle_after = chrono::Duration::from_std(settle_after).unwrap_or(chrono::Duration::MAX);
    for mut customer in customers()? {
        if personality == Personality::Strict && customer.customer_id == STRICT_REVIEW_CUSTOMER {
            customer.status = CustomerStatus::Other(UNDER_REVIEW.to_owned());
        }
        for file in files_of(&customer) {
            if store.files.contains_key(&file.file_id) {
                continue;
            }
            let meta = FileMeta {
                file_id: file.file_id,
                file_name: file.file_name.clone(),
                file_type: file.file_type,
                size: file.bytes.len() as u64,
                content_type: if file.file_name.ends_with(".pdf") { "application/pdf" } else { "image/png" }.to_owned(),
                uploaded_at: customer.created_at.unwrap_or(now),
            };
            store.add_file(meta, &file.bytes).await.map_err(storage)?;
        }
        let processing = customer.status == CustomerStatus::Processing;
        let stored = StoredCustomer {
            outcome: processing.then(|| outcome_for(&customer)),
            settles_at: processing.then(|| now.checked_add_signed(settle_after).unwrap_or(now)),
            customer,
        };
        store.customers.insert(stored.customer.customer_id.clone(), stored);
    }
    store.save().await.map_err(storage)?;
    tracing::info!(customers = store.customers.len(), files = store.files.len(), "demo data seeded");
    Ok(())
}

fn storage(source: std::io::Error) -> SandboxError {
    SandboxError::Demo(format!("cannot write the demo data: {source}"))
}

/// The documents `customer` references, generated.
fn files_of(customer: &Customer) -> Vec<DemoFile> {
    let company = customer
        .business_details
        .as_ref()
        .and_then(|d| d.business_name_english.clone())
        .unwrap_or_else(|| customer.customer_id.clone());
    let mut files = Vec::new();
    let docs = customer.business_details.as_ref().and_then(|d| d.business_identifier_document_list.clone());
    for (i, file_id) in docs.into_iter().flatten().enumerate() {
        let (file_type, title) = match i {
            0 => (FileType::BusinessRegistration, "Certificate of Registration"),
            1 => (FileType::ArticleOfAssociation, "Articles of Association"),
            _ => (FileType::Contract, "Contract"),
        };
        let number = customer
            .business_details
            .as_ref()
            .and_then(|d| d.business_identifier_number.clone())
            .unwrap_or_default();
        let lines = vec![
            format!("Company: {company}"),
            format!("Identifier: {number}"),
            format!("Document: {file_id}"),
            "SPECIMEN - generated by the KYB Desk sandbox".to_owned(),
        ];
        files.push(DemoFile {
            file_name: format!("{file_id}.pdf"),
            bytes: document_pdf(title, &lines),
            file_type,
            file_id,
        });
    }
    for person in customer.business_person_list.iter().flatten() {
        let Some(id) = &person.identification else { continue };
        let sides = [(&id.id_document_front_file_id, false), (&id.id_document_back_file_id, true)];
        for (file_id, back) in sides {
            let Some(file_id) = file_id.clone() else { continue };
            let seed = file_id.bytes().fold(0u32, |acc, b| acc.wrapping_mul(31).wrapping_add(u32::from(b)));
            files.push(DemoFile {
                file_name: format!("{file_id}.png"),
                bytes: id_card_png(seed, back),
                file_type: if back { FileType::BackPage } else { FileType::MainPage },
                file_id,
            });
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use kyb_core::validation::{validate_update, ValidationContext};

    #[test]
    fn demo_data_parses_strictly_and_is_varied() {
        let customers = customers().unwrap();
        assert_eq!(customers.len(), 6);
        let statuses: Vec<_> = customers.iter().map(|c| c.status.clone()).collect();
        for status in [CustomerStatus::Succeeded, CustomerStatus::Processing, CustomerStatus::Failed, CustomerStatus::Suspended] {
            assert!(statuses.contains(&status), "{status:?}");
        }
        assert!(customers.iter().all(|c| c.customer_id.starts_with("cus_demo_") && c.partner_customer_id.is_some()));
    }

    #[test]
    fn every_referenced_file_is_generated() {
        for customer in customers().unwrap() {
            let files = files_of(&customer);
            let people = customer.business_person_list.as_ref().map_or(0, Vec::len);
            assert!(files.len() > people, "{}", customer.customer_id);
            assert!(files.iter().all(|f| !f.bytes.is_empty()));
        }
    }

    /// The demo records pass validation, except the one that is meant to be fixed.
    #[test]
    fn demo_customers_are_valid_except_the_one_to_fix() {
        let ctx = ValidationContext::now();
        for customer in customers().unwrap() {
            let issues = validate_update(&customer.sections(), &ctx);
            if customer.customer_id == "cus_demo_0004" {
                let found: Vec<(String, String)> = issues
                    .iter()
                    .map(|i| (i.path.clone(), serde_json::to_value(i.code).unwrap().as_str().unwrap_or("").to_owned()))
                    .collect();
                for expected in [
                    ("business_details.website", "not_https"),
                    ("business_details.business_identifier_country_code", "lowercase_country"),
                    ("business_person_list[0].identification.id_expiration_date", "expired"),
                ] {
                    assert!(found.iter().any(|(p, c)| p == expected.0 && c == expected.1), "{expected:?} not in {found:?}");
                }
                continue;
            }
            assert!(issues.is_empty(), "{}: {issues:#?}", customer.customer_id);
        }
    }
}
