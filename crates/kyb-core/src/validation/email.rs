//! Email addresses: a bare RFC 5322 `addr-spec` (no display name) within RFC 5321's length
//! limits. Dotless domains and address literals are valid by those standards and accepted.

use email_address::{EmailAddress, Error, Options};

use super::limits::EMAIL_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::text::{over_partner_bound, quoted};
use super::IssueCode;

const OPTIONS: Options = Options {
    minimum_sub_domains: 1,
    allow_domain_literal: true,
    allow_display_text: false,
    allow_long_local_parts: false,
};

pub(crate) fn check_email(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), email: &str) {
    if over_partner_bound(report, path, label, email, EMAIL_MAX) {
        return;
    }
    let problem = if email.chars().count() > EMAIL_MAX {
        Some(format!("is longer than {EMAIL_MAX} characters"))
    } else if email.trim() != email {
        Some("has spaces around it; remove them".to_owned())
    } else {
        EmailAddress::parse_with_options(email, OPTIONS).err().map(explain)
    };
    if let Some(problem) = problem {
        report.push(
            path,
            IssueCode::InvalidEmail,
            format!(
                "{label} {} {problem} (expected a plain address like name@example.com).",
                quoted(email)
            ),
        );
    }
}

fn explain(error: Error) -> String {
    match error {
        Error::UnsupportedDisplayName | Error::MissingDisplayName | Error::MissingEndBracket => {
            "has a display name or angle brackets; give only the address".to_owned()
        }
        Error::MissingSeparator => "has no @".to_owned(),
        Error::LocalPartEmpty => "has nothing before the @".to_owned(),
        Error::DomainEmpty => "has nothing after the @".to_owned(),
        Error::DomainTooFew => "needs a full domain with a dot after the @ (like example.com)".to_owned(),
        Error::UnsupportedDomainLiteral => "uses an IP address instead of a domain name".to_owned(),
        Error::LocalPartTooLong => "has more than 64 characters before the @".to_owned(),
        Error::DomainTooLong | Error::SubDomainTooLong => "has a domain name that is too long".to_owned(),
        Error::SubDomainEmpty => "has an empty part in its domain (two dots in a row, or a dot at an end)".to_owned(),
        _ => "contains a character an email address cannot have".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(email: &str) -> bool {
        EmailAddress::parse_with_options(email, OPTIONS).is_ok()
    }

    #[test]
    fn library_verdicts_with_our_options() {
        assert!(ok("service@gemini.com"));
        assert!(ok("first.last+tag@mail.example.co.uk"));
        assert!(!ok("Ann <a@b.com>"));
        assert!(!ok("<a@b.com>"));
        assert!(ok("a@localhost"));
        assert!(ok("a@[127.0.0.1]"));
        assert!(!ok("a@@b.com"));
        assert!(!ok("a b@c.com"));
        assert!(!ok("a@b..com"));
        assert!(!ok("@b.com"));
    }
}
