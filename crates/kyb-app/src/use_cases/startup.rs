//! What the page needs to know once at start, beyond the session.

use serde::Serialize;
use ts_rs::TS;

use crate::state::AppState;

/// `start_info`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StartInfo {
    /// The last run on this data folder ended without a normal exit (crash, kill, power loss):
    /// the draft reopened at start is then announced as restored work.
    pub last_run_crashed: bool,
}

pub fn start_info(state: &AppState) -> StartInfo {
    StartInfo { last_run_crashed: state.last_run_crashed() }
}
