//! End-to-end smoke test: the release app starts under WebDriver and shows its first screen.
//! Run via scripts/e2e.sh (Xvfb, D-Bus, keychain, built app and tauri-driver).

use kyb_tests::e2e::{ensure, run, Options};

#[tokio::test]
#[ignore = "run via scripts/e2e.sh"]
async fn app_starts_on_the_open_customer_screen() {
    run("smoke", Options::default(), |d| async move {
        d.wait_screen("open").await?;
        d.ready("open-customer-input").await?;
        let title = d.c.title().await?;
        ensure!(title == "KYB Desk", "window title is {title:?}");
        Ok(())
    })
    .await;
}
