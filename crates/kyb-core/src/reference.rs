//! Reference data for the desktop's pickers: the active partner profile's enumerations, and
//! country and currency names from the ISO libraries validation uses (so a picker never offers a
//! refused value).

use serde::Serialize;
use ts_rs::TS;

use crate::client::MAX_UPLOAD_BYTES;
use crate::document_slots::{document_slots, DocumentSlotTypes};
use crate::model::FileType;
use crate::partner_profile::{Enumeration, PartnerProfile, ProfileSummary};
use crate::field_labels::{field_labels, FieldLabels};
use crate::review::{review_vocabulary, ReviewVocabulary};
use crate::validation::{is_active_currency, is_country};

/// A code with its English name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CodeName {
    pub code: String,
    pub name: String,
}

/// Everything a picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReferenceData {
    /// ISO 3166-1 alpha-2 codes, sorted by name.
    pub countries: Vec<CodeName>,
    /// Active ISO 4217 currencies (no funds, metals or withdrawn codes), sorted by code.
    pub currencies: Vec<CodeName>,
    pub business_types: Vec<String>,
    pub business_identifier_types: Vec<String>,
    pub product_references: Vec<String>,
    pub role_types: Vec<String>,
    pub id_types: Vec<String>,
    /// The `fileType` labels of the upload endpoint.
    pub file_types: Vec<String>,
    /// The `fileType`s each document slot takes (its upload control offers only these).
    pub document_slots: Vec<DocumentSlotTypes>,
    /// Largest document the app uploads or keeps, in bytes: the page refuses a bigger file
    /// before reading it.
    #[ts(type = "number")]
    pub max_upload_bytes: u64,
    /// The document review's decisions, reasons and limits.
    pub review: ReviewVocabulary,
    /// Every section and field with its label and kind, in form order (the one label table).
    pub labels: FieldLabels,
    /// The partner profile the enumerations above come from (shown in Settings).
    pub partner_profile: ProfileSummary,
}

/// The reference data of the built-in partner profile.
pub fn reference_data() -> ReferenceData {
    reference_data_for(&PartnerProfile::built_in())
}

/// Build the reference data for `profile` (cheap; callers may cache it).
pub fn reference_data_for(profile: &PartnerProfile) -> ReferenceData {
    let mut countries: Vec<CodeName> = rust_iso3166::ALL
        .iter()
        .filter(|c| is_country(c.alpha2))
        .map(|c| CodeName { code: c.alpha2.to_owned(), name: c.name.to_owned() })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.code.cmp(&b.code)));
    use iso_currency::IntoEnumIterator;
    let mut currencies: Vec<CodeName> = iso_currency::Currency::iter()
        .filter(|c| is_active_currency(c.code()))
        .map(|c| CodeName { code: c.code().to_owned(), name: c.name().to_owned() })
        .collect();
    currencies.sort_by(|a, b| a.code.cmp(&b.code));
    let owned = |field: Enumeration| profile.list(field).values.to_vec();
    ReferenceData {
        countries,
        currencies,
        business_types: owned(Enumeration::BusinessType),
        business_identifier_types: owned(Enumeration::BusinessIdentifierType),
        product_references: owned(Enumeration::AccountUsageProductReference),
        role_types: owned(Enumeration::RoleType),
        id_types: owned(Enumeration::IdType),
        file_types: FileType::ALL.iter().map(|t| t.label().to_owned()).collect(),
        document_slots: document_slots(),
        max_upload_bytes: MAX_UPLOAD_BYTES as u64,
        review: review_vocabulary(),
        labels: field_labels(),
        partner_profile: profile.summary(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pickers_offer_only_values_validation_accepts() {
        let data = reference_data();
        assert!(data.countries.len() > 240, "{}", data.countries.len());
        assert!(data.countries.iter().all(|c| is_country(&c.code) && !c.name.is_empty()));
        assert!(data.countries.iter().any(|c| c.code == "US"));
        assert!(data.currencies.len() > 140, "{}", data.currencies.len());
        assert!(data.currencies.iter().all(|c| is_active_currency(&c.code) && !c.name.is_empty()));
        for refused in ["HRK", "XAU", "CHE", "XXX"] {
            assert!(data.currencies.iter().all(|c| c.code != refused), "{refused}");
        }
        assert!(data.currencies.iter().any(|c| c.code == "EUR"));
        assert_eq!(data.role_types, crate::validation::tables::ROLE_TYPES);
        assert!(data.partner_profile.built_in);
        assert_eq!(data.file_types.len(), 6);
        assert!(data.file_types.contains(&"Main page".to_owned()));
        assert_eq!(data.max_upload_bytes, 10 * 1024 * 1024);
        assert_eq!(data.document_slots.len(), 3);
    }
}
