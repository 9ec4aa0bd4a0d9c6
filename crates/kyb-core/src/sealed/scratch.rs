//! Encrypted scratch files: a document arriving in chunks waits on disk, not in memory, until it
//! is sent and kept. Each file has its own random key, held only in memory, so what an
//! interrupted run leaves behind cannot be read by anyone (and is removed at the next start,
//! [`remove_leftovers`]).
//!
//! A scratch file is a sequence of records, one per chunk appended: the sealed length (u32,
//! little-endian) then the chunk sealed with [`super::seal`] (XChaCha20-Poly1305, random nonce),
//! the chunk's index as associated data so records cannot be reordered. Reading decrypts one
//! record at a time. The file is removed when its [`ScratchFile`] is dropped.

use std::fs;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{open, seal, SealingKey, NONCE_LEN, TAG_LEN};
use crate::files::{create_private_dir_all, create_private_new};

/// Extension of scratch files (anything else in their folder is left alone).
pub const SCRATCH_EXTENSION: &str = "scratch";
/// How many leading bytes a scratch file remembers in memory (enough to tell a file's type).
pub const START_LEN: usize = 8 * 1024;
/// Largest record accepted when reading (a chunk is far smaller; a larger length is damage).
const MAX_RECORD_LEN: usize = 16 * 1024 * 1024;

/// A scratch file being written: chunks are appended in order; its length, SHA-256 and first
/// bytes are known without reading it back.
pub struct ScratchFile {
    path: PathBuf,
    file: fs::File,
    key: SealingKey,
    len: u64,
    chunks: u64,
    digest: Sha256,
    start: Vec<u8>,
}

impl ScratchFile {
    /// Create `<dir>/<name>.scratch` (mode 0600; `dir` created 0700); refused when it exists.
    pub fn create(dir: &Path, name: &str) -> io::Result<Self> {
        create_private_dir_all(dir)?;
        let path = dir.join(format!("{name}.{SCRATCH_EXTENSION}"));
        let file = create_private_new(&path)?;
        Ok(Self {
            path,
            file,
            key: SealingKey::generate(),
            len: 0,
            chunks: 0,
            digest: Sha256::new(),
            start: Vec::new(),
        })
    }

    /// Encrypt `chunk` and add it at the end.
    pub fn append(&mut self, chunk: &[u8]) -> io::Result<()> {
        let sealed = seal(&self.key, &self.chunks.to_le_bytes(), chunk);
        let record_len = u32::try_from(sealed.len()).map_err(|_| io::Error::other("a chunk is too large to stage"))?;
        let mut record = Vec::with_capacity(4 + sealed.len());
        record.extend_from_slice(&record_len.to_le_bytes());
        record.extend_from_slice(&sealed);
        self.file.write_all(&record)?;
        self.chunks += 1;
        self.len += chunk.len() as u64;
        self.digest.update(chunk);
        let wanted = START_LEN.saturating_sub(self.start.len()).min(chunk.len());
        self.start.extend_from_slice(&chunk[..wanted]);
        Ok(())
    }

    /// Bytes appended so far (plain text, not the file's size).
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing was appended.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// SHA-256 (hex) of the bytes appended so far.
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.digest.clone().finalize())
    }

    /// The first bytes appended (up to [`START_LEN`]).
    pub fn start(&self) -> &[u8] {
        &self.start
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the chunks appended so far, decrypted, from the start.
    pub fn reader(&self) -> io::Result<ScratchReader> {
        let file = fs::File::open(&self.path)?;
        Ok(ScratchReader {
            file: BufReader::new(file),
            key: self.key.clone(),
            index: 0,
            chunks: self.chunks,
            pending: Vec::new(),
            position: 0,
        })
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        // Finished, cancelled or dropped: its bytes are no use to anyone any more.
        if let Err(err) = fs::remove_file(&self.path) {
            if err.kind() != io::ErrorKind::NotFound {
                tracing::warn!(path = %self.path.display(), error = %err, "could not remove a scratch file");
            }
        }
    }
}

/// The decrypted chunks of a [`ScratchFile`], one at a time (also as a [`Read`]).
pub struct ScratchReader {
    file: BufReader<fs::File>,
    key: SealingKey,
    index: u64,
    chunks: u64,
    pending: Vec<u8>,
    position: usize,
}

impl ScratchReader {
    /// The next chunk, or `None` after the last one. A damaged or altered record is an error.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        if self.index == self.chunks {
            return Ok(None);
        }
        let mut len = [0u8; 4];
        self.file.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len) as usize;
        if !(NONCE_LEN + TAG_LEN..=MAX_RECORD_LEN).contains(&len) {
            return Err(damaged());
        }
        let mut sealed = vec![0u8; len];
        self.file.read_exact(&mut sealed)?;
        let plain = open(&self.key, &self.index.to_le_bytes(), &sealed).map_err(|_| damaged())?;
        self.index += 1;
        Ok(Some(plain.to_vec()))
    }
}

impl Read for ScratchReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.position == self.pending.len() {
            match self.next_chunk()? {
                Some(chunk) => {
                    self.pending = chunk;
                    self.position = 0;
                }
                None => return Ok(0),
            }
        }
        let count = out.len().min(self.pending.len() - self.position);
        out[..count].copy_from_slice(&self.pending[self.position..self.position + count]);
        self.position += count;
        Ok(count)
    }
}

fn damaged() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a staged chunk is damaged or was altered")
}

/// Remove every scratch file in `dir` (an earlier run's, which nobody can read any more); how
/// many were removed. A missing folder has none.
pub fn remove_leftovers(dir: &Path) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(err),
    };
    let mut removed = 0;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == SCRATCH_EXTENSION) {
            fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_read_back_exactly_and_the_file_is_not_plain_text() {
        let dir = tempfile::tempdir().unwrap();
        let canary = b"CANARY-4f1c-plain-text-must-not-reach-the-disk";
        let mut scratch = ScratchFile::create(dir.path(), "up-1").unwrap();
        let mut expected = Vec::new();
        for index in 0..5u8 {
            let mut chunk = vec![index; 1000 + index as usize];
            chunk.extend_from_slice(canary);
            scratch.append(&chunk).unwrap();
            expected.extend_from_slice(&chunk);
        }
        assert_eq!(scratch.len(), expected.len() as u64);
        assert_eq!(scratch.sha256_hex(), hex::encode(Sha256::digest(&expected)));
        assert_eq!(scratch.start(), &expected[..expected.len().min(START_LEN)]);
        let on_disk = fs::read(scratch.path()).unwrap();
        assert!(!on_disk.windows(canary.len()).any(|window| window == canary));
        let mut read = Vec::new();
        scratch.reader().unwrap().read_to_end(&mut read).unwrap();
        assert_eq!(read, expected);
        let path = scratch.path().to_owned();
        drop(scratch);
        assert!(!path.exists());
    }

    #[test]
    fn an_altered_record_does_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut scratch = ScratchFile::create(dir.path(), "up-2").unwrap();
        scratch.append(b"some bytes").unwrap();
        let mut bytes = fs::read(scratch.path()).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(scratch.path(), bytes).unwrap();
        let err = scratch.reader().unwrap().next_chunk().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn leftovers_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        let scratch = ScratchFile::create(dir.path(), "up-3").unwrap();
        std::mem::forget(scratch); // a crash: nothing removed it
        fs::write(dir.path().join("notes.txt"), b"kept").unwrap();
        assert_eq!(remove_leftovers(dir.path()).unwrap(), 1);
        assert!(dir.path().join("notes.txt").exists());
        assert_eq!(remove_leftovers(&dir.path().join("missing")).unwrap(), 0);
    }
}
