//! Files sealed at rest: drafts and outbox entries hold customer PII, so they are encrypted with
//! XChaCha20-Poly1305 under one random 256-bit key that lives only in the OS keychain.
//!
//! - The key is created on first use ([`KeychainKeyStore::load_or_create`]) and stored base64 in
//!   the keychain (service `kyb-desk-drafts`, account `sealing-key`). Without a keychain nothing
//!   is written: [`SealError::KeychainUnavailable`]; there is no plain-text fallback.
//! - A sealed file is `KYBSEAL1` ‖ key id (8 bytes) ‖ nonce (24 bytes, random) ‖ ciphertext+tag.
//!   The file name is the associated data, so a file copied over another name does not open.
//!   The key id tells "sealed with another key" ([`SealError::WrongKey`], the keychain entry was
//!   lost or replaced) apart from "damaged" ([`SealError::Corrupt`]).
//! - Files are written with [`crate::files`] (temp file, fsync, rename, fsync the folder), mode
//!   0600, in folders of mode 0700.
//! - Large content (document copies) is sealed as a stream instead ([`SealedDir::write_stream`]):
//!   `KYBSEAL2` ‖ key id ‖ nonce prefix (19 bytes) ‖ segments of 64 KiB, each encrypted and
//!   authenticated on its own (RustCrypto's STREAM construction, big-endian 32-bit counter, the
//!   last segment flagged so a truncated file does not open), the file name as associated data of
//!   every segment. Neither writing nor reading holds more than one segment besides the content.

use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub mod scratch;

use crate::files::{create_private_dir_all, is_temporary, sync_dir, write_private_atomic, write_private_atomic_with};

const MAGIC: &[u8; 8] = b"KYBSEAL1";
const KEY_ID_LEN: usize = 8;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = MAGIC.len() + KEY_ID_LEN + NONCE_LEN;
const STREAM_MAGIC: &[u8; 8] = b"KYBSEAL2";
/// XChaCha20-Poly1305's 24-byte nonce less STREAM's 4-byte counter and 1-byte last flag.
const STREAM_NONCE_LEN: usize = 19;
const STREAM_HEADER_LEN: usize = STREAM_MAGIC.len() + KEY_ID_LEN + STREAM_NONCE_LEN;
/// Plaintext per segment of a sealed stream.
const SEGMENT_LEN: usize = 64 * 1024;
const TAG_LEN: usize = 16;
/// Extension of every sealed file.
pub const SEALED_EXTENSION: &str = "sealed";

/// Keychain service and account of the sealing key (apart from the API credentials' service, so
/// no environment name can collide with it).
pub const KEY_SERVICE: &str = "kyb-desk-drafts";
pub const KEY_ACCOUNT: &str = "sealing-key";

/// The 256-bit key. Its bytes are wiped from memory when dropped and never printed.
#[derive(Clone)]
pub struct SealingKey {
    bytes: Zeroizing<[u8; 32]>,
    id: [u8; KEY_ID_LEN],
}

impl SealingKey {
    /// A new random key from the OS random source.
    pub fn generate() -> Self {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = Zeroizing::new([0u8; 32]);
        bytes.copy_from_slice(&key);
        Self::from_bytes(bytes)
    }

    fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> Self {
        let digest = Sha256::new().chain_update(b"kyb-desk sealing key id\0").chain_update(bytes.as_slice()).finalize();
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&digest[..KEY_ID_LEN]);
        Self { bytes, id }
    }

    /// A short public fingerprint of the key (not secret; shown in diagnostics).
    pub fn id_hex(&self) -> String {
        hex::encode(self.id)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.bytes.as_slice().into())
    }
}

impl fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealingKey").field("id", &self.id_hex()).field("bytes", &"<redacted>").finish()
    }
}

/// Why sealed data could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the OS keychain is not available ({reason}); drafts are never stored unencrypted, so nothing was saved")]
    KeychainUnavailable { reason: String },
    #[error("the drafts key in the OS keychain is damaged; drafts sealed with it cannot be read")]
    KeyDamaged,
    #[error("{} was sealed with a different key: the drafts key in the OS keychain was lost or replaced, so it cannot be read", .path.display())]
    WrongKey { path: PathBuf },
    #[error("{} is damaged or was altered, so it cannot be read", .path.display())]
    Corrupt { path: PathBuf },
    #[error("{} does not exist", .path.display())]
    NotFound { path: PathBuf },
    #[error("cannot read or write {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} opened but its contents are not what was expected: {detail}", .path.display())]
    Format { path: PathBuf, detail: String },
}

impl SealError {
    fn io(path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::NotFound {
            SealError::NotFound { path: path.to_owned() }
        } else {
            SealError::Io { path: path.to_owned(), source }
        }
    }
}

/// Where the sealing key is kept: the OS keychain.
#[derive(Debug, Clone)]
pub struct KeychainKeyStore {
    service: String,
}

impl Default for KeychainKeyStore {
    fn default() -> Self {
        Self { service: KEY_SERVICE.to_owned() }
    }
}

impl KeychainKeyStore {
    /// A store under another keychain service name (tests use a unique one).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self { service: service.into() }
    }

    fn entry(&self) -> Result<keyring::Entry, SealError> {
        keyring::Entry::new(&self.service, KEY_ACCOUNT).map_err(unavailable)
    }

    /// The key, when the keychain holds one.
    pub fn load(&self) -> Result<Option<SealingKey>, SealError> {
        match self.entry()?.get_password() {
            Ok(text) => {
                let text = Zeroizing::new(text);
                let decoded = Zeroizing::new(BASE64.decode(text.trim()).map_err(|_| SealError::KeyDamaged)?);
                let mut bytes = Zeroizing::new([0u8; 32]);
                if decoded.len() != bytes.len() {
                    return Err(SealError::KeyDamaged);
                }
                bytes.copy_from_slice(&decoded);
                Ok(Some(SealingKey::from_bytes(bytes)))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(other) => Err(unavailable(other)),
        }
    }

    /// The key, created and stored on first use. The new key is read back before it is used,
    /// so a keychain that silently drops writes is found before anything is sealed with it.
    pub fn load_or_create(&self) -> Result<SealingKey, SealError> {
        if let Some(key) = self.load()? {
            return Ok(key);
        }
        let key = SealingKey::generate();
        let text = Zeroizing::new(BASE64.encode(key.bytes.as_slice()));
        self.entry()?.set_password(&text).map_err(unavailable)?;
        match self.load()? {
            Some(stored) if stored.id == key.id => Ok(key),
            _ => Err(SealError::KeychainUnavailable { reason: "the keychain did not keep the new drafts key".into() }),
        }
    }

    /// Remove the key (tests; and the documented "forget every draft" recovery).
    pub fn delete(&self) -> Result<(), SealError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(unavailable(other)),
        }
    }
}

fn unavailable(err: keyring::Error) -> SealError {
    SealError::KeychainUnavailable { reason: err.to_string() }
}

/// Encrypt `plaintext`, binding it to `associated` (which must be given again to open it).
pub fn seal(key: &SealingKey, associated: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ciphertext = key
        .cipher()
        .encrypt(&nonce, Payload { msg: plaintext, aad: associated })
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    let mut out = Vec::with_capacity(HEADER_LEN + ciphertext.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&key.id);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

/// Why [`open`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Sealed with another key.
    WrongKey,
    /// Not a sealed file, truncated, altered, or bound to other associated data.
    Corrupt,
}

/// Decrypt what [`seal`] produced.
pub fn open(key: &SealingKey, associated: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if sealed.len() < HEADER_LEN || &sealed[..MAGIC.len()] != MAGIC {
        return Err(OpenError::Corrupt);
    }
    let key_id = &sealed[MAGIC.len()..MAGIC.len() + KEY_ID_LEN];
    if key_id != key.id {
        return Err(OpenError::WrongKey);
    }
    let nonce = XNonce::from_slice(&sealed[MAGIC.len() + KEY_ID_LEN..HEADER_LEN]);
    key.cipher()
        .decrypt(nonce, Payload { msg: &sealed[HEADER_LEN..], aad: associated })
        .map(Zeroizing::new)
        .map_err(|_| OpenError::Corrupt)
}

/// A folder of sealed JSON files, each named `<name>.sealed`.
#[derive(Debug, Clone)]
pub struct SealedDir {
    dir: PathBuf,
    key: Arc<SealingKey>,
}

impl SealedDir {
    /// Use (and create, mode 0700) `dir`.
    pub fn create(dir: impl Into<PathBuf>, key: Arc<SealingKey>) -> Result<Self, SealError> {
        let dir = dir.into();
        create_private_dir(&dir)?;
        Ok(Self { dir, key })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn key(&self) -> &Arc<SealingKey> {
        &self.key
    }

    /// The file that holds `name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.{SEALED_EXTENSION}"))
    }

    /// Seal `value` as JSON and write it atomically (0600).
    pub fn write_json<T: Serialize>(&self, name: &str, value: &T) -> Result<(), SealError> {
        let path = self.path(name);
        let json = Zeroizing::new(
            serde_json::to_vec(value).map_err(|err| SealError::Format { path: path.clone(), detail: err.to_string() })?,
        );
        let sealed = seal(&self.key, name.as_bytes(), &json);
        write_private_atomic(&path, &sealed).map_err(|err| SealError::io(&path, err))
    }

    /// Read, open and parse `name`.
    pub fn read_json<T: DeserializeOwned>(&self, name: &str) -> Result<T, SealError> {
        let path = self.path(name);
        let bytes = fs::read(&path).map_err(|err| SealError::io(&path, err))?;
        let json = open(&self.key, name.as_bytes(), &bytes).map_err(|err| match err {
            OpenError::WrongKey => SealError::WrongKey { path: path.clone() },
            OpenError::Corrupt => SealError::Corrupt { path: path.clone() },
        })?;
        serde_json::from_slice(&json).map_err(|err| SealError::Format { path, detail: err.to_string() })
    }

    /// Seal the concatenation of `parts` as a stream (see the module documentation) and write it
    /// atomically (0600), one segment at a time.
    pub fn write_stream(&self, name: &str, parts: &[&[u8]]) -> Result<(), SealError> {
        self.write_stream_from(name, parts, &mut io::empty(), 0)
    }

    /// [`Self::write_stream`] of `head` followed by the `content_len` bytes `content` reads (a
    /// staged document read back from disk): nothing is held whole. A `content` that ends early
    /// is an error and nothing is written.
    pub fn write_stream_from(
        &self,
        name: &str,
        head: &[&[u8]],
        content: &mut dyn Read,
        content_len: u64,
    ) -> Result<(), SealError> {
        let path = self.path(name);
        let total = head.iter().map(|part| part.len() as u64).sum::<u64>() + content_len;
        let segments = total.div_ceil(SEGMENT_LEN as u64).max(1);
        let mut prefix = [0u8; STREAM_NONCE_LEN];
        rand::Rng::fill(&mut rand::rng(), &mut prefix[..]);
        write_private_atomic_with(&path, |out| {
            out.write_all(STREAM_MAGIC)?;
            out.write_all(&self.key.id)?;
            out.write_all(&prefix)?;
            let mut encryptor = EncryptorBE32::from_aead(self.key.cipher(), prefix.as_slice().into());
            let mut plain = head
                .iter()
                .fold(Box::new(io::empty()) as Box<dyn Read>, |chain, part| Box::new(chain.chain(*part)))
                .chain(content.take(content_len));
            let mut buffer = Zeroizing::new(Vec::with_capacity(SEGMENT_LEN + TAG_LEN));
            let mut remaining = total;
            for index in 0..segments {
                buffer.clear();
                (&mut plain).take(SEGMENT_LEN as u64).read_to_end(&mut buffer)?;
                if buffer.len() as u64 != remaining.min(SEGMENT_LEN as u64) {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the content ended early"));
                }
                remaining -= buffer.len() as u64;
                let sealed = if index + 1 == segments {
                    // The last call consumes the encryptor: the loop ends here.
                    return finish_stream(encryptor, name, &mut buffer, out);
                } else {
                    encryptor.encrypt_next_in_place(name.as_bytes(), &mut *buffer)
                };
                sealed.map_err(|_| io::Error::other("a segment could not be sealed"))?;
                out.write_all(&buffer)?;
            }
            Ok(())
        })
        .map_err(|err| SealError::io(&path, err))
    }

    /// Open `name`, sealed either way: a whole file ([`Self::write_json`], the content opened at
    /// once) or a stream ([`Self::write_stream`], read a segment at a time).
    pub fn open_file(&self, name: &str) -> Result<SealedFile, SealError> {
        let path = self.path(name);
        let mut file = fs::File::open(&path).map_err(|err| SealError::io(&path, err))?;
        let mut magic = [0u8; 8];
        let read = read_up_to(&mut file, &mut magic).map_err(|err| SealError::io(&path, err))?;
        if read == magic.len() && &magic == STREAM_MAGIC {
            return SealedStream::open(file, path, name, &self.key).map(SealedFile::Stream);
        }
        let mut bytes = magic[..read].to_vec();
        file.read_to_end(&mut bytes).map_err(|err| SealError::io(&path, err))?;
        let json = open(&self.key, name.as_bytes(), &bytes).map_err(|err| match err {
            OpenError::WrongKey => SealError::WrongKey { path: path.clone() },
            OpenError::Corrupt => SealError::Corrupt { path: path.clone() },
        })?;
        Ok(SealedFile::Whole(json))
    }

    /// Whether `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.path(name).is_file()
    }

    /// Remove `name`; removing what is not there is not an error.
    pub fn remove(&self, name: &str) -> Result<(), SealError> {
        let path = self.path(name);
        match fs::remove_file(&path) {
            Ok(()) => {
                sync_dir(&self.dir);
                Ok(())
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(SealError::io(&path, err)),
        }
    }

    /// Move `name` into `other` (same name; both folders on one file system), durably.
    pub fn move_to(&self, name: &str, other: &SealedDir) -> Result<(), SealError> {
        let from = self.path(name);
        let to = other.path(name);
        fs::rename(&from, &to).map_err(|err| SealError::io(&from, err))?;
        sync_dir(&other.dir);
        sync_dir(&self.dir);
        Ok(())
    }

    /// The names of every sealed file here (temporary files of interrupted writes are skipped),
    /// sorted.
    pub fn names(&self) -> Result<Vec<String>, SealError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(SealError::io(&self.dir, err)),
        };
        let suffix = format!(".{SEALED_EXTENSION}");
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|err| SealError::io(&self.dir, err))?;
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else { continue };
            if is_temporary(file_name) {
                continue;
            }
            if let Some(name) = file_name.strip_suffix(&suffix) {
                names.push(name.to_owned());
            }
        }
        names.sort();
        Ok(names)
    }
}

fn finish_stream(
    encryptor: EncryptorBE32<XChaCha20Poly1305>,
    name: &str,
    buffer: &mut Vec<u8>,
    out: &mut dyn Write,
) -> io::Result<()> {
    encryptor.encrypt_last_in_place(name.as_bytes(), buffer).map_err(|_| io::Error::other("a segment could not be sealed"))?;
    out.write_all(buffer)
}

/// Read until `buffer` is full or the end; how many bytes were read.
fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// A sealed file as [`SealedDir::open_file`] found it.
pub enum SealedFile {
    /// Sealed whole (`KYBSEAL1`): the opened content.
    Whole(Zeroizing<Vec<u8>>),
    /// Sealed as a stream (`KYBSEAL2`): read it in order.
    Stream(SealedStream),
}

/// A stream-sealed file being read: each segment is opened (and authenticated) as it is reached.
pub struct SealedStream {
    file: io::BufReader<fs::File>,
    path: PathBuf,
    aad: Vec<u8>,
    decryptor: Option<DecryptorBE32<XChaCha20Poly1305>>,
    /// Sealed bytes not read yet.
    remaining: u64,
    /// The opened segment and how much of it was handed out.
    segment: Zeroizing<Vec<u8>>,
    position: usize,
}

impl SealedStream {
    fn open(mut file: fs::File, path: PathBuf, name: &str, key: &SealingKey) -> Result<Self, SealError> {
        let mut rest = [0u8; KEY_ID_LEN + STREAM_NONCE_LEN];
        let length = file.metadata().map_err(|err| SealError::io(&path, err))?.len();
        if read_up_to(&mut file, &mut rest).map_err(|err| SealError::io(&path, err))? != rest.len() {
            return Err(SealError::Corrupt { path });
        }
        if rest[..KEY_ID_LEN] != key.id {
            return Err(SealError::WrongKey { path });
        }
        let decryptor = DecryptorBE32::from_aead(key.cipher(), rest[KEY_ID_LEN..].into());
        Ok(Self {
            file: io::BufReader::with_capacity(SEGMENT_LEN + TAG_LEN, file),
            path,
            aad: name.as_bytes().to_vec(),
            decryptor: Some(decryptor),
            remaining: length.saturating_sub(STREAM_HEADER_LEN as u64),
            segment: Zeroizing::new(Vec::with_capacity(SEGMENT_LEN + TAG_LEN)),
            position: 0,
        })
    }

    fn corrupt(&self) -> SealError {
        SealError::Corrupt { path: self.path.clone() }
    }

    /// Open the next segment; `false` when the last one was already opened.
    fn next_segment(&mut self) -> Result<bool, SealError> {
        let Some(mut decryptor) = self.decryptor.take() else { return Ok(false) };
        let full = (SEGMENT_LEN + TAG_LEN) as u64;
        // A stream ends with a flagged segment: whatever follows a full one is more of the file.
        let last = self.remaining <= full;
        let length = self.remaining.min(full) as usize;
        if length < TAG_LEN {
            return Err(self.corrupt());
        }
        self.segment.resize(length, 0);
        self.file.read_exact(&mut self.segment).map_err(|err| SealError::io(&self.path, err))?;
        self.remaining -= length as u64;
        self.position = 0;
        let opened = if last {
            decryptor.decrypt_last_in_place(self.aad.as_slice(), &mut *self.segment)
        } else {
            let opened = decryptor.decrypt_next_in_place(self.aad.as_slice(), &mut *self.segment);
            self.decryptor = Some(decryptor);
            opened
        };
        opened.map_err(|_| self.corrupt())?;
        Ok(true)
    }

    /// Fill `out` with the next bytes; `Format` (naming `what`) when the content ends first.
    pub fn read_exact(&mut self, out: &mut [u8], what: &str) -> Result<(), SealError> {
        let mut filled = 0;
        while filled < out.len() {
            if self.position == self.segment.len() && !self.next_segment()? {
                return Err(SealError::Format { path: self.path.clone(), detail: format!("the file ends inside {what}") });
            }
            let n = (out.len() - filled).min(self.segment.len() - self.position);
            out[filled..filled + n].copy_from_slice(&self.segment[self.position..self.position + n]);
            filled += n;
            self.position += n;
        }
        Ok(())
    }

    /// Check that nothing follows what was read and that the last segment is authentic (a file
    /// cut after a segment boundary does not pass).
    pub fn finish(mut self) -> Result<(), SealError> {
        loop {
            if self.position != self.segment.len() {
                return Err(SealError::Format { path: self.path.clone(), detail: "more content than recorded".to_owned() });
            }
            if !self.next_segment()? {
                return Ok(());
            }
        }
    }
}

/// Create `dir` (and its parents) readable by this user only.
pub fn create_private_dir(dir: &Path) -> Result<(), SealError> {
    create_private_dir_all(dir).map_err(|err| SealError::io(dir, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips_and_binds_the_name() {
        let key = SealingKey::generate();
        let sealed = seal(&key, b"a", b"hello");
        assert_eq!(open(&key, b"a", &sealed).unwrap().as_slice(), b"hello");
        assert_eq!(open(&key, b"b", &sealed).unwrap_err(), OpenError::Corrupt);
        assert_eq!(open(&SealingKey::generate(), b"a", &sealed).unwrap_err(), OpenError::WrongKey);
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(open(&key, b"a", &altered).unwrap_err(), OpenError::Corrupt);
        assert_eq!(open(&key, b"a", &sealed[..10]).unwrap_err(), OpenError::Corrupt);
        // The plaintext never appears in the sealed bytes.
        assert!(!sealed.windows(5).any(|w| w == b"hello"));
    }

    #[test]
    fn sealed_dir_writes_private_files_and_lists_them() {
        let temp = tempfile::tempdir().unwrap();
        let dir = SealedDir::create(temp.path().join("d"), Arc::new(SealingKey::generate())).unwrap();
        dir.write_json("one", &serde_json::json!({"x": 1})).unwrap();
        dir.write_json("two", &serde_json::json!({"x": 2})).unwrap();
        let value: serde_json::Value = dir.read_json("two").unwrap();
        assert_eq!(value["x"], 2);
        assert_eq!(dir.names().unwrap(), vec!["one", "two"]);
        assert!(matches!(dir.read_json::<serde_json::Value>("three"), Err(SealError::NotFound { .. })));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(dir.path("one")).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(fs::metadata(dir.dir()).unwrap().permissions().mode() & 0o777, 0o700);
        }
        // A file copied over another name does not open.
        fs::copy(dir.path("one"), dir.path("two")).unwrap();
        assert!(matches!(dir.read_json::<serde_json::Value>("two"), Err(SealError::Corrupt { .. })));
        dir.remove("two").unwrap();
        dir.remove("two").unwrap();
        assert_eq!(dir.names().unwrap(), vec!["one"]);
    }

    /// Everything a stream-sealed `name` holds, read in pieces of `piece` bytes.
    fn read_stream(dir: &SealedDir, name: &str, total: usize, piece: usize) -> Result<Vec<u8>, SealError> {
        let SealedFile::Stream(mut stream) = dir.open_file(name)? else { panic!("{name} is not a stream") };
        let mut out = vec![0u8; total];
        for chunk in out.chunks_mut(piece.max(1)) {
            stream.read_exact(chunk, "the test content")?;
        }
        stream.finish()?;
        Ok(out)
    }

    fn varied(size: usize) -> Vec<u8> {
        (0..size).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn streams_round_trip_across_segments_in_any_split() {
        let temp = tempfile::tempdir().unwrap();
        let dir = SealedDir::create(temp.path().join("d"), Arc::new(SealingKey::generate())).unwrap();
        for size in [0, 1, SEGMENT_LEN - 1, SEGMENT_LEN, SEGMENT_LEN + 1, 3 * SEGMENT_LEN + 5] {
            let content = varied(size);
            let (head, tail) = content.split_at(size / 3);
            dir.write_stream("doc", &[b"head", head, tail]).unwrap();
            let sealed_len = fs::metadata(dir.path("doc")).unwrap().len() as usize;
            let segments = (size + 4).div_ceil(SEGMENT_LEN).max(1);
            assert_eq!(sealed_len, STREAM_HEADER_LEN + size + 4 + segments * TAG_LEN, "{size}");
            let mut expected = b"head".to_vec();
            expected.extend_from_slice(&content);
            assert_eq!(read_stream(&dir, "doc", size + 4, 1000).unwrap(), expected, "{size}");
            // Reading less than was written is refused by `finish`, reading more by `read_exact`.
            if size > 0 {
                assert!(matches!(read_stream(&dir, "doc", size + 3, 4096), Err(SealError::Format { .. })), "{size}");
            }
            assert!(matches!(read_stream(&dir, "doc", size + 5, 4096), Err(SealError::Format { .. })), "{size}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(dir.path("doc")).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn a_stream_cut_altered_renamed_or_under_another_key_does_not_open() {
        let temp = tempfile::tempdir().unwrap();
        let key = Arc::new(SealingKey::generate());
        let dir = SealedDir::create(temp.path().join("d"), key).unwrap();
        let content = varied(2 * SEGMENT_LEN + 100);
        dir.write_stream("doc", &[&content]).unwrap();
        let sealed = fs::read(dir.path("doc")).unwrap();
        // The plaintext never appears in the sealed bytes.
        assert!(!sealed.windows(64).any(|w| w == &content[1000..1064]));
        let corrupt = |bytes: &[u8]| {
            fs::write(dir.path("cut"), bytes).unwrap();
            matches!(read_stream(&dir, "cut", bytes.len(), 4096), Err(SealError::Corrupt { .. }))
        };
        // Cut after the first or the second segment: the missing last segment is noticed.
        let segment = SEGMENT_LEN + TAG_LEN;
        assert!(corrupt(&sealed[..STREAM_HEADER_LEN + segment]));
        assert!(corrupt(&sealed[..STREAM_HEADER_LEN + 2 * segment]));
        let mut altered = sealed.clone();
        altered[STREAM_HEADER_LEN + segment + 7] ^= 1;
        fs::write(dir.path("altered"), &altered).unwrap();
        assert!(matches!(read_stream(&dir, "altered", content.len(), 4096), Err(SealError::Corrupt { .. })));
        // Under another name (the associated data) it does not open.
        fs::write(dir.path("renamed"), &sealed).unwrap();
        assert!(matches!(read_stream(&dir, "renamed", content.len(), 4096), Err(SealError::Corrupt { .. })));
        let other = SealedDir::create(temp.path().join("d"), Arc::new(SealingKey::generate())).unwrap();
        assert!(matches!(other.open_file("doc"), Err(SealError::WrongKey { .. })));
        assert!(matches!(dir.open_file("missing"), Err(SealError::NotFound { .. })));
        // A whole-sealed file opens whole through the same call.
        dir.write_json("whole", &serde_json::json!({"x": 1})).unwrap();
        assert!(matches!(dir.open_file("whole").unwrap(), SealedFile::Whole(json) if json.as_slice() == br#"{"x":1}"#));
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = SealingKey::generate();
        let text = format!("{key:?}");
        assert!(text.contains("redacted") && text.contains(&key.id_hex()));
    }
}
