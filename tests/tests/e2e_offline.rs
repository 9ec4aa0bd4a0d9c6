//! End-to-end offline flow (docs/e2e.md): (e) offline → edit and queue → restart the app →
//! the partner comes back → the outbox drains by itself and the status settles.
//!
//! The partner here is a separate sandbox this test runs on a fixed loopback port (the app's
//! built-in one lives inside the app and cannot be stopped on its own), configured in the app as
//! the environment "Branch office" with its demo key and secret in the real keychain. Both app
//! runs use the same XDG folders, so the second run is the same app restarted.
//! Run via scripts/e2e.sh (Xvfb, D-Bus, keychain, built app and tauri-driver).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kyb_core::client::{ClientConfig, CustomerLookup, PartnerClient};
use kyb_core::credentials::{ApiCredentials, CredentialStore};
use kyb_core::environments::{EnvironmentFile, EnvironmentInput, Environments};
use kyb_core::model::CustomerStatus;
use kyb_sandbox::{SandboxConfig, SandboxHandle, DEMO_API_KEY, DEMO_API_SECRET};
use kyb_tests::e2e::{ensure, free_port, launch, Desk, Options, Res, Running, WAIT};

const ENV: &str = "Branch office";
const CUSTOMER: &str = "cus_demo_0002";
const EMAIL: &str = "fld-primary_contact-contact_email";
const NEW_EMAIL: &str = "queued-offline@e2e.example.com";
/// The app probes the active environment every 5 s; a state change shows within two probes.
const PROBE_WAIT: Duration = Duration::from_secs(30);

fn demo_credentials() -> ApiCredentials {
    ApiCredentials { api_key: DEMO_API_KEY.into(), api_secret: DEMO_API_SECRET.into() }
}

async fn start_sandbox(port: u16, data: &Path) -> Res<SandboxHandle> {
    let mut config = SandboxConfig::new(data.to_path_buf());
    config.bind = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    config.settle_after = Duration::from_secs(1);
    config.seed_demo_customers = true;
    Ok(kyb_sandbox::start(config).await?)
}

/// The app's environment list (`environments.json`) with "Branch office" active, and its
/// credentials in the keychain, before the app first starts.
fn configure_app(root: &Path, base_url: &str) -> Res {
    let file = EnvironmentFile::in_dir(&root.join("config/com.kybdesk.desktop"));
    let mut environments = Environments::default();
    environments.upsert(EnvironmentInput {
        name: ENV.into(),
        base_url: base_url.into(),
        colour: "#2a6f97".into(),
        is_production: false,
        requires_approval: Some(false),
    })?;
    environments.select(ENV)?;
    file.save(&environments)?;
    CredentialStore::default().save(ENV, &demo_credentials())?;
    Ok(())
}

async fn wait_online(d: &Desk, want: &str) -> Res {
    d.until(&format!("the online pill to say {want}"), PROBE_WAIT, || async {
        Ok((d.el("online-pill").await?.attr("data-online").await?.as_deref() == Some(want)).then_some(()))
    })
    .await
}

/// Run `flow` on a launched app; on failure, report with a screenshot and the app's log.
async fn step<F, Fut>(name: &str, root: &Path, flow: F) -> Res
where
    F: FnOnce(Desk) -> Fut,
    Fut: std::future::Future<Output = Res>,
{
    let opts = Options { xdg_root: Some(root.to_path_buf()), ..Options::default() };
    let running: Running = launch(name, &opts).await?;
    let outcome = flow(running.desk.clone()).await;
    if let Err(e) = &outcome {
        let report = running.desk.failure_report().await;
        let log = running.log_tail(40);
        running.shutdown().await;
        return Err(format!("{name}: {e}\n{report}\n--- app/driver log ---\n{log}").into());
    }
    running.shutdown().await;
    outcome
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn offline_edit_and_queue_survive_a_restart_and_the_outbox_drains_when_the_partner_returns() {
    let outcome = flow().await;
    let _ = CredentialStore::default().delete(ENV);
    if let Err(e) = outcome {
        panic!("offline_outbox FAILED: {e}");
    }
}

async fn flow() -> Res {
    let port = free_port();
    let base_url = format!("http://127.0.0.1:{port}");
    let sandbox_dir = tempfile::tempdir()?;
    let app_root: PathBuf = tempfile::Builder::new().prefix("kyb-e2e-offline-").tempdir()?.keep();
    configure_app(&app_root, &base_url)?;
    let sandbox = start_sandbox(port, sandbox_dir.path()).await?;

    // Run 1: open the customer while online, lose the partner, edit and queue.
    let mut sandbox = Some(sandbox);
    step("offline_run1", &app_root, |d| {
        let sandbox = sandbox.take();
        async move {
            wait_online(&d, "online").await?;
            d.wait_screen("open").await?;
            d.fill("open-customer-input", CUSTOMER).await?;
            d.click("open-customer-button").await?;
            d.wait_screen("editor").await?;
            ensure!(d.text("customer-id").await? == CUSTOMER, "the editor shows another customer");

            if let Some(sandbox) = sandbox {
                sandbox.shutdown().await;
            }
            wait_online(&d, "offline").await?;

            // Offline, the form still edits and every change is kept as a draft.
            d.fill(EMAIL, NEW_EMAIL).await?;
            d.until("the draft to be saved", WAIT, || async {
                Ok((d.el("draft-status").await?.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
            })
            .await?;
            d.click("review-button").await?;
            d.wait_screen("review").await?;
            let queue = d.el("queue-button").await?;
            ensure!(queue.attr("data-offline").await?.as_deref() == Some("true"), "the review does not know it is offline");
            let label = queue.text().await?;
            ensure!(label.contains("Queue"), "the button offline says {label:?}");
            d.click("queue-button").await?;
            d.wait_screen("submission").await?;
            d.until("the entry to wait for the network", WAIT, || async {
                let state = d.el("submit-result").await?.attr("data-state").await?;
                Ok(matches!(state.as_deref(), Some("queued" | "waiting_retry")).then_some(()))
            })
            .await?;
            d.wait_text("outbox-count", "1").await?;
            Ok(())
        }
    })
    .await?;

    // Run 2: the same app restarted, still offline: the draft and the queued entry are there.
    let sandbox_dir_path = sandbox_dir.path().to_path_buf();
    step("offline_run2", &app_root, |d| async move {
        wait_online(&d, "offline").await?;
        d.wait_text("outbox-count", "1").await?;
        // What was open comes back (the workspace), with the typed value.
        d.click("outbox-nav").await?;
        d.wait_screen("outbox").await?;
        let entry = d.el("outbox-entry").await?;
        let state = entry.attr("data-state").await?;
        ensure!(matches!(state.as_deref(), Some("queued" | "waiting_retry")), "entry after restart: {state:?}");

        // The partner comes back: the outbox drains by itself, the status settles.
        let sandbox = start_sandbox(port, &sandbox_dir_path).await?;
        wait_online(&d, "online").await?;
        d.until("the entry to be sent and settle", Duration::from_secs(60), || async {
            let text = d.text("outbox-entry-state").await?;
            Ok(text.contains("Succeeded").then_some(()))
        })
        .await?;
        ensure!(d.el("outbox-entry").await?.attr("data-state").await?.as_deref() == Some("sent"), "entry not sent");

        // The partner applied it exactly once, with what was typed offline.
        let applied = sandbox.stats().updates.get(CUSTOMER).copied().unwrap_or(0);
        ensure!(applied == 1, "the sandbox applied the update {applied} times");
        let client = PartnerClient::new(ClientConfig::new(base_url.parse()?, demo_credentials()))?;
        let stored = client.get_customer(&CustomerLookup::CustomerId(CUSTOMER.into())).await?;
        ensure!(stored.status == CustomerStatus::Succeeded, "status at the sandbox: {:?}", stored.status);
        let email = stored.primary_contact.and_then(|c| c.contact_email);
        ensure!(email.as_deref() == Some(NEW_EMAIL), "email at the sandbox: {email:?}");
        sandbox.shutdown().await;
        Ok(())
    })
    .await?;
    let _ = std::fs::remove_dir_all(&app_root);
    Ok(())
}
