//! Amounts: not negative, no more decimals than the currency has (ISO 4217 minor unit), below
//! a sanity ceiling.

use iso_currency::Currency;
use rust_decimal::Decimal;

use super::currencies::is_active_currency;
use super::limits::AMOUNT_CEILING;
use super::path::FieldPath;
use super::report::Report;
use super::IssueCode;

/// `currency` is the amount's currency code as given (its own rules report a bad one; the
/// decimal places are only checked against a currency that is known and active).
pub(crate) fn check_amount(
    report: &mut Report,
    path: &FieldPath,
    label: &(impl std::fmt::Display + ?Sized),
    amount: Decimal,
    currency: Option<&str>,
) {
    // Revenue is money coming in: below zero it is a sign slip. Zero is a real estimate (a
    // business that has not started trading).
    if amount < Decimal::ZERO {
        report.push(
            path,
            IssueCode::Negative,
            format!("{label} cannot be negative (it is {amount})."),
        );
    }
    if let Some((code, minor_unit)) = currency.and_then(minor_unit) {
        // Trailing zeros do not count: 10.500 is 10.5.
        let decimals = amount.normalize().scale();
        if decimals > minor_unit {
            report.push(
                path,
                IssueCode::TooManyDecimals,
                format!("{label} {amount} has {decimals} decimal places; {code} has {minor_unit} (ISO 4217)."),
            );
        }
    }
    if amount >= AMOUNT_CEILING {
        report.push(
            path,
            IssueCode::TooLarge,
            format!("{label} {amount} is implausibly large; it must be below {AMOUNT_CEILING}."),
        );
    }
}

/// The ISO 4217 minor unit (decimal places) of an active currency code.
fn minor_unit(code: &str) -> Option<(&str, u32)> {
    if !is_active_currency(code) {
        return None;
    }
    let exponent = Currency::from_code(code)?.exponent()?;
    Some((code, u32::from(exponent)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_come_from_iso_4217() {
        assert_eq!(minor_unit("USD"), Some(("USD", 2)));
        assert_eq!(minor_unit("JPY"), Some(("JPY", 0)));
        assert_eq!(minor_unit("KWD"), Some(("KWD", 3)));
        assert_eq!(minor_unit("usd"), None);
        assert_eq!(minor_unit("XAU"), None);
    }
}
