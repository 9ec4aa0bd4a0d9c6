//! Customer search over what this desktop knows (recent customers, drafts, the outbox and the
//! built-in Sandbox's demo customers), on a real app state.

use kyb_app::use_cases::search::{search_customers, MatchSource, MatchedField};
use kyb_app::use_cases::{drafts, outbox};
use kyb_core::drafts::{DraftSave, DraftTarget};
use serde_json::json;

use crate::common::{Options, TestApp};

#[tokio::test(flavor = "multi_thread")]
async fn demo_and_recent_customers_are_found_by_name_without_case_or_accents() {
    let app = TestApp::new().await;
    let state = &app.state;
    let before = search_customers(state, "NORDLICHT").await.unwrap();
    assert_eq!(
        before.demo_customers.len(),
        6,
        "the built-in Sandbox lists its demo customers"
    );
    assert!(before.demo_customers.iter().all(|d| !d.purpose.is_empty()));
    assert_eq!(before.matches.len(), 1);
    assert_eq!(before.matches[0].sources, [MatchSource::SandboxDemo]);
    assert!(before.matches[0].demo_purpose.is_some());

    app.open("cus_demo_0002").await;
    let after = search_customers(state, "  nordlicht logistics ")
        .await
        .unwrap();
    assert_eq!(after.query, "nordlicht logistics");
    assert_eq!(
        after.matches[0].customer_id.as_deref(),
        Some("cus_demo_0002")
    );
    assert_eq!(
        after.matches[0].sources,
        [MatchSource::Recent, MatchSource::SandboxDemo]
    );
    assert_eq!(after.matches[0].matched, MatchedField::BusinessName);

    // Accents folded: "Andes Coffee Exporters Ltda." has none, the query has.
    let accented = search_customers(state, "ÁNDES").await.unwrap();
    assert_eq!(
        accented.matches[0].customer_id.as_deref(),
        Some("cus_demo_0006")
    );
    // A partner customer id, exactly: first.
    let by_partner = search_customers(state, "p-1004").await.unwrap();
    assert_eq!(
        by_partner.matches[0].customer_id.as_deref(),
        Some("cus_demo_0004")
    );
    assert_eq!(
        by_partner.matches[0].matched,
        MatchedField::PartnerCustomerId
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_and_the_outbox_are_searched_and_a_miss_says_where_it_looked() {
    let app = TestApp::with(Options {
        worker: false,
        ..Options::default()
    })
    .await;
    let state = &app.state;
    let miss = search_customers(state, "Zürich Widgets").await.unwrap();
    assert!(miss.matches.is_empty());
    assert!(
        miss.searched
            .contains("recent customers, drafts and the outbox"),
        "{}",
        miss.searched
    );
    assert!(miss.hint.contains("customer id"), "{}", miss.hint);
    if !app.keychain() {
        return; // drafts and the outbox need the keychain (drafts_no_keychain.rs)
    }

    // A new customer being prepared: found only through its draft.
    let save = DraftSave {
        id: None,
        environment: "Sandbox".into(),
        target: DraftTarget::Create {
            partner_customer_id: "P-NEW-42".into(),
        },
        base: None,
        record: json!({"business_details": {"business_name_english": "Zürich Widgets AG"}}),
        editor: None,
    };
    let created = drafts::save_draft(state, save).await.unwrap();
    let found = search_customers(state, "zurich widgets").await.unwrap();
    assert_eq!(found.matches.len(), 1);
    let m = &found.matches[0];
    assert_eq!(
        (m.customer_id.as_deref(), m.draft_id.as_deref()),
        (None, Some(created.id.as_str()))
    );
    assert_eq!(m.sources, [MatchSource::Draft]);
    assert_eq!(
        search_customers(state, "p-new-4").await.unwrap().matches[0].matched,
        MatchedField::PartnerCustomerId
    );

    // A renamed customer queued for sending: found by its new name in the draft and the outbox.
    let draft = app
        .draft_with("cus_demo_0001", |record| {
            record["business_details"]["business_name_english"] = json!("Acme Quantum LLC");
        })
        .await;
    outbox::queue_draft(state, &draft.id, None).await.unwrap();
    let queued = search_customers(state, "quantum").await.unwrap();
    assert_eq!(queued.matches.len(), 1);
    assert_eq!(
        queued.matches[0].customer_id.as_deref(),
        Some("cus_demo_0001")
    );
    assert!(
        queued.matches[0].sources.contains(&MatchSource::Draft)
            && queued.matches[0].sources.contains(&MatchSource::Outbox),
        "{:?}",
        queued.matches[0].sources
    );
}
