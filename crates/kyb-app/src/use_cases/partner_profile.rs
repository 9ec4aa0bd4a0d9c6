//! The partner profile of each environment (Settings): which one is active, importing a
//! partner's file (checked first; every problem reported), returning to the built-in one, and
//! what the page validates and picks with. A change is a policy change: its audit entry is
//! written before it takes effect.

use std::sync::Arc;

use chrono::Utc;
use kyb_core::audit::{AuditEvent, NewAuditEntry};
use kyb_core::environments::{Environments, SANDBOX_NAME};
use kyb_core::partner_profile::{
    check_profile_json, check_profile_value, PartnerProfile, ProfileProblem, ProfileSummary,
};
use kyb_core::reference::{reference_data_for, ReferenceData};
use kyb_core::validation::{Issue, ValidationContext};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::audit_trail;
use crate::error::AppError;
use crate::state::AppState;

/// Largest profile file accepted, in bytes (a profile is a few lists of labels).
pub const MAX_PROFILE_BYTES: usize = 256 * 1024;

/// What an import did: the profile now active for the environment, and the file's problems
/// when it was refused (then nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PartnerProfileImport {
    pub environment: String,
    pub accepted: bool,
    pub active: ProfileSummary,
    pub problems: Vec<ProfileProblem>,
}

/// The profile stored for `environment` in `environments`, checked; the built-in one when none
/// is stored or the stored one no longer passes the check (the file was edited by hand).
pub fn stored_profile(environments: &Environments, environment: &str) -> Arc<PartnerProfile> {
    let Some(document) = environments.partner_profiles.get(environment) else {
        return PartnerProfile::shared_built_in();
    };
    let checked = serde_json::to_value(document)
        .map_err(|err| {
            vec![ProfileProblem {
                path: String::new(),
                message: err.to_string(),
            }]
        })
        .and_then(|value| check_profile_value(&value));
    match checked {
        Ok(profile) => Arc::new(profile),
        Err(problems) => {
            tracing::warn!(
                environment,
                problems = problems.len(),
                "the stored partner profile fails its check; using the built-in one"
            );
            PartnerProfile::shared_built_in()
        }
    }
}

/// The profile `environment` validates with.
pub async fn environment_profile(state: &AppState, environment: &str) -> Arc<PartnerProfile> {
    stored_profile(&state.environments_snapshot().await, environment)
}

/// The profile of the active environment.
pub async fn active_profile(state: &AppState) -> Arc<PartnerProfile> {
    let environment = state.active_environment().await;
    environment_profile(state, &environment.name).await
}

/// Which profile `environment` uses.
pub async fn partner_profile(
    state: &AppState,
    environment: &str,
) -> Result<ProfileSummary, AppError> {
    let environment = known_environment(state, environment).await?;
    Ok(environment_profile(state, &environment).await.summary())
}

/// The pickers' values, from the active environment's profile.
pub async fn reference_data(state: &AppState) -> ReferenceData {
    reference_data_for(&*active_profile(state).await)
}

/// Today, with the active environment's profile.
pub async fn validation_context(state: &AppState) -> ValidationContext {
    ValidationContext::now_with(active_profile(state).await)
}

/// [`super::records::validate_record`] with the active environment's profile.
pub async fn validate_record(
    state: &AppState,
    record: &Value,
    partner_customer_id: Option<&str>,
) -> Vec<Issue> {
    super::records::validate_record_with(
        record,
        partner_customer_id,
        &validation_context(state).await,
    )
}

/// Check `text` as a profile file and, when it passes, make it `environment`'s profile (after
/// the audit entry is written). A file with problems changes nothing and lists them all.
pub async fn import_partner_profile(
    state: &AppState,
    environment: &str,
    text: &str,
) -> Result<PartnerProfileImport, AppError> {
    let environment = known_environment(state, environment).await?;
    if text.len() > MAX_PROFILE_BYTES {
        return Err(AppError::invalid_input(
            "file",
            format!(
                "the file is {} bytes; a partner profile is at most {MAX_PROFILE_BYTES} bytes",
                text.len()
            ),
        ));
    }
    match check_profile_json(text) {
        Err(problems) => Ok(PartnerProfileImport {
            active: environment_profile(state, &environment).await.summary(),
            environment,
            accepted: false,
            problems,
        }),
        Ok(profile) => {
            let active = change_profile(state, &environment, Some(Arc::new(profile))).await?;
            Ok(PartnerProfileImport {
                environment,
                accepted: true,
                active,
                problems: Vec::new(),
            })
        }
    }
}

/// Return `environment` to the built-in profile (after the audit entry is written).
pub async fn reset_partner_profile(
    state: &AppState,
    environment: &str,
) -> Result<ProfileSummary, AppError> {
    let environment = known_environment(state, environment).await?;
    change_profile(state, &environment, None).await
}

async fn known_environment(state: &AppState, name: &str) -> Result<String, AppError> {
    let name = super::required("environment", name)?;
    match state.environment(&name).await {
        Some(environment) => Ok(environment.name),
        None => Err(AppError::invalid_input(
            "environment",
            format!("there is no environment named {name:?}"),
        )),
    }
}

/// Record, then store: `None` is the built-in profile. The built-in sandbox follows its
/// environment's profile at once.
async fn change_profile(
    state: &AppState,
    environment: &str,
    next: Option<Arc<PartnerProfile>>,
) -> Result<ProfileSummary, AppError> {
    let actor = state.require_profile()?;
    let home = state.drafts()?;
    let before = environment_profile(state, environment).await;
    let after = next.clone().unwrap_or_else(PartnerProfile::shared_built_in);
    let entry = NewAuditEntry {
        at: Utc::now(),
        actor,
        environment: environment.to_owned(),
        // About no customer: a setting of the environment.
        customer: String::new(),
        draft_id: None,
        event: AuditEvent::PartnerProfileChanged {
            from: before.label(),
            to: after.label(),
        },
    };
    let recorded = audit_trail::append(home, entry.clone()).await?;
    let document = next.as_ref().map(|profile| profile.document().clone());
    let stored = state
        .update_environments(|environments| match document {
            Some(document) => {
                environments
                    .partner_profiles
                    .insert(environment.to_owned(), document);
            }
            None => {
                environments.partner_profiles.remove(environment);
            }
        })
        .await;
    if let Err(err) = stored {
        let note = NewAuditEntry {
            at: Utc::now(),
            event: AuditEvent::ActionNotCompleted {
                seq: recorded.seq,
                reason: err.to_string(),
            },
            ..entry
        };
        if let Err(failed) = audit_trail::append(home, note).await {
            tracing::error!(seq = recorded.seq, error = %failed, "could not record that an action did not take effect");
        }
        return Err(err);
    }
    if environment == SANDBOX_NAME {
        if let Some(sandbox) = state.sandbox() {
            sandbox.set_partner_profile(after.clone());
        }
    }
    tracing::info!(environment, profile = %after.label(), "partner profile changed");
    Ok(after.summary())
}
