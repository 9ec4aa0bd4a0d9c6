//! The data-folder lock: one KYB Desk process (app or CLI) at a time uses a data folder, so two
//! never append to the same audit log or send the same outbox entry. An exclusive advisory lock
//! (`flock` on Unix, `LockFileEx` on Windows, through `fs4`) on `<data>/.kyb-desk.lock`, held as
//! long as the [`DataLock`] lives; the operating system drops it when the process ends, even on
//! a crash, so a stale lock file never blocks anyone. The holder writes its pid into the file
//! so the next one can say who is in the way.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::create_private_dir_all;

/// File name of the lock inside the data folder.
pub const LOCK_FILE_NAME: &str = ".kyb-desk.lock";

/// How often a waiting [`DataLock::acquire`] tries again.
const RETRY_EVERY: Duration = Duration::from_millis(50);

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock on the data folder `path`.
    #[error("another KYB Desk process{} is using {}; close it or wait", holder(*.holder_pid), .path.display())]
    Held { path: PathBuf, holder_pid: Option<u32> },
    /// The folder or the lock file cannot be made or locked.
    #[error("cannot lock the data folder {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

fn holder(pid: Option<u32>) -> String {
    pid.map(|pid| format!(" (pid {pid})")).unwrap_or_default()
}

/// The exclusive lock on a data folder; released when dropped.
#[derive(Debug)]
pub struct DataLock {
    file: File,
    path: PathBuf,
}

impl DataLock {
    /// Lock `dir` (created private when missing), trying again until `wait` has passed
    /// (`Duration::ZERO`: one try).
    pub fn acquire(dir: &Path, wait: Duration) -> Result<Self, LockError> {
        let io_error = |source| LockError::Io { path: dir.to_owned(), source };
        create_private_dir_all(dir).map_err(io_error)?;
        let path = dir.join(LOCK_FILE_NAME);
        let mut options = fs::OpenOptions::new();
        // Never truncated on open: the holder's pid stays readable to those who wait.
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(io_error)?;
        let deadline = Instant::now() + wait;
        loop {
            // Called through the trait: std's own `File::try_lock` needs a newer Rust than ours.
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => break,
                Err(fs4::TryLockError::WouldBlock) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(LockError::Held { path: dir.to_owned(), holder_pid: read_pid(&path) });
                    }
                    std::thread::sleep(RETRY_EVERY.min(deadline - now));
                }
                Err(fs4::TryLockError::Error(source)) => return Err(io_error(source)),
            }
        }
        let mut lock = Self { file, path };
        lock.write_pid().map_err(io_error)?;
        Ok(lock)
    }

    /// The lock file (`<dir>/.kyb-desk.lock`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_pid(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        // The file was opened for writing, not appending: write from the start.
        io::Seek::seek(&mut self.file, io::SeekFrom::Start(0))?;
        writeln!(self.file, "{}", std::process::id())?;
        self.file.sync_all()
    }
}

impl Drop for DataLock {
    fn drop(&mut self) {
        // Still held here, so no one else's pid is erased; the lock goes with the handle.
        let _ = self.file.set_len(0);
    }
}

fn read_pid(path: &Path) -> Option<u32> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    use super::*;

    const HOLDER_DIR_VAR: &str = "KYB_TEST_LOCK_HOLDER_DIR";
    const HOLDER_READY: &str = "kyb-lock-holder-ready";

    #[test]
    fn a_second_lock_in_the_same_process_is_refused_until_the_first_is_dropped() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data");
        let first = DataLock::acquire(&dir, Duration::ZERO).unwrap();
        assert_eq!(first.path(), dir.join(LOCK_FILE_NAME));
        assert_eq!(read_pid(first.path()), Some(std::process::id()));

        let started = Instant::now();
        let err = DataLock::acquire(&dir, Duration::from_millis(200)).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(200), "it waited before giving up");
        match &err {
            LockError::Held { path, holder_pid } => {
                assert_eq!(path, &dir);
                assert_eq!(*holder_pid, Some(std::process::id()));
            }
            other => panic!("expected Held, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains(&format!("(pid {})", std::process::id())), "{message}");
        assert!(message.contains(&dir.display().to_string()) && message.ends_with("close it or wait"), "{message}");

        drop(first);
        let again = DataLock::acquire(&dir, Duration::ZERO).unwrap();
        assert_eq!(read_pid(again.path()), Some(std::process::id()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!((mode(&dir), mode(again.path())), (0o700, 0o600));
        }
    }

    #[test]
    fn a_lock_held_by_another_process_is_refused_with_its_pid_and_freed_when_it_ends() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data");
        // This test binary, run again, holds the lock in the helper below.
        let mut holder = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "files::lock::tests::holds_the_lock_until_stdin_closes", "--ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .env(HOLDER_DIR_VAR, &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(holder.stdout.take().unwrap());
        let mut line = String::new();
        // libtest may print "test <name> ... " on the same line before the helper's own output.
        while !line.contains(HOLDER_READY) {
            line.clear();
            assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "the holder process ended before locking");
        }

        let err = DataLock::acquire(&dir, Duration::from_millis(100)).unwrap_err();
        assert!(
            matches!(&err, LockError::Held { holder_pid: Some(pid), .. } if *pid == holder.id()),
            "{err:?} (holder pid {})",
            holder.id()
        );

        drop(holder.stdin.take());
        assert!(holder.wait().unwrap().success());
        let mine = DataLock::acquire(&dir, Duration::from_secs(5)).unwrap();
        assert_eq!(read_pid(mine.path()), Some(std::process::id()));
    }

    /// The second process of the test above: locks, says so, and holds until its stdin closes.
    #[test]
    #[ignore = "run as a second process by the cross-process lock test"]
    fn holds_the_lock_until_stdin_closes() {
        let dir = PathBuf::from(std::env::var_os(HOLDER_DIR_VAR).expect("started by the cross-process test"));
        let _lock = DataLock::acquire(&dir, Duration::ZERO).unwrap();
        println!("{HOLDER_READY}");
        io::stdout().flush().unwrap();
        let mut rest = String::new();
        while io::stdin().read_line(&mut rest).unwrap() > 0 {}
    }
}
