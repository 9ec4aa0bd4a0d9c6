//! Three-way merge for the lost-update check: base (what the draft started from), theirs (the
//! server now), mine (the draft). Fields only one side changed are taken from that side; a field
//! both changed to different values is a [`FieldConflict`] for the officer to decide. Nothing is
//! merged silently.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A field both sides changed, differently. Values are rendered as text like
/// [`crate::diff::FieldChange`] (absent = the field is empty on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldConflict {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub theirs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mine: Option<String>,
}

/// The officer's choice for one conflicting field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Choice {
    Mine,
    Theirs,
}
