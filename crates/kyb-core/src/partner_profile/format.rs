//! The partner profile as a file: a versioned JSON document, read with serde (unknown keys are
//! refused). [`super::check`] reads the same document leniently first so that every problem,
//! not only the first, is reported with its JSON path.
//!
//! ```json
//! {"format": "kyb-desk-partner-profile", "version": 1, "name": "ACME", "revision": 3,
//!  "enumerations": {"business_type": {"values": ["Corporation", "Trust"], "closed": true}},
//!  "bounds": {"text_max": 140}}
//! ```

use serde::{Deserialize, Serialize};

/// The value of `format`: what the file is.
pub const FORMAT_NAME: &str = "kyb-desk-partner-profile";
/// The one `version` of the format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileDocument {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The format's version, [`FORMAT_VERSION`].
    pub version: u32,
    /// Who the profile describes, e.g. the partner's name.
    pub name: String,
    /// The profile's own revision, raised by whoever edits it (shown as "v3").
    pub revision: u32,
    /// An enumeration left out keeps KYB Desk's built-in, open list.
    #[serde(default)]
    pub enumerations: EnumerationsDocument,
    /// Partner-specific maximum lengths, each at most KYB Desk's own cap.
    #[serde(default, skip_serializing_if = "BoundsDocument::is_empty")]
    pub bounds: BoundsDocument,
}

/// The five enumerations of the partner's record, by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumerationsDocument {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_type: Option<ListDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_identifier_type: Option<ListDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_usage_product_reference: Option<ListDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_type: Option<RoleListDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_type: Option<ListDocument>,
}

/// One enumeration's values; `closed` means the partner refuses any other value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDocument {
    pub values: Vec<String>,
    #[serde(default)]
    pub closed: bool,
}

/// The role list, with the roles that can represent the business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleListDocument {
    pub values: Vec<String>,
    #[serde(default)]
    pub closed: bool,
    pub representative_roles: Vec<String>,
}

/// Maximum lengths in characters; a missing one leaves KYB Desk's cap alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundsDocument {
    /// Every single-line text field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_max: Option<usize>,
    /// `goods_service_description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_max: Option<usize>,
    /// `website`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_max: Option<usize>,
    /// `contact_email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_max: Option<usize>,
}

impl BoundsDocument {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
