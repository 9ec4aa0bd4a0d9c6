//! What a submitted record settles to, and when.
//!
//! Magic values (documented for demos and tests):
//! - any representative whose `identification.id_number` starts with `REJECT` (any case) → `Failed`;
//! - `business_details.business_name_english` containing `Rejected` (any case) → `Failed`;
//! - `business_details.business_name_english` containing `Suspended` (any case) → `Suspended`;
//! - anything else → `Succeeded`.

use chrono::{DateTime, Utc};
use kyb_core::model::{Customer, CustomerStatus};

use crate::store::StoredCustomer;

pub const REJECT_ID_PREFIX: &str = "REJECT";
pub const REJECT_NAME_MARKER: &str = "Rejected";
pub const SUSPEND_NAME_MARKER: &str = "Suspended";

/// The status a record will settle to once processed.
pub fn outcome_for(customer: &Customer) -> CustomerStatus {
    let name = customer
        .business_details
        .as_ref()
        .and_then(|d| d.business_name_english.as_deref())
        .unwrap_or("")
        .to_lowercase();
    let rejected_id = customer.business_person_list.iter().flatten().any(|person| {
        person
            .identification
            .as_ref()
            .and_then(|id| id.id_number.as_deref())
            .is_some_and(|n| n.trim_start().to_uppercase().starts_with(REJECT_ID_PREFIX))
    });
    if rejected_id || name.contains(&REJECT_NAME_MARKER.to_lowercase()) {
        CustomerStatus::Failed
    } else if name.contains(&SUSPEND_NAME_MARKER.to_lowercase()) {
        CustomerStatus::Suspended
    } else {
        CustomerStatus::Succeeded
    }
}

/// Move a `Processing` record to its outcome when its time has come; true when it changed.
pub fn settle_if_due(stored: &mut StoredCustomer, now: DateTime<Utc>) -> bool {
    if stored.customer.status != CustomerStatus::Processing {
        return false;
    }
    match stored.settles_at {
        Some(at) if at <= now => {
            stored.customer.status = stored.outcome.take().unwrap_or_else(|| outcome_for(&stored.customer));
            stored.settles_at = None;
            stored.outcome = None;
            true
        }
        Some(_) => false,
        None => {
            // A Processing record without a schedule (hand-edited data): settle it now.
            stored.customer.status = outcome_for(&stored.customer);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kyb_core::model::{BusinessDetails, BusinessPerson, Identification};

    fn customer(name: &str, id_number: &str) -> Customer {
        Customer {
            customer_id: "c".into(),
            partner_customer_id: None,
            status: CustomerStatus::Processing,
            created_at: None,
            business_details: Some(BusinessDetails { business_name_english: Some(name.into()), ..Default::default() }),
            registration_address: None,
            account_usage: None,
            primary_contact: None,
            business_person_list: Some(vec![BusinessPerson {
                identification: Some(Identification { id_number: Some(id_number.into()), ..Default::default() }),
                ..Default::default()
            }]),
        }
    }

    #[test]
    fn magic_values() {
        assert_eq!(outcome_for(&customer("Acme Ltd", "X123")), CustomerStatus::Succeeded);
        assert_eq!(outcome_for(&customer("Acme Ltd", "REJECT-1")), CustomerStatus::Failed);
        assert_eq!(outcome_for(&customer("Acme Ltd", "reject1")), CustomerStatus::Failed);
        assert_eq!(outcome_for(&customer("Rejected Goods Ltd", "X1")), CustomerStatus::Failed);
        assert_eq!(outcome_for(&customer("Suspended Co", "X1")), CustomerStatus::Suspended);
    }

    #[test]
    fn settles_only_when_due() {
        let now = Utc::now();
        let mut stored = StoredCustomer {
            customer: customer("Acme", "X"),
            settles_at: Some(now + chrono::Duration::seconds(5)),
            outcome: Some(CustomerStatus::Succeeded),
        };
        assert!(!settle_if_due(&mut stored, now));
        assert_eq!(stored.customer.status, CustomerStatus::Processing);
        assert!(settle_if_due(&mut stored, now + chrono::Duration::seconds(6)));
        assert_eq!(stored.customer.status, CustomerStatus::Succeeded);
    }
}
