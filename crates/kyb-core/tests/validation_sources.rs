//! Where each rule comes from, and records read from files.
//!
//! * Every issue says whose rule it is (`source`): the partner's page, a standard, a value that
//!   contradicts itself, or KYB Desk's policy, whose messages start with "KYB Desk policy:".
//! * A file's record (portable drafts, drafts on disk) goes through `parse_update_value` /
//!   `validate_update_value`: a value of the wrong JSON type is refused on its own field path,
//!   like an unknown field, and the rest of the record is still checked.

use chrono::NaiveDate;
use rstest::rstest;
use serde_json::{json, Value};

use kyb_core::drafts::{check_portable, read_portable};
use kyb_core::samples::valid_update;
use kyb_core::validation::{
    parse_update_value, validate_update, validate_update_value, Issue, IssueCode, IssueSource, ValidationContext,
    POLICY_PREFIX,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

fn ctx() -> ValidationContext {
    ValidationContext::on(today())
}

/// A valid record as a file holds it (amount as text, the way the page and drafts carry it).
fn file_record() -> Value {
    let mut record = serde_json::to_value(valid_update(7, today())).unwrap();
    let amount = record.pointer_mut("/account_usage/estimated_monthly_revenue_amount").unwrap();
    *amount = Value::String(amount.to_string());
    record
}

/// Set the value at a JSON pointer, creating nothing: the sample has every section.
fn with(pointer: &str, value: Value) -> Value {
    let mut record = file_record();
    *record.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer} not in the sample")) = value;
    record
}

#[test]
fn the_file_record_is_valid_as_it_is() {
    assert_eq!(validate_update_value(&file_record(), &ctx()), Vec::<Issue>::new());
    assert!(parse_update_value(&file_record()).is_ok());
}

/// A wrong JSON type is refused, on its own path, as the partner's own field types say.
#[rstest]
#[case::number_where_a_string_is(
    "/business_details/business_name_english",
    json!(42),
    "business_details.business_name_english"
)]
#[case::bool_where_a_string_is("/primary_contact/contact_phone", json!(true), "primary_contact.contact_phone")]
#[case::phone_as_a_number("/primary_contact/contact_phone", json!(8613800138000_u64), "primary_contact.contact_phone")]
#[case::array_where_a_string_is(
    "/registration_address/registration_address_country_code",
    json!(["US"]),
    "registration_address.registration_address_country_code"
)]
#[case::object_where_an_array_is(
    "/business_details/business_identifier_document_list",
    json!({"0": "file_a"}),
    "business_details.business_identifier_document_list"
)]
#[case::string_where_an_array_is(
    "/business_details/business_identifier_document_list",
    json!("file_a"),
    "business_details.business_identifier_document_list"
)]
#[case::number_in_a_list_of_strings(
    "/business_details/business_identifier_document_list",
    json!(["file_a", 7]),
    "business_details.business_identifier_document_list[1]"
)]
#[case::object_where_the_person_list_is("/business_person_list", json!({}), "business_person_list")]
#[case::array_where_a_section_is("/business_person_list/0/basic_info", json!([]), "business_person_list[0].basic_info")]
#[case::string_where_a_section_is("/primary_contact", json!("service@gemini.com"), "primary_contact")]
#[case::text_that_is_not_a_number_where_a_number_is(
    "/account_usage/estimated_monthly_revenue_amount",
    json!("lots"),
    "account_usage.estimated_monthly_revenue_amount"
)]
#[case::object_where_a_number_is(
    "/account_usage/estimated_monthly_revenue_amount",
    json!({"value": 1}),
    "account_usage.estimated_monthly_revenue_amount"
)]
#[case::bool_where_a_number_is(
    "/account_usage/estimated_monthly_revenue_amount",
    json!(true),
    "account_usage.estimated_monthly_revenue_amount"
)]
#[case::number_where_a_date_is(
    "/business_person_list/0/identification/id_expiration_date",
    json!(20_231_107),
    "business_person_list[0].identification.id_expiration_date"
)]
fn a_wrong_json_type_is_refused_on_its_path(#[case] pointer: &str, #[case] value: Value, #[case] path: &str) {
    let record = with(pointer, value);
    let refused = parse_update_value(&record).expect_err("a wrong type must not parse");
    assert_eq!(
        refused.iter().map(|i| (i.path.as_str(), i.code, i.source)).collect::<Vec<_>>(),
        vec![(path, IssueCode::InvalidFormat, IssueSource::Partner)],
        "{refused:#?}"
    );
    // The whole-record check reports it once, and nothing else (a value set aside is not
    // also "missing").
    let issues = validate_update_value(&record, &ctx());
    let at_or_below: Vec<_> = issues.iter().filter(|i| i.path.starts_with(path)).collect();
    assert_eq!(at_or_below.len(), 1, "{issues:#?}");
    assert_eq!(at_or_below[0].code, IssueCode::InvalidFormat);
}

/// What files may hold besides the API's exact type.
#[rstest]
// The page and the drafts carry the amount as decimal text so it stays exact ("99.99").
#[case::amount_as_decimal_text("/account_usage/estimated_monthly_revenue_amount", json!("99.99"))]
#[case::amount_as_a_json_number("/account_usage/estimated_monthly_revenue_amount", json!(99.99))]
// JSON null is "not given" for an optional field.
#[case::null_optional_field("/business_details/website", Value::Null)]
#[case::null_optional_section("/primary_contact", Value::Null)]
fn values_files_may_hold(#[case] pointer: &str, #[case] value: Value) {
    let record = with(pointer, value);
    assert!(parse_update_value(&record).is_ok());
    assert_eq!(validate_update_value(&record, &ctx()), Vec::<Issue>::new());
}

#[test]
fn an_unknown_field_is_refused_like_a_wrong_type() {
    let mut record = file_record();
    record["account_usage"]["industry_code"] = json!("5734");
    let refused = parse_update_value(&record).unwrap_err();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].path, "account_usage.industry_code");
    assert_eq!((refused[0].code, refused[0].source), (IssueCode::UnknownField, IssueSource::Partner));
}

#[test]
fn a_portable_file_with_a_wrong_type_imports_with_the_issue_on_its_path() {
    let mut record = file_record();
    record["business_details"]["business_identifier_document_list"] = json!({"front": "file_a"});
    let text = json!({
        "format": "kyb-desk-draft",
        "version": 1,
        "exported_at": "2026-06-15T10:00:00Z",
        "environment": "Sandbox",
        "target": {"kind": "update", "customer_id": "cus_1"},
        "idempotency_key": "6f1c2a4e-8b1d-4c1e-9f0a-1b2c3d4e5f60",
        "record": record,
    })
    .to_string();
    let file = read_portable(&text).expect("the file's envelope is fine");
    let issues = check_portable(&file, &ctx());
    assert_eq!(
        issues.iter().map(|i| (i.path.as_str(), i.code)).collect::<Vec<_>>(),
        vec![("business_details.business_identifier_document_list", IssueCode::InvalidFormat)]
    );
}

/// Each kind of rule carries its source, and only policy messages say "KYB Desk policy".
#[rstest]
#[case::section_the_page_marks_required(
    |r: &mut Value| r["business_details"] = Value::Null,
    "business_details", IssueCode::Required, IssueSource::Partner
)]
#[case::country_not_in_iso_3166(
    |r: &mut Value| r["registration_address"]["registration_address_country_code"] = json!("UK"),
    "registration_address.registration_address_country_code", IssueCode::InvalidCountry, IssueSource::Standard
)]
#[case::currency_not_in_iso_4217(
    |r: &mut Value| r["account_usage"]["estimated_monthly_revenue_currency"] = json!("QQQ"),
    "account_usage.estimated_monthly_revenue_currency", IssueCode::InvalidCurrency, IssueSource::Standard
)]
#[case::gold_is_iso_4217_but_refused_by_policy(
    |r: &mut Value| r["account_usage"]["estimated_monthly_revenue_currency"] = json!("XAU"),
    "account_usage.estimated_monthly_revenue_currency", IssueCode::InvalidCurrency, IssueSource::Policy
)]
#[case::phone_not_e164(
    |r: &mut Value| r["primary_contact"]["contact_phone"] = json!("13800138000"),
    "primary_contact.contact_phone", IssueCode::InvalidPhone, IssueSource::Standard
)]
#[case::email_not_an_address(
    |r: &mut Value| r["primary_contact"]["contact_email"] = json!("service.gemini.com"),
    "primary_contact.contact_email", IssueCode::InvalidEmail, IssueSource::Standard
)]
#[case::website_not_a_url(
    |r: &mut Value| r["business_details"]["website"] = json!("www.example.com"),
    "business_details.website", IssueCode::InvalidUrl, IssueSource::Standard
)]
#[case::website_on_an_ip_address(
    |r: &mut Value| r["business_details"]["website"] = json!("https://192.0.2.1"),
    "business_details.website", IssueCode::InvalidUrl, IssueSource::Policy
)]
#[case::website_http(
    |r: &mut Value| r["business_details"]["website"] = json!("http://www.example.com"),
    "business_details.website", IssueCode::NotHttps, IssueSource::Policy
)]
#[case::negative_revenue(
    |r: &mut Value| r["account_usage"]["estimated_monthly_revenue_amount"] = json!("-1"),
    "account_usage.estimated_monthly_revenue_amount", IssueCode::Negative, IssueSource::Consistency
)]
#[case::expired_id(
    |r: &mut Value| r["business_person_list"][0]["identification"]["id_expiration_date"] = json!("2026-06-14T12:00:00Z"),
    "business_person_list[0].identification.id_expiration_date", IssueCode::Expired, IssueSource::Policy
)]
#[case::under_18(
    |r: &mut Value| r["business_person_list"][0]["basic_info"]["birth_date"] = json!("2008-06-16T00:00:00Z"),
    "business_person_list[0].basic_info.birth_date", IssueCode::TooYoung, IssueSource::Policy
)]
#[case::birth_in_the_future(
    |r: &mut Value| r["business_person_list"][0]["basic_info"]["birth_date"] = json!("2026-06-16T00:00:00Z"),
    "business_person_list[0].basic_info.birth_date", IssueCode::InFuture, IssueSource::Consistency
)]
#[case::text_over_the_cap(
    |r: &mut Value| r["business_details"]["business_name_english"] = json!("A".repeat(1001)),
    "business_details.business_name_english", IssueCode::TooLong, IssueSource::Policy
)]
fn issues_carry_their_source(
    #[case] mutate: fn(&mut Value),
    #[case] path: &str,
    #[case] code: IssueCode,
    #[case] source: IssueSource,
) {
    let mut record = file_record();
    mutate(&mut record);
    let issues = validate_update_value(&record, &ctx());
    let found: Vec<_> = issues.iter().filter(|i| i.path == path).collect();
    assert_eq!(found.len(), 1, "{issues:#?}");
    assert_eq!((found[0].code, found[0].source), (code, source), "{:?}", found[0]);
    assert_eq!(
        found[0].message.starts_with(POLICY_PREFIX),
        source == IssueSource::Policy,
        "{}",
        found[0].message
    );
}

#[test]
fn every_issue_of_a_broken_record_says_policy_exactly_when_it_is_policy() {
    let record = kyb_core::model::UpdateCustomerRequest {
        business_details: Some(Default::default()),
        registration_address: None,
        ..Default::default()
    };
    let issues = validate_update(&record, &ctx());
    assert!(!issues.is_empty());
    for issue in &issues {
        assert_eq!(issue.message.starts_with(POLICY_PREFIX), issue.source == IssueSource::Policy, "{issue:?}");
    }
}

#[test]
fn source_is_serialized_for_the_ui() {
    let mut record = file_record();
    record["business_details"]["website"] = json!("http://www.example.com");
    let issues = validate_update_value(&record, &ctx());
    let value = serde_json::to_value(&issues[0]).unwrap();
    assert_eq!(value["source"], "policy");
    assert_eq!(value["code"], "not_https");
}
