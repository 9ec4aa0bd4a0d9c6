//! The team server's endpoints as typed methods: what the desktop's team mode and the CLI call.
//! Answers and bodies are kyb-core's wire types ([`kyb_core::team_wire`]), so no caller reads
//! the server's JSON by hand.

use std::path::Path;

use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use kyb_core::client::MAX_UPLOAD_BYTES;
use kyb_core::drafts::DraftTarget;
use kyb_core::model::FileType;
use kyb_core::review::{Decision, DecisionReason};
use kyb_core::team_wire::{
    content_sha256, ApproveDraft, DecideDocument, DraftPush, NewTeamDraft, SubmitDraft, TeamDocument, TeamDraft, TeamDraftSummary, TeamEnvironment,
    TeamPartnerCustomer, TeamQueue, TeamSubmission, TeamTrailEntry,
};

use super::{TeamClient, TeamError};

/// The header the server sends a document's SHA-256 (hex) in.
const CONTENT_SHA256: &str = "x-content-sha256";

/// `/api/` and the segments, each percent-encoded (environment names and partner ids are text).
pub(super) fn api_path(segments: &[&str]) -> String {
    let mut url = match reqwest::Url::parse("http://server/api/") {
        Ok(url) => url,
        Err(_) => return String::from("/api"),
    };
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url.path().to_owned()
}

impl TeamClient {
    async fn json<T: DeserializeOwned>(&self, method: Method, path: String, body: Option<&impl Serialize>) -> Result<T, TeamError> {
        let mut request = self.request(method, &path);
        if let Some(body) = body {
            request = request.json(body);
        }
        let (_, bytes) = self.send(request).await?;
        self.read_json(&bytes)
    }

    async fn get<T: DeserializeOwned>(&self, path: String) -> Result<T, TeamError> {
        self.json(Method::GET, path, None::<&()>).await
    }

    /// The drafts of `queue`, newest change first.
    pub async fn list_drafts(&self, queue: TeamQueue) -> Result<Vec<TeamDraftSummary>, TeamError> {
        self.get(format!("{}?queue={}", api_path(&["drafts"]), queue.as_str())).await
    }

    /// Draft `id` with its record and approvals.
    pub async fn draft(&self, id: &str) -> Result<TeamDraft, TeamError> {
        self.get(api_path(&["drafts", id])).await
    }

    /// Start a draft from `base_record` (the customer as the partner has it, see
    /// [`Self::partner_customer`]; `{}` for a new customer). The same `idempotency_key` again
    /// answers the draft the first call made.
    pub async fn create_draft(
        &self,
        environment: &str,
        target: &DraftTarget,
        base_record: &Value,
        record: &Value,
        idempotency_key: &str,
    ) -> Result<TeamDraft, TeamError> {
        let body = NewTeamDraft {
            environment: environment.to_owned(),
            target: target.clone(),
            base_record: base_record.clone(),
            record: record.clone(),
            idempotency_key: idempotency_key.to_owned(),
        };
        self.json(Method::POST, api_path(&["drafts"]), Some(&body)).await
    }

    /// Change draft `id` from `base_version`; [`TeamError::Stale`] when someone changed it since.
    pub async fn push_draft(&self, id: &str, base_version: i64, record: &Value, idempotency_key: &str) -> Result<TeamDraft, TeamError> {
        let body = DraftPush { base_version, record: record.clone(), idempotency_key: idempotency_key.to_owned() };
        self.json(Method::PUT, api_path(&["drafts", id]), Some(&body)).await
    }

    /// Approve `version` of draft `id`, whose change hashes to `change_hash` (as the reviewer
    /// saw it). Answers the draft with the server-signed approval.
    pub async fn approve(&self, id: &str, version: i64, change_hash: &str) -> Result<TeamDraft, TeamError> {
        let body = ApproveDraft { version, change_hash: change_hash.to_owned() };
        self.json(Method::POST, api_path(&["drafts", id, "approve"]), Some(&body)).await
    }

    /// Queue `version` of draft `id` for sending to the partner (once per version).
    pub async fn submit(&self, id: &str, version: i64) -> Result<TeamSubmission, TeamError> {
        self.json(Method::POST, api_path(&["drafts", id, "submit"]), Some(&SubmitDraft { version })).await
    }

    /// The latest submission of draft `id`, if it was submitted.
    pub async fn submission(&self, id: &str) -> Result<Option<TeamSubmission>, TeamError> {
        self.get(api_path(&["drafts", id, "submission"])).await
    }

    /// One outbox entry, by the `outbox_id` a submission named.
    pub async fn outbox_entry(&self, outbox_id: &str) -> Result<TeamSubmission, TeamError> {
        self.get(api_path(&["outbox", outbox_id])).await
    }

    /// The documents of draft `id`, each with its decision.
    pub async fn documents(&self, id: &str) -> Result<Vec<TeamDocument>, TeamError> {
        self.get(api_path(&["drafts", id, "documents"])).await
    }

    /// Upload the file at `path` as `file_name` of `file_type` to draft `id` (the server sends it
    /// to the partner). Streamed from the file, never read whole.
    pub async fn upload_document(&self, id: &str, file_name: &str, file_type: FileType, path: &Path) -> Result<TeamDocument, TeamError> {
        let unreadable = |detail: String| TeamError::ReadFile { path: path.display().to_string(), detail };
        let file = tokio::fs::File::open(path).await.map_err(|err| unreadable(err.to_string()))?;
        let length = file.metadata().await.map_err(|err| unreadable(err.to_string()))?.len();
        if length > MAX_UPLOAD_BYTES as u64 {
            return Err(unreadable(format!("the file has {length} bytes; a document can be at most {MAX_UPLOAD_BYTES}")));
        }
        let part = Part::stream_with_length(reqwest::Body::from(file), length).file_name(file_name.to_owned());
        let form = Form::new().part("file", part).text("fileType", file_type.label());
        let (_, bytes) = self.send(self.request(Method::POST, &api_path(&["drafts", id, "documents"])).multipart(form)).await?;
        self.read_json(&bytes)
    }

    /// The bytes of document `file_id` of draft `id`, checked against the SHA-256 the server
    /// sends with them.
    pub async fn read_document(&self, id: &str, file_id: &str) -> Result<Vec<u8>, TeamError> {
        let (headers, bytes) = self.send(self.request(Method::GET, &api_path(&["drafts", id, "documents", file_id]))).await?;
        let expected = headers.get(CONTENT_SHA256).and_then(|value| value.to_str().ok()).map(str::to_ascii_lowercase);
        if expected.as_deref() != Some(content_sha256(&bytes).as_str()) {
            return Err(TeamError::DocumentDamaged { file_id: file_id.to_owned() });
        }
        Ok(bytes.to_vec())
    }

    /// Record the caller's decision on document `file_id` of draft `id` (reviewers who did not
    /// prepare the draft).
    pub async fn decide_document(
        &self,
        id: &str,
        file_id: &str,
        decision: Decision,
        reason: Option<DecisionReason>,
        note: Option<&str>,
    ) -> Result<TeamDocument, TeamError> {
        let body = DecideDocument { decision, reason, note: note.map(str::to_owned) };
        self.json(Method::PUT, api_path(&["drafts", id, "documents", file_id, "decision"]), Some(&body)).await
    }

    /// Assign draft `id` to the caller.
    pub async fn assign_to_me(&self, id: &str) -> Result<TeamDraftSummary, TeamError> {
        self.json(Method::POST, api_path(&["drafts", id, "assign"]), Some(&serde_json::json!({}))).await
    }

    /// Tell the team the caller is working on draft `id` now (shown for two minutes; repeat
    /// while the draft is open).
    pub async fn working_on(&self, id: &str) -> Result<(), TeamError> {
        self.send(self.request(Method::POST, &api_path(&["drafts", id, "working"]))).await.map(|_| ())
    }

    /// The audit trail, oldest first: of draft `draft`, or the team's whole trail.
    pub async fn trail(&self, draft: Option<&str>) -> Result<Vec<TeamTrailEntry>, TeamError> {
        let mut request = self.request(Method::GET, &api_path(&["audit", "entries"]));
        if let Some(draft) = draft {
            request = request.query(&[("draft", draft)]);
        }
        let (_, bytes) = self.send(request).await?;
        self.read_json(&bytes)
    }

    /// The team's partner environments (never their credentials).
    pub async fn environments(&self) -> Result<Vec<TeamEnvironment>, TeamError> {
        self.get(api_path(&["environments"])).await
    }

    /// Customer `customer_id` as the partner has it now in `environment`: what a draft starts from.
    pub async fn partner_customer(&self, environment: &str, customer_id: &str) -> Result<TeamPartnerCustomer, TeamError> {
        self.get(api_path(&["environments", environment, "customers", customer_id])).await
    }
}

#[cfg(test)]
mod tests {
    use super::api_path;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(api_path(&["drafts", "d1", "documents"]), "/api/drafts/d1/documents");
        assert_eq!(api_path(&["environments", "Live EU", "customers", "a/b"]), "/api/environments/Live%20EU/customers/a%2Fb");
    }
}
