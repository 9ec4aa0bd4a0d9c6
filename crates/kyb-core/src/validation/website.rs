//! Websites: a URL (WHATWG URL standard, via the `url` crate). KYB Desk policy adds: `https`
//! only, no credentials, a public-style domain name (not an IP address or `localhost`), and a
//! length cap.

use url::{Host, Url};

use super::limits::WEBSITE_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::text::{check_length, quoted};
use super::{IssueCode, IssueSource};

pub(crate) fn check_website(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), website: &str) {
    // Messages never repeat a password typed into the address.
    let shown = Shown(website);
    check_length(report, path, label, website, WEBSITE_MAX);
    // The URL parser silently drops surrounding spaces and inner tabs/newlines; we do not.
    if website.chars().any(|c| c.is_whitespace() || c.is_control()) {
        report.push(
            path,
            IssueCode::InvalidUrl,
            format!(
                "{label} {shown} contains spaces or line breaks; give the address alone, like https://www.example.com."
            ),
        );
        return;
    }
    let url = match Url::parse(website) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            report.push(
                path,
                IssueCode::InvalidUrl,
                format!("{label} {shown} has no scheme; write the full address, starting with https://."),
            );
            return;
        }
        Err(error) => {
            report.push(
                path,
                IssueCode::InvalidUrl,
                format!("{label} {shown} is not a web address ({error}); use one like https://www.example.com."),
            );
            return;
        }
    };
    match url.scheme() {
        "https" => {}
        "http" => report.push(
            path,
            IssueCode::NotHttps,
            format!("{label} {shown} uses http; the website must use https (https://…)."),
        ),
        other => report.push(
            path,
            IssueCode::NotHttps,
            format!("{label} {shown} uses \"{other}:\"; the website must be an https:// address."),
        ),
    }
    if !url.username().is_empty() || url.password().is_some() {
        report.push(
            path,
            IssueCode::CredentialsInUrl,
            format!(
                "{label} contains a user name or password (user:password@); remove them, the address must be public."
            ),
        );
    }
    match url.host() {
        Some(Host::Domain(domain)) if is_public_style_domain(domain) => {}
        Some(Host::Domain(_)) => report.push_from(
            path,
            IssueCode::InvalidUrl,
            IssueSource::Policy,
            format!("{label} {shown} needs a full domain name with a dot, like www.example.com."),
        ),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => report.push_from(
            path,
            IssueCode::InvalidUrl,
            IssueSource::Policy,
            format!("{label} {shown} uses an IP address; use the business's domain name."),
        ),
        None => report.push(
            path,
            IssueCode::InvalidUrl,
            format!("{label} {shown} has no host; use an address like https://www.example.com."),
        ),
    }
}

/// The website as messages show it (quoted, credentials redacted), written out only when a
/// message needs it.
struct Shown<'a>(&'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&quoted(&redact_credentials(self.0)))
    }
}

/// `https://user:secret@host/x` shown as `https://…@host/x`.
fn redact_credentials(website: &str) -> String {
    let authority_start = website.find("://").map_or(0, |i| i + 3);
    let rest = &website[authority_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}…{}", &website[..authority_start], &rest[at..]),
        None => website.to_owned(),
    }
}

/// At least two non-empty labels (`example.com`, not `localhost`, not `example.`).
fn is_public_style_domain(domain: &str) -> bool {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let mut labels = 0;
    for label in domain.split('.') {
        if label.is_empty() {
            return false;
        }
        labels += 1;
    }
    labels >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(website: &str) -> Vec<IssueCode> {
        let mut report = Report::default();
        check_website(&mut report, &FieldPath::root().field("website"), "Website", website);
        report.into_issues().into_iter().map(|i| i.code).collect()
    }

    #[test]
    fn credentials_are_not_echoed() {
        assert_eq!(
            redact_credentials("https://user:secret@www.example.com/a@b"),
            "https://…@www.example.com/a@b"
        );
        assert_eq!(redact_credentials("user:secret@host"), "…@host");
        assert_eq!(redact_credentials("https://www.example.com"), "https://www.example.com");
        let mut report = Report::default();
        check_website(
            &mut report,
            &FieldPath::root(),
            "Website",
            "http://user:secret@localhost",
        );
        for issue in report.into_issues() {
            assert!(!issue.message.contains("secret"), "{}", issue.message);
        }
    }

    #[test]
    fn verdicts() {
        assert_eq!(issues("https://www.example.com"), []);
        assert_eq!(issues("https://例子.中国/路径?q=1"), []);
        assert_eq!(issues("http://www.example.com"), [IssueCode::NotHttps]);
        assert_eq!(issues("ftp://www.example.com"), [IssueCode::NotHttps]);
        assert_eq!(issues("https://user:pw@www.example.com"), [IssueCode::CredentialsInUrl]);
        assert_eq!(issues("https://user@www.example.com"), [IssueCode::CredentialsInUrl]);
        assert_eq!(issues("https://"), [IssueCode::InvalidUrl]);
        assert_eq!(issues("www.example.com"), [IssueCode::InvalidUrl]);
        assert_eq!(issues("https://localhost"), [IssueCode::InvalidUrl]);
        assert_eq!(issues("https://127.0.0.1"), [IssueCode::InvalidUrl]);
        assert_eq!(issues(" https://www.example.com"), [IssueCode::InvalidUrl]);
        assert_eq!(issues("mailto:a@b.com"), [IssueCode::NotHttps, IssueCode::InvalidUrl]);
    }
}
