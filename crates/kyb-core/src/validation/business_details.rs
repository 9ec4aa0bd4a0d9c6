//! The `business_details` section (required).

use crate::model::BusinessDetails;
use crate::partner_profile::Enumeration;

use super::countries::check_country;
use super::enumerations::enumeration_field;
use super::dates::{day, end_after_start, not_expired, not_in_future};
use super::documents::check_document_list;
use super::limits::TEXT_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::text::{present, text_field};
use super::website::check_website;
use super::{IssueCode, IssueSource, ValidationContext};

pub(crate) fn check(report: &mut Report, path: &FieldPath, details: Option<&BusinessDetails>, ctx: &ValidationContext) {
    let Some(d) = details else {
        // The partner's page marks `business_details` required.
        report.push_from(
            path,
            IssueCode::Required,
            IssueSource::Partner,
            "Business details are required: the business name, type, identifier and its country.",
        );
        return;
    };

    text_field(
        report,
        &path.field("business_name_english"),
        "Business name (English)",
        d.business_name_english.as_ref(),
        TEXT_MAX,
        true,
    );

    // An enumeration whose values the page does not list (one example): the partner profile's
    // list decides (the built-in one accepts any text).
    enumeration_field(
        report,
        &path.field("business_type"),
        "Business type",
        d.business_type.as_ref(),
        true,
        Enumeration::BusinessType,
        &ctx.profile,
    );

    let website_path = path.field("website");
    if let Some(value) = present(report, &website_path, "Website", d.website.as_ref(), false) {
        check_website(report, &website_path, "Website", value);
    }

    enumeration_field(
        report,
        &path.field("business_identifier_type"),
        "Business identifier type",
        d.business_identifier_type.as_ref(),
        true,
        Enumeration::BusinessIdentifierType,
        &ctx.profile,
    );

    text_field(
        report,
        &path.field("business_identifier_number"),
        "Business identifier number",
        d.business_identifier_number.as_ref(),
        TEXT_MAX,
        true,
    );

    let country_path = path.field("business_identifier_country_code");
    let country_label = "Country of the business identifier";
    if let Some(code) = present(
        report,
        &country_path,
        country_label,
        d.business_identifier_country_code.as_ref(),
        true,
    ) {
        check_country(report, &country_path, country_label, code);
    }

    if let Some(ids) = &d.business_identifier_document_list {
        check_document_list(report, &path.field("business_identifier_document_list"), ids);
    }

    text_field(
        report,
        &path.field("business_name"),
        "Business name (local script)",
        d.business_name.as_ref(),
        TEXT_MAX,
        false,
    );

    let start = d.business_identifier_start_date.as_ref().map(day);
    let expiry = d.business_identifier_expiry_date.as_ref().map(day);
    if let Some(start) = start {
        not_in_future(
            report,
            &path.field("business_identifier_start_date"),
            "Business identifier start date",
            start,
            ctx.today,
        );
    }
    if let Some(expiry) = expiry {
        let expiry_path = path.field("business_identifier_expiry_date");
        if let Some(start) = start {
            end_after_start(
                report,
                &expiry_path,
                "Business identifier expiry date",
                expiry,
                "start date",
                start,
            );
        }
        not_expired(
            report,
            &expiry_path,
            "The business identifier",
            "upload a current registration document or correct the date",
            expiry,
            ctx.today,
        );
    }
}
