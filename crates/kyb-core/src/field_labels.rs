//! The officer's words for every section and field of a record, in the order the editor shows
//! them: the one owner of field labels. The desktop page gets the table as data (with
//! `reference_data`); the diff, the audit trail and the case report name fields through
//! [`path_label`] rather than by their JSON paths.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// What a field holds, for how its value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FieldKind {
    Text,
    /// A date (stored as RFC 3339 midnight UTC, shown as `2031-03-15`).
    Date,
    Amount,
    /// A document's `file_id`.
    File,
    /// A list of `file_id`s.
    FileList,
}

/// One field of a section.
#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
}

/// One section (or a representative's sub-section) with its fields in form order.
#[derive(Debug, Clone, Copy)]
pub struct SectionDef {
    pub key: &'static str,
    pub label: &'static str,
    pub fields: &'static [FieldDef],
}

const fn field(key: &'static str, label: &'static str, kind: FieldKind) -> FieldDef {
    FieldDef { key, label, kind }
}

use FieldKind::{Amount, Date, File, FileList, Text};

/// The list of legal representatives: its key and label.
pub const PERSONS_KEY: &str = "business_person_list";
pub const PERSONS_LABEL: &str = "Legal representatives";
/// A new customer's own id (not part of the record).
pub const PARTNER_CUSTOMER_ID_LABEL: &str = "Partner customer ID";

/// The record's sections before the representatives, in form order.
pub const SECTIONS: [SectionDef; 4] = [
    SectionDef {
        key: "business_details",
        label: "Business details",
        fields: &[
            field("business_name_english", "Business name (English)", Text),
            field("business_name", "Business name (local)", Text),
            field("business_type", "Business type", Text),
            field("website", "Website", Text),
            field("business_identifier_type", "Identifier type", Text),
            field("business_identifier_number", "Identifier number", Text),
            field("business_identifier_country_code", "Identifier issuing country", Text),
            field("business_identifier_start_date", "Identifier start date", Date),
            field("business_identifier_expiry_date", "Identifier expiry date", Date),
            field("business_identifier_document_list", "Business documents", FileList),
        ],
    },
    SectionDef {
        key: "registration_address",
        label: "Registration address",
        fields: &[
            field("registration_address_line1", "Address line 1", Text),
            field("registration_address_city", "City", Text),
            field("registration_address_state", "State / province", Text),
            field("registration_address_postcode", "Postcode", Text),
            field("registration_address_country_code", "Country", Text),
        ],
    },
    SectionDef {
        key: "account_usage",
        label: "Account usage",
        fields: &[
            field("operating_country", "Operating country", Text),
            field("account_usage_product_reference", "Product", Text),
            field("goods_service_description", "Goods and services", Text),
            field("industry_category_code", "Industry category code", Text),
            field("estimated_monthly_revenue_amount", "Estimated monthly revenue", Amount),
            field("estimated_monthly_revenue_currency", "Monthly revenue currency", Text),
        ],
    },
    SectionDef {
        key: "primary_contact",
        label: "Primary contact",
        fields: &[field("contact_phone", "Phone", Text), field("contact_email", "Email", Text)],
    },
];

/// A representative's sub-sections, in form order.
pub const PERSON_SECTIONS: [SectionDef; 3] = [
    SectionDef {
        key: "basic_info",
        label: "Basic information",
        fields: &[
            field("first_name_english", "First name (English)", Text),
            field("last_name_english", "Last name (English)", Text),
            field("first_name", "First name (local)", Text),
            field("last_name", "Last name (local)", Text),
            field("birth_date", "Date of birth", Date),
            field("nationality", "Nationality", Text),
            field("role_type", "Role", Text),
        ],
    },
    SectionDef {
        key: "residential_address",
        label: "Residential address",
        fields: &[
            field("residential_address_line1", "Address line 1", Text),
            field("residential_address_city", "City", Text),
            field("residential_address_state", "State / province", Text),
            field("residential_address_postcode", "Postcode", Text),
            field("residential_address_country_code", "Country", Text),
        ],
    },
    SectionDef {
        key: "identification",
        label: "Identification",
        fields: &[
            field("id_type", "ID type", Text),
            field("id_number", "ID number", Text),
            field("id_issuing_country_code", "ID issuing country", Text),
            field("id_issue_date", "ID issue date", Date),
            field("id_expiration_date", "ID expiry date", Date),
            field("id_document_front_file_id", "ID front image", File),
            field("id_document_back_file_id", "ID back image", File),
        ],
    },
];

/// Sub-sections whose fields read alone out of context ("ID number"); the others are named
/// with their sub-section ("Residential address › City").
const SELF_EXPLAINING: [&str; 2] = ["basic_info", "identification"];

/// The separator between the parts of a field's name.
pub const SEPARATOR: &str = " › ";

/// The label table as the page gets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldLabels {
    /// The record's sections before the representatives, in form order.
    pub sections: Vec<SectionLabels>,
    /// The representatives' list (`business_person_list`).
    pub persons: String,
    /// A representative's sub-sections, in form order.
    pub person_sections: Vec<SectionLabels>,
    /// A new customer's partner customer ID.
    pub partner_customer_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SectionLabels {
    pub key: String,
    pub label: String,
    pub fields: Vec<FieldLabel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldLabel {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
}

/// [`SECTIONS`] and [`PERSON_SECTIONS`] as data.
pub fn field_labels() -> FieldLabels {
    let sections = |defs: &[SectionDef]| {
        defs.iter()
            .map(|s| SectionLabels {
                key: s.key.to_owned(),
                label: s.label.to_owned(),
                fields: s
                    .fields
                    .iter()
                    .map(|f| FieldLabel { key: f.key.to_owned(), label: f.label.to_owned(), kind: f.kind })
                    .collect(),
            })
            .collect()
    };
    FieldLabels {
        sections: sections(&SECTIONS),
        persons: PERSONS_LABEL.to_owned(),
        person_sections: sections(&PERSON_SECTIONS),
        partner_customer_id: PARTNER_CUSTOMER_ID_LABEL.to_owned(),
    }
}

/// Where a field is in the form: (section, field) indexes for sorting, with its definition.
#[derive(Debug, Clone, Copy)]
pub struct FieldPlace {
    pub section: &'static SectionDef,
    pub section_index: usize,
    pub field: Option<(usize, &'static FieldDef)>,
}

/// The field `key` of section `section` among `defs`.
pub fn place(defs: &'static [SectionDef], section: &str, key: Option<&str>) -> Option<FieldPlace> {
    let (section_index, def) = defs.iter().enumerate().find(|(_, s)| s.key == section)?;
    let field = key.and_then(|key| def.fields.iter().enumerate().find(|(_, f)| f.key == key));
    Some(FieldPlace { section: def, section_index, field })
}

/// "Jane Doe" (English names, else local ones), or `None` before a name is typed.
pub fn person_name(person: Option<&Value>) -> Option<String> {
    let info = person?.get("basic_info")?;
    let get = |key: &str| info.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let join = |a: Option<&str>, b: Option<&str>| {
        let name = [a, b].into_iter().flatten().collect::<Vec<_>>().join(" ");
        (!name.is_empty()).then_some(name)
    };
    join(get("first_name_english"), get("last_name_english")).or_else(|| join(get("first_name"), get("last_name")))
}

/// "Person 2 (Jane Doe)", or "Person 2" when `record` is not known or has no name for them.
pub fn person_heading(record: Option<&Value>, index: usize) -> String {
    let person = record.and_then(|r| r.get(PERSONS_KEY)).and_then(|list| list.get(index));
    match person_name(person) {
        Some(name) => format!("Person {} ({name})", index + 1),
        None => format!("Person {}", index + 1),
    }
}

/// One part of a path: a name followed by any number of `[index]`.
pub(crate) fn segments(path: &str) -> Option<Vec<(&str, Vec<usize>)>> {
    path.split('.')
        .map(|part| {
            let (name, rest) = part.find('[').map_or((part, ""), |at| (&part[..at], &part[at..]));
            let mut indexes = Vec::new();
            if !rest.is_empty() {
                for index in rest.strip_prefix('[')?.strip_suffix(']')?.split("][") {
                    indexes.push(index.parse().ok()?);
                }
            }
            (!name.is_empty()).then_some((name, indexes))
        })
        .collect()
}

/// A field's name in two parts: where it is ("Business details", "Person 2 (Jane Doe)") and
/// what it is there ("Website", "ID number", "Residential address › City", "Business document
/// 2"; empty for a whole section or person). `None` for a path outside the model.
pub fn label_parts(path: &str, record: Option<&Value>) -> Option<(String, String)> {
    let segs = segments(path)?;
    let (first, first_indexes) = segs.first()?;
    if *first == PERSONS_KEY {
        let [index] = first_indexes.as_slice() else {
            return (segs.len() == 1 && first_indexes.is_empty()).then(|| (PERSONS_LABEL.to_owned(), String::new()));
        };
        let heading = person_heading(record, *index);
        let rest = match &segs[1..] {
            [] => String::new(),
            [(section, none)] if none.is_empty() => place(&PERSON_SECTIONS, section, None)?.section.label.to_owned(),
            [(section, none), (key, no_index)] if none.is_empty() && no_index.is_empty() => {
                let found = place(&PERSON_SECTIONS, section, Some(key))?;
                let (_, def) = found.field?;
                if SELF_EXPLAINING.contains(section) {
                    def.label.to_owned()
                } else {
                    format!("{}{SEPARATOR}{}", found.section.label, def.label)
                }
            }
            _ => return None,
        };
        return Some((heading, rest));
    }
    if *first == "partner_customer_id" && segs.len() == 1 && first_indexes.is_empty() {
        return Some((PARTNER_CUSTOMER_ID_LABEL.to_owned(), String::new()));
    }
    if !first_indexes.is_empty() {
        return None;
    }
    let rest = match &segs[1..] {
        [] => String::new(),
        [(key, indexes)] => {
            let (_, def) = place(&SECTIONS, first, Some(key))?.field?;
            match (def.kind, indexes.as_slice()) {
                (_, []) => def.label.to_owned(),
                (FieldKind::FileList, [i]) => format!("Business document {}", i + 1),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some((place(&SECTIONS, first, None)?.section.label.to_owned(), rest))
}

/// The officer's name for the field at `path`: "Business details › Website",
/// "Person 2 (Jane Doe) › ID number" (the name from `record` when given). A path outside the
/// model is named by itself.
pub fn path_label(path: &str, record: Option<&Value>) -> String {
    match label_parts(path, record) {
        Some((place, field)) if field.is_empty() => place,
        Some((place, field)) => format!("{place}{SEPARATOR}{field}"),
        None => path.to_owned(),
    }
}

/// The kind of the field at `path` (text for anything not in the model).
pub fn kind_at(path: &str) -> FieldKind {
    let Some(segs) = segments(path) else {
        return FieldKind::Text;
    };
    let found = match segs.as_slice() {
        [(PERSONS_KEY, _), (section, _), (key, _)] => place(&PERSON_SECTIONS, section, Some(key)),
        [(section, _), (key, _)] => place(&SECTIONS, section, Some(key)),
        _ => None,
    };
    match found.and_then(|p| p.field).map(|(_, def)| def.kind) {
        // An item of a file list is one file.
        Some(FieldKind::FileList) if path.ends_with(']') => FieldKind::File,
        Some(kind) => kind,
        None => FieldKind::Text,
    }
}

/// A value as the officer reads it: a date field's RFC 3339 timestamp as its UTC calendar date
/// (`2031-03-15`); anything else as it is.
pub fn display_value(kind: FieldKind, value: &str) -> String {
    match kind {
        FieldKind::Date => calendar_date(value).map_or_else(|| value.to_owned(), |date| date.to_string()),
        _ => value.to_owned(),
    }
}

/// The UTC calendar date of an RFC 3339 timestamp, or of a `YYYY-MM-DD` date as typed.
fn calendar_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(timestamp) = DateTime::parse_from_rfc3339(text) {
        return Some(timestamp.with_timezone(&Utc).date_naive());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn paths_are_named_as_the_form_names_them() {
        let record = json!({"business_person_list": [{}, {"basic_info": {"first_name_english": "Jane", "last_name_english": "Doe"}}]});
        let cases = [
            ("business_details.website", "Business details › Website"),
            ("business_details.business_identifier_document_list[1]", "Business details › Business document 2"),
            ("business_details.business_identifier_document_list", "Business details › Business documents"),
            ("registration_address.registration_address_city", "Registration address › City"),
            ("business_person_list[1].identification.id_number", "Person 2 (Jane Doe) › ID number"),
            ("business_person_list[0].identification.id_number", "Person 1 › ID number"),
            (
                "business_person_list[1].residential_address.residential_address_city",
                "Person 2 (Jane Doe) › Residential address › City",
            ),
            ("business_person_list[1]", "Person 2 (Jane Doe)"),
            ("business_person_list[1].basic_info", "Person 2 (Jane Doe) › Basic information"),
            ("business_person_list", "Legal representatives"),
            ("partner_customer_id", "Partner customer ID"),
            ("account_usage", "Account usage"),
            // Outside the model: the path itself, never a panic.
            ("business_details.unknown", "business_details.unknown"),
            ("business_person_list[x].identification", "business_person_list[x].identification"),
            ("", ""),
            ("..", ".."),
            ("business_details.website[0]", "business_details.website[0]"),
        ];
        for (path, label) in cases {
            assert_eq!(path_label(path, Some(&record)), label, "{path}");
        }
        assert_eq!(path_label("business_person_list[1].identification.id_number", None), "Person 2 › ID number");
    }

    #[test]
    fn local_names_stand_in_for_missing_english_ones() {
        let record = json!({"business_person_list": [{"basic_info": {"first_name": "伟", "last_name": "王"}}]});
        assert_eq!(person_heading(Some(&record), 0), "Person 1 (伟 王)");
        assert_eq!(person_heading(Some(&json!({"business_person_list": [null]})), 0), "Person 1");
    }

    #[test]
    fn dates_are_shown_as_dates_and_kinds_follow_the_table() {
        assert_eq!(display_value(FieldKind::Date, "2031-03-15T00:00:00Z"), "2031-03-15");
        assert_eq!(display_value(FieldKind::Date, "soon"), "soon");
        assert_eq!(display_value(FieldKind::Text, "2031-03-15T00:00:00Z"), "2031-03-15T00:00:00Z");
        assert_eq!(kind_at("business_person_list[3].identification.id_expiration_date"), FieldKind::Date);
        assert_eq!(kind_at("business_person_list[3].identification.id_document_front_file_id"), FieldKind::File);
        assert_eq!(kind_at("business_details.business_identifier_document_list[2]"), FieldKind::File);
        assert_eq!(kind_at("account_usage.estimated_monthly_revenue_amount"), FieldKind::Amount);
        assert_eq!(kind_at("nowhere"), FieldKind::Text);
    }

    #[test]
    fn every_key_is_labelled_once_per_section() {
        let labels = field_labels();
        for section in labels.sections.iter().chain(&labels.person_sections) {
            let mut keys: Vec<&str> = section.fields.iter().map(|f| f.key.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), section.fields.len(), "{}", section.key);
        }
        assert_eq!(labels.sections.len(), 4);
        assert_eq!(labels.person_sections[2].fields[4].label, "ID expiry date");
    }
}
