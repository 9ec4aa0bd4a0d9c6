//! End-to-end reviewer workflow and four-eyes approval in the real app, built-in sandbox:
//! the preparer (profile "Olivia Officer") edits a customer and attaches a new ID image; the
//! reviewer (another profile) cannot be the preparer, goes through every document with the
//! keyboard (next, Verified), confirms the identifier numbers, approves, exports the case report
//! and submits; the audit view shows the whole story with the chain intact, and the exported
//! HTML report holds every decision. Run via scripts/e2e.sh.

use std::time::Duration;

use kyb_tests::e2e::{ensure, run, write_png, Context, Options, OFFICER, WAIT};

const CUSTOMER: &str = "cus_demo_0002";
const REVIEWER: &str = "Rita Reviewer";
const WEBSITE: &str = "fld-business_details-website";
const FRONT_SLOT: &str = "fld-business_person_list-0-identification-id_document_front_file_id";

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn preparer_attaches_reviewer_decides_approves_submits_and_the_trail_holds() {
    let opts = Options { fixed_sandbox_port: true, ..Options::default() };
    run("review_four_eyes", opts, |d| async move {
        // The preparer edits and attaches a new ID front through the document slot.
        d.wait_screen("open").await?;
        d.fill("open-customer-input", CUSTOMER).await?;
        d.click("open-customer-button").await?;
        d.wait_screen("editor").await?;
        d.fill(WEBSITE, "https://nordlicht.example.de").await?;
        let png = write_png(&d.xdg_root, "vogel-id-front.png");
        d.el(&format!("{FRONT_SLOT}-upload")).await?.send_keys(&png.to_string_lossy()).await.ctx("choose the ID image")?;
        let status = format!("{FRONT_SLOT}-upload-status");
        d.until("the upload to finish", WAIT, || async {
            let phase = d.el(&status).await?.attr("data-phase").await?.unwrap_or_default();
            if phase == "error" {
                return Err(format!("upload failed: {}", d.text(&status).await?).into());
            }
            Ok((phase == "done").then_some(()))
        })
        .await?;
        let new_front = d.el(FRONT_SLOT).await?.prop("value").await?.unwrap_or_default();
        ensure!(new_front.starts_with("file_"), "the slot holds {new_front:?} after the upload");
        d.wait_saved().await?;

        // The preparer's own review screen: the documents are there, but four-eyes applies.
        d.click("review-docs-button").await?;
        d.wait_screen("documents").await?;
        let items = d.document_items().await?;
        ensure!(items.len() == 4, "two company documents and the ID pair; got {items:?}");
        ensure!(items.iter().any(|(id, _)| id == &new_front), "the new ID front is listed: {items:?}");
        let approve = d.el("approve-button").await?;
        ensure!(approve.attr("disabled").await?.is_some(), "the preparer's approve button is enabled");

        // The reviewer takes over.
        d.click("switch-profile").await?;
        d.choose_profile(REVIEWER).await?;
        if d.screen().await? != "documents" {
            d.click("drafts-nav").await?;
            d.wait_screen("drafts").await?;
            d.click("library-review").await?;
            d.wait_screen("documents").await?;
        }

        // The new upload is shown from its local copy, as an image.
        d.select_document(&new_front).await?;
        d.until("the ID image to load", WAIT, || async {
            let loaded = d
                .js("const i = document.querySelector('[data-testid=viewer-image]'); return !!(i && i.complete && i.naturalWidth > 0)", vec![])
                .await?;
            Ok((loaded == serde_json::Value::Bool(true)).then_some(()))
        })
        .await?;
        d.click("rotate").await?;
        d.click("zoom-in").await?;

        // Keyboard-first: from the first document, "v" decides Verified, then the next one.
        let first = items[0].0.clone();
        d.select_document(&first).await?;
        for _ in 0..items.len() {
            d.c.active_element().await?.send_keys("v").await.ctx("press v")?;
            d.next_frame().await?;
        }
        d.until("every document to be verified", WAIT, || async {
            let items = d.document_items().await?;
            Ok(items.iter().all(|(_, decision)| decision == "verified").then_some(()))
        })
        .await?;

        // The identifier numbers match the documents.
        d.confirm_every_number(&items).await?;
        d.until("the checklist to be complete", WAIT, || async {
            let states = d
                .js("return [...document.querySelectorAll('[data-testid=checklist-item]')].map(i => i.getAttribute('data-state'))", vec![])
                .await?;
            let all_done = states.as_array().is_some_and(|s| !s.is_empty() && s.iter().all(|v| v == "done"));
            Ok(all_done.then_some(()))
        })
        .await?;

        // Approve; the approval names the reviewer.
        d.click("approve-button").await?;
        d.until("the approval", WAIT, || async {
            Ok((d.el("approval-state").await?.attr("data-state").await?.as_deref() == Some("valid")).then_some(()))
        })
        .await?;
        let approval = d.text("approval-state").await?;
        ensure!(approval.contains(REVIEWER), "approval shows {approval:?}");

        // The case report is written into the export folder (where the officer finds it), the
        // page names the file, with its full path as the name's title, and offers "Open folder".
        d.click("export-case-report").await?;
        let file_name = d
            .until("the case report's file name", WAIT, || async {
                Ok(Some(d.text("case-report-path").await?.trim().to_owned()).filter(|t| t.ends_with(".html")))
            })
            .await?;
        let report_path = d.export_dir.join(&file_name);
        let title = d.el("case-report-path").await?.attr("title").await?.unwrap_or_default();
        ensure!(
            std::path::Path::new(&title) == report_path,
            "the case report's name has the title {title:?}, expected the path {}",
            report_path.display()
        );
        let reveal = d.text("case-report-written-reveal").await?;
        ensure!(reveal.contains("Open folder"), "no \"Open folder\" button next to the case report: {reveal:?}");
        let html = std::fs::read_to_string(&report_path).ctx(format_args!("read the case report at {}", report_path.display()))?;
        for (file_id, _) in &items {
            ensure!(
                html.contains(&format!("data-file-id=\"{file_id}\"")),
                "the case report has no row for {file_id}"
            );
        }
        ensure!(html.matches("data-decision=\"verified\"").count() >= items.len(), "the report holds the decisions");
        ensure!(html.contains(REVIEWER) && html.contains(OFFICER), "the report names the reviewer and the preparer");
        // It opens: the app's own WebView renders it (as a data URL in a new document).
        let opened = d
            .js(
                "const doc = new DOMParser().parseFromString(arguments[0], 'text/html'); \
                 return [...doc.querySelectorAll('[data-decision]')].map(r => r.getAttribute('data-decision'))",
                vec![serde_json::Value::String(html.clone())],
            )
            .await?;
        ensure!(
            opened.as_array().is_some_and(|a| a.len() >= items.len() && a.iter().all(|v| v == "verified")),
            "the report parsed in the WebView shows decisions {opened}"
        );

        // Submit: the diff review, then the outbox.
        d.click("open-editor").await.or(Ok::<(), Box<dyn std::error::Error + Send + Sync>>(()))?;
        if d.screen().await? != "editor" {
            d.click("drafts-nav").await?;
            d.wait_screen("drafts").await?;
            d.click("library-open").await?;
        }
        d.wait_screen("editor").await?;
        d.click("review-button").await?;
        d.wait_screen("review").await?;
        d.click("queue-button").await?;
        d.wait_screen("submission").await?;
        d.until("the entry to be sent", Duration::from_secs(30), || async {
            Ok((d.el("submit-result").await?.attr("data-state").await?.as_deref() == Some("sent")).then_some(()))
        })
        .await?;

        // The audit view: every step, the chain intact.
        d.click("audit-nav").await?;
        d.wait_screen("audit").await?;
        d.until("the chain check", WAIT, || async {
            Ok((d.el("chain-status").await?.attr("data-intact").await?.as_deref() == Some("true")).then_some(()))
        })
        .await?;
        let types = d
            .until("the submission in the trail", WAIT, || async {
                let v = d
                    .js("return [...document.querySelectorAll('[data-testid=audit-entry]')].map(r => r.getAttribute('data-type'))", vec![])
                    .await?;
                let types: Vec<String> =
                    v.as_array().map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect()).unwrap_or_default();
                Ok(types.iter().any(|t| t == "submission_sent").then_some(types))
            })
            .await?;
        for expected in ["document_decided", "identifier_confirmed", "approval_granted", "submission_queued", "submission_sent"] {
            ensure!(types.iter().any(|t| t == expected), "no {expected} in the audit view: {types:?}");
        }
        let decided = types.iter().filter(|t| *t == "document_decided").count();
        ensure!(decided >= items.len(), "{decided} decisions in the trail for {} documents", items.len());
        Ok(())
    })
    .await;
}

