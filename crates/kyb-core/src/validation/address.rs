//! Rules shared by the registration address and a person's residential address.

use super::countries::check_country;
use super::limits::TEXT_MAX;
use super::path::FieldPath;
use super::report::Report;
use super::text::{text_field, Suffixed};

/// The five fields of an address, whatever their prefix.
pub(crate) struct Address<'a> {
    pub(crate) line1: Option<&'a String>,
    pub(crate) city: Option<&'a String>,
    pub(crate) state: Option<&'a String>,
    pub(crate) postcode: Option<&'a String>,
    pub(crate) country_code: Option<&'a String>,
}

/// `prefix` is the JSON prefix of the fields (`registration_address`), `label` how the UI
/// names the address ("Registration address"). Line 1, city and country are required.
pub(crate) fn check_address(report: &mut Report, path: &FieldPath, prefix: &str, label: &(impl std::fmt::Display + ?Sized), address: Address<'_>) {
    let field = move |name: &'static str| path.prefixed(prefix, name);
    text_field(
        report,
        &field("line1"),
        &Suffixed(label, " line 1"),
        address.line1,
        TEXT_MAX,
        true,
    );
    text_field(
        report,
        &field("city"),
        &Suffixed(label, " city"),
        address.city,
        TEXT_MAX,
        true,
    );
    text_field(
        report,
        &field("state"),
        &Suffixed(label, " state or province"),
        address.state,
        TEXT_MAX,
        false,
    );
    // Postcodes: any text (the page gives no format, and postcodes worldwide vary).
    text_field(
        report,
        &field("postcode"),
        &Suffixed(label, " postcode"),
        address.postcode,
        TEXT_MAX,
        false,
    );
    let country_path = field("country_code");
    let country_label = Suffixed(label, " country");
    if let Some(code) = super::text::present(report, &country_path, &country_label, address.country_code, true) {
        check_country(report, &country_path, &country_label, code);
    }
}
