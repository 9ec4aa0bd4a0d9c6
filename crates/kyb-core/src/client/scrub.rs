//! Removing the request's API key and secret from text the server sent, before that text is
//! shortened, escaped or kept in an error. A server may echo a credential as sent or encoded
//! (URL-encoded, JSON- or HTML-escaped, base64, or as `key:secret` in base64 like HTTP Basic), so
//! every one of those forms is removed.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;

/// What a removed credential is replaced with.
// Square brackets: angle brackets would read as a tag and be stripped with the markup.
pub(crate) const REDACTED: &str = "[redacted]";

/// Removes the API key and secret, in the forms a server may echo them, from text that did not
/// come from the client itself.
#[derive(Clone)]
pub(crate) struct Scrubber {
    /// Every form of every credential, longest first (so a form containing another is removed whole).
    forms: Vec<String>,
}

impl Scrubber {
    pub(crate) fn new(key: &str, secret: &str) -> Self {
        let mut forms: Vec<String> = Vec::new();
        for value in [key, secret].into_iter().filter(|v| !v.is_empty()) {
            forms.extend(encodings(value.as_bytes()));
            forms.extend(text_escapes(value));
        }
        if !key.is_empty() && !secret.is_empty() {
            forms.extend(encodings(format!("{key}:{secret}").as_bytes()));
        }
        forms.retain(|form| !form.is_empty());
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Self { forms }
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for form in &self.forms {
            if text.contains(form.as_str()) {
                text = text.replace(form.as_str(), REDACTED);
            }
        }
        text
    }
}

/// The value as base64 (both alphabets, with and without padding).
fn encodings(bytes: &[u8]) -> Vec<String> {
    vec![STANDARD.encode(bytes), STANDARD_NO_PAD.encode(bytes), URL_SAFE.encode(bytes), URL_SAFE_NO_PAD.encode(bytes)]
}

/// The value as sent, URL-encoded (as a query value and as a path), JSON-escaped and HTML-escaped.
fn text_escapes(value: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let percent = form.replace('+', "%20");
    let json = serde_json::to_string(value).unwrap_or_default();
    let json = json.get(1..json.len().saturating_sub(1)).unwrap_or_default().to_owned();
    let html = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    vec![
        value.to_owned(),
        lowercase_hex(&percent),
        percent.clone(),
        form,
        json.replace('/', "\\/"),
        json,
        html.replace("&#39;", "&#x27;"),
        html,
    ]
}

/// Percent-escapes written with lowercase hex digits (`%2f`), which some servers send.
fn lowercase_hex(percent: &str) -> String {
    let mut out = String::with_capacity(percent.len());
    let mut rest = percent;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at..at + 3).unwrap_or(&rest[at..]);
        out.push_str(&escape.to_ascii_lowercase());
        rest = &rest[at + escape.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_both_credentials_as_sent() {
        let s = Scrubber::new("key-123", "sec-456");
        assert_eq!(s.scrub("a key-123 b sec-456"), "a [redacted] b [redacted]");
        assert_eq!(Scrubber::new("", "").scrub("text"), "text");
    }

    #[test]
    fn removes_the_common_encodings() {
        let key = "k3y/with+odd&chars\"'<>";
        let secret = "s3cr3t value/é";
        let s = Scrubber::new(key, secret);
        let basic = STANDARD.encode(format!("{key}:{secret}"));
        let echoed = [
            key.to_owned(),
            secret.to_owned(),
            url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>(),
            "s3cr3t%20value%2F%C3%A9".to_owned(),
            "s3cr3t%20value%2f%c3%a9".to_owned(),
            serde_json::to_string(key).unwrap(),
            "k3y\\/with+odd&chars\\\"'<>".to_owned(),
            "k3y/with+odd&amp;chars&quot;&#39;&lt;&gt;".to_owned(),
            "k3y/with+odd&amp;chars&quot;&#x27;&lt;&gt;".to_owned(),
            STANDARD.encode(secret),
            URL_SAFE_NO_PAD.encode(key),
            format!("Basic {basic}"),
        ];
        for text in echoed {
            let scrubbed = s.scrub(&format!("before {text} after"));
            assert!(scrubbed.contains(REDACTED), "{text} → {scrubbed}");
            assert!(!scrubbed.contains("s3cr3t") && !scrubbed.contains("k3y"), "{text} → {scrubbed}");
            assert!(!scrubbed.contains(&STANDARD_NO_PAD.encode(secret)), "{text} → {scrubbed}");
        }
    }

    #[test]
    fn lowercase_hex_keeps_the_rest() {
        assert_eq!(lowercase_hex("A%2FB%C3%A9%"), "A%2fB%c3%a9%");
        assert_eq!(lowercase_hex("%4"), "%4");
    }
}
