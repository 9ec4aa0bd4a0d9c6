//! Following a field path such as `business_person_list[1].identification.id_number` into a
//! record as JSON: the paths validation issues, diffs, review matches and the editor use. The one
//! reader of such paths; a path that does not fit the record (or is not a path) finds nothing.

use serde_json::Value;

/// The value at `path`: dot-separated names, each followed by any number of `[index]`.
pub fn value_at<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = record;
    for part in path.split('.') {
        let (name, indexes) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        match (name.is_empty(), indexes.is_empty()) {
            (true, true) => return None,
            (false, _) => current = current.get(name)?,
            (true, false) => {} // `[3].b`: an index at the top
        }
        if indexes.is_empty() {
            continue;
        }
        let indexes = indexes.strip_prefix('[')?.strip_suffix(']')?;
        for index in indexes.split("][") {
            current = current.get(index.parse::<usize>().ok()?)?;
        }
    }
    Some(current)
}

/// The trimmed text at `path` when it is a string or a number (what the record shows there).
pub fn text_at(record: &Value, path: &str) -> Option<String> {
    match value_at(record, path)? {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn follows_names_and_indexes_and_never_panics() {
        let record = json!({
            "business_details": {"business_identifier_number": " 123 ", "amount": 12.5},
            "business_person_list": [{}, {"identification": {"id_number": "P-9"}}],
            "grid": [[1, 2], [3, 4]]
        });
        assert_eq!(text_at(&record, "business_details.business_identifier_number").as_deref(), Some("123"));
        assert_eq!(text_at(&record, "business_details.amount").as_deref(), Some("12.5"));
        assert_eq!(text_at(&record, "business_person_list[1].identification.id_number").as_deref(), Some("P-9"));
        assert_eq!(value_at(&record, "grid[1][0]"), Some(&json!(3)));
        assert_eq!(
            value_at(&record, "business_person_list[1]"),
            Some(&json!({"identification": {"id_number": "P-9"}}))
        );
        assert_eq!(text_at(&record, "business_person_list[1]"), None, "an object has no text");
        for nowhere in [
            "business_person_list[7].identification.id_number",
            "business_person_list[x].identification",
            "business_person_list[1",
            "business_person_list[-1]",
            "business_person_list[]",
            "business_details.missing",
            "",
            "..",
        ] {
            assert_eq!(value_at(&record, nowhere), None, "{nowhere:?}");
        }
        assert_eq!(value_at(&Value::Null, "a.b"), None);
    }
}
