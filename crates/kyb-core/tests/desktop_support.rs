//! What the desktop app keeps and shows: the environments file (never a secret), page JSON
//! validation, diffs and picker data, on realistic records.

use chrono::NaiveDate;
use kyb_core::diff::diff_update;
use kyb_core::environments::{
    EnvironmentError, EnvironmentFile, EnvironmentInput, Environments, FILE_NAME, SANDBOX_NAME,
};
use kyb_core::model::UpdateCustomerRequest;
use kyb_core::reference::reference_data;
use kyb_core::samples::valid_update;
use kyb_core::validation::{
    is_active_currency, is_country, parse_update_value, validate_update, validate_update_value, IssueCode,
    ValidationContext,
};
use serde_json::{json, Value};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

fn input(name: &str) -> EnvironmentInput {
    EnvironmentInput {
        name: name.into(),
        base_url: "https://partner.example/v1".into(),
        colour: "#c62828".into(),
        is_production: true,
        requires_approval: Some(true),
    }
}

#[test]
fn environments_file_round_trips_and_holds_only_the_listed_fields() {
    let dir = tempfile::tempdir().unwrap();
    let file = EnvironmentFile::in_dir(&dir.path().join("kyb-desk"));
    assert_eq!(file.load().unwrap(), Environments::default(), "no file yet: nothing stored");

    let mut envs = Environments::default();
    envs.upsert(input("Production")).unwrap();
    envs.upsert(input("Staging")).unwrap();
    envs.select("Staging").unwrap();
    file.save(&envs).unwrap();
    assert_eq!(file.load().unwrap(), envs);

    let stored: Value = serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
    let top: Vec<&str> = stored.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(top, ["active", "environments", "version"]);
    for env in stored["environments"].as_array().unwrap() {
        let mut keys: Vec<&str> = env.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["base_url", "colour", "is_production", "name", "requires_approval"]);
    }
    let text = std::fs::read_to_string(file.path()).unwrap().to_lowercase();
    for word in ["secret", "api_key", "password", "token"] {
        assert!(!text.contains(word), "{word} in {text}");
    }
}

#[test]
fn a_secret_can_neither_come_in_nor_be_read_from_the_file() {
    // From the page: unknown fields are refused.
    let with_secret = json!({"name": "P", "base_url": "https://p.example", "colour": "#fff", "is_production": false, "api_secret": "x"});
    assert!(serde_json::from_value::<EnvironmentInput>(with_secret).is_err());

    // From a hand-edited file: refused as damaged, set aside, not silently used.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(
        &path,
        r##"{"version":1,"environments":[{"name":"P","base_url":"https://p.example/","colour":"#fff","is_production":false,"requires_approval":false,"api_secret":"x"}]}"##,
    )
    .unwrap();
    let file = EnvironmentFile::in_dir(dir.path());
    assert!(matches!(file.load(), Err(EnvironmentError::Corrupt { .. })));
    assert_eq!(file.load_or_set_aside().unwrap(), Environments::default());
    assert!(dir.path().join("environments.json.damaged").exists());
    assert!(!path.exists());
}

#[test]
fn a_stored_environment_that_breaks_the_rules_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(FILE_NAME),
        r##"{"version":1,"active":"Plain","environments":[
            {"name":"Plain","base_url":"http://partner.example/","colour":"#fff","is_production":true,"requires_approval":true},
            {"name":"sandbox","base_url":"https://evil.example/","colour":"#fff","is_production":false,"requires_approval":false},
            {"name":"Good","base_url":"https://partner.example/","colour":"#fff","is_production":true,"requires_approval":true}]}"##,
    )
    .unwrap();
    let envs = EnvironmentFile::in_dir(dir.path()).load().unwrap();
    let names: Vec<&str> = envs.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Good"]);
    assert_eq!(envs.active_name(), SANDBOX_NAME, "an active name that is gone means the sandbox");
}

#[test]
fn page_json_of_valid_samples_validates_like_the_model() {
    let ctx = ValidationContext::on(today());
    for seed in 0..50 {
        let record = valid_update(seed, today());
        let mut page = serde_json::to_value(&record).unwrap();
        // The page sends amounts as strings.
        if let Some(amount) = page.pointer_mut("/account_usage/estimated_monthly_revenue_amount") {
            *amount = Value::String(amount.to_string());
        }
        assert_eq!(validate_update_value(&page, &ctx), validate_update(&record, &ctx), "seed {seed}");
        assert!(validate_update_value(&page, &ctx).is_empty(), "seed {seed}");
        assert_eq!(parse_update_value(&page).unwrap(), record, "seed {seed}: exact round trip");
    }
}

#[test]
fn unreadable_values_are_issues_on_their_paths() {
    let ctx = ValidationContext::on(today());
    let mut page = serde_json::to_value(valid_update(7, today())).unwrap();
    page["account_usage"]["estimated_monthly_revenue_amount"] = json!("12,5");
    page["business_details"]["business_identifier_start_date"] = json!("2023-11-07");
    page["business_details"]["webiste"] = json!("https://typo.example");
    let issues = validate_update_value(&page, &ctx);
    let found: Vec<(&str, IssueCode)> = issues.iter().map(|i| (i.path.as_str(), i.code)).collect();
    assert!(found.contains(&("account_usage.estimated_monthly_revenue_amount", IssueCode::InvalidFormat)), "{found:?}");
    assert!(found.contains(&("business_details.business_identifier_start_date", IssueCode::InvalidFormat)), "{found:?}");
    assert!(found.contains(&("business_details.webiste", IssueCode::UnknownField)), "{found:?}");
    assert_eq!(found.len(), 3, "nothing else is wrong with the sample: {found:?}");
    assert!(issues.iter().all(|i| !i.message.is_empty()));
}

#[test]
fn diff_of_a_sample_against_itself_and_one_edit() {
    let base = valid_update(3, today());
    assert!(diff_update(&base, &base).is_empty());
    let mut edited: UpdateCustomerRequest = base.clone();
    edited.business_details.as_mut().unwrap().business_name_english = Some("Renamed Ltd".into());
    let changes = diff_update(&base, &edited);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "business_details.business_name_english");
    assert_eq!(changes[0].after.as_deref(), Some("Renamed Ltd"));
    assert_eq!(changes[0].before, base.business_details.unwrap().business_name_english);
}

#[test]
fn reference_data_is_what_validation_accepts() {
    let data = reference_data();
    assert!(data.countries.iter().all(|c| is_country(&c.code)));
    assert!(data.currencies.iter().all(|c| is_active_currency(&c.code)));
    let names: Vec<&str> = data.countries.iter().map(|c| c.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "countries sorted by name");
}
