//! Country codes: ISO 3166-1 alpha-2, upper case, from the `rust_iso3166` tables.

use super::path::FieldPath;
use super::report::Report;
use super::text::quoted;
use super::IssueCode;

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code, exactly as written.
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && rust_iso3166::from_alpha2(code).is_some()
}

pub(crate) fn check_country(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), code: &str) {
    if is_country(code) {
        return;
    }
    let upper = code.trim().to_ascii_uppercase();
    if is_country(&upper) && code.trim() != code {
        report.push(
            path,
            IssueCode::InvalidCountry,
            format!("{label} {} has spaces around it; use \"{upper}\".", quoted(code)),
        );
    } else if is_country(&upper) {
        report.push(
            path,
            IssueCode::LowercaseCountry,
            format!("{label} {} must be upper case: use \"{upper}\".", quoted(code)),
        );
    } else if let Some(country) = (upper.len() == 3).then(|| rust_iso3166::from_alpha3(&upper)).flatten() {
        report.push(
            path,
            IssueCode::InvalidCountry,
            format!(
                "{label} {} is a three-letter code; use the two-letter code \"{}\" ({}).",
                quoted(code),
                country.alpha2,
                country.name
            ),
        );
    } else {
        report.push(
            path,
            IssueCode::InvalidCountry,
            format!(
                "{label} {} is not an ISO 3166-1 country code; use two capital letters such as \"US\", \"GB\" or \"CN\".",
                quoted(code)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_knows_the_codes_we_rely_on() {
        for code in ["US", "GB", "CN", "HK", "DE", "SG", "AX", "CW", "SS"] {
            assert!(is_country(code), "{code}");
        }
        // Exceptionally reserved or not assigned: refused.
        for code in ["UK", "EU", "XX", "ZZ", "us", "USA", "", "U", "ÜS"] {
            assert!(!is_country(code), "{code}");
        }
    }
}
