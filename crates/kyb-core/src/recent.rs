//! Recently opened customers, newest first, kept as JSON in the app's data folder.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::files::{create_private_dir_all, write_private_atomic};

/// How many entries the file keeps (over all environments).
pub const MAX_RECENT: usize = 30;
/// File name inside the data folder.
pub const FILE_NAME: &str = "recent.json";

/// One customer someone opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecentCustomer {
    /// The environment it was opened in.
    pub environment: String,
    pub customer_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub partner_customer_id: Option<String>,
    /// `business_details.business_name_english` when it was opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub business_name_english: Option<String>,
    pub opened_at: DateTime<Utc>,
}

/// The recent-customers file.
#[derive(Debug, Clone)]
pub struct RecentFile {
    path: PathBuf,
}

impl RecentFile {
    /// `<data_dir>/recent.json`.
    pub fn in_dir(data_dir: &Path) -> Self {
        Self { path: data_dir.join(FILE_NAME) }
    }

    /// Every entry, newest first. A missing or unreadable file is an empty list (this is a
    /// convenience, never a reason to fail).
    pub fn load(&self) -> Vec<RecentCustomer> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_else(|err| {
                tracing::warn!(path = %self.path.display(), error = %err, "ignoring a damaged recent-customers file");
                Vec::new()
            }),
            Err(_) => Vec::new(),
        }
    }

    /// The entries of one environment, newest first.
    pub fn for_environment(&self, environment: &str) -> Vec<RecentCustomer> {
        self.load().into_iter().filter(|r| r.environment == environment).collect()
    }

    /// Put `entry` first (replacing the same customer in the same environment) and keep at
    /// most [`MAX_RECENT`].
    pub fn record(&self, entry: RecentCustomer) -> std::io::Result<()> {
        let mut list = self.load();
        list.retain(|r| !(r.environment == entry.environment && r.customer_id == entry.customer_id));
        list.insert(0, entry);
        list.truncate(MAX_RECENT);
        self.save(&list)
    }

    /// Forget an environment's entries (when it is deleted).
    pub fn forget_environment(&self, environment: &str) -> std::io::Result<()> {
        let mut list = self.load();
        let before = list.len();
        list.retain(|r| r.environment != environment);
        if list.len() == before {
            return Ok(());
        }
        self.save(&list)
    }

    fn save(&self, list: &[RecentCustomer]) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(list).expect("plain data always serializes");
        // The file sits in the app's data folder: that folder is private too.
        if let Some(dir) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir_all(dir)?;
        }
        write_private_atomic(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(env: &str, id: &str) -> RecentCustomer {
        RecentCustomer {
            environment: env.into(),
            customer_id: id.into(),
            partner_customer_id: None,
            business_name_english: Some(format!("{id} Ltd")),
            opened_at: Utc::now(),
        }
    }

    #[test]
    fn newest_first_deduplicated_bounded_and_per_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = RecentFile::in_dir(dir.path());
        assert!(file.load().is_empty());
        file.record(entry("A", "c1")).unwrap();
        file.record(entry("A", "c2")).unwrap();
        file.record(entry("B", "c1")).unwrap();
        file.record(entry("A", "c1")).unwrap();
        let ids: Vec<_> = file.for_environment("A").into_iter().map(|r| r.customer_id).collect();
        assert_eq!(ids, ["c1", "c2"]);
        assert_eq!(file.for_environment("B").len(), 1);
        for i in 0..40 {
            file.record(entry("A", &format!("x{i}"))).unwrap();
        }
        assert_eq!(file.load().len(), MAX_RECENT);
        assert_eq!(file.load()[0].customer_id, "x39");
        file.forget_environment("A").unwrap();
        assert!(file.load().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_and_its_data_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir().unwrap();
        let data = temp.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = RecentFile::in_dir(&data);
        file.record(entry("A", "c1")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data.join(FILE_NAME)), 0o600);
        assert_eq!(mode(&data), 0o700);
        // A data folder that does not exist yet is made private.
        let fresh = temp.path().join("fresh").join("data");
        RecentFile::in_dir(&fresh).record(entry("A", "c1")).unwrap();
        assert_eq!((mode(&fresh), mode(&fresh.join(FILE_NAME))), (0o700, 0o600));
        assert_eq!(mode(&temp.path().join("fresh")), 0o700);
    }

    #[test]
    fn a_damaged_file_is_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "{not json").unwrap();
        assert!(RecentFile::in_dir(dir.path()).load().is_empty());
    }
}
