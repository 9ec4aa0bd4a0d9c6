//! End-to-end flows of the customer editor against the app's built-in sandbox (docs/e2e.md):
//! (a) a broken field is shown inline and in the error summary and blocks going on, fixing it
//! clears both; (b)+(c) a new legal representative filled through the inputs and pickers, an ID
//! image uploaded through a document slot, the changes reviewed as a diff, submitted, and followed
//! from Processing to Succeeded — then checked at the sandbox itself.
//! Run via scripts/e2e.sh (Xvfb, D-Bus, keychain, built app and tauri-driver).

use std::time::Duration;

use fantoccini::Locator;
use kyb_core::client::{ClientConfig, CustomerLookup, PartnerClient};
use kyb_core::credentials::ApiCredentials;
use kyb_core::model::CustomerStatus;
use kyb_tests::e2e::{ensure, run, tid, write_png, Context, Desk, Options, Res, WAIT};

const CUSTOMER: &str = "cus_demo_0001";
const EMAIL: &str = "fld-primary_contact-contact_email";
const ORIGINAL_EMAIL: &str = "compliance@acme-robotics.example.com";

/// Open a customer by id from the first screen; returns once the editor shows it.
async fn open_customer(d: &Desk, id: &str) -> Res {
    d.wait_screen("open").await?;
    d.fill("open-customer-input", id).await?;
    d.click("open-customer-button").await?;
    d.wait_screen("editor").await?;
    let shown = d.text("customer-id").await?;
    ensure!(shown == id, "the editor shows customer {shown:?}, expected {id:?}");
    Ok(())
}

/// Choose `value` in the searchable picker `testid` by typing `typed` and clicking the option.
async fn pick(d: &Desk, testid: &str, typed: &str, value: &str) -> Res {
    d.interact(testid, "type into picker", |input| async move {
        input.click().await?;
        input.send_keys(typed).await
    })
    .await?;
    let option = d.wait_css(&format!("{} li[data-value=\"{value}\"]", tid(&format!("{testid}-listbox"))), WAIT).await?;
    d.scroll_to(&option).await?;
    option.click().await.ctx(format_args!("click on option {value:?} of `{testid}`"))?;
    let chosen = d
        .until(&format!("`{testid}` to hold {value:?}"), WAIT, || async {
            Ok(d.el(testid).await?.attr("data-value").await?.filter(|v| v == value))
        })
        .await?;
    ensure!(chosen == value, "picker `{testid}` holds {chosen:?}");
    Ok(())
}

/// Type a date as the officer would: the date field is a text input taking `YYYY-MM-DD` (its
/// hint, read with the field through `aria-describedby`, says so), so the ISO date is typed as it
/// is, whatever the locale. Checks the hint is announced and the input holds the date.
async fn type_date(d: &Desk, testid: &str, iso: &str) -> Res {
    let described = d.el(testid).await?.attr("aria-describedby").await?.unwrap_or_default();
    let hint = format!("{testid}-hint");
    ensure!(described.split(' ').any(|id| id == hint), "date input `{testid}` is not described by its hint ({described:?})");
    let hint_text = d.js("return document.getElementById(arguments[0])?.textContent || ''", vec![hint.clone().into()]).await?;
    let hint_text = hint_text.as_str().unwrap_or_default().to_owned();
    ensure!(hint_text.contains("YYYY-MM-DD"), "the hint of `{testid}` does not state the format: {hint_text:?}");
    d.fill(testid, iso).await
}

/// Issue messages listed under a field (`<id>-error`), once there is at least one.
async fn inline_errors(d: &Desk, field: &str) -> Res<String> {
    let list = d.el(&format!("{field}-error")).await?;
    let text = list.text().await?;
    ensure!(!text.trim().is_empty(), "the inline error list of `{field}` is empty");
    Ok(text)
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn broken_email_shows_inline_and_in_summary_blocks_review_then_fixing_clears_it() {
    run("editor_break_fix", Options::default(), |d| async move {
        open_customer(&d, CUSTOMER).await?;
        ensure!(!d.exists("error-summary").await?, "a valid demo customer opens with an error summary");
        ensure!(d.el(EMAIL).await?.prop("value").await?.as_deref() == Some(ORIGINAL_EMAIL), "email not loaded");

        // Break it: the inline error appears next to the field...
        d.fill(EMAIL, "not-an-email").await?;
        let inline = inline_errors(&d, EMAIL).await?;
        let field = d.el(EMAIL).await?;
        ensure!(field.attr("aria-invalid").await?.as_deref() == Some("true"), "the email input is not aria-invalid");
        let described = field.attr("aria-describedby").await?.unwrap_or_default();
        ensure!(described.split(' ').any(|id| id == format!("{EMAIL}-error")), "the input is not described by its error ({described:?})");
        // ...next to it on screen: the error list sits inside the same field block, below the input.
        let (_, iy, _, ih) = field.rectangle().await?;
        let (_, ey, _, _) = d.el(&format!("{EMAIL}-error")).await?.rectangle().await?;
        ensure!(ey >= iy + ih && ey - (iy + ih) < 80.0, "the inline error is not right below the input (input y={iy} h={ih}, error y={ey})");
        // ...and in the summary at the top, with the same message and a link to the field.
        let summary = d.el("error-summary").await?;
        let link_id = format!("summary-link-{EMAIL}");
        let link_text = d.wait_text(&link_id, "Contact email").await?;
        let message = inline.trim_start_matches(['!', ' ', '\n']).trim().to_string();
        ensure!(link_text.contains(&message), "summary item {link_text:?} does not carry the inline message {message:?}");
        ensure!(summary.attr("data-count").await?.as_deref() == Some("1"), "summary count is not 1");

        // Going on is blocked: "Review changes" keeps the editor and turns the summary into an alert.
        d.click("review-button").await?;
        d.until("the summary to become an alert", WAIT, || async {
            Ok((d.el("error-summary").await?.attr("role").await?.as_deref() == Some("alert")).then_some(()))
        })
        .await?;
        ensure!(d.screen().await? == "editor", "review opened with a broken field");
        d.wait_focus("error-summary-title").await?;

        // The summary link takes focus to the field.
        d.click(&link_id).await?;
        d.wait_focus(EMAIL).await?;

        // Fix it: the inline error and the summary go away, and review opens.
        d.fill(EMAIL, "kyc@acme-robotics.example.com").await?;
        d.gone(&format!("{EMAIL}-error")).await?;
        d.gone("error-summary").await?;
        ensure!(d.el(EMAIL).await?.attr("aria-invalid").await?.is_none(), "the fixed input is still aria-invalid");
        d.click("review-button").await?;
        d.wait_screen("review").await?;
        let row = d.wait_css("[data-testid=diff-row][data-path=\"primary_contact.contact_email\"]", WAIT).await?;
        let text = row.text().await?;
        ensure!(text.contains(ORIGINAL_EMAIL) && text.contains("kyc@acme-robotics.example.com"), "diff row {text:?}");
        ensure!(d.ready("queue-button").await.is_ok(), "submit is not enabled for a fixed record");
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn add_representative_attach_id_image_review_diff_submit_until_succeeded() {
    let opts = Options { fixed_sandbox_port: true, ..Options::default() };
    run("editor_representative_submit", opts, |d| async move {
        open_customer(&d, CUSTOMER).await?;
        let before = d.find_persons().await?;
        ensure!(before == 2, "{CUSTOMER} should open with 2 representatives, shows {before}");

        // (b) A new representative, filled through the inputs and pickers.
        d.click("add-representative").await?;
        let p = "fld-business_person_list-2";
        d.el(p).await?;
        // The new person's first input has focus (so a keyboard user can type at once).
        let first = format!("{p}-basic_info-first_name_english");
        d.wait_focus(&first).await?;
        d.fill(&first, "Grace").await?;
        d.fill(&format!("{p}-basic_info-last_name_english"), "Hopper").await?;
        type_date(&d, &format!("{p}-basic_info-birth_date"), "1985-04-12").await?;
        pick(&d, &format!("{p}-basic_info-nationality"), "United States", "US").await?;
        pick(&d, &format!("{p}-basic_info-role_type"), "Legal Rep", "Legal Representative").await?;
        pick(&d, &format!("{p}-identification-id_type"), "Passp", "Passport").await?;
        d.fill(&format!("{p}-identification-id_number"), "X40172955").await?;
        pick(&d, &format!("{p}-identification-id_issuing_country_code"), "United States", "US").await?;
        type_date(&d, &format!("{p}-identification-id_expiration_date"), "2034-09-30").await?;

        // Attach the passport's main page through the slot's file input: it uploads to the
        // partner and the slot shows the returned file id.
        let slot = format!("{p}-identification-id_document_front_file_id");
        let png = write_png(&d.xdg_root, "grace-hopper-passport.png");
        d.el(&format!("{slot}-upload")).await?.send_keys(&png.to_string_lossy()).await.ctx("choose the file in the slot's file input")?;
        let status = format!("{slot}-upload-status");
        d.until("the upload to finish", WAIT, || async {
            let phase = d.el(&status).await?.attr("data-phase").await?.unwrap_or_default();
            if phase == "error" {
                return Err(format!("upload failed: {}", d.text(&status).await?).into());
            }
            Ok((phase == "done").then_some(()))
        })
        .await?;
        let file_id = d.el(&slot).await?.prop("value").await?.unwrap_or_default();
        ensure!(!file_id.is_empty(), "the slot is empty after the upload");
        let status_text = d.text(&status).await?;
        ensure!(status_text.contains(&file_id) && status_text.contains("grace-hopper-passport.png"), "upload status {status_text:?} vs slot {file_id:?}");

        // Nothing to fix: no summary, no inline errors anywhere.
        d.until("validation of the new person to settle without problems", WAIT, || async {
            let n = d.c.find_all(Locator::Css(".field__errors")).await?.len();
            Ok((n == 0 && !d.exists("error-summary").await?).then_some(()))
        })
        .await?;

        // (c) Review: every changed field listed with before and after.
        d.click("review-button").await?;
        d.wait_screen("review").await?;
        d.el("diff-table").await?;
        let rows = d.diff_rows().await?;
        // The added person is one group, named (its fields behind a disclosure).
        let added = d.js("return document.querySelector('details[data-change=added] summary')?.textContent || ''", vec![]).await?;
        ensure!(added.as_str().unwrap_or_default().starts_with("Person 3 added: Grace Hopper"), "added group {added:?}");
        let expect = [
            ("business_person_list[2].basic_info.first_name_english", "Grace"),
            ("business_person_list[2].basic_info.last_name_english", "Hopper"),
            ("business_person_list[2].basic_info.role_type", "Legal Representative"),
            ("business_person_list[2].basic_info.nationality", "US"),
            ("business_person_list[2].identification.id_type", "Passport"),
            ("business_person_list[2].identification.id_number", "X40172955"),
            // A document by the name it was uploaded with (the app keeps a copy), not its id.
            ("business_person_list[2].identification.id_document_front_file_id", "grace-hopper-passport.png"),
        ];
        for (path, after) in expect {
            let row = rows.iter().find(|r| r.0 == path).ok_or_else(|| format!("no diff row for {path}; rows: {rows:#?}"))?;
            ensure!(row.1.is_empty(), "{path}: 'before' should be empty for a new person, is {:?}", row.1);
            ensure!(row.2.contains(after), "{path}: 'after' is {:?}, expected {after:?}", row.2);
        }
        let birth = rows.iter().find(|r| r.0 == "business_person_list[2].basic_info.birth_date").ok_or("no diff row for the birth date")?;
        ensure!(birth.2.contains("1985-04-12"), "birth date after = {:?}", birth.2);
        ensure!(rows.iter().all(|r| r.0.starts_with("business_person_list[2]")), "unrelated fields changed: {rows:#?}");

        // Submit (through the outbox): the entry is sent, then the app follows the partner's
        // status from Processing to Succeeded.
        d.click("queue-button").await?;
        d.wait_screen("submission").await?;
        d.until("the entry to be sent", WAIT, || async {
            Ok((d.el("submit-result").await?.attr("data-state").await?.as_deref() == Some("sent")).then_some(()))
        })
        .await?;
        d.until("status Succeeded", Duration::from_secs(30), || async {
            let s = d.el("submit-result").await?.find(Locator::Css("[data-status]")).await?.attr("data-status").await?;
            Ok((s.as_deref() == Some("Succeeded")).then_some(()))
        })
        .await?;
        d.wait_text("settled-text", "accepted").await?;

        // The partner (the sandbox the app runs) now holds the new person with the uploaded file.
        let sandbox = d.sandbox_url.clone().ok_or("no sandbox url")?;
        let client = PartnerClient::new(ClientConfig::new(
            sandbox.parse()?,
            ApiCredentials { api_key: kyb_sandbox::DEMO_API_KEY.into(), api_secret: kyb_sandbox::DEMO_API_SECRET.into() },
        ))?;
        let stored = client.get_customer(&CustomerLookup::CustomerId(CUSTOMER.into())).await?;
        ensure!(stored.status == CustomerStatus::Succeeded, "sandbox status {:?}", stored.status);
        let persons = stored.business_person_list.unwrap_or_default();
        ensure!(persons.len() == 3, "sandbox holds {} persons", persons.len());
        let grace = serde_json::to_value(&persons[2])?;
        ensure!(grace["basic_info"]["first_name_english"] == "Grace", "person 3 at the sandbox: {grace}");
        ensure!(grace["identification"]["id_document_front_file_id"] == file_id.as_str(), "person 3 at the sandbox: {grace}");
        Ok(())
    })
    .await;
}

trait EditorPage {
    async fn find_persons(&self) -> Res<usize>;
    async fn diff_rows(&self) -> Res<Vec<(String, String, String)>>;
}

impl EditorPage for Desk {
    /// How many person blocks the editor shows.
    async fn find_persons(&self) -> Res<usize> {
        self.el("fld-business_person_list").await?;
        Ok(self.c.find_all(Locator::Css("fieldset.person")).await?.len())
    }

    /// `(path, before, after)` of each diff row; an empty value reads as "".
    async fn diff_rows(&self) -> Res<Vec<(String, String, String)>> {
        let v = self
            .js(
                "return [...document.querySelectorAll('[data-testid=diff-row]')].map(r => [
                    r.getAttribute('data-path'),
                    (r.querySelector('.diff__before .diff__value') || {}).textContent || '',
                    (r.querySelector('.diff__after .diff__value') || {}).textContent || '']);",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(v)?)
    }
}
