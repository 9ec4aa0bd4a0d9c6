//! Portable draft files: a draft as readable, pretty JSON, to move it to another machine or hand
//! it to a colleague. No secrets (a draft holds none: no API key, no sealing key), no sealing.
//!
//! ```json
//! { "format": "kyb-desk-draft", "version": 1, "exported_at": "…Z", "environment": "Sandbox",
//!   "target": {"kind": "update", "customer_id": "cus_…"}, "idempotency_key": "<uuid>",
//!   "base": {…DraftBase…}, "record": {…UpdateCustomerRequest…} }
//! ```
//!
//! A file exported in team mode may also carry `signed_approvals` (approvals signed by the team
//! server) and the team's audit `team_checkpoint` it was exported at. Only those signed approvals
//! count when a file comes in, checked by [`super::file_approvals`]; a plain `review.approval` in
//! a file is reported and dropped (anyone can write one).
//!
//! Reading is strict: unknown fields anywhere outside `record` are refused, and every error names
//! its line, column and field path. The record itself is kept as typed and checked by the
//! validation module ([`check_portable`]), so an invalid record still imports, with its issues.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::model::{create_draft_id, update_draft_id, Draft, DraftBase, DraftTarget};
use super::store::{validate_draft, DraftError, DraftStore};
use super::file_approvals::{check_file_approvals, FileApprovalProblem};
use crate::review::{approval_state, diff_hash, Approval, ApprovalState, Review};
use crate::team_approval::SignedApproval;
use crate::team_checkpoint::Checkpoint;
use crate::validation::{Issue, ValidationContext};

/// The `format` of every portable draft file.
pub const PORTABLE_FORMAT: &str = "kyb-desk-draft";
/// The only `version` this build reads and writes.
pub const PORTABLE_VERSION: u32 = 1;

/// A draft as a portable file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortableDraft {
    /// Always [`PORTABLE_FORMAT`].
    #[serde(deserialize_with = "format_tag")]
    pub format: String,
    /// Always [`PORTABLE_VERSION`].
    #[serde(deserialize_with = "version_number")]
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// The environment it was exported from (an import goes into the active one).
    pub environment: String,
    #[serde(deserialize_with = "strict_target")]
    pub target: DraftTarget,
    /// Made at export: the same file queued twice is one intent, applied once.
    #[serde(deserialize_with = "uuid_text")]
    pub idempotency_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "strict_base")]
    pub base: Option<DraftBase>,
    /// `UpdateCustomerRequest` JSON as typed (may be invalid).
    pub record: Value,
    /// Review: preparers, decisions and the approval travel with the file (absent when empty).
    /// The approval is shown for information; it never counts when the file comes in.
    #[serde(default, skip_serializing_if = "Review::is_empty")]
    pub review: Review,
    /// Team mode: approvals signed by the team server, verified offline when the file comes in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_approvals: Vec<SignedApproval>,
    /// Team mode: the team audit trail's signed checkpoint when the file was exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_checkpoint: Option<Checkpoint>,
}

/// Why a file is not a readable portable draft: where (line, column, field path) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{}", self.describe())]
#[ts(export)]
pub struct ImportError {
    /// 1-based; 0 when the error has no position.
    pub line: usize,
    pub column: usize,
    /// The field at fault, e.g. `target.customer_id`; empty for the file as a whole.
    pub path: String,
    pub message: String,
}

impl ImportError {
    fn describe(&self) -> String {
        let place = if self.line == 0 { String::new() } else { format!("line {}, column {}", self.line, self.column) };
        match (place.is_empty(), self.path.is_empty()) {
            (true, true) => self.message.clone(),
            (true, false) => format!("{}: {}", self.path, self.message),
            (false, true) => format!("{place}: {}", self.message),
            (false, false) => format!("{place}, {}: {}", self.path, self.message),
        }
    }
}

/// What an import did: the draft as stored, its validation issues, and notes for the officer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub draft: Draft,
    pub issues: Vec<Issue>,
    pub notes: Vec<String>,
    /// The file's idempotency key: queue the draft with it so that the same file sent from two
    /// places is applied once.
    pub idempotency_key: String,
}

/// `draft` as a portable file, with a fresh idempotency key.
pub fn export_draft(draft: &Draft) -> PortableDraft {
    PortableDraft {
        format: PORTABLE_FORMAT.to_owned(),
        version: PORTABLE_VERSION,
        exported_at: Utc::now(),
        environment: draft.environment.clone(),
        target: draft.target.clone(),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        base: draft.base.clone(),
        record: draft.record.clone(),
        review: draft.review.clone(),
        signed_approvals: Vec::new(),
        team_checkpoint: None,
    }
}

/// The file's text: pretty JSON, ending with a newline. (Serializing JSON values and strings
/// does not fail; the `Result` only avoids a panic path.)
pub fn to_pretty_json(file: &PortableDraft) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(file)?;
    text.push('\n');
    Ok(text)
}

/// A file name for the export: `kyb-draft-<customer or partner id>-<UTC time>.json`, with only
/// `A-Z a-z 0-9 . _ -` (no business name: file names end up in listings and logs).
pub fn portable_file_name(file: &PortableDraft) -> String {
    let who = match &file.target {
        DraftTarget::Update { customer_id } => customer_id.as_str(),
        DraftTarget::Create { partner_customer_id } if !partner_customer_id.trim().is_empty() => {
            partner_customer_id.as_str()
        }
        DraftTarget::Create { .. } => "new-customer",
    };
    let who: String = who
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .take(64)
        .collect();
    let who = who.trim_start_matches('.');
    format!("kyb-draft-{who}-{}.json", file.exported_at.format("%Y%m%d-%H%M%S"))
}

/// Read a portable file. Unknown fields, another format or version, and malformed values are
/// refused with their line, column and field path.
pub fn read_portable(text: &str) -> Result<PortableDraft, ImportError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let result = PortableDraft::deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track));
    let file = result.map_err(|err| import_error(err, &track.path().to_string()))?;
    deserializer.end().map_err(|err| import_error(err, ""))?;
    Ok(file)
}

fn import_error(err: serde_json::Error, path: &str) -> ImportError {
    let (line, column) = (err.line(), err.column());
    let mut message = err.to_string();
    let suffix = format!(" at line {line} column {column}");
    if let Some(stripped) = message.strip_suffix(&suffix) {
        message = stripped.to_owned();
    }
    let path = if path == "." { String::new() } else { path.to_owned() };
    ImportError { line, column, path, message }
}

/// The file's validation issues, with the rules a send would apply (for a new customer also
/// `partner_customer_id`).
pub fn check_portable(file: &PortableDraft, ctx: &ValidationContext) -> Vec<Issue> {
    validate_draft(&file.target, &file.record, ctx)
}

/// The draft an import makes of `file` in `environment` (the active one), and notes for the
/// officer. An update draft gets the id of that customer in `environment`; a new customer's draft
/// a fresh id. Revision 1, times now, `issue_count` from the validation module.
///
/// Approvals: the file's plain `review.approval` is dropped (a file can be edited by anyone);
/// the first signed approval that counts against `trusted_keys` (the team server's public keys,
/// hex; see [`check_file_approvals`]) becomes the draft's approval, for the file's environment.
/// Each dropped approval gets a note saying why.
pub fn into_draft(file: PortableDraft, environment: &str, trusted_keys: &[String]) -> (Draft, Vec<String>) {
    let mut notes = Vec::new();
    if file.environment != environment {
        notes.push(format!(
            "Exported from environment {:?}; imported into {:?}, the active environment.",
            file.environment, environment
        ));
        if file.base.is_some() {
            notes.push(format!(
                "Its base record was fetched from {:?}; the lost-update check compares it with {:?}'s current record when it is sent.",
                file.environment, environment
            ));
        }
    }
    let id = match &file.target {
        DraftTarget::Update { customer_id } => update_draft_id(environment, customer_id),
        DraftTarget::Create { .. } => {
            notes.push("Imported as a new-customer draft.".to_owned());
            create_draft_id()
        }
    };
    let approvals = check_file_approvals(&file, trusted_keys);
    let issues = validate_draft(&file.target, &file.record, &ValidationContext::now());
    let now = Utc::now();
    let mut review = file.review;
    review.approval = None;
    let mut draft = Draft {
        id,
        environment: environment.to_owned(),
        target: file.target,
        base: file.base,
        record: file.record,
        revision: 1,
        created_at: now,
        updated_at: now,
        issue_count: u32::try_from(issues.len()).unwrap_or(u32::MAX),
        review,
    };
    for approval in &approvals {
        if let Some(problem) = approval.problem {
            notes.push(dropped_approval_note(&approval.approved_by, problem));
        }
    }
    if let Some(signed) = approvals.iter().find(|approval| approval.counts()) {
        draft.review.approval = Some(Approval {
            approver: signed.approved_by.clone(),
            preparers: draft.review.editors.clone(),
            diff_hash: diff_hash(&draft),
            environment: file.environment.clone(),
            approved_at: signed.approved_at,
        });
        match approval_state(&draft) {
            ApprovalState::Valid { approval } => {
                notes.push(format!(
                    "Approved by {} for exactly these changes (signed by the team server).",
                    approval.approver
                ));
            }
            ApprovalState::Void { .. } | ApprovalState::None => {
                draft.review.approval = None;
                notes.push(format!(
                    "The approval in the file does not match this draft's changes in {}; it was not kept.",
                    draft.environment
                ));
            }
        }
    }
    (draft, notes)
}

/// The note for an approval a file brought that does not count.
fn dropped_approval_note(approved_by: &str, problem: FileApprovalProblem) -> String {
    format!("The approval by {approved_by} in the file was not kept: {problem}.")
}

impl DraftStore {
    /// Import `file` into `environment` and store it. An existing draft for the same customer is
    /// moved to the trash first (so nothing typed is lost; a note says so). Only an approval
    /// signed by one of `trusted_keys` comes with it ([`into_draft`]).
    pub fn import(&self, file: PortableDraft, environment: &str, trusted_keys: &[String]) -> Result<ImportReport, DraftError> {
        let ctx = ValidationContext::now();
        let issues = check_portable(&file, &ctx);
        let idempotency_key = file.idempotency_key.clone();
        let (draft, mut notes) = into_draft(file, environment, trusted_keys);
        if let DraftTarget::Update { customer_id } = &draft.target {
            match self.load(&draft.id) {
                Ok(existing) => {
                    self.delete(&existing.id)?;
                    notes.push(format!(
                        "Your draft for customer {customer_id} (revision {}, saved {}) was moved to the trash; restore it from the drafts library if you need it.",
                        existing.revision,
                        existing.updated_at.format("%Y-%m-%d %H:%M UTC")
                    ));
                }
                Err(DraftError::NotFound { .. }) => {}
                // The existing file cannot be opened: set it aside (moved, never destroyed)
                // rather than let put() below replace it.
                Err(DraftError::Unreadable { .. }) => {
                    let file = self.set_aside_unreadable(&draft.id)?;
                    notes.push(format!(
                        "An earlier draft for customer {customer_id} could not be opened; it was kept unchanged as drafts-unreadable/{file}."
                    ));
                }
                Err(other) => return Err(other),
            }
        }
        self.put(&draft)?;
        Ok(ImportReport { draft, issues, notes, idempotency_key })
    }
}

fn format_tag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let format = String::deserialize(deserializer)?;
    if format != PORTABLE_FORMAT {
        return Err(serde::de::Error::custom(format!(
            "this is not a KYB Desk draft file (format {format:?}, expected {PORTABLE_FORMAT:?})"
        )));
    }
    Ok(format)
}

fn version_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let version = u32::deserialize(deserializer)?;
    if version != PORTABLE_VERSION {
        return Err(serde::de::Error::custom(format!(
            "draft file version {version} is not supported (this KYB Desk reads version {PORTABLE_VERSION})"
        )));
    }
    Ok(version)
}

fn uuid_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    match uuid::Uuid::parse_str(&text) {
        Ok(uuid) => Ok(uuid.hyphenated().to_string()),
        Err(_) => Err(serde::de::Error::custom(format!("{text:?} is not a UUID"))),
    }
}

/// [`DraftTarget`] with unknown fields refused.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum StrictTarget {
    Update { customer_id: String },
    Create { partner_customer_id: String },
}

fn strict_target<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DraftTarget, D::Error> {
    Ok(match StrictTarget::deserialize(deserializer)? {
        StrictTarget::Update { customer_id } => DraftTarget::Update { customer_id },
        StrictTarget::Create { partner_customer_id } => DraftTarget::Create { partner_customer_id },
    })
}

/// [`DraftBase`] with unknown fields refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StrictBase {
    record: Value,
    #[serde(default)]
    partner_customer_id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    fetched_at: DateTime<Utc>,
}

fn strict_base<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DraftBase>, D::Error> {
    Ok(Option::<StrictBase>::deserialize(deserializer)?.map(|base| DraftBase {
        record: base.record,
        partner_customer_id: base.partner_customer_id,
        status: base.status,
        fetched_at: base.fetched_at,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::file_change_hash;
    use crate::samples::valid_update;
    use crate::sealed::SealingKey;
    use serde_json::json;
    use std::sync::Arc;

    fn record(seed: u64) -> Value {
        serde_json::to_value(valid_update(seed, Utc::now().date_naive())).unwrap()
    }

    fn update_draft() -> Draft {
        let now = Utc::now();
        Draft {
            id: update_draft_id("Sandbox", "cus_42"),
            environment: "Sandbox".into(),
            target: DraftTarget::Update { customer_id: "cus_42".into() },
            base: Some(DraftBase { record: record(1), partner_customer_id: Some("p-42".into()), status: Some("Approved".into()), fetched_at: now }),
            record: record(2),
            revision: 7,
            created_at: now,
            updated_at: now,
            issue_count: 0,
            review: Default::default(),
        }
    }

    fn keys(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    out.push(key.clone());
                    keys(value, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| keys(item, out)),
            _ => {}
        }
    }

    #[test]
    fn export_then_read_round_trips_with_a_fresh_key_each_time() {
        let draft = update_draft();
        let file = export_draft(&draft);
        let text = to_pretty_json(&file).unwrap();
        assert!(text.starts_with("{\n  \"format\": \"kyb-desk-draft\",\n  \"version\": 1,"), "{text}");
        assert!(text.ends_with("}\n"));
        let read = read_portable(&text).unwrap();
        assert_eq!(read, file);
        assert_eq!((read.record, read.base), (draft.record.clone(), draft.base.clone()));
        assert_ne!(export_draft(&draft).idempotency_key, file.idempotency_key);
        assert!(uuid::Uuid::parse_str(&file.idempotency_key).is_ok());
        // Amounts keep their exact text.
        let mut amounts = draft.clone();
        amounts.record["account_usage"]["expected_monthly_volume_amount"] = json!("1250.50");
        let again = read_portable(&to_pretty_json(&export_draft(&amounts)).unwrap()).unwrap();
        assert_eq!(again.record["account_usage"]["expected_monthly_volume_amount"], json!("1250.50"));
        let name = portable_file_name(&file);
        assert!(name.starts_with("kyb-draft-cus_42-") && name.ends_with(".json"), "{name}");
    }

    #[test]
    fn no_secret_is_ever_in_a_draft_or_its_file() {
        let draft = update_draft();
        let mut found = Vec::new();
        keys(&serde_json::to_value(&draft).unwrap(), &mut found);
        keys(&serde_json::from_str(&to_pretty_json(&export_draft(&draft)).unwrap()).unwrap(), &mut found);
        for secret in ["api_key", "api_secret", "apiKey", "apiSecret", "secret", "password", "sealing_key"] {
            assert!(!found.iter().any(|k| k.eq_ignore_ascii_case(secret)), "{secret} in {found:?}");
        }
    }

    #[test]
    fn read_names_line_column_and_field() {
        let good = to_pretty_json(&export_draft(&update_draft())).unwrap();
        let cases: Vec<(String, &str, &str)> = vec![
            (good.replacen("\"version\": 1,", "\"version\": 1,\n  \"api_key\": \"x\",", 1), "api_key", "unknown field `api_key`"),
            (good.replacen("\"kind\": \"update\",", "\"kind\": \"update\", \"extra\": 1,", 1), "target", "unknown field `extra`"),
            (good.replacen("\"fetched_at\":", "\"surprise\": true, \"fetched_at\":", 1), "base.surprise", "unknown field `surprise`"),
            (good.replacen("\"kyb-desk-draft\"", "\"something-else\"", 1), "format", "not a KYB Desk draft file"),
            (good.replacen("\"version\": 1", "\"version\": 2", 1), "version", "version 2 is not supported"),
            (good.replacen("\"kind\": \"update\"", "\"kind\": \"upsert\"", 1), "target.kind", "upsert"),
            (good.replacen("\"environment\": \"Sandbox\"", "\"environment\": 5", 1), "environment", "invalid type"),
            (good.replacen("\"exported_at\": \"", "\"exported_at\": \"yesterday", 1), "exported_at", ""),
        ];
        for (text, path, message) in cases {
            let err = read_portable(&text).unwrap_err();
            assert_eq!(err.path, path, "{err}");
            assert!(err.message.contains(message), "{err}");
            assert!(err.line > 1 && err.column > 0, "{err:?}");
            assert!(err.to_string().starts_with(&format!("line {}, column {}", err.line, err.column)), "{err}");
        }
        let key = serde_json::from_str::<Value>(&good).unwrap()["idempotency_key"].as_str().unwrap().to_owned();
        let err = read_portable(&good.replacen(&key, "not-a-uuid", 1)).unwrap_err();
        assert_eq!(err.path, "idempotency_key");
        assert!(err.message.contains("not a UUID"), "{err}");
        let err = read_portable("{\"format\": \"kyb-desk-draft\",\n \"version\": 1\n}").unwrap_err();
        assert!(err.message.contains("missing field"), "{err}");
        assert_eq!(err.line, 3);
        let err = read_portable("not json").unwrap_err();
        assert_eq!((err.line, err.path.as_str()), (1, ""));
        let err = read_portable(&format!("{good} trailing")).unwrap_err();
        assert!(err.message.contains("trailing"), "{err}");
        assert!(read_portable("").is_err() && read_portable("[]").is_err() && read_portable("null").is_err());
    }

    #[test]
    fn check_and_into_draft() {
        let ctx = ValidationContext::now();
        let file = export_draft(&update_draft());
        assert!(check_portable(&file, &ctx).is_empty());
        let (draft, notes) = into_draft(file.clone(), "Sandbox", &[]);
        assert_eq!(draft.id, update_draft_id("Sandbox", "cus_42"));
        assert_eq!((draft.revision, draft.issue_count), (1, 0));
        assert!(notes.is_empty(), "{notes:?}");
        let (elsewhere, notes) = into_draft(file, "Staging", &[]);
        assert_eq!(elsewhere.id, update_draft_id("Staging", "cus_42"));
        assert_eq!(elsewhere.environment, "Staging");
        assert!(notes[0].contains("\"Sandbox\"") && notes[0].contains("\"Staging\""), "{notes:?}");

        let mut create = export_draft(&update_draft());
        create.target = DraftTarget::Create { partner_customer_id: String::new() };
        create.base = None;
        create.record["primary_contact"]["email"] = json!("nope");
        let issues = check_portable(&create, &ctx);
        assert_eq!(issues[0].path, "partner_customer_id");
        assert!(issues.iter().any(|i| i.path == "primary_contact.email"), "{issues:?}");
        let text = to_pretty_json(&create).unwrap();
        assert!(!text.contains("\"base\""));
        assert_eq!(read_portable(&text).unwrap(), create);
        assert_eq!(read_portable(&text.replacen("\"record\":", "\"base\": null,\n  \"record\":", 1)).unwrap(), create);
        let (one, _) = into_draft(create.clone(), "Sandbox", &[]);
        let (two, _) = into_draft(create, "Sandbox", &[]);
        assert!(one.id.starts_with("c-") && one.id != two.id);
        assert_eq!(one.issue_count as usize, issues.len());
    }

    #[test]
    fn import_stores_the_draft_and_keeps_an_existing_one_in_the_trash() {
        let temp = tempfile::tempdir().unwrap();
        let store = DraftStore::open(temp.path(), Arc::new(SealingKey::generate())).unwrap();
        let mine = store
            .save(crate::drafts::DraftSave {
                id: None,
                environment: "Sandbox".into(),
                target: DraftTarget::Update { customer_id: "cus_42".into() },
                base: None,
                record: record(5),
                editor: None,
            })
            .unwrap().draft;
        let file = read_portable(&to_pretty_json(&export_draft(&update_draft())).unwrap()).unwrap();
        let key = file.idempotency_key.clone();
        let report = store.import(file, "Sandbox", &[]).unwrap();
        assert_eq!(report.idempotency_key, key);
        assert_eq!(report.draft.id, mine.id);
        assert_eq!(store.load(&mine.id).unwrap(), report.draft);
        assert!(report.notes.iter().any(|n| n.contains("trash")), "{:?}", report.notes);
        assert_eq!(store.trashed().unwrap(), vec![mine.id.clone()]);
        // The JSON the page gets carries no secret either.
        let mut found = Vec::new();
        keys(&serde_json::to_value(&report).unwrap(), &mut found);
        assert!(!found.iter().any(|k| k == "api_key" || k == "api_secret"));
    }

    /// A file edited by hand: a colleague named as preparer, an approval written in with the
    /// hash recomputed. Nothing in a file can tell that apart from a genuine export, so no plain
    /// approval counts when a file comes in.
    #[test]
    fn a_plain_approval_in_a_file_never_counts() {
        use crate::review::{approval_state, diff_hash, Approval, ApprovalState};
        let mut draft = update_draft();
        draft.review.editors.push("Colleague Preparer".into());
        draft.review.approval = Some(Approval {
            approver: "Me Myself".into(),
            preparers: vec!["Colleague Preparer".into()],
            diff_hash: diff_hash(&draft),
            environment: "Sandbox".into(),
            approved_at: Utc::now(),
        });
        let file = read_portable(&to_pretty_json(&export_draft(&draft)).unwrap()).unwrap();
        assert_eq!(file.review, draft.review, "the file still says who approved, for information");
        let checked = check_file_approvals(&file, &[]);
        assert_eq!(checked.len(), 1);
        assert_eq!(checked[0].problem, Some(FileApprovalProblem::NotSigned));

        let (imported, notes) = into_draft(file.clone(), "Sandbox", &[]);
        assert_eq!(approval_state(&imported), ApprovalState::None);
        assert_eq!(imported.review.editors, ["Colleague Preparer"]);
        assert!(notes.contains(&"The approval by Me Myself in the file was not kept: not signed by the team server.".to_owned()), "{notes:?}");
        let temp = tempfile::tempdir().unwrap();
        let store = DraftStore::open(temp.path(), Arc::new(SealingKey::generate())).unwrap();
        let report = store.import(file, "Sandbox", &[]).unwrap();
        assert_eq!(store.load(&report.draft.id).unwrap().review.approval, None);
    }

    #[test]
    fn a_server_signed_approval_counts_only_from_a_trusted_key_unchanged_and_for_the_files_change() {
        use crate::review::{approval_state, ApprovalState};
        let server = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let trusted = vec![hex::encode(server.verifying_key().to_bytes())];
        let mut draft = update_draft();
        draft.review.editors.push("olivia".into());
        let mut file = export_draft(&draft);
        let hash = file_change_hash(&file);
        file.signed_approvals.push(SignedApproval::sign(&server, "7d3c", 2, &hash, "rita", Utc::now()));
        let file = read_portable(&to_pretty_json(&file).unwrap()).unwrap();
        assert_eq!(file.signed_approvals.len(), 1, "signed approvals travel in the file");

        let (imported, notes) = into_draft(file.clone(), "Sandbox", &trusted);
        match approval_state(&imported) {
            ApprovalState::Valid { approval } => assert_eq!((approval.approver.as_str(), approval.preparers.as_slice()), ("rita", ["olivia".to_owned()].as_slice())),
            other => panic!("{other:?} {notes:?}"),
        }
        assert_eq!(notes, ["Approved by rita for exactly these changes (signed by the team server)."]);

        let problem = |file: &PortableDraft, keys: &[String]| check_file_approvals(file, keys)[0].problem;
        assert_eq!(problem(&file, &trusted), None);
        // Not the key this machine trusts (none, or another).
        assert_eq!(problem(&file, &[]), Some(FileApprovalProblem::UntrustedKey));
        assert_eq!(problem(&file, &[hex::encode([9u8; 32])]), Some(FileApprovalProblem::UntrustedKey));
        // One byte of the signed record flipped: the signature no longer holds.
        let mut flipped = file.clone();
        flipped.signed_approvals[0].approved_by = "ritb".into();
        assert_eq!(problem(&flipped, &trusted), Some(FileApprovalProblem::BadSignature));
        let mut forged = file.clone();
        let mut signature = hex::decode(&forged.signed_approvals[0].signature).unwrap();
        signature[0] ^= 1;
        forged.signed_approvals[0].signature = hex::encode(signature);
        assert_eq!(problem(&forged, &trusted), Some(FileApprovalProblem::BadSignature));
        // The file's record edited after approval: a genuine approval of another change.
        let mut edited = file.clone();
        edited.record["business_details"]["business_name_english"] = json!("Edited in the file Ltd");
        assert_eq!(problem(&edited, &trusted), Some(FileApprovalProblem::OtherChange));
        let (dropped, notes) = into_draft(edited, "Sandbox", &trusted);
        assert_eq!(dropped.review.approval, None);
        assert!(notes.contains(&"The approval by rita in the file was not kept: the file's change is not the one approved.".to_owned()), "{notes:?}");
        // Signed for the file's environment: imported elsewhere it does not count.
        let (elsewhere, notes) = into_draft(file, "Production", &trusted);
        assert_eq!(elsewhere.review.approval, None);
        assert!(notes.iter().any(|n| n.contains("it was not kept")), "{notes:?}");
    }
}
