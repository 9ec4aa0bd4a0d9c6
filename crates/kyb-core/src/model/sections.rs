//! The five sections of a customer record, shared by requests and responses.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Company details section (`business_details`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusinessDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_name_english: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_identifier_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_identifier_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_identifier_country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_identifier_document_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_identifier_start_date: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_identifier_expiry_date: Option<DateTime<Utc>>,
}

/// Registration address section (`registration_address`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegistrationAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_address_line1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_address_city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_address_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_address_postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_address_country_code: Option<String>,
}

/// Account usage section (`account_usage`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountUsage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_service_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry_category_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_usage_product_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_monthly_revenue_currency: Option<String>,
    /// A JSON number kept as exact decimal text (never an f64): `99.99` stays `99.99`.
    /// Across the desktop IPC it travels as a string (`"99.99"`); a string is accepted here too.
    #[ts(type = "string")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub estimated_monthly_revenue_amount: Option<Decimal>,
}

/// Primary contact section (`primary_contact`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrimaryContact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
}

/// One legal representative (an item of `business_person_list`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusinessPerson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_info: Option<BasicInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residential_address: Option<ResidentialAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identification: Option<Identification>,
}

/// `business_person_list[i].basic_info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BasicInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name_english: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name_english: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

/// `business_person_list[i].residential_address`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResidentialAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residential_address_line1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residential_address_city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residential_address_postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residential_address_country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residential_address_state: Option<String>,
}

/// `business_person_list[i].identification`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Identification {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_issuing_country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_expiration_date: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_issue_date: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_document_front_file_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_document_back_file_id: Option<String>,
}
