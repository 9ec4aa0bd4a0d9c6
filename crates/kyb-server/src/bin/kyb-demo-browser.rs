//! A stand-in browser for the desktop's team sign-in in end-to-end tests: given to the app as
//! `KYB_DESK_SIGN_IN_BROWSER`, it is run with the authorization URL as its one argument and
//! signs in the demo provider's user named by `KYB_DEMO_SIGN_IN_USER` (e.g. `rita`) through the
//! provider's pages, ending at the app's loopback redirect. Test support only: built with
//! `cargo build -p kyb-server --features test-support --bin kyb-demo-browser`.
//!
//! Exit status 0 when the app's page says the sign-in succeeded, 1 otherwise (the reason on
//! stderr), 2 when called wrongly.

use std::process::ExitCode;

const USER_ENV: &str = "KYB_DEMO_SIGN_IN_USER";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(authorize_url), None) = (args.next(), args.next()) else {
        eprintln!("usage: {USER_ENV}=<demo user> kyb-demo-browser <authorization URL>");
        return ExitCode::from(2);
    };
    let Some(user) = std::env::var(USER_ENV).ok().filter(|user| !user.is_empty()) else {
        eprintln!("kyb-demo-browser: set {USER_ENV} to the demo user who signs in (olivia, rita, ada, …)");
        return ExitCode::from(2);
    };
    match kyb_server::testing::play_browser_sign_in(&authorize_url, &user).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("kyb-demo-browser: the sign-in as {user} failed: {reason}");
            ExitCode::FAILURE
        }
    }
}
