//! Amounts: positive, at most two decimal places, below a sanity ceiling.

use rust_decimal::Decimal;

use super::limits::{AMOUNT_CEILING, AMOUNT_DECIMALS};
use super::path::FieldPath;
use super::report::Report;
use super::IssueCode;

pub(crate) fn check_amount(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), amount: Decimal) {
    if amount <= Decimal::ZERO {
        report.push(
            path,
            IssueCode::NotPositive,
            format!("{label} must be greater than 0 (it is {amount})."),
        );
    }
    // Trailing zeros do not count: 10.500 is 10.5.
    let decimals = amount.normalize().scale();
    if decimals > AMOUNT_DECIMALS {
        report.push(
            path,
            IssueCode::TooManyDecimals,
            format!("{label} {amount} has {decimals} decimal places; use at most {AMOUNT_DECIMALS}."),
        );
    }
    if amount >= AMOUNT_CEILING {
        report.push(
            path,
            IssueCode::TooLarge,
            format!("{label} {amount} is implausibly large; it must be below {AMOUNT_CEILING}."),
        );
    }
}
