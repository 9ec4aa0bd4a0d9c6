//! The five enumerated fields, against the active partner profile: an open list (the built-in
//! profile's) accepts any text; a closed one (the partner's real list) refuses any other value,
//! naming the profile and suggesting the label a near miss meant.

use super::limits::TEXT_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::tables::{lookup, Lookup};
use super::text::text_field;
use super::{IssueCode, IssueSource};
use crate::partner_profile::{Enumeration, PartnerProfile};

/// Lists up to this long are spelled out in the message; longer ones are in the picker.
const LIST_IN_MESSAGE: usize = 12;

/// A single-line text field holding one of `field`'s values.
pub(crate) fn enumeration_field(
    report: &mut Report,
    path: &FieldPath,
    label: &(impl std::fmt::Display + ?Sized),
    value: Option<&String>,
    required: bool,
    field: Enumeration,
    profile: &PartnerProfile,
) {
    if let Some(text) = text_field(report, path, label, value, TEXT_MAX, required) {
        check_in_list(report, path, label, text, field, profile);
    }
}

fn check_in_list(
    report: &mut Report,
    path: &FieldPath,
    label: &(impl std::fmt::Display + ?Sized),
    value: &str,
    field: Enumeration,
    profile: &PartnerProfile,
) {
    let list = profile.list(field);
    if !list.closed {
        return;
    }
    let hint = match lookup(value, list.values) {
        Lookup::Exact => return,
        Lookup::NearMiss(label) => format!("did you mean {label:?}?"),
        Lookup::Unknown if list.values.len() <= LIST_IN_MESSAGE => {
            format!("choose one of {}.", list.values.join(", "))
        }
        Lookup::Unknown => "choose one from the list.".to_owned(),
    };
    report.push_from(
        path,
        IssueCode::NotInList,
        IssueSource::Partner,
        format!(
            "{label} {value:?} is not in the partner's list of {} (profile {}): {hint}",
            field.plural(),
            profile.label()
        ),
    );
}
