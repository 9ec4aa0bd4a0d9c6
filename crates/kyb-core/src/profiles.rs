//! Named local user profiles: who prepares, decides and approves. Chosen at start; no
//! password (they attribute work for four-eyes and the audit trail; they do not authenticate).
//!
//! `profiles.json` in the config folder: `{"version": 1, "profiles": [{"name": "Ana Lima",
//! "created_at": "…"}], "last": "Ana Lima"}`, written atomically.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::files::write_private_atomic;

/// The only `version` of `profiles.json` this build reads and writes.
pub const PROFILES_VERSION: u32 = 1;
/// File name inside the config folder.
pub const FILE_NAME: &str = "profiles.json";
/// Longest profile name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// One profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Profile {
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// The profiles and which one was chosen last (preselected at the next start).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Profiles {
    pub profiles: Vec<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last: Option<String>,
}

/// Why a profile name is refused or the file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Names are 1-64 characters after trimming, with no control characters.
    #[error("{message}")]
    InvalidName { message: String },
    #[error("cannot read or write {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{} is not a valid profiles file: {detail}", .path.display())]
    Format { path: PathBuf, detail: String },
}

/// `profiles.json`.
#[derive(Debug, Clone)]
pub struct ProfileFile {
    path: PathBuf,
}

/// The file as written: [`Profiles`] with its `version`.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    profiles: &'a [Profile],
    #[serde(skip_serializing_if = "Option::is_none")]
    last: Option<&'a str>,
}

/// The file as read (after its `version` was checked; other unknown fields are ignored).
#[derive(Deserialize)]
struct FileIn {
    #[serde(default)]
    profiles: Vec<Profile>,
    #[serde(default)]
    last: Option<String>,
}

fn invalid(message: String) -> ProfileError {
    ProfileError::InvalidName { message }
}

/// The name as stored: trimmed, inner whitespace runs collapsed to one space; refused when
/// empty, over 64 characters, or with control characters.
pub fn normalize_name(name: &str) -> Result<String, ProfileError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(invalid("A profile name cannot be empty; type the name of the person using the app.".into()));
    }
    if let Some(control) = trimmed.chars().find(|c| c.is_control()) {
        return Err(invalid(format!(
            "A profile name cannot contain control characters (found {control:?}, like a tab or line break); \
             type it on one line."
        )));
    }
    let normalized = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    let count = normalized.chars().count();
    if count > MAX_NAME_CHARS {
        return Err(invalid(format!(
            "A profile name can have at most {MAX_NAME_CHARS} characters; this one has {count}."
        )));
    }
    Ok(normalized)
}

/// Whether two names are the same person: the one rule behind "a profile name is taken" and
/// four-eyes ("the approver is not an editor"). Surrounding whitespace is ignored, inner runs of
/// whitespace count as one space, and letters compare by Unicode case folding (`unicase`), so
/// "Anna  Müller", " anna müller" and "ANNA MÜLLER" are one person, and so are "Strauß" and
/// "STRAUSS".
pub fn same_person(a: &str, b: &str) -> bool {
    let words = |name: &str| name.split_whitespace().collect::<Vec<_>>().join(" ");
    unicase::UniCase::new(words(a)) == unicase::UniCase::new(words(b))
}

fn same_name(a: &str, b: &str) -> bool {
    same_person(a, b)
}

impl ProfileFile {
    pub fn new(config_dir: &Path) -> Self {
        Self { path: config_dir.join(FILE_NAME) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn format_error(&self, detail: impl Into<String>) -> ProfileError {
        ProfileError::Format { path: self.path.clone(), detail: detail.into() }
    }

    /// The profiles (none when the file does not exist yet).
    pub fn load(&self) -> Result<Profiles, ProfileError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Profiles::default()),
            Err(source) => return Err(ProfileError::Io { path: self.path.clone(), source }),
        };
        let value: Value = serde_json::from_slice(&bytes).map_err(|err| self.format_error(err.to_string()))?;
        let Some(object) = value.as_object() else {
            return Err(self.format_error("expected a JSON object"));
        };
        match object.get("version") {
            Some(version) if version.as_u64() == Some(u64::from(PROFILES_VERSION)) => {}
            Some(version) => {
                return Err(self.format_error(format!(
                    "version {version} is not supported (this KYB Desk reads version {PROFILES_VERSION})"
                )))
            }
            None => return Err(self.format_error("missing field `version`")),
        }
        let file: FileIn = serde_json::from_value(value).map_err(|err| self.format_error(err.to_string()))?;
        let mut profiles: Vec<Profile> = Vec::with_capacity(file.profiles.len());
        for profile in file.profiles {
            let name = normalize_name(&profile.name)
                .map_err(|err| self.format_error(format!("profile {:?}: {err}", profile.name)))?;
            if profiles.iter().any(|known| same_name(&known.name, &name)) {
                return Err(self.format_error(format!("profile {name:?} is listed twice")));
            }
            profiles.push(Profile { name, created_at: profile.created_at });
        }
        // A `last` that names no profile (edited by hand) is forgotten, not an error.
        let last = file
            .last
            .and_then(|last| profiles.iter().find(|p| same_name(&p.name, last.trim())).map(|p| p.name.clone()));
        Ok(Profiles { profiles, last })
    }

    /// Choose `name`: created when no profile has that name (compared case-insensitively; the
    /// existing spelling wins), and remembered as `last`. Returns the profile.
    pub fn choose(&self, name: &str) -> Result<Profile, ProfileError> {
        let name = normalize_name(name)?;
        // A file that cannot be read is an error here too: it is never replaced silently.
        let mut profiles = self.load()?;
        let profile = match profiles.profiles.iter().find(|p| same_name(&p.name, &name)) {
            Some(existing) => existing.clone(),
            None => {
                let profile = Profile { name, created_at: Utc::now() };
                profiles.profiles.push(profile.clone());
                profile
            }
        };
        profiles.last = Some(profile.name.clone());
        self.save(&profiles)?;
        Ok(profile)
    }

    fn save(&self, profiles: &Profiles) -> Result<(), ProfileError> {
        let out = FileOut { version: PROFILES_VERSION, profiles: &profiles.profiles, last: profiles.last.as_deref() };
        let mut text = serde_json::to_string_pretty(&out).map_err(|err| self.format_error(err.to_string()))?;
        text.push('\n');
        write_private_atomic(&self.path, text.as_bytes())
            .map_err(|source| ProfileError::Io { path: self.path.clone(), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_ignores_case_and_spacing_only() {
        assert!(same_person("Anna  Müller", " anna müller "));
        assert!(same_person("ANNA MÜLLER", "anna\tmüller"));
        assert!(same_person("Strauß", "STRAUSS"), "full Unicode case folding");
        assert!(same_person("Ὀδυσσεύς", "ὈΔΥΣΣΕΎΣ"));
        assert!(!same_person("Anna Müller", "Anna Mueller"));
        assert!(!same_person("AnnaMüller", "Anna Müller"));
        assert!(!same_person("Anna", "Anne"));
    }

    fn message(err: ProfileError) -> String {
        match err {
            ProfileError::InvalidName { message } => message,
            other => panic!("expected InvalidName, got {other:?}"),
        }
    }

    #[test]
    fn names_are_trimmed_and_collapsed_or_refused_with_the_reason() {
        assert_eq!(normalize_name("  Ana   Lima ").unwrap(), "Ana Lima");
        assert_eq!(normalize_name("José da Silva").unwrap(), "José da Silva");
        assert_eq!(normalize_name(&"é".repeat(64)).unwrap().chars().count(), 64);
        for empty in ["", "   ", "\u{3000}"] {
            assert!(message(normalize_name(empty).unwrap_err()).contains("cannot be empty"), "{empty:?}");
        }
        let long = message(normalize_name(&"a".repeat(65)).unwrap_err());
        assert!(long.contains("at most 64 characters") && long.contains("65"), "{long}");
        for control in ["Ana\tLima", "Ana\nLima", "Ana\u{7}Lima", "Ana\u{0}"] {
            let text = message(normalize_name(control).unwrap_err());
            assert!(text.contains("control characters"), "{control:?}: {text}");
        }
    }

    #[test]
    fn choose_creates_once_keeps_the_first_spelling_and_remembers_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let file = ProfileFile::new(dir.path());
        assert_eq!(file.path(), dir.path().join("profiles.json"));
        assert_eq!(file.load().unwrap(), Profiles::default());

        let ana = file.choose(" Ana  Lima ").unwrap();
        assert_eq!(ana.name, "Ana Lima");
        let ben = file.choose("Ben Okoro").unwrap();
        let again = file.choose("ANA LIMA").unwrap();
        assert_eq!(again, ana);
        let loaded = file.load().unwrap();
        assert_eq!(loaded.profiles, [ana.clone(), ben]);
        assert_eq!(loaded.last.as_deref(), Some("Ana Lima"));

        // The file as documented.
        let text = std::fs::read_to_string(file.path()).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["last"], "Ana Lima");
        assert_eq!(value["profiles"][1]["name"], "Ben Okoro");
        assert!(value["profiles"][0]["created_at"].is_string());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let err = file.choose("").unwrap_err();
        assert!(matches!(err, ProfileError::InvalidName { .. }));
        assert_eq!(file.load().unwrap(), loaded, "a refused name changes nothing");
    }

    #[test]
    fn a_broken_or_newer_file_is_an_error_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = ProfileFile::new(dir.path());
        for text in [
            "{not json",
            "[]",
            "{\"profiles\": []}",
            "{\"version\": 2, \"profiles\": []}",
            "{\"version\": \"1\", \"profiles\": []}",
            "{\"version\": 1, \"profiles\": [{\"name\": \"Ana\"}]}",
            "{\"version\": 1, \"profiles\": [{\"name\": \"\", \"created_at\": \"2026-01-01T00:00:00Z\"}]}",
            "{\"version\": 1, \"profiles\": 5}",
        ] {
            std::fs::write(file.path(), text).unwrap();
            let err = file.load().unwrap_err();
            assert!(matches!(err, ProfileError::Format { .. }), "{text}: {err:?}");
            assert!(err.to_string().contains("profiles.json"), "{err}");
            assert!(matches!(file.choose("Ana").unwrap_err(), ProfileError::Format { .. }));
            assert_eq!(std::fs::read_to_string(file.path()).unwrap(), text);
        }
        std::fs::write(file.path(), "{\"version\": 2}").unwrap();
        assert!(file.load().unwrap_err().to_string().contains("version 2 is not supported"));
        // A `last` naming no profile is forgotten; unknown fields are ignored.
        let text = "{\"version\": 1, \"profiles\": [{\"name\": \"Ana\", \"created_at\": \"2026-01-01T00:00:00Z\"}], \
                    \"last\": \"Zed\", \"theme\": \"dark\"}";
        std::fs::write(file.path(), text).unwrap();
        let loaded = file.load().unwrap();
        assert_eq!((loaded.profiles.len(), loaded.last), (1, None));
    }
}
