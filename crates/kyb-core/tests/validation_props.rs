//! Property tests: validation never panics, and every sample is valid and survives JSON.

use chrono::{DateTime, Days, NaiveDate, Utc};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use rust_decimal::Decimal;

use kyb_core::model::{
    parse_lenient, parse_strict, AccountUsage, BasicInfo, BusinessDetails, BusinessPerson, CreateCustomerRequest,
    Customer, Identification, PrimaryContact, RegistrationAddress, ResidentialAddress, UpdateCustomerRequest,
};
use kyb_core::samples;
use kyb_core::validation::{tables, validate_create, validate_update, ValidationContext};

// ---------- values ----------

/// Values the rules treat specially, so generated records reach the deep branches.
const INTERESTING: &[&str] = &[
    "US",
    "us",
    "USA",
    "XX",
    "CN",
    "USD",
    "usd",
    "HRK",
    "XAU",
    "EUR",
    "+8613800138000",
    "+1",
    "+",
    "8613800138000",
    "service@gemini.com",
    "Ann <a@b.com>",
    "a@localhost",
    "https://www.example.com",
    "http://a.b",
    "https://u:p@a.b",
    "https://",
    "file_a",
    "file a",
    " ",
    "\u{0}",
    "\u{2028}",
    "Director",
    "director",
    "Legal Representative",
    "National ID",
    "Passport",
    "Limited Liability Company",
    "Business Registration",
    "Financial Services",
    "王",
    "🦀🦀",
    "\u{301}\u{301}",
    "e\u{301}",
    "ß",
    "İ",
    "\u{FEFF}",
    "\u{10FFFF}",
];

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        2 => prop::sample::select(INTERESTING).prop_map(str::to_owned),
        1 => "[ -~]{0,300}",
        1 => "\\PC{0,260}",
        1 => (0usize..1500, prop::sample::select(&["a", "é", "北", "🦀", " ", "\n"][..])).prop_map(|(n, c)| c.repeat(n)),
        1 => prop::sample::select(tables::ROLE_TYPES).prop_map(str::to_owned),
        1 => prop::sample::select(tables::ID_TYPES).prop_map(str::to_owned),
    ].boxed()
}

fn opt_text() -> BoxedStrategy<Option<String>> {
    option::of(text()).boxed()
}

fn decimal() -> BoxedStrategy<Decimal> {
    prop_oneof![
        (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale)),
        prop::sample::select(
            &[
                Decimal::MAX,
                Decimal::MIN,
                Decimal::ZERO,
                Decimal::ONE,
                Decimal::NEGATIVE_ONE
            ][..]
        ),
        (-1_000_000i64..1_000_000, 0u32..5).prop_map(|(m, s)| Decimal::new(m, s)),
    ]
    .boxed()
}

fn datetime() -> BoxedStrategy<DateTime<Utc>> {
    prop_oneof![
        (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp())
            .prop_filter_map("outside chrono's range", |secs| DateTime::from_timestamp(secs, 0)),
        prop::sample::select(
            &[
                DateTime::<Utc>::MIN_UTC,
                DateTime::<Utc>::MAX_UTC,
                DateTime::<Utc>::UNIX_EPOCH
            ][..]
        ),
        // Around 2026, where the age and expiry edges are.
        (1_600_000_000i64..1_900_000_000).prop_filter_map("", |secs| DateTime::from_timestamp(secs, 0)),
    ]
    .boxed()
}

fn any_date() -> BoxedStrategy<NaiveDate> {
    prop_oneof![
        (NaiveDate::MIN.to_epoch_days()..=NaiveDate::MAX.to_epoch_days())
            .prop_filter_map("", NaiveDate::from_epoch_days),
        prop::sample::select(&[NaiveDate::MIN, NaiveDate::MAX][..]),
        (18_000i32..22_000).prop_filter_map("", NaiveDate::from_epoch_days),
    ]
    .boxed()
}

// ---------- records ----------

fn business_details() -> BoxedStrategy<BusinessDetails> {
    (
        (opt_text(), opt_text(), opt_text(), opt_text(), opt_text(), opt_text()),
        option::of(vec(text(), 0..14)),
        opt_text(),
        option::of(datetime()),
        option::of(datetime()),
    )
        .prop_map(
            |((name, kind, website, id_type, id_number, country), documents, local, start, expiry)| BusinessDetails {
                business_name_english: name,
                business_type: kind,
                website,
                business_identifier_type: id_type,
                business_identifier_number: id_number,
                business_identifier_country_code: country,
                business_identifier_document_list: documents,
                business_name: local,
                business_identifier_start_date: start,
                business_identifier_expiry_date: expiry,
            },
        )
        .boxed()
}

fn registration_address() -> BoxedStrategy<RegistrationAddress> {
    (opt_text(), opt_text(), opt_text(), opt_text(), opt_text())
        .prop_map(|(line1, city, state, postcode, country)| RegistrationAddress {
            registration_address_line1: line1,
            registration_address_city: city,
            registration_address_state: state,
            registration_address_postcode: postcode,
            registration_address_country_code: country,
        })
        .boxed()
}

fn account_usage() -> BoxedStrategy<AccountUsage> {
    (
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        option::of(decimal()),
    )
        .prop_map(
            |(country, description, industry, product, currency, amount)| AccountUsage {
                operating_country: country,
                goods_service_description: description,
                industry_category_code: industry,
                account_usage_product_reference: product,
                estimated_monthly_revenue_currency: currency,
                estimated_monthly_revenue_amount: amount,
            },
        )
        .boxed()
}

fn phone() -> BoxedStrategy<String> {
    prop_oneof![text(), "\\+[1-9][0-9]{0,14}", "\\+[0-9]{0,20}", "[+0-9 ()#:x-]{0,24}"].boxed()
}

fn primary_contact() -> BoxedStrategy<PrimaryContact> {
    (option::of(phone()), opt_text())
        .prop_map(|(phone, email)| PrimaryContact {
            contact_phone: phone,
            contact_email: email,
        })
        .boxed()
}

fn person() -> BoxedStrategy<BusinessPerson> {
    let basic = (
        opt_text(),
        opt_text(),
        option::of(datetime()),
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
    )
        .prop_map(|(first_en, last_en, birth, nationality, role, first, last)| BasicInfo {
            first_name_english: first_en,
            last_name_english: last_en,
            birth_date: birth,
            nationality,
            role_type: role,
            first_name: first,
            last_name: last,
        });
    let home = (opt_text(), opt_text(), opt_text(), opt_text(), opt_text()).prop_map(
        |(line1, city, postcode, country, state)| ResidentialAddress {
            residential_address_line1: line1,
            residential_address_city: city,
            residential_address_postcode: postcode,
            residential_address_country_code: country,
            residential_address_state: state,
        },
    );
    let identification = (
        opt_text(),
        opt_text(),
        opt_text(),
        option::of(datetime()),
        option::of(datetime()),
        opt_text(),
        opt_text(),
    )
        .prop_map(|(kind, number, country, expiry, issue, front, back)| Identification {
            id_type: kind,
            id_number: number,
            id_issuing_country_code: country,
            id_expiration_date: expiry,
            id_issue_date: issue,
            id_document_front_file_id: front,
            id_document_back_file_id: back,
        });
    (option::of(basic), option::of(home), option::of(identification))
        .prop_map(|(basic_info, residential_address, identification)| BusinessPerson {
            basic_info,
            residential_address,
            identification,
        })
        .boxed()
}

fn update_request() -> BoxedStrategy<UpdateCustomerRequest> {
    (
        option::of(business_details()),
        option::of(registration_address()),
        option::of(account_usage()),
        option::of(primary_contact()),
        option::of(vec(person(), 0..6)),
    )
        .prop_map(
            |(business_details, registration_address, account_usage, primary_contact, business_person_list)| {
                UpdateCustomerRequest {
                    business_details,
                    registration_address,
                    account_usage,
                    primary_contact,
                    business_person_list,
                }
            },
        )
        .boxed()
}

// ---------- JSON text ----------

const FIELD_NAMES: &[&str] = &[
    "business_details",
    "registration_address",
    "account_usage",
    "primary_contact",
    "business_person_list",
    "partner_customer_id",
    "customer_id",
    "status",
    "created_at",
    "business_name_english",
    "business_type",
    "website",
    "business_identifier_type",
    "business_identifier_number",
    "business_identifier_country_code",
    "business_identifier_document_list",
    "business_name",
    "business_identifier_start_date",
    "business_identifier_expiry_date",
    "registration_address_line1",
    "registration_address_city",
    "registration_address_country_code",
    "operating_country",
    "estimated_monthly_revenue_currency",
    "estimated_monthly_revenue_amount",
    "contact_phone",
    "contact_email",
    "basic_info",
    "identification",
    "residential_address",
    "birth_date",
    "role_type",
    "id_type",
    "id_number",
    "id_expiration_date",
    "id_issue_date",
];

/// JSON-shaped text: objects keyed mostly by real field names, with any kind of value.
fn json_text() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        "-?[0-9]{1,40}(\\.[0-9]{1,40})?([eE][+-]?[0-9]{1,4})?",
        text().prop_map(|s| serde_json::to_string(&s).unwrap()),
        datetime().prop_map(|d| format!("\"{}\"", d.to_rfc3339())),
        "\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})\"",
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(|items| format!("[{}]", items.join(","))),
            vec(
                (
                    prop_oneof![4 => prop::sample::select(FIELD_NAMES).prop_map(str::to_owned), 1 => text()],
                    inner
                ),
                0..8
            )
            .prop_map(|pairs| {
                let body: Vec<String> = pairs
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
    .boxed()
}

/// A sample's JSON with one character replaced or the text cut short: almost valid input.
fn damaged_sample_json() -> BoxedStrategy<String> {
    (any::<u64>(), any::<prop::sample::Index>(), any::<char>(), any::<bool>())
        .prop_map(|(seed, at, c, cut)| {
            let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
            let json = serde_json::to_string(&samples::valid_update(seed, today)).unwrap();
            let mut i = at.index(json.len());
            while !json.is_char_boundary(i) {
                i -= 1;
            }
            if cut {
                json[..i].to_owned()
            } else {
                let mut damaged = json[..i].to_owned();
                damaged.push(c);
                damaged.push_str(json[i..].get(1..).unwrap_or(""));
                damaged
            }
        })
        .boxed()
}

fn parse_and_validate_everything(json: &str, today: NaiveDate) {
    let ctx = ValidationContext::on(today);
    if let Ok(request) = parse_strict::<UpdateCustomerRequest>(json) {
        let _ = validate_update(&request, &ctx);
    }
    if let Ok(request) = parse_lenient::<UpdateCustomerRequest>(json) {
        let _ = validate_update(&request, &ctx);
    }
    if let Ok(request) = parse_strict::<CreateCustomerRequest>(json) {
        let _ = validate_create(&request, &ctx);
    }
    if let Ok(customer) = parse_lenient::<Customer>(json) {
        let _ = validate_update(&customer.sections(), &ctx);
    }
}

fn realistic_today() -> BoxedStrategy<NaiveDate> {
    // 1900-01-01 to 2300-12-31.
    (-25_567i32..=122_000)
        .prop_filter_map("", NaiveDate::from_epoch_days)
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(json in any::<String>(), today in any_date()) {
        parse_and_validate_everything(&json, today);
    }

    #[test]
    fn json_shaped_text_never_panics(json in json_text(), today in any_date()) {
        parse_and_validate_everything(&json, today);
    }

    #[test]
    fn damaged_samples_never_panic(json in damaged_sample_json(), today in any_date()) {
        parse_and_validate_everything(&json, today);
    }

    #[test]
    fn arbitrary_records_never_panic(
        request in update_request(),
        partner_id in opt_text(),
        today in any_date(),
    ) {
        let ctx = ValidationContext::on(today);
        let issues = validate_update(&request, &ctx);
        for issue in &issues {
            prop_assert!(!issue.message.is_empty());
            // Messages quote user text cut short, so they stay readable whatever the input.
            prop_assert!(issue.message.chars().count() < 600, "{}", issue.message);
        }
        let create = CreateCustomerRequest::from_sections(partner_id, request);
        let _ = validate_create(&create, &ctx);
    }

    #[test]
    fn every_sample_is_valid_and_round_trips(seed in any::<u64>(), today in realistic_today()) {
        let ctx = ValidationContext::on(today);
        let update = samples::valid_update(seed, today);
        prop_assert_eq!(validate_update(&update, &ctx), vec![]);
        let json = serde_json::to_string(&update).unwrap();
        let back: UpdateCustomerRequest = parse_strict(&json).unwrap();
        prop_assert_eq!(&back, &update);

        let create = samples::valid_create(seed, today);
        prop_assert_eq!(validate_create(&create, &ctx), vec![]);
        let json = serde_json::to_string(&create).unwrap();
        let back: CreateCustomerRequest = parse_strict(&json).unwrap();
        prop_assert_eq!(back, create);
    }

    #[test]
    fn samples_stay_valid_for_a_month(seed in any::<u64>(), days in 0u64..30) {
        // A sample made today is still valid a month later (what a demo dataset needs).
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let later = ValidationContext::on(today.checked_add_days(Days::new(days)).unwrap());
        prop_assert_eq!(validate_update(&samples::valid_update(seed, today), &later), vec![]);
    }
}
