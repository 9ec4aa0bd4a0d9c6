//! Responses: the customer record (update, create and detail all answer with it) and file upload.

use chrono::{DateTime, Utc};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

use super::requests::UpdateCustomerRequest;
use super::sections::{AccountUsage, BusinessDetails, BusinessPerson, PrimaryContact, RegistrationAddress};

/// Where the partner is with a customer record.
///
/// The published page types `status` as a plain string and shows four values; those four keep
/// their meaning here, and any other text is kept exactly as the partner wrote it ([`Self::Other`]),
/// so a customer with a status this version does not know still opens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, TS)]
#[ts(export, type = "\"Processing\" | \"Succeeded\" | \"Failed\" | \"Suspended\" | (string & {})")]
pub enum CustomerStatus {
    Processing,
    Succeeded,
    Failed,
    Suspended,
    /// A status beyond the four published examples, as the partner wrote it (empty when the
    /// answer had no status).
    Other(String),
}

impl CustomerStatus {
    /// The four statuses the page shows, in its order.
    pub const KNOWN: [CustomerStatus; 4] =
        [CustomerStatus::Processing, CustomerStatus::Succeeded, CustomerStatus::Failed, CustomerStatus::Suspended];

    /// Whether the partner has finished with the record (no point polling any more). A status
    /// this version does not know is not settled: the outbox follows it for a bounded time only.
    pub fn is_settled(&self) -> bool {
        matches!(self, CustomerStatus::Succeeded | CustomerStatus::Failed | CustomerStatus::Suspended)
    }

    /// One of the four published statuses.
    pub fn is_known(&self) -> bool {
        !matches!(self, CustomerStatus::Other(_))
    }

    /// The text the partner sent.
    pub fn as_str(&self) -> &str {
        match self {
            CustomerStatus::Processing => "Processing",
            CustomerStatus::Succeeded => "Succeeded",
            CustomerStatus::Failed => "Failed",
            CustomerStatus::Suspended => "Suspended",
            CustomerStatus::Other(text) => text,
        }
    }
}

impl Default for CustomerStatus {
    /// An answer without `status` (the page does not mark it required): an unknown, empty one.
    fn default() -> Self {
        CustomerStatus::Other(String::new())
    }
}

impl From<&str> for CustomerStatus {
    /// Exact text only: the API is case-sensitive, so "processing" is another status, not guessed.
    fn from(text: &str) -> Self {
        CustomerStatus::KNOWN
            .into_iter()
            .find(|known| known.as_str() == text)
            .unwrap_or_else(|| CustomerStatus::Other(text.to_owned()))
    }
}

impl fmt::Display for CustomerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CustomerStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CustomerStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(CustomerStatus::from(text.as_ref()))
    }
}

/// A customer as the partner returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Customer {
    pub customer_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_customer_id: Option<String>,
    #[serde(default)]
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
