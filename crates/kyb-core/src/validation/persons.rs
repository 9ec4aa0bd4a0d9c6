//! `business_person_list`: the people behind the business.
//!
//! The list is optional, but when present (even empty) it must name someone who can represent
//! the business (a Director or a Legal Representative). For each person, `basic_info` and
//! `identification` are required; `residential_address` is optional but complete when given.

use std::collections::HashMap;
use std::fmt;

use crate::model::{BasicInfo, BusinessPerson, Identification};
use crate::partner_profile::Enumeration;

use super::address::{check_address, Address};
use super::countries::check_country;
use super::dates::{check_birth_date, day, end_after_start, not_expired, not_in_future};
use super::documents::check_file_id;
use super::limits::TEXT_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::enumerations::enumeration_field;
use super::tables::{lookup, Lookup};
use super::text::{present, text_field, Suffixed};
use super::{IssueCode, ValidationContext};

pub(crate) fn check(
    report: &mut Report,
    path: &FieldPath,
    persons: Option<&[BusinessPerson]>,
    ctx: &ValidationContext,
) {
    let Some(persons) = persons else { return };

    // KYB Desk policy: someone must be able to represent the business (the representative roles
    // of the partner profile). A role equal to one of them but for case or punctuation
    // ("director") counts.
    let representative_roles = ctx.profile.representative_roles();
    let has_representative = persons.iter().any(|p| {
        p.basic_info
            .as_ref()
            .and_then(|b| b.role_type.as_deref())
            .is_some_and(|role| lookup(role, representative_roles) != Lookup::Unknown)
    });
    if !has_representative {
        report.push(
            path,
            IssueCode::MissingRepresentative,
            format!(
                "Add at least one person with the role {}: someone must be able to represent the business.",
                representative_roles.join(" or ")
            ),
        );
    }

    let mut documents_seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (index, person) in persons.iter().enumerate() {
        let person_path = path.index(index);
        let who = Person(index);
        check_person(report, &person_path, who, person, ctx);

        // The same identity document for two people is a copy-paste slip.
        if let Some(id) = &person.identification {
            if let (Some(kind), Some(number), Some(country)) = (
                id.id_type.as_deref(),
                id.id_number.as_deref().map(str::trim),
                id.id_issuing_country_code.as_deref(),
            ) {
                if number.is_empty() {
                    continue;
                }
                match documents_seen.get(&(kind, number, country)) {
                    Some(&first) => report.push(
                        &person_path.field("identification").field("id_number"),
                        IssueCode::DuplicatePerson,
                        format!(
                            "{who} has the same {kind} number as person {}; each person needs their own identity document.",
                            first + 1
                        ),
                    ),
                    None => {
                        documents_seen.insert((kind, number, country), index);
                    }
                }
            }
        }
    }
}

fn check_person(report: &mut Report, path: &FieldPath, who: Person, person: &BusinessPerson, ctx: &ValidationContext) {
    let basic_path = path.field("basic_info");
    match &person.basic_info {
        Some(basic) => check_basic_info(report, &basic_path, who, basic, ctx),
        None => report.push(
            &basic_path,
            IssueCode::Required,
            format!("{who}: basic information (names, birth date, nationality, role) is required."),
        ),
    }

    if let Some(address) = &person.residential_address {
        check_address(
            report,
            &path.field("residential_address"),
            "residential_address",
            &Suffixed(&who, " home address"),
            Address {
                line1: address.residential_address_line1.as_ref(),
                city: address.residential_address_city.as_ref(),
                state: address.residential_address_state.as_ref(),
                postcode: address.residential_address_postcode.as_ref(),
                country_code: address.residential_address_country_code.as_ref(),
            },
        );
    }

    let id_path = path.field("identification");
    match &person.identification {
        Some(id) => check_identification(report, &id_path, who, id, ctx),
        None => report.push(
            &id_path,
            IssueCode::Required,
            format!("{who}: an identity document (type, number, issuing country) is required."),
        ),
    }
}

fn check_basic_info(report: &mut Report, path: &FieldPath, who: Person, b: &BasicInfo, ctx: &ValidationContext) {
    let first = Suffixed(&who, " first name (English)");
    text_field(
        report,
        &path.field("first_name_english"),
        &first,
        b.first_name_english.as_ref(),
        TEXT_MAX,
        true,
    );
    let last = Suffixed(&who, " last name (English)");
    text_field(
        report,
        &path.field("last_name_english"),
        &last,
        b.last_name_english.as_ref(),
        TEXT_MAX,
        true,
    );

    let birth_path = path.field("birth_date");
    match &b.birth_date {
        Some(birth) => check_birth_date(report, &birth_path, &Suffixed(&who, " birth date"), day(birth), ctx.today),
        None => report.push(
            &birth_path,
            IssueCode::Required,
            format!("{who} birth date is required."),
        ),
    }

    let nationality_path = path.field("nationality");
    let nationality = Suffixed(&who, " nationality");
    if let Some(code) = present(report, &nationality_path, &nationality, b.nationality.as_ref(), true) {
        check_country(report, &nationality_path, &nationality, code);
    }

    // An enumeration whose values the page does not list (one example): the partner profile's
    // list decides (the built-in one accepts any text).
    enumeration_field(
        report,
        &path.field("role_type"),
        &Suffixed(&who, " role"),
        b.role_type.as_ref(),
        true,
        Enumeration::RoleType,
        &ctx.profile,
    );

    let first_local = Suffixed(&who, " first name (local script)");
    text_field(
        report,
        &path.field("first_name"),
        &first_local,
        b.first_name.as_ref(),
        TEXT_MAX,
        false,
    );
    let last_local = Suffixed(&who, " last name (local script)");
    text_field(
        report,
        &path.field("last_name"),
        &last_local,
        b.last_name.as_ref(),
        TEXT_MAX,
        false,
    );
}

fn check_identification(
    report: &mut Report,
    path: &FieldPath,
    who: Person,
    id: &Identification,
    ctx: &ValidationContext,
) {
    enumeration_field(
        report,
        &path.field("id_type"),
        &Suffixed(&who, " ID type"),
        id.id_type.as_ref(),
        true,
        Enumeration::IdType,
        &ctx.profile,
    );

    text_field(
        report,
        &path.field("id_number"),
        &Suffixed(&who, " ID number"),
        id.id_number.as_ref(),
        TEXT_MAX,
        true,
    );

    let country_path = path.field("id_issuing_country_code");
    let country_label = Suffixed(&who, " ID issuing country");
    if let Some(code) = present(
        report,
        &country_path,
        &country_label,
        id.id_issuing_country_code.as_ref(),
        true,
    ) {
        check_country(report, &country_path, &country_label, code);
    }

    let issue = id.id_issue_date.as_ref().map(day);
    let expiry = id.id_expiration_date.as_ref().map(day);
    if let Some(expiry) = expiry {
        let expiry_path = path.field("id_expiration_date");
        if let Some(issue) = issue {
            end_after_start(
                report,
                &expiry_path,
                &Suffixed(&who, " ID expiry date"),
                expiry,
                "issue date",
                issue,
            );
        }
        not_expired(
            report,
            &expiry_path,
            &Suffixed(&who, "'s ID"),
            "upload a current ID",
            expiry,
            ctx.today,
        );
    }
    if let Some(issue) = issue {
        not_in_future(
            report,
            &path.field("id_issue_date"),
            &Suffixed(&who, " ID issue date"),
            issue,
            ctx.today,
        );
    }

    // Both image IDs are optional (blank counts as not given).
    let front_path = path.field("id_document_front_file_id");
    let front_label = Suffixed(&who, " ID front image file ID");
    let front = present(
        report,
        &front_path,
        &front_label,
        id.id_document_front_file_id.as_ref(),
        false,
    );
    if let Some(front) = front {
        check_file_id(report, &front_path, &front_label, front);
    }
    let back_path = path.field("id_document_back_file_id");
    let back_label = Suffixed(&who, " ID back image file ID");
    if let Some(back) = present(
        report,
        &back_path,
        &back_label,
        id.id_document_back_file_id.as_ref(),
        false,
    ) {
        check_file_id(report, &back_path, &back_label, back);
        if front == Some(back) {
            report.push(
                &back_path,
                IssueCode::DuplicateDocument,
                format!("{who} ID back image is the same file as the front; upload the back side separately."),
            );
        }
    }
}

/// "Person 1", "Person 2", ... (numbered from 1), written out only when a message needs it.
#[derive(Debug, Clone, Copy)]
struct Person(usize);

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Person {}", self.0 + 1)
    }
}
