//! One file per command; each parses its input, calls the core and prints the outcome.

mod credentials;
mod drafts;
mod get;
mod partner_profile;
mod record_file;
mod sandbox;
mod server;
mod submit;
mod team;
mod upload;
mod validate;

use crate::cli::{Cli, Command, DraftsAction, PartnerProfileAction, ServerAction};
use crate::error::CliError;

/// Run one command; `Ok` carries the process exit code.
pub async fn run(cli: Cli) -> Result<u8, CliError> {
    match cli.command {
        Command::Validate { files, json, partner_profile } => {
            validate::run(&files, json, partner_profile::load(&partner_profile)?)
        }
        Command::Get { lookup, sections, target } => get::run(lookup, sections, &target).await,
        Command::Submit { file, customer, create, environment, profile, confirm, wait, json, folders, partner_profile } => {
            let args = submit::SubmitArgs {
                partner_profile: partner_profile::load_for_environment(&partner_profile, &folders, environment.as_deref())?,
                file: &file,
                customer: customer.as_deref(),
                create,
                environment: environment.as_deref(),
                profile: &profile,
                confirm: confirm.as_deref(),
                wait,
                json,
                folders: &folders,
            };
            submit::run(args).await
        }
        Command::Upload { file, file_type, target } => upload::run(&file, &file_type, &target).await,
        Command::Sandbox { port, data_dir, settle_after_ms, personality, partner_profile } => {
            sandbox::run(port, data_dir, settle_after_ms, personality, partner_profile::load(&partner_profile)?).await
        }
        Command::Credentials { action } => credentials::run(action),
        Command::Drafts { action: DraftsAction::Validate { files, json, partner_profile, trust_keys, config_dir } } => {
            let trusted = drafts::trusted_keys(config_dir.as_deref(), &trust_keys)?;
            drafts::validate(&files, json, partner_profile::load(&partner_profile)?, &trusted)
        }
        Command::Drafts {
            action: DraftsAction::Submit { files, environment, profile, confirm, wait, json, folders, partner_profile },
        } => {
            let args = drafts::SubmitArgs {
                partner_profile: partner_profile::load_for_environment(&partner_profile, &folders, environment.as_deref())?,
                files: &files,
                environment: environment.as_deref(),
                profile: &profile,
                confirm: confirm.as_deref(),
                wait,
                json,
                folders: &folders,
            };
            drafts::submit(args).await
        }
        Command::PartnerProfile { action: PartnerProfileAction::Check { file } } => partner_profile::check(&file),
        Command::PartnerProfile { action: PartnerProfileAction::Show } => partner_profile::show(),
        Command::Team { folders, action } => team::run(&folders, action).await,
        Command::Server { config, action } => match action {
            ServerAction::Run => server::run(config.as_deref()).await,
            ServerAction::Keys => server::keys(),
            ServerAction::Environment { name, base_url, requires_approval, production } => {
                let settings = kyb_server::environments::EnvironmentSettings { name, base_url, requires_approval, is_production: production };
                server::set_environment(config.as_deref(), settings).await
            }
        },
    }
}
