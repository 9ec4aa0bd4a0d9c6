//! Presence, length and character rules shared by every free-text field, and message helpers.

use super::path::FieldPath;
use super::report::Report;
use super::IssueCode;

/// The value of a field when it is present and not blank.
///
/// Whitespace-only counts as missing; a missing required field gets a `required` issue.
pub(crate) fn present<'a>(
    report: &mut Report,
    path: &FieldPath,
    label: &(impl std::fmt::Display + ?Sized),
    value: Option<&'a String>,
    required: bool,
) -> Option<&'a str> {
    match value.map(String::as_str) {
        Some(text) if !is_blank(text) => Some(text),
        _ => {
            if required {
                report.push(path, IssueCode::Required, format!("{label} is required."));
            }
            None
        }
    }
}

/// [`present`], then [`check_text`] on a single-line value; returns the value when present.
pub(crate) fn text_field<'a>(
    report: &mut Report,
    path: &FieldPath,
    label: &(impl std::fmt::Display + ?Sized),
    value: Option<&'a String>,
    max: usize,
    required: bool,
) -> Option<&'a str> {
    let text = present(report, path, label, value, required)?;
    check_text(report, path, label, text, max, false);
    Some(text)
}

pub(crate) fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// Length cap and character checks of a single-line (or, with `multiline`, multi-line) text.
pub(crate) fn check_text(
    report: &mut Report,
    path: &FieldPath,
    label: &(impl std::fmt::Display + ?Sized),
    text: &str,
    max: usize,
    multiline: bool,
) {
    check_length(report, path, label, text, max);
    if let Some(bad) = text.chars().find(|&c| is_forbidden(c, multiline)) {
        report.push(
            path,
            IssueCode::InvalidCharacters,
            format!(
                "{label} contains the control character {}; {}.",
                describe_char(bad),
                if multiline {
                    "remove it"
                } else {
                    "use plain text on one line"
                }
            ),
        );
    }
}

/// `too_long` when the whole value has more than `max` characters (KYB Desk's sanity cap).
pub(crate) fn check_length(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), text: &str, max: usize) {
    if over_partner_bound(report, path, label, text, max) {
        return;
    }
    let full = text.chars().count();
    if full > max {
        report.push(
            path,
            IssueCode::TooLong,
            format!("{label} must be at most {max} characters long (it has {full})."),
        );
    }
}

/// The active partner profile's shorter maximum for fields KYB Desk caps at `kyb_desk_cap`:
/// reports a longer `text` (source partner, naming the profile) and says whether it did.
pub(crate) fn over_partner_bound(
    report: &mut Report,
    path: &FieldPath,
    label: &(impl std::fmt::Display + ?Sized),
    text: &str,
    kyb_desk_cap: usize,
) -> bool {
    let Some((bound, profile)) = report.partner_bound(kyb_desk_cap) else { return false };
    let full = text.chars().count();
    if full <= bound {
        return false;
    }
    report.push_from(
        path,
        IssueCode::TooLong,
        super::IssueSource::Partner,
        format!("{label} must be at most {bound} characters long at the partner (profile {profile}); it has {full}."),
    );
    true
}

/// Control characters (and the Unicode line/paragraph separators) are never part of a
/// name or an address; a multi-line field may still hold line breaks and tabs.
fn is_forbidden(c: char, multiline: bool) -> bool {
    let line_break = matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}');
    if line_break {
        !multiline
    } else {
        c.is_control()
    }
}

/// A label written out only when a message needs it: the base label, then a suffix
/// (`Person 2` + ` birth date` is "Person 2 birth date").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Suffixed<'a, B: ?Sized>(pub(crate) &'a B, pub(crate) &'static str);

impl<B: std::fmt::Display + ?Sized> std::fmt::Display for Suffixed<'_, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)?;
        f.write_str(self.1)
    }
}

/// `U+0007`-style name of a character (for characters that cannot be shown).
pub(crate) fn describe_char(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// A user value quoted for a message: escaped, and cut short when long.
pub(crate) fn quoted(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{:?}…", head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_escapes_and_cuts() {
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
        assert_eq!(quoted("\u{7}"), "\"\\u{7}\"");
        let long = "é".repeat(100);
        assert_eq!(quoted(&long).chars().count(), 60 + 3);
    }

    #[test]
    fn length_counts_chars_not_bytes() {
        let mut report = Report::default();
        let root = FieldPath::root();
        let path = root.field("x");
        check_length(&mut report, &path, "X", "北京", 2);
        assert!(report.into_issues().is_empty());
    }
}
