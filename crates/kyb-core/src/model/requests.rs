//! Request bodies: Update Customer (the seed) and Create Customer (the same plus `partner_customer_id`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sections::{AccountUsage, BusinessDetails, BusinessPerson, PrimaryContact, RegistrationAddress};

/// Body of `POST /api/customers/{customer_id}/update`.
///
/// `business_details` and `registration_address` are required by the API; they are optional
/// here so that an incomplete draft still parses and validation can name what is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateCustomerRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_details: Option<BusinessDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_address: Option<RegistrationAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_usage: Option<AccountUsage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<PrimaryContact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_person_list: Option<Vec<BusinessPerson>>,
}

/// Body of `POST /api/customers/create`: the update body plus the partner's own reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCustomerRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_details: Option<BusinessDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_address: Option<RegistrationAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_usage: Option<AccountUsage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<PrimaryContact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_person_list: Option<Vec<BusinessPerson>>,
}

impl CreateCustomerRequest {
    /// The sections of this create body, as an update body (they share every rule).
    pub fn sections(&self) -> UpdateCustomerRequest {
        UpdateCustomerRequest {
            business_details: self.business_details.clone(),
            registration_address: self.registration_address.clone(),
            account_usage: self.account_usage.clone(),
            primary_contact: self.primary_contact.clone(),
            business_person_list: self.business_person_list.clone(),
        }
    }

    pub fn from_sections(partner_customer_id: Option<String>, sections: UpdateCustomerRequest) -> Self {
        Self {
            partner_customer_id,
            business_details: sections.business_details,
            registration_address: sections.registration_address,
            account_usage: sections.account_usage,
            primary_contact: sections.primary_contact,
            business_person_list: sections.business_person_list,
        }
    }
}
