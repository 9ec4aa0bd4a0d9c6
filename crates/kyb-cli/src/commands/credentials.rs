//! `kyb credentials set|delete|status ENV`: the keychain, never arguments or files.

use std::io::{BufRead, IsTerminal};

use kyb_core::credentials::{ApiCredentials, CredentialStore};

use crate::cli::CredentialsAction;
use crate::error::CliError;

pub fn run(action: CredentialsAction) -> Result<u8, CliError> {
    let store = CredentialStore::default();
    match action {
        CredentialsAction::Set { environment } => {
            let credentials = read_credentials()?;
            store.save(&environment, &credentials)?;
            eprintln!("stored the API key and secret for `{environment}` in the OS keychain");
        }
        CredentialsAction::Delete { environment } => {
            store.delete(&environment)?;
            eprintln!("removed the credentials for `{environment}`");
        }
        CredentialsAction::Status { environment } => {
            let stored = store.exists(&environment)?;
            println!("{environment}: {}", if stored { "credentials stored" } else { "no credentials" });
        }
    }
    Ok(0)
}

/// Hidden prompts on a terminal; two lines (key, secret) from a pipe.
fn read_credentials() -> Result<ApiCredentials, CliError> {
    let (api_key, api_secret) = if std::io::stdin().is_terminal() {
        (rpassword::prompt_password("API key: ")?, rpassword::prompt_password("API secret: ")?)
    } else {
        let mut lines = std::io::stdin().lock().lines();
        let mut next = |what: &str| -> Result<String, CliError> {
            lines.next().transpose()?.ok_or_else(|| CliError::Usage(format!("expected the {what} on stdin")))
        };
        (next("API key")?, next("API secret")?)
    };
    let (api_key, api_secret) = (api_key.trim().to_owned(), api_secret.trim().to_owned());
    if api_key.is_empty() || api_secret.is_empty() {
        return Err(CliError::Usage("the API key and the API secret must not be empty".into()));
    }
    Ok(ApiCredentials { api_key, api_secret })
}
