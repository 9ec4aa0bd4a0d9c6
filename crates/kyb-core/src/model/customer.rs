//! Responses: the customer record (update, create and detail all answer with it) and file upload.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::requests::UpdateCustomerRequest;
use super::sections::{AccountUsage, BusinessDetails, BusinessPerson, PrimaryContact, RegistrationAddress};

/// Where the partner is with a customer record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CustomerStatus {
    Processing,
    Succeeded,
    Failed,
    Suspended,
}

impl CustomerStatus {
    /// Whether the partner has finished with the record (no point polling any more).
    pub fn is_settled(self) -> bool {
        !matches!(self, CustomerStatus::Processing)
    }
}

/// A customer as the partner returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Customer {
    pub customer_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_customer_id: Option<String>,
    pub status: CustomerStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
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

impl Customer {
    /// The editable part of the record, as an update body (what a form starts from).
    pub fn sections(&self) -> UpdateCustomerRequest {
        UpdateCustomerRequest {
            business_details: self.business_details.clone(),
            registration_address: self.registration_address.clone(),
            account_usage: self.account_usage.clone(),
            primary_contact: self.primary_contact.clone(),
            business_person_list: self.business_person_list.clone(),
        }
    }
}

/// Answer of `POST /api/files/upload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileUploadResponse {
    pub file_id: String,
}
