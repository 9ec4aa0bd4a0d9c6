//! End-to-end team mode: two app instances (separate data folders and keychain services) and one
//! team server on PostgreSQL with the demo OpenID Connect provider and a partner sandbox. The
//! preparer connects in Settings → Team, signs in through "the browser" (the provider's pages,
//! played by the stand-in browser the app is given), starts a team draft, edits it and uploads an
//! ID; the reviewer on the other app finds it waiting for her review, sees the new ID image (read
//! from the server), decides every document and approves; the preparer submits; the server sends
//! once; both apps show the customer as Succeeded and the same team trail.
//! Run via scripts/e2e.sh (`KYB_E2E_TESTS=e2e_team`).

use std::time::Duration;

use fantoccini::Locator;
use kyb_server::identity::OidcSettings;
use kyb_server::testing::{DemoProvider, TestDatabase};
use kyb_tests::e2e::{ensure, launch, tid, write_png, Context, Desk, Options, Res, Running, WAIT};
use serde_json::Value;

const CUSTOMER: &str = "cus_demo_0002";
const TEAM_SANDBOX: &str = "Team · Sandbox";
const WEBSITE: &str = "fld-business_details-website";
const FRONT_SLOT: &str = "fld-business_person_list-0-identification-id_document_front_file_id";
/// Long steps: the team sync runs every 2 s, the server's outbox and the sandbox settle after it.
const TEAM_WAIT: Duration = Duration::from_secs(60);

struct Team {
    _db: TestDatabase,
    _provider: DemoProvider,
    sandbox: std::sync::Arc<kyb_sandbox::SandboxHandle>,
    server: kyb_server::ServerHandle,
    _folder: tempfile::TempDir,
}

impl Team {
    async fn start() -> Self {
        let db = TestDatabase::fresh().await.expect("PostgreSQL (scripts/e2e.sh runs the tests inside scripts/postgres.sh)");
        let provider = DemoProvider::start().expect("the demo OpenID Connect provider (scripts/oidc, npm ci)");
        let folder = tempfile::tempdir().unwrap();
        let sandbox = std::sync::Arc::new(kyb_server::testing::partner_sandbox(&folder.path().join("sandbox"), "k-e2e", "s-e2e").await);
        let mut config = db.server_config();
        config.oidc = Some(OidcSettings::new(provider.issuer.clone()));
        config.outbox_interval = Some(Duration::from_millis(200));
        let server = kyb_server::start(config.clone()).await.unwrap();
        let settings = kyb_server::environments::EnvironmentSettings {
            name: "Sandbox".into(),
            base_url: sandbox.base_url(),
            requires_approval: true,
            is_production: false,
        };
        kyb_server::environments::save(&server.pool, "operator:e2e", &settings).await.unwrap();
        kyb_server::environments::set_credentials(&server.pool, &config.sealing_key, "operator:e2e", "Sandbox", "k-e2e", "s-e2e").await.unwrap();
        Self { _db: db, _provider: provider, sandbox, server, _folder: folder }
    }
}

/// An app for `user` of the demo provider, acting as local profile `profile`, with its own
/// keychain service, signing in through the stand-in browser.
fn options(user: &str, profile: &str) -> Options {
    let browser = std::env::var("KYB_DEMO_BROWSER").expect("KYB_DEMO_BROWSER (scripts/e2e.sh builds kyb-demo-browser)");
    Options {
        profile: Some(profile.to_owned()),
        env: vec![
            ("KYB_DESK_KEYCHAIN_SERVICE".into(), format!("kyb-e2e-team-{user}-{}", std::process::id())),
            ("KYB_DESK_SIGN_IN_BROWSER".into(), browser),
            ("KYB_DEMO_SIGN_IN_USER".into(), user.to_owned()),
            // WebKit's own painting path: screenshots get an answer (see e2e_layout).
            ("KYB_DESK_RENDERING".into(), "webkit".into()),
        ],
        own_session: true,
        ..Options::default()
    }
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn a_preparer_and_a_reviewer_on_two_apps_get_one_change_approved_and_sent_by_the_team_server() {
    let team = Team::start().await;
    let url = team.server.base_url();
    let olivia = launch("team_preparer", &options("olivia", "Olivia Officer")).await.expect("the preparer's app starts");
    let rita = match launch("team_reviewer", &options("rita", "Rita Reviewer")).await {
        Ok(rita) => rita,
        Err(err) => {
            olivia.shutdown().await;
            panic!("the reviewer's app did not start: {err}");
        }
    };
    let outcome = tokio::spawn(flow(olivia.desk.clone(), rita.desk.clone(), url, team.sandbox.clone())).await;
    let failure = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(err)) => Some(format!("{err}\n  ({err:?})")),
        Err(join) => Some(join.to_string()),
    };
    if let Some(failure) = failure {
        let report = report(&olivia, "preparer").await + &report(&rita, "reviewer").await;
        olivia.shutdown().await;
        rita.shutdown().await;
        panic!("team e2e FAILED: {failure}\n{report}");
    }
    olivia.shutdown().await;
    rita.shutdown().await;
}

async fn report(running: &Running, who: &str) -> String {
    format!("\n=== the {who}'s app ===\n{}\n--- log ---\n{}\n", running.desk.failure_report().await, running.log_tail(40))
}

async fn flow(olivia: Desk, rita: Desk, url: String, sandbox: std::sync::Arc<kyb_sandbox::SandboxHandle>) -> Res {
    // Both connect in Settings → Team and sign in through the browser.
    for (d, name) in [(&olivia, "Olivia Officer"), (&rita, "Rita Reviewer")] {
        d.wait_screen("open").await?;
        connect_and_sign_in(d, &url, name).await?;
    }

    // The preparer starts a team draft of the customer, edits it and uploads an ID front.
    olivia.click("nav-team").await?;
    olivia.wait_screen("team").await?;
    olivia.ready("team-start-env").await?.select_by_value(TEAM_SANDBOX).await.ctx("choose the team's Sandbox")?;
    olivia.fill("team-start-customer", CUSTOMER).await?;
    olivia.click("team-start").await?;
    olivia.wait_screen("editor").await?;
    olivia.fill(WEBSITE, "https://team.nordlicht.example.de").await?;
    let png = write_png(&olivia.xdg_root, "team-id-front.png");
    olivia.el(&format!("{FRONT_SLOT}-upload")).await?.send_keys(&png.to_string_lossy()).await.ctx("choose the ID image")?;
    let status = format!("{FRONT_SLOT}-upload-status");
    olivia
        .until("the upload through the team server", TEAM_WAIT, || async {
            let phase = olivia.el(&status).await?.attr("data-phase").await?.unwrap_or_default();
            ensure!(phase != "error", "upload failed: {}", olivia.text(&status).await?);
            Ok((phase == "done").then_some(()))
        })
        .await?;
    let new_front = olivia.el(FRONT_SLOT).await?.prop("value").await?.unwrap_or_default();
    ensure!(new_front.starts_with("file_"), "the slot holds {new_front:?} after the upload");
    olivia
        .until("the draft to be saved", WAIT, || async {
            Ok((olivia.el("draft-status").await?.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
        })
        .await?;

    // The reviewer finds it waiting for her review (pushed by the preparer's team sync).
    rita.click("nav-team").await?;
    rita.wait_screen("team").await?;
    let row = rita
        .until("the draft in Waiting for my review", TEAM_WAIT, || async {
            // The list is replaced every few seconds: read it in one script, hold no element.
            let rows = rita
                .js("return [...document.querySelectorAll('[data-testid=team-row]')].map(r => [r.getAttribute('data-team-id'), r.textContent])", vec![])
                .await?;
            let found = rows.as_array().into_iter().flatten().find(|r| {
                let text = r[1].as_str().unwrap_or_default();
                text.contains("Olivia Officer") && text.contains(CUSTOMER)
            });
            Ok(found.and_then(|r| r[0].as_str()).map(str::to_owned))
        })
        .await?;
    let in_row = |testid: &str| format!("{}[data-team-id=\"{row}\"] {}", tid("team-row"), tid(testid));
    // Waiting until the preparer's last edit (the ID) is on the server before reviewing it.
    rita.until("the ID upload in the team's copy", TEAM_WAIT, || async {
        click_fresh(&rita, &in_row("team-review"), "Review documents").await?;
        rita.wait_screen("documents").await?;
        if rita.document_items().await?.iter().any(|(id, _)| id == &new_front) {
            return Ok(Some(()));
        }
        rita.click("nav-team").await?;
        rita.wait_screen("team").await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        Ok(None)
    })
    .await?;

    // The new ID is shown, read from the team server; she decides every document, confirms the
    // numbers and approves.
    rita.select_document(&new_front).await?;
    rita.until("the ID image from the team server", TEAM_WAIT, || async {
        let loaded = rita
            .js("const i = document.querySelector('[data-testid=viewer-image]'); return !!(i && i.complete && i.naturalWidth > 0)", vec![])
            .await?;
        Ok((loaded == Value::Bool(true)).then_some(()))
    })
    .await?;
    snapshot(&rita, "team-reviewer-documents").await;
    let items = rita.document_items().await?;
    for (file_id, _) in &items {
        rita.select_document(file_id).await?;
        rita.c.active_element().await?.send_keys("v").await.ctx("press v")?;
        rita.next_frame().await?;
    }
    rita.until("every document verified", TEAM_WAIT, || async {
        Ok(rita.document_items().await?.iter().all(|(_, decision)| decision == "verified").then_some(()))
    })
    .await?;
    rita.confirm_every_number(&items).await?;
    rita.until("the approve button", TEAM_WAIT, || async {
        Ok(rita.el("approve-button").await?.attr("disabled").await?.is_none().then_some(()))
    })
    .await?;
    rita.click("approve-button").await?;
    rita.until("the approval", TEAM_WAIT, || async {
        Ok((rita.el("approval-state").await?.attr("data-state").await?.as_deref() == Some("valid")).then_some(()))
    })
    .await?;

    // The preparer's app learns of the approval from the server; she submits through it.
    olivia.click("review-button").await?;
    olivia.wait_screen("review").await?;
    olivia
        .until("the team submit to be ready", TEAM_WAIT, || async {
            let button = olivia.el("team-submit").await?;
            Ok(button.attr("disabled").await?.is_none().then_some(()))
        })
        .await?;
    olivia.click("team-submit").await?;
    olivia.wait_text_for("team-customer-status", "Succeeded", TEAM_WAIT).await?;
    snapshot(&olivia, "team-preparer-sent").await;
    ensure!(sandbox.stats().updates_for(CUSTOMER) == 1, "the partner applied the change {} times", sandbox.stats().updates_for(CUSTOMER));

    // The reviewer's app shows it sent too; both read the same team trail.
    rita.click("nav-team").await?;
    rita.wait_screen("team").await?;
    rita.click("team-tab-all").await?;
    let sent = format!("return document.querySelector('{}')?.getAttribute('data-state')", in_row("team-row-submission").replace('\'', "\\'"));
    rita.until("the submission shown as sent", TEAM_WAIT, || async {
        Ok((rita.js(&sent, vec![]).await?.as_str() == Some("sent")).then_some(()))
    })
    .await?;
    let reviewer_trail = trail(&rita, &row).await?;
    snapshot(&rita, "team-reviewer-queue-and-trail").await;
    olivia.click("nav-team").await?;
    olivia.wait_screen("team").await?;
    olivia.click("team-tab-all").await?;
    let preparer_trail = trail(&olivia, &row).await?;
    ensure!(!preparer_trail.is_empty() && preparer_trail == reviewer_trail, "the trails differ:\n{preparer_trail:?}\n{reviewer_trail:?}");
    for action in ["Olivia Officer: draft created", "Olivia Officer: document uploaded", "Olivia Officer: draft changed", "Rita Reviewer: document decided", "Rita Reviewer: draft approved", "Olivia Officer: submission queued"] {
        ensure!(preparer_trail.iter().any(|(_, a)| a.contains(action)), "{action:?} is not in the trail: {preparer_trail:?}");
    }
    Ok(())
}

/// Settings → Team: connect to `url`, sign in (the app opens the stand-in browser), and wait
/// for "Signed in as `name`".
async fn connect_and_sign_in(d: &Desk, url: &str, name: &str) -> Res {
    d.click("settings-link").await?;
    d.wait_screen("settings").await?;
    d.fill("team-url", url).await?;
    d.click("team-connect").await?;
    d.ready("team-sign-in").await?;
    d.click("team-sign-in").await?;
    d.wait_text_for("team-signed-in", name, TEAM_WAIT).await?;
    snapshot(d, &format!("team-settings-{}", d.name)).await;
    Ok(())
}

/// A screenshot into the artifacts folder (to look at the screens as a person would); a failed
/// one does not fail the test.
async fn snapshot(d: &Desk, name: &str) {
    if let Err(err) = d.screenshot_to(&d.artifacts.join(format!("{name}.png"))).await {
        eprintln!("screenshot {name}: {err}");
    }
}

/// `(hash, action)` of each entry of the team trail of team draft `team_id`, from its row's
/// Trail panel.
async fn trail(d: &Desk, team_id: &str) -> Res<Vec<(String, String)>> {
    click_fresh(d, &format!("{}[data-team-id=\"{team_id}\"] {}", tid("team-row"), tid("team-trail-open")), "open the trail").await?;
    d.until("the trail's entries", WAIT, || async {
        let v = d
            .js(
                "return [...document.querySelectorAll('[data-testid=team-trail-entry]')].map(e => [e.getAttribute('data-hash'), e.textContent])",
                vec![],
            )
            .await?;
        let entries: Vec<(String, String)> = v
            .as_array()
            .map(|a| a.iter().map(|p| (p[0].as_str().unwrap_or_default().to_owned(), p[1].as_str().unwrap_or_default().to_owned())).collect())
            .unwrap_or_default();
        Ok((!entries.is_empty()).then_some(entries))
    })
    .await
}

/// Click the element `css` finds, finding it again when the page replaced it meanwhile (the
/// Team screen's list is refreshed every few seconds).
async fn click_fresh(d: &Desk, css: &str, what: &str) -> Res {
    d.until(what, WAIT, || async {
        let Ok(element) = d.c.find(Locator::Css(css)).await else { return Ok(None) };
        if d.scroll_to(&element).await.is_err() {
            return Ok(None);
        }
        Ok(element.click().await.ok())
    })
    .await
}

