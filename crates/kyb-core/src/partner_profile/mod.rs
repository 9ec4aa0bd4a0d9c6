//! The partner profile: what KYB Desk knows about one partner's enumerations and bounds.
//!
//! The partner's page shows one example value per enumeration, so KYB Desk ships its own
//! assumption ([`crate::validation::tables`]) as the built-in profile, with every list open (any
//! text accepted). A partner who publishes its real lists gets a profile file ([`format`]) whose
//! lists are `closed`: validation then refuses any other value, naming the profile. A file is
//! checked on load ([`check`]) and every problem is reported with its JSON path.

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use ts_rs::TS;

use crate::validation::limits::LengthBound;
use crate::validation::tables;

pub mod check;
pub mod format;

pub use check::{check_profile_json, check_profile_value, ProfileProblem};
pub use format::{ProfileDocument, FORMAT_NAME, FORMAT_VERSION};

use format::{BoundsDocument, EnumerationsDocument, ListDocument, RoleListDocument};

/// Name of the built-in profile (KYB Desk's own tables, every list open).
pub const BUILT_IN_NAME: &str = "KYB Desk built-in";

/// A fully resolved, checked profile: every enumeration present (left-out ones are the built-in
/// open lists). Only [`PartnerProfile::built_in`] and [`check`] make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerProfile {
    document: ProfileDocument,
    built_in: bool,
}

/// One of the five enumerated fields of the partner's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Enumeration {
    BusinessType,
    BusinessIdentifierType,
    AccountUsageProductReference,
    RoleType,
    IdType,
}

impl Enumeration {
    pub const ALL: [Enumeration; 5] = [
        Enumeration::BusinessType,
        Enumeration::BusinessIdentifierType,
        Enumeration::AccountUsageProductReference,
        Enumeration::RoleType,
        Enumeration::IdType,
    ];

    /// The key under `enumerations` in the profile file (the record's field name).
    pub fn key(self) -> &'static str {
        match self {
            Enumeration::BusinessType => "business_type",
            Enumeration::BusinessIdentifierType => "business_identifier_type",
            Enumeration::AccountUsageProductReference => "account_usage_product_reference",
            Enumeration::RoleType => "role_type",
            Enumeration::IdType => "id_type",
        }
    }

    /// What the list holds, in words ("the partner's list of business types").
    pub fn plural(self) -> &'static str {
        match self {
            Enumeration::BusinessType => "business types",
            Enumeration::BusinessIdentifierType => "business identifier types",
            Enumeration::AccountUsageProductReference => "account usages",
            Enumeration::RoleType => "role types",
            Enumeration::IdType => "ID types",
        }
    }

    /// KYB Desk's table for this field: the built-in profile's values.
    fn built_in_values(self) -> &'static [&'static str] {
        match self {
            Enumeration::BusinessType => tables::BUSINESS_TYPES,
            Enumeration::BusinessIdentifierType => tables::BUSINESS_IDENTIFIER_TYPES,
            Enumeration::AccountUsageProductReference => tables::ACCOUNT_USAGE_PRODUCT_REFERENCES,
            Enumeration::RoleType => tables::ROLE_TYPES,
            Enumeration::IdType => tables::ID_TYPES,
        }
    }
}

/// One enumeration of a profile, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumerationList<'a> {
    pub values: &'a [String],
    /// The partner refuses any other value.
    pub closed: bool,
}

/// Which profile is active, as the page and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProfileSummary {
    pub name: String,
    pub revision: u32,
    /// KYB Desk's own tables (every list open), not a partner's file.
    pub built_in: bool,
    /// The fields whose list is closed (their record field names).
    pub closed_lists: Vec<String>,
}

fn owned(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn built_in_list(field: Enumeration) -> ListDocument {
    ListDocument {
        values: owned(field.built_in_values()),
        closed: false,
    }
}

fn built_in_roles() -> RoleListDocument {
    RoleListDocument {
        values: owned(tables::ROLE_TYPES),
        closed: false,
        representative_roles: owned(tables::REPRESENTATIVE_ROLES),
    }
}

impl PartnerProfile {
    /// KYB Desk's tables, every list open, no partner bounds.
    pub fn built_in() -> Self {
        let document = ProfileDocument {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            name: BUILT_IN_NAME.to_owned(),
            revision: 1,
            enumerations: EnumerationsDocument::default(),
            bounds: BoundsDocument::default(),
        };
        Self {
            document: fill_in(document),
            built_in: true,
        }
    }

    /// The built-in profile, made once and shared.
    pub fn shared_built_in() -> Arc<Self> {
        static BUILT_IN: OnceLock<Arc<PartnerProfile>> = OnceLock::new();
        BUILT_IN
            .get_or_init(|| Arc::new(PartnerProfile::built_in()))
            .clone()
    }

    /// A checked document (see [`check`]), its left-out enumerations filled in.
    pub(crate) fn from_checked(document: ProfileDocument) -> Self {
        Self {
            document: fill_in(document),
            built_in: false,
        }
    }

    pub fn name(&self) -> &str {
        &self.document.name
    }

    pub fn revision(&self) -> u32 {
        self.document.revision
    }

    pub fn is_built_in(&self) -> bool {
        self.built_in
    }

    /// "ACME v3": how messages name the profile.
    pub fn label(&self) -> String {
        format!("{} v{}", self.document.name, self.document.revision)
    }

    /// The document with every enumeration written out (what `kyb partner-profile show` prints
    /// and what an environment stores).
    pub fn document(&self) -> &ProfileDocument {
        &self.document
    }

    pub fn list(&self, field: Enumeration) -> EnumerationList<'_> {
        let e = &self.document.enumerations;
        let list = match field {
            Enumeration::BusinessType => e.business_type.as_ref(),
            Enumeration::BusinessIdentifierType => e.business_identifier_type.as_ref(),
            Enumeration::AccountUsageProductReference => e.account_usage_product_reference.as_ref(),
            Enumeration::IdType => e.id_type.as_ref(),
            Enumeration::RoleType => {
                return match &e.role_type {
                    Some(roles) => EnumerationList {
                        values: &roles.values,
                        closed: roles.closed,
                    },
                    None => EnumerationList {
                        values: &[],
                        closed: false,
                    },
                }
            }
        };
        match list {
            Some(list) => EnumerationList {
                values: &list.values,
                closed: list.closed,
            },
            None => EnumerationList {
                values: &[],
                closed: false,
            },
        }
    }

    /// The roles that can represent the business.
    pub fn representative_roles(&self) -> &[String] {
        self.document
            .enumerations
            .role_type
            .as_ref()
            .map(|r| r.representative_roles.as_slice())
            .unwrap_or(&[])
    }

    /// The partner's maximum length for a kind of field, when the profile sets one.
    pub fn bound(&self, kind: LengthBound) -> Option<usize> {
        let b = &self.document.bounds;
        match kind {
            LengthBound::Text => b.text_max,
            LengthBound::Description => b.description_max,
            LengthBound::Website => b.website_max,
            LengthBound::Email => b.email_max,
        }
    }

    pub fn summary(&self) -> ProfileSummary {
        ProfileSummary {
            name: self.document.name.clone(),
            revision: self.document.revision,
            built_in: self.built_in,
            closed_lists: Enumeration::ALL
                .iter()
                .filter(|field| self.list(**field).closed)
                .map(|field| field.key().to_owned())
                .collect(),
        }
    }
}

/// Every left-out enumeration becomes the built-in open list, so readers never meet a gap.
fn fill_in(mut document: ProfileDocument) -> ProfileDocument {
    let e = &mut document.enumerations;
    for (slot, field) in [
        (&mut e.business_type, Enumeration::BusinessType),
        (
            &mut e.business_identifier_type,
            Enumeration::BusinessIdentifierType,
        ),
        (
            &mut e.account_usage_product_reference,
            Enumeration::AccountUsageProductReference,
        ),
        (&mut e.id_type, Enumeration::IdType),
    ] {
        slot.get_or_insert_with(|| built_in_list(field));
    }
    e.role_type.get_or_insert_with(built_in_roles);
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_profile_is_the_tables_and_open() {
        let profile = PartnerProfile::built_in();
        assert!(profile.is_built_in());
        for field in Enumeration::ALL {
            let list = profile.list(field);
            assert_eq!(list.values, owned(field.built_in_values()));
            assert!(!list.closed, "{field:?}");
        }
        assert_eq!(
            profile.representative_roles(),
            owned(tables::REPRESENTATIVE_ROLES)
        );
        assert!(LengthBound::ALL.iter().all(|b| profile.bound(*b).is_none()));
        assert_eq!(profile.summary().closed_lists, Vec::<String>::new());
    }

    #[test]
    fn the_built_in_document_passes_its_own_check() {
        let text = serde_json::to_string_pretty(PartnerProfile::built_in().document()).unwrap();
        let read = check_profile_json(&text).expect("the built-in profile is a valid file");
        assert_eq!(read.document(), PartnerProfile::built_in().document());
        assert!(!read.is_built_in());
    }
}
