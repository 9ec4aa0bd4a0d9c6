//! Field paths in the JSON names of the API: `business_person_list[1].identification.id_number`.

use std::fmt;

/// A path from the root of a request body to one field or list element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldPath(String);

impl FieldPath {
    /// The body itself (renders as the empty string).
    pub(crate) fn root() -> Self {
        FieldPath(String::new())
    }

    /// A named field below this one: `a` + `b` is `a.b`.
    pub(crate) fn field(&self, name: &str) -> Self {
        if self.0.is_empty() {
            FieldPath(name.to_owned())
        } else {
            let mut path = String::with_capacity(self.0.len() + 1 + name.len());
            path.push_str(&self.0);
            path.push('.');
            path.push_str(name);
            FieldPath(path)
        }
    }

    /// A list element: `a` + 3 is `a[3]`.
    pub(crate) fn index(&self, index: usize) -> Self {
        FieldPath(format!("{}[{index}]", self.0))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::FieldPath;

    #[test]
    fn renders_json_names_with_dots_and_indices() {
        let path = FieldPath::root()
            .field("business_person_list")
            .index(1)
            .field("identification")
            .field("id_number");
        assert_eq!(path.as_str(), "business_person_list[1].identification.id_number");
        assert_eq!(FieldPath::root().as_str(), "");
        assert_eq!(FieldPath::root().field("a").index(0).index(2).to_string(), "a[0][2]");
    }
}
