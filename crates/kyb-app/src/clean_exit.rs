//! Whether the last run ended cleanly: a `running` marker in the data folder is written when the
//! state starts and removed at a normal exit (the desktop's exit, the CLI's shutdown). Found at
//! start, it means the last run crashed or was killed, so the page says it restored the open draft
//! only then (after a clean quit, reopening the draft is just resuming where the officer was).

use std::path::{Path, PathBuf};

use kyb_core::files::write_private_atomic;

/// The marker file inside the data folder.
pub const MARKER_FILE: &str = "running";

/// The marker of one data folder.
#[derive(Debug, Clone)]
pub struct ExitMarker {
    path: PathBuf,
}

impl ExitMarker {
    pub fn in_dir(data_dir: &Path) -> Self {
        Self { path: data_dir.join(MARKER_FILE) }
    }

    /// At start (with the data-folder lock held): whether the last run ended without a clean
    /// exit, then mark this run as running. A marker that cannot be written only costs the
    /// notice, never the start.
    pub fn begin(&self) -> bool {
        let unclean = self.path.exists();
        if let Err(err) = write_private_atomic(&self.path, b"KYB Desk is running; removed at a normal exit\n") {
            tracing::warn!(error = %err, "cannot write the running marker");
        }
        unclean
    }

    /// At a normal exit.
    pub fn end(&self) {
        match std::fs::remove_file(&self.path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => tracing::warn!(error = %err, "cannot remove the running marker"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_exit_is_told_apart_from_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let marker = ExitMarker::in_dir(dir.path());
        assert!(!marker.begin(), "the first start follows no run");
        marker.end();
        assert!(!marker.begin(), "after a clean exit");
        // No end(): the process was killed.
        assert!(marker.begin(), "after a crash");
        marker.end();
        marker.end();
        assert!(!marker.begin());
    }
}
