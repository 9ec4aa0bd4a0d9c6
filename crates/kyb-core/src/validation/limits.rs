//! Numeric limits, in one place so they are easy to change.
//!
//! The partner's page gives no length for any field (every text is `<string>`), so KYB Desk
//! sets no minimum beyond "not blank" and only generous maximums: sanity caps, far above any
//! real value, that keep a pasted document out of a name field. They are KYB Desk policy.
//! Lengths count Unicode scalar values (`char`s), never bytes: "北京市" is 3, not 9.

use rust_decimal::Decimal;

/// Every single-line text field (names, addresses, identifiers, file IDs, codes).
pub const TEXT_MAX: usize = 1_000;
/// `goods_service_description` (the only multi-line field).
pub const DESCRIPTION_MAX: usize = 10_000;
/// `website`: 2,000 characters is the longest URL browsers and servers reliably handle.
pub const WEBSITE_MAX: usize = 2_000;
/// `contact_email`, characters (RFC 5321: a path is at most 256 octets including the angle
/// brackets, so an address is at most 254).
pub const EMAIL_MAX: usize = 254;
/// Age bounds of a business person, inclusive, in whole calendar years on `ctx.today`
/// (KYB Desk policy: adults only; over 120 is a mistyped year).
pub const MIN_AGE: i64 = 18;
pub const MAX_AGE: i64 = 120;
/// Exclusive ceiling of `estimated_monthly_revenue_amount`: 10^15 units of any currency
/// (KYB Desk policy: a keying-error guard).
pub const AMOUNT_CEILING: Decimal = Decimal::from_parts(0x_A4C6_8000, 0x0003_8D7E, 0, false, 0);

/// A kind of field a partner profile may give a shorter maximum length than KYB Desk's cap
/// (`bounds` in the profile file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LengthBound {
    Text,
    Description,
    Website,
    Email,
}

impl LengthBound {
    pub const ALL: [LengthBound; 4] = [LengthBound::Text, LengthBound::Description, LengthBound::Website, LengthBound::Email];

    /// The key under `bounds` in the profile file.
    pub fn key(self) -> &'static str {
        match self {
            LengthBound::Text => "text_max",
            LengthBound::Description => "description_max",
            LengthBound::Website => "website_max",
            LengthBound::Email => "email_max",
        }
    }

    /// KYB Desk's own cap: a partner's bound lies between 1 and this.
    pub fn kyb_desk_cap(self) -> usize {
        match self {
            LengthBound::Text => TEXT_MAX,
            LengthBound::Description => DESCRIPTION_MAX,
            LengthBound::Website => WEBSITE_MAX,
            LengthBound::Email => EMAIL_MAX,
        }
    }

    /// The kind of field a rule checks with KYB Desk's cap `max` (the caps are distinct
    /// numbers, so the cap a rule passes names its kind).
    pub(crate) fn for_cap(max: usize) -> Option<Self> {
        Self::ALL.into_iter().find(|bound| bound.kyb_desk_cap() == max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cap_names_one_kind_of_field() {
        for bound in LengthBound::ALL {
            assert_eq!(LengthBound::for_cap(bound.kyb_desk_cap()), Some(bound));
        }
        assert_eq!(LengthBound::for_cap(7), None);
    }

    #[test]
    fn amount_ceiling_is_ten_to_the_fifteenth() {
        assert_eq!(AMOUNT_CEILING, Decimal::from(1_000_000_000_000_000_i64));
    }
}
