//! Field paths in the JSON names of the API: `business_person_list[1].identification.id_number`.
//!
//! A path is a chain of borrowed steps up to the root, so making one costs nothing; the text is
//! only written out when an issue is reported (most fields of most records have none).

use std::fmt;

/// A path from the root of a request body to one field or list element.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FieldPath<'a> {
    /// The body itself (renders as the empty string).
    Root,
    /// `parent.name`
    Field(&'a FieldPath<'a>, &'a str),
    /// `parent.prefix_name` (the fields of an address, named after the address).
    Prefixed(&'a FieldPath<'a>, &'a str, &'a str),
    /// `parent[index]`
    Index(&'a FieldPath<'a>, usize),
}

impl<'a> FieldPath<'a> {
    /// The body itself (renders as the empty string).
    pub(crate) fn root() -> FieldPath<'static> {
        FieldPath::Root
    }

    /// A named field below this one: `a` + `b` is `a.b`.
    pub(crate) fn field(&'a self, name: &'a str) -> FieldPath<'a> {
        FieldPath::Field(self, name)
    }

    /// A named field below this one, its name made of a prefix and a name: `a` + (`b`, `c`) is
    /// `a.b_c`.
    pub(crate) fn prefixed(&'a self, prefix: &'a str, name: &'a str) -> FieldPath<'a> {
        FieldPath::Prefixed(self, prefix, name)
    }

    /// A list element: `a` + 3 is `a[3]`.
    pub(crate) fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath::Index(self, index)
    }

    /// Append the rendered path to `out` (which must be empty or hold only the path so far).
    fn write_into(&self, out: &mut String) {
        match *self {
            FieldPath::Root => {}
            FieldPath::Field(parent, name) => {
                parent.write_into(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            FieldPath::Prefixed(parent, prefix, name) => {
                parent.write_into(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(prefix);
                out.push('_');
                out.push_str(name);
            }
            FieldPath::Index(parent, index) => {
                use fmt::Write as _;
                parent.write_into(out);
                let _ = write!(out, "[{index}]");
            }
        }
    }

    /// The path as text, e.g. `business_person_list[1].identification.id_number`.
    pub(crate) fn render(&self) -> String {
        let mut out = String::with_capacity(48);
        self.write_into(&mut out);
        out
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

#[cfg(test)]
mod tests {
    use super::FieldPath;

    #[test]
    fn renders_json_names_with_dots_and_indices() {
        let root = FieldPath::root();
        let list = root.field("business_person_list");
        let person = list.index(1);
        let id = person.field("identification");
        let path = id.field("id_number");
        assert_eq!(path.render(), "business_person_list[1].identification.id_number");
        assert_eq!(FieldPath::root().render(), "");
        assert_eq!(FieldPath::root().field("a").index(0).index(2).to_string(), "a[0][2]");
        assert_eq!(FieldPath::root().index(3).field("b").render(), "[3].b");
        assert_eq!(FieldPath::root().field("").field("x").render(), "x");
        let address = person.field("residential_address");
        assert_eq!(
            address.prefixed("residential_address", "city").render(),
            "business_person_list[1].residential_address.residential_address_city"
        );
        assert_eq!(FieldPath::root().prefixed("a", "b").render(), "a_b");
    }
}
