//! The app's state starts on the async runtime while Tauri builds the window and web view.
//!
//! `tauri::Builder::build` spends ~190 ms on the main thread (GTK, the window, the web view and
//! its processes) before the set-up hook runs, and [`AppState::start`] then took another ~110 ms
//! there (the drafts key from the keychain over D-Bus, the stores, the built-in sandbox), all of
//! it before the page could start loading. Started first thing in `run`, the two overlap: the
//! set-up hook only waits for what is left.
//!
//! The folders are those Tauri's path resolver gives (`dirs` + the bundle identifier). The hook
//! checks them against the resolver's own answer and, should they differ, starts the state again
//! on the resolver's folders, so the early start can only ever save time.

use std::path::PathBuf;

use tauri::async_runtime::{self, JoinHandle};

use kyb_app::{AppError, AppState, StateConfig};

/// The folders the state lives in: (config, data).
pub type StateDirs = (PathBuf, PathBuf);

/// A state start under way.
pub struct EarlyStart {
    dirs: StateDirs,
    task: JoinHandle<Result<AppState, AppError>>,
}

/// The folders Tauri's path resolver gives `identifier` on this machine, when known (the same
/// rule the `kyb` command uses for the app's folders, `kyb_app::user_config`).
pub fn expected_dirs(identifier: &str) -> Option<StateDirs> {
    kyb_app::user_config::folders_for(identifier)
}

/// The configuration the app runs with in these folders.
pub fn state_config(dirs: StateDirs, downloads_dir: Option<PathBuf>) -> StateConfig {
    let mut config = StateConfig::new(dirs.0, dirs.1);
    config.downloads_dir = downloads_dir;
    config
}

impl EarlyStart {
    /// Start the state for `identifier` now, on Tauri's async runtime.
    pub fn begin(identifier: &str) -> Option<Self> {
        let dirs = expected_dirs(identifier)?;
        let config = state_config(dirs.clone(), dirs::download_dir());
        let task = async_runtime::spawn(AppState::start(config));
        Some(Self { dirs, task })
    }

    /// The started state if it lives in `dirs` (waiting for it to finish); `None` when the
    /// folders differ (the early start is abandoned).
    pub fn finish(self, dirs: &StateDirs) -> Option<Result<AppState, AppError>> {
        if &self.dirs != dirs {
            tracing::warn!(expected = ?self.dirs, resolved = ?dirs, "state folders differ from the early start's; starting again");
            self.task.abort();
            return None;
        }
        Some(async_runtime::block_on(self.task).unwrap_or_else(|err| {
            Err(AppError::Internal(format!("the app's state did not start: {err}")))
        }))
    }
}
