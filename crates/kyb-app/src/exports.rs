//! Where exported files go (portable drafts, case reports, the audit trail): `KYB_DESK_EXPORT_DIR`
//! when set, else the user's Downloads folder, else the data folder. Files are never overwritten
//! and are readable only by this user.

use std::io::Write;
use std::path::{Path, PathBuf};

use kyb_core::files::create_private_new;
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;

/// Where exported files may go, in order of preference.
#[derive(Debug, Clone)]
pub struct ExportFolders {
    pub explicit: Option<PathBuf>,
    pub downloads: Option<PathBuf>,
    pub data_dir: PathBuf,
}

/// Where an exported file was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportedDraft {
    /// Full path of the written file.
    pub path: String,
    pub file_name: String,
}

/// Write `bytes` as `<stem>.json` (then `<stem>-2.json`, … if taken) into the first usable export
/// folder, readable only by this user. Returns the path and the file name.
pub fn write_export(folders: &ExportFolders, stem: &str, bytes: &[u8]) -> Result<(PathBuf, String), AppError> {
    write_export_as(folders, stem, "json", bytes)
}

/// [`write_export`] with another file extension (`html` for case reports).
pub fn write_export_as(
    folders: &ExportFolders,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> Result<(PathBuf, String), AppError> {
    let mut tried = Vec::new();
    let candidates = [
        folders.explicit.clone().map(|dir| (dir, true)),
        folders.downloads.clone().map(|dir| (dir, false)),
        Some((folders.data_dir.clone(), true)),
    ];
    for (dir, create) in candidates.into_iter().flatten() {
        if create {
            if let Err(err) = std::fs::create_dir_all(&dir) {
                tried.push(format!("{}: {err}", dir.display()));
                continue;
            }
        } else if !dir.is_dir() {
            continue;
        }
        match write_new(&dir, stem, extension, bytes) {
            Ok(done) => return Ok(done),
            Err(err) => tried.push(format!("{}: {err}", dir.display())),
        }
    }
    Err(AppError::Internal(format!("the file could not be written to any export folder ({})", tried.join("; "))))
}

fn write_new(dir: &Path, stem: &str, extension: &str, bytes: &[u8]) -> std::io::Result<(PathBuf, String)> {
    for n in 1..=100 {
        let file_name = if n == 1 { format!("{stem}.{extension}") } else { format!("{stem}-{n}.{extension}") };
        let path = dir.join(&file_name);
        match create_private_new(&path) {
            Ok(mut file) => {
                if let Err(err) = file.write_all(bytes).and_then(|()| file.sync_all()) {
                    let _ = std::fs::remove_file(&path);
                    return Err(err);
                }
                return Ok((path, file_name));
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "too many exports with the same name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_never_overwrite_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let folders = ExportFolders { explicit: None, downloads: Some(dir.path().join("missing")), data_dir: dir.path().join("data") };
        let (first, name) = write_export(&folders, "kyb-draft-x-20260101-000000", b"{}").unwrap();
        assert_eq!(name, "kyb-draft-x-20260101-000000.json");
        assert!(first.starts_with(dir.path().join("data")), "Downloads missing: the data folder");
        let (_, second) = write_export(&folders, "kyb-draft-x-20260101-000000", b"{}").unwrap();
        assert_eq!(second, "kyb-draft-x-20260101-000000-2.json");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&first).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
