//! End-to-end flow against the partner as published (docs/e2e.md): the app's built-in sandbox
//! plays the strict personality (`KYB_DESK_SANDBOX_PERSONALITY=strict`). `cus_demo_0006` opens with
//! the status "Under Review" shown as written and its people without basic info, listed as missing
//! parts; the officer fills them in through the form and submits; the partner refuses the update
//! with a `{code, message, source}` error (the sandbox's `reject_next` fault, set over HTTP) and
//! the error lands on the field it names; fixing that field and submitting again is sent and
//! settles. Run via scripts/e2e.sh (Xvfb, D-Bus, keychain, built app and tauri-driver).

use std::time::Duration;

use fantoccini::Locator;
use kyb_sandbox::{DEMO_API_KEY, DEMO_API_SECRET};
use kyb_tests::e2e::{ensure, run, tid, Context, Desk, Options, Res, WAIT};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CUSTOMER: &str = "cus_demo_0006";
const REFUSED_PATH: &str = "business_person_list[1].basic_info.last_name_english";
const REFUSED_FIELD: &str = "fld-business_person_list-1-basic_info-last_name_english";
const REFUSAL_MESSAGE: &str = "the last name does not match the identity document";

/// What the officer types for each person the partner answered without basic info.
struct Person {
    first: &'static str,
    last: &'static str,
    birth: &'static str,
    role_typed: &'static str,
    role: &'static str,
}

const PEOPLE: [Person; 2] = [
    Person { first: "Mariana", last: "Oliveira Costa", birth: "1984-10-19", role_typed: "Legal Rep", role: "Legal Representative" },
    Person { first: "Rafael", last: "Souza", birth: "1972-05-27", role_typed: "Sharehold", role: "Shareholder" },
];

/// `POST /__sandbox/faults` on the app's built-in sandbox. The tests' crate has no HTTP client of
/// its own (adding one would change the shared lock file), and one loopback request with
/// `Connection: close` needs none.
async fn set_sandbox_faults(sandbox: &str, body: serde_json::Value) -> Res {
    let addr = sandbox.strip_prefix("http://").ok_or("the sandbox url is not plain http")?;
    let body = body.to_string();
    let request = format!(
        "POST /__sandbox/faults HTTP/1.1\r\nHost: {addr}\r\nX-API-Key: {DEMO_API_KEY}\r\nX-API-Secret: {DEMO_API_SECRET}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.ctx("connect to the built-in sandbox")?;
    stream.write_all(request.as_bytes()).await?;
    let mut answer = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut answer)).await.ctx("the sandbox's answer to the faults")??;
    let status = answer.lines().next().unwrap_or_default();
    ensure!(status.starts_with("HTTP/1.1 200"), "setting the sandbox's faults was answered {answer:?}");
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
    d.until(&format!("`{testid}` to hold {value:?}"), WAIT, || async {
        Ok(d.el(testid).await?.attr("data-value").await?.filter(|v| v == value))
    })
    .await?;
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

/// Review the changes, submit, and return once the submission screen shows the entry.
async fn review_and_submit(d: &Desk) -> Res {
    d.click("review-button").await?;
    d.wait_screen("review").await?;
    d.click("queue-button").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn strict_partner_missing_basic_info_filled_then_a_refused_field_is_shown_fixed_and_sent() {
    let opts = Options {
        fixed_sandbox_port: true,
        env: vec![("KYB_DESK_SANDBOX_PERSONALITY".into(), "strict".into())],
        ..Options::default()
    };
    run("strict_partner_refusal", opts, |d| async move {
        let sandbox = d.sandbox_url.clone().ok_or("no sandbox url")?;
        d.wait_screen("open").await?;
        d.fill("open-customer-input", CUSTOMER).await?;
        d.click("open-customer-button").await?;
        d.wait_screen("editor").await?;
        ensure!(d.text("customer-id").await? == CUSTOMER, "the editor shows another customer");

        // The status beyond the four is shown as the partner wrote it, neutral.
        let status = d.el("customer-status").await?;
        ensure!(status.attr("data-status").await?.as_deref() == Some("Under Review"), "status badge {:?}", status.attr("data-status").await?);
        ensure!(status.text().await?.contains("Under Review"), "status text {:?}", status.text().await?);
        let class = status.attr("class").await?.unwrap_or_default();
        ensure!(class.split(' ').any(|c| c == "status--other"), "the unknown status is not neutral: class {class:?}");

        // Each person's basic info is listed as missing, to be filled in before submitting.
        d.el("missing-parts").await?;
        let parts = d.c.find_all(Locator::Css(&tid("missing-part"))).await?;
        let mut paths = Vec::new();
        for part in &parts {
            paths.push(part.attr("data-path").await?.unwrap_or_default());
        }
        for i in 0..PEOPLE.len() {
            let path = format!("business_person_list[{i}].basic_info");
            ensure!(paths.contains(&path), "missing parts {paths:?} do not list {path}");
        }

        // Fill them in through the form.
        for (i, person) in PEOPLE.iter().enumerate() {
            let p = format!("fld-business_person_list-{i}-basic_info");
            d.fill(&format!("{p}-first_name_english"), person.first).await?;
            d.fill(&format!("{p}-last_name_english"), person.last).await?;
            type_date(&d, &format!("{p}-birth_date"), person.birth).await?;
            pick(&d, &format!("{p}-nationality"), "Brazil", "BR").await?;
            pick(&d, &format!("{p}-role_type"), person.role_typed, person.role).await?;
        }
        d.until("the filled-in record to validate without problems", WAIT, || async {
            let n = d.c.find_all(Locator::Css(".field__errors")).await?.len();
            Ok((n == 0 && !d.exists("error-summary").await?).then_some(()))
        })
        .await?;

        // The partner will refuse the next update, naming one field.
        let reject = json!({"reject_next": {
            "count": 1, "field": REFUSED_PATH, "code": "name_mismatch", "message": REFUSAL_MESSAGE,
        }});
        set_sandbox_faults(&sandbox, reject).await?;
        review_and_submit(&d).await?;

        // The refused entry brings the draft back with the partner's error on that field.
        d.wait_screen("editor").await?;
        let errors = d.wait_text(&format!("{REFUSED_FIELD}-error"), REFUSAL_MESSAGE).await?;
        ensure!(errors.contains(REFUSAL_MESSAGE), "inline errors {errors:?}");
        let field = d.el(REFUSED_FIELD).await?;
        ensure!(field.attr("aria-invalid").await?.as_deref() == Some("true"), "the refused field is not aria-invalid");

        // Fix it: the partner's error goes away with the edit, and the next submit is sent.
        d.fill(REFUSED_FIELD, "Souza Lima").await?;
        d.gone(&format!("{REFUSED_FIELD}-error")).await?;
        ensure!(d.el(REFUSED_FIELD).await?.attr("aria-invalid").await?.is_none(), "the fixed field is still aria-invalid");
        review_and_submit(&d).await?;
        d.wait_screen("submission").await?;
        d.until("the entry to be sent", WAIT, || async {
            Ok((d.el("submit-result").await?.attr("data-state").await?.as_deref() == Some("sent")).then_some(()))
        })
        .await?;
        d.wait_text("entry-state", "Sent").await?;
        d.until("status Succeeded", Duration::from_secs(30), || async {
            let s = d.el("submit-result").await?.find(Locator::Css("[data-status]")).await?.attr("data-status").await?;
            Ok((s.as_deref() == Some("Succeeded")).then_some(()))
        })
        .await?;
        Ok(())
    })
    .await;
}
