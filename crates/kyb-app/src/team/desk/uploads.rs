//! The desktop's document upload through the team server: the page's chunks are staged in an
//! encrypted scratch file, so they arrive here as bytes (never as a plain file on disk).

use kyb_core::client::MAX_UPLOAD_BYTES;
use kyb_core::model::FileType;
use kyb_core::team_wire::TeamDocument;
use reqwest::multipart::{Form, Part};
use reqwest::Method;

use crate::team::{TeamClient, TeamError};

impl TeamClient {
    /// The team server this client talks to.
    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    /// Upload `bytes` as `file_name` of `file_type` to draft `id` (the server sends it to the
    /// partner and keeps the bytes for reviewers).
    pub async fn upload_document_bytes(&self, id: &str, file_name: &str, file_type: FileType, bytes: Vec<u8>) -> Result<TeamDocument, TeamError> {
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(TeamError::ReadFile {
                path: file_name.to_owned(),
                detail: format!("the file has {} bytes; a document can be at most {MAX_UPLOAD_BYTES}", bytes.len()),
            });
        }
        let part = Part::bytes(bytes).file_name(file_name.to_owned());
        let form = Form::new().part("file", part).text("fileType", file_type.label());
        let path = crate::team::api::api_path(&["drafts", id, "documents"]);
        let (_, answer) = self.send(self.request(Method::POST, &path).multipart(form)).await?;
        self.read_json(&answer)
    }
}
