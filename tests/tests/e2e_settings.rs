//! End-to-end flow of Settings (docs/e2e.md): (d) an environment added through the form,
//! pointing at the app's own built-in sandbox (fixed port), with wrong credentials stored in the
//! real keychain (gnome-keyring in the private D-Bus session of scripts/e2e.sh); opening a
//! customer there shows a clear "unauthorized" error, and no secret ever appears on the page.

use kyb_core::credentials::{ApiCredentials, CredentialStore, CredentialsError};
use kyb_tests::e2e::{ensure, run, Options, Res, WAIT};

const ENV: &str = "Staging";
const WRONG_KEY: &str = "e2e-wrong-key-3b91";
const WRONG_SECRET: &str = "e2e-wrong-secret-c07d";

/// The app's keychain entries (service `kyb-desk`), reached through the same D-Bus session.
fn keychain() -> CredentialStore {
    CredentialStore::default()
}

fn forget(env: &str) -> Res {
    match keychain().delete(env) {
        Ok(()) | Err(CredentialsError::NotFound { .. }) => Ok(()),
        Err(e) => Err(format!("keychain: {e}").into()),
    }
}

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn environment_with_wrong_credentials_in_the_keychain_shows_unauthorized() {
    // The keychain outlives app runs within one e2e run: start without an entry for ENV.
    forget(ENV).expect("keychain reachable (run via scripts/e2e.sh)");
    let opts = Options { fixed_sandbox_port: true, ..Options::default() };
    run("settings_unauthorized", opts, |d| async move {
        let sandbox = d.sandbox_url.clone().ok_or("no sandbox url")?;

        // Settings → Add environment → name and URL of the built-in sandbox → Save.
        d.wait_screen("open").await?;
        d.click("settings-link").await?;
        d.wait_screen("settings").await?;
        d.el("env-row-Sandbox").await?;
        d.click("env-add").await?;
        d.wait_focus("env-name").await?;
        d.fill("env-name", ENV).await?;
        d.fill("env-base-url", &sandbox).await?;
        d.click("env-save").await?;
        let row = d.wait_text(&format!("env-row-{ENV}"), &sandbox).await?;
        ensure!(row.contains(ENV), "row of the new environment: {row:?}");
        ensure!(d.text(&format!("env-has-credentials-{ENV}")).await? == "No", "a new environment claims credentials");

        // Set credentials (wrong ones): they go to the keychain, the inputs are emptied.
        d.click(&format!("env-credentials-{ENV}")).await?;
        d.wait_focus("cred-api-key").await?;
        d.fill("cred-api-key", WRONG_KEY).await?;
        d.fill("cred-api-secret", WRONG_SECRET).await?;
        d.click("cred-save").await?;
        d.wait_text(&format!("env-has-credentials-{ENV}"), "Yes").await?;
        d.gone("credentials-form").await?;
        let stored = keychain().load(ENV).map_err(|e| format!("the keychain has no entry for {ENV}: {e}"))?;
        ensure!(
            stored == ApiCredentials { api_key: WRONG_KEY.into(), api_secret: WRONG_SECRET.into() },
            "the keychain holds other credentials for {ENV}"
        );
        let environments = std::fs::read_to_string(d.xdg_root.join("config/com.kybdesk.desktop/environments.json"))
            .map_err(|e| format!("environments.json: {e}"))?;
        ensure!(!environments.contains(WRONG_SECRET) && !environments.contains(WRONG_KEY), "a credential was written to environments.json");

        // Make it the active environment (the header's switcher) and open a demo customer there.
        let select = d.ready("environment-select").await?;
        select.select_by_value(ENV).await?;
        d.until("the environment switch", WAIT, || async {
            Ok((d.el("app").await?.attr("data-env").await?.as_deref() == Some(ENV)).then_some(()))
        })
        .await?;
        d.click("settings-back").await?;
        d.wait_screen("open").await?;
        d.fill("open-customer-input", "cus_demo_0001").await?;
        d.click("open-customer-button").await?;

        // A clear "unauthorized" error, naming the environment, with a way to Settings.
        let error = d.el("open-error").await?;
        let kind = error.attr("data-kind").await?;
        ensure!(kind.as_deref() == Some("unauthorized"), "error kind {kind:?}");
        let text = d.wait_text("open-error", "refused the credentials").await?;
        ensure!(text.contains(ENV), "the error does not name the environment: {text:?}");
        ensure!(error.attr("role").await?.as_deref() == Some("alert"), "the error is not announced (role=alert)");
        ensure!(d.exists("error-go-settings").await?, "no way to Settings from the error");
        ensure!(d.screen().await? == "open", "the app left the open screen");
        let page = d.visible_text().await?;
        ensure!(!page.contains(WRONG_SECRET) && !page.contains(WRONG_KEY), "a credential is shown on the page");

        // The way out works: Settings opens from the error.
        d.click("error-go-settings").await?;
        d.wait_screen("settings").await?;
        Ok(())
    })
    .await;
    forget(ENV).expect("keychain clean-up");
}
