//! The `account_usage` section (optional; every field in it optional, but an amount and its
//! currency go together).

use crate::model::AccountUsage;
use crate::partner_profile::{Enumeration, PartnerProfile};

use super::amount::check_amount;
use super::countries::check_country;
use super::currencies::check_currency;
use super::enumerations::enumeration_field;
use super::limits::{DESCRIPTION_MAX, TEXT_MAX};
use super::path::FieldPath;
use super::report::Report;
use super::text::{check_text, present, text_field};
use super::IssueCode;

pub(crate) fn check(report: &mut Report, path: &FieldPath, usage: Option<&AccountUsage>, profile: &PartnerProfile) {
    let Some(u) = usage else { return };

    let country_path = path.field("operating_country");
    if let Some(code) = present(
        report,
        &country_path,
        "Operating country",
        u.operating_country.as_ref(),
        false,
    ) {
        check_country(report, &country_path, "Operating country", code);
    }

    let description_path = path.field("goods_service_description");
    let description_label = "Description of goods or services";
    if let Some(text) = present(
        report,
        &description_path,
        description_label,
        u.goods_service_description.as_ref(),
        false,
    ) {
        check_text(report, &description_path, description_label, text, DESCRIPTION_MAX, true);
    }

    // The page shows `<string>` and no code list: any single-line text is accepted (the
    // partner family's own codes look like `ICCV3_0006XX`; MCC, NAICS and NACE codes fit too).
    text_field(
        report,
        &path.field("industry_category_code"),
        "Industry category code",
        u.industry_category_code.as_ref(),
        TEXT_MAX,
        false,
    );

    // An enumeration whose values the page does not list (one example): the partner profile's
    // list decides (the built-in one accepts any text).
    enumeration_field(
        report,
        &path.field("account_usage_product_reference"),
        "Account usage",
        u.account_usage_product_reference.as_ref(),
        false,
        Enumeration::AccountUsageProductReference,
        profile,
    );

    let currency_path = path.field("estimated_monthly_revenue_currency");
    let currency_label = "Currency of the estimated monthly revenue";
    let currency = present(
        report,
        &currency_path,
        currency_label,
        u.estimated_monthly_revenue_currency.as_ref(),
        false,
    );
    if let Some(code) = currency {
        check_currency(report, &currency_path, currency_label, code);
    }

    let amount_path = path.field("estimated_monthly_revenue_amount");
    match (u.estimated_monthly_revenue_amount, currency) {
        (Some(amount), _) => {
            check_amount(report, &amount_path, "Estimated monthly revenue", amount, currency);
            if currency.is_none() {
                report.push(
                    &currency_path,
                    IssueCode::Required,
                    format!("{currency_label} is required when an amount is given."),
                );
            }
        }
        (None, Some(_)) => report.push(
            &amount_path,
            IssueCode::Required,
            "Estimated monthly revenue is required when its currency is given.",
        ),
        (None, None) => {}
    }
}
