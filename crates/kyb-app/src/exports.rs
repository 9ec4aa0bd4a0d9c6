//! Where exported files go (portable drafts, case reports, the audit trail), so that the officer
//! can find them: `KYB_DESK_EXPORT_DIR` when set, else a "KYB Desk" folder in the user's
//! Downloads folder, else in Documents, else in the home folder; never the app's hidden data
//! folder. Files are never overwritten and are readable only by this user.
//!
//! The app remembers what it exported in this session: `reveal_export` answers only those files,
//! so the page can ask to show an export in the file manager without being able to open any path.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use kyb_core::files::create_private_new;
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;

/// The folder the app makes inside the chosen user folder.
pub const EXPORT_FOLDER_NAME: &str = "KYB Desk";

/// Where exported files may go, in order of preference, and what was exported so far.
#[derive(Debug, Clone, Default)]
pub struct ExportFolders {
    /// `KYB_DESK_EXPORT_DIR`: used as is.
    pub explicit: Option<PathBuf>,
    /// The user's Downloads folder (`KYB Desk` inside it), when it exists.
    pub downloads: Option<PathBuf>,
    /// The user's Documents folder (`KYB Desk` inside it), when it exists.
    pub documents: Option<PathBuf>,
    /// The home folder (`KYB Desk` inside it, made when needed): the last resort.
    pub home: Option<PathBuf>,
    /// Files written by this app in this session (shared between clones).
    written: Arc<Mutex<HashSet<PathBuf>>>,
}

impl ExportFolders {
    pub fn new(
        explicit: Option<PathBuf>,
        downloads: Option<PathBuf>,
        documents: Option<PathBuf>,
        home: Option<PathBuf>,
    ) -> Self {
        Self { explicit, downloads, documents, home, written: Arc::default() }
    }

    /// This user's folders as the desktop knows them (XDG user dirs on Linux); `downloads`
    /// overrides the Downloads folder (the shell passes Tauri's).
    pub fn for_user(explicit: Option<PathBuf>, downloads: Option<PathBuf>) -> Self {
        let home = dirs::home_dir();
        let downloads = downloads.or_else(dirs::download_dir).or_else(|| home.as_ref().map(|h| h.join("Downloads")));
        let documents = dirs::document_dir().or_else(|| home.as_ref().map(|h| h.join("Documents")));
        Self::new(explicit, downloads, documents, home)
    }

    /// The folders to try, in order, each with whether it may be created: a user folder that
    /// does not exist is skipped (it is not ours to make), its `KYB Desk` folder is made.
    fn candidates(&self) -> Vec<(PathBuf, Option<&Path>)> {
        let mut out = Vec::new();
        if let Some(dir) = &self.explicit {
            out.push((dir.clone(), None));
        }
        for parent in [&self.downloads, &self.documents, &self.home].into_iter().flatten() {
            out.push((parent.join(EXPORT_FOLDER_NAME), Some(parent.as_path())));
        }
        out
    }

    /// Whether this app wrote `path` in this session.
    pub fn was_exported(&self, path: &Path) -> bool {
        self.written.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).contains(path)
    }

    fn remember(&self, path: &Path) {
        self.written.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(path.to_path_buf());
    }
}

/// Where an exported file was written (drafts, case reports and the audit trail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportedDraft {
    /// Full path of the written file (what `reveal_export` takes).
    pub path: String,
    pub file_name: String,
    /// The folder it is in, as shown to the officer.
    pub folder: String,
}

impl ExportedDraft {
    pub fn new(path: &Path, file_name: String) -> Self {
        let folder = path.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        Self { path: path.to_string_lossy().into_owned(), file_name, folder }
    }
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
    for (dir, parent) in folders.candidates() {
        if parent.is_some_and(|p| !p.is_dir()) {
            continue;
        }
        // Plain user permissions for the folder (the officer opens it); the files stay private.
        if let Err(err) = std::fs::create_dir_all(&dir) {
            tried.push(format!("{}: {err}", dir.display()));
            continue;
        }
        match write_new(&dir, stem, extension, bytes) {
            Ok((path, name)) => {
                folders.remember(&path);
                return Ok((path, name));
            }
            Err(err) => tried.push(format!("{}: {err}", dir.display())),
        }
    }
    if tried.is_empty() {
        tried.push("no Downloads, Documents or home folder".to_owned());
    }
    Err(AppError::Internal(format!("the file could not be written to any export folder ({})", tried.join("; "))))
}

/// The file to show in the file manager: `path` when this app exported it in this session, else
/// `invalid_input` on `path` (the page cannot use this to open anything else).
pub fn reveal_target(folders: &ExportFolders, path: &str) -> Result<PathBuf, AppError> {
    let path = PathBuf::from(path);
    if !folders.was_exported(&path) {
        return Err(AppError::invalid_input("path", "only a file exported by KYB Desk in this session can be shown"));
    }
    if !path.is_file() {
        return Err(AppError::invalid_input("path", "the exported file is no longer there (moved or deleted)"));
    }
    Ok(path)
}

/// [`reveal_target`] over the app's export folders: the file the desktop shell shows in the file
/// manager (`reveal_export`).
pub fn reveal_export(state: &crate::state::AppState, path: &str) -> Result<PathBuf, AppError> {
    reveal_target(&state.exports, path)
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

    fn folders_in(root: &Path, make: &[&str]) -> ExportFolders {
        for name in make {
            std::fs::create_dir_all(root.join(name)).unwrap();
        }
        ExportFolders::new(None, Some(root.join("Downloads")), Some(root.join("Documents")), Some(root.to_path_buf()))
    }

    #[test]
    fn exports_never_overwrite_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let folders = folders_in(dir.path(), &["Downloads"]);
        let (first, name) = write_export(&folders, "kyb-draft-x-20260101-000000", b"{}").unwrap();
        assert_eq!(name, "kyb-draft-x-20260101-000000.json");
        let (_, second) = write_export(&folders, "kyb-draft-x-20260101-000000", b"{}").unwrap();
        assert_eq!(second, "kyb-draft-x-20260101-000000-2.json");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&first).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn downloads_then_documents_then_home_each_in_a_kyb_desk_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (path, _) = write_export(&folders_in(root, &[]), "a", b"{}").unwrap();
        assert_eq!(path, root.join("KYB Desk/a.json"), "neither Downloads nor Documents: home");
        let (path, _) = write_export(&folders_in(root, &["Documents"]), "a", b"{}").unwrap();
        assert_eq!(path, root.join("Documents/KYB Desk/a.json"), "no Downloads: Documents");
        let (path, _) = write_export(&folders_in(root, &["Downloads"]), "a", b"{}").unwrap();
        assert_eq!(path, root.join("Downloads/KYB Desk/a.json"));
        let mut explicit = folders_in(root, &[]);
        explicit.explicit = Some(root.join("chosen"));
        let (path, _) = write_export(&explicit, "a", b"{}").unwrap();
        assert_eq!(path, root.join("chosen/a.json"), "KYB_DESK_EXPORT_DIR as is");
        let (path, _) = write_export(&folders_in(root, &[]), "b", b"{}").unwrap();
        let shown = ExportedDraft::new(&path, "b.json".into());
        let below_home = std::path::Path::new(&shown.folder).strip_prefix(root).unwrap();
        assert!(
            !below_home.to_string_lossy().split('/').any(|part| part.starts_with('.')),
            "a visible folder: {}",
            shown.folder
        );
    }

    #[test]
    fn no_user_folder_at_all_is_an_error_not_a_hidden_folder() {
        let folders = ExportFolders::new(None, None, None, None);
        let err = write_export(&folders, "a", b"{}").unwrap_err();
        assert!(err.to_string().contains("no Downloads"), "{err}");
    }

    #[test]
    fn only_files_this_app_exported_can_be_revealed() {
        let dir = tempfile::tempdir().unwrap();
        let folders = folders_in(dir.path(), &["Downloads"]);
        let (path, _) = write_export(&folders, "report", b"<html>").unwrap();
        assert_eq!(reveal_target(&folders.clone(), &path.to_string_lossy()).unwrap(), path);
        let other = dir.path().join("Downloads/other.txt");
        std::fs::write(&other, "x").unwrap();
        for refused in [other.to_string_lossy().into_owned(), "/etc/passwd".to_owned(), String::new()] {
            let err = reveal_target(&folders, &refused).unwrap_err();
            assert_eq!(err.kind(), crate::error::ErrorKind::InvalidInput, "{refused}");
        }
        std::fs::remove_file(&path).unwrap();
        assert!(reveal_target(&folders, &path.to_string_lossy()).is_err(), "a deleted export is refused");
    }
}
