//! Collects issues while the rules run, so every problem is returned at once.

use std::sync::Arc;

use super::limits::LengthBound;
use super::path::FieldPath;
use super::{Issue, IssueCode, IssueSource};
use crate::partner_profile::PartnerProfile;

/// How a policy issue's message starts, so an officer reading it knows the partner may accept
/// the value.
pub const POLICY_PREFIX: &str = "KYB Desk policy: ";

#[derive(Debug, Default)]
pub(crate) struct Report {
    issues: Vec<Issue>,
    /// The active partner profile, for its length bounds (none: KYB Desk's caps only).
    profile: Option<Arc<PartnerProfile>>,
}

impl Report {
    pub(crate) fn for_profile(profile: Arc<PartnerProfile>) -> Self {
        Self { issues: Vec::new(), profile: Some(profile) }
    }

    /// The partner profile's maximum for fields KYB Desk caps at `kyb_desk_cap`, with the
    /// profile's label ("ACME v3"), when the profile sets one.
    pub(crate) fn partner_bound(&self, kyb_desk_cap: usize) -> Option<(usize, String)> {
        let profile = self.profile.as_ref()?;
        let bound = profile.bound(LengthBound::for_cap(kyb_desk_cap)?)?;
        Some((bound, profile.label()))
    }

    /// An issue whose rule comes from where its code's rules usually come from.
    pub(crate) fn push(&mut self, path: &FieldPath, code: IssueCode, message: impl Into<String>) {
        self.push_from(path, code, code.source(), message);
    }

    /// An issue with an explicit source; a policy message gets the policy prefix.
    pub(crate) fn push_from(&mut self, path: &FieldPath, code: IssueCode, source: IssueSource, message: impl Into<String>) {
        let message = message.into();
        let message = if source == IssueSource::Policy { format!("{POLICY_PREFIX}{message}") } else { message };
        self.issues.push(Issue { path: path.render(), code, source, message });
    }

    pub(crate) fn into_issues(self) -> Vec<Issue> {
        self.issues
    }
}
