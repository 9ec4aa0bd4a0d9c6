//! Making server text fit a message: one short line, no markup. Callers scrub the credentials
//! out first ([`super::scrub::Scrubber`]), so nothing here can cut a secret in half and keep a part.

/// Longest quoted excerpt of a body.
const MAX_EXCERPT: usize = 160;

/// A short one-line description of a body that could not be read: an HTML page is named by its
/// title or heading, never quoted; bytes that are not text are counted; other text is quoted
/// (escaped, shortened, without tags).
pub(crate) fn describe_body(text: &str, is_text: bool, bytes: usize) -> String {
    if text.trim().is_empty() {
        return "(empty)".to_owned();
    }
    let head = head(text, 4096);
    if let Some(title) = html_element(head, "title") {
        return format!("an HTML page titled {:?}", short(&title, 80));
    }
    if looks_like_html(head) {
        return match html_element(head, "h1") {
            Some(heading) => format!("an HTML page headed {:?}", short(&heading, 80)),
            None => "an HTML page".to_owned(),
        };
    }
    if !is_text {
        return format!("{bytes} bytes that are not text");
    }
    format!("{:?}", one_line(&strip_tags(head), MAX_EXCERPT))
}

/// Whether the text is an HTML document (a proxy's or web server's page).
pub(crate) fn looks_like_html(text: &str) -> bool {
    let lower = head(text, 4096).trim_start().to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
}

/// The text without anything that looks like a tag (`<b>`, `</p>`, `<!-- -->`, `<?xml …?>`); a
/// `<` that opens no tag (`a < b`) stays.
pub(crate) fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let opens_tag = after.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        match after.find('>') {
            Some(close) if opens_tag => {
                out.push(' ');
                rest = &after[close + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// On one line (control characters and runs of white space become one space), trimmed, at most
/// `max` characters.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    short(&spaced.split_whitespace().collect::<Vec<_>>().join(" "), max)
}

/// At most `max` characters, with an ellipsis when cut; control characters become spaces.
pub(crate) fn short(text: &str, max: usize) -> String {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match cleaned.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &cleaned[..i]),
        None => cleaned,
    }
}

/// The first `max` bytes (at a character boundary).
fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The text of the first `<tag>…</tag>` (case-insensitive, without attributes), whitespace folded.
fn html_element(text: &str, tag: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let open = format!("<{tag}>");
    let start = lower.find(&open)? + open.len();
    let end = start + lower[start..].find(&format!("</{tag}>"))?;
    let inner = strip_tags(text.get(start..end)?);
    Some(inner.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(body: &str) -> String {
        describe_body(body, true, body.len())
    }

    #[test]
    fn html_pages_are_named_not_quoted() {
        assert_eq!(
            describe("<html><head><TITLE>502 Bad\n Gateway</TITLE></head><body>nginx</body></html>"),
            "an HTML page titled \"502 Bad Gateway\""
        );
        assert_eq!(
            describe("<html><body><h1>502 Bad Gateway</h1></body></html>"),
            "an HTML page headed \"502 Bad Gateway\""
        );
        assert_eq!(describe("<!DOCTYPE html><html><body><p>down</p></body></html>"), "an HTML page");
        assert_eq!(describe("<html><TITLE></TITLE><body>x</body></html>"), "an HTML page");
        assert_eq!(describe("<html><title><b>Oops</b></title></html>"), "an HTML page titled \"Oops\"");
    }

    #[test]
    fn other_text_is_short_and_on_one_line() {
        assert!(describe(&"x".repeat(100_000)).chars().count() < 200);
        assert_eq!(describe(""), "(empty)");
        assert_eq!(describe("a\n\tb <i>c</i>"), "\"a b c\"");
        assert_eq!(describe_body("\u{fffd}\u{fffd}", false, 2), "2 bytes that are not text");
    }

    #[test]
    fn tags_go_and_comparisons_stay() {
        assert_eq!(one_line(&strip_tags("a < b and c<d>e</d> <!-- x --> <?xml v?>f"), 100), "a < b and c e f");
        assert_eq!(strip_tags("unclosed <b"), "unclosed <b");
        assert_eq!(one_line(" a \r\n b ", 10), "a b");
        assert_eq!(short("abcdef", 3), "abc…");
        assert_eq!(head("é", 1), "");
    }
}
