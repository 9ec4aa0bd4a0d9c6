//! Table-driven validation tests: every rule, with its edge on both sides.
//!
//! Each case starts from a valid sample ([`base`]), applies one mutation and expects either no
//! issue at all or exactly one issue with the given path and code. Every case is its own named
//! test (`cargo test -p kyb-core --test integration validation_table::` prints the count).

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use rstest::rstest;
use rust_decimal::Decimal;

use kyb_core::model::{
    AccountUsage, BasicInfo, BusinessDetails, BusinessPerson, CreateCustomerRequest, Identification, PrimaryContact,
    RegistrationAddress, ResidentialAddress, UpdateCustomerRequest,
};
use kyb_core::samples;
use kyb_core::validation::{validate_create, validate_update, Issue, IssueCode, ValidationContext};

type R = UpdateCustomerRequest;
use IssueCode::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

fn ctx() -> ValidationContext {
    ValidationContext::on(today())
}

/// `today` plus `days` (negative: before), at noon UTC.
fn rel(days: i64) -> DateTime<Utc> {
    rel_at(days, 12, 0, 0)
}

fn rel_at(days: i64, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    let date = if days >= 0 {
        today().checked_add_days(Days::new(days as u64)).unwrap()
    } else {
        today().checked_sub_days(Days::new(days.unsigned_abs())).unwrap()
    };
    date.and_time(NaiveTime::from_hms_opt(h, m, s).unwrap()).and_utc()
}

/// The date `years` years before today (same month and day), plus `days`, at noon UTC.
fn born(years: i32, days: i64) -> DateTime<Utc> {
    let t = today();
    let date = NaiveDate::from_ymd_opt(t.year() - years, t.month(), t.day()).unwrap();
    let date = if days >= 0 {
        date.checked_add_days(Days::new(days as u64)).unwrap()
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs())).unwrap()
    };
    date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap()).and_utc()
}

/// `n` characters of name-like text.
fn s(n: usize) -> String {
    "Abcdefghij".chars().cycle().take(n).collect()
}

/// An https URL exactly `n` characters long (n >= 25).
fn website(n: usize) -> String {
    let head = "https://www.example.com/";
    format!("{head}{}", "p".repeat(n - head.len()))
}

fn person(role: &str, id_number: &str) -> BusinessPerson {
    BusinessPerson {
        basic_info: Some(BasicInfo {
            first_name_english: Some("Nana".into()),
            last_name_english: Some("Ouyang".into()),
            birth_date: Some(born(40, 0)),
            nationality: Some("CN".into()),
            role_type: Some(role.into()),
            first_name: Some("娜娜".into()),
            last_name: Some("欧阳".into()),
        }),
        residential_address: Some(ResidentialAddress {
            residential_address_line1: Some("No. 9 Keyuan Road, Nanshan District".into()),
            residential_address_city: Some("Shenzhen".into()),
            residential_address_postcode: Some("518057".into()),
            residential_address_country_code: Some("CN".into()),
            residential_address_state: Some("Guangdong".into()),
        }),
        identification: Some(Identification {
            id_type: Some("National ID".into()),
            id_number: Some(id_number.into()),
            id_issuing_country_code: Some("CN".into()),
            id_expiration_date: Some(rel(1000)),
            id_issue_date: Some(rel(-1000)),
            id_document_front_file_id: Some(format!("file_front_{id_number}")),
            id_document_back_file_id: Some(format!("file_back_{id_number}")),
        }),
    }
}

/// A valid sample with every optional part filled in, in a known shape: three business
/// documents, two people (a Director and a Shareholder).
fn base() -> R {
    let mut r = samples::valid_update(7, today());
    let bd = r.business_details.as_mut().unwrap();
    bd.business_name_english = Some("Starriver Technology Co., Ltd.".into());
    bd.business_type = Some("Limited Liability Company".into());
    bd.website = Some("https://www.example.com".into());
    bd.business_identifier_type = Some("Business Registration".into());
    bd.business_identifier_number = Some("91440300MA5F12345X".into());
    bd.business_identifier_country_code = Some("CN".into());
    bd.business_identifier_document_list = Some(vec!["file_a".into(), "file_b".into(), "file_c".into()]);
    bd.business_name = Some("深圳市星河科技有限公司".into());
    bd.business_identifier_start_date = Some(rel(-2000));
    bd.business_identifier_expiry_date = Some(rel(2000));
    r.registration_address = Some(RegistrationAddress {
        registration_address_line1: Some("No. 9 Keyuan Road, Nanshan District".into()),
        registration_address_city: Some("Shenzhen".into()),
        registration_address_state: Some("Guangdong".into()),
        registration_address_postcode: Some("518057".into()),
        registration_address_country_code: Some("CN".into()),
    });
    r.account_usage = Some(AccountUsage {
        operating_country: Some("CN".into()),
        goods_service_description: Some("Software development and subscription software".into()),
        industry_category_code: Some("5734".into()),
        account_usage_product_reference: Some("Financial Services".into()),
        estimated_monthly_revenue_currency: Some("USD".into()),
        estimated_monthly_revenue_amount: Some(Decimal::new(9999, 2)),
    });
    r.primary_contact = Some(PrimaryContact {
        contact_phone: Some("+8613800138000".into()),
        contact_email: Some("service@gemini.com".into()),
    });
    r.business_person_list = Some(vec![
        person("Director", "440300198001011234"),
        person("Shareholder", "440300198502025678"),
    ]);
    r
}

fn bd(r: &mut R) -> &mut BusinessDetails {
    r.business_details.as_mut().unwrap()
}
fn ra(r: &mut R) -> &mut RegistrationAddress {
    r.registration_address.as_mut().unwrap()
}
fn au(r: &mut R) -> &mut AccountUsage {
    r.account_usage.as_mut().unwrap()
}
fn pc(r: &mut R) -> &mut PrimaryContact {
    r.primary_contact.as_mut().unwrap()
}
fn people(r: &mut R) -> &mut Vec<BusinessPerson> {
    r.business_person_list.as_mut().unwrap()
}
fn p(r: &mut R, i: usize) -> &mut BusinessPerson {
    &mut people(r)[i]
}
fn bi(r: &mut R, i: usize) -> &mut BasicInfo {
    p(r, i).basic_info.as_mut().unwrap()
}
fn home(r: &mut R, i: usize) -> &mut ResidentialAddress {
    p(r, i).residential_address.as_mut().unwrap()
}
fn id(r: &mut R, i: usize) -> &mut Identification {
    p(r, i).identification.as_mut().unwrap()
}
fn docs(r: &mut R) -> &mut Vec<String> {
    bd(r).business_identifier_document_list.as_mut().unwrap()
}
fn amount(text: &str) -> Option<Decimal> {
    Some(text.parse().unwrap())
}

/// A mutation (the signature makes every closure below a plain `fn`).
fn m(f: fn(&mut R)) -> fn(&mut R) {
    f
}

type Expected = Option<(&'static str, IssueCode)>;
const CLEAN: Expected = None;
fn bad(path: &'static str, code: IssueCode) -> Expected {
    Some((path, code))
}

fn brief(issues: &[Issue]) -> Vec<(String, IssueCode)> {
    issues.iter().map(|i| (i.path.clone(), i.code)).collect()
}

#[test]
fn base_is_valid() {
    assert_eq!(validate_update(&base(), &ctx()), vec![]);
}

#[rstest]
// ----- sections -----
#[case::baseline(m(|_| {}), CLEAN)]
#[case::business_details_missing(m(|r| r.business_details = None), bad("business_details", Required))]
#[case::registration_address_missing(m(|r| r.registration_address = None), bad("registration_address", Required))]
#[case::account_usage_absent(m(|r| r.account_usage = None), CLEAN)]
#[case::primary_contact_absent(m(|r| r.primary_contact = None), CLEAN)]
#[case::person_list_absent(m(|r| r.business_person_list = None), CLEAN)]
// ----- business name (English) -----
#[case::name_missing(m(|r| bd(r).business_name_english = None), bad("business_details.business_name_english", Required))]
#[case::name_blank(m(|r| bd(r).business_name_english = Some(" \t ".into())), bad("business_details.business_name_english", Required))]
#[case::name_empty(m(|r| bd(r).business_name_english = Some(String::new())), bad("business_details.business_name_english", Required))]
#[case::name_1_char(m(|r| bd(r).business_name_english = Some(s(1))), CLEAN)]
#[case::name_1_char_padded(m(|r| bd(r).business_name_english = Some(" A ".into())), CLEAN)]
#[case::name_at_cap(m(|r| bd(r).business_name_english = Some(s(1000))), CLEAN)]
#[case::name_over_cap(m(|r| bd(r).business_name_english = Some(s(1001))), bad("business_details.business_name_english", TooLong))]
#[case::name_at_cap_multibyte_chars(m(|r| bd(r).business_name_english = Some("é".repeat(1000))), CLEAN)]
#[case::name_with_newline(m(|r| bd(r).business_name_english = Some("Acme\nLtd".into())), bad("business_details.business_name_english", InvalidCharacters))]
// ----- business name (local script, optional) -----
#[case::local_name_absent(m(|r| bd(r).business_name = None), CLEAN)]
#[case::local_name_2_chars(m(|r| bd(r).business_name = Some("星河".into())), CLEAN)]
#[case::local_name_1_char(m(|r| bd(r).business_name = Some("星".into())), CLEAN)]
#[case::local_name_at_cap(m(|r| bd(r).business_name = Some("星".repeat(1000))), CLEAN)]
#[case::local_name_over_cap(m(|r| bd(r).business_name = Some("星".repeat(1001))), bad("business_details.business_name", TooLong))]
// ----- business type -----
#[case::business_type_missing(m(|r| bd(r).business_type = None), bad("business_details.business_type", Required))]
#[case::business_type_other_label(m(|r| bd(r).business_type = Some("Corporation".into())), CLEAN)]
#[case::business_type_seed_example(m(|r| bd(r).business_type = Some("Limited Liability Company".into())), CLEAN)]
#[case::business_type_other_case(m(|r| bd(r).business_type = Some("limited liability company".into())), CLEAN)]
#[case::business_type_not_in_our_table(m(|r| bd(r).business_type = Some("Private Company Limited by Shares".into())), CLEAN)]
#[case::business_type_over_cap(m(|r| bd(r).business_type = Some(s(1001))), bad("business_details.business_type", TooLong))]
#[case::business_type_blank(m(|r| bd(r).business_type = Some(" ".into())), bad("business_details.business_type", Required))]
// ----- website -----
#[case::website_absent(m(|r| bd(r).website = None), CLEAN)]
#[case::website_blank(m(|r| bd(r).website = Some(String::new())), CLEAN)]
#[case::website_http(m(|r| bd(r).website = Some("http://www.example.com".into())), bad("business_details.website", NotHttps))]
#[case::website_credentials(m(|r| bd(r).website = Some("https://user:secret@www.example.com".into())), bad("business_details.website", CredentialsInUrl))]
#[case::website_no_host(m(|r| bd(r).website = Some("https://".into())), bad("business_details.website", InvalidUrl))]
#[case::website_no_scheme(m(|r| bd(r).website = Some("www.example.com".into())), bad("business_details.website", InvalidUrl))]
#[case::website_single_label_host(m(|r| bd(r).website = Some("https://localhost".into())), bad("business_details.website", InvalidUrl))]
#[case::website_ip_host(m(|r| bd(r).website = Some("https://192.0.2.1".into())), bad("business_details.website", InvalidUrl))]
#[case::website_seed_example(m(|r| bd(r).website = Some("https://www.example.com".into())), CLEAN)]
#[case::website_226_chars(m(|r| bd(r).website = Some(website(226))), CLEAN)]
#[case::website_at_cap(m(|r| bd(r).website = Some(website(2000))), CLEAN)]
#[case::website_over_cap(m(|r| bd(r).website = Some(website(2001))), bad("business_details.website", TooLong))]
// ----- business identifier -----
#[case::identifier_type_missing(m(|r| bd(r).business_identifier_type = None), bad("business_details.business_identifier_type", Required))]
#[case::identifier_type_other_case(m(|r| bd(r).business_identifier_type = Some("business registration".into())), CLEAN)]
#[case::identifier_type_not_in_our_table(m(|r| bd(r).business_identifier_type = Some("Commercial Register Extract".into())), CLEAN)]
#[case::identifier_type_other_label(m(|r| bd(r).business_identifier_type = Some("Unified Social Credit Code".into())), CLEAN)]
#[case::identifier_number_missing(m(|r| bd(r).business_identifier_number = None), bad("business_details.business_identifier_number", Required))]
#[case::identifier_number_1_char(m(|r| bd(r).business_identifier_number = Some("9".into())), CLEAN)]
#[case::identifier_number_65_chars(m(|r| bd(r).business_identifier_number = Some(s(65))), CLEAN)]
#[case::identifier_number_at_cap(m(|r| bd(r).business_identifier_number = Some(s(1000))), CLEAN)]
#[case::identifier_number_over_cap(m(|r| bd(r).business_identifier_number = Some(s(1001))), bad("business_details.business_identifier_number", TooLong))]
#[case::identifier_country_missing(m(|r| bd(r).business_identifier_country_code = None), bad("business_details.business_identifier_country_code", Required))]
#[case::identifier_country_lowercase(m(|r| bd(r).business_identifier_country_code = Some("us".into())), bad("business_details.business_identifier_country_code", LowercaseCountry))]
#[case::identifier_country_mixed_case(m(|r| bd(r).business_identifier_country_code = Some("Us".into())), bad("business_details.business_identifier_country_code", LowercaseCountry))]
#[case::identifier_country_alpha3(m(|r| bd(r).business_identifier_country_code = Some("USA".into())), bad("business_details.business_identifier_country_code", InvalidCountry))]
#[case::identifier_country_unassigned(m(|r| bd(r).business_identifier_country_code = Some("XX".into())), bad("business_details.business_identifier_country_code", InvalidCountry))]
#[case::identifier_country_uk_is_not_iso(m(|r| bd(r).business_identifier_country_code = Some("UK".into())), bad("business_details.business_identifier_country_code", InvalidCountry))]
#[case::identifier_country_padded(m(|r| bd(r).business_identifier_country_code = Some(" US".into())), bad("business_details.business_identifier_country_code", InvalidCountry))]
#[case::identifier_country_gb(m(|r| bd(r).business_identifier_country_code = Some("GB".into())), CLEAN)]
// ----- business documents -----
#[case::documents_absent(m(|r| bd(r).business_identifier_document_list = None), CLEAN)]
#[case::documents_empty_list(m(|r| docs(r).clear()), CLEAN)]
#[case::documents_10(m(|r| *docs(r) = (0..10).map(|i| format!("file_{i}")).collect()), CLEAN)]
#[case::documents_11(m(|r| *docs(r) = (0..11).map(|i| format!("file_{i}")).collect()), CLEAN)]
#[case::documents_100(m(|r| *docs(r) = (0..100).map(|i| format!("file_{i}")).collect()), CLEAN)]
#[case::documents_duplicate(m(|r| docs(r).push("file_b".into())), bad("business_details.business_identifier_document_list[3]", DuplicateDocument))]
#[case::documents_empty_id(m(|r| docs(r)[1] = String::new()), bad("business_details.business_identifier_document_list[1]", Required))]
#[case::documents_blank_id(m(|r| docs(r)[2] = "  ".into()), bad("business_details.business_identifier_document_list[2]", Required))]
#[case::documents_id_with_space(m(|r| docs(r)[0] = "file a".into()), CLEAN)]
#[case::documents_id_with_tab(m(|r| docs(r)[0] = "file\ta".into()), bad("business_details.business_identifier_document_list[0]", InvalidCharacters))]
#[case::documents_id_129_chars(m(|r| docs(r)[0] = s(129)), CLEAN)]
#[case::documents_id_at_cap(m(|r| docs(r)[0] = s(1000)), CLEAN)]
#[case::documents_id_over_cap(m(|r| docs(r)[0] = s(1001)), bad("business_details.business_identifier_document_list[0]", TooLong))]
// ----- business identifier dates -----
#[case::start_today(m(|r| bd(r).business_identifier_start_date = Some(rel_at(0, 23, 59, 59))), CLEAN)]
#[case::start_tomorrow(m(|r| bd(r).business_identifier_start_date = Some(rel_at(1, 0, 0, 0))), bad("business_details.business_identifier_start_date", InFuture))]
#[case::start_one_day_before_expiry(m(|r| { bd(r).business_identifier_start_date = Some(rel(0)); bd(r).business_identifier_expiry_date = Some(rel(1)); }), CLEAN)]
#[case::start_same_day_as_expiry(m(|r| { bd(r).business_identifier_start_date = Some(rel_at(0, 1, 0, 0)); bd(r).business_identifier_expiry_date = Some(rel_at(0, 23, 0, 0)); }), bad("business_details.business_identifier_expiry_date", DateOrder))]
#[case::business_expiry_today(m(|r| bd(r).business_identifier_expiry_date = Some(rel_at(0, 0, 0, 0))), CLEAN)]
#[case::business_expiry_yesterday(m(|r| bd(r).business_identifier_expiry_date = Some(rel_at(-1, 23, 59, 59))), bad("business_details.business_identifier_expiry_date", Expired))]
#[case::business_dates_absent(m(|r| { bd(r).business_identifier_start_date = None; bd(r).business_identifier_expiry_date = None; }), CLEAN)]
// ----- registration address -----
#[case::address_line1_missing(m(|r| ra(r).registration_address_line1 = None), bad("registration_address.registration_address_line1", Required))]
#[case::address_line1_1_char(m(|r| ra(r).registration_address_line1 = Some("9".into())), CLEAN)]
#[case::address_line1_201_chars(m(|r| ra(r).registration_address_line1 = Some(s(201))), CLEAN)]
#[case::address_line1_at_cap(m(|r| ra(r).registration_address_line1 = Some(s(1000))), CLEAN)]
#[case::address_line1_over_cap(m(|r| ra(r).registration_address_line1 = Some(s(1001))), bad("registration_address.registration_address_line1", TooLong))]
#[case::address_city_missing(m(|r| ra(r).registration_address_city = None), bad("registration_address.registration_address_city", Required))]
#[case::address_city_1_char(m(|r| ra(r).registration_address_city = Some("Å".into())), CLEAN)]
#[case::address_city_101_chars(m(|r| ra(r).registration_address_city = Some(s(101))), CLEAN)]
#[case::address_city_over_cap(m(|r| ra(r).registration_address_city = Some(s(1001))), bad("registration_address.registration_address_city", TooLong))]
#[case::address_state_absent(m(|r| ra(r).registration_address_state = None), CLEAN)]
#[case::address_state_at_cap(m(|r| ra(r).registration_address_state = Some(s(1000))), CLEAN)]
#[case::address_state_over_cap(m(|r| ra(r).registration_address_state = Some(s(1001))), bad("registration_address.registration_address_state", TooLong))]
#[case::address_postcode_absent(m(|r| ra(r).registration_address_postcode = None), CLEAN)]
#[case::address_postcode_uk(m(|r| ra(r).registration_address_postcode = Some("EC4R 1BE".into())), CLEAN)]
#[case::address_postcode_21_chars(m(|r| ra(r).registration_address_postcode = Some("1".repeat(21))), CLEAN)]
#[case::address_postcode_symbol(m(|r| ra(r).registration_address_postcode = Some("518057#".into())), CLEAN)]
#[case::address_postcode_at_cap(m(|r| ra(r).registration_address_postcode = Some("1".repeat(1000))), CLEAN)]
#[case::address_postcode_over_cap(m(|r| ra(r).registration_address_postcode = Some("1".repeat(1001))), bad("registration_address.registration_address_postcode", TooLong))]
#[case::address_postcode_newline(m(|r| ra(r).registration_address_postcode = Some("5180\n57".into())), bad("registration_address.registration_address_postcode", InvalidCharacters))]
#[case::address_country_missing(m(|r| ra(r).registration_address_country_code = None), bad("registration_address.registration_address_country_code", Required))]
#[case::address_country_lowercase(m(|r| ra(r).registration_address_country_code = Some("cn".into())), bad("registration_address.registration_address_country_code", LowercaseCountry))]
// ----- account usage -----
#[case::operating_country_lowercase(m(|r| au(r).operating_country = Some("cn".into())), bad("account_usage.operating_country", LowercaseCountry))]
#[case::operating_country_unknown(m(|r| au(r).operating_country = Some("ZZ".into())), bad("account_usage.operating_country", InvalidCountry))]
#[case::description_1001_chars(m(|r| au(r).goods_service_description = Some(s(1001))), CLEAN)]
#[case::description_at_cap(m(|r| au(r).goods_service_description = Some(s(10_000))), CLEAN)]
#[case::description_over_cap(m(|r| au(r).goods_service_description = Some(s(10_001))), bad("account_usage.goods_service_description", TooLong))]
#[case::description_multiline(m(|r| au(r).goods_service_description = Some("Software.\nSupport.\tTraining.".into())), CLEAN)]
#[case::description_nul(m(|r| au(r).goods_service_description = Some("Software\u{0}".into())), bad("account_usage.goods_service_description", InvalidCharacters))]
#[case::industry_code_partner_family_format(m(|r| au(r).industry_category_code = Some("ICCV3_0006XX".into())), CLEAN)]
#[case::industry_code_nace(m(|r| au(r).industry_category_code = Some("J62.01".into())), CLEAN)]
#[case::industry_code_with_space(m(|r| au(r).industry_category_code = Some("57 34".into())), CLEAN)]
#[case::industry_code_33_chars(m(|r| au(r).industry_category_code = Some("1".repeat(33))), CLEAN)]
#[case::industry_code_at_cap(m(|r| au(r).industry_category_code = Some("1".repeat(1000))), CLEAN)]
#[case::industry_code_over_cap(m(|r| au(r).industry_category_code = Some("1".repeat(1001))), bad("account_usage.industry_category_code", TooLong))]
#[case::industry_code_with_newline(m(|r| au(r).industry_category_code = Some("ICCV3\n0006XX".into())), bad("account_usage.industry_category_code", InvalidCharacters))]
#[case::product_reference_other_label(m(|r| au(r).account_usage_product_reference = Some("E-Commerce".into())), CLEAN)]
#[case::product_reference_other_case(m(|r| au(r).account_usage_product_reference = Some("financial services".into())), CLEAN)]
#[case::product_reference_not_in_our_table(m(|r| au(r).account_usage_product_reference = Some("Crypto".into())), CLEAN)]
#[case::product_reference_over_cap(m(|r| au(r).account_usage_product_reference = Some(s(1001))), bad("account_usage.account_usage_product_reference", TooLong))]
// ----- currency -----
#[case::currency_eur(m(|r| au(r).estimated_monthly_revenue_currency = Some("EUR".into())), CLEAN)]
#[case::currency_hrk_withdrawn(m(|r| au(r).estimated_monthly_revenue_currency = Some("HRK".into())), bad("account_usage.estimated_monthly_revenue_currency", WithdrawnCurrency))]
#[case::currency_sll_withdrawn(m(|r| au(r).estimated_monthly_revenue_currency = Some("SLL".into())), bad("account_usage.estimated_monthly_revenue_currency", WithdrawnCurrency))]
#[case::currency_sle_current(m(|r| au(r).estimated_monthly_revenue_currency = Some("SLE".into())), CLEAN)]
#[case::currency_dem_withdrawn(m(|r| au(r).estimated_monthly_revenue_currency = Some("DEM".into())), bad("account_usage.estimated_monthly_revenue_currency", WithdrawnCurrency))]
#[case::currency_vef_withdrawn(m(|r| au(r).estimated_monthly_revenue_currency = Some("VEF".into())), bad("account_usage.estimated_monthly_revenue_currency", WithdrawnCurrency))]
#[case::currency_mro_withdrawn(m(|r| au(r).estimated_monthly_revenue_currency = Some("MRO".into())), bad("account_usage.estimated_monthly_revenue_currency", WithdrawnCurrency))]
#[case::currency_std_withdrawn(m(|r| au(r).estimated_monthly_revenue_currency = Some("STD".into())), bad("account_usage.estimated_monthly_revenue_currency", WithdrawnCurrency))]
#[case::currency_xau_metal(m(|r| au(r).estimated_monthly_revenue_currency = Some("XAU".into())), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::currency_xxx_none(m(|r| au(r).estimated_monthly_revenue_currency = Some("XXX".into())), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::currency_xts_testing(m(|r| au(r).estimated_monthly_revenue_currency = Some("XTS".into())), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::currency_xdr_unit(m(|r| au(r).estimated_monthly_revenue_currency = Some("XDR".into())), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::currency_che_fund(m(|r| au(r).estimated_monthly_revenue_currency = Some("CHE".into())), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::currency_xof_real(m(|r| { au(r).estimated_monthly_revenue_currency = Some("XOF".into()); au(r).estimated_monthly_revenue_amount = amount("1250"); }), CLEAN)]
#[case::currency_lowercase(m(|r| au(r).estimated_monthly_revenue_currency = Some("usd".into())), bad("account_usage.estimated_monthly_revenue_currency", LowercaseCurrency))]
#[case::currency_unknown(m(|r| au(r).estimated_monthly_revenue_currency = Some("QQQ".into())), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::currency_two_letters(m(|r| au(r).estimated_monthly_revenue_currency = Some("US".into())), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::currency_without_amount(m(|r| au(r).estimated_monthly_revenue_amount = None), bad("account_usage.estimated_monthly_revenue_amount", Required))]
// ----- amount -----
#[case::amount_0(m(|r| au(r).estimated_monthly_revenue_amount = amount("0")), CLEAN)]
#[case::amount_0_01(m(|r| au(r).estimated_monthly_revenue_amount = amount("0.01")), CLEAN)]
#[case::amount_minus_0_01(m(|r| au(r).estimated_monthly_revenue_amount = amount("-0.01")), bad("account_usage.estimated_monthly_revenue_amount", Negative))]
#[case::amount_negative(m(|r| au(r).estimated_monthly_revenue_amount = amount("-5")), bad("account_usage.estimated_monthly_revenue_amount", Negative))]
#[case::amount_2_decimals(m(|r| au(r).estimated_monthly_revenue_amount = amount("99.99")), CLEAN)]
#[case::amount_3_decimals(m(|r| au(r).estimated_monthly_revenue_amount = amount("99.999")), bad("account_usage.estimated_monthly_revenue_amount", TooManyDecimals))]
#[case::amount_trailing_zero(m(|r| au(r).estimated_monthly_revenue_amount = amount("10.500")), CLEAN)]
#[case::amount_3_significant_decimals(m(|r| au(r).estimated_monthly_revenue_amount = amount("10.005")), bad("account_usage.estimated_monthly_revenue_amount", TooManyDecimals))]
#[case::amount_kwd_3_decimals(m(|r| { au(r).estimated_monthly_revenue_currency = Some("KWD".into()); au(r).estimated_monthly_revenue_amount = amount("10.005"); }), CLEAN)]
#[case::amount_kwd_4_decimals(m(|r| { au(r).estimated_monthly_revenue_currency = Some("KWD".into()); au(r).estimated_monthly_revenue_amount = amount("10.0005"); }), bad("account_usage.estimated_monthly_revenue_amount", TooManyDecimals))]
#[case::amount_jpy_whole(m(|r| { au(r).estimated_monthly_revenue_currency = Some("JPY".into()); au(r).estimated_monthly_revenue_amount = amount("1250"); }), CLEAN)]
#[case::amount_jpy_1_decimal(m(|r| { au(r).estimated_monthly_revenue_currency = Some("JPY".into()); au(r).estimated_monthly_revenue_amount = amount("1250.5"); }), bad("account_usage.estimated_monthly_revenue_amount", TooManyDecimals))]
#[case::amount_decimals_unchecked_for_an_unknown_currency(m(|r| { au(r).estimated_monthly_revenue_currency = Some("QQQ".into()); au(r).estimated_monthly_revenue_amount = amount("10.00005"); }), bad("account_usage.estimated_monthly_revenue_currency", InvalidCurrency))]
#[case::amount_below_ceiling(m(|r| au(r).estimated_monthly_revenue_amount = amount("999999999999999.99")), CLEAN)]
#[case::amount_at_ceiling(m(|r| au(r).estimated_monthly_revenue_amount = amount("1000000000000000")), bad("account_usage.estimated_monthly_revenue_amount", TooLarge))]
#[case::amount_without_currency(m(|r| au(r).estimated_monthly_revenue_currency = None), bad("account_usage.estimated_monthly_revenue_currency", Required))]
#[case::amount_and_currency_absent(m(|r| { au(r).estimated_monthly_revenue_currency = None; au(r).estimated_monthly_revenue_amount = None; }), CLEAN)]
// ----- phone -----
#[case::phone_seed_example(m(|r| pc(r).contact_phone = Some("+8613800138000".into())), CLEAN)]
#[case::phone_us(m(|r| pc(r).contact_phone = Some("+12015550123".into())), CLEAN)]
#[case::phone_absent(m(|r| pc(r).contact_phone = None), CLEAN)]
#[case::phone_without_plus(m(|r| pc(r).contact_phone = Some("8613800138000".into())), bad("primary_contact.contact_phone", InvalidPhone))]
#[case::phone_with_spaces(m(|r| pc(r).contact_phone = Some("+86 138 0013 8000".into())), bad("primary_contact.contact_phone", InvalidPhone))]
#[case::phone_with_dashes(m(|r| pc(r).contact_phone = Some("+86-138-0013-8000".into())), bad("primary_contact.contact_phone", InvalidPhone))]
#[case::phone_16_digits(m(|r| pc(r).contact_phone = Some("+8613800138000123".into())), bad("primary_contact.contact_phone", InvalidPhone))]
#[case::phone_too_short_for_country(m(|r| pc(r).contact_phone = Some("+1201555012".into())), bad("primary_contact.contact_phone", InvalidPhone))]
#[case::phone_trunk_zero_left_in(m(|r| pc(r).contact_phone = Some("+4407400123456".into())), bad("primary_contact.contact_phone", InvalidPhone))]
#[case::phone_unassigned_country_code(m(|r| pc(r).contact_phone = Some("+999123456789".into())), bad("primary_contact.contact_phone", InvalidPhone))]
// ----- email -----
#[case::email_plain(m(|r| pc(r).contact_email = Some("first.last+kyb@mail.example.co.uk".into())), CLEAN)]
#[case::email_display_name(m(|r| pc(r).contact_email = Some("Ann <a@b.com>".into())), bad("primary_contact.contact_email", InvalidEmail))]
#[case::email_seed_example(m(|r| pc(r).contact_email = Some("service@gemini.com".into())), CLEAN)]
#[case::email_no_dot_in_domain(m(|r| pc(r).contact_email = Some("a@localhost".into())), CLEAN)]
#[case::email_ip_literal(m(|r| pc(r).contact_email = Some("a@[127.0.0.1]".into())), CLEAN)]
#[case::email_local_part_64(m(|r| pc(r).contact_email = Some(format!("{}@example.com", "a".repeat(64)))), CLEAN)]
#[case::email_local_part_65(m(|r| pc(r).contact_email = Some(format!("{}@example.com", "a".repeat(65)))), bad("primary_contact.contact_email", InvalidEmail))]
#[case::email_254_chars(m(|r| pc(r).contact_email = Some(format!("a@{}.{}.{}.{}.com", "b".repeat(63), "c".repeat(63), "d".repeat(63), "e".repeat(56)))), CLEAN)]
#[case::email_255_chars(m(|r| pc(r).contact_email = Some(format!("a@{}.{}.{}.{}.com", "b".repeat(63), "c".repeat(63), "d".repeat(63), "e".repeat(57)))), bad("primary_contact.contact_email", InvalidEmail))]
#[case::email_no_at(m(|r| pc(r).contact_email = Some("service.gemini.com".into())), bad("primary_contact.contact_email", InvalidEmail))]
#[case::email_padded(m(|r| pc(r).contact_email = Some(" service@gemini.com".into())), bad("primary_contact.contact_email", InvalidEmail))]
// ----- person list -----
#[case::persons_empty(m(|r| people(r).clear()), bad("business_person_list", MissingRepresentative))]
#[case::persons_no_representative(m(|r| { people(r).remove(0); }), bad("business_person_list", MissingRepresentative))]
#[case::persons_legal_representative(m(|r| bi(r, 0).role_type = Some("Legal Representative".into())), CLEAN)]
#[case::persons_role_other_case_still_represents(m(|r| bi(r, 0).role_type = Some("director".into())), CLEAN)]
#[case::persons_role_not_in_our_table(m(|r| bi(r, 1).role_type = Some("Boss".into())), CLEAN)]
#[case::persons_role_over_cap(m(|r| bi(r, 1).role_type = Some(s(1001))), bad("business_person_list[1].basic_info.role_type", TooLong))]
#[case::persons_role_missing(m(|r| bi(r, 1).role_type = None), bad("business_person_list[1].basic_info.role_type", Required))]
#[case::persons_four(m(|r| { people(r).push(person("Beneficial Owner", "X1234567")); people(r).push(person("Authorized Signatory", "X7654321")); }), CLEAN)]
#[case::persons_same_id_twice(m(|r| id(r, 1).id_number = Some("440300198001011234".into())), bad("business_person_list[1].identification.id_number", DuplicatePerson))]
#[case::person_basic_info_missing(m(|r| p(r, 1).basic_info = None), bad("business_person_list[1].basic_info", Required))]
#[case::person_identification_missing(m(|r| p(r, 1).identification = None), bad("business_person_list[1].identification", Required))]
#[case::person_residential_address_absent(m(|r| p(r, 1).residential_address = None), CLEAN)]
// ----- person names -----
#[case::first_name_missing(m(|r| bi(r, 1).first_name_english = None), bad("business_person_list[1].basic_info.first_name_english", Required))]
#[case::first_name_1_char(m(|r| bi(r, 0).first_name_english = Some("J".into())), CLEAN)]
#[case::first_name_129_chars(m(|r| bi(r, 0).first_name_english = Some(s(129))), CLEAN)]
#[case::first_name_at_cap(m(|r| bi(r, 0).first_name_english = Some(s(1000))), CLEAN)]
#[case::first_name_over_cap(m(|r| bi(r, 0).first_name_english = Some(s(1001))), bad("business_person_list[0].basic_info.first_name_english", TooLong))]
#[case::last_name_missing(m(|r| bi(r, 0).last_name_english = Some("  ".into())), bad("business_person_list[0].basic_info.last_name_english", Required))]
#[case::last_name_over_cap(m(|r| bi(r, 0).last_name_english = Some(s(1001))), bad("business_person_list[0].basic_info.last_name_english", TooLong))]
#[case::local_first_name_absent(m(|r| bi(r, 0).first_name = None), CLEAN)]
#[case::local_last_name_1_char(m(|r| bi(r, 0).last_name = Some("王".into())), CLEAN)]
#[case::local_last_name_1_char_korean(m(|r| bi(r, 0).last_name = Some("김".into())), CLEAN)]
#[case::local_first_name_1_char(m(|r| bi(r, 0).first_name = Some("娜".into())), CLEAN)]
#[case::local_last_name_at_cap(m(|r| bi(r, 0).last_name = Some("王".repeat(1000))), CLEAN)]
#[case::local_first_name_over_cap(m(|r| bi(r, 0).first_name = Some("娜".repeat(1001))), bad("business_person_list[0].basic_info.first_name", TooLong))]
// ----- birth date and age -----
#[case::birth_missing(m(|r| bi(r, 0).birth_date = None), bad("business_person_list[0].basic_info.birth_date", Required))]
#[case::age_18_today(m(|r| bi(r, 0).birth_date = Some(born(18, 0))), CLEAN)]
#[case::age_18_tomorrow(m(|r| bi(r, 0).birth_date = Some(born(18, 1))), bad("business_person_list[0].basic_info.birth_date", TooYoung))]
#[case::age_120(m(|r| bi(r, 0).birth_date = Some(born(120, 0))), CLEAN)]
#[case::age_121_tomorrow(m(|r| bi(r, 0).birth_date = Some(born(121, 1))), CLEAN)]
#[case::age_121_today(m(|r| bi(r, 0).birth_date = Some(born(121, 0))), bad("business_person_list[0].basic_info.birth_date", TooOld))]
#[case::birth_today(m(|r| bi(r, 0).birth_date = Some(rel(0))), bad("business_person_list[0].basic_info.birth_date", TooYoung))]
#[case::birth_tomorrow(m(|r| bi(r, 0).birth_date = Some(rel(1))), bad("business_person_list[0].basic_info.birth_date", InFuture))]
// ----- nationality and residential address -----
#[case::nationality_missing(m(|r| bi(r, 1).nationality = None), bad("business_person_list[1].basic_info.nationality", Required))]
#[case::nationality_lowercase(m(|r| bi(r, 1).nationality = Some("cn".into())), bad("business_person_list[1].basic_info.nationality", LowercaseCountry))]
#[case::home_line1_missing(m(|r| home(r, 1).residential_address_line1 = None), bad("business_person_list[1].residential_address.residential_address_line1", Required))]
#[case::home_country_unknown(m(|r| home(r, 1).residential_address_country_code = Some("QQ".into())), bad("business_person_list[1].residential_address.residential_address_country_code", InvalidCountry))]
#[case::home_postcode_absent(m(|r| home(r, 1).residential_address_postcode = None), CLEAN)]
// ----- identification -----
#[case::id_type_missing(m(|r| id(r, 0).id_type = None), bad("business_person_list[0].identification.id_type", Required))]
#[case::id_type_passport(m(|r| id(r, 0).id_type = Some("Passport".into())), CLEAN)]
#[case::id_type_other_case(m(|r| id(r, 0).id_type = Some("national id".into())), CLEAN)]
#[case::id_type_not_in_our_table(m(|r| id(r, 0).id_type = Some("Social Security Card".into())), CLEAN)]
#[case::id_number_missing(m(|r| id(r, 0).id_number = None), bad("business_person_list[0].identification.id_number", Required))]
#[case::id_number_1_char(m(|r| id(r, 0).id_number = Some("7".into())), CLEAN)]
#[case::id_number_at_cap(m(|r| id(r, 0).id_number = Some(s(1000))), CLEAN)]
#[case::id_number_over_cap(m(|r| id(r, 0).id_number = Some(s(1001))), bad("business_person_list[0].identification.id_number", TooLong))]
#[case::id_country_missing(m(|r| id(r, 0).id_issuing_country_code = None), bad("business_person_list[0].identification.id_issuing_country_code", Required))]
#[case::id_country_lowercase(m(|r| id(r, 0).id_issuing_country_code = Some("us".into())), bad("business_person_list[0].identification.id_issuing_country_code", LowercaseCountry))]
#[case::id_expires_today(m(|r| id(r, 1).id_expiration_date = Some(rel_at(0, 0, 0, 0))), CLEAN)]
#[case::id_expired_yesterday(m(|r| id(r, 1).id_expiration_date = Some(rel_at(-1, 23, 59, 59))), bad("business_person_list[1].identification.id_expiration_date", Expired))]
#[case::id_issued_today(m(|r| id(r, 1).id_issue_date = Some(rel_at(0, 23, 59, 59))), CLEAN)]
#[case::id_issued_tomorrow(m(|r| id(r, 1).id_issue_date = Some(rel_at(1, 0, 0, 0))), bad("business_person_list[1].identification.id_issue_date", InFuture))]
#[case::id_issue_same_day_as_expiry(m(|r| { id(r, 1).id_issue_date = Some(rel(0)); id(r, 1).id_expiration_date = Some(rel(0)); }), bad("business_person_list[1].identification.id_expiration_date", DateOrder))]
#[case::id_issue_day_before_expiry(m(|r| { id(r, 1).id_issue_date = Some(rel(0)); id(r, 1).id_expiration_date = Some(rel(1)); }), CLEAN)]
#[case::id_dates_absent(m(|r| { id(r, 1).id_issue_date = None; id(r, 1).id_expiration_date = None; }), CLEAN)]
#[case::id_front_with_space(m(|r| id(r, 0).id_document_front_file_id = Some("file front".into())), CLEAN)]
#[case::id_front_at_cap(m(|r| id(r, 0).id_document_front_file_id = Some(s(1000))), CLEAN)]
#[case::id_front_over_cap(m(|r| id(r, 0).id_document_front_file_id = Some(s(1001))), bad("business_person_list[0].identification.id_document_front_file_id", TooLong))]
#[case::id_back_absent(m(|r| id(r, 0).id_document_back_file_id = None), CLEAN)]
#[case::id_back_same_as_front(m(|r| id(r, 0).id_document_back_file_id = id(r, 0).id_document_front_file_id.clone()), bad("business_person_list[0].identification.id_document_back_file_id", DuplicateDocument))]
fn update_rule(#[case] mutate: fn(&mut R), #[case] expected: Expected) {
    let mut record = base();
    mutate(&mut record);
    let issues = validate_update(&record, &ctx());
    let got = brief(&issues);
    match expected {
        None => assert!(issues.is_empty(), "expected no issue, got {issues:#?}"),
        Some((path, code)) => assert_eq!(got, vec![(path.to_owned(), code)], "all issues: {issues:#?}"),
    }
    for issue in &issues {
        assert!(!issue.message.is_empty() && issue.message.len() < 400, "{issue:?}");
    }
}

/// Create bodies: the same rules for the sections plus `partner_customer_id`.
#[rstest]
#[case::partner_id_valid(Some("cust-0001"), CLEAN)]
#[case::partner_id_all_allowed_characters(Some("A.b_C-9"), CLEAN)]
#[case::partner_id_missing(None, bad("partner_customer_id", Required))]
#[case::partner_id_empty(Some(""), bad("partner_customer_id", Required))]
#[case::partner_id_1_char(Some("x"), CLEAN)]
#[case::partner_id_65_chars(Some("a123456789b123456789c123456789d123456789e123456789f123456789g1234"), CLEAN)]
#[case::partner_id_at_cap(Some(&*"p".repeat(1000)), CLEAN)]
#[case::partner_id_over_cap(Some(&*"p".repeat(1001)), bad("partner_customer_id", TooLong))]
#[case::partner_id_space(Some("cust 1"), CLEAN)]
#[case::partner_id_slash(Some("cust/1"), CLEAN)]
#[case::partner_id_non_ascii(Some("küst"), CLEAN)]
#[case::partner_id_newline(Some("cust\n1"), bad("partner_customer_id", InvalidCharacters))]
fn create_rule(#[case] partner_id: Option<&str>, #[case] expected: Expected) {
    let mut body = CreateCustomerRequest::from_sections(partner_id.map(str::to_owned), base());
    let issues = validate_create(&body, &ctx());
    match expected {
        None => assert!(issues.is_empty(), "expected no issue, got {issues:#?}"),
        Some((path, code)) => assert_eq!(brief(&issues), vec![(path.to_owned(), code)], "all issues: {issues:#?}"),
    }
    // The section rules apply to create bodies too.
    body.registration_address = None;
    let issues = validate_create(&body, &ctx());
    assert!(brief(&issues).contains(&("registration_address".to_owned(), Required)));
}

#[test]
fn every_sample_create_body_is_valid() {
    for seed in 0..300 {
        let body = samples::valid_create(seed, today());
        assert_eq!(validate_create(&body, &ctx()), vec![], "seed {seed}");
    }
}

#[test]
fn all_empty_update_reports_both_required_sections_at_once() {
    let issues = validate_update(&R::default(), &ctx());
    assert_eq!(
        brief(&issues),
        vec![
            ("business_details".to_owned(), Required),
            ("registration_address".to_owned(), Required)
        ]
    );
}

#[test]
fn empty_sections_report_every_required_field_at_once() {
    let record = R {
        business_details: Some(BusinessDetails::default()),
        registration_address: Some(RegistrationAddress::default()),
        account_usage: Some(AccountUsage::default()),
        primary_contact: Some(PrimaryContact::default()),
        business_person_list: Some(vec![
            BusinessPerson::default(),
            BusinessPerson {
                basic_info: Some(BasicInfo::default()),
                residential_address: Some(ResidentialAddress::default()),
                identification: Some(Identification::default()),
            },
        ]),
    };
    let mut got = brief(&validate_update(&record, &ctx()));
    got.sort();
    let mut expected: Vec<(String, IssueCode)> = [
        "business_details.business_name_english",
        "business_details.business_type",
        "business_details.business_identifier_type",
        "business_details.business_identifier_number",
        "business_details.business_identifier_country_code",
        "registration_address.registration_address_line1",
        "registration_address.registration_address_city",
        "registration_address.registration_address_country_code",
        "business_person_list[0].basic_info",
        "business_person_list[0].identification",
        "business_person_list[1].basic_info.first_name_english",
        "business_person_list[1].basic_info.last_name_english",
        "business_person_list[1].basic_info.birth_date",
        "business_person_list[1].basic_info.nationality",
        "business_person_list[1].basic_info.role_type",
        "business_person_list[1].residential_address.residential_address_line1",
        "business_person_list[1].residential_address.residential_address_city",
        "business_person_list[1].residential_address.residential_address_country_code",
        "business_person_list[1].identification.id_type",
        "business_person_list[1].identification.id_number",
        "business_person_list[1].identification.id_issuing_country_code",
    ]
    .into_iter()
    .map(|path| (path.to_owned(), Required))
    .chain([("business_person_list".to_owned(), MissingRepresentative)])
    .collect();
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn empty_create_also_requires_the_partner_customer_id() {
    let issues = validate_create(&CreateCustomerRequest::default(), &ctx());
    assert_eq!(
        brief(&issues),
        vec![
            ("partner_customer_id".to_owned(), Required),
            ("business_details".to_owned(), Required),
            ("registration_address".to_owned(), Required),
        ]
    );
}

#[test]
fn many_problems_are_all_reported_together() {
    let mut record = base();
    bd(&mut record).website = Some("http://user:pw@www.example.com".into());
    au(&mut record).estimated_monthly_revenue_amount = amount("-0.001");
    id(&mut record, 1).id_expiration_date = Some(rel(-3000));
    let got = brief(&validate_update(&record, &ctx()));
    assert_eq!(
        got,
        vec![
            ("business_details.website".to_owned(), NotHttps),
            ("business_details.website".to_owned(), CredentialsInUrl),
            ("account_usage.estimated_monthly_revenue_amount".to_owned(), Negative),
            (
                "account_usage.estimated_monthly_revenue_amount".to_owned(),
                TooManyDecimals
            ),
            (
                "business_person_list[1].identification.id_expiration_date".to_owned(),
                DateOrder
            ),
            (
                "business_person_list[1].identification.id_expiration_date".to_owned(),
                Expired
            ),
        ]
    );
}

#[test]
fn messages_name_the_field_and_say_what_is_expected() {
    let mut record = base();
    id(&mut record, 0).id_expiration_date = Some(
        NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc(),
    );
    id(&mut record, 0).id_issue_date = None;
    bi(&mut record, 1).role_type = Some("director".into());
    bd(&mut record).business_identifier_country_code = Some("us".into());
    au(&mut record).estimated_monthly_revenue_currency = Some("HRK".into());
    let issues = validate_update(&record, &ctx());
    let message = |path: &str| {
        issues
            .iter()
            .find(|i| i.path == path)
            .map(|i| i.message.clone())
            .unwrap()
    };
    assert_eq!(
        message("business_person_list[0].identification.id_expiration_date"),
        "KYB Desk policy: Person 1's ID expired on 2024-03-01; upload a current ID."
    );
    assert!(message("business_details.business_identifier_country_code").contains("use \"US\""));
    assert!(message("account_usage.estimated_monthly_revenue_currency").contains("use \"EUR\""));
}

#[test]
fn leap_day_birthdays_come_of_age_on_the_first_of_march() {
    let mut record = base();
    bi(&mut record, 0).birth_date = Some(
        NaiveDate::from_ymd_opt(2008, 2, 29)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc(),
    );
    let on = |y, m, d| ValidationContext::on(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    let codes = |ctx: ValidationContext| brief(&validate_update(&record, &ctx));
    assert_eq!(
        codes(on(2026, 2, 28)),
        vec![("business_person_list[0].basic_info.birth_date".to_owned(), TooYoung)]
    );
    assert_eq!(codes(on(2026, 3, 1)), vec![]);
}

/// Labels and paths are built only when an issue is reported; their text must not change.
#[test]
fn person_address_and_document_labels_render_exactly() {
    let mut record = base();
    bi(&mut record, 1).first_name_english = None;
    bi(&mut record, 1).nationality = Some(" ".into());
    bi(&mut record, 1).last_name = Some("a\u{7}b".into());
    home(&mut record, 1).residential_address_line1 = None;
    home(&mut record, 1).residential_address_postcode = Some("12\u{7}4".into());
    id(&mut record, 1).id_type = None;
    id(&mut record, 1).id_issue_date = Some(rel(10));
    id(&mut record, 1).id_document_front_file_id = Some("file_same".into());
    id(&mut record, 1).id_document_back_file_id = Some("file_same".into());
    let docs = docs(&mut record);
    docs.push(docs[0].clone());
    let issues = validate_update(&record, &ctx());
    let message = |path: &str| {
        issues
            .iter()
            .find(|i| i.path == path)
            .map(|i| i.message.clone())
            .unwrap_or_else(|| panic!("no issue at {path}: {issues:?}"))
    };
    let p = "business_person_list[1]";
    assert_eq!(message(&format!("{p}.basic_info.first_name_english")), "KYB Desk policy: Person 2 first name (English) is required.");
    assert_eq!(message(&format!("{p}.basic_info.nationality")), "KYB Desk policy: Person 2 nationality is required.");
    assert_eq!(
        message(&format!("{p}.basic_info.last_name")),
        "KYB Desk policy: Person 2 last name (local script) contains the control character U+0007; use plain text on one line."
    );
    assert_eq!(
        message(&format!("{p}.residential_address.residential_address_line1")),
        "KYB Desk policy: Person 2 home address line 1 is required."
    );
    assert_eq!(
        message(&format!("{p}.residential_address.residential_address_postcode")),
        "KYB Desk policy: Person 2 home address postcode contains the control character U+0007; use plain text on one line."
    );
    assert_eq!(message(&format!("{p}.identification.id_type")), "KYB Desk policy: Person 2 ID type is required.");
    assert!(message(&format!("{p}.identification.id_issue_date")).starts_with("Person 2 ID issue date "));
    assert_eq!(
        message(&format!("{p}.identification.id_document_back_file_id")),
        "KYB Desk policy: Person 2 ID back image is the same file as the front; upload the back side separately."
    );
    let last = record.business_details.as_ref().unwrap().business_identifier_document_list.as_ref().unwrap().len();
    assert!(message(&format!("business_details.business_identifier_document_list[{}]", last - 1))
        .starts_with(&format!("KYB Desk policy: Business document {last} repeats file ID")));
}
