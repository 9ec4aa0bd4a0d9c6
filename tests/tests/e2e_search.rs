//! End to end: finding a customer by name in the real app. A customer opened by its exact id is
//! found again by part of its name after a restart (as a recent customer: the search box has
//! focus at start, the arrow keys highlight the result, Enter opens it); the profile chosen
//! before acts again without the "Who is working?" prompt; a name nothing matches shows where
//! the app looked. Run via scripts/e2e.sh.

use std::path::Path;

use fantoccini::key::Key;
use kyb_tests::e2e::{ensure, launch, Desk, Options, Res, OFFICER, WAIT};

const CUSTOMER: &str = "cus_demo_0004";
const STEP_LIMIT: std::time::Duration = std::time::Duration::from_secs(90);

/// Launch on `root`, run `flow`, quit the app normally (the folders stay).
async fn step<F, Fut>(name: &str, root: &Path, flow: F) -> Res
where
    F: FnOnce(Desk) -> Fut,
    Fut: std::future::Future<Output = Res>,
{
    // Settled here rather than in `launch`, so that the whole step is bounded: a WebDriver call
    // that never answers fails the step with its report instead of hanging.
    let opts = Options { xdg_root: Some(root.to_path_buf()), no_settle: true, ..Options::default() };
    let running = launch(name, &opts).await?;
    let d = running.desk.clone();
    let settled_then_flow = async move {
        d.wait_css("[data-testid=app]", WAIT).await?;
        eprintln!("{name}: page up");
        d.next_frame().await?;
        eprintln!("{name}: first frame");
        d.choose_profile(OFFICER).await?;
        eprintln!("{name}: acting as {OFFICER}");
        flow(d).await
    };
    let outcome = match tokio::time::timeout(STEP_LIMIT, settled_then_flow).await {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("{name} did not finish within {STEP_LIMIT:?}").into()),
    };
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
async fn a_recent_customer_is_found_by_part_of_its_name_after_a_restart() {
    let root = tempfile::Builder::new().prefix("kyb-e2e-search-").tempdir().expect("temp folder");
    if let Err(e) = flow(root.path()).await {
        panic!("search FAILED: {e}");
    }
}

async fn flow(root: &Path) -> Res {
    // Run 1: the officer chooses her profile and opens a customer by its exact id at the partner.
    step("search_run1", root, |d| async move {
        d.wait_screen("open").await?;
        d.fill("open-customer-input", CUSTOMER).await?;
        d.click("open-customer-button").await?;
        d.wait_screen("editor").await?;
        ensure!(d.text("customer-id").await? == CUSTOMER, "the editor shows another customer");
        Ok(())
    })
    .await?;

    // Run 2: no profile prompt (launch's choose_profile finds her already acting), focus in the
    // search box, and part of the name finds the customer as recently opened.
    step("search_run2", root, |d| async move {
        d.wait_screen("open").await?;
        ensure!(d.text("profile-pill").await? == OFFICER, "another profile acts");
        d.wait_focus("open-customer-input").await?;

        eprintln!("search_run2: focus checked");
        d.fill("open-customer-input", "zebra holdings").await?;
        eprintln!("search_run2: typed a name nothing matches");
        let none = d.wait_text("search-none", "Nothing on this desktop matches").await?;
        ensure!(none.contains("The partner has no search"), "the miss does not say how to look further: {none:?}");

        d.fill("open-customer-input", "thames").await?;
        let first = d
            .until("a result for \"thames\"", WAIT, || async {
                let results = d.c.find_all(fantoccini::Locator::Css("[data-testid=search-result]")).await?;
                match results.first() {
                    Some(r) => Ok(Some(r.clone())),
                    None => Ok(None),
                }
            })
            .await?;
        ensure!(first.attr("data-customer-id").await?.as_deref() == Some(CUSTOMER), "the first result is another customer");
        let sources = first.find(fantoccini::Locator::Css("[data-testid=search-result-sources]")).await?.text().await?;
        ensure!(sources.contains("opened recently"), "the result does not say it was opened recently: {sources:?}");
        let count = d.text("search-count").await?;
        ensure!(count.ends_with("found."), "the count reads {count:?}");

        let input = d.el("open-customer-input").await?;
        input.send_keys(&Key::Down.to_string()).await?;
        let option_id = first.attr("id").await?.unwrap_or_default();
        d.until("the first result to be highlighted", WAIT, || async {
            let active = d.el("open-customer-input").await?.attr("aria-activedescendant").await?;
            Ok((active.as_deref() == Some(option_id.as_str())).then_some(()))
        })
        .await?;
        input.send_keys(&Key::Enter.to_string()).await?;
        d.wait_screen("editor").await?;
        ensure!(d.text("customer-id").await? == CUSTOMER, "Enter opened another customer");
        Ok(())
    })
    .await
}
