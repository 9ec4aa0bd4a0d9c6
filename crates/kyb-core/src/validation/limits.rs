//! Length bounds and other numeric limits, in one place so they are easy to change.
//!
//! Lengths count Unicode scalar values (`char`s), never bytes: "北京市" is 3, not 9. The minimum
//! is checked on the trimmed text (so " A " is too short for a name); the maximum on everything
//! that would be sent.

use rust_decimal::Decimal;

/// Inclusive character-count bounds of a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: usize,
    pub max: usize,
}

const fn bounds(min: usize, max: usize) -> Bounds {
    Bounds { min, max }
}

/// Business names (English and local script) and person names in English.
pub const NAME: Bounds = bounds(2, 128);
/// Person names in local script (`first_name`, `last_name`). As specified: 2-128. Beware that
/// the commonest Chinese and Korean surnames (王, 李, 김) and many Chinese given names are one
/// character; a minimum of 1 here is the fix if the partner accepts them.
pub const LOCAL_PERSON_NAME: Bounds = bounds(2, 128);
/// `business_identifier_number`: registration / tax numbers.
pub const BUSINESS_IDENTIFIER_NUMBER: Bounds = bounds(2, 64);
/// `registration_address_line1`, `residential_address_line1`.
pub const ADDRESS_LINE: Bounds = bounds(2, 200);
/// Cities: one character is a real city name ("Å" in Norway, "Y" in France).
pub const CITY: Bounds = bounds(1, 100);
/// States, provinces, regions.
pub const STATE: Bounds = bounds(1, 100);
/// Postcodes: the longest real ones are 10 characters; 20 leaves room for formatting.
pub const POSTCODE: Bounds = bounds(1, 20);
/// `id_number` of a person's identity document.
pub const ID_NUMBER: Bounds = bounds(2, 64);
/// `goods_service_description` (the only multi-line field).
pub const DESCRIPTION: Bounds = bounds(2, 1000);
/// `industry_category_code` (MCC, NAICS, NACE, ISIC, SIC codes are all far shorter).
pub const INDUSTRY_CODE: Bounds = bounds(1, 32);
/// Uploaded file IDs: documents of the business and the two sides of an ID.
pub const FILE_ID: Bounds = bounds(1, 128);
/// `partner_customer_id` of a create body.
pub const PARTNER_CUSTOMER_ID: Bounds = bounds(1, 64);

/// `website`, characters.
pub const WEBSITE_MAX: usize = 225;
/// `contact_email`, characters (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// `business_identifier_document_list`, elements.
pub const MAX_DOCUMENTS: usize = 10;
/// Age bounds of a business person, inclusive, in whole calendar years on `ctx.today`.
pub const MIN_AGE: i64 = 18;
pub const MAX_AGE: i64 = 120;
/// Exclusive ceiling of `estimated_monthly_revenue_amount`: 10^15 units of any currency.
pub const AMOUNT_CEILING: Decimal = Decimal::from_parts(0x_A4C6_8000, 0x0003_8D7E, 0, false, 0);
/// Decimal places allowed in an amount (after dropping trailing zeros).
pub const AMOUNT_DECIMALS: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_ceiling_is_ten_to_the_fifteenth() {
        assert_eq!(AMOUNT_CEILING, Decimal::from(1_000_000_000_000_000_i64));
    }
}
