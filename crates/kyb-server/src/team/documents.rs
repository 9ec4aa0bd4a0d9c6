//! Documents in team mode: a preparer's upload goes through the server (only it holds the partner
//! credentials), which sends it to the partner and keeps a sealed copy addressed by its SHA-256,
//! so a reviewer on another machine sees the same bytes. Uploading is audited before the copy is
//! kept.

use chrono::Utc;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use kyb_core::client::{parse_file_type, MAX_UPLOAD_BYTES};
use kyb_core::model::FileType;
use kyb_core::review::{Decision, DocumentKind};
use kyb_core::team_wire::{TeamDocument, TeamDocumentDecision};

use crate::audit;
use crate::config::KeyBytes;
use crate::error::ServerError;
use crate::identity::{Person, Role};
use crate::people::Names;
use crate::sealing::{self, Sealed};

/// Send `bytes` to the partner as `file_type` for draft `draft`, keep the sealed copy.
pub async fn upload(
    pool: &PgPool,
    sealing_key: &KeyBytes,
    person: &Person,
    draft: Uuid,
    file_name: &str,
    file_type: FileType,
    bytes: Vec<u8>,
) -> Result<TeamDocument, ServerError> {
    if !(person.has(Role::Officer) || person.has(Role::Reviewer)) {
        return Err(ServerError::Forbidden(format!("{} has neither the officer nor the reviewer role", person.name)));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ServerError::Invalid { field: "file".into(), message: format!("a document can be at most {MAX_UPLOAD_BYTES} bytes") });
    }
    let environment: String = sqlx::query_scalar("SELECT environment FROM drafts WHERE id = $1")
        .bind(draft)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("draft {draft}")))?;
    let client = crate::outbox::client_for(pool, sealing_key, &environment).await.map_err(ServerError::Forbidden)?;
    let sha256: [u8; 32] = Sha256::digest(&bytes).into();
    let size = bytes.len() as i64;
    let sealed = sealing::seal(sealing_key, &hex::encode(sha256), &bytes);
    let uploaded = client
        .upload_file(file_name, bytes, file_type)
        .await
        .map_err(|err| ServerError::Invalid { field: "file".into(), message: format!("the partner refused the upload: {err}") })?;
    let mut tx = pool.begin().await?;
    audit::append(
        &mut tx,
        &person.subject,
        "document_uploaded",
        &json!({"draft": draft.to_string(), "file_id": uploaded.file_id, "file_type": file_type.label(), "sha256": hex::encode(sha256)}),
    )
    .await?;
    sqlx::query("INSERT INTO documents (sha256, nonce, ciphertext, size, stored_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
        .bind(sha256.as_slice())
        .bind(&sealed.nonce)
        .bind(&sealed.ciphertext)
        .bind(size)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO draft_documents (draft_id, file_id, sha256, file_type, file_name, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(draft)
    .bind(&uploaded.file_id)
    .bind(sha256.as_slice())
    .bind(file_type.label())
    .bind(file_name)
    .bind(&person.subject)
    .bind(Utc::now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let file_id = uploaded.file_id;
    one(pool, draft, &file_id).await
}

/// Document `file_id` of draft `draft`, with its decision.
pub async fn one(pool: &PgPool, draft: Uuid, file_id: &str) -> Result<TeamDocument, ServerError> {
    list(pool, draft)
        .await?
        .into_iter()
        .find(|d| d.file_id == file_id)
        .ok_or_else(|| ServerError::NotFound(format!("document {file_id} of draft {draft}")))
}

/// The documents of a draft, oldest first, each with its decision.
pub async fn list(pool: &PgPool, draft: Uuid) -> Result<Vec<TeamDocument>, ServerError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT 1 FROM drafts WHERE id = $1")
        .bind(draft)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("draft {draft}")))?;
    let rows = sqlx::query(
        "SELECT d.file_id, d.file_type, d.file_name, d.sha256, c.size, d.uploaded_by, d.uploaded_at,
                x.decision, x.reason, x.note, x.decided_by, x.decided_at
         FROM draft_documents d JOIN documents c ON c.sha256 = d.sha256
         LEFT JOIN document_decisions x ON x.draft_id = d.draft_id AND x.file_id = d.file_id
         WHERE d.draft_id = $1 ORDER BY d.uploaded_at, d.file_id",
    )
    .bind(draft)
    .fetch_all(&mut *conn)
    .await?;
    let mut people = Vec::new();
    for row in &rows {
        people.push(row.try_get::<String, _>("uploaded_by")?);
        people.extend(row.try_get::<Option<String>, _>("decided_by")?);
    }
    let names = Names::of(&mut conn, &people).await?;
    let uploaded: Vec<String> = rows.iter().map(|row| row.try_get::<String, _>("file_id")).collect::<Result<_, _>>()?;
    let partner_only = referenced_not_uploaded(&mut conn, draft, &uploaded).await?;
    rows.into_iter()
        .map(|row| {
            let file_id: String = row.try_get("file_id")?;
            let unreadable = |what: &str| ServerError::NotFound(format!("a readable {what} of document {file_id}"));
            let file_type = parse_file_type(&row.try_get::<String, _>("file_type")?).map_err(|_| unreadable("file type"))?;
            let decision = match row.try_get::<Option<String>, _>("decision")? {
                None => None,
                Some(decision) => Some(TeamDocumentDecision {
                    decision: from_name(&decision).ok_or_else(|| unreadable("decision"))?,
                    reason: match row.try_get::<Option<String>, _>("reason")? {
                        Some(reason) => Some(from_name(&reason).ok_or_else(|| unreadable("reason"))?),
                        None => None,
                    },
                    note: row.try_get("note")?,
                    decided_by: names.name(&row.try_get::<String, _>("decided_by")?),
                    decided_at: row.try_get("decided_at")?,
                }),
            };
            Ok(TeamDocument {
                file_type,
                file_name: row.try_get("file_name")?,
                sha256: hex::encode(row.try_get::<Vec<u8>, _>("sha256")?),
                size: row.try_get("size")?,
                uploaded_by: names.name(&row.try_get::<String, _>("uploaded_by")?),
                uploaded_at: row.try_get("uploaded_at")?,
                decision,
                file_id,
                held: true,
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()
        .map(|mut uploaded| {
            uploaded.extend(partner_only);
            uploaded
        })
}

/// The documents draft `draft`'s record references that were never uploaded through the team
/// (`uploaded`: the file ids that were), each with its decision, if any.
async fn referenced_not_uploaded(conn: &mut PgConnection, draft: Uuid, uploaded: &[String]) -> Result<Vec<TeamDocument>, ServerError> {
    let row = sqlx::query("SELECT record, created_at FROM drafts WHERE id = $1").bind(draft).fetch_one(&mut *conn).await?;
    let record: serde_json::Value = row.try_get("record")?;
    let created_at: chrono::DateTime<chrono::Utc> = row.try_get("created_at")?;
    let mut out: Vec<TeamDocument> = Vec::new();
    for reference in kyb_core::review::referenced_documents(&record) {
        if uploaded.contains(&reference.file_id) || out.iter().any(|d| d.file_id == reference.file_id) {
            continue;
        }
        let decision = decision_of(&mut *conn, draft, &reference.file_id).await?;
        out.push(TeamDocument {
            file_type: match reference.kind {
                DocumentKind::BusinessRegistration => FileType::BusinessRegistration,
                DocumentKind::IdFront => FileType::MainPage,
                DocumentKind::IdBack => FileType::BackPage,
            },
            file_name: reference.file_id.clone(),
            sha256: String::new(),
            size: 0,
            uploaded_by: String::new(),
            uploaded_at: created_at,
            decision,
            file_id: reference.file_id,
            held: false,
        });
    }
    Ok(out)
}

/// The decision on file `file_id` of draft `draft`, display name included.
async fn decision_of(conn: &mut PgConnection, draft: Uuid, file_id: &str) -> Result<Option<TeamDocumentDecision>, ServerError> {
    let Some(row) = sqlx::query("SELECT decision, reason, note, decided_by, decided_at FROM document_decisions WHERE draft_id = $1 AND file_id = $2")
        .bind(draft)
        .bind(file_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let unreadable = |what: &str| ServerError::NotFound(format!("a readable {what} of document {file_id}"));
    let decided_by: String = row.try_get("decided_by")?;
    let names = Names::of(&mut *conn, std::slice::from_ref(&decided_by)).await?;
    Ok(Some(TeamDocumentDecision {
        decision: from_name(&row.try_get::<String, _>("decision")?).ok_or_else(|| unreadable("decision"))?,
        reason: match row.try_get::<Option<String>, _>("reason")? {
            Some(reason) => Some(from_name(&reason).ok_or_else(|| unreadable("reason"))?),
            None => None,
        },
        note: row.try_get("note")?,
        decided_by: names.name(&decided_by),
        decided_at: row.try_get("decided_at")?,
    }))
}

/// Whether draft `draft` has document `file_id`: uploaded through the team, or referenced by its
/// record (a document already at the partner).
pub async fn has_document(conn: &mut PgConnection, draft: Uuid, file_id: &str) -> Result<bool, ServerError> {
    let uploaded: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM draft_documents WHERE draft_id = $1 AND file_id = $2)")
        .bind(draft)
        .bind(file_id)
        .fetch_one(&mut *conn)
        .await?;
    if uploaded {
        return Ok(true);
    }
    let record: serde_json::Value = sqlx::query_scalar("SELECT record FROM drafts WHERE id = $1").bind(draft).fetch_one(&mut *conn).await?;
    Ok(kyb_core::review::referenced_documents(&record).iter().any(|r| r.file_id == file_id))
}

/// Every document of draft `draft` (uploaded, and referenced by its record) with its decision, on
/// a connection the caller holds.
pub async fn all_in(conn: &mut PgConnection, draft: Uuid) -> Result<Vec<(String, Option<Decision>)>, ServerError> {
    let rows = sqlx::query(
        "SELECT d.file_name, d.file_id, x.decision FROM draft_documents d
         LEFT JOIN document_decisions x ON x.draft_id = d.draft_id AND x.file_id = d.file_id
         WHERE d.draft_id = $1 ORDER BY d.uploaded_at, d.file_id",
    )
    .bind(draft)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    let mut uploaded = Vec::new();
    for row in rows {
        let file_id: String = row.try_get("file_id")?;
        let label = format!("{} ({file_id})", row.try_get::<String, _>("file_name")?);
        let decision = row.try_get::<Option<String>, _>("decision")?.as_deref().and_then(from_name::<Decision>);
        uploaded.push(file_id);
        out.push((label, decision));
    }
    for document in referenced_not_uploaded(conn, draft, &uploaded).await? {
        out.push((document.file_id.clone(), document.decision.map(|d| d.decision)));
    }
    Ok(out)
}

/// A value of a snake_case vocabulary enum (a decision, a reason) from the name it is stored as.
pub(crate) fn from_name<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

/// The name a snake_case vocabulary value is stored as.
pub(crate) fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The bytes of one of a draft's documents (opened and checked against their hash).
pub async fn read(pool: &PgPool, sealing_key: &KeyBytes, draft: Uuid, file_id: &str) -> Result<(TeamDocument, Vec<u8>), ServerError> {
    let row = sqlx::query(
        "SELECT c.nonce, c.ciphertext FROM draft_documents d JOIN documents c ON c.sha256 = d.sha256
         WHERE d.draft_id = $1 AND d.file_id = $2",
    )
    .bind(draft)
    .bind(file_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| ServerError::NotFound(format!("document {file_id} of draft {draft}")))?;
    let document = one(pool, draft, file_id).await?;
    let sealed = Sealed { nonce: row.try_get("nonce")?, ciphertext: row.try_get("ciphertext")? };
    let bytes = sealing::open(sealing_key, &document.sha256, &sealed)?;
    if hex::encode(Sha256::digest(&bytes[..])) != document.sha256 {
        return Err(ServerError::Unsealing(format!("document {file_id}")));
    }
    Ok((document, bytes.to_vec()))
}
