//! Currency codes: active ISO 4217 currencies only, from the `iso_currency` tables.
//!
//! `iso_currency` lists some codes that are not currencies a business earns in: the "special"
//! X-codes (precious metals XAU/XAG/XPT/XPD, XDR, XTS, XXX, ...) and fund codes (CHE, CLF,
//! USN, ...); both are refused. It also lists withdrawn codes flagged as superseded (HRK by EUR,
//! SLL by SLE, ...); those are refused as withdrawn, naming the replacement. Codes it does not
//! list at all are unknown, except the handful of well-known former codes in [`FORMER_CODES`],
//! which get a "withdrawn" message with their replacement. Real currencies that happen to start
//! with X (XOF, XAF, XCD, XPF, XCG) are accepted.

use iso_currency::Currency;

use super::path::FieldPath;
use super::report::Report;
use super::text::quoted;
use super::{IssueCode, IssueSource};

/// Withdrawn codes that `iso_currency` still lists as active. Empty: the tests in this file
/// show the library flags every withdrawn code it lists. Add `(code, replacement)` here if a
/// library update ever lags behind ISO.
pub const WITHDRAWN_OVERLAY: &[(&str, &str)] = &[];

/// Former codes the library no longer lists, with what replaced them: only to say "withdrawn,
/// use X" instead of "unknown" (they are refused either way).
pub const FORMER_CODES: &[(&str, &str)] = &[
    ("DEM", "EUR"),
    ("FRF", "EUR"),
    ("ITL", "EUR"),
    ("ESP", "EUR"),
    ("NLG", "EUR"),
    ("ATS", "EUR"),
    ("BEF", "EUR"),
    ("IEP", "EUR"),
    ("PTE", "EUR"),
    ("FIM", "EUR"),
    ("GRD", "EUR"),
    ("LTL", "EUR"),
    ("LVL", "EUR"),
    ("EEK", "EUR"),
    ("SKK", "EUR"),
    ("VEF", "VED"),
    ("MRO", "MRU"),
    ("STD", "STN"),
    ("ZMK", "ZMW"),
    ("BYR", "BYN"),
    ("GHC", "GHS"),
    ("TRL", "TRY"),
    ("ROL", "RON"),
    ("ANG", "XCG"),
];

/// What a currency code is, once upper-cased or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Active,
    Withdrawn {
        replacement: Option<&'static str>,
    },
    /// An X-code that is not a currency (metals, SDR, test, "no currency").
    Special,
    /// A fund or accounting unit (CHE, CLF, USN, ...).
    Fund,
    Unknown,
}

pub(crate) fn status(code: &str) -> Status {
    if let Some((_, new)) = WITHDRAWN_OVERLAY.iter().find(|(old, _)| *old == code) {
        return Status::Withdrawn { replacement: Some(new) };
    }
    match Currency::from_code(code) {
        Some(currency) if currency.is_special() => Status::Special,
        Some(currency) if currency.is_fund() => Status::Fund,
        Some(currency) => match currency.is_superseded() {
            Some(new) => Status::Withdrawn {
                replacement: Some(new.code()),
            },
            None => Status::Active,
        },
        None => match FORMER_CODES.iter().find(|(old, _)| *old == code) {
            Some((_, new)) => Status::Withdrawn { replacement: Some(new) },
            None => Status::Unknown,
        },
    }
}

/// Whether `code` is accepted, exactly as written.
pub fn is_active_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) && status(code) == Status::Active
}

pub(crate) fn check_currency(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), code: &str) {
    // The common case, without building the upper-case copy the messages below need.
    if is_active_currency(code) {
        return;
    }
    let upper = code.trim().to_ascii_uppercase();
    let fixable = upper.len() == 3 && status(&upper) == Status::Active;
    if fixable && code.trim() != code {
        report.push(
            path,
            IssueCode::InvalidCurrency,
            format!("{label} {} has spaces around it; use \"{upper}\".", quoted(code)),
        );
        return;
    }
    if fixable && upper != code {
        report.push(
            path,
            IssueCode::LowercaseCurrency,
            format!("{label} {} must be upper case: use \"{upper}\".", quoted(code)),
        );
        return;
    }
    if upper != code || code.len() != 3 {
        report.push(
            path,
            IssueCode::InvalidCurrency,
            format!(
                "{label} {} is not an ISO 4217 currency code; use three capital letters such as \"USD\" or \"EUR\".",
                quoted(code)
            ),
        );
        return;
    }
    match status(code) {
        Status::Active => {}
        Status::Withdrawn { replacement } => report.push(
            path,
            IssueCode::WithdrawnCurrency,
            match replacement {
                Some(new) => format!("{label} \"{code}\" has been withdrawn; use \"{new}\"."),
                None => format!("{label} \"{code}\" has been withdrawn; use the currency in use today."),
            },
        ),
        // Valid ISO 4217 codes, but not what revenue is earned in: KYB Desk policy.
        Status::Special => report.push_from(
            path,
            IssueCode::InvalidCurrency,
            IssueSource::Policy,
            format!("{label} \"{code}\" is an ISO 4217 code for a metal, a unit of account or testing, not a currency; use the currency the revenue is earned in."),
        ),
        Status::Fund => report.push_from(
            path,
            IssueCode::InvalidCurrency,
            IssueSource::Policy,
            format!("{label} \"{code}\" is an ISO 4217 fund code, not a currency; use the currency the revenue is earned in."),
        ),
        Status::Unknown => report.push(
            path,
            IssueCode::InvalidCurrency,
            format!("{label} \"{code}\" is not an ISO 4217 currency code; use a code such as \"USD\" or \"EUR\"."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the library says about withdrawn and odd codes: if an update changes this, the
    /// overlay above needs a look.
    #[test]
    fn library_flags_withdrawn_codes_it_still_lists() {
        assert_eq!(
            Currency::from_code("HRK").and_then(Currency::is_superseded),
            Some(Currency::EUR)
        );
        assert_eq!(
            Currency::from_code("SLL").and_then(Currency::is_superseded),
            Some(Currency::SLE)
        );
        assert_eq!(
            Currency::from_code("ZWL").and_then(Currency::is_superseded),
            Some(Currency::ZWG)
        );
        assert_eq!(
            Currency::from_code("CUC").and_then(Currency::is_superseded),
            Some(Currency::CUP)
        );
        assert_eq!(
            Currency::from_code("BGN").and_then(Currency::is_superseded),
            Some(Currency::EUR)
        );
        for gone in ["DEM", "VEF", "MRO", "STD", "ANG", "LTL"] {
            assert!(Currency::from_code(gone).is_none(), "{gone} is listed again");
        }
    }

    #[test]
    fn recently_withdrawn_codes_are_refused() {
        for code in ["HRK", "SLL", "ZWL", "CUC", "BGN", "DEM", "VEF", "MRO", "STD"] {
            assert!(!is_active_currency(code), "{code}");
        }
    }

    #[test]
    fn statuses() {
        for code in [
            "USD", "EUR", "CNY", "GBP", "JPY", "XOF", "XAF", "XCD", "XPF", "XCG", "SLE", "MRU", "STN",
        ] {
            assert_eq!(status(code), Status::Active, "{code}");
        }
        for code in ["XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "XSU", "XUA", "XBA"] {
            assert_eq!(status(code), Status::Special, "{code}");
        }
        for code in ["CHE", "CHW", "CLF", "USN", "MXV", "BOV"] {
            assert_eq!(status(code), Status::Fund, "{code}");
        }
        assert_eq!(
            status("HRK"),
            Status::Withdrawn {
                replacement: Some("EUR")
            }
        );
        assert_eq!(
            status("DEM"),
            Status::Withdrawn {
                replacement: Some("EUR")
            }
        );
        assert_eq!(status("QQQ"), Status::Unknown);
        assert!(!is_active_currency("usd"));
        assert!(is_active_currency("USD"));
    }

    #[test]
    fn former_codes_are_really_gone_and_point_to_active_codes() {
        for (old, new) in FORMER_CODES {
            assert!(Currency::from_code(old).is_none(), "{old} is listed by the library");
            assert_eq!(status(new), Status::Active, "{old} -> {new}");
        }
    }
}
