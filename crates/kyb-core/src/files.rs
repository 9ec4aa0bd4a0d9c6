//! The one owner of how KYB Desk writes its own files: private (mode 0600 files, 0700 folders on
//! Unix, so other users of the machine cannot read customer data or settings) and, for files
//! that are replaced, atomic and durable (a reader or a crash sees the old file or the new one,
//! never half of one). Also the data-folder lock ([`DataLock`]).

use std::fs;
use std::io::{self, Write};
use std::path::Path;

mod lock;

pub use lock::{DataLock, LockError, LOCK_FILE_NAME};

/// Create `path` and every missing parent, each new folder 0700, then make `path` itself 0700
/// (a data folder made earlier by someone else, or by an older version, is tightened too).
/// Parents that already exist are left as they are: they may be the user's home or documents.
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    create_missing_private_dirs(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Replace `path` with `bytes`: a temporary file in the same folder (0600 from the moment it
/// exists), written, flushed to disk, renamed over `path`, and the folder flushed so the rename
/// survives a power cut. Missing folders are created 0700; an existing folder is not changed.
///
/// `tempfile` makes the temporary file: it picks a free random name, creates it with
/// `O_EXCL` and mode 0600, removes it again if anything fails before the rename, and its
/// `persist` is the rename. Its names are `.<file name>.<random>.tmp`, which [`is_temporary`]
/// recognises, so folder listings skip the leftovers of a crash.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_private_atomic_with(path, |file| file.write_all(bytes))
}

/// [`write_private_atomic`] for content produced piece by piece (a sealed document is encrypted
/// a segment at a time, never whole in memory): `write` fills the temporary file through a
/// buffer; an error from it leaves `path` as it was.
pub fn write_private_atomic_with(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = parent_of(path);
    create_missing_private_dirs(dir)?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let mut temp = tempfile::Builder::new().prefix(&format!(".{file_name}.")).suffix(".tmp").tempfile_in(dir)?;
    {
        let mut buffered = io::BufWriter::new(temp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|err| err.error)?;
    sync_dir(dir);
    Ok(())
}

/// A private temporary file (0600, named like [`write_private_atomic`]'s, so listings skip it)
/// for content that arrives piece by piece (a document received over the network), put in place
/// by [`Self::persist`]; dropped unpersisted, it is removed.
pub struct PendingFile(tempfile::NamedTempFile);

impl PendingFile {
    /// A new pending file in the folder of `path` (created 0700 when missing).
    pub fn create_for(path: &Path) -> io::Result<Self> {
        let dir = parent_of(path);
        create_missing_private_dirs(dir)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        tempfile::Builder::new().prefix(&format!(".{file_name}.")).suffix(".tmp").tempfile_in(dir).map(Self)
    }

    /// A second handle to write through (an async writer, say).
    pub fn reopen(&self) -> io::Result<fs::File> {
        self.0.reopen()
    }

    /// Flush to disk and rename over `path` (same folder), durably.
    pub fn persist(self, path: &Path) -> io::Result<()> {
        self.0.as_file().sync_all()?;
        self.0.persist(path).map_err(|err| err.error)?;
        sync_dir(parent_of(path));
        Ok(())
    }
}

/// Create a new file at `path` (never over an existing one: `AlreadyExists`), mode 0600, for
/// exports that hold customer data. Its folder must exist (it is the user's choice).
pub fn create_private_new(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    private_mode(&mut options);
    options.open(path)
}

/// Open `path` for appending, creating it 0600 when missing (the audit log).
pub fn open_private_append(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.append(true).create(true);
    private_mode(&mut options);
    options.open(path)
}

/// Temporary files start with `.` and end with `.tmp`; folder listings skip them.
pub(crate) fn is_temporary(file_name: &str) -> bool {
    file_name.starts_with('.') && file_name.ends_with(".tmp")
}

/// Make a rename, creation or removal in `dir` durable (best effort: not every file system
/// allows a folder to be flushed).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
}

fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn create_missing_private_dirs(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

#[cfg(unix)]
fn private_mode(options: &mut fs::OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}

#[cfg(not(unix))]
fn private_mode(_options: &mut fs::OpenOptions) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("a.json");
        write_private_atomic(&path, b"one").unwrap();
        write_private_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
        assert!(is_temporary(".secret.bin.1a2b.tmp") && !is_temporary("secret.bin"));
    }

    #[cfg(unix)]
    #[test]
    fn files_and_the_folders_made_for_them_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let path = dir.path().join("a").join("b").join("secret.bin");
        write_private_atomic(&path, b"x").unwrap();
        write_private_atomic(&path, b"y").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&dir.path().join("a").join("b")), 0o700);
        // A folder that was already there (it may be the user's documents) is left alone.
        assert_eq!(mode(dir.path()), 0o755);
    }

    #[cfg(unix)]
    #[test]
    fn a_private_folder_is_tightened_and_its_new_parents_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir(&data).unwrap();
        fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir_all(&data).unwrap();
        assert_eq!(mode(&data), 0o700);
        let deep = dir.path().join("x").join("y");
        create_private_dir_all(&deep).unwrap();
        assert_eq!((mode(&dir.path().join("x")), mode(&deep)), (0o700, 0o700));
    }

    #[test]
    fn a_new_private_file_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        create_private_new(&path).unwrap().write_all(b"first").unwrap();
        let err = create_private_new(&path).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
    }
}
