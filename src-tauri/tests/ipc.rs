//! The session, customer, record, document and credential commands through the IPC layer (mock
//! runtime, the app's real context and ACL) against a real in-process sandbox: success and each
//! error kind they can produce. commands.rs calls every command at least once.
//!
//! Keychain-backed cases use the real Secret Service under scripts/test.sh (a unique service
//! name per harness); without a keychain they check `keychain_unavailable` instead, unless
//! `KYB_REQUIRE_KEYRING` is set, which makes a missing keychain a failure.

use crate::common::{all_text_under, invoke_from, Harness};
use serde_json::{json, Value};
use tauri::WebviewWindowBuilder;

const AMOUNT: &str = "estimated_monthly_revenue_amount";
/// The built-in environments: Sandbox, and Sandbox (four-eyes) on the same sandbox.
const BUILT_IN: usize = 2;

/// The environment called `name` in a session answer.
fn environment<'a>(session: &'a Value, name: &str) -> &'a Value {
    session["environments"]
        .as_array()
        .and_then(|envs| envs.iter().find(|e| e["name"] == name))
        .unwrap_or_else(|| panic!("no environment {name} in {session}"))
}

// ---------------------------------------------------------------------------------- session

#[test]
fn get_session_lists_the_built_in_sandbox_as_active() {
    let h = Harness::new();
    let session = h.ok("get_session", json!({}));
    assert_eq!(session["active"], "Sandbox");
    let envs = session["environments"].as_array().unwrap();
    let names: Vec<&str> = envs.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Sandbox", "Sandbox (four-eyes)"], "two built-in environments on the one sandbox");
    let four_eyes = environment(&session, "Sandbox (four-eyes)");
    assert_eq!((&four_eyes["built_in"], &four_eyes["requires_approval"]), (&json!(true), &json!(true)));
    let sandbox = &envs[0];
    assert_eq!(sandbox["name"], "Sandbox");
    assert_eq!(sandbox["built_in"], true);
    assert_eq!(sandbox["has_credentials"], true);
    assert_eq!(sandbox["is_production"], false);
    assert_eq!(sandbox["base_url"], format!("{}/", h.sandbox_url()));
    assert!(h.sandbox_url().starts_with("http://127.0.0.1:"));
    assert_eq!(session["recent"], json!([]));
}

#[test]
fn reference_data_offers_the_validation_tables() {
    let h = Harness::new();
    let data = h.ok("reference_data", json!({}));
    let countries = data["countries"].as_array().unwrap();
    assert!(countries.iter().any(|c| c["code"] == "GB" && c["name"].as_str().unwrap().contains("United Kingdom")));
    assert!(data["currencies"].as_array().unwrap().iter().any(|c| c["code"] == "EUR"));
    assert!(data["role_types"].as_array().unwrap().contains(&json!("Director")));
    assert!(data["id_types"].as_array().unwrap().contains(&json!("Passport")));
    assert!(data["business_types"].as_array().unwrap().contains(&json!("Limited Liability Company")));
    assert!(data["business_identifier_types"].as_array().unwrap().len() >= 5);
    assert!(data["product_references"].as_array().unwrap().contains(&json!("Financial Services")));
    assert_eq!(data["file_types"].as_array().unwrap().len(), 6);
}

#[test]
fn save_select_and_delete_environments() {
    let h = Harness::new();
    let session = h.ok(
        "save_environment",
        json!({"environment": {"name": "Staging", "base_url": "https://staging.partner.example", "colour": "#1565C0", "is_production": false}}),
    );
    let staging = environment(&session, "Staging");
    assert_eq!(staging["base_url"], "https://staging.partner.example/");
    assert_eq!(staging["colour"], "#1565c0");
    assert_eq!(staging["requires_approval"], false);
    assert_eq!(staging["built_in"], false);
    assert_eq!(session["active"], "Sandbox", "saving does not switch");

    // Replacing by name.
    let session = h.ok(
        "save_environment",
        json!({"environment": {"name": "Staging", "base_url": "https://staging2.partner.example/v1/", "colour": "#123", "is_production": true, "requires_approval": false}}),
    );
    assert_eq!(session["environments"].as_array().unwrap().len(), BUILT_IN + 1);
    assert_eq!(environment(&session, "Staging")["base_url"], "https://staging2.partner.example/v1/");
    assert_eq!(environment(&session, "Staging")["is_production"], true);

    let session = h.ok("select_environment", json!({"name": "Staging"}));
    assert_eq!(session["active"], "Staging");
    // Kept in the config folder, so a restart finds it.
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(h.config_dir().join("environments.json")).unwrap()).unwrap();
    assert_eq!(stored["active"], "Staging");

    let session = h.ok("select_environment", json!({"name": "Sandbox"}));
    assert_eq!(session["active"], "Sandbox");
    h.ok("select_environment", json!({"name": "Staging"}));
    let session = h.ok("delete_environment", json!({"name": "Staging"}));
    assert_eq!(session["environments"].as_array().unwrap().len(), BUILT_IN);
    assert_eq!(session["active"], "Sandbox", "deleting the active environment falls back to the sandbox");
}

#[test]
fn environment_errors() {
    let h = Harness::new();
    let env = |name: &str, url: &str| json!({"environment": {"name": name, "base_url": url, "colour": "#c62828", "is_production": true}});

    let err = h.err("save_environment", env("Prod", "http://partner.example.com"), "insecure_url");
    assert_eq!(err["field"], "base_url");
    let err = h.err("save_environment", env("Prod", "ftp://partner.example.com"), "invalid_url");
    assert_eq!(err["field"], "base_url");
    let err = h.err("save_environment", env("Prod", "https://user:pw@partner.example.com"), "invalid_url");
    assert!(!err["message"].as_str().unwrap().contains("pw@"), "{err}");
    let err = h.err("save_environment", env("sandbox", "https://partner.example.com"), "invalid_input");
    assert_eq!(err["field"], "name");
    let err = h.err("save_environment", env("", "https://partner.example.com"), "invalid_input");
    assert_eq!(err["field"], "name");
    let mut bad_colour = env("Prod", "https://partner.example.com");
    bad_colour["environment"]["colour"] = json!("red");
    assert_eq!(h.err("save_environment", bad_colour, "invalid_input")["field"], "colour");

    // A secret sent with an environment is refused, not stored.
    let mut with_secret = env("Prod", "https://partner.example.com");
    with_secret["environment"]["api_secret"] = json!("canary-secret-in-environment");
    let err = h.err("save_environment", with_secret, "invalid_input");
    assert_eq!(err["field"], "environment");
    assert!(!all_text_under(h.dir.path()).contains("canary-secret-in-environment"));
    h.err("save_environment", json!({"environment": "Prod"}), "invalid_input");

    assert_eq!(h.err("select_environment", json!({"name": "Nope"}), "invalid_input")["field"], "name");
    assert_eq!(h.err("delete_environment", json!({"name": "Sandbox"}), "invalid_input")["field"], "name");
    assert_eq!(h.err("delete_environment", json!({"name": "Nope"}), "invalid_input")["field"], "name");
    assert_eq!(
        h.err("set_credentials", json!({"environment": "Sandbox", "api_key": "k", "api_secret": "s"}), "invalid_input")["field"],
        "environment"
    );
    assert_eq!(
        h.err("set_credentials", json!({"environment": "Nope", "api_key": "k", "api_secret": "s"}), "invalid_input")["field"],
        "environment"
    );
    assert_eq!(h.err("clear_credentials", json!({"environment": "Sandbox"}), "invalid_input")["field"], "environment");

    // Nothing was stored by any of these.
    assert_eq!(h.ok("get_session", json!({}))["environments"].as_array().unwrap().len(), BUILT_IN);
}

// ---------------------------------------------------------------------------------- customers

#[test]
fn open_customer_by_either_id_with_amounts_as_strings_and_recent() {
    let h = Harness::new();
    let loaded = h.open("cus_demo_0001");
    assert_eq!(loaded["customer"]["customer_id"], "cus_demo_0001");
    assert_eq!(loaded["customer"]["status"], "Succeeded");
    assert_eq!(loaded["record"]["business_details"]["business_name_english"], "Acme Robotics LLC");
    assert!(loaded["record"].get("customer_id").is_none(), "the record is the editable part");
    assert_eq!(loaded["record"]["account_usage"][AMOUNT], "185000.00");
    assert_eq!(loaded["customer"]["account_usage"][AMOUNT], "185000.00");
    assert_eq!(loaded["record"]["business_details"]["business_identifier_start_date"], "2019-06-03T00:00:00Z");

    let by_partner = h.ok("open_customer", json!({"lookup": {"by": "partner_customer_id", "value": "P-1002"}}));
    assert_eq!(by_partner["customer"]["customer_id"], "cus_demo_0002");

    let recent = h.ok("get_session", json!({}))["recent"].clone();
    let ids: Vec<&str> = recent.as_array().unwrap().iter().map(|r| r["customer_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cus_demo_0002", "cus_demo_0001"]);
    assert_eq!(recent[0]["partner_customer_id"], "P-1002");
    assert_eq!(recent[0]["environment"], "Sandbox");
    assert_eq!(recent[1]["business_name_english"], "Acme Robotics LLC");
}

#[test]
fn open_customer_errors() {
    let h = Harness::new();
    h.err("open_customer", json!({"lookup": {"by": "customer_id", "value": "cus_nope"}}), "not_found");
    h.err("open_customer", json!({"lookup": {"by": "partner_customer_id", "value": "P-9999"}}), "not_found");
    assert_eq!(h.err("open_customer", json!({"lookup": {"by": "customer_id", "value": "  "}}), "invalid_input")["field"], "value");
    assert_eq!(h.err("open_customer", json!({"lookup": {"by": "email", "value": "x"}}), "invalid_input")["field"], "lookup");
    assert_eq!(h.err("open_customer", json!({"lookup": "cus_demo_0001"}), "invalid_input")["field"], "lookup");
    // Failed opens are not recent.
    assert_eq!(h.ok("get_session", json!({}))["recent"], json!([]));
}

#[test]
fn validate_record_reports_every_issue_with_paths() {
    let h = Harness::new();
    let valid = h.open("cus_demo_0001")["record"].clone();
    assert_eq!(h.ok("validate_record", json!({"record": valid})), json!([]));

    // The demo record to fix has exactly its three planted problems.
    let to_fix = h.open("cus_demo_0004")["record"].clone();
    let issues = h.ok("validate_record", json!({"record": to_fix}));
    let mut codes: Vec<String> =
        issues.as_array().unwrap().iter().map(|i| format!("{} {}", i["path"].as_str().unwrap(), i["code"].as_str().unwrap())).collect();
    codes.sort();
    assert_eq!(codes.len(), 3, "{codes:?}");
    assert!(codes.iter().any(|c| c.ends_with("not_https")), "{codes:?}");
    assert!(codes.iter().any(|c| c.ends_with("lowercase_country")), "{codes:?}");
    assert!(codes.iter().any(|c| c.contains("identification.id_expiration_date expired")), "{codes:?}");

    // A value that cannot be read is an issue on its path; unknown fields too.
    let mut broken = valid;
    broken["account_usage"][AMOUNT] = json!("12,5");
    broken["primary_contact"]["fax"] = json!("+1 212 555 0100");
    let issues = h.ok("validate_record", json!({"record": broken}));
    assert!(issues.as_array().unwrap().iter().any(|i| i["path"] == "account_usage.estimated_monthly_revenue_amount" && i["code"] == "invalid_format"), "{issues}");
    assert!(issues.as_array().unwrap().iter().any(|i| i["path"] == "primary_contact.fax" && i["code"] == "unknown_field"), "{issues}");
    assert_eq!(issues.as_array().unwrap().len(), 2, "{issues}");

    // Amounts as numbers are accepted as well, exactly.
    let mut numeric = h.open("cus_demo_0001")["record"].clone();
    numeric["account_usage"][AMOUNT] = json!(99.999);
    let issues = h.ok("validate_record", json!({"record": numeric}));
    assert_eq!(issues[0]["code"], "too_many_decimals", "{issues}");
}

#[test]
fn diff_record_lists_changed_fields_only() {
    let h = Harness::new();
    let base = h.open("cus_demo_0001")["record"].clone();
    assert_eq!(h.ok("diff_record", json!({"base": base, "edited": base}))["changes"], json!([]));

    let mut edited = base.clone();
    edited["business_details"]["website"] = json!("https://acme.example.com");
    edited["account_usage"][AMOUNT] = json!("185000.0"); // the same amount
    edited["business_person_list"][1]["basic_info"]["role_type"] = json!("Shareholder");
    edited["primary_contact"].as_object_mut().unwrap().remove("contact_phone");
    // The grouped view is for the screen; `changes` is the exact list by path.
    let mut changes = h.ok("diff_record", json!({"base": base, "edited": edited}))["changes"].as_array().unwrap().clone();
    changes.sort_by_key(|c| c["path"].as_str().unwrap().to_owned());
    assert_eq!(
        changes,
        vec![
            json!({"path": "business_details.website", "before": "https://acme-robotics.example.com", "after": "https://acme.example.com"}),
            json!({"path": "business_person_list[1].basic_info.role_type", "before": "Beneficial Owner", "after": "Shareholder"}),
            json!({"path": "primary_contact.contact_phone", "before": "+12125550142"}),
        ]
    );

    let mut unreadable = base.clone();
    unreadable["account_usage"][AMOUNT] = json!("lots");
    let err = h.err("diff_record", json!({"base": base, "edited": unreadable}), "invalid_record");
    assert_eq!(err["issues"][0]["path"], "account_usage.estimated_monthly_revenue_amount");
}

#[test]
fn removed_commands_are_not_callable() {
    let h = Harness::new();
    // Submissions go through the outbox only (queue_draft); the worker follows the status.
    assert!(h.invoke("submit_update", json!({"customer_id": "cus_demo_0001", "record": {}})).is_err());
    assert!(h.invoke("refresh_customer", json!({"customer_id": "cus_demo_0001"})).is_err());
}

#[test]
fn upload_document_then_reference_it() {
    let h = Harness::new();
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n fake image".to_vec();
    let uploaded = h.upload("passport.png", "Main page", png).expect("uploaded");
    let file_id = uploaded["file_id"].as_str().unwrap().to_owned();
    assert!(file_id.starts_with("file_"), "{uploaded}");

    // Referenced from a draft and sent through the outbox, the partner accepts it.
    if h.keychain() {
        let draft = h.draft_with("cus_demo_0001", |record| {
            record["business_person_list"][0]["identification"]["id_document_front_file_id"] = json!(file_id);
        });
        let entry = h.ok("queue_draft", json!({"id": draft["id"]}));
        let sent = h.wait_for_state(entry["id"].as_str().unwrap(), "sent");
        assert_eq!(sent["state"]["customer"]["business_person_list"][0]["identification"]["id_document_front_file_id"], json!(file_id));
    }

    let refused = |name: &str, kind: &str, bytes: Vec<u8>| {
        let err = h.upload(name, kind, bytes).expect_err("refused");
        assert_eq!(err["kind"], "invalid_input", "{err}");
        err["field"].clone()
    };
    assert_eq!(refused("a.png", "main page", vec![1]), "file_type");
    assert_eq!(refused("a.png", "Passport", vec![1]), "file_type");
    assert_eq!(refused("a.png", "Main page", vec![]), "bytes");
    assert_eq!(refused(" ", "Main page", vec![1]), "file_name");
    assert_eq!(refused("big.pdf", "Invoice", vec![0; kyb_core::client::MAX_UPLOAD_BYTES + 1]), "bytes");
}

// ---------------------------------------------------------------------------------- credentials

#[test]
fn an_environment_without_credentials_says_so() {
    let h = Harness::new();
    let session = h.add_environment("Other", false);
    assert_eq!(environment(&session, "Other")["has_credentials"], false);
    let expected = if h.keychain() { "credentials_missing" } else { "keychain_unavailable" };
    let err = h.err("open_customer", json!({"lookup": {"by": "customer_id", "value": "cus_demo_0001"}}), expected);
    if expected == "credentials_missing" {
        assert_eq!(err["environment"], "Other");
    }
    assert_eq!(h.upload("a.pdf", "Invoice", vec![1]).expect_err("no credentials")["kind"], expected);
}

#[test]
fn wrong_credentials_are_unauthorized_and_never_come_back() {
    let h = Harness::new();
    if !h.keychain() {
        return;
    }
    h.add_environment("Wrong", false);
    let key = "canary-key-5d1f";
    let secret = "canary-secret-93b7";
    let session = h.ok("set_credentials", json!({"environment": "Wrong", "api_key": key, "api_secret": secret}));
    assert_eq!(environment(&session, "Wrong")["has_credentials"], true);
    let err = h.err("open_customer", json!({"lookup": {"by": "customer_id", "value": "cus_demo_0001"}}), "unauthorized");
    assert_eq!(err["status"], 401);

    let mut seen = String::new();
    seen.push_str(&session.to_string());
    seen.push_str(&err.to_string());
    seen.push_str(&h.ok("get_session", json!({})).to_string());
    assert!(!seen.contains(key) && !seen.contains(secret), "a secret came back: {seen}");
    assert!(!all_text_under(h.dir.path()).contains(secret), "a secret was written to a file");

    // Clearing them: missing again.
    let session = h.ok("clear_credentials", json!({"environment": "Wrong"}));
    assert_eq!(environment(&session, "Wrong")["has_credentials"], false);
    h.err("open_customer", json!({"lookup": {"by": "customer_id", "value": "cus_demo_0001"}}), "credentials_missing");
    // Clearing twice is fine.
    h.ok("clear_credentials", json!({"environment": "Wrong"}));
}

#[test]
fn set_credentials_checks_the_values() {
    let h = Harness::new();
    h.add_environment("Other", false);
    let set = |key: &str, secret: &str| json!({"environment": "Other", "api_key": key, "api_secret": secret});
    assert_eq!(h.err("set_credentials", set("", "s"), "invalid_input")["field"], "api_key");
    assert_eq!(h.err("set_credentials", set("k", "  "), "invalid_input")["field"], "api_secret");
    assert_eq!(h.err("set_credentials", set("k", "line\nbreak"), "invalid_input")["field"], "api_secret");
}

#[test]
fn deleting_an_environment_removes_its_keychain_entry() {
    let h = Harness::new();
    if !h.keychain() {
        return;
    }
    h.add_environment("Canary", false);
    h.ok("set_credentials", json!({"environment": "Canary", "api_key": "k-1", "api_secret": "s-1"}));
    h.ok("delete_environment", json!({"name": "Canary"}));
    let store = kyb_core::credentials::CredentialStore::with_service(&h.keychain_service);
    assert!(!store.exists("Canary").unwrap());
}

// ---------------------------------------------------------------------------------- ACL

#[test]
fn only_the_main_window_may_call_commands() {
    let h = Harness::new();
    let intruder = WebviewWindowBuilder::new(&h.app, "intruder", Default::default()).build().unwrap();
    let err = invoke_from(&intruder, "get_session", json!({})).unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
    // Commands that do not exist are refused too.
    let err = h.invoke("read_file", json!({"path": "/etc/passwd"})).unwrap_err();
    assert!(!err.to_string().is_empty());
    let err = h.invoke("plugin:fs|read_text_file", json!({"path": "/etc/passwd"})).unwrap_err();
    assert!(!err.to_string().is_empty());
}
