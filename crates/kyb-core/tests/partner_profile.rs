//! The partner profile: every problem a file can have, reported with its JSON path (each rule
//! with its edge on both sides), and validation against a closed list.

use std::sync::Arc;

use chrono::NaiveDate;
use rstest::rstest;
use serde_json::{json, Value};

use kyb_core::partner_profile::{
    check_profile_json, check_profile_value, PartnerProfile, ProfileProblem,
};
use kyb_core::reference::reference_data_for;
use kyb_core::samples;
use kyb_core::validation::{validate_update, IssueCode, IssueSource, ValidationContext};

/// A valid profile: business types closed, roles open, a text bound.
fn acme() -> Value {
    json!({
        "format": "kyb-desk-partner-profile",
        "version": 1,
        "name": "ACME",
        "revision": 3,
        "enumerations": {
            "business_type": {"values": ["Limited Liability Company", "Corporation", "Driver's Club"], "closed": true},
            "role_type": {"values": ["Director", "Shareholder"], "representative_roles": ["Director"]}
        },
        "bounds": {"text_max": 140}
    })
}

/// `acme()` with the value at `pointer` (a JSON pointer) replaced, or removed when `None`.
fn with(pointer: &str, value: Option<Value>) -> Value {
    let mut doc = acme();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = doc.pointer_mut(parent).unwrap();
    match (parent, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(key.to_owned(), v);
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(items), Some(v)) => items[key.parse::<usize>().unwrap()] = v,
        (Value::Array(items), None) => {
            items.remove(key.parse::<usize>().unwrap());
        }
        _ => panic!("{pointer}"),
    }
    doc
}

fn problems(doc: &Value) -> Vec<ProfileProblem> {
    match check_profile_value(doc) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

#[test]
fn a_valid_profile_passes() {
    let profile = check_profile_value(&acme()).expect("valid");
    assert_eq!(profile.label(), "ACME v3");
    assert!(!profile.is_built_in());
    assert_eq!(
        profile.summary().closed_lists,
        vec!["business_type".to_owned()]
    );
}

#[rstest]
// format and version
#[case::format_wrong("/format", Some(json!("something-else")), Some("format"))]
#[case::format_missing("/format", None, Some("format"))]
#[case::version_known("/version", Some(json!(1)), None)]
#[case::version_unknown("/version", Some(json!(2)), Some("version"))]
#[case::version_text("/version", Some(json!("1")), Some("version"))]
// name
#[case::name_blank("/name", Some(json!("  ")), Some("name"))]
#[case::name_100("/name", Some(json!("n".repeat(100))), None)]
#[case::name_101("/name", Some(json!("n".repeat(101))), Some("name"))]
#[case::name_number("/name", Some(json!(7)), Some("name"))]
// revision
#[case::revision_1("/revision", Some(json!(1)), None)]
#[case::revision_0("/revision", Some(json!(0)), Some("revision"))]
#[case::revision_negative("/revision", Some(json!(-1)), Some("revision"))]
#[case::revision_fraction("/revision", Some(json!(1.5)), Some("revision"))]
// unknown keys, at every level
#[case::unknown_top("/colour", Some(json!("red")), Some("colour"))]
#[case::unknown_enumeration("/enumerations/nationality", Some(json!({"values": ["CN"]})), Some("enumerations.nationality"))]
#[case::unknown_list_key("/enumerations/business_type/sorted", Some(json!(true)), Some("enumerations.business_type.sorted"))]
#[case::unknown_bound("/bounds/name_max", Some(json!(10)), Some("bounds.name_max"))]
// wrong JSON types
#[case::enumerations_list("/enumerations", Some(json!([])), Some("enumerations"))]
#[case::closed_text("/enumerations/business_type/closed", Some(json!("yes")), Some("enumerations.business_type.closed"))]
#[case::values_text("/enumerations/business_type/values", Some(json!("Corporation")), Some("enumerations.business_type.values"))]
#[case::value_number("/enumerations/business_type/values/1", Some(json!(3)), Some("enumerations.business_type.values[1]"))]
// lists
#[case::values_missing(
    "/enumerations/business_type/values",
    None,
    Some("enumerations.business_type.values")
)]
#[case::values_one("/enumerations/business_type/values", Some(json!(["Trust"])), None)]
#[case::values_empty("/enumerations/business_type/values", Some(json!([])), Some("enumerations.business_type.values"))]
#[case::value_blank("/enumerations/business_type/values/1", Some(json!(" ")), Some("enumerations.business_type.values[1]"))]
#[case::value_padded("/enumerations/business_type/values/1", Some(json!(" Trust")), Some("enumerations.business_type.values[1]"))]
#[case::value_punctuation_only("/enumerations/business_type/values/1", Some(json!("--")), Some("enumerations.business_type.values[1]"))]
#[case::value_duplicate("/enumerations/business_type/values/1", Some(json!("Limited Liability Company")), Some("enumerations.business_type.values[1]"))]
#[case::value_near_duplicate("/enumerations/business_type/values/2", Some(json!("limited-liability company")), Some("enumerations.business_type.values[2]"))]
#[case::value_different_enough("/enumerations/business_type/values/2", Some(json!("Limited Liability Companies")), None)]
// representative roles
#[case::representatives_missing(
    "/enumerations/role_type/representative_roles",
    None,
    Some("enumerations.role_type.representative_roles")
)]
#[case::representatives_empty("/enumerations/role_type/representative_roles", Some(json!([])), Some("enumerations.role_type.representative_roles"))]
#[case::representative_unknown("/enumerations/role_type/representative_roles/0", Some(json!("Chair")), Some("enumerations.role_type.representative_roles[0]"))]
#[case::representative_near_miss("/enumerations/role_type/representative_roles/0", Some(json!("director")), Some("enumerations.role_type.representative_roles[0]"))]
#[case::representatives_on_another_list("/enumerations/id_type", Some(json!({"values": ["Passport"], "representative_roles": ["Passport"]})), Some("enumerations.id_type.representative_roles"))]
// bounds
#[case::text_max_1("/bounds/text_max", Some(json!(1)), None)]
#[case::text_max_0("/bounds/text_max", Some(json!(0)), Some("bounds.text_max"))]
#[case::text_max_cap("/bounds/text_max", Some(json!(1000)), None)]
#[case::text_max_over_cap("/bounds/text_max", Some(json!(1001)), Some("bounds.text_max"))]
#[case::email_max_cap("/bounds/email_max", Some(json!(254)), None)]
#[case::email_max_over_cap("/bounds/email_max", Some(json!(255)), Some("bounds.email_max"))]
#[case::bound_text("/bounds/description_max", Some(json!("500")), Some("bounds.description_max"))]
fn each_problem_is_reported_where_it_is(
    #[case] pointer: &str,
    #[case] value: Option<Value>,
    #[case] expected: Option<&str>,
) {
    let found = problems(&with(pointer, value));
    match expected {
        None => assert!(found.is_empty(), "{found:?}"),
        Some(path) => {
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].path, path, "{found:?}");
            assert!(!found[0].message.is_empty());
        }
    }
}

#[test]
fn every_problem_is_listed_at_once() {
    let doc = json!({
        "format": "kyb-desk-partner-profile",
        "version": 9,
        "name": "",
        "revision": 1,
        "extra": 1,
        "enumerations": {
            "business_type": {"values": []},
            "role_type": {"values": ["Director", "DIRECTOR"], "representative_roles": ["Chair"]}
        },
        "bounds": {"text_max": 5000}
    });
    let paths: Vec<String> = problems(&doc).into_iter().map(|p| p.path).collect();
    assert_eq!(
        paths,
        vec![
            "extra",
            "version",
            "name",
            "enumerations.business_type.values",
            "enumerations.role_type.values[1]",
            "bounds.text_max",
        ],
        "the roles check waits for a clean role list"
    );
}

#[test]
fn text_that_is_not_json_or_not_an_object_is_one_clear_problem() {
    let not_json = check_profile_json("{\"format\": ").unwrap_err();
    assert_eq!(not_json.len(), 1);
    assert!(not_json[0].message.starts_with("not JSON"), "{not_json:?}");
    let list = check_profile_json("[]").unwrap_err();
    assert_eq!(
        list,
        vec![ProfileProblem {
            path: String::new(),
            message: "must be an object, not a list".into()
        }]
    );
}

fn on(profile: PartnerProfile) -> ValidationContext {
    ValidationContext::with_profile(
        NaiveDate::from_ymd_opt(2026, 6, 15).unwrap(),
        Arc::new(profile),
    )
}

fn record(business_type: &str, role: &str) -> kyb_core::model::UpdateCustomerRequest {
    let mut r = samples::valid_update(7, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap());
    r.business_details.as_mut().unwrap().business_type = Some(business_type.into());
    for person in r.business_person_list.as_mut().unwrap() {
        person.basic_info.as_mut().unwrap().role_type = Some(role.into());
    }
    r
}

#[test]
fn a_closed_list_accepts_its_values_and_refuses_others_as_the_partner() {
    let ctx = on(check_profile_value(&acme()).unwrap());
    assert_eq!(
        validate_update(&record("Corporation", "Director"), &ctx),
        vec![]
    );

    let issues = validate_update(&record("Trust", "Director"), &ctx);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].path, "business_details.business_type");
    assert_eq!(issues[0].code, IssueCode::NotInList);
    assert_eq!(issues[0].source, IssueSource::Partner);
    assert_eq!(
        issues[0].message,
        "Business type \"Trust\" is not in the partner's list of business types (profile ACME v3): choose one of Limited Liability Company, Corporation, Driver's Club."
    );

    let near = validate_update(&record("corporation", "Director"), &ctx);
    assert_eq!(near.len(), 1, "{near:?}");
    assert!(
        near[0].message.ends_with("did you mean \"Corporation\"?"),
        "{}",
        near[0].message
    );
}

#[test]
fn an_open_list_accepts_any_text_and_the_profile_names_the_representatives() {
    let ctx = on(check_profile_value(&acme()).unwrap());
    // role_type is open in ACME's profile: any role passes, but only a Director represents.
    let issues = validate_update(&record("Corporation", "Legal Representative"), &ctx);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].code, IssueCode::MissingRepresentative);
    assert!(
        issues[0].message.contains("the role Director:"),
        "{}",
        issues[0].message
    );
    // The built-in profile: every list open.
    let built_in = on(PartnerProfile::built_in());
    assert_eq!(
        validate_update(&record("Any Legal Form", "Legal Representative"), &built_in),
        vec![]
    );
}

#[test]
fn a_partner_bound_is_the_partners_rule_and_names_the_profile() {
    let ctx = on(check_profile_value(&acme()).unwrap());
    let mut r = record("Corporation", "Director");
    r.business_details.as_mut().unwrap().business_name_english = Some("n".repeat(140));
    assert_eq!(validate_update(&r, &ctx), vec![]);
    r.business_details.as_mut().unwrap().business_name_english = Some("n".repeat(141));
    let issues = validate_update(&r, &ctx);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(
        (issues[0].code, issues[0].source),
        (IssueCode::TooLong, IssueSource::Partner)
    );
    assert!(
        issues[0]
            .message
            .contains("at most 140 characters long at the partner (profile ACME v3)"),
        "{}",
        issues[0].message
    );
}

#[test]
fn pickers_offer_the_profiles_lists_and_name_it() {
    let data = reference_data_for(&check_profile_value(&acme()).unwrap());
    assert_eq!(
        data.business_types,
        vec!["Limited Liability Company", "Corporation", "Driver's Club"]
    );
    assert_eq!(data.role_types, vec!["Director", "Shareholder"]);
    // Left out of the file: the built-in list.
    assert_eq!(data.id_types, kyb_core::validation::tables::ID_TYPES);
    assert_eq!(
        (
            data.partner_profile.name.as_str(),
            data.partner_profile.revision
        ),
        ("ACME", 3)
    );
    assert!(!data.partner_profile.built_in);
}
