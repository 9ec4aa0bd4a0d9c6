//! Screenshots of the main screens from the real app under Xvfb (scripts/screenshots.sh runs this
//! once per theme). WebKitGTK follows GTK's theme for `prefers-color-scheme`, so the dark run
//! starts the app with `GTK_THEME=Adwaita:dark`; the test checks the page really is in the
//! asked-for scheme before taking anything. Images are WebDriver screenshots of the window's
//! web view at its configured size (1280×860; Xvfb has no window manager, so no decorations).
//!
//! `KYB_SCREENSHOT_THEME` = `light` | `dark`; `KYB_SCREENSHOTS_DIR` = where `<screen>-<theme>.png`
//! go (scripts/screenshots.sh: docs/screenshots).
//!
//! The last shot is the editor in a Production environment (red frame and banner): the
//! "Production" environment is pointed at the app's own built-in sandbox (fixed port) with the
//! sandbox's demo credentials, stored through Settings and cleared again at the end.
//! Runs inside scripts/e2e.sh's session: `KYB_E2E_TOOL=screenshots bash scripts/e2e.sh`.
//!
//! The editor with problems, Review changes, Drafts and the document review are also taken at
//! the smallest supported window (1024×700) and a common laptop one (1440×900), into
//! `layout/<screen>-<width>x<height>-<theme>.png`, to check the layout holds; the window goes
//! back to its configured size after each.

use std::path::PathBuf;
use std::process::ExitCode;

use kyb_tests::e2e::{ensure, tool_exit, try_run, Desk, Options, Res, WAIT};
use fantoccini::Locator;
use kyb_core::client::{ClientConfig, CustomerLookup, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::validation::{check_update, ValidationContext};

async fn settle(d: &Desk) -> Res {
    // Fonts loaded, no pending validation, a frame painted, nothing focused by the test's
    // last click that would not be focused for a person who just arrived.
    d.c.execute_async("const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));", vec![]).await?;
    d.next_frame().await?;
    Ok(())
}

async fn open(d: &Desk, id: &str) -> Res {
    d.wait_screen("open").await?;
    d.fill("open-customer-input", id).await?;
    d.click("open-customer-button").await?;
    d.wait_screen("editor").await?;
    d.wait_text("customer-id", id).await?;
    Ok(())
}

async fn scroll_top(d: &Desk) -> Res {
    d.js("window.scrollTo(0, 0); document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; });", vec![]).await?;
    Ok(())
}

/// The page sizes the layout shots are taken at: the smallest supported window and a laptop's.
const LAYOUT_SIZES: [(u32, u32); 2] = [(1024, 700), (1440, 900)];

/// Resize so that the page itself (the web view) is `width`×`height`.
async fn size_page(d: &Desk, width: u32, height: u32) -> Res {
    d.c.set_window_size(width, height).await?;
    d.next_frame().await?;
    let inner = d.js("return [window.innerWidth, window.innerHeight]", vec![]).await?;
    let (w, h) = (inner[0].as_u64().unwrap_or(0) as u32, inner[1].as_u64().unwrap_or(0) as u32);
    if (w, h) != (width, height) {
        d.c.set_window_size(width + width.saturating_sub(w), height + height.saturating_sub(h)).await?;
        d.next_frame().await?;
    }
    Ok(())
}

/// The screen as it is now at each of `LAYOUT_SIZES`, then the window as it was.
async fn layout_shots(d: &Desk, dir: &std::path::Path, name: &str, theme: &str) -> Res {
    let (w0, h0) = d.c.get_window_size().await?;
    for (w, h) in LAYOUT_SIZES {
        size_page(d, w, h).await?;
        scroll_top(d).await?;
        settle(d).await?;
        d.screenshot_to(&dir.join("layout").join(format!("{name}-{w}x{h}-{theme}.png"))).await?;
    }
    d.c.set_window_size(w0 as u32, h0 as u32).await?;
    d.next_frame().await?;
    Ok(())
}

// One thread, as `#[tokio::test]` gave the tool when it was a test.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let theme = std::env::var("KYB_SCREENSHOT_THEME").unwrap_or_else(|_| "light".into());
    if theme != "light" && theme != "dark" {
        eprintln!("KYB_SCREENSHOT_THEME must be light or dark");
        return ExitCode::FAILURE;
    }
    let Some(dir) = std::env::var_os("KYB_SCREENSHOTS_DIR").map(PathBuf::from) else {
        eprintln!("KYB_SCREENSHOTS_DIR is not set (scripts/screenshots.sh sets it)");
        return ExitCode::FAILURE;
    };
    let mut env = vec![];
    if theme == "dark" {
        env.push(("GTK_THEME".to_string(), "Adwaita:dark".to_string()));
    } else {
        env.push(("GTK_THEME".to_string(), "Adwaita".to_string()));
    }
    let opts = Options { env, fixed_sandbox_port: true, ..Options::default() };
    let outcome = try_run(&format!("screenshots_{theme}"), opts, move |d| async move {
        let dark = d.js("return matchMedia('(prefers-color-scheme: dark)').matches", vec![]).await?;
        ensure!(dark == (theme == "dark"), "the page is not in the {theme} scheme (prefers-color-scheme: dark = {dark})");
        let shot = |name: &str| dir.join(format!("{name}-{theme}.png"));

        // Open customer, with two recent customers listed.
        open(&d, "cus_demo_0004").await?;
        d.click("close-customer").await?;
        open(&d, "cus_demo_0001").await?;
        d.click("close-customer").await?;
        d.wait_screen("open").await?;
        d.el("recent-cus_demo_0004").await?;
        d.el("recent-cus_demo_0001").await?;
        settle(&d).await?;
        d.screenshot_to(&shot("open-customer")).await?;

        // Editor with inline errors: the demo record with planted problems (http website,
        // lowercase country, expired passport): the summary on top, the website's error inline.
        d.click("recent-cus_demo_0004").await?;
        d.wait_screen("editor").await?;
        d.el("error-summary").await?;
        d.el("fld-business_details-website-error").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("editor-errors")).await?;
        layout_shots(&d, &dir, "editor-errors", &theme).await?;

        // Review: a fixed customer with a few edits shows before/after.
        d.click("close-customer").await?;
        open(&d, "cus_demo_0001").await?;
        d.fill("fld-primary_contact-contact_email", "kyc@acme-robotics.example.com").await?;
        d.fill("fld-primary_contact-contact_phone", "+14155550123").await?;
        d.fill("fld-business_details-website", "https://www.acme-robotics.example.com").await?;
        d.gone("error-summary").await?;
        d.click("review-button").await?;
        d.wait_screen("review").await?;
        d.el("diff-table").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("review-diff")).await?;
        layout_shots(&d, &dir, "review-diff", &theme).await?;

        // Conflict: meanwhile another officer changed the same email at the partner; queueing
        // finds it (base, theirs, mine side by side). Choose per field, then it is sent.
        let sandbox = d.sandbox_url.clone().ok_or("no sandbox url")?;
        let other_officer = PartnerClient::new(ClientConfig::new(
            sandbox.parse()?,
            ApiCredentials { api_key: kyb_sandbox::DEMO_API_KEY.into(), api_secret: kyb_sandbox::DEMO_API_SECRET.into() },
        ))?;
        let current = other_officer.get_customer(&CustomerLookup::CustomerId("cus_demo_0001".into())).await?;
        let mut theirs = current.sections();
        if let Some(contact) = theirs.primary_contact.as_mut() {
            contact.contact_email = Some("onboarding@acme-robotics.example.com".into());
        }
        let theirs = check_update(theirs, &ValidationContext::now()).map_err(|issues| format!("{issues:?}"))?;
        other_officer.update_customer("cus_demo_0001", &theirs, None).await?;
        d.click("queue-button").await?;
        d.wait_screen("conflict").await?;
        d.el("conflict-table").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("conflict")).await?;
        for row in d.c.find_all(Locator::Css("[data-testid=conflict-row]")).await? {
            row.find(Locator::Css("[data-testid=conflict-choice-mine]")).await?.click().await?;
        }
        d.click("apply-choices").await?;
        d.wait_screen("submission").await?;
        d.until("the resolved entry to be sent", WAIT, || async {
            Ok((d.el("submit-result").await?.attr("data-state").await?.as_deref() == Some("sent")).then_some(()))
        })
        .await?;

        // A new customer prepared as a draft (still incomplete), then the drafts library and the
        // outbox.
        d.click("open-another").await?;
        d.wait_screen("open").await?;
        d.click("new-customer").await?;
        d.wait_screen("editor").await?;
        d.fill("fld-partner_customer_id", "P-2001").await?;
        d.fill("fld-business_details-business_name_english", "Nordlicht Logistics GmbH").await?;
        d.until("the new customer's draft to be saved", WAIT, || async {
            Ok((d.el("draft-status").await?.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
        })
        .await?;
        d.click("drafts-nav").await?;
        d.wait_screen("drafts").await?;
        d.until("two drafts listed", WAIT, || async {
            Ok((d.c.find_all(Locator::Css("[data-testid=draft-row]")).await?.len() >= 2).then_some(()))
        })
        .await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("drafts-library")).await?;
        layout_shots(&d, &dir, "drafts-library", &theme).await?;
        d.click("outbox-nav").await?;
        d.wait_screen("outbox").await?;
        d.el("outbox-entry").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("outbox")).await?;

        // Reviewer workflow: a change to Nordlicht prepared by the officer, then reviewed by
        // another profile: the company register extract (a PDF drawn by pdf.js) and the ID front
        // (an image) beside the fields they support, then the audit trail.
        d.click("open-nav").await?;
        open(&d, "cus_demo_0002").await?;
        d.fill("fld-business_details-website", "https://nordlicht.example.de").await?;
        d.until("the draft to be saved", WAIT, || async {
            Ok((d.el("draft-status").await?.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
        })
        .await?;
        d.click("switch-profile").await?;
        d.choose_profile("Rita Reviewer").await?;
        if d.screen().await? != "editor" {
            d.click("drafts-nav").await?;
            d.wait_screen("drafts").await?;
            d.click("library-review").await?;
        } else {
            d.click("review-docs-button").await?;
        }
        d.wait_screen("documents").await?;
        let pdf = d.wait_css("[data-testid=doc-item][data-kind=business_registration]", WAIT).await?;
        pdf.click().await?;
        d.el("viewer-pdf-page").await?;
        d.click("decision-verified").await?;
        d.click("save-decision").await?;
        d.wait_css("[data-testid=doc-item][data-kind=business_registration][data-decision=verified]", WAIT).await?;
        let pdf = d.wait_css("[data-testid=doc-item][data-kind=business_registration]", WAIT).await?;
        pdf.click().await?;
        d.el("viewer-pdf-page").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("documents-pdf")).await?;
        layout_shots(&d, &dir, "documents-pdf", &theme).await?;
        let front = d.wait_css("[data-testid=doc-item][data-kind=id_front]", WAIT).await?;
        front.click().await?;
        d.until("the ID image to load", WAIT, || async {
            let loaded = d
                .js("const i = document.querySelector('[data-testid=viewer-image]'); return !!(i && i.complete && i.naturalWidth > 0)", vec![])
                .await?;
            Ok((loaded == serde_json::Value::Bool(true)).then_some(()))
        })
        .await?;
        d.click("zoom-in").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("documents-image")).await?;
        d.click("audit-nav").await?;
        d.wait_screen("audit").await?;
        d.wait_css("[data-testid=chain-status][data-intact=true]", WAIT).await?;
        d.el("audit-entry").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("audit")).await?;

        d.click("drafts-nav").await?;
        d.wait_screen("drafts").await?;

        // Settings: the built-in sandbox, a staging and a production environment.
        d.click("settings-link").await?;
        d.wait_screen("settings").await?;
        for (name, url, prod) in [
            ("Staging", "https://partner-staging.example.com/", false),
            ("Production", "https://partner.example.com/", true),
        ] {
            d.click("env-add").await?;
            d.wait_focus("env-name").await?;
            d.fill("env-name", name).await?;
            d.fill("env-base-url", url).await?;
            if prod {
                d.click("env-is-production").await?;
            }
            d.click("env-save").await?;
            d.el(&format!("env-row-{name}")).await?;
        }
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("settings")).await?;

        // Editor in production: point "Production" at the built-in sandbox with the demo
        // credentials, switch to it and open a customer there.
        d.click("env-edit-Production").await?;
        d.wait_focus("env-base-url").await?;
        d.fill("env-base-url", &sandbox).await?;
        d.click("env-save").await?;
        d.wait_text("env-row-Production", &sandbox).await?;
        d.click("env-credentials-Production").await?;
        d.wait_focus("cred-api-key").await?;
        d.fill("cred-api-key", "sandbox-key").await?;
        d.fill("cred-api-secret", "sandbox-secret").await?;
        d.click("cred-save").await?;
        d.wait_text("env-has-credentials-Production", "Yes").await?;
        let select = d.ready("environment-select").await?;
        select.select_by_value("Production").await?;
        // The review's edits are kept as a draft: the switch does not ask.
        d.until("the switch to Production", WAIT, || async {
            Ok((d.el("app").await?.attr("data-env").await?.as_deref() == Some("Production")).then_some(()))
        })
        .await?;
        d.el("production-banner").await?;
        d.click("open-nav").await?;
        open(&d, "cus_demo_0004").await?;
        d.el("error-summary").await?;
        scroll_top(&d).await?;
        settle(&d).await?;
        d.screenshot_to(&shot("production-editor")).await?;

        // Leave no demo credentials behind in the keychain.
        d.click("close-customer").await?;
        d.wait_screen("open").await?;
        d.click("settings-link").await?;
        d.wait_screen("settings").await?;
        d.click("env-clear-credentials-Production").await?;
        d.wait_text("env-has-credentials-Production", "No").await?;
        Ok(())
    })
    .await;
    tool_exit(outcome)
}
