//! `kyb partner-profile check FILE`, `kyb partner-profile show`, and reading the
//! `--partner-profile FILE` (or `KYB_PARTNER_PROFILE`) the validating commands take.

use std::path::Path;
use std::sync::Arc;

use kyb_core::environments::EnvironmentFile;
use kyb_core::partner_profile::{check_profile_json, PartnerProfile, ProfileProblem};

use crate::cli::{AppFolders, PartnerProfileArg};
use crate::error::{CliError, EXIT_USAGE};

/// The profile named by the argument, checked; the built-in one when none is given. A file with
/// problems is a usage error listing every one of them.
pub fn load(arg: &PartnerProfileArg) -> Result<Arc<PartnerProfile>, CliError> {
    let Some(path) = &arg.partner_profile else {
        return Ok(PartnerProfile::shared_built_in());
    };
    read(path).map(Arc::new).map_err(|problems| {
        CliError::Usage(format!(
            "the partner profile {} cannot be used:\n{}",
            path.display(),
            listed(&problems)
        ))
    })
}

/// For `kyb submit` and `kyb drafts submit`: the `--partner-profile` file when given, else the
/// profile the app keeps for the environment submitted to (`--environment`, else the app's active
/// one), as Settings chose it; the built-in one when none is kept. Read without opening the app,
/// so the files are still checked before anything is opened.
pub fn load_for_environment(
    arg: &PartnerProfileArg,
    folders: &AppFolders,
    environment: Option<&str>,
) -> Result<Arc<PartnerProfile>, CliError> {
    if arg.partner_profile.is_some() {
        return load(arg);
    }
    let config = crate::app::config(folders)?;
    // A damaged file is the app's to set aside when it opens; until then nothing is stored.
    let environments = match EnvironmentFile::in_dir(&config.config_dir).load() {
        Ok(environments) => environments,
        Err(err) => {
            tracing::warn!(error = %err, "the environments file cannot be read; validating with the built-in partner profile");
            return Ok(PartnerProfile::shared_built_in());
        }
    };
    let name = environment.unwrap_or_else(|| environments.active_name());
    Ok(kyb_app::use_cases::partner_profile::stored_profile(&environments, name))
}

/// Print the report: the profile's name and closed lists, or every problem; exit 2 on problems.
pub fn check(path: &Path) -> Result<u8, CliError> {
    match read(path) {
        Ok(profile) => {
            let summary = profile.summary();
            let closed = if summary.closed_lists.is_empty() {
                "none".to_owned()
            } else {
                summary.closed_lists.join(", ")
            };
            println!(
                "{}: partner profile {} is valid (closed lists: {closed})",
                path.display(),
                profile.label()
            );
            Ok(0)
        }
        Err(problems) => {
            println!(
                "{}: {} problem(s)\n{}",
                path.display(),
                problems.len(),
                listed(&problems)
            );
            Ok(EXIT_USAGE)
        }
    }
}

/// The built-in profile as JSON, every list written out: a template to edit.
pub fn show() -> Result<u8, CliError> {
    let text = serde_json::to_string_pretty(PartnerProfile::built_in().document())
        .map_err(|err| CliError::Usage(format!("cannot write the built-in profile: {err}")))?;
    println!("{text}");
    Ok(0)
}

fn read(path: &Path) -> Result<PartnerProfile, Vec<ProfileProblem>> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        vec![ProfileProblem {
            path: String::new(),
            message: format!("cannot read the file: {err}"),
        }]
    })?;
    check_profile_json(&text)
}

fn listed(problems: &[ProfileProblem]) -> String {
    problems
        .iter()
        .map(|problem| format!("  - {problem}"))
        .collect::<Vec<_>>()
        .join("\n")
}
