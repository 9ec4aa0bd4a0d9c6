//! Local copies of documents for review, sealed like drafts ([`crate::sealed`]), one file per
//! environment and `file_id`: the copy kept when this app uploads a file, or attached later by a
//! reviewer for a file id the app has no copy of. Bytes never leave this machine again.
//!
//! A copy is sealed as a stream ([`SealedDir::write_stream`]): a 4-byte little-endian length,
//! the description as JSON, then the bytes as they are, so keeping a 10 MiB document holds no
//! second copy of it (no base64, no JSON of the content, no ciphertext of the whole). Copies kept
//! before were one sealed JSON object with the bytes in base64; they still read.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::model::FileType;
use crate::sealed::{SealError, SealedDir, SealedFile, SealedStream, SealingKey};

/// Folder name under the data folder.
pub const DOCUMENTS_DIR: &str = "documents";

/// Largest local copy: the partner's upload limit, owned by the client.
pub const MAX_COPY_BYTES: usize = crate::client::MAX_UPLOAD_BYTES;

/// How the copy got here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CopyOrigin {
    /// Kept when this app uploaded the file (the bytes the partner received).
    Uploaded,
    /// Attached by a reviewer for an existing file id (not checked against the partner's copy).
    Attached,
}

/// What the viewer can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Preview {
    Image,
    Pdf,
    /// Stored, but no preview for this type.
    None,
}

/// A local copy's description (without the bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentCopy {
    pub environment: String,
    pub file_id: String,
    pub file_name: String,
    /// Detected from the bytes (magic numbers), never from the name: `image/png`,
    /// `application/pdf`, `application/octet-stream` when unknown.
    pub media_type: String,
    pub preview: Preview,
    #[ts(type = "number")]
    pub size: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub origin: CopyOrigin,
    /// The `fileType` the file was uploaded as; `None` for an attached copy (its type is not
    /// known) and for copies kept before the type was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub file_type: Option<FileType>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// Why a copy cannot be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Sealed(#[from] SealError),
}

/// What a copy's description needs of its content: its size, its SHA-256 (hex) and its first
/// bytes (at least a few KiB, to tell its type).
#[derive(Debug, Clone)]
pub struct ContentFacts<'a> {
    pub size: u64,
    pub sha256: String,
    pub start: &'a [u8],
}

impl<'a> ContentFacts<'a> {
    /// The facts of content held in memory.
    pub fn of(bytes: &'a [u8]) -> Self {
        Self { size: bytes.len() as u64, sha256: hex::encode(Sha256::digest(bytes)), start: bytes }
    }
}

/// The sealed folder of copies (`<data>/documents/`).
#[derive(Debug, Clone)]
pub struct DocumentVault {
    dir: SealedDir,
}

/// A copy kept by earlier versions: one sealed JSON object (still read, no longer written).
#[derive(Deserialize)]
struct StoredCopy {
    copy: DocumentCopy,
    /// The bytes, base64 (standard alphabet, padded).
    content: String,
}

/// The description only of an earlier version's copy (the content is skipped while parsing).
#[derive(Deserialize)]
struct StoredHead {
    copy: DocumentCopy,
}

/// A description longer than this is not one this module wrote.
const MAX_HEAD_BYTES: u32 = 64 * 1024;

/// `d-` and the first 32 hex digits of SHA-256(environment ‖ 0 ‖ file_id): safe as a file name,
/// reveals neither.
fn copy_name(environment: &str, file_id: &str) -> String {
    let digest = Sha256::new()
        .chain_update(environment.as_bytes())
        .chain_update([0u8])
        .chain_update(file_id.as_bytes())
        .finalize();
    format!("d-{}", hex::encode(&digest[..16]))
}

fn invalid(field: &str, message: String) -> VaultError {
    VaultError::Invalid { field: field.to_owned(), message }
}

/// The last component of a path as typed on any system (`C:\scans\id.png` → `id.png`), trimmed.
fn base_name(file_name: &str) -> &str {
    file_name.rsplit(['/', '\\']).next().unwrap_or_default().trim()
}

/// The media type and preview of `bytes`, from their magic numbers.
fn detect(bytes: &[u8]) -> (String, Preview) {
    let media_type = infer::get(bytes).map_or("application/octet-stream", |kind| kind.mime_type());
    let preview = match media_type {
        "image/png" | "image/jpeg" | "image/webp" | "image/gif" => Preview::Image,
        "application/pdf" => Preview::Pdf,
        _ => Preview::None,
    };
    (media_type.to_owned(), preview)
}

impl DocumentVault {
    /// Use (and create, mode 0700) `root/documents`.
    pub fn open(root: &Path, key: Arc<SealingKey>) -> Result<Self, VaultError> {
        Ok(Self { dir: SealedDir::create(root.join(DOCUMENTS_DIR), key)? })
    }

    /// `root/documents`.
    pub fn dir(&self) -> &Path {
        self.dir.dir()
    }

    /// Keep `bytes` as the copy of `file_id` in `environment` (replacing an earlier copy).
    /// Refused (`Invalid`, naming `file_id`, `file_name` or `bytes`) when blank, empty or larger
    /// than [`MAX_COPY_BYTES`].
    pub fn put(
        &self,
        environment: &str,
        file_id: &str,
        file_name: &str,
        bytes: &[u8],
        origin: CopyOrigin,
        added_by: &str,
    ) -> Result<DocumentCopy, VaultError> {
        let copy = Self::describe(environment, file_id, file_name, bytes, origin, added_by)?;
        self.keep(copy, bytes)
    }

    /// What [`Self::put`] would keep (checked, hashed), without writing: a caller can record it
    /// (the audit trail) before [`Self::keep`] writes it.
    pub fn describe(
        environment: &str,
        file_id: &str,
        file_name: &str,
        bytes: &[u8],
        origin: CopyOrigin,
        added_by: &str,
    ) -> Result<DocumentCopy, VaultError> {
        Self::describe_content(environment, file_id, file_name, ContentFacts::of(bytes), origin, added_by)
    }

    /// [`Self::describe`] of content known by its size, hash and first bytes (a document staged
    /// on disk, not in memory), kept by [`Self::keep_from`].
    pub fn describe_content(
        environment: &str,
        file_id: &str,
        file_name: &str,
        content: ContentFacts<'_>,
        origin: CopyOrigin,
        added_by: &str,
    ) -> Result<DocumentCopy, VaultError> {
        let file_id = file_id.trim();
        if file_id.is_empty() {
            return Err(invalid("file_id", "The file id is blank; a copy is kept for a file id.".to_owned()));
        }
        let file_name = base_name(file_name);
        if file_name.is_empty() {
            return Err(invalid("file_name", "The file name is blank.".to_owned()));
        }
        if content.size == 0 {
            return Err(invalid("bytes", format!("{file_name} is empty (0 bytes).")));
        }
        if content.size > MAX_COPY_BYTES as u64 {
            return Err(invalid(
                "bytes",
                format!(
                    "{file_name} is {} bytes; a document can have at most {} bytes (10 MiB).",
                    content.size, MAX_COPY_BYTES
                ),
            ));
        }
        let (media_type, preview) = detect(content.start);
        let copy = DocumentCopy {
            environment: environment.to_owned(),
            file_id: file_id.to_owned(),
            file_name: file_name.to_owned(),
            media_type,
            preview,
            size: content.size,
            sha256: content.sha256,
            origin,
            file_type: None,
            added_by: added_by.trim().to_owned(),
            added_at: Utc::now(),
        };
        Ok(copy)
    }

    /// Write a copy described by [`Self::describe`] for these `bytes` (sealed a segment at a
    /// time: no copy of `bytes` is made).
    pub fn keep(&self, copy: DocumentCopy, bytes: &[u8]) -> Result<DocumentCopy, VaultError> {
        self.keep_from(copy, &mut &*bytes)
    }

    /// Write a copy described by [`Self::describe_content`], its `copy.size` bytes read from
    /// `content` a segment at a time. Content that ends early writes nothing.
    pub fn keep_from(&self, copy: DocumentCopy, content: &mut dyn Read) -> Result<DocumentCopy, VaultError> {
        let name = copy_name(&copy.environment, &copy.file_id);
        let head = serde_json::to_vec(&copy)
            .map_err(|err| SealError::Format { path: self.dir.path(&name), detail: err.to_string() })?;
        let head_len = u32::try_from(head.len()).unwrap_or(u32::MAX).to_le_bytes();
        self.dir.write_stream_from(&name, &[&head_len, &head], content, copy.size)?;
        Ok(copy)
    }

    /// The description of the copy, when there is one (only its first segment is opened).
    pub fn info(&self, environment: &str, file_id: &str) -> Result<Option<DocumentCopy>, VaultError> {
        let name = copy_name(environment, file_id.trim());
        match self.open_sealed(&name)? {
            None => Ok(None),
            Some(SealedFile::Stream(mut stream)) => Ok(Some(self.read_head(&name, &mut stream)?)),
            Some(SealedFile::Whole(json)) => Ok(Some(self.parse::<StoredHead>(&name, &json)?.copy)),
        }
    }

    /// The copy and its bytes, when there is one.
    pub fn read(&self, environment: &str, file_id: &str) -> Result<Option<(DocumentCopy, Vec<u8>)>, VaultError> {
        let name = copy_name(environment, file_id.trim());
        let format = |detail: String| SealError::Format { path: self.dir.path(&name), detail };
        let (copy, bytes) = match self.open_sealed(&name)? {
            None => return Ok(None),
            Some(SealedFile::Stream(mut stream)) => {
                let copy = self.read_head(&name, &mut stream)?;
                if copy.size > MAX_COPY_BYTES as u64 {
                    return Err(format(format!("the recorded size {} is over the limit", copy.size)).into());
                }
                let mut bytes = vec![0u8; copy.size as usize];
                stream.read_exact(&mut bytes, "the document")?;
                stream.finish()?;
                (copy, bytes)
            }
            Some(SealedFile::Whole(json)) => {
                let stored = self.parse::<StoredCopy>(&name, &json)?;
                let bytes = BASE64.decode(stored.content.as_bytes()).map_err(|err| format(format!("content: {err}")))?;
                (stored.copy, bytes)
            }
        };
        if bytes.len() as u64 != copy.size || hex::encode(Sha256::digest(&bytes)) != copy.sha256 {
            return Err(format("the content does not match its recorded size and SHA-256".to_owned()).into());
        }
        Ok(Some((copy, bytes)))
    }

    fn open_sealed(&self, name: &str) -> Result<Option<SealedFile>, VaultError> {
        match self.dir.open_file(name) {
            Ok(file) => Ok(Some(file)),
            Err(SealError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }

    /// The length-prefixed description at the start of a stream-sealed copy.
    fn read_head(&self, name: &str, stream: &mut SealedStream) -> Result<DocumentCopy, VaultError> {
        let mut length = [0u8; 4];
        stream.read_exact(&mut length, "the description's length")?;
        let length = u32::from_le_bytes(length);
        if length > MAX_HEAD_BYTES {
            let detail = format!("a description of {length} bytes");
            return Err(SealError::Format { path: self.dir.path(name), detail }.into());
        }
        let mut head = vec![0u8; length as usize];
        stream.read_exact(&mut head, "the description")?;
        self.parse(name, &head)
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, name: &str, json: &[u8]) -> Result<T, VaultError> {
        serde_json::from_slice(json)
            .map_err(|err| SealError::Format { path: self.dir.path(name), detail: err.to_string() }.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start of a 1×1 PNG (signature and IHDR chunk).
    const PNG: &[u8] =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

    fn vault() -> (tempfile::TempDir, DocumentVault) {
        let temp = tempfile::tempdir().unwrap();
        let vault = DocumentVault::open(temp.path(), Arc::new(SealingKey::generate())).unwrap();
        (temp, vault)
    }

    fn field(err: VaultError) -> (String, String) {
        match err {
            VaultError::Invalid { field, message } => (field, message),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn put_then_info_and_read_round_trip_sealed() {
        let (temp, vault) = vault();
        assert_eq!(vault.dir(), temp.path().join("documents"));
        assert_eq!(vault.info("Sandbox", "file_1").unwrap(), None);
        assert_eq!(vault.read("Sandbox", "file_1").unwrap(), None);

        let copy = vault.put("Sandbox", "file_1", "scans/passport.png", PNG, CopyOrigin::Uploaded, "Ana Lima").unwrap();
        assert_eq!(copy.file_name, "passport.png");
        assert_eq!((copy.media_type.as_str(), copy.preview), ("image/png", Preview::Image));
        assert_eq!(copy.size, PNG.len() as u64);
        assert_eq!(copy.sha256, hex::encode(Sha256::digest(PNG)));
        assert_eq!((copy.origin, copy.added_by.as_str()), (CopyOrigin::Uploaded, "Ana Lima"));
        assert_eq!(vault.info("Sandbox", "file_1").unwrap(), Some(copy.clone()));
        assert_eq!(vault.read("Sandbox", "file_1").unwrap(), Some((copy.clone(), PNG.to_vec())));
        // Per environment.
        assert_eq!(vault.info("Production", "file_1").unwrap(), None);

        // One sealed file, named by neither the environment nor the file id, holding no plain bytes.
        let files: Vec<String> = std::fs::read_dir(vault.dir())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files, [format!("{}.sealed", copy_name("Sandbox", "file_1"))]);
        let name = &files[0];
        assert!(name.starts_with("d-") && name.len() == 2 + 32 + ".sealed".len(), "{name}");
        let sealed = std::fs::read(vault.dir().join(name)).unwrap();
        let plain = String::from_utf8_lossy(&sealed);
        assert!(!plain.contains("passport") && !plain.contains("IHDR") && !plain.contains("Ana Lima"));
    }

    #[test]
    fn the_file_type_is_kept_and_older_copies_without_one_still_open() {
        let (_temp, vault) = vault();
        let mut copy = DocumentVault::describe("Sandbox", "file_1", "id.png", PNG, CopyOrigin::Uploaded, "Ana").unwrap();
        assert_eq!(copy.file_type, None);
        copy.file_type = Some(FileType::MainPage);
        vault.keep(copy, PNG).unwrap();
        assert_eq!(vault.info("Sandbox", "file_1").unwrap().unwrap().file_type, Some(FileType::MainPage));
        assert_eq!(vault.read("Sandbox", "file_1").unwrap().unwrap().0.file_type, Some(FileType::MainPage));

        // A copy written before the type was recorded (no `file_type` key) reads as unknown.
        let mut old = serde_json::to_value(vault.info("Sandbox", "file_1").unwrap().unwrap()).unwrap();
        old.as_object_mut().unwrap().remove("file_type");
        let stored = serde_json::json!({"copy": old, "content": BASE64.encode(PNG)});
        vault.dir.write_json(&copy_name("Sandbox", "file_2"), &stored).unwrap();
        let (copy, bytes) = vault.read("Sandbox", "file_2").unwrap().unwrap();
        assert_eq!((copy.file_type, bytes.as_slice()), (None, PNG));
        assert_eq!(vault.info("Sandbox", "file_2").unwrap(), Some(copy));
    }

    #[test]
    fn a_large_copy_is_sealed_as_it_is_and_read_back_whole() {
        let (_temp, vault) = vault();
        let mut bytes = PDF.to_vec();
        bytes.extend((0..1_500_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        let copy = vault.put("Sandbox", "file_big", "big.pdf", &bytes, CopyOrigin::Uploaded, "Ana").unwrap();
        assert_eq!(vault.info("Sandbox", "file_big").unwrap(), Some(copy.clone()));
        assert_eq!(vault.read("Sandbox", "file_big").unwrap(), Some((copy.clone(), bytes.clone())));
        // No base64: the sealed file is the bytes plus a description and one tag per 64 KiB.
        let sealed = std::fs::metadata(vault.dir.path(&copy_name("Sandbox", "file_big"))).unwrap().len() as usize;
        assert!(sealed < bytes.len() + bytes.len() / 1000 + 4096, "{sealed} bytes sealed for {}", bytes.len());

        // A copy cut short does not read, and says so.
        let path = vault.dir.path(&copy_name("Sandbox", "file_big"));
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(sealed as u64 - 70_000).unwrap();
        assert!(matches!(vault.read("Sandbox", "file_big"), Err(VaultError::Sealed(SealError::Corrupt { .. }))));
    }

    #[test]
    fn a_copy_kept_by_an_earlier_version_still_reads() {
        let (_temp, vault) = vault();
        let copy = DocumentVault::describe("Sandbox", "file_old", "old.pdf", PDF, CopyOrigin::Attached, "Ben").unwrap();
        // The earlier shape: one sealed JSON object, the bytes in base64.
        let stored = serde_json::json!({"copy": copy, "content": BASE64.encode(PDF)});
        vault.dir.write_json(&copy_name("Sandbox", "file_old"), &stored).unwrap();
        assert_eq!(vault.info("Sandbox", "file_old").unwrap(), Some(copy.clone()));
        assert_eq!(vault.read("Sandbox", "file_old").unwrap(), Some((copy.clone(), PDF.to_vec())));
        // Its content checked against the description, as before.
        let stored = serde_json::json!({"copy": copy, "content": BASE64.encode(PNG)});
        vault.dir.write_json(&copy_name("Sandbox", "file_old"), &stored).unwrap();
        assert!(matches!(vault.read("Sandbox", "file_old"), Err(VaultError::Sealed(SealError::Format { .. }))));
    }

    #[test]
    fn put_replaces_the_earlier_copy() {
        let (_temp, vault) = vault();
        vault.put("Sandbox", "file_1", "a.png", PNG, CopyOrigin::Uploaded, "Ana Lima").unwrap();
        let pdf = vault.put("Sandbox", "file_1", "C:\\scans\\b.pdf", PDF, CopyOrigin::Attached, "Ben Okoro").unwrap();
        assert_eq!(pdf.file_name, "b.pdf");
        assert_eq!((pdf.media_type.as_str(), pdf.preview), ("application/pdf", Preview::Pdf));
        assert_eq!(vault.read("Sandbox", "file_1").unwrap(), Some((pdf, PDF.to_vec())));
        assert_eq!(std::fs::read_dir(vault.dir()).unwrap().count(), 1);
    }

    #[test]
    fn media_type_comes_from_the_bytes_not_the_name() {
        let (_temp, vault) = vault();
        let jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00";
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00";
        let cases: [(&[u8], &str, &str, Preview); 5] = [
            (PDF, "looks-like.png", "application/pdf", Preview::Pdf),
            (jpeg, "id.pdf", "image/jpeg", Preview::Image),
            (gif, "x", "image/gif", Preview::Image),
            (zip, "x.png", "application/zip", Preview::None),
            (b"just some text", "notes.pdf", "application/octet-stream", Preview::None),
        ];
        for (bytes, name, media_type, preview) in cases {
            let copy = vault.put("Sandbox", name, name, bytes, CopyOrigin::Attached, "Ben").unwrap();
            assert_eq!((copy.media_type.as_str(), copy.preview), (media_type, preview), "{name}");
        }
    }

    #[test]
    fn blank_empty_and_oversized_inputs_are_refused_by_field() {
        let (_temp, vault) = vault();
        let put =
            |id: &str, name: &str, bytes: &[u8]| vault.put("Sandbox", id, name, bytes, CopyOrigin::Attached, "Ben");
        assert_eq!(field(put("  ", "a.png", PNG).unwrap_err()).0, "file_id");
        assert_eq!(field(put("f", "  ", PNG).unwrap_err()).0, "file_name");
        assert_eq!(field(put("f", "scans/", PNG).unwrap_err()).0, "file_name");
        let (name, message) = field(put("f", "a.png", b"").unwrap_err());
        assert_eq!(name, "bytes");
        assert!(message.contains("empty"), "{message}");
        let mut big = PDF.to_vec();
        big.resize(MAX_COPY_BYTES + 1, b' ');
        let (name, message) = field(put("f", "big.pdf", &big).unwrap_err());
        assert_eq!(name, "bytes");
        assert!(message.contains(&MAX_COPY_BYTES.to_string()), "{message}");
        assert_eq!(vault.info("Sandbox", "f").unwrap(), None);
        // Exactly the limit is fine.
        big.truncate(MAX_COPY_BYTES);
        let copy = put("f", "big.pdf", &big).unwrap();
        assert_eq!(copy.size, MAX_COPY_BYTES as u64);
        assert_eq!(vault.read("Sandbox", "f").unwrap().unwrap().1, big);
    }

    #[test]
    fn a_file_copied_over_another_name_or_another_key_does_not_open() {
        let (temp, vault) = vault();
        vault.put("Sandbox", "file_1", "a.png", PNG, CopyOrigin::Uploaded, "Ana").unwrap();
        vault.put("Sandbox", "file_2", "b.pdf", PDF, CopyOrigin::Uploaded, "Ana").unwrap();
        let one = vault.dir().join(format!("{}.sealed", copy_name("Sandbox", "file_1")));
        let two = vault.dir().join(format!("{}.sealed", copy_name("Sandbox", "file_2")));
        std::fs::copy(&one, &two).unwrap();
        assert!(matches!(vault.read("Sandbox", "file_2"), Err(VaultError::Sealed(SealError::Corrupt { .. }))));
        assert!(matches!(vault.info("Sandbox", "file_2"), Err(VaultError::Sealed(SealError::Corrupt { .. }))));
        assert!(vault.read("Sandbox", "file_1").unwrap().is_some());
        let other = DocumentVault::open(temp.path(), Arc::new(SealingKey::generate())).unwrap();
        assert!(matches!(other.read("Sandbox", "file_1"), Err(VaultError::Sealed(SealError::WrongKey { .. }))));
    }
}
