//! The `registration_address` section (required).

use crate::model::RegistrationAddress;

use super::address::{check_address, Address};
use super::path::FieldPath;
use super::report::Report;
use super::{IssueCode, IssueSource};

pub(crate) fn check(report: &mut Report, path: &FieldPath, address: Option<&RegistrationAddress>) {
    let Some(a) = address else {
        // The partner's page marks `registration_address` required.
        report.push_from(
            path,
            IssueCode::Required,
            IssueSource::Partner,
            "Registration address is required: at least line 1, the city and the country.",
        );
        return;
    };
    check_address(
        report,
        path,
        "registration_address",
        "Registration address",
        Address {
            line1: a.registration_address_line1.as_ref(),
            city: a.registration_address_city.as_ref(),
            state: a.registration_address_state.as_ref(),
            postcode: a.registration_address_postcode.as_ref(),
            country_code: a.registration_address_country_code.as_ref(),
        },
    );
}
