//! The enumerations: one `const` slice per field, in Title Case labels.
//!
//! The partner's page shows one example value per field and no list, so these tables are KYB
//! Desk's assumption: they are the built-in partner profile (`crate::partner_profile`), whose
//! lists are open (validation accepts any other text). A partner's own profile file replaces
//! them. Why these values: see `docs/VALIDATION.md`.

/// `business_details.business_type`: the legal form of the business.
pub const BUSINESS_TYPES: &[&str] = &[
    "Sole Proprietorship",
    "General Partnership",
    "Limited Partnership",
    "Limited Liability Partnership",
    "Limited Liability Company",
    "Corporation",
    "Public Limited Company",
    "Non-Profit Organization",
    "Trust",
    "Cooperative",
];

/// `business_details.business_identifier_type`: what `business_identifier_number` is.
pub const BUSINESS_IDENTIFIER_TYPES: &[&str] = &[
    "Business Registration",
    "Certificate of Incorporation",
    "Tax Identification Number",
    "Employer Identification Number",
    "VAT Registration",
    "Unified Social Credit Code",
    "Legal Entity Identifier",
];

/// `account_usage.account_usage_product_reference`: what the account will be used for.
pub const ACCOUNT_USAGE_PRODUCT_REFERENCES: &[&str] = &[
    "Financial Services",
    "E-Commerce",
    "Cross-Border Trade",
    "Supplier Payments",
    "Payroll",
    "Marketplace Payouts",
    "Treasury Management",
];

/// `business_person_list[i].basic_info.role_type`.
pub const ROLE_TYPES: &[&str] = &[
    "Director",
    "Legal Representative",
    "Beneficial Owner",
    "Shareholder",
    "Authorized Signatory",
    "Company Secretary",
    "Partner",
    "Trustee",
];

/// The roles that can represent the business: a non-empty person list needs one of them.
pub const REPRESENTATIVE_ROLES: &[&str] = &["Director", "Legal Representative"];

/// `business_person_list[i].identification.id_type`.
pub const ID_TYPES: &[&str] = &[
    "National ID",
    "Passport",
    "Driver's License",
    "Residence Permit",
    "Travel Permit",
];

/// What a value is relative to a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup<'a> {
    /// One of the labels, exactly.
    Exact,
    /// Not exact, but equal to this label ignoring case, spaces and punctuation.
    NearMiss(&'a str),
    Unknown,
}

pub(crate) fn lookup<'a, S: AsRef<str>>(value: &str, table: &'a [S]) -> Lookup<'a> {
    if table.iter().any(|label| label.as_ref() == value) {
        return Lookup::Exact;
    }
    let key = fold(value);
    match table.iter().find(|label| fold(label.as_ref()) == key) {
        Some(label) if !key.is_empty() => Lookup::NearMiss(label.as_ref()),
        _ => Lookup::Unknown,
    }
}

/// Lower-case letters and digits only: "driver's  license" and "Drivers-License" fold alike.
/// Two labels of one list must never fold alike (a partner profile is checked for it).
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [&[&str]; 5] = [
        BUSINESS_TYPES,
        BUSINESS_IDENTIFIER_TYPES,
        ACCOUNT_USAGE_PRODUCT_REFERENCES,
        ROLE_TYPES,
        ID_TYPES,
    ];

    #[test]
    fn seed_values_are_in_the_tables() {
        assert!(BUSINESS_TYPES.contains(&"Limited Liability Company"));
        assert!(BUSINESS_IDENTIFIER_TYPES.contains(&"Business Registration"));
        assert!(ACCOUNT_USAGE_PRODUCT_REFERENCES.contains(&"Financial Services"));
        assert!(ROLE_TYPES.contains(&"Director") && ROLE_TYPES.contains(&"Legal Representative"));
        assert!(ID_TYPES.contains(&"National ID") && ID_TYPES.contains(&"Passport"));
        for role in REPRESENTATIVE_ROLES {
            assert!(ROLE_TYPES.contains(role));
        }
    }

    #[test]
    fn tables_are_small_unique_and_unambiguous_when_folded() {
        for table in ALL {
            assert!((5..=10).contains(&table.len()));
            for (i, a) in table.iter().enumerate() {
                assert_eq!(a.trim(), *a);
                for b in &table[i + 1..] {
                    assert_ne!(fold(a), fold(b), "{a} and {b} fold alike");
                }
            }
        }
    }

    #[test]
    fn near_misses_suggest_the_label() {
        assert_eq!(lookup("director", ROLE_TYPES), Lookup::NearMiss("Director"));
        assert_eq!(
            lookup("Drivers License", ID_TYPES),
            Lookup::NearMiss("Driver's License")
        );
        assert_eq!(lookup("National ID", ID_TYPES), Lookup::Exact);
        assert_eq!(lookup("Boss", ROLE_TYPES), Lookup::Unknown);
        assert_eq!(lookup("--", ROLE_TYPES), Lookup::Unknown);
    }
}
