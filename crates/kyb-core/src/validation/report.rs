//! Collects issues while the rules run, so every problem is returned at once.

use super::path::FieldPath;
use super::{Issue, IssueCode};

#[derive(Debug, Default)]
pub(crate) struct Report {
    issues: Vec<Issue>,
}

impl Report {
    pub(crate) fn push(&mut self, path: &FieldPath, code: IssueCode, message: impl Into<String>) {
        self.issues.push(Issue {
            path: path.render(),
            code,
            message: message.into(),
        });
    }

    pub(crate) fn into_issues(self) -> Vec<Issue> {
        self.issues
    }
}
