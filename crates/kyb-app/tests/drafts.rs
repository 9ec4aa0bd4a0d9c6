//! Drafts as use cases, with the real keychain holding the sealing key (a unique service per
//! app): autosave and revisions, sealing at rest, resume on open, delete and undo, export and
//! import, the open draft across a restart, a new customer's draft, a lost key, and each error kind.
//!
//! Drafts need the keychain. Under scripts/test.sh (`KYB_REQUIRE_KEYRING=1`) a missing one fails;
//! elsewhere these tests check `keychain_unavailable` instead (drafts_no_keychain.rs tests the
//! app without a keychain, always).

use std::time::Duration;

use kyb_app::use_cases::drafts;
use kyb_app::use_cases::outbox;
use kyb_app::ErrorKind;
use kyb_core::drafts::{update_draft_id, DraftSave, DraftTarget, UnreadableCause};
use kyb_core::outbox::OutboxState;
use serde_json::{json, Value};

use crate::common::{
    all_text_under, expect_err, expect_invalid, page_record, wait_until, Options, TestApp, AMOUNT,
};

/// An app with a keychain, or `None` (and the unavailable answer checked) without one.
async fn app() -> Option<TestApp> {
    let app = TestApp::new().await;
    if app.keychain() {
        Some(app)
    } else {
        expect_err(
            drafts::list_drafts(&app.state).await,
            ErrorKind::KeychainUnavailable,
        );
        None
    }
}

fn unique(label: &str) -> String {
    format!(
        "{label}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn save_draft_round_trip_revisions_and_resume_on_open() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let loaded = app.open("cus_demo_0001").await;
    assert!(loaded.draft.is_none(), "no draft yet");

    let mut record = page_record(&loaded);
    record["business_details"]["website"] = json!("https://acme.example.org");
    record["account_usage"][AMOUNT] = json!("1234.50");
    let save = app.update_save(&loaded, &record).await;
    let first = drafts::save_draft(state, save.clone()).await.unwrap();
    let id = first.id.clone();
    assert!(id.starts_with("u-") && id.len() == 34, "{id}");
    assert_eq!(first.revision, 1);
    assert_eq!(first.issue_count, 0);
    assert_eq!(first.environment, "Sandbox");
    assert_eq!(
        first.target,
        DraftTarget::Update {
            customer_id: "cus_demo_0001".into()
        }
    );
    assert_eq!(first.record, record, "kept exactly as typed");
    assert_eq!(
        first.record["account_usage"][AMOUNT], "1234.50",
        "amounts stay strings"
    );
    assert_eq!(
        first.base.as_ref().unwrap().status.as_deref(),
        Some("Succeeded")
    );
    assert_eq!(first.review.editors, [crate::common::OFFICER]);

    // Later saves: same id, next revision, created_at kept; the stored base is kept even when the
    // page sends another one (it moves only after a send).
    record["business_details"]["website"] = json!("not a url");
    let mut again = app.update_save(&loaded, &record).await;
    again.id = Some(id.clone());
    again.base.as_mut().unwrap().record["business_details"]["website"] =
        json!("https://someone-else.example.com");
    let second = drafts::save_draft(state, again).await.unwrap();
    assert_eq!(second.id, id);
    assert_eq!(second.revision, 2);
    assert_eq!(second.created_at, first.created_at);
    assert_eq!(second.issue_count, 1);
    assert_eq!(second.base, first.base);
    let mut without_base = app.update_save(&loaded, &record).await;
    without_base.base = None;
    let third = drafts::save_draft(state, without_base).await.unwrap();
    assert_eq!((third.revision, &third.base), (3, &first.base));

    assert_eq!(drafts::open_draft(state, &id).await.unwrap(), third);
    let resumed = app.open("cus_demo_0001").await;
    assert_eq!(
        resumed.draft.as_ref(),
        Some(&third),
        "open_customer hands the editor its draft"
    );
    assert_eq!(app.open("cus_demo_0002").await.draft, None);

    let library = drafts::list_drafts(state).await.unwrap();
    assert_eq!(library.drafts.len(), 1, "{library:?}");
    let item = &library.drafts[0];
    assert_eq!(item.summary.id, id);
    assert_eq!(
        item.summary.business_name_english.as_deref(),
        Some("Acme Robotics LLC")
    );
    assert_eq!(item.summary.issue_count, 1);
    assert!(item.outbox.is_none());
    assert!(library.unreadable.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_are_sealed_on_disk() {
    let Some(app) = app().await else { return };
    let canary = format!("{}@canary.example.com", unique("sealed"));
    let name = unique("Canary Trading");
    let draft = app
        .draft_with("cus_demo_0002", |record| {
            record["primary_contact"]["contact_email"] = json!(canary);
            record["business_details"]["business_name_english"] = json!(name);
        })
        .await;
    drafts::set_open_draft(&app.state, Some(&draft.id))
        .await
        .unwrap();
    drafts::export_draft(&app.state, &draft.id).await.unwrap(); // into dir/exports, outside the data folder

    let data = app.dir.path().join("data");
    let everything = all_text_under(&data);
    assert!(
        !everything.contains(&canary) && !everything.contains(&name),
        "a draft's contents are readable on disk"
    );
    let sealed = data.join("drafts").join(format!("{}.sealed", draft.id));
    assert!(sealed.is_file(), "{}", sealed.display());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&sealed).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(data.join("drafts"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
        assert_eq!(
            std::fs::metadata(data.join("workspace.json"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }
    let workspace: Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("workspace.json")).unwrap())
            .unwrap();
    assert_eq!(workspace, json!({"open_draft": draft.id}), "only the id");
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_and_restore_a_draft() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let draft = app
        .draft_with("cus_demo_0003", |record| {
            record["business_details"]["website"] = json!("https://sakura.example.jp")
        })
        .await;
    let id = draft.id.as_str();
    drafts::delete_draft(state, id).await.unwrap();
    let err = expect_err(
        drafts::open_draft(state, id).await,
        ErrorKind::DraftNotFound,
    );
    assert_eq!(err.body().id.as_deref(), Some(id));
    assert!(drafts::list_drafts(state).await.unwrap().drafts.is_empty());
    assert!(app.open("cus_demo_0003").await.draft.is_none());
    expect_err(
        drafts::delete_draft(state, id).await,
        ErrorKind::DraftNotFound,
    );

    let restored = drafts::restore_draft(state, id).await.unwrap();
    assert_eq!(restored, draft);
    assert_eq!(app.open("cus_demo_0003").await.draft, Some(draft.clone()));
    expect_err(
        drafts::restore_draft(state, id).await,
        ErrorKind::DraftNotFound,
    );

    // Deleted, then a new draft saved for the same customer: the old one cannot come back over it.
    drafts::delete_draft(state, id).await.unwrap();
    app.draft_with("cus_demo_0003", |_| {}).await;
    let err = expect_err(
        drafts::restore_draft(state, id).await,
        ErrorKind::DraftExists,
    );
    assert_eq!(err.body().id.as_deref(), Some(id));
}

#[tokio::test(flavor = "multi_thread")]
async fn export_then_import_round_trip_with_a_report() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let draft = app
        .draft_with("cus_demo_0004", |record| {
            record["business_details"]["website"] = json!("https://thames.example.co.uk")
        })
        .await;
    let exported = drafts::export_draft(state, &draft.id).await.unwrap();
    let file_name = exported.file_name.as_str();
    assert!(
        file_name.starts_with("kyb-draft-cus_demo_0004-") && file_name.ends_with(".json"),
        "{exported:?}"
    );
    let path = std::path::PathBuf::from(&exported.path);
    assert_eq!(path, app.dir.path().join("exports").join(file_name));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "kyb-desk-draft");
    assert_eq!(file["environment"], "Sandbox");
    assert_eq!(
        file["record"]["business_details"]["website"],
        "https://thames.example.co.uk"
    );
    assert!(
        !text.contains(kyb_sandbox::DEMO_API_SECRET),
        "no secret in an export"
    );
    // A second export in the same second does not overwrite the first.
    let second = drafts::export_draft(state, &draft.id).await.unwrap();
    assert_ne!(second.path, exported.path);

    // Import over the existing draft: the old one goes to the trash, the report says so.
    let report = drafts::import_draft(state, file_name, &text).await.unwrap();
    assert_eq!(report.draft.id, draft.id);
    assert_eq!(report.draft.record, draft.record);
    assert_eq!(report.draft.base, draft.base);
    assert_eq!(report.draft.revision, 1);
    assert_eq!(
        report.issues.len(),
        2,
        "the demo's remaining problems: {report:?}"
    );
    assert_eq!(report.draft.issue_count, 2);
    assert!(
        report.notes.iter().any(|n| n.contains("trash")),
        "{report:?}"
    );
    assert_eq!(
        drafts::open_draft(state, &draft.id).await.unwrap(),
        report.draft
    );

    // Into another environment: imported into the active one.
    app.add_environment("Staging", false).await;
    let report = drafts::import_draft(state, file_name, &text).await.unwrap();
    assert_eq!(report.draft.environment, "Staging");
    assert_ne!(report.draft.id, draft.id);
    assert!(
        report.notes.iter().any(|n| n.contains("Staging")),
        "{report:?}"
    );
    kyb_app::use_cases::session::select_environment(state, "Sandbox")
        .await
        .unwrap();

    // Files that are not portable drafts: invalid_input on `text`, naming the place.
    let err = expect_invalid(
        drafts::import_draft(
            state,
            "/home/me/notes.json",
            "{\"format\": \"kyb-desk-draft\",\n \"version\": 2}",
        )
        .await,
        "text",
    );
    let message = err.to_string();
    assert!(
        message.starts_with("notes.json: ") && message.contains("line 2"),
        "{message}"
    );
    let mut unknown = file.clone();
    unknown["api_secret"] = json!("x");
    expect_invalid(
        drafts::import_draft(state, "a.json", &unknown.to_string()).await,
        "text",
    );
    expect_invalid(
        drafts::import_draft(state, "a.json", "not json").await,
        "text",
    );
    let huge = " ".repeat(drafts::MAX_IMPORT_BYTES + 1);
    expect_invalid(drafts::import_draft(state, "a.json", &huge).await, "text");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_open_draft_survives_a_restart_with_its_drafts() {
    let Some(mut app) = app().await else { return };
    assert_eq!(drafts::restore_workspace(&app.state).await.unwrap(), None);
    let kept = app
        .draft_with("cus_demo_0006", |record| {
            record["business_details"]["website"] = json!("https://andes.example.com.br")
        })
        .await;
    let other = app.draft_with("cus_demo_0001", |_| {}).await;
    drafts::set_open_draft(&app.state, Some(&kept.id))
        .await
        .unwrap();

    app.restart(Options::default()).await;
    let state = &app.state;
    assert_eq!(
        drafts::restore_workspace(state).await.unwrap(),
        Some(kept.clone())
    );
    let library = drafts::list_drafts(state).await.unwrap();
    let ids: Vec<&str> = library
        .drafts
        .iter()
        .map(|d| d.summary.id.as_str())
        .collect();
    assert_eq!(ids, [other.id.as_str(), kept.id.as_str()], "newest first");

    // Closed: nothing to restore. A deleted open draft restores as nothing too.
    drafts::set_open_draft(state, None).await.unwrap();
    assert_eq!(drafts::restore_workspace(state).await.unwrap(), None);
    drafts::set_open_draft(state, Some(&kept.id)).await.unwrap();
    drafts::delete_draft(state, &kept.id).await.unwrap();
    assert_eq!(drafts::restore_workspace(state).await.unwrap(), None);
    drafts::set_open_draft(state, Some(" ")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn draft_use_case_errors() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let missing = update_draft_id("Sandbox", "cus_nope");
    for id in ["../../etc/passwd", " "] {
        expect_invalid(drafts::open_draft(state, id).await, "id");
        expect_invalid(drafts::delete_draft(state, id).await, "id");
        expect_invalid(drafts::restore_draft(state, id).await, "id");
        expect_invalid(drafts::export_draft(state, id).await, "id");
        expect_invalid(outbox::queue_draft(state, id, None).await, "id");
    }
    expect_err(
        drafts::open_draft(state, &missing).await,
        ErrorKind::DraftNotFound,
    );
    expect_err(
        drafts::delete_draft(state, &missing).await,
        ErrorKind::DraftNotFound,
    );
    expect_err(
        drafts::restore_draft(state, &missing).await,
        ErrorKind::DraftNotFound,
    );
    expect_err(
        drafts::export_draft(state, &missing).await,
        ErrorKind::DraftNotFound,
    );
    expect_err(
        outbox::queue_draft(state, &missing, None).await,
        ErrorKind::DraftNotFound,
    );
    expect_invalid(drafts::set_open_draft(state, Some("nope")).await, "id");

    let loaded = app.open("cus_demo_0001").await;
    let record = page_record(&loaded);
    let mut save = app.update_save(&loaded, &record).await;
    save.environment = "Nowhere".into();
    expect_invalid(drafts::save_draft(state, save).await, "draft");
    let mut wrong_id = app.update_save(&loaded, &record).await;
    wrong_id.id = Some(update_draft_id("Sandbox", "cus_demo_0002"));
    expect_err(
        drafts::save_draft(state, wrong_id).await,
        ErrorKind::InvalidInput,
    );
    let mut bad_id = app.update_save(&loaded, &record).await;
    bad_id.id = Some("../x".into());
    expect_err(
        drafts::save_draft(state, bad_id).await,
        ErrorKind::InvalidInput,
    );

    // Anything typed is kept, even what does not parse.
    let mut odd = app
        .update_save(
            &loaded,
            &json!({"account_usage": {AMOUNT: "12,5"}, "fax": [1, 2]}),
        )
        .await;
    odd.base = None;
    let saved = drafts::save_draft(state, odd).await.unwrap();
    assert_eq!(saved.record["fax"], json!([1, 2]));
    assert!(saved.issue_count >= 2, "{saved:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_customer_draft_saves_and_queues_as_a_create() {
    let Some(app) = app().await else { return };
    let state = &app.state;
    let record = app.record("cus_demo_0001").await;
    let partner_id = unique("P-NEW");
    let save = DraftSave {
        id: None,
        environment: "Sandbox".into(),
        target: DraftTarget::Create {
            partner_customer_id: partner_id.clone(),
        },
        base: None,
        record,
        editor: None,
    };
    let draft = drafts::save_draft(state, save).await.unwrap();
    assert!(draft.id.starts_with("c-"), "{draft:?}");
    assert!(draft.base.is_none());
    drafts::set_open_draft(state, Some(&draft.id))
        .await
        .unwrap();

    let entry = outbox::queue_draft(state, &draft.id, None).await.unwrap();
    let sent = app.wait_for_state(&entry.id, "sent").await;
    let OutboxState::Sent { customer, .. } = &sent.state else {
        unreachable!()
    };
    let customer_id = customer.customer_id.clone();
    assert_eq!(
        customer.partner_customer_id.as_deref(),
        Some(partner_id.as_str())
    );
    assert_eq!(state.sandbox().unwrap().stats().creates_for(&partner_id), 1);

    // The create draft becomes the new customer's update draft, and stays the open one.
    let update_id = update_draft_id("Sandbox", &customer_id);
    wait_until(
        "the create draft to become an update draft",
        Duration::from_secs(10),
        || async { drafts::open_draft(state, &update_id).await.is_ok() },
    )
    .await;
    let converted = drafts::open_draft(state, &update_id).await.unwrap();
    assert_eq!(
        converted.target,
        DraftTarget::Update {
            customer_id: customer_id.clone()
        }
    );
    assert_eq!(
        converted.record,
        converted.base.as_ref().unwrap().record,
        "nothing pending after the send"
    );
    expect_err(
        drafts::open_draft(state, &draft.id).await,
        ErrorKind::DraftNotFound,
    );
    assert_eq!(
        drafts::restore_workspace(state)
            .await
            .unwrap()
            .map(|d| d.id),
        Some(update_id.clone())
    );
    assert_eq!(
        app.open(&customer_id).await.draft.map(|d| d.id),
        Some(update_id)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_sealed_with_a_lost_key_are_set_aside_and_listed() {
    let Some(mut app) = app().await else { return };
    let lost = app
        .draft_with("cus_demo_0001", |record| {
            record["business_details"]["website"] = json!("https://acme.example.io")
        })
        .await;
    let id = lost.id.clone();
    // The keychain entry is gone (new profile, another machine): a new key is made at start.
    kyb_core::sealed::KeychainKeyStore::with_service(format!("{}-drafts", app.keychain_service))
        .delete()
        .unwrap();
    app.restart(Options::default()).await;
    let state = &app.state;

    let err = expect_err(
        drafts::open_draft(state, &id).await,
        ErrorKind::DraftUnreadable,
    );
    assert_eq!(err.body().id.as_deref(), Some(id.as_str()));
    assert!(err.to_string().contains("key"), "{err}");
    assert!(
        app.open("cus_demo_0001").await.draft.is_none(),
        "the customer still opens"
    );
    let library = drafts::list_drafts(state).await.unwrap();
    assert!(library.drafts.is_empty());
    assert_eq!(library.unreadable.len(), 1, "{library:?}");
    assert_eq!(library.unreadable[0].id.as_deref(), Some(id.as_str()));
    assert_eq!(library.unreadable[0].cause, UnreadableCause::WrongKey);
    assert!(
        app.dir
            .path()
            .join("data/drafts-unreadable")
            .join(format!("{id}.sealed"))
            .is_file(),
        "kept, never deleted"
    );

    // A new draft for the customer can be kept with the new key.
    let fresh = app.draft_with("cus_demo_0001", |_| {}).await;
    assert_eq!((fresh.id.as_str(), fresh.revision), (id.as_str(), 1));
}
