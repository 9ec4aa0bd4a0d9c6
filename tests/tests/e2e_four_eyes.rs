//! End-to-end four-eyes on the built-in "Sandbox (four-eyes)" (approval required, no set-up):
//! the preparer's Review changes reads "Waiting for approval" (disabled, naming who can give it);
//! the reviewer finds the change under "Needs review", opens the record in the editor (which
//! must not make her a preparer), reviews, approves, and the editor and Review changes say who
//! approved; a new customer without documents is stopped in the editor with what to add.
//! Run via scripts/e2e.sh (`KYB_E2E_TESTS=e2e_four_eyes`).

use chrono::Utc;
use fantoccini::Locator;
use kyb_core::drafts::{DraftTarget, PORTABLE_FORMAT, PORTABLE_VERSION};
use kyb_core::environments::SANDBOX_FOUR_EYES_NAME;
use kyb_tests::e2e::{ensure, run, tid, Desk, Options, Res, OFFICER, WAIT};
use serde_json::{json, Value};

const CUSTOMER: &str = "cus_demo_0002";
const REVIEWER: &str = "Rita Reviewer";
const WEBSITE: &str = "fld-business_details-website";

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn waiting_for_approval_then_a_reviewer_who_opens_the_editor_still_approves() {
    let opts = Options { fixed_sandbox_port: true, ..Options::default() };
    run("four_eyes_reviewer", opts, |d| async move {
        d.wait_screen("open").await?;
        use_four_eyes_sandbox(&d).await?;

        // The preparer changes a customer.
        d.fill("open-customer-input", CUSTOMER).await?;
        d.click("open-customer-button").await?;
        d.wait_screen("editor").await?;
        d.fill(WEBSITE, "https://nordlicht.example.de").await?;
        d.wait_saved().await?;
        d.wait_text("draft-state", "1 unsent change, waiting for approval").await?;

        // Review changes: the submit action waits for approval and says who can give it.
        d.click("review-button").await?;
        d.wait_screen("review").await?;
        let button = d.el("queue-button").await?;
        d.until("the submit action to wait for approval", WAIT, || async {
            Ok((button.attr("data-readiness").await?.as_deref() == Some("waiting_for_approval")).then_some(()))
        })
        .await?;
        let label = button.text().await?;
        ensure!(label.contains("Waiting for approval"), "the submit action reads {label:?}");
        ensure!(button.attr("disabled").await?.is_some(), "the submit action is enabled while waiting for approval");
        let waiting = d.text("review-waiting").await?;
        ensure!(waiting.contains(&format!("a profile other than {OFFICER}")), "the note says {waiting:?}");
        ensure!(!d.exists("submit-error").await?, "an error was shown without pressing anything");

        // The reviewer finds it under "Needs review" and opens its documents.
        d.click("switch-profile").await?;
        d.choose_profile(REVIEWER).await?;
        d.click("needs-review-nav").await?;
        d.wait_screen("needs-review").await?;
        let preparers = d.text("needs-review-preparers").await?;
        ensure!(preparers.contains(OFFICER), "Needs review lists preparers {preparers:?}");
        d.click("needs-review-open").await?;
        d.wait_screen("documents").await?;

        // She opens the record in the editor and comes back: still not a preparer.
        d.click("open-editor").await?;
        d.wait_screen("editor").await?;
        wait_saved_or_untouched(&d).await?;
        d.wait_text("draft-state", "waiting for approval").await?;
        d.click("review-docs-button").await?;
        d.wait_screen("documents").await?;
        let preparers = d
            .until("the preparers", WAIT, || async {
                let text = d.text("preparers").await?;
                Ok((text.contains(OFFICER)).then_some(text))
            })
            .await?;
        ensure!(!preparers.contains(REVIEWER), "opening the editor made the reviewer a preparer: {preparers:?}");

        // She decides every document, confirms the numbers and approves.
        let items: Vec<String> = d.document_items().await?.into_iter().map(|(id, _)| id).collect();
        ensure!(!items.is_empty(), "no documents listed");
        for file_id in &items {
            d.select_document(file_id).await?;
            d.c.active_element().await?.send_keys("v").await.map_err(|e| format!("press v: {e}"))?;
            d.next_frame().await?;
        }
        d.until("every document to be verified", WAIT, || async {
            let v = d
                .js("return [...document.querySelectorAll('[data-testid=doc-item]')].every(i => i.getAttribute('data-decision') === 'verified')", vec![])
                .await?;
            Ok((v == Value::Bool(true)).then_some(()))
        })
        .await?;
        for file_id in &items {
            d.select_document(file_id).await?;
            for b in d.c.find_all(Locator::Css(&tid("confirm-match"))).await? {
                if b.prop("checked").await?.as_deref() != Some("true") {
                    d.scroll_to(&b).await?;
                    b.click().await.map_err(|e| format!("confirm the number: {e}"))?;
                    d.next_frame().await?;
                }
            }
        }
        d.until("the approve button", WAIT, || async { Ok(d.el("approve-button").await?.attr("disabled").await?.is_none().then_some(())) })
            .await?;
        d.click("approve-button").await?;
        d.until("the approval", WAIT, || async {
            Ok((d.el("approval-state").await?.attr("data-state").await?.as_deref() == Some("valid")).then_some(()))
        })
        .await?;

        // The editor and Review changes say who approved; the submit action is ready.
        d.click("open-editor").await?;
        d.wait_screen("editor").await?;
        d.wait_text("draft-approval", &format!("Approved by {REVIEWER}")).await?;
        d.wait_text("draft-state", "approved, not sent").await?;
        d.click("review-button").await?;
        d.wait_screen("review").await?;
        d.wait_text("review-approval-text", &format!("Approved by {REVIEWER}")).await?;
        d.until("the submit action to be ready", WAIT, || async {
            let b = d.el("queue-button").await?;
            Ok((b.attr("data-readiness").await?.as_deref() == Some("ready") && b.attr("disabled").await?.is_none()).then_some(()))
        })
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn a_new_customer_without_documents_is_stopped_in_the_editor_with_what_to_add() {
    let opts = Options { fixed_sandbox_port: true, ..Options::default() };
    run("four_eyes_new_customer", opts, |d| async move {
        d.wait_screen("open").await?;
        use_four_eyes_sandbox(&d).await?;

        // A valid new customer with no registration document and no ID images, as a draft file.
        let file = d.xdg_root.join("fresh-start.json");
        std::fs::write(&file, serde_json::to_vec_pretty(&new_customer_file())?)?;
        d.click("drafts-nav").await?;
        d.wait_screen("drafts").await?;
        d.el("import-draft-input").await?.send_keys(&file.to_string_lossy()).await.map_err(|e| format!("choose the file: {e}"))?;
        d.click("import-open").await?;
        d.wait_screen("editor").await?;

        // The editor asks for what the review will need (first calmly, as fields to fill), and
        // going to review is refused there, with the review's words in the raised summary.
        d.until("the review's needs in the editor", WAIT, || async {
            let found = d.c.find_all(Locator::Css("[data-testid=summary-slot] [data-code=registration_document]")).await?;
            Ok((!found.is_empty()).then_some(()))
        })
        .await?;
        d.click("review-button").await?;
        d.next_frame().await?;
        d.wait_screen("editor").await?;
        let summary = d.wait_text("error-summary", "A registration document is needed").await?;
        ensure!(summary.contains("needs ID images"), "the summary does not ask for ID images: {summary:?}");
        let alert = d.el("error-summary").await?.attr("role").await?;
        ensure!(alert.as_deref() == Some("alert"), "the summary is not raised as an alert: {alert:?}");
        Ok(())
    })
    .await;
}

/// Choose the built-in "Sandbox (four-eyes)" in the header's switcher.
async fn use_four_eyes_sandbox(d: &Desk) -> Res {
    let select = d.ready("environment-select").await?;
    select.select_by_value(SANDBOX_FOUR_EYES_NAME).await?;
    d.until("the environment switch", WAIT, || async {
        Ok((d.el("app").await?.attr("data-env").await?.as_deref() == Some(SANDBOX_FOUR_EYES_NAME)).then_some(()))
    })
    .await
}

/// A portable draft file of a valid new customer whose registration documents and ID images are
/// taken out (the samples' record otherwise).
fn new_customer_file() -> Value {
    let today = Utc::now().date_naive();
    let mut record = serde_json::to_value(kyb_core::samples::valid_update(7, today)).unwrap_or_default();
    if let Some(details) = record.get_mut("business_details").and_then(Value::as_object_mut) {
        details.remove("business_identifier_document_list");
    }
    if let Some(people) = record.get_mut("business_person_list").and_then(Value::as_array_mut) {
        for person in people {
            if let Some(id) = person.get_mut("identification").and_then(Value::as_object_mut) {
                id.remove("id_document_front_file_id");
                id.remove("id_document_back_file_id");
            }
        }
    }
    json!({
        "format": PORTABLE_FORMAT,
        "version": PORTABLE_VERSION,
        "exported_at": Utc::now(),
        "environment": SANDBOX_FOUR_EYES_NAME,
        "target": DraftTarget::Create { partner_customer_id: "FRESH-START-1".into() },
        "idempotency_key": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "record": record,
    })
}

/// The editor opened from review: saved (if the page stored anything) or untouched.
async fn wait_saved_or_untouched(d: &Desk) -> Res {
    d.until("the draft status to settle", WAIT, || async {
        let state = d.el("draft-status").await?.attr("data-state").await?.unwrap_or_default();
        Ok((state == "saved" || state == "idle").then_some(()))
    })
    .await
}

